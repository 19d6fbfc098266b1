"""Load and validate everything under ``content/``, and notice when any of it changes.

``load_content(root)`` never raises for bad content: each file is validated on its own and a
broken file only makes *its* part unavailable.  Pages ask for the parts they need with
:meth:`Content.need`, which raises :class:`ContentUnavailable` (carrying readable errors) if any of
them is broken.  Errors name the file, the path inside it and the reason, with the line.

Live content: :func:`content_stamp` costs one ``stat`` per file (a few hundred microseconds for
the shipped content, 7-20 ms for a 1,000-note vault; the app asks :mod:`explorer.content.watch` for it,
which walks only when the folder's events say something changed); when it changes, :func:`load_content`
re-reads only the files whose size or modification time changed.  A note added, edited, renamed or deleted under ``content/notes/``
(sub-folders included) therefore shows up on the next page run without a restart.

Notes are read lazily: the loader reads each note's head only (front matter and first block, see
:func:`explorer.notes.note.scan_note`); its body is parsed when first used (opened, or reached by the
background indexer, :mod:`explorer.notes.indexer`).  ``parse_all=True`` (the default, for the command
line and the checks) parses every note before the cross-checks; the app loads with
``parse_all=False``, which leaves out the per-note checks (images, ``[[links]]``: the app shows no
warnings, and they would cost the whole vault on every edit; ``python -m explorer validate`` has them).  Notes are kept by
path in :data:`NOTE_FILES`, which holds exactly the files the folder holds (nothing a live note needs
is ever evicted; a removed file's entry goes with it).
"""

from __future__ import annotations

import hashlib
import os
from collections import OrderedDict
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from explorer.content.model import PARTS, Content
from explorer.content.problems import ContentUnavailable, Problem
from explorer.notes.note import Note, NoteError, scan_note, with_id

if TYPE_CHECKING:  # pragma: no cover
    import yaml

# The YAML reader and the cross-checks (PyYAML, explorer.content.yamlio, explorer.content.validate) are imported by the first
# load, not with this module.

__all__ = ["PARTS", "Content", "ContentUnavailable", "Problem", "content_stamp", "load_content", "load_notes"]

MAX_NOTE_BYTES = 1_000_000
NOTE_SUFFIXES = (".md", ".markdown")
CONTENT_SUFFIXES = (".yaml", ".yml", *NOTE_SUFFIXES)


# --------------------------------------------------------------------------- live content
Stamp = tuple[tuple[str, int, int], ...]


