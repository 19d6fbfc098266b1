"""Plugin ``cloze``: Anki's cloze deletions, ``{{c1::answer}}`` and ``{{c1::answer::hint}}``, in a note.

Parse time: a cloze becomes ``cloze_open`` (a ``<span class="cloze" title="cloze c1">``), its answer
parsed as Markdown, and ``cloze_close``; the reader shows the plain answer with a subtle mark (the
``cloze`` class: a dotted underline, not colour alone).  A core rule then records the paragraph's cards in
``env["cards"]`` next to the ``note_cards`` plugin's (:class:`ClozeInfo`, kind ``"cloze"``): one card per
number, so ``c1`` and ``c2`` make two cards and two ``c1`` one card with two gaps.

What is a cloze:

* ``{{c`` + a number from 1 to :data:`MAX_NUMBER` + ``::``; ``c0``, ``c-1``, ``c01`` and larger numbers
  stay text (Anki numbers its clozes from 1);
* it ends at the first ``}}`` outside braces, code spans and formulas: ``{{c1::f(x)={x}}}`` holds
  ``f(x)={x}`` and ``{{c1::$\\frac{a}{b}}}$}}`` holds the formula whole (the inline rules skip what they own,
  as a link's label does); the first ``::`` outside them starts the hint;
* nothing inside a code span, a fenced block or a formula is a cloze (those rules own their text), nor
  ``\\{{c1::x}}`` (the escape takes the brace); an unclosed ``{{c1::`` and an empty answer stay text;
  a cloze inside a cloze's answer stays text;
* the look-ahead is bounded: :data:`MAX_CLOZE` characters per cloze and :data:`MAX_SCAN_TOTAL` per
  paragraph, so hostile input stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token

MAX_NUMBER = 999
MAX_CLOZE = 4000
MAX_SCAN_TOTAL = 100_000
MAX_ANKI_TEXT = 2400
_OPEN_RE = re.compile(r"\{\{c([1-9][0-9]{0,2})::")
_FLAG = "_cloze_scan"  # set on the inline state while a cloze's text is scanned or parsed: no cloze inside
_BUDGET = "_cloze_scanned"


@dataclass(frozen=True)
class ClozeInfo:
    """A cloze card found in a note (read by :mod:`explorer.notes.flashcards` like a ``CardInfo``)."""

    front: str  # the paragraph with this number's gaps as ``[...]`` (or ``[hint]``), the others answered
    back: str  # the paragraph with this number's answers in ``[brackets]``
    index: int  # the paragraph's inline token
    line: int  # 0-based line in the parsed text
    kind: str  # always "cloze"
    number: int
    cloze: str  # the paragraph as an Anki cloze text (``{{c1::answer::hint}}``, formulas as ``\\(...\\)``)


_LOOSE_CLOSE_RE = re.compile(r"(?<![\s\\])\$(?![\w$])")


def _loose_formula_end(src: str, pos: int, limit: int) -> int:
    """After a ``$...$`` whose braces do not balance (``$\\frac{a}{b}}}$``), so its ``}}`` ends no cloze;
    the closing ``$`` follows the math rule's other conditions.  ``pos + 1`` when there is none."""
    if pos + 1 >= limit or src[pos + 1].isspace() or src[pos + 1] == "$" or (pos > 0 and src[pos - 1] == "\\"):
        return pos + 1
    m = _LOOSE_CLOSE_RE.search(src, pos + 1, limit)
    return m.end() if m else pos + 1


def _scan(state: StateInline, start: int) -> tuple[int, int] | None:
    """(end of the answer, index of ``}}``) for a cloze body starting at ``start``, or None."""
    src, limit = state.src, min(state.posMax, start + MAX_CLOZE)
    old_pos, depth, hint = state.pos, 0, -1
    setattr(state, _FLAG, True)
    try:
        state.pos = start
        while state.pos < limit:
            pos = state.pos
            ch = src[pos]
            if ch == "}":
                if depth == 0:
                    if src.startswith("}}", pos):
                        return (hint if hint >= 0 else pos), pos
                    return None  # a "}" that closes nothing
                depth -= 1
                state.pos += 1
            elif ch == "{":
                depth += 1
                state.pos += 1
            elif ch == ":" and depth == 0 and hint < 0 and src.startswith("::", pos):
                hint = pos
                state.pos += 2
            else:
                state.md.inline.skipToken(state)
                if ch == "$" and state.pos == pos + 1:  # a formula the math rule refused (unbalanced braces)
                    state.pos = _loose_formula_end(src, pos, limit)
        return None
    finally:
        setattr(state, _BUDGET, getattr(state, _BUDGET, 0) + state.pos - start)
        state.pos = old_pos
        setattr(state, _FLAG, False)


