"""FSRS-6 spaced repetition through the ``fsrs`` library: what a review does to a card's state.

Pure functions, no I/O, no Streamlit.  All times are timezone-aware UTC ``datetime`` values, kept to
whole seconds; callers pass ``now`` (nothing here reads the clock).  The stored form of a state and of a
review, and the checks of grades, retention and times, are :mod:`explorer.study.card_state`; counting
states over days (due queue, forecast, heatmap) is :mod:`explorer.study.workload`; an SM-2 card's
conversion is :mod:`explorer.study.sm2_fsrs`.

Scheduling
    The library's :class:`fsrs.Scheduler` (the learner's own FSRS-6 parameters once they optimized them,
    :mod:`explorer.study.optimize`; the default ones until then; learning steps 1 and 10 minutes,
    relearning step 10 minutes, maximum interval 36,500 days) computes every review.  The wrapper
    only (a) rounds stability and difficulty to :data:`~explorer.study.card_state.SIGNIFICANT` significant
    digits so that card states stay compact in JSON (and replays give exactly the stored values), and
    (b) replaces the library's fuzz, which draws from the global ``random``
    module, with the library's fuzz formula fed by a generator seeded by the review's id: a review
    log replayed anywhere (another tab, another server) gives the same due dates.  With
    ``fuzz_key=None`` no fuzz is applied and the result is the library's, to rounding.
    Stability and difficulty do not depend on fuzz or on the desired retention: those only move
    the due date.

Public API
    review_card(state | None, grade, at, *, retention=0.9, fuzz_key=None, params=None) -> CardState
    replay(base | None, reviews, *, fuzz=True, params=None) -> CardState | None
    next_intervals(state | None, now, *, retention=0.9, params=None) -> dict[grade, timedelta]
    format_interval(delta) -> str                         # "10 min", "3 d", "1.5 mo"
    retrievability(state, now) -> float                   # recall probability now (library formula)
    scheduler(retention, params=None) -> fsrs.Scheduler (cached per (retention, params)); to_fsrs_card(state) / from_fsrs_card(card, reviews=, lapses=)
    fuzz_range(days), fuzzed_days(days, key)

Also here for callers of the review API (their home is :mod:`explorer.study.card_state`, or
:mod:`explorer.study.workload` for ``study_stats``):
    GRADES, DEFAULT_RETENTION, MIN_RETENTION, MAX_RETENTION, CardState, check_retention, grade_value, study_stats
"""

from __future__ import annotations

import datetime as _dt
import random
from collections.abc import Iterable
from functools import lru_cache

import fsrs
from fsrs.scheduler import FUZZ_RANGES, STABILITY_MIN

from explorer.study.card_state import (
    DAY,
    DEFAULT_RETENTION,
    GRADES,
    LATEST,
    MAX_COUNT,
    MAX_RETENTION,
    MAX_STABILITY,
    MAXIMUM_INTERVAL,
    MIN_RETENTION,
    CardState,
    check_retention,
    check_time,
    grade_value,
    sig,
    utc,
)
from explorer.study.params import DEFAULTS, check_params
from explorer.study.workload import study_stats

_PHASE_TO_STATE = {"learning": fsrs.State.Learning, "review": fsrs.State.Review, "relearning": fsrs.State.Relearning}
_STATE_TO_PHASE = {v: k for k, v in _PHASE_TO_STATE.items()}


# --------------------------------------------------------------------------- library bridge
@lru_cache(maxsize=256)
def _scheduler(retention: float, params: tuple[float, ...] | None = None) -> fsrs.Scheduler:
    # bounded cache keyed by (retention, parameters): retention values are validated and rounded to 4 decimals,
    # parameters are a learner's checked tuple (None: the defaults); the least recently used go first
    if params is None:
        return fsrs.Scheduler(desired_retention=retention, maximum_interval=MAXIMUM_INTERVAL, enable_fuzzing=False)
    return fsrs.Scheduler(parameters=params, desired_retention=retention, maximum_interval=MAXIMUM_INTERVAL,
                          enable_fuzzing=False)


def _params(params) -> tuple[float, ...] | None:
    return None if params is None or tuple(params) == DEFAULTS else check_params(params)


def scheduler(retention: float = DEFAULT_RETENTION, params: tuple[float, ...] | None = None) -> fsrs.Scheduler:
    """The library scheduler used here (no fuzz: see the module docstring), with the learner's FSRS
    ``params`` (None: the defaults)."""
    return _scheduler(check_retention(retention), _params(params))


def to_fsrs_card(state: CardState) -> fsrs.Card:
    return fsrs.Card(
        card_id=0,  # an explicit id: Card() without one sleeps 1 ms to make ids unique
        state=_PHASE_TO_STATE[state.phase],
        step=state.step,
        stability=state.stability,
        difficulty=state.difficulty,
        due=state.due,
        last_review=state.last_review,
    )


def from_fsrs_card(card: fsrs.Card, *, reviews: int, lapses: int) -> CardState:
    return CardState(
        phase=_STATE_TO_PHASE[fsrs.State(card.state)],
        step=card.step,
        stability=sig(min(max(float(card.stability), STABILITY_MIN), MAX_STABILITY)),
        difficulty=sig(float(card.difficulty)),
        due=utc(card.due),
        last_review=utc(card.last_review),
        reviews=reviews,
        lapses=lapses,
    )


