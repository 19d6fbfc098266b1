"""The reader's note list as a folder tree, its filter box, and the breadcrumb above a note.

The tree is one ``st.html`` block of nested ``<details>`` (collapsible without a rerun, cheap for 1,000
notes: no widget per note); its links are plain ``?note=`` links, which the page shell keeps in the
session and writes to the address bar, as links inside notes are.  The logic (folders, order, landing
notes, filter, breadcrumb) is :mod:`explorer.notes.tree`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import streamlit as st

from explorer.notes.note import Note
from explorer.notes.render import note_url
from explorer.notes.tree import UPLOADS_FOLDER, Folder, branch_of, breadcrumb, build_tree, filter_tree

from .widgets import html, literal

FILTER_FROM = 15  # notes: from this many on, a filter box stands over the tree
OPEN_ALL_UP_TO = 12  # notes: a tree this small shows every folder open
FILTER_KEY = "tree_filter"
_TREE = "_note_tree"  # session_state: (what the tree was built from, the tree); uploads make it per session


def notes_tree(notes: Sequence[Note]) -> Folder:
    """The folder tree of ``notes``, built once per change of the notes (the list and the breadcrumb share it)."""
    key = tuple((n.id, n.path, n.title, n.order, n.week, n.source) for n in notes)
    memo = st.session_state.get(_TREE)
    if memo is None or memo[0] != key:
        memo = st.session_state[_TREE] = (key, build_tree(notes))
    return memo[1]


def _href(note_id: str) -> str:
    return escape(note_url(note_id))


def _count(n: int) -> str:
    return f'<span class="tree-count" title="{n} note{"s" if n != 1 else ""}">{n}</span>'


def _leaf(n: Note, current: str | None, read: Mapping[str, frozenset[str]]) -> str:
    sections = n.known_sections()  # a listing never parses a note (an upload is parsed when it is opened)
    marks = len(read.get(n.id, frozenset()) & {s.id for s in sections})
    badge = f' <span class="nav-badge">{marks}/{len(sections)} read</span>' if marks else ""
    cur = ' aria-current="page"' if n.id == current else ""
    tip = f' title="{escape(n.summary)}"' if n.summary else ""
    return f'<li><a href="{_href(n.id)}"{cur}{tip}>{escape(n.title)}</a>{badge}</li>'


def tree_html(tree: Folder, current: str | None, read: Mapping[str, frozenset[str]], open_paths) -> str:
    """The tree as one ``<nav>``: a ``<details>`` per folder (open when its path is in ``open_paths``), its
    name (a link to its landing note, if it has one) and its count, then its notes and folders."""
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
        out.extend(_leaf(n, current, read) for n in f.notes)
        for sub in f.folders:
            folder(sub)

    body(tree)
    out.append("</ul></nav>")
    return "".join(out)


def note_tree(notes: Sequence[Note], current: Note | None, read: Mapping[str, frozenset[str]]) -> None:
    """Draw the filter box (for more than a few notes) and the tree: every folder open in a small tree or when
    filtered, else the current note's branch, "Your uploads" and the week groups."""
    tree = notes_tree(notes)
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
    html(tree_html(shown, current.id if current else None, read, open_paths))


def breadcrumb_html(notes: Sequence[Note], note: Note) -> str:
    """The folders above a note in a vault (links where a folder has a landing note); "" for a note at the top
    (the shipped notes: their week is on the line under the title)."""
    if not note.folder:
        return ""
    crumbs = breadcrumb(notes_tree(notes), note)
    if not crumbs:
        return ""
    items = []
    for name, landing in crumbs:
        text = escape(name)
        items.append(f'<li><a href="{_href(landing.id)}">{text}</a></li>' if landing is not None and landing.id != note.id
                     else f"<li><span>{text}</span></li>")
    return f'<nav class="app-links note-crumbs" aria-label="Folder"><ol>{"".join(items)}</ol></nav>'


def show_breadcrumb(notes: Sequence[Note], note: Note) -> None:
    crumbs = breadcrumb_html(notes, note)
    if crumbs:
        html(crumbs)