def _cloze_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "{" or getattr(state, _FLAG, False) or getattr(state, _BUDGET, 0) >= MAX_SCAN_TOTAL:
        return False
    m = _OPEN_RE.match(src, pos, state.posMax)
    if m is None:
        return False
    body = m.end()
    found = _scan(state, body)
    if found is None:
        return False
    answer_end, close = found
    if not src[body:answer_end].strip():
        return False
    if not silent:
        n = int(m.group(1))
        hint = src[answer_end + 2:close].strip() if answer_end < close else ""
        tok = state.push("cloze_open", "span", 1)
        tok.attrs = {"class": "cloze", "title": f"cloze c{n}"}
        tok.markup, tok.meta = "{{", {"number": n, "hint": hint}
        old_max = state.posMax
        state.pos, state.posMax = body, answer_end
        setattr(state, _FLAG, True)
        try:
            state.md.inline.tokenize(state)
        finally:
            setattr(state, _FLAG, False)
        state.posMax = old_max
        state.push("cloze_close", "span", -1).markup = "}}"
    state.pos = close + 2
    return True


# --------------------------------------------------------------------------- the cards of a paragraph
def _plain(tok: Token, anki: bool) -> str:
    if tok.type in ("text", "code_inline"):
        return tok.content
    if tok.type in ("math_inline", "math_inline_double"):
        return f"\\({tok.content}\\)" if anki else f"${tok.content}$"
    if tok.type in ("softbreak", "hardbreak"):
        return " "
    if tok.type == "image":
        return "".join(_plain(c, anki) for c in tok.children or ())
    return ""


def cloze_text(children: Sequence[Token], target: int | None, side: str) -> str:
    """The paragraph as text: ``side`` "front" (``target``'s gaps as ``[...]`` or ``[hint]``), "back"
    (``target``'s answers in brackets), or "anki" (every cloze as ``{{cN::answer::hint}}``)."""
    out: list[str] = []
    inside: dict | None = None
    answer: list[str] = []
    for tok in children:
        if tok.type == "cloze_open":
            inside, answer = tok.meta, []
        elif tok.type == "cloze_close" and inside is not None:
            n, hint, text = inside["number"], inside["hint"], "".join(answer)
            if side == "anki":  # Anki would end the cloze at a "}}" or start the hint at a "::" of the answer
                text = re.sub(r":(?=:)", ": ", re.sub(r"\}(?=\})", "} ", text))
                text += " " if text.endswith("}") else ""
                out.append(f"{{{{c{n}::{text}{'::' + hint if hint else ''}}}}}")
            elif n == target:
                out.append(f"[{hint or '...'}]" if side == "front" else f"[{text}]")
            else:
                out.append(text)
            inside = None
        elif inside is not None:
            answer.append(_plain(tok, side == "anki"))
        else:
            out.append(_plain(tok, side == "anki"))
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _cloze_cards(state: StateCore) -> None:
    found: list[ClozeInfo] = []
    for i, tok in enumerate(state.tokens):
        if tok.type != "inline" or not tok.children or not any(c.type == "cloze_open" for c in tok.children):
            continue
        numbers = list(dict.fromkeys(c.meta["number"] for c in tok.children if c.type == "cloze_open"))
        anki = cloze_text(tok.children, None, "anki")
        anki = anki if len(anki) <= MAX_ANKI_TEXT else ""  # too long for a card: exported as a plain card
        line = tok.map[0] if tok.map else 0
        for n in numbers:
            found.append(ClozeInfo(cloze_text(tok.children, n, "front"), cloze_text(tok.children, n, "back"),
                                   i, line, "cloze", n, anki))
    if found:
        state.env["cards"] = sorted([*state.env.get("cards", ()), *found], key=lambda c: c.index)  # reading order


def cloze_plugin(md: MarkdownIt) -> None:
    """``{{c1::answer}}`` / ``{{c1::answer::hint}}``: the answer marked in the reader, the cards in ``env["cards"]``."""
    md.inline.ruler.before("emphasis", "cloze", _cloze_rule)
    md.core.ruler.push("cloze_cards", _cloze_cards)
