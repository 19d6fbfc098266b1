"""The page shell: one invisible Custom Components v2 element (no iframe) that every page mounts once per run.

Its script (``shell.js``) does three things in the browser, in one element rather than three: every component
element is registered on every run of every page (the element and two widgets on the server, a module and a
mount in the browser), and these three need nothing from each other's state:

- **Same-session links.**  Notes, the notes list, the contents, the sidebar and the home page's links are
  HTML (one ``st.html`` element each, no second Markdown parse, far cheaper than dozens of
  ``st.page_link``).  A plain link there would reload the app: a new session, a new websocket.  One
  click listener makes a plain click on a same-site link inside an element with the class ``app-links``
  or ``note-body`` a history entry and a rerun in the same session, like Back and Forward; a GET form
  there (the sidebar's search) too.  Ctrl/Cmd/middle clicks still open new tabs.
- **The favicon** (``assets/favicon.png``), set from a ``data:`` URI inside the script (685 bytes, no
  request) instead of ``st.set_page_config(page_icon=...)``: Streamlit turns an image ``page_icon`` into a
  URL with ``image_to_url``, which imports numpy and PIL first, about 0.2 s of a cold server's first run.
  Streamlit's frontend sets its own default icon once, when the first session starts, and changes it
  again only for a ``page_icon`` (none is given) or a page with an icon (none has one).
- **An idle-time preload** (``preload=``): a module the next page will need (Streamlit's 4.7 MB Plotly
  bundle, from the home page, which draws no Plotly chart) is imported once the page has been drawn and
  the browser is idle.  Nothing is sent back to the server.
"""

from __future__ import annotations

import base64
from pathlib import Path

import streamlit as st

from components import compact_source

__all__ = ["ICON_URI", "page_shell"]

_DIR = Path(__file__).resolve().parent
ICON_URI = "data:image/png;base64," + base64.b64encode(
    (_DIR.parent.parent / "assets" / "favicon.png").read_bytes()).decode("ascii")

_component = st.components.v2.component(
    "page_shell",
    html="<span data-page-shell hidden></span>",
    css=compact_source((_DIR / "shell.css").read_text(encoding="utf-8")),
    js=compact_source((_DIR / "shell.js").read_text(encoding="utf-8")).replace("__ICON_URI__", ICON_URI),
    isolate_styles=False,  # the CSS must reach the element container around the component to hide it
)


def page_shell(preload: str | None = None) -> None:
    """Mount the (invisible) shell; call once per page run, early (the tab shows the icon sooner).

    ``preload``: a module URL relative to the page (``static/js/...``) to import once the browser is idle."""
    if preload is not None and (not isinstance(preload, str) or not preload or "\n" in preload):
        raise ValueError("preload needs a relative URL")
    _component(key="page_shell", data={"preload": preload} if preload else {})
