"""Formulas typeset on the server, for documents without the app's script (the offline study pack).

A rendered view holds each formula as a ``<math>`` element with only its TeX (:func:`.math.tex_element`); the app's
browser typesets those with Temml (``components/note_math``).  A document read offline has no such script, so
:func:`typeset_math` replaces each of them in the *sanitised* HTML by latex2mathml's MathML (:func:`.math_tex.typeset`:
bounded, every text escaped, only the allow-listed elements and attributes written), or by its source with the
reason it is not typeset, within one :class:`.math_tex.Budget` per call (as a view's render had it).  Hand-written
MathML is left as the sanitiser made it.
"""

from __future__ import annotations

import html
import re

from explorer.notes.md.math import BUDGET_NOTICE, source_with_notice
from explorer.notes.md.math_tex import Budget, typeset_within

_TEX_MATH_RE = re.compile(
    r'<math display="(block|inline)"><semantics><annotation encoding="application/x-tex">([^<]*)</annotation>'
    r"</semantics></math>")


def typeset_math(body: str, budget: Budget | None = None) -> str:
    """``body`` (sanitised HTML) with each TeX-only formula typeset to MathML (see the module doc)."""
    if "application/x-tex" not in body:
        return body
    budget = budget or Budget()
    memo: dict = {}
    told = False

    def one(m: re.Match) -> str:
        nonlocal told
        display, tex = m[1] == "block", html.unescape(m[2])
        markup = "$$" if display else "$"
        done = typeset_within(tex, display, budget, memo)
        if done is None:
            reason, told = (None if told else BUDGET_NOTICE), True
            return source_with_notice(tex, markup, reason)
        if done.html is None:
            return source_with_notice(tex, markup, f"Formula not typeset: {done.error}.")
        return done.html

    return _TEX_MATH_RE.sub(one, body)

