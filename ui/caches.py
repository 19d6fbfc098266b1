"""Everything the app computes once and shares between sessions, keyed by the content version.

Only shipped content goes into these process-wide caches, and every one of them is bounded.
Anything derived from a visitor's uploads lives in that visitor's session instead
(:mod:`ui.notes_view`), so it never outlives the session nor reaches another one.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import streamlit as st

from explorer import CONTENT_DIR
from explorer.loader import Content, content_stamp, load_content


@st.cache_resource(show_spinner=False, max_entries=4)
def _content(key: str, _stamp) -> Content:
    return load_content(CONTENT_DIR, _stamp)


def get_content() -> Content:
    """All content, parsed and validated; re-read (only the changed files) when a file under content/ changes.

    Costs one ``stat`` per content file per call (see ``bench/``): no restart needed after editing a note.
    """
    stamp = content_stamp(CONTENT_DIR)
    return _content(hashlib.sha1(repr(stamp).encode()).hexdigest(), stamp)


class _Lru:
    """A process-wide cache of at most ``size`` values, least recently used out first, thread-safe.

    Used for the charts: a hit costs a dict lookup, where ``st.cache_resource`` hashes its arguments
    and takes its own locks (about 0.3 ms per chart per rerun, measured under AppTest)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple, build):
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = build()  # outside the lock: a slow build never blocks other sessions' hits
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self._size:
                self._items.popitem(last=False)
        return value

    def __len__(self) -> int:
        return len(self._items)

    def values(self) -> list:
        with self._lock:
            return list(self._items.values())

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


_built = _Lru(512)


def figure(content: Content, name: str, builder, *args, key: str = "", **kwargs):
    """A chart (or table) built once per process for the same content and selection, then reused.

    Positional ``args`` are content models (they change only with the content version);
    keyword arguments (selections) and ``key`` (anything else that varies) make the cache key.
    The returned object is shared between sessions: never mutate it.
    """
    stamp = f"{content.version}|{key}|{sorted((k, repr(v)) for k, v in kwargs.items())}"
    return _built.get((name, stamp), lambda: builder(*args, **kwargs))


table = figure  # the same cache serves DataFrames built from content


def clear_figures() -> None:
    """Empty the chart cache (tests start each case clean, as with ``st.cache_resource.clear()``)."""
    _built.clear()


@st.cache_resource(show_spinner=False, max_entries=4)
def _matcher(version: str, _content: Content):
    from explorer.glossary_links import build_matcher

    return build_matcher(_content.glossary) if _content.ok("glossary") else None


def term_matcher(content: Content):
    """The glossary matcher (links terms in notes), built once per content version."""
    return _matcher(content.version, content)


@st.cache_resource(show_spinner=False, max_entries=4)
def _backlinks(version: str, _content: Content) -> dict[str, list[tuple[str, str | None]]]:
    from explorer.glossary_links import backlinks

    return backlinks(_content.notes, _content.glossary)


def glossary_backlinks(content: Content) -> dict[str, list[tuple[str, str | None]]]:
    """Where each glossary term occurs in the shipped notes."""
    return _backlinks(content.version, content) if content.ok("glossary") else {}


@st.cache_resource(show_spinner=False, max_entries=4)
def _search_index(version: str, _content: Content):
    from explorer.search import SearchIndex

    return SearchIndex.build(_content)


def search_index(content: Content):
    """The search index over shipped content (shared, read-only)."""
    return _search_index(content.version, content)


@st.cache_resource(show_spinner=False, max_entries=4)
def _cards(version: str, _content: Content):
    from explorer.cards import generate_cards

    return generate_cards(_content)


def cards(content: Content):
    """Every flashcard the shipped content supports."""
    return _cards(content.version, content)


@st.cache_resource(show_spinner=False, max_entries=512)
def _evaluate(key: str, _assessment, _vendors, _answers, _na):
    from explorer.assessment import evaluate

    return evaluate(_assessment, _vendors, _answers, _na)


def evaluation(content: Content, assessment, vendors, answers: dict[str, int], na=()):
    """Self-assessment result for an answer set and its "does not apply" questions (pure; computed once
    per distinct answer set; the key holds only answer indexes and question ids, never a visitor's text)."""
    na = frozenset(na)
    key = f"{content.version}|{sorted(answers.items())}|{sorted(na)}"
    return _evaluate(key, assessment, vendors, dict(answers), na)
