"""The page shell: one invisible Custom Components v2 element (no iframe) that every page mounts once per run.

Its script (``shell.js``) does three small things in the browser, with the component's documented API only:

- **Links inside notes stay in the session.**  A note (and the reader's list and contents) is one ``st.html``
  block, so its links are plain ``<a href>`` elements; followed as such, they would reload the app (a new
  session and websocket).  A plain click on a link to a page of this app inside an element with the class
  ``note-body`` or ``app-links`` puts the address in the browser's history and is reported with
  ``setTriggerValue("navigate", …)``; the page answers with Streamlit's own navigation
  (:func:`ui.frame.follow_link`: ``st.switch_page`` with the link's query parameters).  Because the address
  already shows the target, Streamlit adds no history entry of its own: the move is one entry, which
  Back and Forward replay (``ui/streamlit_facts.py`` records why the address goes first).  Modified
  clicks (new tab, new window, download) keep the browser's behaviour.
- **The code blocks' Copy button** copies the block's text (or selects it where there is no clipboard).
- **The favicon** (``assets/favicon.png``), set from a ``data:`` URI inside the script (685 bytes, no
  request) instead of ``st.set_page_config(page_icon=...)``, which imports numpy and PIL on a cold server.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qsl

import streamlit as st

from components import compact_source

__all__ = ["ICON_URI", "LinkTarget", "page_shell", "parse_target"]

_DIR = Path(__file__).resolve().parent
ICON_URI = "data:image/png;base64," + base64.b64encode(
    (_DIR.parent.parent / "assets" / "favicon.png").read_bytes()).decode("ascii")
MAX_QUERY_CHARS = 2000
_KEY = "page_shell"

_component = st.components.v2.component(
    "page_shell",
    html="<span data-page-shell hidden></span>",
    css=compact_source((_DIR / "shell.css").read_text(encoding="utf-8")),
    js=compact_source((_DIR / "shell.js").read_text(encoding="utf-8")).replace("__ICON_URI__", ICON_URI),
    isolate_styles=False,  # the CSS must reach the element container around the component to hide it
)


@dataclass(frozen=True)
class LinkTarget:
    """A same-page link the browser reported: the URL path and the query parameters to show."""

    path: str
    params: dict[str, str]


def parse_target(value: object) -> LinkTarget | None:
    """The trigger's value as a :class:`LinkTarget`, or None for anything malformed (it came from a browser)."""
    if not isinstance(value, dict):
        return None
    path, query = value.get("path"), value.get("query", "")
    if not isinstance(path, str) or not isinstance(query, str) or len(path) > 200 or len(query) > MAX_QUERY_CHARS:
        return None
    if not path.startswith("/") or any(ord(c) < 32 for c in path):
        return None
    params = dict(parse_qsl(query.removeprefix("?"), keep_blank_values=False))
    return LinkTarget(path, params)


def page_shell(on_link: Callable[[LinkTarget], None]) -> None:
    """Mount the (invisible) shell; call once per page run, first.  ``on_link(target)`` is called (as a widget
    callback, before the next run) for each link followed in a note in the browser."""
    _component(key=_KEY, on_navigate_change=functools.partial(_report, on_link))


def _report(on_link: Callable[[LinkTarget], None]) -> None:
    value = st.session_state.get(_KEY)
    target = parse_target(value.get("navigate") if isinstance(value, Mapping) else None)
    if target is not None:
        on_link(target)
