"""Reading the store: settings with their defaults, card states, reading marks, review history, the study
queue, forecast and heatmap (counted by :mod:`explorer.study.workload`), results, uploaded notes, and the
summaries a page shows (what this browser keeps, reading progress per note).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from explorer.study import card_state as cs
from explorer.study import workload as wl
from explorer.study.card_state import CardState
from explorer.study.store_model import SETTINGS, AssessmentEntry, CardRecord, NoteMeta, QuizEntry, Store


def setting(store: Store, key: str) -> Any:
    """A setting's value, or its default."""
    spec = SETTINGS[key]
    s = store.settings.get(key)  # type: ignore[call-overload]
    return spec.default if s is None else s.value


def settings(store: Store) -> dict[str, Any]:
    return {k: setting(store, k) for k in SETTINGS}


def fsrs_params(store: Store) -> tuple[float, ...] | None:
    """The learner's own FSRS parameters (None: the defaults)."""
    return store.fsrs.params if store.fsrs is not None else None


def card_states(store: Store) -> dict[str, CardState]:
    return {cid: rec.state for cid, rec in store.cards.items()}


def sections_read(store: Store) -> dict[str, frozenset[str]]:
    """Note id -> ids of the sections currently marked read."""
    out = {}
    for note, secs in store.reading.items():
        read = frozenset(s for s, m in secs.items() if m.read)
        if read:
            out[note] = read
    return out


def is_read(store: Store, note_id: str, section_id: str) -> bool:
    m = store.reading.get(note_id, {}).get(section_id)
    return bool(m and m.read)


def review_history(store: Store) -> Iterator[tuple[str, cs.Review]]:
    """(card id, review) for every review still in a log, card by card, oldest first."""
    for cid, rec in store.cards.items():
        for r in rec.log:
            yield cid, cs.Review(*r)


def first_review(rec: CardRecord) -> _dt.datetime | None:
    """When the card was first reviewed, if still known."""
    base = rec.base_state
    if base is None:
        return rec.log[0][1] if rec.log else None
    return base.last_review if base.reviews == 1 and rec.base_id != "sm2" else None


def introduced_today(store: Store, now: _dt.datetime, tz: _dt.tzinfo = cs.UTC) -> int:
    """How many cards had their first review today (for the daily new-card limit)."""
    today = wl.local_date(now, tz)
    return sum(1 for rec in store.cards.values() if (t := first_review(rec)) is not None and wl.local_date(t, tz) == today)


def set_aside(store: Store, now: _dt.datetime) -> frozenset[str]:
    """Ids of the cards out of the study queue now: suspended, or buried until later than ``now``."""
    flags = store.card_flags or {}
    return frozenset(cid for cid, f in flags.items() if f.suspended or (f.buried_until is not None and f.buried_until > now))


def study_queue(
    store: Store, now: _dt.datetime, deck: Iterable[Any], *, tz: _dt.tzinfo = cs.UTC, new_limit: int | None = None,
    new_today: int | None = None,
) -> list[str]:
    """Due cards of ``deck`` then new ones, within the store's new-cards-per-day setting (``new_today``: the cards
    first reviewed today, when the caller already knows it: :func:`introduced_today`)."""
    limit = setting(store, "new_per_day") if new_limit is None else new_limit
    states, aside = card_states(store), set_aside(store, now)
    if aside:  # suspended and buried cards leave the queue (#24, the card browser)
        states = {cid: st for cid, st in states.items() if cid not in aside}
        deck = [c for c in deck if (c if isinstance(c, str) else c.id) not in aside]
    if new_today is None:
        new_today = introduced_today(store, now, tz)
    return wl.due_queue(states, now, deck, new_limit=limit, new_today=new_today)


def forecast(store: Store, now: _dt.datetime, *, days: int = 7, tz: _dt.tzinfo = cs.UTC,
             deck: Iterable[Any] | None = None) -> list[wl.DayCount]:
    ids = None if deck is None else {c if isinstance(c, str) else c.id for c in deck}
    flags = store.card_flags or {}
    states = (_when_back(rec.state, flags.get(cid)) for cid, rec in store.cards.items() if ids is None or cid in ids)
    return wl.forecast((st for st in states if st is not None), now, days=days, tz=tz)


def _when_back(state: CardState, flag: Any) -> CardState | None:
    """A card's state as the forecast counts it: none while suspended, due when its burial ends at the earliest."""
    if flag is None:
        return state
    if flag.suspended:
        return None
    if flag.buried_until is not None and flag.buried_until > state.due:
        return state.model_copy(update={"due": flag.buried_until})
    return state


def heatmap(store: Store, now: _dt.datetime, *, weeks: int = 26, tz: _dt.tzinfo = cs.UTC) -> list[wl.DayCount]:
    """Reviews per day for the heatmap (logs in ``tz``; compacted reviews by their UTC day)."""
    times = (r[1] for rec in store.cards.values() for r in rec.log)
    return wl.review_counts(times, now, weeks=weeks, tz=tz, extra=store.folded)


def exam_dates(store: Store) -> dict[str, _dt.date]:
    """Scope (``deck:<topic>`` / ``folder:<path>``) -> exam date, removed dates left out."""
    return {k: e.day for k, e in (store.exams or {}).items() if e.day is not None}


def quiz_history(store: Store) -> tuple[QuizEntry, ...]:
    return store.quizzes


def assessment_results(store: Store) -> tuple[AssessmentEntry, ...]:
    return store.assessments


def uploaded_notes(store: Store) -> dict[str, NoteMeta]:
    """Uploaded notes currently kept (removed ones left out)."""
    return {k: v for k, v in store.notes.items() if not v.removed}


def summary(store: Store) -> dict[str, int]:
    """Counts for a "what this browser keeps" panel."""
    return {
        "sections read": sum(len(s) for s in sections_read(store).values()),
        "cards": len(store.cards),
        "reviews": sum(rec.state.reviews for rec in store.cards.values()),
        "quiz results": len(store.quizzes),
        "assessment results": len(store.assessments),
        "uploaded notes": len(uploaded_notes(store)),
    }


# --------------------------------------------------------------------------- reading summary
@dataclass(frozen=True)
class NoteReading:
    note_id: str
    read: int
    total: int

    @property
    def fraction(self) -> float:
        return self.read / self.total if self.total else 0.0


@dataclass(frozen=True)
class ReadingProgress:
    notes: tuple[NoteReading, ...]

    @property
    def read(self) -> int:
        return sum(n.read for n in self.notes)

    @property
    def total(self) -> int:
        return sum(n.total for n in self.notes)

    @property
    def fraction(self) -> float:
        return self.read / self.total if self.total else 0.0

    def of(self, note_id: str) -> NoteReading | None:
        return next((n for n in self.notes if n.note_id == note_id), None)


def reading_progress(store: Store, notes: Iterable[Any]) -> ReadingProgress:
    """Sections read per note and overall; marks of sections that no longer exist are not counted."""
    marks = sections_read(store)
    rows = []
    for note in notes:
        ids = {s.id for s in note.sections}
        rows.append(NoteReading(note.id, len(marks.get(note.id, frozenset()) & ids), len(ids)))
    return ReadingProgress(tuple(rows))
