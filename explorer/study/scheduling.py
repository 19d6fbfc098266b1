"""FSRS-6 spaced repetition through the ``fsrs`` library: card states, grades, due queue, forecast, heatmap data.

Pure functions, no I/O, no Streamlit.  All times are timezone-aware UTC ``datetime`` values, kept to
whole seconds; callers pass ``now`` (nothing here reads the clock, except :func:`new_review_id`'s
randomness).  Days for the forecast, the heatmap and "today" are counted in the learner's time zone
(``tz``, default UTC).

Scheduling
    The library's :class:`fsrs.Scheduler` (default FSRS-6 parameters, learning steps 1 and 10 minutes,
    relearning step 10 minutes, maximum interval 36,500 days) computes every review.  The wrapper
    only (a) rounds stability and difficulty to :data:`SIGNIFICANT` significant digits so that card
    states stay compact in JSON (and replays give exactly the stored values), and (b) replaces the library's fuzz, which draws from the global ``random``
    module, with the library's fuzz formula fed by a generator seeded by the review's id: a review
    log replayed anywhere (another tab, another server) gives the same due dates.  With
    ``fuzz_key=None`` no fuzz is applied and the result is the library's, to rounding.
    Stability and difficulty do not depend on fuzz or on the desired retention: those only move
    the due date.

Grades: ``"again"``, ``"hard"``, ``"good"``, ``"easy"`` (or the library's ratings 1-4).

Public API
    GRADES, DEFAULT_RETENTION, MIN_RETENTION, MAX_RETENTION
    check_retention(value) -> float                       # ValueError with a message when out of range
    grade_value(grade) -> int                             # "good" -> 3
    utc(when) -> datetime                                 # aware -> UTC, whole seconds; naive -> ValueError
    CardState (pydantic, frozen)                          # phase, step, stability, difficulty, due, last_review, reviews, lapses
    Review (NamedTuple: id, at, grade, retention)         # one review log entry
    new_review_id() -> str
    review_card(state | None, grade, at, *, retention=0.9, fuzz_key=None) -> CardState
    replay(base | None, reviews, *, fuzz=True) -> CardState | None
    next_intervals(state | None, now, *, retention=0.9) -> dict[grade, timedelta]
    retrievability(state, now) -> float                   # recall probability now (library formula)
    due_queue(states, now, deck=None, *, new_limit=None, new_today=0, learn_ahead=20 min) -> list[str]
    forecast(states, now, *, days=7, tz=UTC) -> list[DayCount]
    review_counts(times, now, *, weeks=26, tz=UTC, extra=None) -> list[DayCount]
    study_stats(states, deck, now) -> StudyStats
    to_fsrs_card(state) / from_fsrs_card(card, reviews=, lapses=)
    from_sm2(...) -> CardState | None                     # one SM-2 card mapped to an FSRS state
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import random
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Annotated, Any, Literal, NamedTuple

import fsrs
from fsrs.scheduler import FUZZ_RANGES, MAX_DIFFICULTY, MIN_DIFFICULTY, STABILITY_MIN
from pydantic import BaseModel, ConfigDict, Field, GetPydanticSchema, model_validator

UTC = _dt.UTC
DAY = _dt.timedelta(days=1)

GRADES: tuple[str, ...] = ("again", "hard", "good", "easy")
GRADE_VALUES: dict[str, int] = {g: i + 1 for i, g in enumerate(GRADES)}
Grade = Literal["again", "hard", "good", "easy"]

DEFAULT_RETENTION = 0.9
MIN_RETENTION = 0.70  # below this, intervals get long enough that most answers fail
MAX_RETENTION = 0.97  # above this, review load grows steeply for little gain
SIGNIFICANT = 6  # stability (days) and difficulty (1-10) keep 6 significant digits in JSON (rounding error < 1e-6)
MAX_STABILITY = 1e7  # days; a guard against absurd stored values (real cards stay far below)
MAXIMUM_INTERVAL = 36_500  # days, the library's default
MAX_COUNT = 1_000_000  # reviews and lapses counters stop here
PHASES: tuple[str, ...] = ("learning", "review", "relearning")
_PHASE_TO_STATE = {"learning": fsrs.State.Learning, "review": fsrs.State.Review, "relearning": fsrs.State.Relearning}
_STATE_TO_PHASE = {v: k for k, v in _PHASE_TO_STATE.items()}

EARLIEST = _dt.datetime(2000, 1, 1, tzinfo=UTC)  # review times outside these bounds are refused
LATEST = _dt.datetime(2200, 1, 1, tzinfo=UTC)
LATEST_DUE = LATEST + _dt.timedelta(days=MAXIMUM_INTERVAL + 1)

REVIEW_ID_RE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")  # the same as REVIEW_ID_PATTERN, for Python-side checks


# --------------------------------------------------------------------------- validation helpers
def check_retention(value: object) -> float:
    """The desired retention as a float in [MIN_RETENTION, MAX_RETENTION]; ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"desired retention must be a number, got {value!r}")
    if not MIN_RETENTION <= value <= MAX_RETENTION:
        raise ValueError(
            f"desired retention must be between {MIN_RETENTION:.2f} and {MAX_RETENTION:.2f}, got {value:g}"
        )
    return round(float(value), 4)


