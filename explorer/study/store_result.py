"""What reading a stored value gives: :class:`LoadResult` (the store, the notices for the learner, a
status), and the last step every read takes (:func:`finish_load`: card records checked and repaired, the
store put in canonical form).  Shared by :mod:`explorer.study.store_load` and
:mod:`explorer.study.store_recovery`, with the helpers that name records in a notice.
"""

from __future__ import annotations

from dataclasses import dataclass

from explorer.study.store_cards import record_problem, repair
from explorer.study.store_model import Store, canonical

STATUSES = ("empty", "loaded", "migrated", "recovered", "corrupt", "foreign", "too-large", "future")


@dataclass(frozen=True)
class LoadResult:
    """``store`` is always usable (empty when the value was refused); ``notices`` are for the learner.

    ``status``: empty (nothing stored), loaded, migrated (from the SM-2 progress format), recovered
    (some records were invalid and left out or recomputed, the rest is in ``store``), corrupt (not
    readable JSON), foreign (not this app's value), too-large, future (written by a newer version:
    a newer format number, or fields this version does not know).

    ``dropped`` names the records left out as ``(section, key)`` pairs (e.g. ``("notes", "upload-x")``)."""

    store: Store
    notices: tuple[str, ...]
    status: str
    dropped: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """``store`` holds what could be read: merge it."""
        return self.status in ("empty", "loaded", "migrated", "recovered")

    @property
    def can_overwrite(self) -> bool:
        """False for a value of a newer version: keep it, work in the session only."""
        return self.status != "future"

    @property
    def needs_backup(self) -> bool:
        """The stored text was not read in full (or was converted): keep a copy before anything replaces it."""
        return self.status in ("migrated", "recovered", "corrupt", "foreign", "too-large")


IGNORED = "The saved progress in this browser was ignored"  # how a notice about a refused value begins


def names(items: list[str], limit: int = 6) -> str:
    """``“a”, “b” and 3 more``: record names for a notice (each shortened, control characters dropped)."""
    shown = [f"“{short(x)}”" for x in items[:limit]]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(shown) + more


def short(name: object, limit: int = 60) -> str:
    text = "".join(c if c.isprintable() else "?" for c in str(name))
    return text if len(text) <= limit else text[:limit] + "…"


def finish_load(store: Store, notices: list[str], status: str,
            dropped: tuple[tuple[str, str], ...] = ()) -> LoadResult:
    repaired: list[str] = []
    lost: list[str] = []
    why: list[str] = []
    cards = None
    for cid, rec in store.cards.items():
        problem = record_problem(rec)
        if problem is None:
            continue
        if cards is None:
            cards = dict(store.cards)
        fixed = repair(rec)
        if fixed is None:
            del cards[cid]
            lost.append(cid)
        else:
            cards[cid] = fixed
            repaired.append(cid)
            why.append(problem)
    if cards is not None:
        store = store.model_copy(update={"cards": cards})
    if repaired:
        reasons = "; ".join(dict.fromkeys(why))
        notices.append(f"{len(repaired)} card state(s) did not match their review history ({reasons}) and were "
                       f"recomputed from it: {names(repaired)}.")
    if lost:
        notices.append(f"{len(lost)} card(s) had unusable review data and start again as new cards: {names(lost)}.")
        dropped = (*dropped, *(("cards", c) for c in lost))
    if (repaired or lost) and status == "loaded":
        status = "recovered"
    return LoadResult(canonical(store), tuple(notices), status, dropped)
