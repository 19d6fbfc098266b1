"""The frame every page draws first: page config, styles, the grouped sidebar; and content errors."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import streamlit as st

from components.favicon import favicon
from components.link_router import link_router
from explorer import ROOT
from explorer.loader import Content, ContentUnavailable
from explorer.routes import PAGES, nav_groups

from . import progress
from .caches import get_content
from .urlstate import reset_run_flags
from .widgets import html

APP_NAME = "MLOps course-notes explorer"
_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def _css() -> str:
    parts = [(_HERE / "app.css").read_text(encoding="utf-8"),
             (ROOT / "explorer" / "templates" / "notes.css").read_text(encoding="utf-8")]
    return "<style>\n" + "\n".join(parts) + "\n</style>"


def frame(title: str, icon: str = "", *, wide: bool = True) -> Content:
    """Page config, shared CSS and sidebar; returns the content (re-read when a content file changed)."""
    # No page_icon: an image there makes Streamlit import numpy and PIL on a cold server's first run
    # (a Material icon would be fetched from Google's font CDN); components.favicon sets our local icon.
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide" if wide else "centered")
    html(_css())
    reset_run_flags()
    content = get_content()
    _sidebar()
    for message in progress.pop_notices():
        st.warning(message, icon=":material/history:")
    return content


def _sidebar() -> None:
    with st.sidebar:
        favicon()  # first: the browser loads the component code sooner, the tab shows our icon sooner
        st.markdown(f"**:material/neurology: {APP_NAME}**")
        with st.form("sidebar_search", clear_on_submit=False, border=False):
            q = st.text_input("Search everything", placeholder='e.g. feature store or "model registry"', max_chars=200)
            if st.form_submit_button("Search", icon=":material/search:", width="stretch") and q.strip():
                st.switch_page(PAGES["search"].file, query_params={"q": q.strip()})
        for heading, pages in nav_groups():
            st.caption(heading.upper())
            for p in pages:
                st.page_link(p.file, label=p.label, icon=p.icon)
        st.divider()
        notice = progress.storage_notice()
        if notice:
            st.warning(notice, icon=":material/cloud_off:")
        st.caption("Nothing you enter is stored on the server: your progress is kept in this browser (you can "
                   "forget it on the Study page), and results travel in the URL and the files you download.")
        progress.sync()
        link_router()


def need(content: Content, *parts: str, stop: bool = True) -> bool:
    """Show a clear error box (no traceback) when a part this page needs is broken.

    Returns True when everything is available.  With ``stop`` the page ends there.
    """
    try:
        content.need(*parts)
        return True
    except ContentUnavailable as exc:
        names = ", ".join(exc.parts)
        st.error(
            f"**This view needs content that could not be loaded ({names}).** "
            "Fix the file(s) below and run `python -m explorer validate` to check; other pages keep working.",
            icon=":material/error:",
        )
        shown = [str(p) for p in exc.problems[:12]]
        if len(exc.problems) > 12:
            shown.append(f"... and {len(exc.problems) - 12} more")
        st.code("\n".join(shown), language=None)
        if stop:
            st.stop()
        return False
