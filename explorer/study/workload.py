"""The learner's workload, counted from card states: what to study now, how many cards fall due on each
day ahead, how many reviews were made on each day behind (the heatmap), and a deck's counts.

Pure, no I/O.  Times are timezone-aware (:func:`explorer.study.card_state.utc`); days are counted in the
learner's time zone (``tz``, default UTC).

Public API
    due_queue(states, now, deck=None, *, new_limit=None, new_today=0, learn_ahead=20 min) -> list[str]
    forecast(states, now, *, days=7, tz=UTC) -> list[DayCount]
    review_counts(times, now, *, weeks=26, tz=UTC, extra=None) -> list[DayCount]
    heatmap_start(today, weeks) -> date; local_date(when, tz) -> date
    study_stats(states, deck, now) -> StudyStats
"""

from __future__ import annotations

import bisect
import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from explorer.study.card_state import UTC, CardState, utc


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


__all__ = ["DayCount", "StudyStats", "due_queue", "forecast", "heatmap_start", "local_date", "review_counts",
           "study_stats"]