def grade_value(grade: object) -> int:
    """``"again"``/``"hard"``/``"good"``/``"easy"`` (any case) or 1-4 -> the library's rating 1-4."""
    if isinstance(grade, str) and grade.strip().lower() in GRADE_VALUES:
        return GRADE_VALUES[grade.strip().lower()]
    if isinstance(grade, int) and not isinstance(grade, bool) and 1 <= grade <= 4:
        return int(grade)
    raise ValueError(f"grade must be one of {', '.join(GRADES)} (or 1-4), got {grade!r}")


def utc(when: _dt.datetime) -> _dt.datetime:
    """``when`` in UTC with whole seconds.  A naive datetime is refused (its time zone is unknown)."""
    if not isinstance(when, _dt.datetime):
        raise ValueError(f"expected a datetime, got {type(when).__name__}")
    if when.tzinfo is None or when.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware (UTC); got a naive datetime")
    if when.tzinfo is not UTC:
        when = when.astimezone(UTC)
    return when.replace(microsecond=0) if when.microsecond else when


def _check_time(when: _dt.datetime) -> _dt.datetime:
    when = utc(when)
    if not EARLIEST <= when <= LATEST_DUE:
        raise ValueError(f"time {when.isoformat()} is outside {EARLIEST.year}-{LATEST_DUE.year}")
    return when


# Checked by pydantic-core itself (no Python callback per value: loading 10,000 reviews stays fast):
# a datetime with UTC offset 0 (a "Z" or "+00:00" string; naive or other offsets are refused) within bounds.
def _utc_between(lo: _dt.datetime, hi: _dt.datetime) -> GetPydanticSchema:
    def schema(source: Any, handler: Any) -> dict:
        out = dict(handler(source))  # pydantic-core's datetime schema (a plain dict), with constraints added
        out.update(tz_constraint=0, ge=lo, le=hi)
        return out

    return GetPydanticSchema(schema)


UtcTime = Annotated[_dt.datetime, _utc_between(EARLIEST, LATEST_DUE)]  # due dates reach past LATEST
ReviewTime = Annotated[_dt.datetime, _utc_between(EARLIEST, LATEST)]  # when a review happened
REVIEW_ID_PATTERN = r"^[A-Za-z0-9_-]{1,40}$"
ReviewId = Annotated[str, Field(pattern=REVIEW_ID_PATTERN)]
Rating = Annotated[int, Field(ge=1, le=4, strict=True)]
Retention = Annotated[float, Field(ge=MIN_RETENTION, le=MAX_RETENTION, allow_inf_nan=False)]
# one review log entry as stored: ["id", "2026-01-31T08:15:00Z", grade 1-4, desired retention]
ReviewEntry = tuple[ReviewId, ReviewTime, Rating, Retention]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- models
class CardState(_Model):
    """The FSRS memory state of one card after at least one review.

    ``phase`` is the library's state (learning / review / relearning); ``step`` the learning or
    relearning step (None in review); ``stability`` in days (the interval at which recall
    probability falls to 90%); ``difficulty`` 1-10; ``reviews`` and ``lapses`` (an Again while in
    review) are counters.
    """

    phase: Literal["learning", "review", "relearning"]
    step: int | None = Field(None, ge=0, le=100)
    stability: float = Field(ge=STABILITY_MIN, le=MAX_STABILITY)
    difficulty: float = Field(ge=MIN_DIFFICULTY, le=MAX_DIFFICULTY)
    due: UtcTime
    last_review: ReviewTime  # bounds checked by pydantic-core, like every time here
    reviews: int = Field(ge=1, le=MAX_COUNT)
    lapses: int = Field(0, ge=0, le=MAX_COUNT)

    @model_validator(mode="after")
    def _consistent(self) -> CardState:
        if (self.step is None) != (self.phase == "review"):
            raise ValueError("step must be set in learning/relearning and absent in review")
        # Compared as wall clocks (day number, time of day), exact for two UTC times: an aware comparison of
        # times with different tzinfo objects (pydantic gives each parsed time its own) calls utcoffset()
        # on both, about 1 µs, and a load validates a state per card.
        due, last = self.due, self.last_review
        if (due.toordinal(), due.time()) < (last.toordinal(), last.time()):
            raise ValueError("due must not be before last_review")
        if self.lapses > self.reviews:
            raise ValueError("lapses cannot exceed reviews")
        return self


