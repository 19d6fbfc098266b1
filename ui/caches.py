"""Everything the app computes once and shares between sessions, keyed by the content version.

The notes are loaded lazily (heads only, :mod:`explorer.content.loader`); one background indexer per
process (:mod:`explorer.notes.indexer`, a daemon thread started here through ``st.cache_resource``)
parses them and keeps the search shards, glossary backlinks and note backlinks current, group by group.
What reads those (search, glossary, backlinks, study cards) takes what is indexed so far and can say
how much (:func:`indexing`); it never waits for the indexer.

Only shipped content goes into these process-wide caches, and every one of them is bounded.
Anything derived from a visitor's uploads lives in that visitor's session instead
(:mod:`ui.notes_view`), so it never outlives the session nor reaches another one.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from explorer import CONTENT_DIR
from explorer.content.loader import Content, content_stamp, load_content
from explorer.content.watch import watch_for


@st.cache_resource(show_spinner=False, max_entries=4)
def _content(key: str, _stamp) -> Content:
    return load_content(CONTENT_DIR, _stamp, parse_all=False)


@st.cache_resource(show_spinner=False)
def _indexer():
    from explorer.notes.indexer import Indexer

    ix = Indexer()
    ix.start()
    return ix


def indexer():
    """The process's one background indexer (:class:`explorer.notes.indexer.Indexer`), started on first use."""
    return _indexer()


def get_content() -> Content:
    """All content, validated; re-read (only the changed files) when a file under content/ changes.

    A file-system watch (:mod:`explorer.content.watch`) says whether anything changed: a run with nothing
    changed stats no file; otherwise (or without events, or every two seconds) one ``stat`` per content file.
    No restart needed after editing a note.  Notes are read lazily; the indexer is handed the content it should index.
    """
    stamp, key = watch_for(CONTENT_DIR, content_stamp).current()
    content = _content(key, stamp)
    indexer().follow(content)
    return content


@st.cache_resource(show_spinner=False, max_entries=8)
def _yaml_version(version: str, _content: Content) -> str:
    p = indexer().plan_of(_content)  # the plan has the YAML files' versions (kept while only notes change)
    files = p.yaml_key if p is not None else sorted((f, v) for f, v in _content.file_versions.items()
                                                    if not f.startswith("notes/"))
    return hashlib.sha1(repr(list(files)).encode()).hexdigest()[:16]


def yaml_version(content: Content) -> str:
    """Changes when a YAML file changes, not when a note does: the key of what is built from YAML alone
    (the glossary matcher, the content's cards, scores), so an edited note does not rebuild them."""
    return _yaml_version(content.version, content)


def indexing(content: Content) -> tuple[int, int]:
    """(notes indexed, notes): what search, the glossary's backlinks and the study cards cover so far."""
    return indexer().progress(content)


@st.cache_resource(show_spinner=False, max_entries=512)
def _figure(name: str, stamp: str, _builder, _args: tuple, _kwargs: dict):
    return _builder(*_args, **_kwargs)


def figure(content: Content, name: str, builder, *args, key: str = "", **kwargs):
    """A chart (or table) built once per process for the same content and selection, then reused.

    Positional ``args`` are content models (they change only with the content version);
    keyword arguments (selections) and ``key`` (anything else that varies) make the cache key.
    The returned object is shared between sessions: never mutate it.
    """
    stamp = f"{content.version}|{key}|{sorted((k, repr(v)) for k, v in kwargs.items())}"
    return _figure(name, stamp, builder, args, kwargs)


table = figure  # the same cache serves DataFrames built from content


@st.cache_resource(show_spinner=False, max_entries=4)
def _matcher(version: str, _content: Content):
    from explorer.notes.glossary_links import build_matcher

    return build_matcher(_content.glossary) if _content.ok("glossary") else None


def term_matcher(content: Content):
    """The glossary matcher (links terms in notes), built once per version of the YAML files."""
    return _matcher(yaml_version(content), content)


def glossary_backlinks(content: Content) -> dict[str, list[tuple[str, str | None]]]:
    """Where each glossary term occurs in the shipped notes indexed so far (see :func:`indexing`)."""
    return indexer().glossary_backlinks(content)[0] if content.ok("glossary") else {}


def search_index(content: Content):
    """The search index over shipped content indexed so far (shared, read-only; ``coverage`` says how much)."""
    return indexer().search_index(content)


def indexed_notes(content: Content):
    """The shipped notes whose derived data is current (parsed), in reading order: for the study cards."""
    return indexer().indexed_notes(content)[0]


@st.cache_resource(show_spinner=False, max_entries=4)
def _cards(version: str, _content: Content):
    from explorer.study.cards import generate_cards

    return generate_cards(_content)


def cards(content: Content):
    """Every flashcard the shipped content supports."""
    return _cards(yaml_version(content), content)


@st.cache_resource(show_spinner=False, max_entries=512)
def _evaluate(key: str, _assessment, _vendors, _answers, _na):
    from explorer.assess.scoring import evaluate

    return evaluate(_assessment, _vendors, _answers, _na)


def evaluation(content: Content, assessment, vendors, answers: dict[str, int], na=()):
    """Self-assessment result for an answer set and its "does not apply" questions (pure; computed once
    per distinct answer set; the key holds only answer indexes and question ids, never a visitor's text)."""
    na = frozenset(na)
    key = f"{yaml_version(content)}|{sorted(answers.items())}|{sorted(na)}"
    return _evaluate(key, assessment, vendors, dict(answers), na)


@st.cache_resource(show_spinner=False, max_entries=4)
def _vault_index(refs: str, _content: Content):
    from explorer.notes.vault_links import VaultIndex, image_paths, note_refs

    return VaultIndex(note_refs(_content.notes), image_paths(_content.root / "notes"))


@st.cache_resource(show_spinner=False, max_entries=4)
def _vault(version: str, _content: Content):
    from explorer.notes.vault_links import Vault

    p = indexer().plan_of(_content)  # its key is kept by the indexer's plan: no pass over the notes after an edit
    refs = str(p.refs_key if p is not None else hash(tuple((n.path, n.id, n.title) for n in _content.notes)))
    return Vault(_vault_index(refs, _content), _content.note, version)


def vault(content: Content):
    """What ``[[links]]`` in shipped notes resolve against (:class:`explorer.notes.vault_links.Vault`), once per
    content version: the index of the notes' paths, ids and titles and the image files' paths is built again
    only when one of those changed (an edit of a note's text keeps it: a 1,000-note index costs ~100 ms)."""
    return _vault(content.version, content)


def note_backlinks(content: Content):
    """Which shipped notes link to each shipped note (:func:`explorer.notes.backlinks.build_backlinks`), over the
    notes indexed so far (:func:`indexing`); kept current note group by note group by the indexer."""
    return indexer().note_backlinks(content)[0]
