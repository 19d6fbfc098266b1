"""A synthetic learner whose true FSRS parameters are known: review logs for tests and the bench.

Each card is introduced on its day (``new_per_day`` a day), reviewed exactly when the scheduler built
on the *true* parameters says it is due, and remembered with the true forgetting curve's probability
(so a fit to these logs should find parameters near the true ones, and beat the defaults when the true
ones differ from them).  Pure and reproducible: the same arguments give the same logs.

Public API
    TRUE_PARAMS                                   # the default parameters, changed where a fit can see it
    review_logs(cards, days, *, seed, params, retention, start, ids) -> {card id: [log entries]}
    learner_store(cards, days, ...) -> Store      # the same logs as a learner's store (records replayed)
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Sequence

import fsrs

from explorer.study import card_state as cs

# The defaults with a learner who forgets faster than average at first (w0-w3: the first stabilities), whose
# stability grows less after a success (w8) and whose forgetting curve is steeper (w20): a fit on a few thousand
# reviews recovers much of it.
_D = fsrs.Scheduler().parameters
TRUE_PARAMS: tuple[float, ...] = (0.05, 0.2, 0.5, 2.0, *_D[4:8], 1.2, *_D[9:20], 0.4)
START = _dt.datetime(2026, 1, 5, 9, 0, tzinfo=cs.UTC)
_FIRST = ((1, 0.2), (2, 0.1), (3, 0.6), (4, 0.1))  # first grade: again, hard, good, easy
_PASS = ((2, 0.15), (3, 0.75), (4, 0.10))  # a remembered card's grade


def _pick(rng: random.Random, weights: tuple[tuple[int, float], ...]) -> int:
    u, acc = rng.random(), 0.0
    for grade, p in weights:
        acc += p
        if u < acc:
            return grade
    return weights[-1][0]


def review_logs(cards: int, days: int, *, seed: int = 1, params: tuple[float, ...] = TRUE_PARAMS,
                retention: float = 0.9, new_per_day: int = 20, start: _dt.datetime = START,
                ids: Sequence[str] | None = None) -> dict[str, list[tuple]]:
    """``{card id: [(review id, time, grade 1-4, retention), ...]}`` for ``cards`` cards over ``days`` days (card
    ids ``synthetic:00000``, ... or the first ``cards`` of ``ids``)."""
    rng = random.Random(seed)
    sched = fsrs.Scheduler(parameters=params, desired_retention=retention, enable_fuzzing=False)
    end = start + _dt.timedelta(days=days)
    out: dict[str, list[tuple]] = {}
    for i in range(cards):
        at = start + _dt.timedelta(days=i // max(new_per_day, 1), minutes=(i % max(new_per_day, 1)) * 3)
        if at >= end:
            break
        card = fsrs.Card(card_id=i + 1, due=at)
        log: list[tuple] = []
        while at < end and len(log) < 200:
            if not log:
                grade = _pick(rng, _FIRST)
            else:
                recall = (0.9 if card.state != fsrs.State.Review
                          else sched.get_card_retrievability(card, at))
                grade = _pick(rng, _PASS) if rng.random() < recall else 1
            card, _ = sched.review_card(card, fsrs.Rating(grade), at)
            log.append((f"s{i}n{len(log)}", at, grade, retention))
            at = cs.utc(card.due)
        out[ids[i] if ids is not None else f"synthetic:{i:05d}"] = log
    return out


def learner_store(cards: int, days: int, **kw):
    """A learner's store holding :func:`review_logs` (each card's record replayed as the app would)."""
    from explorer.study import store_model as M
    from explorer.study.store_cards import record_from_reviews

    records = {cid: record_from_reviews(log) for cid, log in review_logs(cards, days, **kw).items()}
    return M.build(M.empty(), cards=dict(sorted(records.items())))
