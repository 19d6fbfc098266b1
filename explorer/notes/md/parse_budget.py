"""The parse budget: a note too costly to parse is shown as plain text, with a notice (issue #20).

markdown-it is linear, but its constant is large: 200 kB of one-line list items cost about 2 s of
CPU, 50,000 headings 5 s, a 9,000-row table 1.7 s.  No real note comes near (the 87 kB note with 65
code blocks is a fifth of the budget), a hostile one does, and one such note must not hold the server.

:func:`estimate` is a cheap pre-scan (``str.count`` and a few line-anchored regular expressions,
a few milliseconds on 200 kB): it counts what the parser spends its time on -- lines, headings, list,
definition and quote items, paragraphs, table cells (``|``), emphasis and code delimiters, autolinks,
hard breaks, link and tag openers, character references -- and weighs each by what it costs the engine (microseconds measured on
the 2-core reference machine, ``bench/`` and ``tests/test_parse_budget.py``); :func:`nesting` reports
the deepest nesting of quotes and lists (the engine caps it; each quote marker is weighed).  What sits inside
a formula is not markup to the engine: over the budget, the ``_``, ``&``, ``|``... of the formulas that
:mod:`.math_scan` is sure of are taken off again and each formula is weighed instead, so a math-heavy note (a
200x200 matrix, thousands of subscripts) is laid out while text that only looks like math gains nothing
(``tests/test_math_budget.py``); what the formulas cost to typeset is bounded by :class:`.math_tex.Budget`.  Above
:data:`BUDGET`, :func:`explorer.notes.md.document.parse_document` does not
parse it but returns the note as one preformatted block after a notice (:func:`notice_token`) that
says why and how to split the note.  Front matter is still read (it is small), so the title, id and
tags of such a note stay what they are.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markdown_it.token import Token

from explorer.notes.md.math_scan import find as find_math

BUDGET = 250_000
"""Estimated parse cost (about microseconds on the reference machine) above which a note is shown as
plain text: about 0.25 s of CPU, so that parsing and drawing the worst note that passes stays under
half a second.  Real notes stay far below (``tests/test_parse_budget.py``)."""

# what one item costs the engine (microseconds measured on the reference machine)
WEIGHTS: dict[str, float] = {
    "bytes": 0.25,  # plain prose
    "lines": 6,
    "blank": 10,  # blank lines: paragraphs
    "headings": 50,  # ATX and setext headings: ids, sections, cards (superlinear: 4,000 take 0.14 s, 16,000 0.95 s)
    "items": 45,  # list items, definition items
    "quotes": 3,  # each ">" that opens a quote level
    "cells": 17,  # "|": table cells
    "emphasis": 16,  # "*" and "_"
    "code": 5,  # "`", "~", "=", "$"
    "autolinks": 50,  # "://", "www.", "@"
    "breaks": 17,  # hard line breaks
    "openers": 7,  # "[", "<", "!"
    "entities": 8,  # "&"
    "footnotes": 10,  # "[^": footnote references (on top of their opener)
    "formulas": 15,  # formulas whose inside is not counted (:func:`_without_math`): the rule, the token, the look-up
}
_KEEP_INLINE = frozenset({"bytes", "lines", "blank", "headings", "items", "breaks"})  # line-level: as counted
_KEEP_BLOCK = frozenset({"bytes", "lines", "blank"})

_HEADING_RE = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)", re.MULTILINE)
_ITEM_RE = re.compile(r"^[ \t>]*(?:[-*+:]|\d{1,9}[.)])(?:[ \t]|$)", re.MULTILINE)
_PREFIX_RE = re.compile(r"^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*", re.MULTILINE)
_BREAK_RE = re.compile(r"(?:  |\\)\n")


@dataclass(frozen=True)
class Estimate:
    """What the pre-scan counted in a text, and the cost it adds up to."""

    counts: dict[str, int]
    cost: float

    @property
    def over(self) -> bool:
        return self.cost > BUDGET

    def main_cause(self) -> str:
        """The count that weighs most, in words ("12,000 list items")."""
        names = {"bytes": "bytes of text", "lines": "lines", "headings": "headings", "items": "list items",
                 "quotes": "quote markers", "cells": "table cells", "emphasis": "emphasis markers",
                 "code": "code and strikethrough markers", "autolinks": "web addresses", "breaks": "line breaks",
                 "openers": "link and tag openers",
                 "blank": "paragraphs", "entities": "character references",
                 "footnotes": "footnote references", "formulas": "formulas"}
        key = max(self.counts, key=lambda k: self.counts[k] * WEIGHTS[k])
        return f"{self.counts[key]:,} {names[key]}"


def nesting(text: str) -> int:
    """The deepest quote and list nesting at the start of a line.  Not part of the estimate: the engine stops
    nesting at :data:`explorer.notes.md.engine.MAX_NESTING` and deep nesting measured cheap (200 kB of lists 30
    deep: 0.08 s); each quote marker is counted instead.  For reports and tests (about 20 ms on 200 kB)."""
    deepest = 0
    for prefix in _PREFIX_RE.findall(text):
        if len(prefix) > deepest * 2:  # only a prefix at least this long can be deeper
            depth = prefix.count(">") + len(re.findall(r"(?:[-*+]|\d{1,9}[.)])[ \t]", prefix)) \
                + (len(prefix) - len(prefix.lstrip(" \t"))) // 2
            deepest = max(deepest, depth)
    return deepest


def estimate(text: str, *, math: bool = True) -> Estimate:
    """The pre-scan (linear; see the module doc).  Over the budget, what sits inside formulas is taken off
    again and each formula weighed instead (:func:`_without_math`; ``math=False``: not, for comparisons)."""
    counts = _count(text)
    counts["formulas"] = 0
    cost = sum(n * WEIGHTS[k] for k, n in counts.items())
    if math and cost > BUDGET and ("$" in text or "math" in text):
        counts = _without_math(text, counts)
        cost = sum(n * WEIGHTS[k] for k, n in counts.items())
    return Estimate(counts, cost)


def _without_math(text: str, counts: dict[str, int]) -> dict[str, int]:
    """``counts`` less the markup inside the formulas :func:`.math_scan.find` is sure of (inline formulas keep their
    lines; display blocks keep their lines and bytes), plus the number of formulas."""
    found = find_math(text)
    if not found.formulas:
        return counts
    out = dict(counts)
    for region, keep in ((found.inline, _KEEP_INLINE), (found.blocks, _KEEP_BLOCK)):
        if region:
            for k, n in _count(region).items():
                if k not in keep:
                    out[k] = max(0, out[k] - n)
    out["formulas"] = found.formulas
    return out


def _count(text: str) -> dict[str, int]:
    c = text.count
    return {
        "bytes": len(text),
        "lines": c("\n") + 1,
        "blank": c("\n\n"),
        "headings": len(_HEADING_RE.findall(text)),
        "items": len(_ITEM_RE.findall(text)),
        "quotes": c(">"),
        "cells": c("|"),
        "emphasis": c("*") + c("_"),
        "code": c("`") + c("~") + c("=") + c("$"),
        "autolinks": c("://") + c("www.") + c("@"),
        "breaks": len(_BREAK_RE.findall(text)),
        "openers": c("[") + c("<") + c("!"),
        "entities": c("&"),
        "footnotes": c("[^"),
    }


def notice_html(est: Estimate) -> str:
    """The notice drawn above a note shown as plain text: why, and how to split it."""
    return ('<div class="markdown-alert markdown-alert-warning">'
            '<p class="markdown-alert-title">Shown as plain text</p>'
            f"<p>This note is too large for the reader to lay out quickly (it has {html.escape(est.main_cause())}), "
            "so it is shown as it is written. To read it with headings, lists and links, split it into several "
            "smaller notes, for example one per top-level heading, and add them separately.</p></div>\n")


def notice_token(est: Estimate) -> Token:
    """The notice as an HTML block (drawn as it is, then sanitised with the rest of the view)."""
    tok = Token("html_block", "", 0)
    tok.block = True
    tok.content = notice_html(est)
    return tok


def plain_token(text: str, line: int) -> Token:
    """The rest of the note as one preformatted block (drawn as a code block without a language)."""
    tok = Token("code_block", "code", 0)
    tok.block = True
    tok.content = text
    tok.map = [line, line + text.count("\n") + 1]
    return tok
