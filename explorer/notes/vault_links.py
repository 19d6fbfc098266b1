"""Where an Obsidian link points: the resolver of ``[[wikilinks]]`` and ``![[embeds]]`` in a vault.

A :class:`VaultIndex` is built from the note list's cheap metadata only (:class:`NoteRef`: path, id,
title) and the vault's image paths, never from parsed notes, so it costs nothing per note body and
stays valid while notes are parsed lazily.  It resolves a target as Obsidian does:

* by file name without extension (``[[Gradient Descent]]``), or by the end of a path
  (``[[Week 2/Gradient Descent]]``): the shortest path that is unique is enough;
* case, spaces and underscores do not matter (``[[gradient_descent]]``), nor does a ``.md`` suffix;
* ``./x`` and ``../x`` are relative to the linking note's folder, ``/x`` to the vault's root;
* several notes of that name: the nearest one wins (the linking note's own folder, then the fewest
  folder steps up and down, then the shorter path) and :attr:`Resolved.candidates` names the others,
  so ``python -m explorer validate`` can warn;
* nothing of that name: a note whose id is the target's slug (front matter ``id``), else missing.

Images (``![[diagram.png]]``) are found by name anywhere in the vault, with the same rules.
"""

from __future__ import annotations

import os
import posixpath
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from explorer.notes.ids import slugify

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
MAX_TARGET_CHARS = 400
MAX_IMAGES = 20_000  # image files listed per vault (a folder of more is cut there)


@dataclass(frozen=True)
class NoteRef:
    """A note as the resolver sees it (its cheap metadata)."""

    path: str  # relative to the notes folder, with its extension ("Lectures/3/Notes/Bias.md")
    id: str
    title: str = ""

    @property
    def folder(self) -> str:
        return posixpath.dirname(self.path)


@dataclass(frozen=True)
class Resolved:
    """The outcome of resolving one target: a note (``note_id``), an image (``path``) or nothing."""

    target: str
    note_id: str | None = None
    path: str | None = None  # the chosen file, relative to the notes folder
    candidates: tuple[str, ...] = ()  # every matching path when there were several (the chosen one first)

    @property
    def found(self) -> bool:
        return self.path is not None

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


def norm(text: str) -> str:
    """The key two spellings of one name share: NFC, lower case, ``_`` and runs of spaces as one space."""
    text = unicodedata.normalize("NFC", text).replace("\\", "/").replace("_", " ").lower()
    return " ".join(text.split())


def _strip_note_suffix(name: str) -> str:
    low = name.lower()
    for suffix in NOTE_SUFFIXES:
        if low.endswith(suffix):
            return name[: -len(suffix)]
    return name


def _parts(path: str, *, note: bool) -> tuple[str, ...]:
    """Normalised path components (a note's last one without its extension)."""
    parts = [p for p in path.replace("\\", "/").split("/") if p not in ("", ".")]
    if note and parts:
        parts[-1] = _strip_note_suffix(parts[-1])
    return tuple(norm(p) for p in parts)


def _steps(a: str, b: str) -> int:
    """Folder steps (up, then down) from folder ``a`` to folder ``b``."""
    pa, pb = [p for p in a.split("/") if p], [p for p in b.split("/") if p]
    k = 0
    while k < min(len(pa), len(pb)) and pa[k] == pb[k]:
        k += 1
    return (len(pa) - k) + (len(pb) - k)


