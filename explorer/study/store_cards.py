"""A card's record in the store: its invariants, rebuilding it by replaying its review log, merging two.

A :class:`~explorer.study.store_model.CardRecord` keeps a card's state and its review log since a base
(the state its compacted reviews left).  ``state == replay(base, log)`` always: :func:`record_problem`
checks it cheaply at every load, :func:`repair` recomputes a record that breaks it, :func:`merge_record`
joins the logs of two tabs and replays the union (resuming after the longest shared prefix).
"""

from __future__ import annotations

from collections.abc import Iterable

from explorer.study import card_state as cs
from explorer.study import scheduling as sch
from explorer.study import store_model as M
from explorer.study.card_state import CardState, review_key
from explorer.study.store_model import CardRecord


def record_problem(rec: CardRecord) -> str | None:
    """Why a record breaks its invariants (cheap checks, no replay), or None.

    Runs for every card at load, so the common record (a log, no base) takes the shortest path."""
    log, base, base_id = rec.log, rec.base, rec.base_id
    if not log:
        if base is not None:
            return "a base without a base id or later reviews"
        return "no reviews" if base_id is None else None
    if (base is None) != (base_id is None):
        return "a base id without a base" if base is None else "a base without a base id or later reviews"
    n = len(log)
    # The order of the log is not checked here (sorting 10,000 aware datetimes would cost load() about a
    # fifth of its time): merge() sorts and replays, and a log out of order only arises from a hand edit.
    if n > 1 and len({r[0] for r in log}) != n:
        return "a review log with a repeated review id"
    if base is not None and review_key(log[0]) <= (base.last_review, base_id):
        return "reviews older than the base"
    state, last = rec.state, log[-1][1]
    # the times compared as UTC wall clocks, as in CardState's check: an aware comparison costs ~1 µs here
    if (state.reviews != min(cs.MAX_COUNT, (base.reviews if base is not None else 0) + n)
            or state.last_review.time() != last.time() or state.last_review.toordinal() != last.toordinal()):
        return "a state that does not match its log"
    return None


def make_record(state: CardState | None, log: list[tuple], base: CardState | None, base_id: str | None) -> CardRecord | None:
    if state is None:
        return None
    if not log:
        return CardRecord.model_construct(state=state, log=(), base=None, base_id=base_id)
    return CardRecord.model_construct(state=state, log=tuple(log), base=base, base_id=base_id if base is not None else None)


def fold_prefix(base: CardState | None, base_id: str | None, log: list[tuple], k: int,
                params: tuple[float, ...] | None = None) -> tuple[CardState | None, str | None, list[tuple]]:
    """Fold the first ``k`` reviews of ``log`` into the base (replayed with FSRS ``params``, None: the defaults)."""
    if k <= 0:
        return base, base_id, log
    new_base = sch.replay(base, log[:k], params=params)
    return new_base, log[k - 1][0], log[k:]


def _union_log(a: Iterable[tuple], b: Iterable[tuple]) -> dict[str, tuple]:
    """Review entries by id; two different entries with one id (only a corrupted value has them):
    the greater (time, grade, retention) wins, the same way everywhere."""
    out: dict[str, tuple] = {}
    for r in (*a, *b):
        old = out.get(r[0])
        if old is None or r[1:] > old[1:]:
            out[r[0]] = r
    return out


def _rebuild(
    base: CardState | None, base_id: str | None, entries: Iterable[tuple], known: tuple[CardRecord, ...] = (),
    params: tuple[float, ...] | None = None,
) -> CardRecord | None:
    """The record replaying ``entries`` (those newer than the base, deduplicated, sorted) from the base.

    ``known`` are records whose state is already the replay of a prefix of that log from the same
    base: the replay resumes after the longest such prefix (when two records offer prefixes of the
    same length they are the same log, so they differ in state only and the log is replayed in full)."""
    bk = (base.last_review, base_id) if base is not None and base_id is not None else None
    log = sorted((r for r in entries if bk is None or review_key(r) > bk), key=review_key)
    if len(log) > M.MAX_LOG_PER_CARD:
        base, base_id, log = fold_prefix(base, base_id, log, len(log) - M.MAX_LOG_PER_CARD, params)
        known = ()
    prefixes = sorted(
        (len(k.log) for k in known
         if k.log and k.base_key == (None if base is None else bk) and k.base_state == base
         and len(k.log) <= len(log) and tuple(log[: len(k.log)]) == tuple(k.log)),
        reverse=True,
    )
    start, skip = base, 0
    if prefixes and (len(prefixes) == 1 or prefixes[0] != prefixes[1]):
        skip = prefixes[0]
        start = next(k.state for k in known if len(k.log) == skip and tuple(log[:skip]) == tuple(k.log))
    state = sch.replay(start, log[skip:], params=params)
    return make_record(state, log, base, base_id)


def record_from_reviews(entries: Iterable[tuple]) -> CardRecord | None:
    """A new card's record after ``entries`` (review log entries: deduplicated by id and replayed in time
    order); None without any.  Raises ValueError when a review cannot be replayed."""
    return _rebuild(None, None, _union_log(entries, ()).values())


def _base_rank(rec: CardRecord) -> tuple:
    bk = rec.base_key
    if bk is None:
        return (0,)
    return (1, bk, rec.base_state.model_dump_json())  # type: ignore[union-attr]


def merge_record(x: CardRecord, y: CardRecord, *, params: tuple[float, ...] | None = None) -> CardRecord | None:
    """The two records' logs joined and replayed (with FSRS ``params``: the learner's, None for the defaults)."""
    if x == y:
        return x
    winner = x if _base_rank(x) >= _base_rank(y) else y
    base = winner.base_state if winner.base_key is not None else None
    base_id = winner.base_id if base is not None else None
    return _rebuild(base, base_id, _union_log(x.log, y.log).values(), (x, y), params)


def repair(rec: CardRecord) -> CardRecord | None:
    base = rec.base if rec.base is not None else (rec.state if rec.base_id is not None and not rec.log else None)
    base_id = rec.base_id if base is not None else None
    try:
        return _rebuild(base, base_id, _union_log(rec.log, ()).values())
    except ValueError:
        return None