class Review(NamedTuple):
    """One review log entry (stored as a plain 4-tuple, :data:`ReviewEntry`; any such tuple will do
    wherever a Review is expected)."""

    id: str
    at: _dt.datetime
    grade: int
    retention: float


def review_key(entry: tuple) -> tuple[_dt.datetime, str]:
    """Replay order of a log entry: time, then id (ties between tabs are broken the same way everywhere)."""
    return (entry[1], entry[0])


def new_review_id() -> str:
    """A random id for a review (48 bits: collisions would need two identical ids on the same card)."""
    return secrets.token_hex(6)


# --------------------------------------------------------------------------- library bridge
@lru_cache(maxsize=64)
def _scheduler(retention: float) -> fsrs.Scheduler:
    # bounded cache: retention values are validated and rounded to 4 decimals (at most 2,701 values in range)
    return fsrs.Scheduler(desired_retention=retention, maximum_interval=MAXIMUM_INTERVAL, enable_fuzzing=False)


def scheduler(retention: float = DEFAULT_RETENTION) -> fsrs.Scheduler:
    """The library scheduler used here (no fuzz: see the module docstring)."""
    return _scheduler(check_retention(retention))


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


def sig(x: float, digits: int = SIGNIFICANT) -> float:
    """``x`` rounded to ``digits`` significant digits (12.3456789 -> 12.3457, 0.00123456789 -> 0.00123457)."""
    return float(f"{x:.{digits}g}")


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
) -> CardState:
    """The state after reviewing a card (``state`` None: a new card) with ``grade`` at time ``at``.

    ``retention`` is the desired retention (validated); ``fuzz_key`` (the review id) spreads review
    intervals of 3 days or more over the library's fuzz range, reproducibly.  A review time before
    the card's last review is allowed (the library treats it as a same-day review).
    """
    rating = fsrs.Rating(grade_value(grade))
    at = _check_time(at)
    if at > LATEST:
        raise ValueError(f"review time must be before {LATEST.year}")
    sched = _scheduler(check_retention(retention))
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


def replay(base: CardState | None, reviews: Iterable[tuple], *, fuzz: bool = True) -> CardState | None:
    """Apply ``reviews`` ((id, at, grade, retention) tuples, in the order given: sort them by
    :func:`review_key` first) to ``base``."""
    state = base
    for rid, at, grade, retention in reviews:
        state = review_card(state, grade, at, retention=retention, fuzz_key=rid if fuzz else None)
    return state


def next_intervals(
    state: CardState | None, now: _dt.datetime, *, retention: float = DEFAULT_RETENTION
) -> dict[str, _dt.timedelta]:
    """For each grade, how long until the card would be due again if graded now (before fuzz).

    For button labels such as "Good · 3 d"."""
    now = utc(now)
    out = {}
    for g in GRADES:
        nxt = review_card(state, g, now, retention=retention)
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


def retrievability(state: CardState | None, now: _dt.datetime) -> float:
    """Probability of recalling the card now (0 for a new card), by the library's forgetting curve.

    The library counts whole elapsed days, so it is 1.0 on the day of a review."""
    if state is None:
        return 0.0
    return float(_scheduler(DEFAULT_RETENTION).get_card_retrievability(to_fsrs_card(state), utc(now)))