@dataclass
class _Table:
    """Files by their last normalised component."""

    by_name: dict[str, list[tuple[tuple[str, ...], str]]] = field(default_factory=dict)
    by_path: dict[tuple[str, ...], str] = field(default_factory=dict)

    def add(self, path: str, *, note: bool) -> None:
        parts = _parts(path, note=note)
        if not parts:
            return
        self.by_name.setdefault(parts[-1], []).append((parts, path))
        self.by_path.setdefault(parts, path)

    def find(self, target: str, from_folder: str, *, note: bool) -> tuple[str, ...]:
        """Every path the target can mean, the nearest first."""
        raw = target.replace("\\", "/").strip()
        if raw.startswith(("./", "../")) or raw.startswith("/"):
            joined = posixpath.normpath(posixpath.join("/" + from_folder, raw) if not raw.startswith("/") else raw)
            hit = self.by_path.get(_parts(joined, note=note))
            return (hit,) if hit else ()
        want = _parts(raw, note=note)
        if not want:
            return ()
        hits = [path for parts, path in self.by_name.get(want[-1], ()) if parts[-len(want):] == want]
        hits.sort(key=lambda p: (_steps(from_folder, posixpath.dirname(p)), p.count("/"), len(p), p))
        return tuple(hits)


class VaultIndex:
    """Resolves wikilink and embed targets among a set of notes and images (see the module doc)."""

    def __init__(self, notes: Iterable[NoteRef], images: Iterable[str] = ()) -> None:
        self.notes: dict[str, NoteRef] = {}  # path -> ref
        self._by_id: dict[str, NoteRef] = {}
        self._notes = _Table()
        self._images = _Table()
        self._image_paths: list[str] = []
        self.extend(notes, images)

    def extend(self, notes: Iterable[NoteRef], images: Iterable[str] = ()) -> None:
        for ref in notes:
            if ref.path in self.notes:
                continue
            self.notes[ref.path] = ref
            self._by_id.setdefault(ref.id, ref)
            self._notes.add(ref.path, note=True)
        for path in images:
            self._image_paths.append(path)
            self._images.add(path, note=False)

    def with_more(self, notes: Iterable[NoteRef], images: Iterable[str] = ()) -> VaultIndex:
        """A new index with these notes and images added (this one is left as it is: it may be shared)."""
        out = VaultIndex(self.notes.values(), self._image_paths)
        out.extend(notes, images)
        return out

    def resolve(self, target: str, from_path: str = "") -> Resolved:
        """The note ``target`` points to, seen from the note at ``from_path``."""
        target = target[:MAX_TARGET_CHARS]
        hits = self._notes.find(target, posixpath.dirname(from_path), note=True)
        if not hits:
            ref = self._by_id.get(slugify(_strip_note_suffix(target.strip())))
            if ref is None:
                return Resolved(target)
            return Resolved(target, ref.id, ref.path)
        ref = self.notes[hits[0]]
        return Resolved(target, ref.id, ref.path, hits if len(hits) > 1 else ())

    def resolve_image(self, target: str, from_path: str = "") -> Resolved:
        """The image file ``target`` names, seen from the note at ``from_path``."""
        hits = self._images.find(target[:MAX_TARGET_CHARS], posixpath.dirname(from_path), note=False)
        if not hits:
            return Resolved(target)
        return Resolved(target, None, hits[0], hits if len(hits) > 1 else ())

    def ref(self, note_id: str) -> NoteRef | None:
        return self._by_id.get(note_id)


def note_refs(notes: Iterable[Any]) -> list[NoteRef]:
    """Cheap metadata of notes (anything with ``path``, ``id``, ``title``)."""
    return [NoteRef(n.path or n.filename or n.id, n.id, n.title) for n in notes]


def image_paths(notes_dir: str | os.PathLike) -> list[str]:
    """Image files under the notes folder (hidden folders skipped), relative to it, sorted; at most
    :data:`MAX_IMAGES`."""
    out: list[str] = []
    root = os.fspath(notes_dir)
    for here, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        rel = os.path.relpath(here, root).replace(os.sep, "/")
        for name in sorted(files):
            if name.lower().endswith(IMAGE_SUFFIXES):
                out.append(name if rel == "." else f"{rel}/{name}")
                if len(out) >= MAX_IMAGES:
                    return out
    return out


@dataclass(frozen=True)
class Vault:
    """What a render resolves links against: the index, and the notes by id (for headings, previews
    and embeds; a note may be parsed when it is asked for)."""

    index: VaultIndex
    note: Callable[[str], Any]  # note id -> Note or None
    version: str = ""  # changes whenever a target could resolve differently (a cache key)
