"""``python -m explorer validate`` for Obsidian links: every missing or ambiguous ``[[link]]`` or ``![[embed]]``.

Each is a warning with the note's file and the link's line (the reader still shows the note: a missing
target is dimmed, an ambiguous one goes to the nearest note, :mod:`explorer.notes.vault_links`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from explorer.notes.md.wikilinks import is_image
from explorer.notes.vault_links import VaultIndex

MAX_NAMED = 4  # candidates named in one warning


def link_problems(notes: Iterable[Any], index: VaultIndex) -> Iterator[tuple[str, int, str]]:
    """(note path, 1-based line, message) for each link whose target is missing or ambiguous."""
    for note in notes:
        for link in note.links:
            if not link.target:
                continue
            what = "embed" if link.embed else "link"
            shown = f"![[{link.target}]]" if link.embed else f"[[{link.target}]]"
            image = link.embed and is_image(link.target)
            res = index.resolve_image(link.target, note.path) if image else index.resolve(link.target, note.path)
            if not res.found and res.note_id is None:
                kind = "image" if image else "note"
                yield note.path, link.line, f"{what} {shown}: no {kind} of that name in your notes"
            elif res.ambiguous:
                others = ", ".join(res.candidates[1:MAX_NAMED + 1])
                yield (note.path, link.line, f"{what} {shown} is ambiguous: it goes to {res.candidates[0]} (the nearest); "
                       f"also {others}. Write the folder to choose, e.g. [[{res.candidates[0].rsplit('.', 1)[0]}]]")
