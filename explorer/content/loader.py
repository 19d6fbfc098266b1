"""Load and validate everything under ``content/``, and notice when any of it changes.

``load_content(root)`` never raises for bad content: each file is validated on its own and a
broken file only makes *its* part unavailable.  Pages ask for the parts they need with
:meth:`Content.need`, which raises :class:`ContentUnavailable` (carrying readable errors) if any of
them is broken.  Errors name the file, the path inside it and the reason, with the line.

Live content: :func:`content_stamp` (:mod:`explorer.content.stamp`) costs one ``stat`` per file (a few hundred
microseconds for the shipped content, 7-20 ms for a 1,000-note vault); the app asks :mod:`explorer.content.watch`
for it, which stats only the files the folder's events name.  When it changes, :func:`load_content` re-reads only
the files whose size or modification time changed; a lazy load starts from the last one (:class:`_Base`) and
looks only at the entries that differ, so an edited note costs its own read, not a pass over the vault.  A note
added, edited, renamed or deleted under ``content/notes/`` (sub-folders included) therefore shows up on the next
page run without a restart.

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
from collections import OrderedDict
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import BaseModel

from explorer.content.checks_cache import cross_checks
from explorer.content.model import PARTS, Content
from explorer.content.problems import ContentUnavailable, Problem
from explorer.content.stamp import (  # noqa: F401  (re-exported: the loader's public names)
    CONTENT_SUFFIXES,
    NOTE_SUFFIXES,
    Stamp,
    content_entry,
    content_stamp,
    entry_digest,
    stamp_key,
    walk_files,
)
from explorer.notes.note import Note, NoteError, scan_note, with_id

if TYPE_CHECKING:  # pragma: no cover
    import yaml

# The YAML reader and the cross-checks (PyYAML, explorer.content.yamlio, explorer.content.validate) are imported by the first
# load, not with this module.

__all__ = ["PARTS", "Content", "ContentUnavailable", "Problem", "content_entry", "content_stamp", "load_content", "load_notes"]

MAX_NOTE_BYTES = 1_000_000


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
    notes, problems, _ = _load_notes(folder, rel_root, listing)
    return notes, problems


def _read_entry(folder: Path, prefix: str, rel_in_notes: str, mtime: int, size: int) -> tuple:
    note, probs = read_note_file(folder / rel_in_notes, prefix + rel_in_notes, rel_in_notes)
    NOTE_FILES.reads += 1
    return (mtime, size, note, probs, {})


def _load_notes(folder: Path, rel_root: Path, listing: Stamp | None) -> tuple[tuple[Note, ...], list[Problem], dict]:
    old = NOTE_FILES.entries(folder)
    entries: dict[str, tuple] = {}
    prefix = folder.relative_to(rel_root).as_posix() + "/"
    for rel_in_notes, mtime, size in sorted(walk_files(folder)) if listing is None else listing:
        if not rel_in_notes.endswith(NOTE_SUFFIXES):
            continue
        entry = old.get(rel_in_notes)
        if entry is None or entry[:2] != (mtime, size):
            entry = _read_entry(folder, prefix, rel_in_notes, mtime, size)
        entries[rel_in_notes] = entry
    NOTE_FILES.replace(folder, entries)
    notes, problems = _assemble(entries)
    return notes, problems, entries


def _assemble(entries: dict[str, tuple]) -> tuple[tuple[Note, ...], list[Problem]]:
    """The notes of these entries in reading order, ids made unique; the problems found."""
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
    avoid walking the folder twice.  ``parse_all=False`` leaves each note's body to its first use, and starts
    from the last such load of ``root`` (:class:`_Base`): only the entries that differ between its stamp and
    this one are looked at (an edited note: one read, its entry replaced in place; the YAML parts and the
    cross-checks kept while no YAML file changed).
    """
    root = Path(root)
    content = Content(root=root, lazy=not parse_all)
    if not root.is_dir():
        content.problems.append(Problem(str(root), "", "content folder does not exist"))
        content.broken = {p: content.problems for p in [*PARTS, "notes"]}
        return content
    stamp = content_stamp(root) if stamp is None else stamp
    base = _BASES.get(str(root)) if not parse_all else None
    if base is not None and base.stamp is not stamp and base.stamp != stamp:
        old, new = set(base.stamp), set(stamp)
        gone, came = old - new, new - old
    else:
        gone = came = set()
    if base is None:
        total = sum(map(entry_digest, stamp))
        content.file_versions = {rel: f"{mtime}-{size}" for rel, mtime, size in stamp}
    else:
        total = base.total - sum(map(entry_digest, gone)) + sum(map(entry_digest, came))
        content.file_versions = versions = dict(base.file_versions)
        for rel, _, _ in gone:
            versions.pop(rel, None)
        versions.update((rel, f"{mtime}-{size}") for rel, mtime, size in came)
    changed = {e[0] for e in gone} | {e[0] for e in came}
    content.version = hashlib.sha1(f"{root.resolve()}|{stamp_key(total)}".encode()).hexdigest()[:16]
    if base is not None and all(rel.startswith("notes/") for rel in changed):
        parts = base.parts
    else:
        parts = _load_parts(root)
    data, broken, part_problems, trees = parts
    content.data, content.problems = dict(data), list(part_problems)
    content.broken = {k: list(v) for k, v in broken.items()}
    folder = root / "notes"
    got = None
    if base is not None and base.entries is not None and (not changed or folder.is_dir()):  # a removed folder: told below
        moved = {e[0][len("notes/"):]: None for e in gone if e[0].startswith("notes/")}
        moved.update((e[0][len("notes/"):], e[1:]) for e in came if e[0].startswith("notes/"))
        got = _notes_delta(folder, root, base, moved)
    if got is None:
        if folder.is_dir():
            listing = tuple((p[len("notes/"):], m, z) for p, m, z in stamp if p.startswith("notes/"))
            got = (*_load_notes(folder, root, listing), None)
        else:
            NOTE_FILES.replace(folder, {})  # the folder's notes are gone: so are their entries
            got = ((), [Problem("notes", "", "folder content/notes is missing")], None, None)
    notes, note_problems, entries, index = got
    content.notes = notes
    in_place = base is not None and (notes is base.notes or (index is not None and index is base.index))
    ids = base.ids if in_place else tuple(n.id for n in notes)  # an edit in place keeps every id
    content.problems.extend(note_problems)
    if parse_all:
        for note in notes:
            note.lazy.get()
    else:
        _BASES.put(str(root), _Base(stamp, total, content.file_versions, parts, entries, notes, note_problems, index, ids))
    files = {part: spec[0] for part, spec in PARTS.items()}
    for part, problem in cross_checks(content, dict(trees), files, stamp, ids):
        content.problems.append(problem)
        if problem.severity == "error":
            content.broken.setdefault(part, []).append(problem)
            if part != "notes":
                content.data.pop(part, None)
    return content


