"""The notes as a folder tree: natural order, front matter order, landing notes, a filter, breadcrumbs.

Pure logic for the reader's note list (drawn by ``ui/note_tree_view.py``):

* **Folders** come from each note's path under the notes folder (``Lectures/3/Notes/x.md``), as in an
  Obsidian vault or a GitHub repository.  A note at the top of the notes folder that names a ``week`` in
  its front matter sits in a folder "Week N" (the shipped notes are written that way: the reader grouped
  them by week before it had folders, and keeps that look).  A visitor's uploads sit in "Your uploads",
  with their own folders below it.
* **Order** inside a folder: first what front matter orders (``order``, or its aliases ``weight`` and
  ``nav_order``, read by :mod:`explorer.notes.front_matter`), by that number, as Jekyll's ``nav_order``
  does; then everything else in natural order (:func:`natural_key`: ``L1_2`` before ``L1_10``,
  ``Week 2`` before ``Week 10``, case ignored).  Folders sort among themselves by name, in natural order.
* **Landing notes**: a folder's own ``index.md`` or ``README.md`` (any case, ``.markdown`` too) is the
  folder's landing note.  It is not listed among the folder's notes; the folder's name links to it.
* **Filter** (:func:`filter_tree`): every word must occur in a note's title or its path (case ignored);
  folders with no match drop out, and every folder left is a branch to keep open.

Building the tree is one pass over the notes and a sort per folder; a 1,000-note vault takes a few
milliseconds (tests/test_note_tree.py checks the shape, ``bench`` the time).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

LANDING_NAMES = frozenset({"index", "readme"})
LANDING_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
UPLOADS_FOLDER = "Your uploads"
UNORDERED = 10_000  # what explorer.notes.note.Note.order is when front matter sets none
_NUM_RE = re.compile(r"(\d+)")


class NoteLike(Protocol):
    """What the tree needs of a note (:class:`explorer.notes.note.Note` has it)."""

    id: str
    title: str
    path: str
    week: int | None
    order: int
    source: str


@lru_cache(maxsize=16_384)  # names repeat on every run of the Notes page
def natural_key(text: str) -> tuple:
    """A sort key that compares runs of digits as numbers (``L1_2`` < ``L1_10``, ``Week 2`` < ``Week 10``).

    Case and the separators ``_``, ``-`` and space are ignored for the comparison (``week_2`` sorts with
    ``Week 2``); the text itself breaks ties, so the order is total and stable."""
    folded = re.sub(r"[\s_-]+", " ", text.casefold()).strip()
    parts = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in _NUM_RE.split(folded) if p)
    return parts, text


def _name(path: str) -> str:
    return path.rsplit("/", 1)[-1]


def _stem(path: str) -> str:
    name = _name(path)
    stem, dot, _ = name.rpartition(".")
    return stem if dot and stem else name


def is_landing(path: str) -> bool:
    """True for a folder's own ``index.md`` / ``README.md`` (the folder's landing note)."""
    name = _name(path)
    stem, dot, suffix = name.rpartition(".")
    return bool(dot) and stem.casefold() in LANDING_NAMES and f".{suffix.casefold()}" in LANDING_SUFFIXES


def _dirs(note: NoteLike) -> tuple[str, ...]:
    return tuple(p for p in (note.path or note.id).split("/")[:-1] if p not in ("", ".", ".."))  # paths are POSIX


def folder_parts(note: NoteLike) -> tuple[str, ...]:
    """The folders a note sits in, from the top of the tree (see the module doc)."""
    parts = _dirs(note)
    if note.source == "upload":
        return (UPLOADS_FOLDER, *parts)
    if not parts and note.week is not None:
        return (f"Week {note.week}",)
    return parts


@dataclass
class Folder:
    """One folder of the tree (the root has the name "" and the path ())."""

    name: str
    path: tuple[str, ...]
    landing: NoteLike | None = None
    folders: list[Folder] = field(default_factory=list)
    notes: list[NoteLike] = field(default_factory=list)
    count: int = 0  # notes in this folder and every folder under it, landing notes included
    week_group: bool = False  # "Week N": top-level notes grouped by their front matter week (not a folder on disk)
    _branches: dict[str, frozenset[tuple[str, ...]]] | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def key(self) -> str:
        """The folder's path as one string ("Lectures/3")."""
        return "/".join(self.path)

    def walk(self) -> Iterable[Folder]:
        yield self
        for f in self.folders:
            yield from f.walk()


def _note_key(note: NoteLike) -> tuple:
    ordered = note.order if note.order != UNORDERED else None
    name = _stem(note.path) if note.path else note.title
    return (0 if ordered is not None else 1, ordered or 0, natural_key(name), note.id)