def _walk(folder: Path, rel: str = "") -> list[tuple[str, int, int]]:
    out: list[tuple[str, int, int]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return out
    for e in entries:
        if e.name.startswith((".", "_")):  # .obsidian, .git, _drafts, editor swap files
            continue
        path = f"{rel}{e.name}"
        try:
            if e.is_dir(follow_symlinks=False):
                out.extend(_walk(Path(e.path), path + "/"))
            elif e.name.endswith(CONTENT_SUFFIXES):
                st = e.stat()
                out.append((path, st.st_mtime_ns, st.st_size))
        except OSError:
            continue
    return out


def content_stamp(root: str | Path) -> Stamp:
    """(relative path, mtime, size) of every content file: equal stamps mean unchanged content."""
    return tuple(sorted(_walk(Path(root))))


class _FileCache:
    """Parsed YAML files by (path, mtime, size): bounded, shared by every load in this process."""

    def __init__(self, size: int = 512) -> None:
        self._data: OrderedDict[tuple, Any] = OrderedDict()
        self._size = size
        self._lock = Lock()

    def get(self, key: tuple, make):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        value = make()
        with self._lock:
            self._data[key] = value
            while len(self._data) > self._size:
                self._data.popitem(last=False)
        return value


class NoteFiles:
    """The notes read from each notes folder, by path: exactly the files the folder holds now.

    An entry is (mtime, size, note or None, problems, the note under other ids); a file whose mtime or
    size changed is read again (its head only), a file that is gone loses its entry.  The last
    :attr:`ROOTS` folders are kept (the app has one; tests make many).
    """

    ROOTS = 8

    def __init__(self) -> None:
        self._roots: OrderedDict[str, dict[str, tuple]] = OrderedDict()
        self._lock = Lock()
        self.reads = 0  # note files read (heads), for tests and the bench

    def entries(self, folder: Path) -> dict[str, tuple]:
        with self._lock:
            return dict(self._roots.get(str(folder), {}))

    def replace(self, folder: Path, entries: dict[str, tuple]) -> None:
        with self._lock:
            self._roots[str(folder)] = entries
            self._roots.move_to_end(str(folder))
            while len(self._roots) > self.ROOTS:
                self._roots.popitem(last=False)

    def size(self) -> int:
        with self._lock:
            return sum(len(d) for d in self._roots.values())


NOTE_FILES = NoteFiles()
_CACHE = _FileCache()


def _stat_key(path: Path) -> tuple:
    try:
        st = path.stat()
        return (str(path), st.st_mtime_ns, st.st_size)
    except OSError:
        return (str(path), -1, -1)


def _cached_model(path: Path, rel: str, model: type[BaseModel]):
    from explorer.content.yamlio import load_model

    return _CACHE.get(("model", model.__name__, *_stat_key(path)), lambda: load_model(path, rel, model))


# --------------------------------------------------------------------------- notes
def read_note_file(path: Path, rel: str, rel_in_notes: str) -> tuple[Note | None, list[Problem]]:
    """One note file: (note or None, problems).  A note is dropped only when it is not text at all."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(rel, "", f"cannot read file: {exc.strerror}")]
    if len(raw) > MAX_NOTE_BYTES:
        return None, [Problem(rel, "", f"note is larger than {MAX_NOTE_BYTES // 1000} kB; split it into several notes")]
    if b"\x00" in raw:
        return None, [Problem(rel, "", "this is not a text file (it contains NUL bytes)")]
    problems: list[Problem] = []
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        text = raw.decode("cp1252", errors="replace")
        problems.append(Problem(rel, "", f"not UTF-8 (bad byte at offset {exc.start}); read as Windows-1252. "
                                         "Save the file as UTF-8 to be sure every character is right.",
                                severity="warning"))
    try:
        note = scan_note(text, path.name, path=rel_in_notes)
    except (NoteError, RecursionError, ValueError) as exc:
        return None, [*problems, Problem(rel, "", f"could not be read as a note: {exc}")]
    for notice in note.notices:
        problems.append(Problem(rel, "front matter", notice.message, notice.line, notice.severity))
    return note, problems


def load_notes(folder: Path, rel_root: Path, listing: Stamp | None = None) -> tuple[tuple[Note, ...], list[Problem]]:
    """Every note under ``folder`` (sub-folders included, hidden ones skipped), in reading order.

    Only new and changed files are read (their heads, see :class:`NoteFiles`).  A repeated id is made
    unique (``-2``, ...) with a warning: no note is dropped for it.  ``listing``: the folder's files as
    (path relative to it, mtime, size), when the caller has walked it already.
    """
    if not folder.is_dir():
        return (), [Problem("notes", "", "folder content/notes is missing")]
    old = NOTE_FILES.entries(folder)
    entries: dict[str, tuple] = {}
    prefix = folder.relative_to(rel_root).as_posix() + "/"
    for rel_in_notes, mtime, size in sorted(_walk(folder)) if listing is None else listing:
        if not rel_in_notes.endswith(NOTE_SUFFIXES):
            continue
        entry = old.get(rel_in_notes)
        if entry is None or entry[:2] != (mtime, size):
            path = folder / rel_in_notes
            note, probs = read_note_file(path, prefix + rel_in_notes, rel_in_notes)
            NOTE_FILES.reads += 1
            entry = (mtime, size, note, probs, {})
        entries[rel_in_notes] = entry
    NOTE_FILES.replace(folder, entries)
    problems = [p for e in entries.values() for p in e[3]]
    notes = [e[2] for e in entries.values() if e[2] is not None]
    notes.sort(key=lambda n: (n.week if n.week is not None else 10_000, n.order, n.path))
    seen: dict[str, str] = {}
    unique: list[Note] = []
    for n in notes:
        nid, k = n.id, 2
        while nid in seen:
            nid, k = f"{n.id}-{k}", k + 1
        if nid != n.id:
            problems.append(Problem(f"notes/{n.path}", "id", f"note id {n.id!r} is also used by notes/{seen[n.id]}; "
                                    f"this note is shown as {nid!r}. Give one of them another `id:` in its front matter.",
                                    severity="warning"))
            renamed = entries[n.path][4]  # the same object on every load, so its body is parsed once
            n = renamed.get(nid) or renamed.setdefault(nid, with_id(n, nid))
        seen[nid] = n.path
        unique.append(n)
    return tuple(unique), problems


# --------------------------------------------------------------------------- everything
def load_content(root: str | Path, stamp: Stamp | None = None, *, parse_all: bool = True) -> Content:
    """Read, validate and cross-check every content file under ``root``.

    Unchanged files come from the per-file caches; pass ``stamp`` (from :func:`content_stamp`) to
    avoid walking the folder twice.  ``parse_all=False`` leaves each note's body to its first use.
    """
    root = Path(root)
    content = Content(root=root, lazy=not parse_all)
    if not root.is_dir():
        content.problems.append(Problem(str(root), "", "content folder does not exist"))
        content.broken = {p: content.problems for p in [*PARTS, "notes"]}
        return content
    stamp = content_stamp(root) if stamp is None else stamp
    content.version = hashlib.sha1(repr((str(root.resolve()), stamp)).encode()).hexdigest()[:16]
    content.file_versions = {rel: f"{mtime}-{size}" for rel, mtime, size in stamp}
    from explorer.content.yamlio import yaml_files

    trees: dict[str, yaml.Node | None] = {}
    for part, (name, model, is_folder) in PARTS.items():
        target = root / name
        if is_folder:
            files = yaml_files(target)
            if not files:
                content.broken[part] = [Problem(name, "", "no YAML files found")]
                content.problems.extend(content.broken[part])
                continue
            items, part_problems = [], []
            for f in files:
                rel = f.relative_to(root).as_posix()
                obj, tree, probs = _cached_model(f, rel, model)
                trees[rel] = tree
                part_problems.extend(probs)
                if obj is not None:
                    items.append(obj)
            if part_problems:
                content.broken[part] = part_problems
                content.problems.extend(part_problems)
            else:
                content.data[part] = items
            continue
        if not target.exists():
            prob = Problem(name, "", "file is missing")
            content.broken[part] = [prob]
            content.problems.append(prob)
            continue
        obj, tree, probs = _cached_model(target, name, model)
        trees[name] = tree
        if probs:
            content.broken[part] = probs
            content.problems.extend(probs)
        else:
            content.data[part] = obj
    listing = tuple((p[len("notes/"):], m, z) for p, m, z in stamp if p.startswith("notes/"))
    notes, note_problems = load_notes(root / "notes", root, listing)
    content.notes = notes
    content.problems.extend(note_problems)
    if parse_all:
        for note in notes:
            note.lazy.get()
    files = {part: spec[0] for part, spec in PARTS.items()}
    for part, problem in _cross_check(content, trees, files, stamp):
        content.problems.append(problem)
        if problem.severity == "error":
            content.broken.setdefault(part, []).append(problem)
            if part != "notes":
                content.data.pop(part, None)
    return content


class _Checks:
    """The cross-checks of the last lazy loads, reused while the YAML, the set of note ids and the notes the
    YAML references are unchanged: an edited note that no YAML file points at costs no cross-check."""

    SIZE = 4

    def __init__(self) -> None:
        self._data: OrderedDict[tuple, tuple[dict[str, str], list]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple, notes: dict[str, Note]) -> list | None:
        with self._lock:
            got = self._data.get(key)
        if got is None:
            return None
        looked, out = got
        same = all((notes[i].digest if i in notes else None) == d for i, d in looked.items())
        return out if same else None

    def put(self, key: tuple, looked: dict[str, str], out: list) -> None:
        with self._lock:
            self._data[key] = (looked, out)
            while len(self._data) > self.SIZE:
                self._data.popitem(last=False)


_CHECKS = _Checks()


def _cross_check(content: Content, trees: dict, files: dict[str, str], stamp: Stamp) -> list:
    """:func:`cross_check`, reused in a lazy load when nothing it read has changed (see :class:`_Checks`)."""
    from explorer.content.validate import cross_check

    if not content.lazy:
        return list(cross_check(content, trees, files))
    key = (str(content.root), tuple(x for x in stamp if not x[0].startswith("notes/")), tuple(n.id for n in content.notes))
    by_id = {n.id: n for n in content.notes}
    cached = _CHECKS.get(key, by_id)
    if cached is not None:
        return cached
    looked: dict[str, str | None] = {}

    def note(note_id: str) -> Note | None:  # what the checks read of the notes: recorded with its digest
        n = by_id.get(note_id)
        looked[note_id] = n.digest if n is not None else None
        return n

    content.note = note  # type: ignore[method-assign]  # this load's own object, for the checks only
    try:
        out = list(cross_check(content, trees, files))
    finally:
        del content.note
    _CHECKS.put(key, looked, out)
    return out