def _load_parts(root: Path) -> tuple[dict, dict, list, dict]:
    """The YAML parts: (data, broken parts, their problems, YAML trees for the cross-checks)."""
    from explorer.content.yamlio import yaml_files

    data: dict[str, Any] = {}
    broken: dict[str, list[Problem]] = {}
    problems: list[Problem] = []
    trees: dict[str, yaml.Node | None] = {}
    for part, (name, model, is_folder) in PARTS.items():
        target = root / name
        if is_folder:
            files = yaml_files(target)
            if not files:
                broken[part] = [Problem(name, "", "no YAML files found")]
                problems.extend(broken[part])
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
                broken[part] = part_problems
                problems.extend(part_problems)
            else:
                data[part] = items
            continue
        if not target.exists():
            prob = Problem(name, "", "file is missing")
            broken[part] = [prob]
            problems.append(prob)
            continue
        obj, tree, probs = _cached_model(target, name, model)
        trees[name] = tree
        if probs:
            broken[part] = probs
            problems.extend(probs)
        else:
            data[part] = obj
    return data, broken, problems, trees


class _Base(NamedTuple):
    """What a lazy load of a root leaves for the next one to start from."""

    stamp: Stamp
    total: int  # the sum of the stamp's entry digests (the version's source)
    file_versions: dict[str, str]
    parts: tuple  # _load_parts' result
    entries: dict[str, tuple] | None  # the notes' entries (NoteFiles), None when content/notes is missing
    notes: tuple[Note, ...]
    note_problems: list[Problem]
    index: dict[str, int] | None  # note path -> position in ``notes`` (made when first needed)
    ids: tuple[str, ...]  # the notes' ids, in order


class _Bases:
    """The last lazy load of each of the last few roots (the app has one)."""

    ROOTS = 8

    def __init__(self) -> None:
        self._data: OrderedDict[str, _Base] = OrderedDict()
        self._lock = Lock()

    def get(self, root: str) -> _Base | None:
        with self._lock:
            return self._data.get(root)

    def put(self, root: str, base: _Base) -> None:
        with self._lock:
            self._data[root] = base
            self._data.move_to_end(root)
            while len(self._data) > self.ROOTS:
                self._data.popitem(last=False)


_BASES = _Bases()


def _notes_delta(folder: Path, rel_root: Path, base: _Base, changes: dict[str, tuple | None]):
    """The notes after ``changes`` (path in the notes folder -> (mtime, size), or None: gone) to the base's, reading
    the changed files only: (notes, problems, entries, index).  An edit that keeps the note's id, place in the
    reading order and problems replaces it in place; anything else sorts the entries again (no other read)."""
    entries = base.entries
    assert entries is not None
    changes = {rel: ms for rel, ms in changes.items() if rel.endswith(NOTE_SUFFIXES)}
    if not changes:
        return base.notes, base.note_problems, entries, base.index
    entries = dict(entries)
    prefix = folder.relative_to(rel_root).as_posix() + "/"
    notes, index, in_place = list(base.notes), base.index, True
    for rel, ms in changes.items():
        old = entries.get(rel)
        if ms is None:
            if entries.pop(rel, None) is not None:
                in_place = False
            continue
        if old is not None and old[:2] == ms:
            continue
        new = entries[rel] = _read_entry(folder, prefix, rel, *ms)
        was, note = (old[2] if old else None), new[2]
        if in_place and was is not None and note is not None and not old[3] and not new[3] and note.id == was.id \
                and (note.week, note.order) == (was.week, was.order):
            if index is None:
                index = {n.path: i for i, n in enumerate(base.notes)}
            i = index.get(rel)
            if i is not None and notes[i] is was:  # not shown under another id (a repeated id)
                notes[i] = note
                continue
        in_place = False
    if not in_place:
        entries = dict(sorted(entries.items()))
    NOTE_FILES.replace(folder, entries)
    if in_place:
        return tuple(notes), base.note_problems, entries, index
    return (*_assemble(entries), entries, None)
