"""The card browser (#24): every card as a row (deck, folder of notes, state, when due), found by text and
filters, a page at a time; one card's review history with the interval each review set; when "bury until
tomorrow" ends.

Pure, no I/O.  :func:`rows` is linear in the cards (not in the reviews: a card's state and flag are read, its
log is not), so 2,000 cards with a year of reviews cost a few milliseconds; :func:`history` replays one
card's log, on demand.  The changes themselves (suspend, bury, reset) are
:mod:`explorer.study.store_mutations`' ``suspend`` / ``bury`` / ``reset_card``.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from explorer.study import scheduling as sch
from explorer.study.card_state import GRADES, UTC, utc
from explorer.study.store_model import Store

STATES = ("new", "learning", "review", "relearning", "suspended", "buried")
DUE = ("overdue", "today", "week", "later")
DUE_LABELS = {"overdue": "Overdue", "today": "Due today", "week": "Due this week", "later": "Due later"}
PAGE_SIZE = 50
MAX_QUERY = 200


class Row(NamedTuple):  # a tuple: 2,000 of them are made on every run of the tab
    id: str
    front: str
    back: str
    deck: str  # the card's category (topic)
    folder: str  # the folder of notes its note sits in ("a/b"; "" when none)
    note: str | None  # the note it comes from or points to
    state: str  # one of STATES
    due: _dt.datetime | None  # None: a new card
    bucket: str | None  # one of DUE (None: a new card)
    reviews: int
    lapses: int


@dataclass(frozen=True)
class Query:
    text: str = ""
    deck: str = ""
    folder: str = ""
    state: str = ""
    due: str = ""

    def matches(self, row: Row, needle: str) -> bool:
        return ((not self.deck or row.deck == self.deck)
                and (not self.folder or row.folder == self.folder or row.folder.startswith(self.folder + "/"))
                and (not self.state or row.state == self.state)
                and (not self.due or row.bucket == self.due)
                and (not needle or needle in row.front.casefold() or needle in row.back.casefold()))


def note_of(card: Any) -> str | None:
    """The note a card comes from (cards written in notes) or that teaches it (the content's cards)."""
    for where in (card.source, card.note):
        if where is not None and "note" in where.params:
            return where.params["note"]
    return None


def bucket(due: _dt.datetime, now: _dt.datetime, tz: _dt.tzinfo = UTC) -> str:
    """When a card is due, as the browser groups it: before today, today, within 7 days, later (days in ``tz``)."""
    return _Days(now, tz).bucket(due)


class _Days:
    """Today's, tomorrow's and the eighth day's start in ``tz``, as UTC: a due time is placed by two comparisons."""

    def __init__(self, now: _dt.datetime, tz: _dt.tzinfo) -> None:
        today = utc(now).astimezone(tz).date()
        self.starts = [utc(_dt.datetime.combine(today + _dt.timedelta(days=d), _dt.time(), tzinfo=tz).astimezone(UTC))
                       for d in (0, 1, 7)]

    def bucket(self, due: _dt.datetime) -> str:
        today, tomorrow, week = self.starts
        if due < today:
            return "overdue"
        if due < tomorrow:
            return "today"
        return "week" if due < week else "later"


def rows(cards: Iterable[Any], store: Store, now: _dt.datetime, folders: Mapping[str, str],
         tz: _dt.tzinfo = UTC) -> list[Row]:
    """One row per card (in deck order); ``folders``: note id -> its folder path ("a/b")."""
    flags, days = store.card_flags or {}, _Days(now, tz)
    out = []
    for c in cards:
        rec, flag, note = store.cards.get(c.id), flags.get(c.id), note_of(c)
        st = rec.state if rec is not None else None
        if flag is not None and flag.suspended:
            state = "suspended"
        elif flag is not None and flag.buried_until is not None and flag.buried_until > now:
            state = "buried"
        else:
            state = st.phase if st is not None else "new"
        out.append(Row(c.id, c.front, c.back, c.category, folders.get(note, "") if note else "", note, state,
                       st.due if st else None, days.bucket(st.due) if st else None,
                       st.reviews if st else 0, st.lapses if st else 0))
    return out


def search(all_rows: Sequence[Row], query: Query) -> list[Row]:
    needle = query.text.strip().casefold()[:MAX_QUERY]
    return [r for r in all_rows if query.matches(r, needle)]


def page(found: Sequence[Row], number: int, size: int = PAGE_SIZE) -> tuple[list[Row], int, int]:
    """(the rows of page ``number``, that number clamped to 1..pages, how many pages)."""
    pages = max(1, -(-len(found) // size))
    number = min(max(1, number), pages)
    return list(found[(number - 1) * size: number * size]), number, pages


def folder_choices(folders: Iterable[str]) -> list[str]:
    """Every folder and the folders above it, in order ("a", "a/b", ...)."""
    out: set[str] = set()
    for f in folders:
        parts = f.split("/") if f else []
        out.update("/".join(parts[: i + 1]) for i in range(len(parts)))
    return sorted(out, key=str.casefold)


@dataclass(frozen=True)
class Step:
    at: _dt.datetime
    grade: str
    interval: _dt.timedelta  # until the due date this review set
    phase: str
    before_reset: bool  # a review the learner's reset set aside (kept for the history, never replayed)


def history(store: Store, card_id: str) -> tuple[list[Step], int]:
    """A card's reviews, oldest first, each with the interval it set (replayed from the card's log with the
    learner's FSRS parameters; reviews before a reset replayed from new), and how many older reviews were
    compacted (no interval known)."""
    steps: list[Step] = []
    flag = (store.card_flags or {}).get(card_id)
    params = store.fsrs.params if store.fsrs is not None else None  # the learner's own FSRS parameters, if any
    if flag is not None and flag.history:
        steps += _replay(None, flag.history, True, params)
    rec = store.cards.get(card_id)
    folded = 0
    if rec is not None:
        base = rec.base_state
        folded = base.reviews if base is not None else 0
        steps += _replay(base, rec.log, False, params)
    return steps, folded


def _replay(state: Any, log: Iterable[tuple], before_reset: bool, params: tuple[float, ...] | None) -> list[Step]:
    out = []
    for rid, at, grade, retention in log:
        state = sch.review_card(state, grade, at, retention=retention, fuzz_key=rid, params=params)
        out.append(Step(at, GRADES[grade - 1], state.due - at, state.phase, before_reset))
    return out


def bury_until(now: _dt.datetime, tz: _dt.tzinfo = UTC) -> _dt.datetime:
    """The start of tomorrow in ``tz`` (when "bury until tomorrow" ends), as UTC."""
    local = utc(now).astimezone(tz)
    tomorrow = _dt.datetime.combine(local.date() + _dt.timedelta(days=1), _dt.time(), tzinfo=tz)
    return utc(tomorrow.astimezone(UTC))
