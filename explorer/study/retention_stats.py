"""True retention and the memory statistics: what the learner's review log says about their memory.

True retention is the pass rate (any grade but Again) of the reviews that tested memory: a card's
reviews on a later day than its previous review (first reviews and same-day learning steps test nothing
yet).  As in Anki, they are split by the interval before the review: *young* under 21 days, *mature*
21 days or more.  Compared with the desired retention, it says whether the scheduler's promise holds for
this learner (a fit of their own parameters, :mod:`explorer.study.optimize`, is what closes a gap).

The review log has no durations (the app does not time answers), so time per day is not known and the
view says so rather than guessing.

One pass over the logs (:func:`card_tallies`, linear in the reviews: the page derives it once per store
value); grouping by deck or folder is then per card.

Public API
    MATURE_DAYS = 21
    Tally(young_pass, young, mature_pass, mature)   # + .young_rate / .mature_rate (None without reviews)
    card_tallies(store, now, *, days=None) -> {card id: Tally}   # days: only reviews of the last N days
    total(tallies) -> Tally
    reviews_per_day(store, now, *, days=30) -> [(date, count)]   # compacted reviews included
    time_per_day(store, now, *, days=30) -> [(date, seconds)]    # answer time kept per day
    state_counts(store, card_ids) -> {"new", "learning", "review", "relearning": n}
    group_rows(store, now, groups, tallies) -> [GroupRow]        # groups: card id -> deck/folder name
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

MATURE_DAYS = 21
PHASES = ("new", "learning", "review", "relearning")


@dataclass(frozen=True)
class Tally:
    young_pass: int = 0
    young: int = 0
    mature_pass: int = 0
    mature: int = 0

    def __add__(self, o: Tally) -> Tally:
        return Tally(self.young_pass + o.young_pass, self.young + o.young, self.mature_pass + o.mature_pass,
                     self.mature + o.mature)

    @property
    def young_rate(self) -> float | None:
        return self.young_pass / self.young if self.young else None

    @property
    def mature_rate(self) -> float | None:
        return self.mature_pass / self.mature if self.mature else None

    @property
    def reviews(self) -> int:
        return self.young + self.mature


def card_tallies(store, now: _dt.datetime, *, days: int | None = None) -> dict[str, Tally]:
    """Per card, its memory-testing reviews (of the last ``days`` days, or all) passed and counted, young and mature."""
    since = None if days is None else (now - _dt.timedelta(days=days)).date()
    out = {}
    for cid, rec in store.cards.items():
        base = rec.base_state
        prev = base.last_review.date() if base is not None else None
        yp = y = mp = m = 0
        for _rid, at, grade, _r in rec.log:
            day = at.date()
            if prev is not None and day > prev and (since is None or day >= since):
                if (day - prev).days < MATURE_DAYS:
                    y += 1
                    yp += grade > 1
                else:
                    m += 1
                    mp += grade > 1
            prev = day if prev is None or day > prev else prev
        if y or m:
            out[cid] = Tally(yp, y, mp, m)
    return out


def total(tallies: Iterable[Tally]) -> Tally:
    t = Tally()
    for x in tallies:
        t = t + x
    return t


def reviews_per_day(store, now: _dt.datetime, *, days: int = 30) -> list[tuple[_dt.date, int]]:
    """Reviews on each of the last ``days`` UTC days (today last), compacted reviews included."""
    today = now.date()
    first = today - _dt.timedelta(days=days - 1)
    counts: Counter = Counter()
    for rec in store.cards.values():
        for _rid, at, _g, _r in rec.log:
            d = at.date()
            if d >= first:
                counts[d] += 1
    for d, n in store.folded.items():
        if d >= first:
            counts[d] += n
    return [(first + _dt.timedelta(days=i), counts.get(first + _dt.timedelta(days=i), 0)) for i in range(days)]


def time_per_day(store, now: _dt.datetime, *, days: int = 30) -> list[tuple[_dt.date, int]]:
    """Seconds spent answering on each of the last ``days`` UTC days (today last): the store's ``study_time``."""
    first = now.date() - _dt.timedelta(days=days - 1)
    kept = store.study_time or {}
    return [(first + _dt.timedelta(days=i), kept.get(first + _dt.timedelta(days=i), 0)) for i in range(days)]


def state_counts(store, card_ids: Iterable[str]) -> dict[str, int]:
    """How many of ``card_ids`` are new (never reviewed), learning, in review, relearning."""
    counts = dict.fromkeys(PHASES, 0)
    for cid in card_ids:
        rec = store.cards.get(cid)
        counts["new" if rec is None else rec.state.phase] += 1
    return counts


@dataclass(frozen=True)
class GroupRow:
    name: str
    cards: int
    states: dict[str, int]
    due: int
    tally: Tally


def group_rows(store, now: _dt.datetime, groups: Mapping[str, str], tallies: Mapping[str, Tally]) -> list[GroupRow]:
    """One row per group (a deck, a folder of notes) of the cards in ``groups`` (card id -> group), by name."""
    members: dict[str, list[str]] = {}
    for cid, g in groups.items():
        members.setdefault(g, []).append(cid)
    rows = []
    for name in sorted(members):
        ids = members[name]
        due = sum(1 for c in ids if (rec := store.cards.get(c)) is not None and rec.state.due <= now)
        rows.append(GroupRow(name, len(ids), state_counts(store, ids), due,
                             total(tallies[c] for c in ids if c in tallies)))
    return rows
