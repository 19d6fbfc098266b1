"""The learner's review log as the optimizer and the statistics read it: checked, then cut into FSRS items.

Pure, no I/O.  A log the app wrote is always in order, dated in the past, one entry per review id.  A
log that was edited by hand or tampered with may not be: :func:`check` names every such problem
(reviews dated in the future, a review dated before the one logged before it, the same review twice,
entries out of order) and the optimizer refuses to fit on it.  Nothing here changes the store: the
learner keeps their progress whatever the log holds.

FSRS reads days: a review's ``delta_t`` is the number of UTC calendar days since the card's previous
review (0 for the first, and for a same-day learning step).  :func:`items` gives, per card, one training
item per review made on a later day than the one before it (the review to predict, with the history
before it), the form fsrs-rs trains and evaluates on.

Public API
    LogProblem(kind, card, detail)                 # kind: future | negative | duplicate | order
    check(store, now, *, limit=5) -> list[LogProblem]
    describe(problems) -> str                      # one notice naming what was found
    card_reviews(store) -> {card id: [(date, grade), ...]}   # in log order, compacted reviews left out
    items(card_reviews) -> [(card id, [(grade, delta_t), ...]), ...]
    review_count(store) -> int
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from typing import NamedTuple

CLOCK_SLACK = _dt.timedelta(minutes=10)  # a review up to this far ahead of the server clock is not "future"
_KINDS = {
    "future": "dated in the future",
    "negative": "dated before the review logged before it (a negative interval)",
    "duplicate": "logged twice",
    "order": "out of order",
}


class LogProblem(NamedTuple):
    kind: str
    card: str
    detail: str


def check(store, now: _dt.datetime, *, limit: int = 5) -> list[LogProblem]:
    """Problems of the store's review logs (at most ``limit`` per kind; empty when the log is sound).

    Linear in the reviews; time comparisons are between UTC wall clocks (the store's times are UTC)."""
    found: dict[str, list[LogProblem]] = {k: [] for k in _KINDS}
    latest = now + CLOCK_SLACK

    def add(kind: str, card: str, detail: str) -> None:
        if len(found[kind]) < limit:
            found[kind].append(LogProblem(kind, card, detail))

    for cid, rec in store.cards.items():
        log = rec.log
        base = rec.base_state
        prev_key = (base.last_review, rec.base_id) if base is not None and rec.base_id is not None else None
        seen: set[str] = set()
        seen_at: set[tuple] = set()
        for rid, at, grade, _r in log:
            if at > latest:
                add("future", cid, f"review “{rid}” at {at:%Y-%m-%d %H:%M} UTC")
            if rid in seen:
                add("duplicate", cid, f"review id “{rid}”")
            elif (at, grade) in seen_at:
                add("duplicate", cid, f"two reviews at {at:%Y-%m-%d %H:%M:%S} UTC with the same grade")
            seen.add(rid)
            seen_at.add((at, grade))
            if prev_key is not None:
                if at < prev_key[0]:
                    add("negative", cid, f"review “{rid}” at {at:%Y-%m-%d %H:%M} UTC")
                elif (at, rid) < prev_key:
                    add("order", cid, f"review “{rid}”")
            prev_key = (at, rid)
    return [p for k in _KINDS for p in found[k]]


def describe(problems: Iterable[LogProblem]) -> str:
    """One notice for the learner: which kinds of problem, on which cards (a few named)."""
    by_kind: dict[str, list[LogProblem]] = {}
    for p in problems:
        by_kind.setdefault(p.kind, []).append(p)
    parts = []
    for kind, ps in by_kind.items():
        shown = "; ".join(f"card “{p.card[:60]}”: {p.detail}" for p in ps[:3])
        parts.append(f"reviews {_KINDS[kind]} ({shown})")
    return ("Your review log has entries the app never writes, so it was not used to fit parameters: "
            + "; ".join(parts) + ". Your progress is kept as it is.")


def card_reviews(store) -> dict[str, list[tuple[_dt.date, int]]]:
    """Each card's logged reviews as (UTC date, grade), in log order.  A card whose earliest reviews were
    compacted away (a base) starts mid-history: it is left out, since FSRS needs a card's whole history."""
    out = {}
    for cid, rec in store.cards.items():
        if rec.log and rec.base_state is None:
            out[cid] = [(at.date(), grade) for _rid, at, grade, _r in rec.log]
    return out


MAX_HISTORY = 256  # fsrs-rs's own longest sequence (TrainingConfig.max_seq_len): a card's later reviews add no item
MAX_ITEM_REVIEWS = 1_000_000  # all items' histories together: each item repeats its card's history (quadratic)


def items(reviews: Mapping[str, list[tuple[_dt.date, int]]], *, max_total: int = MAX_ITEM_REVIEWS
          ) -> list[tuple[str, list[tuple[int, int]]]]:
    """Training items: for each review made on a later day than the card's previous review, (card id,
    [(grade, delta_t), ...] up to and including it).  Bounded: histories of at most :data:`MAX_HISTORY`
    reviews, at most ``max_total`` reviews in all the items together (a hand-made log of a few cards with a
    thousand reviews each would otherwise make hundreds of millions)."""
    out = []
    total = 0
    for cid, seq in reviews.items():
        hist: list[tuple[int, int]] = []
        prev = None
        for day, grade in seq[:MAX_HISTORY]:
            delta = 0 if prev is None else (day - prev).days
            prev = day
            hist.append((grade, delta))
            if delta > 0 and len(hist) > 1:
                total += len(hist)
                if total > max_total:
                    return out
                out.append((cid, list(hist)))
    return out


def review_count(store) -> int:
    return sum(len(rec.log) for rec in store.cards.values())