# --------------------------------------------------------------------------- queue, forecast, heatmap
def due_queue(
    states: Mapping[str, CardState],
    now: _dt.datetime,
    deck: Iterable[Any] | None = None,
    *,
    new_limit: int | None = None,
    new_today: int = 0,
    learn_ahead: _dt.timedelta = _dt.timedelta(minutes=20),
) -> list[str]:
    """Card ids to study now: due cards first (earliest due = most overdue first), then new cards.

    * A card is due when ``due <= now``; a card in (re)learning also when it is due within
      ``learn_ahead`` (its 1- or 10-minute step), as Anki does, so a session does not stall.
    * ``deck`` (card objects with ``.id`` or ids) limits the queue to those cards and supplies
      the new cards (cards of the deck without a state), in deck order.
    * ``new_limit`` is the daily limit of new cards; ``new_today`` how many were introduced
      today already: at most ``new_limit - new_today`` new cards are added.
    * Ties (same due time) are broken by card id, so the order is stable.
    """
    now = utc(now)
    ids = None if deck is None else list(dict.fromkeys(c if isinstance(c, str) else c.id for c in deck))
    allowed = None if ids is None else set(ids)
    ahead = now + learn_ahead
    due = sorted(
        (st.due, cid)
        for cid, st in states.items()
        if (allowed is None or cid in allowed) and (st.due <= now or (st.phase != "review" and st.due <= ahead))
    )
    out = [cid for _, cid in due]
    if ids is not None:
        new = [cid for cid in ids if cid not in states]
        if new_limit is not None:
            new = new[: max(0, new_limit - max(0, new_today))]
        out += new
    return out


@dataclass(frozen=True)
class DayCount:
    day: _dt.date
    count: int


def local_date(when: _dt.datetime, tz: _dt.tzinfo = UTC) -> _dt.date:
    return utc(when).astimezone(tz).date()


def forecast(
    states: Iterable[CardState], now: _dt.datetime, *, days: int = 7, tz: _dt.tzinfo = UTC
) -> list[DayCount]:
    """Cards due on each of the next ``days`` days (today first) in time zone ``tz``.

    Overdue cards count today; cards due after the window are not counted."""
    if not 1 <= days <= 366:
        raise ValueError("days must be between 1 and 366")
    today = local_date(now, tz)
    counts = [0] * days
    for st in states:
        offset = (local_date(st.due, tz) - today).days
        if offset < days:
            counts[max(0, offset)] += 1
    return [DayCount(today + _dt.timedelta(days=i), n) for i, n in enumerate(counts)]


def heatmap_start(today: _dt.date, weeks: int) -> _dt.date:
    """The Monday ``weeks - 1`` weeks before the Monday of ``today``'s week."""
    return today - _dt.timedelta(days=today.weekday(), weeks=weeks - 1)


def review_counts(
    times: Iterable[_dt.datetime],
    now: _dt.datetime,
    *,
    weeks: int = 26,
    tz: _dt.tzinfo = UTC,
    extra: Mapping[_dt.date, int] | None = None,
) -> list[DayCount]:
    """Reviews per local day from the Monday ``weeks - 1`` weeks ago through today (whole weeks
    for a calendar heatmap; days after today are not included).  ``times`` are aware datetimes.  ``extra`` adds counts by date
    (reviews whose log entries were compacted away)."""
    if not 1 <= weeks <= 260:
        raise ValueError("weeks must be between 1 and 260")
    today = local_date(now, tz)
    start = heatmap_start(today, weeks)
    n = (today - start).days + 1
    counts = [0] * n
    # the UTC instants of the local midnights that bound each day (DST-proof), then one bisect per review
    bounds = [_dt.datetime.combine(start + _dt.timedelta(days=i), _dt.time(0), tz).timestamp() for i in range(n + 1)]
    lo, hi = bounds[0], bounds[-1]
    for t in times:
        if t.tzinfo is None:
            raise ValueError("review times must be timezone-aware")
        x = t.timestamp()
        if lo <= x < hi:
            counts[bisect.bisect_right(bounds, x) - 1] += 1
    for day, k in (extra or {}).items():
        i = (day - start).days
        if 0 <= i < n:
            counts[i] += int(k)
    return [DayCount(start + _dt.timedelta(days=i), c) for i, c in enumerate(counts)]


@dataclass(frozen=True)
class StudyStats:
    due: int  # due now (learn-ahead not included)
    new: int  # cards of the deck never reviewed
    learning: int  # in learning or relearning
    review: int  # in review
    mature: int  # in review with stability >= 21 days (Anki's "mature" threshold on intervals)


def study_stats(states: Mapping[str, CardState], deck: Iterable[Any], now: _dt.datetime) -> StudyStats:
    now = utc(now)
    ids = list(dict.fromkeys(c if isinstance(c, str) else c.id for c in deck))
    mine = [states[i] for i in ids if i in states]
    return StudyStats(
        due=sum(1 for s in mine if s.due <= now),
        new=len(ids) - len(mine),
        learning=sum(1 for s in mine if s.phase != "review"),
        review=sum(1 for s in mine if s.phase == "review"),
        mature=sum(1 for s in mine if s.phase == "review" and s.stability >= 21),
    )