def build_tree(notes: Sequence[NoteLike]) -> Folder:
    """The folder tree of ``notes`` (see the module doc for folders, order and landing notes).

    A folder with two landing notes (``index.md`` and ``README.md``) keeps the first by natural order and
    lists the other as a note."""
    root = Folder("", ())
    by_path: dict[tuple[str, ...], Folder] = {(): root}

    def folder(path: tuple[str, ...]) -> Folder:
        f = by_path.get(path)
        if f is None:
            parent = folder(path[:-1])
            f = by_path[path] = Folder(path[-1], path)
            parent.folders.append(f)
        return f

    landings: dict[tuple[str, ...], list[NoteLike]] = {}
    for n in notes:
        parts = folder_parts(n)
        f = folder(parts)
        if len(parts) == 1 and n.source != "upload" and not _dirs(n) and n.week is not None:
            f.week_group = True
        if parts and is_landing(n.path):
            landings.setdefault(parts, []).append(n)
        else:
            f.notes.append(n)
    for parts, cands in landings.items():
        cands.sort(key=lambda n: natural_key(_name(n.path)))
        by_path[parts].landing = cands[0]
        by_path[parts].notes.extend(cands[1:])
    _finish(root)
    return root


def _finish(f: Folder) -> int:
    f.folders.sort(key=lambda x: (x.name == UPLOADS_FOLDER, natural_key(x.name)))
    f.notes.sort(key=_note_key)
    f.count = len(f.notes) + (f.landing is not None) + sum(_finish(sub) for sub in f.folders)
    return f.count


def ordered_notes(tree: Folder) -> list[NoteLike]:
    """Every note in the tree's reading order (a folder's landing note first, then its notes, then its folders)."""
    out: list[NoteLike] = []

    def visit(f: Folder) -> None:
        if f.landing is not None:
            out.append(f.landing)
        out.extend(f.notes)
        for sub in f.folders:
            visit(sub)

    visit(tree)
    return out


def branch_of(tree: Folder, note_id: str | None) -> frozenset[tuple[str, ...]]:
    """The paths of the folders that hold ``note_id`` (its branch: the folders to keep open).

    A lookup: every note's branch is listed on the first call for a tree (a built tree is not changed
    afterwards), so a page run does not walk a vault's tree to open the current note's folders."""
    if note_id is None:
        return frozenset()
    branches = tree._branches
    if branches is None:
        branches = {}
        for f in tree.walk():
            branch = frozenset(f.path[:i] for i in range(1, len(f.path) + 1))
            for n in ([f.landing] if f.landing is not None else []) + f.notes:
                branches.setdefault(n.id, branch)  # the first folder that holds it, in the tree's order
        tree._branches = branches
    return branches.get(note_id, frozenset())


def _words(query: str) -> list[str]:
    return [w for w in query.casefold().split() if w][:20]


def _matches(note: NoteLike, folder: tuple[str, ...], words: list[str]) -> bool:
    hay = " ".join((note.title, "/".join(folder), note.path)).casefold()
    return all(w in hay for w in words)


def filter_tree(tree: Folder, query: str) -> Folder | None:
    """A copy of ``tree`` with the notes whose title or path has every word of ``query`` (case ignored).

    Folders without a match are left out; a folder whose landing note does not match keeps its link
    only when something under it matches.  None when nothing matches; the tree itself for an empty query."""
    words = _words(query)
    if not words:
        return tree

    def visit(f: Folder) -> Folder | None:
        notes = [n for n in f.notes if _matches(n, f.path, words)]
        folders = [c for c in (visit(sub) for sub in f.folders) if c is not None]
        landing_hit = f.landing is not None and _matches(f.landing, f.path, words)
        if not notes and not folders and not landing_hit:
            return None
        out = Folder(f.name, f.path, f.landing, folders, notes)
        out.count = len(notes) + landing_hit + sum(c.count for c in folders)
        return out

    return visit(tree)


def breadcrumb(tree: Folder, note: NoteLike) -> list[tuple[str, NoteLike | None]]:
    """The folders above ``note``, from the top: (name, the folder's landing note or None).

    A landing note's own crumb ends at its parent folder (its folder is the note itself)."""
    parts = folder_parts(note)
    if parts and is_landing(note.path):
        landing = _landing_of(tree, parts)  # by id: a shared tree may hold an older object of the same note
        parts = parts[:-1] if landing is not None and landing.id == note.id else parts
    out = []
    f = tree
    for name in parts:
        f = next((sub for sub in f.folders if sub.name == name), None)
        if f is None:
            break
        out.append((name, f.landing))
    return out


def _landing_of(tree: Folder, parts: tuple[str, ...]) -> NoteLike | None:
    f: Folder | None = tree
    for name in parts:
        f = next((sub for sub in f.folders if sub.name == name), None) if f else None
    return f.landing if f else None


def folder_label(note: NoteLike) -> str:
    """The folder path shown beside a note (a breadcrumb as text): "Lectures › 3 › Notes", or ""."""
    return " › ".join(folder_parts(note))
