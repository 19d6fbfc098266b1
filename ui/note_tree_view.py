"""The reader's note list as a folder tree, its filter box, and the breadcrumb above a note.

The tree is one ``st.html`` block of nested ``<details>`` (collapsible without a rerun, cheap for 1,000
notes: no widget per note); its links are plain ``?note=`` links, which the page shell keeps in the
session and writes to the address bar, as links inside notes are.  The logic (folders, order, landing
notes, filter, breadcrumb) is :mod:`explorer.notes.tree`.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from threading import Lock

import streamlit as st

from explorer.notes.note import Note
from explorer.notes.render import note_url
from explorer.notes.tree import UPLOADS_FOLDER, Folder, branch_of, breadcrumb, build_tree, filter_tree

from .widgets import html, literal

FILTER_FROM = 15  # notes: from this many on, a filter box stands over the tree
OPEN_ALL_UP_TO = 12  # notes: a tree this small shows every folder open
FILTER_KEY = "tree_filter"
_TREE = "_note_tree"  # session_state: (what the tree was built from, the tree); uploads make it per session
_HTML = "_note_tree_html"  # session_state: the last few drawn trees (key -> (tree, HTML))
_HTML_KEPT = 4


def _shape(n: Note) -> tuple:
    """What the tree shows of a note (an edit of its text alone changes none of it)."""
    return (n.id, n.path, n.title, n.order, n.week, n.source, n.summary)


class _Shapes:
    """The shapes of the last shipped notes seen, and their key: a new version whose notes differ from the last
    only by notes edited in place (the same count, the others the same objects) makes those notes' shapes alone."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._notes: tuple[Note, ...] = ()
        self._shapes: list[tuple] = []

    def key(self, notes: tuple[Note, ...]) -> int:
        with self._lock:
            if len(notes) == len(self._notes) and notes:
                shapes = list(self._shapes)
                for i, (a, b) in enumerate(zip(self._notes, notes)):
                    if a is not b:
                        shapes[i] = _shape(b)
            else:
                shapes = [_shape(n) for n in notes]
            self._notes, self._shapes = notes, shapes
            return hash(tuple(shapes))  # an in-process key


@st.cache_resource(show_spinner=False)
def _shapes() -> _Shapes:
    return _Shapes()


@st.cache_resource(show_spinner=False, max_entries=8)
def _shape_key(version: str, _notes: tuple[Note, ...]) -> int:
    return _shapes().key(_notes)


@st.cache_resource(show_spinner=False, max_entries=4)
def _shipped_tree(shape: int, _notes: Sequence[Note]) -> Folder:
    return build_tree(_notes)


def _shipped_count(notes: Sequence[Note]) -> int:
    """How many notes lead ``notes`` before this session's uploads (which follow the content's notes)."""
    k = len(notes)
    while k and notes[k - 1].source == "upload":
        k -= 1
    return k


def _tree_key(notes: Sequence[Note], version: str | None) -> tuple:
    if version is None:
        return tuple(_shape(n) for n in notes)
    k = _shipped_count(notes)
    return (_shape_key(version, tuple(notes[:k])), *(_shape(n) for n in notes[k:]))


@dataclass(frozen=True)
class ReaderTree:
    """The folder tree of the notes a page lists, made once per page run (the list and the breadcrumb share it).
    ``shape``: the key of the shipped notes' shared tree when ``notes`` are the shipped notes alone, else None."""

    folder: Folder
    shape: int | None = None


def notes_tree(notes: Sequence[Note], version: str | None = None) -> ReaderTree:
    """The folder tree of ``notes``, built once per change of what it shows.

    ``version``: the content's version (``notes`` are then the content's notes, in its order, followed by this
    session's uploads).  The shipped notes' tree is built once per process and shape (what it shows of each
    note: an edit of a note's text alone keeps it; every session shares it; it is never changed); a tree with
    uploads is kept in the session.  The tree's notes may be older objects than the content's (same shape):
    read badges come from the current notes (:func:`note_tree`)."""
    key = _tree_key(notes, version)
    if version is not None and len(key) == 1:
        return ReaderTree(_shipped_tree(key[0], tuple(notes)), key[0])
    memo = st.session_state.get(_TREE)
    if memo is None or memo[0] != key:
        memo = st.session_state[_TREE] = (key, build_tree(notes))
    return ReaderTree(memo[1])


def _href(note_id: str) -> str:
    return escape(note_url(note_id))


def _count(n: int) -> str:
    return f'<span class="tree-count" title="{n} note{"s" if n != 1 else ""}">{n}</span>'


def _badge(n: Note, read: Mapping[str, frozenset[str]]) -> tuple[int, int]:
    """(sections marked read, sections known) of a note the learner marked something in; (0, 0) otherwise."""
    marked = read.get(n.id)
    if not marked:
        return 0, 0
    sections = n.known_sections()  # a listing never parses a note (an upload is parsed when it is opened)
    return len(marked & {s.id for s in sections}), len(sections)


