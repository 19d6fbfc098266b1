"""The frame every page draws first: page config, styles, the grouped sidebar (Streamlit's page links); content errors."""

from __future__ import annotations

from functools import lru_cache
from html import escape
from pathlib import Path

import streamlit as st

from components.page_shell import LinkTarget, page_shell
from explorer import ROOT
from explorer.content.loader import Content, ContentUnavailable
from explorer.routes import PAGES, nav_groups, page_for_path

from . import progress, urlstate
from .caches import get_content
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
    # (a Material icon would be fetched from Google's font CDN); components.page_shell sets our local icon.
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide" if wide else "centered")
    page_shell(follow_link)
    html(_css())
    urlstate.start_run(title)
    content = get_content()
    _sidebar()
    for message in progress.pop_notices():
        st.warning(message, icon=":material/history:")
    return content


def follow_link(target: LinkTarget) -> None:
    """Answer a link followed in a note with Streamlit's navigation, in the shell's callback (before any page
    runs): the target page runs with the link's query parameters (one history entry, Back returns).
    ``st.switch_page`` refuses a parameter bound to a widget; the ones such links carry (``note``,
    ``section``, ``term``) stay unbound (``ui.urlstate``; tests/test_house_rules.py checks it)."""
    page = page_for_path(target.path)
    if page is not None:
        st.switch_page(page.file, query_params=target.params)


PRIVACY = ("Nothing you enter is stored on the server: your progress is kept in this browser (you can forget it on "
           "the Study page), and results travel in the URL and the files you download.")
SEARCH_PLACEHOLDER = 'e.g. feature store or "model registry"'


def _search_form_html() -> str:
    """The sidebar's search: a plain GET form to the Search page (works before any script runs)."""
    search = PAGES["search"]
    return (f'<form class="side-search" role="search" action="{search.path}" method="get">'
            '<label for="side-search-q">Search everything</label>'
            f'<input id="side-search-q" name="q" type="search" maxlength="200" required="" autocomplete="off" '
            f'placeholder="{escape(SEARCH_PLACEHOLDER)}"/>'
            '<button type="submit"><span class="side-icon" aria-hidden="true">search</span><span>Search</span></button>'
            "</form>")


def page_index() -> None:
    """Every page of the app by group (the sidebar's groups), as columns of page links (one on a phone)."""
    groups = [(h, pages) for h, pages in nav_groups() if h != "Start"]
    for col, (heading, pages) in zip(st.columns(len(groups)), groups):
        with col:
            st.markdown(f"**{escape(heading)}**")
            for p in pages:
                st.page_link(p.file, label=p.label, icon=p.icon)


def _sidebar() -> None:
    with st.sidebar:
        st.markdown(f"**:material/neurology: {APP_NAME}**")
        html(_search_form_html())
        for heading, pages in nav_groups():
            st.caption(heading)
            for p in pages:
                st.page_link(p.file, label=p.label, icon=p.icon)
        st.divider()
        st.caption(PRIVACY)
        notice = progress.storage_notice()
        if notice:
            st.warning(notice, icon=":material/cloud_off:")
        progress.sync()


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
