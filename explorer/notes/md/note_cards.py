"""Plugin ``note_cards``: flashcards written in a note, found at parse time.

The syntax is the Obsidian spaced-repetition style (see :func:`note_cards_plugin`); the cards are
recorded in ``env["cards"]`` as :class:`CardInfo` and the note itself renders as written.  Turning
them into the note's cards (ids, answers of ``#card`` headings) is :mod:`explorer.notes.flashcards`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from explorer.notes.md.heading_ids import inline_text

CARD_TAG = "#card"
CARD_SEPARATOR = " :: "
_QUESTION_MARK_LINE = "?"


@dataclass(frozen=True)
class CardInfo:
    """A flashcard written in a note (see :func:`note_cards_plugin`)."""

    front: str
    back: str
    index: int  # token index (the paragraph's inline token, or the heading's heading_open)
    line: int  # 0-based line in the parsed text
    kind: str  # "inline" (term :: definition), "block" (question / ? / answer), "heading" (#card)


def _lines(children: Sequence[Token]) -> list[str]:
    """The text lines of an inline token (soft and hard breaks split lines)."""
    lines = [""]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append("")
        elif child.type in ("text", "code_inline"):
            lines[-1] += child.content
    return [ln.strip() for ln in lines]


def _note_cards(state: StateCore) -> None:
    tokens = state.tokens
    cards: list[CardInfo] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            kids = inline.children or []
            last = kids[-1] if kids else None
            if last is not None and last.type == "text" and last.content.rstrip().endswith(CARD_TAG):
                before = last.content.rstrip()[: -len(CARD_TAG)]
                if before == "" or before.endswith((" ", "\t")):
                    last.content = before.rstrip()  # the tag is not part of the heading's text
                    inline.content = inline.content.rstrip()[: -len(CARD_TAG)].rstrip()
                    front = inline_text(kids).strip()
                    if front:
                        cards.append(CardInfo(front, "", i, tok.map[0] if tok.map else 0, "heading"))
        elif tok.type == "inline" and i > 0 and tokens[i - 1].type == "paragraph_open":
            lines = _lines(tok.children or [])
            line0 = tok.map[0] if tok.map else 0
            if _QUESTION_MARK_LINE in lines:
                k = lines.index(_QUESTION_MARK_LINE)
                front, back = " ".join(lines[:k]).strip(), " ".join(lines[k + 1:]).strip()
                if front and back:
                    cards.append(CardInfo(front, back, i, line0, "block"))
                continue
            for n, line in enumerate(lines):
                front, sep, back = line.partition(CARD_SEPARATOR)
                if sep and front.strip() and back.strip():
                    cards.append(CardInfo(front.strip(), back.strip(), i, line0 + n, "inline"))
    state.env["cards"] = cards


def note_cards_plugin(md: MarkdownIt) -> None:
    """Flashcards written in a note, in the Obsidian spaced-repetition style:

    * ``Term :: Definition`` on a line of a paragraph (spaces around ``::``);
    * a paragraph ``Question`` / a line with only ``?`` / ``Answer``;
    * a heading ending with ``#card``: the heading is the question, its section's own text the
      answer (the tag itself is removed from the heading).

    Recorded in ``env["cards"]`` (:class:`CardInfo`); the note itself renders as written.  Runs before
    :func:`~explorer.notes.md.heading_ids.heading_ids_plugin`, so a heading's id is made without its tag.
    """
    md.core.ruler.before("heading_ids", "note_cards", _note_cards)
