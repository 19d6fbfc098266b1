"""The indexer's math step: the formulas of the content's notes typeset ahead, into :mod:`.math_cache`.

The background indexer (:mod:`explorer.notes.indexer`) hands :class:`MathWarmer` the text of every content note
it parses (:meth:`MathWarmer.add`: a check for ``$`` or ``math``, no work); its thread then typesets one note's
formulas per step (:meth:`MathWarmer.step`), after the search and link work, at the indexer's duty cycle.  So the
first visitor of a note with formulas finds them typeset: who pays is the indexer's thread, once per process.

A step parses the note again (the indexer keeps light notes without their tokens; the parse is the same one a
render makes, so the formulas are the same keys) and typesets within the same :class:`.math_tex.Budget` as one
rendered view: one step costs at most a parse under the parse budget plus about 0.4 s of typesetting.
A note typeset before (by an earlier step) costs only the parse and the look-ups.  Uploads are never added.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from threading import Lock

from markdown_it.token import Token

from explorer.notes.md import math_cache, math_tex
from explorer.notes.md.document import parse_document
from explorer.notes.md.math_tex import MAX_TEX_CHARS, Budget

MAX_QUEUE = 10_000
"""Notes waiting for their formulas (each is the note's text, which the content holds anyway)."""


def formulas(tokens: Iterable[Token]) -> Iterator[tuple[str, bool]]:
    """``(tex, display)`` of every formula in a parse, in order (the keys a render looks up)."""
    for tok in tokens:
        if tok.type == "math_block":
            yield tok.content, True
        elif tok.type == "inline":
            for child in tok.children or ():
                if child.type in ("math_inline", "math_inline_double"):
                    yield child.content, child.type == "math_inline_double"


def may_have_math(text: str) -> bool:
    return "$" in text or "math" in text


def warm(text: str, budget: Budget | None = None) -> int:
    """Typeset the formulas of one content note into :mod:`.math_cache` (within ``budget``, by default one
    view's); the number typeset now."""
    if not may_have_math(text):
        return 0
    try:
        tokens = parse_document(text).tokens
    except (RecursionError, ValueError):  # a note the engine cannot read is shown as text: no formulas
        return 0
    budget = budget or Budget()
    done = 0
    for key in dict.fromkeys(formulas(tokens)):
        if math_cache.has(key):
            continue
        if not budget.take(min(len(key[0]), MAX_TEX_CHARS)):  # as a render takes it
            break
        math_cache.put(key, math_tex.typeset(*key))
        done += 1
    return done


class MathWarmer:
    """The queue of content notes whose formulas are still to be typeset (see the module doc)."""

    def __init__(self) -> None:
        self._queue: deque[str] = deque()
        self._lock = Lock()
        self.typeset = 0  # formulas typeset by this warmer (tests, reports)

    def add(self, text: str) -> None:
        """Queue a content note's text (cheap; a note without ``$`` or ``math`` is skipped)."""
        if may_have_math(text):
            with self._lock:
                if len(self._queue) < MAX_QUEUE:
                    self._queue.append(text)

    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def step(self) -> bool:
        """Typeset one queued note's formulas; False when nothing is queued."""
        with self._lock:
            if not self._queue:
                return False
            text = self._queue.popleft()
        self.typeset += warm(text)
        return True
