"""The cross-checks of a lazy load (:func:`cross_check`), reused while what they read is unchanged.

Split from :mod:`explorer.content.loader`: the loader calls :func:`cross_checks` once per load.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock

from explorer.content.model import Content
from explorer.content.stamp import Stamp
from explorer.notes.note import Note


class _Checks:
    """The cross-checks of the last lazy loads, reused while the YAML, the set of note ids and the notes the
    YAML references are unchanged: an edited note that no YAML file points at costs no cross-check."""

    SIZE = 4

    def __init__(self) -> None:
        self._data: OrderedDict[tuple, tuple[dict[str, str], list]] = OrderedDict()
        self._lock = Lock()

    def get(self, key: tuple, note: Callable[[str], Note | None]) -> list | None:
        with self._lock:
            got = self._data.get(key)
        if got is None:
            return None
        looked, out = got
        same = all((n.digest if (n := note(i)) is not None else None) == d for i, d in looked.items())
        return out if same else None

    def put(self, key: tuple, looked: dict[str, str], out: list) -> None:
        with self._lock:
            self._data[key] = (looked, out)
            while len(self._data) > self.SIZE:
                self._data.popitem(last=False)


_CHECKS = _Checks()


def cross_checks(content: Content, trees: dict, files: dict[str, str], stamp: Stamp, ids: tuple | None = None) -> list:
    """:func:`cross_check`, reused in a lazy load when nothing it read has changed (see :class:`_Checks`)."""
    from explorer.content.validate import cross_check

    if not content.lazy:
        return list(cross_check(content, trees, files))
    lo, hi = bisect_left(stamp, ("notes/",)), bisect_left(stamp, ("notes0",))  # the stamp is sorted: notes/ is one run
    key = (str(content.root), stamp[:lo] + stamp[hi:], ids if ids is not None else tuple(n.id for n in content.notes))
    lookup = content.note  # the content's own lookup (a dict made once per content), before it is wrapped below
    cached = _CHECKS.get(key, lookup)
    if cached is not None:
        return cached
    looked: dict[str, str | None] = {}

    def note(note_id: str) -> Note | None:  # what the checks read of the notes: recorded with its digest
        n = lookup(note_id)
        looked[note_id] = n.digest if n is not None else None
        return n

    content.note = note  # type: ignore[method-assign]  # this load's own object, for the checks only
    try:
        out = list(cross_check(content, trees, files))
    finally:
        del content.note
    _CHECKS.put(key, looked, out)
    return out
