"""A card's FSRS memory state and its review log entries as they are stored, with the checks of what goes in.

Pure, no I/O.  All times are timezone-aware UTC ``datetime`` values kept to whole seconds, between
:data:`EARLIEST` and :data:`LATEST` (a due date may reach past :data:`LATEST` by the longest interval).
Stability and difficulty keep :data:`SIGNIFICANT` significant digits (:func:`sig`), so card states stay
compact in JSON and a replay gives exactly the stored values.  The scheduling itself (what a review does
to a state) is :mod:`explorer.study.scheduling`.

Grades: ``"again"``, ``"hard"``, ``"good"``, ``"easy"`` (or the library's ratings 1-4).

Public API
    GRADES, DEFAULT_RETENTION, MIN_RETENTION, MAX_RETENTION, EARLIEST, LATEST, LATEST_DUE, MAX_COUNT
    check_retention(value) -> float                       # ValueError with a message when out of range
    grade_value(grade) -> int                             # "good" -> 3
    utc(when) -> datetime                                 # aware -> UTC, whole seconds; naive -> ValueError
    check_time(when) -> datetime                          # utc() within EARLIEST..LATEST_DUE
    sig(x) -> float                                       # SIGNIFICANT significant digits
    CardState (pydantic, frozen)                          # phase, step, stability, difficulty, due, last_review, reviews, lapses
    UtcTime, ReviewTime, ReviewId, ReviewEntry            # pydantic field types, checked by pydantic-core
    Review (NamedTuple: id, at, grade, retention)         # one review log entry
    review_key(entry), sort_reviews(entries), new_review_id()
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import secrets
from collections.abc import Iterable
from typing import Annotated, Any, Literal, NamedTuple

from fsrs.scheduler import MAX_DIFFICULTY, MIN_DIFFICULTY, STABILITY_MIN
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


def check_time(when: _dt.datetime) -> _dt.datetime:
    """:func:`utc` of ``when``, refused (ValueError) outside :data:`EARLIEST` .. :data:`LATEST_DUE`."""
    when = utc(when)
    if not EARLIEST <= when <= LATEST_DUE:
        raise ValueError(f"time {when.isoformat()} is outside {EARLIEST.year}-{LATEST_DUE.year}")
    return when


def sig(x: float, digits: int = SIGNIFICANT) -> float:
    """``x`` rounded to ``digits`` significant digits (12.3456789 -> 12.3457, 0.00123456789 -> 0.00123457)."""
    return float(f"{x:.{digits}g}")


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


def sort_reviews(reviews: Iterable[tuple]) -> list[tuple]:
    return sorted(reviews, key=review_key)


def new_review_id() -> str:
    """A random id for a review (48 bits: collisions would need two identical ids on the same card)."""
    return secrets.token_hex(6)


__all__ = [
    "DAY", "DEFAULT_RETENTION", "EARLIEST", "GRADES", "GRADE_VALUES", "LATEST", "LATEST_DUE", "MAXIMUM_INTERVAL",
    "MAX_COUNT", "MAX_RETENTION", "MAX_STABILITY", "MIN_RETENTION", "PHASES", "REVIEW_ID_PATTERN", "REVIEW_ID_RE",
    "SIGNIFICANT", "UTC", "CardState", "Grade", "Rating", "Retention", "Review", "ReviewEntry", "ReviewId",
    "ReviewTime", "UtcTime", "check_retention", "check_time", "grade_value", "new_review_id", "review_key", "sig",
    "sort_reviews", "utc",
]
