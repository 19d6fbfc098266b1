"""The Search page's view: the query box (``?q=``), typo corrections, "did you mean", the notes searched so
far while a background indexer runs, and the hits grouped by folder with the matched text.

The query box is bound to ``?q=`` by Streamlit; ``?kinds=`` (the kinds of result shown) goes through
:mod:`ui.urlstate`.  While the shared index is incomplete (``SearchIndex.coverage``), the results are drawn
in a fragment that reruns itself every :data:`POLL_SECONDS` (it says "searched 420 of 1,000 notes" and fills
in); once the index is complete it reruns the page once, which draws the results without the timer.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path

import streamlit as st

from explorer.content.loader import Content
from explorer.notes.render import sanitize_snippet
from explorer.notes.search import MAX_QUERY_CHARS, Hit, SearchIndex, SearchResult, note_records
from explorer.notes.search_shard import Shard
from explorer.routes import kind_icon, kind_label

from . import pagestate, urlstate
from .caches import search_index
from .notes_view import uploaded_notes
from .widgets import html, literal

PAGE = "pages/2_Search.py"
POLL_SECONDS = 1.0
LIMIT = 60
GROUP_ICONS = {"notes": ":material/folder:", "uploads": ":material/upload_file:", "content": ":material/dataset:"}


@dataclass
class SearchState:
    """This session's uploads as one search shard (rebuilt only when they change), added to the shared index."""

    key: tuple | None = None
    shard: Shard | None = None
    combined: tuple | None = None  # (a weak reference to the shared index, this shard, the two as one index)
    last: tuple | None = None  # (index, query, limit, result): a rerun of the same search on the same index

    def index_for(self, base: SearchIndex, uploads: list) -> SearchIndex:
        if not uploads:
            return base
        key = tuple((n.digest, n.parsed) for n in uploads)  # an upload opened since: its sections
        if self.key != key:
            records = [r for n in uploads for r in note_records(n)]
            self.key, self.shard = key, Shard.build(records) if records else None
        if self.shard is None:
            return base
        # the shared index is a new object each time the indexer has done more: the uploads' shard is kept
        if self.combined is None or self.combined[0]() is not base or self.combined[1] is not self.shard:
            self.combined = (weakref.ref(base), self.shard, SearchIndex((*base.shards, self.shard), coverage=base.coverage))
        return self.combined[2]

    def search(self, index: SearchIndex, query: str, limit: int) -> SearchResult:
        """``index.search``, kept for this session's next run while the index (the indexer hands out the same
        object while nothing changed) and the query are the same: a rerun (a kind picked, the page again) costs
        no search.  Only this session's own query is kept, in its session."""
        last = self.last  # the index by a weak reference: an idle session must not keep an index the indexer replaced
        if last is None or last[0]() is not index or last[1:3] != (query, limit):
            last = self.last = (weakref.ref(index), query, limit, index.search(query, limit=limit))
        return last[3]


def state() -> SearchState:
    return pagestate.held("_search_page", SearchState)


def session_index(content: Content) -> SearchIndex:
    """The shared index over the shipped notes (possibly still being filled) plus this session's uploads."""
    return state().index_for(search_index(content), uploaded_notes())


def query_box() -> str:
    """The search box, bound to ``?q=`` (a notice when a link's query is too long)."""
    urlstate.check("q", what="search text", max_chars=MAX_QUERY_CHARS, cuts=True)
    query = st.text_input("Search the notes, ladders, certifications, trends and glossary", key="q",
                          bind="query-params", max_chars=MAX_QUERY_CHARS,
                          placeholder='e.g. drift, "feature store", retraining trigger',
                          on_change=urlstate.push, args=("kinds", None), kwargs={"redraw": True})  # new search: every kind
    st.caption("Tips: all words must match; put a phrase in double quotes for an exact match (typos are "
               "forgiven outside quotes). Titles and headings rank above body text.")
    return query


@lru_cache(maxsize=1)
def _css() -> str:
    return "<style>\n" + (Path(__file__).with_name("search.css")).read_text(encoding="utf-8") + "\n</style>"


