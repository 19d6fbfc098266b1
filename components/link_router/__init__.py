"""Same-session navigation for plain links drawn with ``st.html`` (a Custom Components v2 component).

Notes, the notes list and the contents are HTML (one ``st.html`` element each, no second Markdown
parse, and far cheaper than dozens of ``st.page_link``).  A plain link there would reload the app:
a new session, a new websocket.  :func:`link_router`, mounted once per page run by the frame,
installs one click listener in the browser (``router.js``): a plain click on a same-site link inside
an element with the class ``app-links`` or ``note-body`` becomes a history entry and a rerun in
the same session, like Back and Forward.  Ctrl/Cmd/middle clicks still open new tabs.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.browser_store import compact_source

_DIR = Path(__file__).resolve().parent

_component = st.components.v2.component(
    "link_router",
    html="<span data-link-router hidden></span>",
    css=compact_source((_DIR / "router.css").read_text(encoding="utf-8")),
    js=compact_source((_DIR / "router.js").read_text(encoding="utf-8")),
    isolate_styles=False,
)


def link_router() -> None:
    """Mount the (invisible) router; call once per page run."""
    _component(key="link_router", data=b"1")