def fuzz_range(days: int, maximum: int = MAXIMUM_INTERVAL) -> tuple[int, int]:
    """The library's fuzz bounds (lo, hi) for an interval of ``days`` (no fuzz below 2.5 days)."""
    if days < 2.5:
        return days, days
    delta = 1.0
    for r in FUZZ_RANGES:
        delta += r["factor"] * max(min(float(days), r["end"]) - r["start"], 0.0)
    lo = max(2, round(days - delta))
    hi = min(round(days + delta), maximum)
    return min(lo, hi), hi


def fuzzed_days(days: int, key: str, maximum: int = MAXIMUM_INTERVAL) -> int:
    """The fuzzed interval, by the library's formula (``round(u * (hi - lo + 1) + lo)``, capped at the
    maximum interval; so lo..hi+1 with half weight at the ends) with ``u`` drawn from a generator
    seeded by ``key``: the same key gives the same interval everywhere."""
    if days < 2.5:
        return days
    lo, hi = fuzz_range(days, maximum)
    u = random.Random(f"fsrs-fuzz:{key}").random()
    return min(round(u * (hi - lo + 1) + lo), maximum)


def review_card(
    state: CardState | None,
    grade: object,
    at: _dt.datetime,
    *,
    retention: float = DEFAULT_RETENTION,
    fuzz_key: str | None = None,
    params: tuple[float, ...] | None = None,
) -> CardState:
    """The state after reviewing a card (``state`` None: a new card) with ``grade`` at time ``at``.

    ``retention`` is the desired retention (validated); ``fuzz_key`` (the review id) spreads review
    intervals of 3 days or more over the library's fuzz range, reproducibly.  A review time before
    the card's last review is allowed (the library treats it as a same-day review).  ``params`` are the
    learner's own FSRS parameters (:mod:`explorer.study.optimize`; None: the defaults).
    """
    rating = fsrs.Rating(grade_value(grade))
    at = check_time(at)
    if at > LATEST:
        raise ValueError(f"review time must be before {LATEST.year}")
    sched = _scheduler(check_retention(retention), _params(params))
    card = to_fsrs_card(state) if state is not None else fsrs.Card(card_id=0, due=at)
    new, _log = sched.review_card(card, rating, at)
    lapse = state is not None and state.phase == "review" and rating == fsrs.Rating.Again
    reviews = min(MAX_COUNT, (state.reviews if state else 0) + 1)  # counters stop at the bound
    lapses = min(reviews, (state.lapses if state else 0) + int(lapse))
    out = from_fsrs_card(new, reviews=reviews, lapses=lapses)
    if fuzz_key is not None and out.phase == "review":
        days = round((out.due - at) / DAY)
        fuzzed = fuzzed_days(days, fuzz_key, sched.maximum_interval)
        if fuzzed != days:
            out = out.model_copy(update={"due": at + _dt.timedelta(days=fuzzed)})
    return out


def replay(base: CardState | None, reviews: Iterable[tuple], *, fuzz: bool = True,
           params: tuple[float, ...] | None = None) -> CardState | None:
    """Apply ``reviews`` ((id, at, grade, retention) tuples, in the order given: sort them by
    :func:`review_key` first) to ``base``, with FSRS ``params`` (None: the defaults)."""
    state = base
    for rid, at, grade, retention in reviews:
        state = review_card(state, grade, at, retention=retention, fuzz_key=rid if fuzz else None, params=params)
    return state


def next_intervals(
    state: CardState | None, now: _dt.datetime, *, retention: float = DEFAULT_RETENTION,
    params: tuple[float, ...] | None = None,
) -> dict[str, _dt.timedelta]:
    """For each grade, how long until the card would be due again if graded now (before fuzz).

    For button labels such as "Good · 3 d"."""
    now = utc(now)
    out = {}
    for g in GRADES:
        nxt = review_card(state, g, now, retention=retention, params=params)
        out[g] = nxt.due - now
    return out


def format_interval(delta: _dt.timedelta) -> str:
    """``timedelta(minutes=10)`` -> "10 min", 3 days -> "3 d", 45 days -> "1.5 mo", 400 days -> "1.1 y"."""
    s = delta.total_seconds()
    if s < 3600:
        return f"{max(1, round(s / 60))} min"
    if s < 86_400:
        return f"{round(s / 3600)} h"
    d = s / 86_400
    if d < 30:
        return f"{round(d)} d"
    if d < 365:
        return f"{d / 30:.1f} mo".replace(".0 ", " ")
    return f"{d / 365:.1f} y".replace(".0 ", " ")


def retrievability(state: CardState | None, now: _dt.datetime, params: tuple[float, ...] | None = None) -> float:
    """Probability of recalling the card now (0 for a new card), by the library's forgetting curve.

    The library counts whole elapsed days, so it is 1.0 on the day of a review."""
    if state is None:
        return 0.0
    return float(_scheduler(DEFAULT_RETENTION, _params(params)).get_card_retrievability(to_fsrs_card(state), utc(now)))


__all__ = [
    "DEFAULT_RETENTION", "GRADES", "MAX_RETENTION", "MIN_RETENTION", "CardState", "check_retention",
    "format_interval", "from_fsrs_card", "fuzz_range", "fuzzed_days", "grade_value", "next_intervals", "replay",
    "retrievability", "review_card", "scheduler", "study_stats", "to_fsrs_card",
]
