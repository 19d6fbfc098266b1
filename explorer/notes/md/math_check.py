"""``python -m explorer validate`` for math: every formula that cannot be typeset, with its file, line and reason.

The reader shows such a formula as its TeX with a quiet notice (:func:`.math.render_math`); here each one is a
warning, so a learner can fix the note.  Formulas are found by the same parse the reader makes and typeset by
the same :func:`.math_tex.typeset` (its checks bound each formula); at most :data:`MAX_CHECKED` per note.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from markdown_it.token import Token

from explorer.notes.md.math_tex import typeset

MAX_CHECKED = 5000
"""Formulas checked per note (a note of more is read by the view's budget anyway)."""
MAX_TEX_SHOWN = 60
"""Characters of a formula's TeX named in a warning."""


def formulas_with_lines(tokens: Iterable[Token]) -> Iterator[tuple[str, bool, int]]:
    """``(tex, display, 0-based line)`` of every formula in a parse, in order."""
    for tok in tokens:
        if tok.type == "math_block":
            yield tok.content, True, tok.map[0] if tok.map else 0
        elif tok.type == "inline" and tok.children:
            line = tok.map[0] if tok.map else 0
            for child in tok.children:
                if child.type in ("math_inline", "math_inline_double"):
                    yield child.content, child.type == "math_inline_double", line
                    line += child.content.count("\n")
                elif child.type in ("softbreak", "hardbreak"):
                    line += 1
                elif child.type in ("text", "code_inline"):
                    line += child.content.count("\n")


def math_problems(notes: Iterable[Any]) -> Iterator[tuple[str, int, str]]:
    """(note path, 1-based line, message) for each formula that cannot be typeset."""
    for note in notes:
        if "$" not in note.text and "math" not in note.text:
            continue
        checked: dict[tuple[str, bool], str | None] = {}
        for tex, display, line in formulas_with_lines(note.document().tokens):
            key = (tex, display)
            if key not in checked:
                if len(checked) >= MAX_CHECKED:
                    break
                checked[key] = typeset(tex, display).error
            error = checked[key]
            if error is not None:
                flat = " ".join(tex.split())
                shown = flat if len(flat) <= MAX_TEX_SHOWN else flat[:MAX_TEX_SHOWN] + "…"
                fence = "$$" if display else "$"
                yield note.path, line + 1, f"formula {fence}{shown}{fence} is shown as TeX: {error}"
