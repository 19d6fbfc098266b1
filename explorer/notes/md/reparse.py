"""Parse again only the part of an edited note that changed, keeping the tokens of the rest.

A note edited while the app runs is usually changed in one place.  :func:`reparse` takes the last parse
of the note (its text and :class:`~explorer.notes.md.document.Doc`) and the new text, and parses only the
**top-level sections the edit touched**: from the last top-level ``#`` heading above the first changed
line to the first top-level ``#`` heading below the last changed line.  The tokens before and after are
the old ones (those after moved by the lines the edit added or removed), and what the parse records in
``env`` is put together from the three parts.

It is the same parse, or no parse at all: :func:`reparse` returns ``None`` (the caller parses the whole
text) whenever the parts could depend on each other:

* the text is over the parse budget (:mod:`.parse_budget`), or either parse has link reference definitions,
  footnotes, raw HTML blocks (balanced across the whole note, :mod:`.rawhtml`) or anything else in ``env``
  this module does not know how to put together;
* the changed part does not end where the old top-level heading below it starts (an unclosed code fence,
  say, now runs past it): the heading line is parsed with the part, and must still be a top-level heading;
* a heading's id would change (GitHub numbers repeated titles through the whole note: ``setup``, ``setup-1``).

Why a top-level ATX heading is a safe place to cut: it interrupts every block but a fence or an HTML block
(checked above), it cannot be a lazy continuation line, and what comes before it does not depend on what
follows it.  Tests compare :func:`reparse` with a whole parse over thousands of random edits of
real-shaped notes (``tests/test_reparse.py``).
"""

from __future__ import annotations

from dataclasses import replace

from markdown_it.token import Token

from explorer.notes.md.document import Doc, doc_of
from explorer.notes.md.engine import parser
from explorer.notes.md.heading_ids import record_headings
from explorer.notes.md.parse_budget import estimate

_MERGED = frozenset({"footnotes", "cards", "tags", "headings", "anchors", "images", "wikilinks"})


def _independent(env: dict) -> bool:
    """Nothing in ``env`` ties one part of the note to another (link references, footnotes, unknown keys)."""
    if not set(env) <= _MERGED:
        return False
    notes = env.get("footnotes") or {}
    return not notes.get("refs") and not notes.get("list")


def _cuts(tokens: tuple[Token, ...]) -> list[tuple[int, int]]:
    """(token index, line) of every top-level ATX heading: where the note can be cut."""
    return [(i, t.map[0]) for i, t in enumerate(tokens)
            if t.type == "heading_open" and t.level == 0 and t.markup.startswith("#") and t.map]


def _shift(tokens: list[Token], lines: int) -> list[Token]:
    """Copies of the old parse's ``tokens`` moved down by ``lines`` (they are shared with the old parse: never changed)."""
    if not lines:
        return tokens
    return [t.copy(map=[t.map[0] + lines, t.map[1] + lines]) if t.map else t for t in tokens]


def reparse(old_text: str, old: Doc, new_text: str) -> Doc | None:
    """The parse of ``new_text`` made from ``old`` (the parse of ``old_text``) and a parse of the changed
    top-level sections only; ``None`` when that cannot be done safely (see the module doc)."""
    if old.budget is not None or not old.tokens or not _independent(old.env) or estimate(new_text).over:
        return None
    if any(t.type == "html_block" for t in old.tokens):
        return None
    a_lines, b_lines = old_text.split("\n"), new_text.split("\n")
    n_old, n_new = len(a_lines), len(b_lines)
    p = 0
    while p < n_old and p < n_new and a_lines[p] == b_lines[p]:
        p += 1
    if p == n_old == n_new:
        return old  # the same text
    s = 0
    while s < min(n_old, n_new) - p and a_lines[n_old - 1 - s] == b_lines[n_new - 1 - s]:
        s += 1
    cuts = _cuts(old.tokens)
    # from the last top-level heading above the first changed line (the heading itself unchanged)...
    start_tok, start_line = 0, 0
    for i, line in cuts:
        if line < p:
            start_tok, start_line = i, line
    # ...to the first top-level heading in the unchanged end
    end = next(((i, line) for i, line in cuts if line >= n_old - s), None)
    delta = n_new - n_old
    if end is None:
        text = "\n".join(b_lines[start_line:])
    else:
        text = "\n".join(b_lines[start_line:end[1] + delta + 1])  # with that heading's line: it must stay a heading
    env: dict = {}
    part = parser().parse(text, env)
    if end is not None:
        if len(part) < 3 or part[-3].type != "heading_open" or part[-3].level != 0 \
                or part[-3].map[0] != end[1] + delta - start_line or part[-3].markup != old.tokens[end[0]].markup:
            return None  # the changed part ran into the heading below it
        part = part[:-3]
    if not _independent(env) or any(t.type == "html_block" for t in part):
        return None
    for t in part:  # the part's own tokens: moved to its place in the note
        if t.map:
            t.map = [t.map[0] + start_line, t.map[1] + start_line]
    before = list(old.tokens[:start_tok])
    after = _shift(list(old.tokens[end[0]:]), delta) if end is not None else []
    tokens = [*before, *part, *after]
    headings, anchors, images = record_headings(tokens)
    if any(tokens[h.index].attrGet("id") != h.id for h in headings):
        return None  # a repeated title: the ids of the parts depend on each other
    moved = len(before) + len(part) - (end[0] if end is not None else len(old.tokens))
    # what the part's parse recorded, less what it found in the heading line parsed after it (the old tail has it)
    last_line = end[1] + delta - start_line if end is not None else len(b_lines)
    cards = [*(c for c in old.env.get("cards", ()) if c.index < start_tok),
             *(replace(c, index=c.index + start_tok, line=c.line + start_line) for c in env.get("cards", ())
               if c.index < len(part)),
             *(replace(c, index=c.index + moved, line=c.line + delta) for c in old.env.get("cards", ())
               if end is not None and c.index >= end[0])]
    # a [[link]]'s line is 1-based
    links = [*(x for x in old.env.get("wikilinks", ()) if x.line <= start_line),
             *(replace(x, line=x.line + start_line) for x in env.get("wikilinks", ()) if x.line <= last_line),
             *(replace(x, line=x.line + delta) for x in old.env.get("wikilinks", ()) if end is not None and x.line > end[1])]
    tags = [c.content for t in tokens if t.type == "inline" and t.children for c in t.children if c.type == "note_tag"]
    merged = {"cards": cards, "tags": list(dict.fromkeys(tags)), "headings": headings, "anchors": anchors,
              "images": images, "wikilinks": links}
    if "footnotes" in old.env or "footnotes" in env:
        merged = {"footnotes": {"refs": {}, "list": {}}, **merged}
    return doc_of(tokens, merged, None)
