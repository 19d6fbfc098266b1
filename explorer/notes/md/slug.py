"""GitHub-compatible heading ids.

GitHub (github-slugger) lower-cases the heading's text, drops every character that is not a letter,
a mark, a number, a connector (``_``), a hyphen or a space, and turns each space into a hyphen:
``1.1 First example`` -> ``11-first-example``, ``What's new?`` -> ``whats-new``,
``数据 管道`` -> ``数据-管道``.  A repeated slug gets ``-1``, ``-2``, ... in document order.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

FALLBACK = "section"


@lru_cache(maxsize=4096)
def _keep(ch: str) -> str:
    if ch == " ":
        return "-"
    if ch == "-" or ch == "_":
        return ch
    cat = unicodedata.category(ch)
    return ch if cat[0] in "LMN" or cat == "Pc" else ""


def github_slug(text: str) -> str:
    """The id GitHub gives a heading with this text (may be empty, e.g. for a heading of emoji only)."""
    return "".join(_keep(ch) for ch in text.strip().lower())


class Slugger:
    """Unique GitHub slugs within one document (``x``, ``x-1``, ``x-2``, ...)."""

    def __init__(self, reserved: set[str] | None = None) -> None:
        self._used: set[str] = set(reserved or ())
        self._count: dict[str, int] = {}

    def slug(self, text: str) -> str:
        base = github_slug(text) or FALLBACK
        slug = base
        while slug in self._used:
            self._count[base] = self._count.get(base, 0) + 1
            slug = f"{base}-{self._count[base]}"
        self._used.add(slug)
        return slug