# --------------------------------------------------------------------------- SM-2 -> FSRS
SM2_RETENTION = 0.9  # the recall rate assumed for SM-2 schedules (the usual assumption, as in Anki)


def sm2_memory_state(ease: float, interval_days: float, sm2_retention: float = SM2_RETENTION) -> tuple[float, float]:
    """(stability, difficulty) matching an SM-2 card, by the conversion FSRS tools use for cards
    without review history (fsrs-rs ``memory_state_from_sm2``):

    * stability: the interval SM-2 chose is taken to end at ``sm2_retention`` recall probability,
      so ``S = interval * FACTOR / (R^(1/DECAY) - 1)``; with R = 0.9 that is ``S = interval``;
    * difficulty: SM-2's ease is the factor by which a successful review multiplies the interval;
      FSRS's stability increase after a success at recall R is
      ``1 + e^w8 * (11 - D) * S^-w9 * (e^((1-R) w10) - 1)``.  Setting the two equal and solving
      for D gives ``D = 11 - (ease - 1) / (e^w8 * S^-w9 * (e^((1-R) w10) - 1))``, clamped to 1-10.
    """
    sched = _scheduler(DEFAULT_RETENTION)
    w = sched.parameters
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    stability = max(float(interval_days), STABILITY_MIN) * factor / (sm2_retention ** (1 / decay) - 1)
    stability = min(max(stability, STABILITY_MIN), MAX_STABILITY)
    denom = math.exp(w[8]) * stability ** (-w[9]) * math.expm1((1 - sm2_retention) * w[10])
    difficulty = 11.0 - (float(ease) - 1.0) / denom
    difficulty = min(max(difficulty, MIN_DIFFICULTY), MAX_DIFFICULTY)
    return sig(stability), sig(difficulty)


def from_sm2(
    *,
    repetitions: int,
    interval: int,
    ease: float,
    due: _dt.date,
    last_review: _dt.date | None,
    reviews: int,
    lapses: int,
) -> CardState | None:
    """One SM-2 card as an FSRS state (None for a card that was never reviewed).

    * ``repetitions > 0``: a card in review, stability and difficulty from :func:`sm2_memory_state`;
    * ``repetitions == 0`` after reviews: SM-2 had just restarted it after a failed answer, so it
      continues in relearning (step 0), stability from its one-day interval;
    * dates become 00:00 UTC of that day (SM-2 kept no times); a missing last review is taken as
      ``due - interval``; ``reviews`` and ``lapses`` carry over.
    """
    if reviews <= 0:
        return None
    interval = max(0, int(interval))
    due_t = _dt.datetime.combine(due, _dt.time(0), UTC)
    last_t = (
        _dt.datetime.combine(last_review, _dt.time(0), UTC)
        if last_review is not None
        else due_t - _dt.timedelta(days=interval)
    )
    due_t = max(due_t, last_t)
    stability, difficulty = sm2_memory_state(ease, max(interval, 1))
    relearning = repetitions <= 0
    return CardState(
        phase="relearning" if relearning else "review",
        step=0 if relearning else None,
        stability=stability,
        difficulty=difficulty,
        due=due_t,
        last_review=last_t,
        reviews=min(reviews, MAX_COUNT),
        lapses=min(lapses, reviews, MAX_COUNT),
    )


def sort_reviews(reviews: Iterable[tuple]) -> list[tuple]:
    return sorted(reviews, key=review_key)


__all__ = [
    "DAY", "SIGNIFICANT", "DEFAULT_RETENTION", "GRADES", "GRADE_VALUES", "MAX_RETENTION", "MAX_STABILITY",
    "MAXIMUM_INTERVAL", "MIN_RETENTION", "PHASES", "SM2_RETENTION", "UTC", "CardState", "DayCount", "Grade",
    "Review", "ReviewEntry", "ReviewId", "ReviewTime", "StudyStats", "UtcTime", "check_retention", "due_queue", "forecast", "format_interval",
    "from_fsrs_card", "from_sm2", "fuzz_range", "fuzzed_days", "grade_value", "heatmap_start", "local_date",
    "new_review_id", "next_intervals", "replay", "retrievability", "review_key", "review_card", "review_counts", "scheduler", "sig",
    "sm2_memory_state", "sort_reviews", "study_stats", "to_fsrs_card", "utc",
]
