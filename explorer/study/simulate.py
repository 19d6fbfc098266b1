""""Help me decide": the next days of this learner's deck simulated at several desired retentions.

Our own vectorised numpy simulation of FSRS-6 (the ``fsrs`` library's formulas, with the learner's
parameters), not ``fsrs_rs_python.simulate``: that one simulates a *fresh* deck from a generic
configuration, while the question here is about this learner's cards as they are today (each with its
stability, difficulty, last review and due day) plus the new cards they have not studied yet.  Every card
is a row of a few arrays; a day is a handful of array operations, so 90 days of 2,000 cards at 18
retentions take tens of milliseconds.

Model, day by day (UTC days, day 0 is today):
  * a card due on day ``t`` is reviewed that day; it is remembered with the FSRS forgetting curve's
    probability; a remembered card is graded Hard / Good / Easy in this learner's own proportions
    (from their log; 15/75/10 % without one); the next stability, difficulty and interval follow the
    library's formulas at the desired retention (no fuzz);
  * a forgotten card counts one more review the same day (the relearning step) and comes back by its
    post-lapse stability;
  * new cards start up to ``new_per_day`` a day (first grade in this learner's proportions), with their
    same-day learning steps counted as reviews;
  * "remembered" on a day is the sum over every started card of its recall probability that day.
The same random draws are used at every retention (common random numbers), so differences between
retentions are the policy's, not chance's.

Public API
    RETENTIONS                                   # 0.80, 0.81, ..., 0.97
    Deck.from_states(states, now, new_cards, grades) -> Deck
    grade_shares(reviews) -> (first: 4 shares, passed: 3 shares)
    simulate(deck, params, retention, *, days=90, new_per_day=20, seed=0) -> Run
    compare(deck, params, retentions=RETENTIONS, ...) -> list[Run]
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from explorer.study.params import DEFAULTS

RETENTIONS: tuple[float, ...] = tuple(round(0.80 + i / 100, 2) for i in range(18))
MAX_INTERVAL = 36_500
_S_MIN, _D_MIN, _D_MAX = 0.001, 1.0, 10.0
_FIRST = (0.2, 0.1, 0.6, 0.1)  # again, hard, good, easy: a first review's grade without a log to learn from
_PASSED = (0.15, 0.75, 0.10)  # hard, good, easy: a remembered card's grade
_STEPS = np.array([2, 1, 1, 0])  # same-day learning reviews after a first grade (learning steps 1 and 10 min)


@dataclass(frozen=True)
class Deck:
    """The cards as arrays: stability, difficulty, days since the last review (negative: in the past) and the
    due day of started cards; how many new cards wait; the learner's grade proportions."""

    stability: np.ndarray
    difficulty: np.ndarray
    last: np.ndarray
    due: np.ndarray
    new_cards: int
    first: tuple[float, ...] = _FIRST
    passed: tuple[float, ...] = _PASSED

    @classmethod
    def from_states(cls, states: Iterable, now: _dt.datetime, new_cards: int,
                    grades: tuple[Sequence[float], Sequence[float]] | None = None) -> Deck:
        day0 = _dt.datetime(now.year, now.month, now.day, tzinfo=_dt.UTC)
        rows = [(s.stability, s.difficulty, (s.last_review - day0).total_seconds() / 86_400,
                 max(0.0, (s.due - day0).total_seconds() // 86_400)) for s in states]
        a = np.array(rows, dtype=float).reshape(-1, 4)
        first, passed = grades or (_FIRST, _PASSED)
        return cls(a[:, 0], a[:, 1], np.floor(a[:, 2]), a[:, 3], max(0, int(new_cards)), tuple(first), tuple(passed))


def grade_shares(grades: Iterable[tuple[bool, int]]) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """The learner's grade proportions from (is a first review, grade 1-4) pairs: the first grades' four shares,
    and the three shares of Hard/Good/Easy among later passed reviews (the defaults where the log is thin)."""
    first, passed = np.zeros(4), np.zeros(3)
    for is_first, g in grades:
        if is_first:
            first[g - 1] += 1
        elif g > 1:
            passed[g - 2] += 1
    f = tuple(first / first.sum()) if first.sum() >= 20 else _FIRST
    p = tuple(passed / passed.sum()) if passed.sum() >= 20 else _PASSED
    return tuple(float(x) for x in f), tuple(float(x) for x in p)


@dataclass(frozen=True)
class Run:
    retention: float
    reviews: np.ndarray  # reviews per day
    remembered: np.ndarray  # expected cards remembered at the end of each day
    started: int  # cards started by the last day

    @property
    def per_day(self) -> float:
        return float(self.reviews.mean()) if len(self.reviews) else 0.0

    @property
    def remembered_end(self) -> float:
        return float(self.remembered[-1]) if len(self.remembered) else 0.0


class _Model:
    def __init__(self, w: Sequence[float], retention: float) -> None:
        self.w = np.asarray(w, dtype=float)
        self.decay = -self.w[20]
        self.factor = 0.9 ** (1 / self.decay) - 1
        self.retention = retention

    def recall(self, s, elapsed):
        return (1 + self.factor * np.maximum(elapsed, 0) / s) ** self.decay

    def interval(self, s):
        ivl = s / self.factor * (self.retention ** (1 / self.decay) - 1)
        return np.clip(np.round(ivl), 1, MAX_INTERVAL)

    def init_d(self, g):
        return self.w[4] - np.exp(self.w[5] * (g - 1)) + 1

    def next_d(self, d, g):
        d2 = d + (10 - d) * (-self.w[6] * (g - 3)) / 9
        return np.clip(self.w[7] * self.init_d(4) + (1 - self.w[7]) * d2, _D_MIN, _D_MAX)

    def short_term(self, s, g):
        inc = np.exp(self.w[17] * (g - 3 + self.w[18])) * s ** -self.w[19]
        return np.maximum(s * np.where(g >= 2, np.maximum(inc, 1.0), inc), _S_MIN)

    def recall_s(self, s, d, r, g):
        w = self.w
        bonus = np.where(g == 2, w[15], 1.0) * np.where(g == 4, w[16], 1.0)
        return s * (1 + np.exp(w[8]) * (11 - d) * s ** -w[9] * (np.exp((1 - r) * w[10]) - 1) * bonus)

    def forget_s(self, s, d, r):
        w = self.w
        long = w[11] * d ** -w[12] * ((s + 1) ** w[13] - 1) * np.exp((1 - r) * w[14])
        return np.maximum(np.minimum(long, s / np.exp(w[17] * w[18])), _S_MIN)


def simulate(deck: Deck, params: Sequence[float] | None, retention: float, *, days: int = 90,
             new_per_day: int = 20, seed: int = 0) -> Run:
    """One retention's next ``days`` days (see the module docstring)."""
    m = _Model(params or DEFAULTS, retention)
    n_new = min(deck.new_cards, max(0, new_per_day) * days)
    n = len(deck.stability) + n_new
    s = np.concatenate([deck.stability, np.ones(n_new)])
    d = np.concatenate([deck.difficulty, np.full(n_new, 5.0)])
    last = np.concatenate([deck.last, np.zeros(n_new)])
    due = np.concatenate([deck.due, np.full(n_new, np.inf)])
    started = np.concatenate([np.ones(len(deck.stability), bool), np.zeros(n_new, bool)])
    start_day = np.full(n_new, np.inf)
    if n_new:
        start_day = np.repeat(np.arange(days, dtype=float), max(new_per_day, 1))[:n_new]
    rng = np.random.default_rng(seed)
    u_recall = rng.random((days, n))
    u_grade = rng.random((days, n))
    cum_first, cum_pass = np.cumsum(deck.first), np.cumsum(deck.passed)
    reviews = np.zeros(days)
    remembered = np.zeros(days)
    old = len(deck.stability)
    for t in range(days):
        count = 0
        # new cards of the day
        new_idx = old + np.nonzero(start_day == t)[0]
        if len(new_idx):
            g = 1 + np.searchsorted(cum_first, u_grade[t, new_idx] * cum_first[-1], side="right").clip(0, 3)
            s_new = m.w[g - 1].copy()
            d_new = np.clip(m.init_d(g), _D_MIN, _D_MAX)
            steps = _STEPS[g - 1]
            s_new = np.where(steps > 0, m.short_term(s_new, np.full_like(g, 3)), s_new)
            s_new = np.where(steps > 1, m.short_term(s_new, np.full_like(g, 3)), s_new)
            s[new_idx], d[new_idx], last[new_idx] = s_new, d_new, t
            due[new_idx] = t + m.interval(s_new)
            started[new_idx] = True
            count += len(new_idx) + int(steps.sum())
        # due reviews
        idx = np.nonzero(started & (due <= t) & (last < t))[0]
        if len(idx):
            r = m.recall(s[idx], t - last[idx])
            ok = u_recall[t, idx] < r
            g = np.where(ok, 2 + np.searchsorted(cum_pass, u_grade[t, idx] * cum_pass[-1], side="right").clip(0, 2), 1)
            s_next = np.where(ok, m.recall_s(s[idx], d[idx], r, g), m.forget_s(s[idx], d[idx], r))
            s_next = np.where(ok, s_next, m.short_term(s_next, np.full_like(g, 3)))  # the relearning step, passed
            d[idx] = m.next_d(d[idx], g)
            s[idx] = np.clip(s_next, _S_MIN, None)
            last[idx] = t
            due[idx] = t + m.interval(s[idx])
            count += len(idx) + int((~ok).sum())
        reviews[t] = count
        remembered[t] = float(m.recall(s[started], t + 1 - last[started]).sum())
    return Run(retention, reviews, remembered, int(started.sum()))


def compare(deck: Deck, params: Sequence[float] | None, retentions: Iterable[float] = RETENTIONS, *, days: int = 90,
            new_per_day: int = 20, seed: int = 0) -> list[Run]:
    """:func:`simulate` at each retention (the same draws for each)."""
    return [simulate(deck, params, r, days=days, new_per_day=new_per_day, seed=seed) for r in retentions]


def summary_rows(runs: Sequence[Run], days: int) -> list[Mapping[str, object]]:
    """One row per retention for the table beside the chart."""
    return [{"Desired retention": f"{r.retention:.2f}", "Reviews per day": round(r.per_day, 1),
             f"Reviews in {days} days": int(r.reviews.sum()), f"Cards remembered on day {days}": round(r.remembered_end)}
            for r in runs]
