"""Cloze cards for Anki: the cards of ``{{c1::answer}}`` paragraphs (:mod:`explorer.notes.md.cloze`) as cloze notes.

Anki makes one card per cloze number of a cloze note, as the app does, so a paragraph is one note (its cards
share its text, :attr:`explorer.study.cards.Card.cloze`): :func:`anki_cloze_tsv` writes each paragraph once,
with Anki's file headers for the built-in *Cloze* note type (fields *Text* and *Back Extra*), the note's
title and section in *Back Extra*.  The plain cards go to :func:`explorer.study.cards.anki_tsv`.
"""

from __future__ import annotations

from collections.abc import Sequence

from explorer.study.cards import Card, anki_field, anki_tags

HEADERS = ("#separator:tab", "#html:false", "#notetype:Cloze", "#columns:Text\tBack Extra\tTags", "#tags column:3")


def cloze_cards(cards: Sequence[Card]) -> list[Card]:
    """The cloze cards of ``cards``, in order."""
    return [c for c in cards if c.cloze]


def anki_cloze_tsv(cards: Sequence[Card]) -> str:
    """The cloze cards of ``cards`` as Anki cloze notes, one per paragraph, with Anki's file headers."""
    lines = list(HEADERS)
    seen: set[str] = set()
    for c in cloze_cards(cards):
        text = anki_field(c.cloze)
        if text in seen:
            continue
        seen.add(text)
        section = c.source.params.get("section")
        extra = c.source_label + (f" › {section}" if section else "")
        lines.append("\t".join((text, anki_field(extra), anki_tags(c))))
    return "\n".join(lines) + "\n"