def results(content: Content, query: str) -> None:
    """The results of ``query``: drawn once, or in a self-refreshing fragment while notes are being indexed."""
    html(_css())
    if session_index(content).complete:
        _results(content, query, False)
    else:
        st.fragment(_results, run_every=POLL_SECONDS)(content, query, True)


def coverage_text(coverage: tuple[int, int]) -> str:
    done, total = coverage
    return f"Searched {done:,} of {total:,} notes so far: the rest are being indexed, and results fill in as they are."


def _results(content: Content, query: str, polling: bool) -> None:
    index = session_index(content)
    if polling and index.complete:
        st.rerun()  # the whole page again, now without the timer
    result = state().search(index, query, LIMIT)
    if index.coverage is not None and not index.complete:
        st.info(coverage_text(index.coverage), icon=":material/hourglass_top:")
    _corrections(result)
    hits = _kinds_filter(list(result.hits))
    more = f" (showing the best {len(result.hits)})" if result.total > len(result.hits) else ""
    st.caption(f"{result.total} result(s) for “{literal(query, 120)}”{more}")
    if result.partial:
        st.info("No single entry contains every word; these contain some of them.", icon=":material/info:")
    if not hits and not result.suggestion:
        so_far = " in the notes searched so far" if index.coverage is not None and not index.complete else ""
        st.info(f"Nothing matched{so_far}. Try fewer words, or check the spelling.", icon=":material/search_off:")
    shown = {h.key for h in hits}
    for group in result.groups:
        group_hits = [h for h in group.hits if h.key in shown]
        if group_hits:
            st.subheader(f"{GROUP_ICONS[group.kind]} {literal(group.label, 200)}", anchor=False)
            html(hits_html(group_hits))


def _corrections(result: SearchResult) -> None:
    for typed, words in result.corrections:
        said = ", ".join(f"**{literal(w, 60)}**" for w in words)
        st.caption(f":material/spellcheck: No entry has “{literal(typed, 60)}”: searched for {said} instead.")
    if result.suggestion:
        st.button(f"Did you mean: **{literal(result.suggestion, 160)}**", icon=":material/spellcheck:", type="tertiary",
                  on_click=_run_instead, args=(result.suggestion,))


def _run_instead(query: str) -> None:
    st.session_state["q"] = query
    urlstate.push("kinds", None, redraw=True)


def _kinds_filter(hits: list[Hit]) -> list[Hit]:
    kinds = list(dict.fromkeys(h.kind for h in hits))
    if len(kinds) < 2:
        return hits
    # a comma list in the URL (links already shared use it); a kind this search does not have is left out quietly
    shown = urlstate.follow_list("kinds", kinds, what="kinds of result", empty=kinds, quiet=True)
    chosen = st.pills("Show", kinds, format_func=kind_label, selection_mode="multi", default=shown,
                      **urlstate.list_widget("kinds", "kinds:" + ",".join(kinds), kinds))  # other kinds, another widget
    return [h for h in hits if h.kind in (chosen or kinds)]


def hits_html(hits: list[Hit]) -> str:
    """A group's hits as one list of plain links that the page shell keeps in the session (class ``app-links``):
    one history entry per move, so Back returns to these results (``st.page_link`` adds two entries when
    it changes the page: ``ui/streamlit_facts.py``, fact 1).  Titles and snippets are escaped by the search
    module before matches are marked; sanitising again keeps only ``<mark>`` and text."""
    out = ['<ul class="app-links search-hits">']
    for h in hits:
        icon = kind_icon(h.kind).removeprefix(":material/").removesuffix(":")
        meta = kind_label(h.kind) + (f" · {h.context[:160]}" if h.context else "")
        snippet = f'<div class="search-snippet">{sanitize_snippet(h.snippet_html)}</div>' if h.snippet_html else ""
        out.append(f'<li class="search-hit"><a href="{escape(h.url)}"><span class="side-icon" aria-hidden="true">'
                   f'{escape(icon)}</span><span class="search-title">{sanitize_snippet(h.title_html)}</span></a>'
                   f'<div class="search-meta">{escape(meta)}</div>{snippet}</li>')
    out.append("</ul>")
    return "".join(out)
