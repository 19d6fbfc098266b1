"""Backlinks: which notes link to a note, each with the sentence or list item around the link.

Every note records its outgoing ``[[links]]`` and ``![[embeds]]`` when it is parsed (``Note.links``,
:class:`explorer.notes.md.wikilinks.OutLink`, with their context).  :func:`build_backlinks` inverts
them through a :class:`explorer.notes.vault_links.VaultIndex` (pure); :func:`update` redoes one note's
part only, so an indexer can keep the map current note by note.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from explorer.notes.vault_links import VaultIndex

MAX_PER_SOURCE = 3  # contexts shown per linking note


@dataclass(frozen=True)
class Backlink:
    source_id: str
    source_title: str
    source_folder: str
    context: str  # the sentence or list item around the link ("" when it had no text around it)
    heading: str | None  # the heading of the target the link names, if any
    embed: bool


Backlinks = dict[str, tuple[Backlink, ...]]  # target note id -> the links to it, in note order


def _from(note: Any, index: VaultIndex) -> dict[str, list[Backlink]]:
    out: dict[str, list[Backlink]] = {}
    seen: set[tuple[str, str]] = set()
    folder = posixpath.dirname(note.path or "")
    if note.source == "upload" and not note.parsed:  # an upload not opened yet: its links are not read (issue #20)
        return out
    for link in note.links:
        if not link.target:
            continue  # [[#Heading]]: a place in the note itself
        res = index.resolve(link.target, note.path or "")
        if res.note_id is None or res.note_id == note.id or (res.note_id, link.context) in seen:
            continue
        seen.add((res.note_id, link.context))
        mine = out.setdefault(res.note_id, [])
        if len(mine) < MAX_PER_SOURCE:
            mine.append(Backlink(note.id, note.title, folder, link.context, link.heading, link.embed))
    return out


def build_backlinks(notes: Iterable[Any], index: VaultIndex) -> Backlinks:
    """Every note's incoming links (only targets that are linked appear)."""
    acc: dict[str, list[Backlink]] = {}
    for note in notes:
        for target, links in _from(note, index).items():
            acc.setdefault(target, []).extend(links)
    return {k: tuple(v) for k, v in acc.items()}


def update(backlinks: Backlinks, note: Any, index: VaultIndex, *, removed: bool = False) -> Backlinks:
    """A new map with ``note``'s links replaced by its current ones (or dropped: ``removed``).  The links of
    other notes that point to a note added or removed may resolve differently: rebuild then."""
    out = {k: tuple(b for b in v if b.source_id != note.id) for k, v in backlinks.items()}
    if not removed:
        for target, links in _from(note, index).items():
            out[target] = (*out.get(target, ()), *links)
    return {k: v for k, v in out.items() if v}