def _leaf(n: Note, current: str | None, read: Mapping[str, frozenset[str]], badges: Mapping | None = None) -> str:
    marks, known = _badge(n, read) if badges is None else badges.get(n.id, (0, 0))
    badge = f' <span class="nav-badge">{marks}/{known} read</span>' if marks else ""
    cur = ' aria-current="page"' if n.id == current else ""
    tip = f' title="{escape(n.summary)}"' if n.summary else ""
    return f'<li><a href="{_href(n.id)}"{cur}{tip}>{escape(n.title)}</a>{badge}</li>'


def tree_html(tree: Folder, current: str | None, read: Mapping[str, frozenset[str]], open_paths,
              badges: Mapping[str, tuple[int, int]] | None = None) -> str:
    """The tree as one ``<nav>``: a ``<details>`` per folder (open when its path is in ``open_paths``), its
    name (a link to its landing note, if it has one) and its count, then its notes and folders.  ``badges``:
    note id -> (sections marked, sections known), when given (else worked out from ``read`` and the tree's notes)."""
    out: list[str] = ['<nav class="app-links reader-nav note-tree" aria-label="Notes"><ul class="tree-top">']

    def folder(f: Folder) -> None:
        is_open = " open" if f.path in open_paths else ""
        if f.landing is not None:  # the name is a link beside the toggle (a link inside <summary> is nested-interactive)
            cur = ' aria-current="page"' if f.landing.id == current else ""
            out.append(f'<li class="tree-folder has-landing"><a class="tree-landing" href="{_href(f.landing.id)}"{cur}>'
                       f'{escape(f.name)}</a> {_count(f.count)}<details{is_open}>'
                       f'<summary aria-label="Notes in {escape(f.name)}"></summary><ul>')
        else:
            out.append(f'<li class="tree-folder"><details{is_open}><summary><span class="tree-name">{escape(f.name)}</span> '
                       f"{_count(f.count)}</summary><ul>")
        body(f)
        out.append("</ul></details></li>")

    def body(f: Folder) -> None:
        out.extend(_leaf(n, current, read, badges) for n in f.notes)
        for sub in f.folders:
            folder(sub)

    body(tree)
    out.append("</ul></nav>")
    return "".join(out)


def _badges(notes_by_id: Mapping[str, Note], read: Mapping[str, frozenset[str]]) -> dict[str, tuple[int, int]]:
    """What the tree's read badges show: note id -> (marked, known) for each note the learner marked in."""
    return {nid: _badge(n, read) for nid in read if (n := notes_by_id.get(nid)) is not None}


def _drawn(tree: Folder, shape: int | None, current: str | None, badges: dict[str, tuple[int, int]],
           open_paths, query: str) -> str:
    """:func:`tree_html`, kept for the same tree, current note, open folders, filter and read badges: the last
    few in the session, and for the shipped notes with no badge, once per process (a page run with nothing
    changed draws no note of the tree again)."""
    read_key = tuple(sorted(badges.items()))
    if shape is not None and not read_key:  # the shipped notes' own tree (no upload, no filter)
        return _shared_html(shape, current, tuple(sorted(open_paths)), tree)
    key = (id(tree), current, frozenset(open_paths), query, read_key)
    memo = st.session_state.setdefault(_HTML, {})
    hit = memo.get(key)
    if hit is not None and hit[0] is tree:
        return hit[1]
    out = tree_html(tree, current, {}, open_paths, badges)
    while len(memo) >= _HTML_KEPT:
        memo.pop(next(iter(memo)))
    memo[key] = (tree, out)
    return out


@st.cache_resource(show_spinner=False, max_entries=64)
def _shared_html(shape: int, current: str | None, open_paths: tuple, _tree: Folder) -> str:
    """Keyed by the shape of the shipped notes (the key of :func:`_shipped_tree`, which built ``_tree``)."""
    return tree_html(_tree, current, {}, set(open_paths))


def note_tree(reader_tree: ReaderTree, notes: Sequence[Note], current: Note | None,
              read: Mapping[str, frozenset[str]], *, by_id: Mapping[str, Note]) -> None:
    """Draw the filter box (for more than a few notes) and the tree: every folder open in a small tree or when
    filtered, else the current note's branch, "Your uploads" and the week groups.  ``reader_tree``: the tree of
    ``notes`` (:func:`notes_tree`); ``by_id``: ``notes`` by id (:class:`NotesById`: no dict of every note made per run)."""
    tree, shape = reader_tree.folder, reader_tree.shape
    query = ""
    if len(notes) >= FILTER_FROM:
        query = st.text_input("Filter the notes", key=FILTER_KEY, placeholder="Title or folder", max_chars=100,
                              icon=":material/filter_list:", help="Shows the notes whose title or folder has every word")
    shown = filter_tree(tree, query)
    if shown is None:
        st.caption(f"No note has “{literal(query, 60)}” in its title or folder.")
        return
    if shown is not tree or len(notes) <= OPEN_ALL_UP_TO:
        open_paths = {f.path for f in shown.walk()}
    else:
        # the current note's branch, the learner's own uploads (their first level), and the week groups of notes
        # at the top (the shipped notes' look before there were folders: a list per week)
        open_paths = set(branch_of(tree, current.id if current else None)) | {(UPLOADS_FOLDER,)}
        open_paths |= {f.path for f in tree.folders if f.week_group}
    badges = _badges(by_id, read) if read else {}  # the current notes (the tree's may be older)
    html(_drawn(shown, shape if shown is tree else None, current.id if current else None, badges,
                open_paths, query))


