"""An exam review overlay: every card of a deck or folder seen at least once in the last days before its exam.

FSRS's memory state (stability, difficulty, the due date it computed) is never changed: the plan is computed
from the card states each time and only *overlays* an earlier due date, for the study queue and the forecast.
A review made because of the overlay is an ordinary (early) FSRS review: the library's forgetting curve takes
the shorter elapsed time into account.

The window (:func:`window_length`): the last 3 days before an exam up to two weeks away, the last 5 up to six
weeks, the last 7 beyond (a longer window spreads more cards; a near exam leaves fewer days).  It never starts
before today and ends the day before the exam (the exam day itself when the exam is today).

Per card in the scope that has been studied (new cards are not in memory yet: the plan leaves them to the
daily new-card limit and the page says how many there are):

* **seen**: reviewed on a day of the window already: nothing to add;
* **in window**: its own due date falls in the window: it is reviewed then, nothing to add (not doubled);
* **pulled**: due after the window (after the exam, typically): its due date is pulled to a day of the window
  (:attr:`ExamPlan.due`, used by the queue);
* **again**: due before the window: it is reviewed on its own day first, and the plan expects one more
  review in the window (:attr:`ExamPlan.again`, counted by the forecast; once the earlier review is made,
  the card is re-planned from its new state).

Days of the window are filled evenly: each added card goes to the window day with the fewest reviews so far
(the earliest on a tie), the cards in order of their own due date.  A card in several scopes follows the
earliest exam.  The work is linear in the cards plus a sort (2,000 cards: a few milliseconds).

Public API
    window_length(days_left) -> int; window(exam, today) -> Window | None
    plan(states, scopes, now, *, tz=UTC) -> ExamPlan
    ExamPlan.overlay(states, until=None) -> states with the pulled due dates (memory state unchanged)
    with_exam_reviews(queue, plan, states, now, deck_ids, aside=()) -> the study queue with the pulled cards
    forecast(states, plan, now, *, days, tz=UTC) -> list[PlanDay]
"""

from __future__ import annotations

import datetime as _dt
import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from explorer.study.card_state import UTC, CardState
from explorer.study.card_state import utc as _dt_utc
from explorer.study.workload import local_date

NEAR_DAYS, MID_DAYS = 14, 42  # an exam within two weeks: 3-day window; within six weeks: 5 days; beyond: 7


def window_length(days_left: int) -> int:
    """How many days before the exam the review window holds (see the module doc)."""
    return 3 if days_left <= NEAR_DAYS else 5 if days_left <= MID_DAYS else 7


@dataclass(frozen=True)
class Window:
    scope: str
    exam: _dt.date
    start: _dt.date  # first day of the window (inclusive)
    end: _dt.date  # last day of the window (inclusive): the day before the exam

    @property
    def days(self) -> list[_dt.date]:
        return [self.start + _dt.timedelta(days=i) for i in range((self.end - self.start).days + 1)]

    def describe(self, today: _dt.date) -> str:
        n = len(self.days)
        if self.exam <= today:
            return "The exam is today: every card of it not yet seen today is due now."
        span = "tomorrow" if n == 1 and self.start == today + _dt.timedelta(days=1) else (
            "today" if n == 1 and self.start == today else f"the last {n} days before it")
        return (f"Every card you have studied is planned for at least one review in {span} "
                f"({self.start.isoformat()} to {self.end.isoformat()}).")


def window(scope: str, exam: _dt.date, today: _dt.date) -> Window | None:
    """The review window of an exam on ``exam`` seen on ``today``; None for an exam already past."""
    days_left = (exam - today).days
    if days_left < 0:
        return None
    end = max(today, exam - _dt.timedelta(days=1))
    start = max(today, exam - _dt.timedelta(days=window_length(days_left)))
    return Window(scope, exam, start, end)


@dataclass(frozen=True)
class ScopePlan:
    window: Window
    cards: int = 0  # cards of the scope
    new: int = 0  # never studied: not planned
    seen: int = 0  # reviewed in the window already
    in_window: int = 0  # due in the window by their own schedule
    pulled: int = 0  # due after the window, pulled into it
    again: int = 0  # due before the window, expected again in it


@dataclass(frozen=True)
class ExamPlan:
    scopes: tuple[ScopePlan, ...] = ()
    due: Mapping[str, _dt.datetime] = field(default_factory=dict)  # card id -> pulled due (start of its window day)
    again: Mapping[str, _dt.date] = field(default_factory=dict)  # card id -> window day of its expected second review
    slot: Mapping[str, _dt.date] = field(default_factory=dict)  # card id -> its window day (pulled or again)

    def overlay(self, states: Mapping[str, CardState], until: _dt.datetime | None = None) -> dict[str, CardState]:
        """``states`` with the pulled due dates (a copy per pulled card; stability, difficulty, counts unchanged).
        ``until``: only the cards pulled to that time or before (what a queue of that time needs: cheaper)."""
        if not self.due:
            return dict(states)
        out = dict(states)
        for cid, due in self.due.items():
            st = out.get(cid)
            if st is not None and due < st.due and (until is None or due <= until):
                out[cid] = st.model_copy(update={"due": due})
        return out


