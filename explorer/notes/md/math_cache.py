"""Formulas of the content's notes, typeset once per process: a bounded cache that the background indexer fills.

Typesetting is what a formula costs (latex2mathml: 0.05-0.3 ms each; a note of 200 formulas took x5.4 a plain
markdown-it render of its text, ``bench/`` section ``math``).  The notes in ``content/notes/`` are the same for
every visitor, so their formulas are typeset once, by the indexer's thread (:mod:`explorer.notes.math_warm`),
and the first visitor's render of such a note finds them here (:func:`.math_tex.typeset_within` looks here
after the note's own memo, before it typesets).

Only the indexer writes (:func:`put`), and it reads only the content's notes, so what a visitor uploads never
enters this cache: an upload's formulas are typeset in its own render and kept with its own parse (the note's
memo, in that session).  An upload may *read* a formula the content also has (the result is the same MathML;
nothing of a visitor is stored or shown to another).

Bounded: :data:`MAX_ENTRIES` formulas and :data:`MAX_CHARS` characters of MathML in all; the least recently used
go first.  A formula that was not typeset (an error) is kept too, so its reason is not computed again.
"""

from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from explorer.notes.md.math_tex import Typeset

MAX_ENTRIES = 20_000
"""Formulas kept (a lecture note holds a few hundred)."""
MAX_CHARS = 16_000_000
"""Characters of MathML kept in all (a short formula is 0.3-2 kB; about 32 MB of memory at most)."""

_lock = Lock()
_cache: OrderedDict[tuple[str, bool], Typeset] = OrderedDict()
_chars = 0


def _size(key: tuple[str, bool], done: Typeset) -> int:
    return len(key[0]) + len(done.html or done.error or "")


def get(key: tuple[str, bool]) -> Typeset | None:
    """The typeset formula ``(tex, display)``, or None when the indexer has not typeset it (or it was dropped)."""
    with _lock:
        done = _cache.get(key)
        if done is not None:
            _cache.move_to_end(key)
        return done


def put(key: tuple[str, bool], done: Typeset) -> None:
    """Keep one formula of the content's notes (the indexer's thread; see the module doc)."""
    global _chars
    size = _size(key, done)
    if size > MAX_CHARS:
        return
    with _lock:
        old = _cache.pop(key, None)
        if old is not None:
            _chars -= _size(key, old)
        _cache[key] = done
        _chars += size
        while len(_cache) > MAX_ENTRIES or _chars > MAX_CHARS:
            k, v = _cache.popitem(last=False)
            _chars -= _size(k, v)


def has(key: tuple[str, bool]) -> bool:
    with _lock:
        return key in _cache


def held() -> tuple[int, int]:
    """(formulas, characters) kept now."""
    with _lock:
        return len(_cache), _chars


def clear() -> None:
    """Forget every formula (tests and the bench's cold rows)."""
    global _chars
    with _lock:
        _cache.clear()
        _chars = 0
