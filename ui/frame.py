"""The frame every page draws first: page config, styles, the grouped sidebar; and content errors."""

from __future__ import annotations

import sys
from functools import lru_cache
from html import escape
from pathlib import Path

import streamlit as st

from components.page_shell import page_shell
from explorer import ROOT
from explorer.loader import Content, ContentUnavailable
from explorer.routes import PAGE_LIST, PAGES, nav_groups, page_url

from . import progress
from .caches import get_content
from .urlstate import reset_run_flags
from .widgets import html, plotly_bundle

APP_NAME = "MLOps course-notes explorer"
_HERE = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def _css() -> str:
    parts = [(_HERE / "app.css").read_text(encoding="utf-8"),
             (ROOT / "explorer" / "templates" / "notes.css").read_text(encoding="utf-8")]
    return "<style>\n" + "\n".join(parts) + "\n</style>"


def skip_direct_run_check() -> bool:
    """Tell Streamlit its "run me with `streamlit run`" check is done, when a server is running us.

    Once per process, at the first element, Streamlit calls ``inspect.stack()`` to warn someone who
    started the script with plain ``python``.  Under a running server the answer is always no, yet
    the call reads the source of every frame and looks up a module for each: about 0.1 s of the
    first visitor's wait on a cold server (measured in the first run's CPU), more than the page's
    own drawing.  Returns whether it was marked (False if this Streamlit no longer has the flag: a
    test pins it to the version in requirements.txt)."""
    import streamlit.delta_generator as dg
    from streamlit import runtime

    if not runtime.exists() or not hasattr(dg, "_use_warning_has_been_displayed"):
        return False
    dg._use_warning_has_been_displayed = True
    return True


def frame(title: str, icon: str = "", *, wide: bool = True, preload_charts: bool = False) -> Content:
    """Page config, shared CSS and sidebar; returns the content (re-read when a content file changed).

    ``preload_charts``: for a page without Plotly charts (the home page, where most visits start), the
    browser imports Streamlit's Plotly bundle once it is idle, so the next page's first chart is as quick
    as if this page had drawn one (the server side of it: :func:`ui.widgets.warm_up_charts`)."""
    skip_direct_run_check()
    # No page_icon: an image there makes Streamlit import numpy and PIL on a cold server's first run
    # (a Material icon would be fetched from Google's font CDN); components.page_shell sets our local icon.
    st.set_page_config(page_title=f"{title} · {APP_NAME}", layout="wide" if wide else "centered")
    html(_css())
    reset_run_flags()
    content = get_content()
    _sidebar(_page_file(sys._getframe(1).f_code.co_filename), plotly_bundle() if preload_charts else None)
    for message in progress.pop_notices():
        st.warning(message, icon=":material/history:")
    return content


PRIVACY = ("Nothing you enter is stored on the server: your progress is kept in this browser (you can forget it on "
           "the Study page), and results travel in the URL and the files you download.")
SEARCH_PLACEHOLDER = 'e.g. feature store or "model registry"'


def _icon(material: str) -> str:
    """``:material/home:`` -> a Material Symbols ligature (the font Streamlit ships), hidden from screen readers."""
    name = material.removeprefix(":material/").removesuffix(":")
    return f'<span class="side-icon" aria-hidden="true">{escape(name)}</span>'


def page_link_html(page, label: str | None = None, params: dict[str, str] | None = None, icon: str | None = None) -> str:
    """One link to a page of the app, drawn like ``st.page_link`` (icon and label), as plain HTML.

    Inside an ``app-links`` block (:func:`page_links`) the page shell follows it in the same session.
    Cheaper than ``st.page_link`` for a page's first paint: no element of its own, no extra JavaScript
    chunk for the browser to fetch before the page is complete."""
    href = page_url(page.file, params)
    return f'<a class="page-link" href="{escape(href)}">{_icon(icon or page.icon)}<span>{escape(label or page.label)}</span></a>'


def page_links(*links: str) -> None:
    """Draw links from :func:`page_link_html` as one block the page shell follows."""
    html('<div class="app-links page-links">' + "".join(links) + "</div>")


@lru_cache(maxsize=1)
def page_index_html(skip: tuple[str, ...] = ("Start",)) -> str:
    """Every page of the app by group (the sidebar's groups), as columns of links (one on a phone)."""
    out = ['<nav class="app-links page-index" aria-label="Every page of the app">']
    for heading, pages in nav_groups():
        if heading in skip:
            continue
        gid = f"page-index-{heading.lower()}"
        out.append(f'<div><p class="page-index-group" id="{gid}"><strong>{escape(heading)}</strong></p>'
                   f'<ul aria-labelledby="{gid}">')
        out.extend(f"<li>{page_link_html(p)}</li>" for p in pages)
        out.append("</ul></div>")
    out.append("</nav>")
    return "".join(out)


@lru_cache(maxsize=len(PAGE_LIST) + 1)
def sidebar_html(current: str | None) -> str:
    """The sidebar as one HTML block: title, search form, grouped page links, the privacy line.

    One ``st.html`` element instead of a form, a text input, 13 page links and 7 captions (about 5 ms of
    every page run).  The links and the form are plain HTML, so they work before any script runs
    (a page load); the page shell (``components/page_shell``) turns a click or a search into a
    same-session navigation, as ``st.page_link`` and ``st.switch_page`` did.  ``current`` is the file of
    the page being drawn (``aria-current``)."""
    search = PAGES["search"]
    out = [
        '<div class="app-links side-frame">',
        f'<p class="side-title">{_icon(":material/neurology:")}<strong>{escape(APP_NAME)}</strong></p>',
        f'<form class="side-search" role="search" action="{search.path}" method="get">',
        '<label for="side-search-q">Search everything</label>',
        f'<input id="side-search-q" name="q" type="search" maxlength="200" required="" autocomplete="off" '
        f'placeholder="{escape(SEARCH_PLACEHOLDER)}"/>',
        f'<button type="submit">{_icon(":material/search:")}<span>Search</span></button>',
        "</form>",
        '<nav class="side-nav" aria-label="Pages">',
    ]
    for heading, pages in nav_groups():
        gid = f"side-nav-{heading.lower()}"
        out.append(f'<p class="side-group" id="{gid}">{escape(heading)}</p><ul aria-labelledby="{gid}">')
        for p in pages:
            cur = ' aria-current="page"' if p.file == current else ""
            out.append(f'<li><a href="{p.path}"{cur}>{_icon(p.icon)}<span>{escape(p.label)}</span></a></li>')
        out.append("</ul>")
    out.append(f'</nav><hr/><p class="side-privacy">{escape(PRIVACY)}</p></div>')
    return "".join(out)


@lru_cache(maxsize=64)
def _page_file(filename: str) -> str | None:
    """The route table's file for a script path (None for a script outside the table, e.g. a test app)."""
    try:
        rel = Path(filename).resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return None
    return rel if any(p.file == rel for p in PAGE_LIST) else None


def _sidebar(current: str | None, preload: str | None) -> None:
    with st.sidebar:
        page_shell(preload)  # first: the browser creates its module sooner, the tab shows our icon sooner
        html(sidebar_html(current))
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
