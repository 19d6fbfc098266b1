"""The flashcards a note holds: what the ``note_cards`` plugin found, as cards with stable ids.

The syntax is :func:`explorer.notes.md.note_cards.note_cards_plugin`'s.  A card's id is
``note:<note id>:<slug>-<hash>``, stable while its question's text stays the same; a ``#card``
heading's answer is its section's own text (a question without an answer is no card); the text of
either side is cut to :data:`MAX_CARD_TEXT` characters.  :mod:`explorer.study.cards` schedules them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace

from explorer.notes.ids import slugify
from explorer.notes.md.document import Doc
from explorer.notes.sections import Section

MAX_CARD_TEXT = 600


@dataclass(frozen=True)
class NoteCard:
    """A flashcard written in a note (syntax: :func:`explorer.notes.md.note_cards.note_cards_plugin`)."""

    id: str  # stable while the question's text stays the same: "note:<note id>:<slug>-<hash>"
    front: str
    back: str
    section: str | None  # the section it sits in (None: before the first section)
    line: int  # 1-based line in the file
    kind: str  # "inline", "block", "heading" or "cloze"
    cloze: str = ""  # a cloze card's paragraph as an Anki cloze text (explorer.notes.md.cloze)


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CARD_TEXT else text[: MAX_CARD_TEXT - 1].rstrip() + "…"


def note_cards(note_id: str, doc: Doc, sections: tuple[Section, ...]) -> tuple[NoteCard, ...]:
    """The cards of a note's parse (in order, each id once)."""
    out: list[NoteCard] = []
    seen: set[str] = set()
    for info in doc.env.get("cards", ()):
        holder = next((s for s in reversed(sections) if s.start <= info.index), None)
        back = info.back
        if info.kind == "heading":
            own = next((s for s in sections if s.start == info.index), None)
            back = own.text if own is not None else ""
            if not back:
                continue  # a question without an answer is not a card
        digest = hashlib.sha1(info.front.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cid = f"note:{note_id}:{slugify(info.front)[:40].strip('-')}-{digest}"
        if cid in seen:
            continue
        seen.add(cid)
        out.append(NoteCard(cid, _clip(info.front), _clip(back), holder.id if holder else None, info.line + 1, info.kind,
                            getattr(info, "cloze", "")))
    return tuple(out)


def cards_under_id(cards: tuple[NoteCard, ...], new_id: str) -> tuple[NoteCard, ...]:
    """The same cards for the note under another id."""
    return tuple(replace(c, id=f"note:{new_id}:{c.id.split(':', 2)[2]}") for c in cards)