class _Known:
    """The known sections of the shipped notes, counted again only for notes parsed since the last count (a parse
    can change a note's count: its head's estimate becomes the real one) and notes an edit replaced (a new version
    whose notes are the last ones but for a few, at the same places)."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._notes: tuple[Note, ...] = ()
        self._counts: list[int] = []  # known sections of each note, in order
        self._total = 0
        self._unparsed: list[int] = []  # places of the notes not parsed when counted

    def total(self, notes: tuple[Note, ...]) -> int:
        with self._lock:
            if notes is not self._notes:
                if len(notes) == len(self._notes) and notes:
                    counts, unparsed = list(self._counts), set(self._unparsed)
                    changed = [i for i, (a, b) in enumerate(zip(self._notes, notes)) if a is not b]
                else:
                    counts, unparsed, changed = [0] * len(notes), set(), range(len(notes))
                for i in changed:
                    counts[i] = len(notes[i].known_sections())
                    if notes[i].parsed:
                        unparsed.discard(i)
                    else:
                        unparsed.add(i)
                self._notes, self._counts, self._total = notes, counts, sum(counts)
                self._unparsed = sorted(unparsed)
            if self._unparsed:  # the notes parsed since: their real count
                still = []
                for i in self._unparsed:
                    n = self._notes[i]
                    if n.parsed:
                        count = len(n.known_sections())
                        self._total += count - self._counts[i]
                        self._counts[i] = count
                    else:
                        still.append(i)
                self._unparsed = still
            return self._total


@st.cache_resource(show_spinner=False)
def _known() -> _Known:
    return _Known()


def _known_total(version: str, _notes: tuple) -> int:
    return _known().total(_notes)


def reading_progress(notes: Sequence[Note], read: Mapping[str, frozenset[str]], content=None) -> tuple[int, int]:
    """(sections marked read, sections known) over ``notes``: the known sections of every note (never parses),
    the marks of the notes the learner marked in only.  With ``content`` (whose notes lead ``notes``), the
    shipped notes' count is worked out again only when a note was parsed or the indexer moved on."""
    if content is not None:
        shipped = len(content.notes)
        total = _known_total(content.version, tuple(content.notes))
        total += sum(len(n.known_sections()) for n in notes[shipped:])
    else:
        total = sum(len(n.known_sections()) for n in notes)
    done = sum(_badge(n, read)[0] for n in notes if n.id in read) if read else 0
    return done, total


def breadcrumb_html(reader_tree: ReaderTree, note: Note) -> str:
    """The folders above a note in a vault (links where a folder has a landing note); "" for a note at the top
    (the shipped notes: their week is on the line under the title)."""
    if not note.folder:
        return ""
    crumbs = breadcrumb(reader_tree.folder, note)
    if not crumbs:
        return ""
    items = []
    for name, landing in crumbs:
        text = escape(name)
        items.append(f'<li><a href="{_href(landing.id)}">{text}</a></li>' if landing is not None and landing.id != note.id
                     else f"<li><span>{text}</span></li>")
    return f'<nav class="app-links note-crumbs" aria-label="Folder"><ol>{"".join(items)}</ol></nav>'


def show_breadcrumb(reader_tree: ReaderTree, note: Note) -> None:
    crumbs = breadcrumb_html(reader_tree, note)
    if crumbs:
        html(crumbs)


class NotesById(Mapping):
    """``{note.id: note}`` over the content's notes followed by this session's uploads (``notes``, as the reader
    lists them; an upload wins over a shipped note with its id), without a dict of every note on each page run:
    the content's own lookup (:meth:`Content.note`) and a dict of the uploads."""

    def __init__(self, content, notes: Sequence[Note]) -> None:
        self._content = content
        self._uploads = {n.id: n for n in notes[len(content.notes):]}
        self._notes = notes

    def __getitem__(self, note_id: str) -> Note:
        n = self._uploads.get(note_id)
        if n is None:
            n = self._content.note(note_id)
        if n is None:
            raise KeyError(note_id)
        return n

    def __contains__(self, note_id: object) -> bool:
        return isinstance(note_id, str) and (note_id in self._uploads or self._content.note(note_id) is not None)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(n.id for n in self._notes))

    def __len__(self) -> int:
        return len(dict.fromkeys(n.id for n in self._notes))