def _start_of(day: _dt.date, tz: _dt.tzinfo) -> _dt.datetime:
    return _dt.datetime.combine(day, _dt.time(0), tz).astimezone(UTC)


def plan(
    states: Mapping[str, CardState],
    scopes: Mapping[str, tuple[_dt.date, Iterable[str]]],
    now: _dt.datetime,
    *,
    tz: _dt.tzinfo = UTC,
) -> ExamPlan:
    """The exam review plan of ``scopes`` (scope -> (exam date, its card ids)) for the cards' ``states``."""
    today = local_date(now, tz)
    windows = {s: w for s, (exam, _) in scopes.items() if (w := window(s, exam, today)) is not None}
    governing: dict[str, Window] = {}  # card id -> the earliest exam's window among its scopes
    for s, (_, ids) in scopes.items():
        w = windows.get(s)
        if w is None:
            continue
        for cid in ids:
            old = governing.get(cid)
            if old is None or (w.exam, w.scope) < (old.exam, old.scope):
                governing[cid] = w
    stats: dict[str, dict[str, int]] = {s: dict.fromkeys(("cards", "new", "seen", "in_window", "pulled", "again"), 0)
                                        for s in windows}
    load: dict[_dt.date, int] = {}
    to_place: list[tuple[_dt.datetime, str, str]] = []  # (own due, card id, kind)
    for cid, w in governing.items():
        c = stats[w.scope]
        c["cards"] += 1
        st = states.get(cid)
        if st is None:
            c["new"] += 1
            continue
        if local_date(st.last_review, tz) >= w.start:
            c["seen"] += 1
            continue
        day = max(local_date(st.due, tz), today)  # an overdue card is due today
        if w.start <= day <= w.end:
            c["in_window"] += 1
            load[day] = load.get(day, 0) + 1
            continue
        kind = "pulled" if day > w.end else "again"
        c[kind] += 1
        to_place.append((st.due, cid, kind))
    due: dict[str, _dt.datetime] = {}
    again: dict[str, _dt.date] = {}
    slot: dict[str, _dt.date] = {}
    heaps = {s: [(load.get(d, 0), d) for d in w.days] for s, w in windows.items()}
    for h in heaps.values():
        heapq.heapify(h)
    for _, cid, kind in sorted(to_place):
        h = heaps[governing[cid].scope]
        n, day = heapq.heappop(h)
        heapq.heappush(h, (n + 1, day))
        slot[cid] = day
        if kind == "pulled":
            due[cid] = _start_of(day, tz)
        else:
            again[cid] = day
    scope_plans = tuple(ScopePlan(windows[s], **stats[s]) for s in sorted(windows, key=lambda s: (windows[s].exam, s)))
    return ExamPlan(scope_plans, due, again, slot)


def with_exam_reviews(queue: list[str], exam_plan: ExamPlan, states: Mapping[str, CardState], now: _dt.datetime,
                      deck_ids: Iterable[str], aside: Iterable[str] = ()) -> list[str]:
    """The study ``queue`` (due cards, then new ones) with the cards the plan has pulled to now or before: after the
    cards due by their own schedule, before the new ones.  Only cards of ``deck_ids``; cards set ``aside``
    (suspended, buried) stay out; a card already in the queue is not added twice."""
    if not exam_plan.due:
        return queue
    now, allowed, out, there = _dt_utc(now), set(deck_ids), set(aside), set(queue)
    pulled = sorted((due, cid) for cid, due in exam_plan.due.items()
                    if due <= now and cid in allowed and cid not in out and cid not in there)
    if not pulled:
        return queue
    cut = next((i for i, cid in enumerate(queue) if cid not in states), len(queue))
    return [*queue[:cut], *(cid for _, cid in pulled), *queue[cut:]]


@dataclass(frozen=True)
class PlanDay:
    day: _dt.date
    due: int  # cards due by their own schedule (overdue ones count today)
    exam: int  # exam reviews the plan adds (pulled or expected again)

    @property
    def count(self) -> int:
        return self.due + self.exam


def forecast(
    states: Mapping[str, CardState] | Iterable[tuple[str, CardState]],
    exam_plan: ExamPlan,
    now: _dt.datetime,
    *,
    days: int = 7,
    tz: _dt.tzinfo = UTC,
) -> list[PlanDay]:
    """Reviews on each of the next ``days`` days (today first): cards due by their own schedule, and the exam
    reviews of the plan.  A pulled card counts on its window day only, not again on its own (later) day."""
    if not 1 <= days <= 366:
        raise ValueError("days must be between 1 and 366")
    today = local_date(now, tz)
    own = [0] * days
    added = [0] * days
    items = states.items() if isinstance(states, Mapping) else states
    for cid, st in items:
        if cid in exam_plan.due:
            continue
        offset = (local_date(st.due, tz) - today).days
        if offset < days:
            own[max(0, offset)] += 1
    for day in exam_plan.slot.values():
        offset = (day - today).days
        if 0 <= offset < days:
            added[offset] += 1
    return [PlanDay(today + _dt.timedelta(days=i), own[i], added[i]) for i in range(days)]


__all__ = ["ExamPlan", "PlanDay", "ScopePlan", "Window", "forecast", "plan", "window", "window_length", "with_exam_reviews"]
