"""Where a course is weak: per folder of notes (week, lecture) and per note, a weakness score that says why.

The course is the notes (shipped and uploaded) as :mod:`explorer.notes.tree` places them in folders, and the
cards tied to a note: a card written in a note belongs to that note; a card of the content belongs to the
note section the content names for it (cards tied to no note are counted apart).

Per area (a folder, or a note):

* **cards**: how many; studied, due now, overdue (due before today);
* **recall now**: the predicted recall probability (FSRS retrievability, the library's forgetting curve) of
  each card, a card never studied counting 0 (it is not remembered yet): the mean is the share of the area's
  cards you would recall now;
* **past reviews**: the pass rate (anything but Again) of the reviews still in the cards' logs;
* **sections read**: reading marks against the notes' sections.

The **weakness score** (0-100) is a weighted sum of four shares, each from 0 (fine) to 1 (weak):
recall gap ``1 - recall now`` (40 %), failed reviews ``1 - pass rate`` (20 %, the pass rate smoothed towards
90 % by :data:`PRIOR_REVIEWS` imaginary reviews so that one failure does not dominate), cards due ``due now /
cards`` (15 %), sections unread ``1 - read / sections`` (25 %).  A part that does not apply (no cards, no
sections) is left out and the others are scaled to 100.  Areas sort weakest first (then most cards due,
then name).

The review logs are read once per card record: :class:`PassCounts` keeps each card's counts with the record
they came from (records are immutable values, replaced when a card changes), so a rerun costs one identity
check per card, not a pass over a year of reviews.
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from explorer.notes.tree import folder_parts, natural_key
from explorer.study.card_state import UTC, CardState
from explorer.study.scheduling import scheduler
from explorer.study.store_model import Store
from explorer.study.workload import local_date

WEIGHTS = {"recall gap": 0.40, "failed reviews": 0.20, "cards due": 0.15, "sections unread": 0.25}
PRIOR_PASS, PRIOR_REVIEWS = 0.9, 5
TOP_LEVEL = "Top level"
MAX_DEPTH = 3  # folder areas go at most this many levels down  # the folder of notes at the top of the notes folder (no week, no folder)
EXPLAIN = ("Weakness 0-100: 40 % recall gap (1 − the share of the cards you would recall now; a card never "
           "studied counts as not recalled), 20 % failed reviews (1 − the pass rate of past reviews, smoothed "
           "towards 90 % by 5 reviews), 15 % cards due now, 25 % sections unread. A part that does not apply (no "
           "cards, no reviews, no sections) is left out and the others are scaled up.")


# --------------------------------------------------------------------------- the course's map
def card_note(card: Any) -> str | None:
    """The note a card belongs to: the note it is written in, or the note section the content names for it."""
    if card.category == "notes":
        return card.source.params.get("note")
    return card.note.params.get("note") if card.note is not None else None


@dataclass(frozen=True)
class CourseMap:
    """Notes with their folders, and cards with their notes."""

    folders: Mapping[str, tuple[str, ...]]  # note id -> folder parts
    titles: Mapping[str, str]  # note id -> title
    sections: Mapping[str, frozenset[str]]  # note id -> section ids
    card_notes: Mapping[str, str]  # card id -> note id (cards tied to a known note only)
    loose: int  # cards tied to no known note
    areas: Mapping[str, str]  # note id -> the folder area it counts in (see :func:`course_map`)
    pending: int = 0  # notes not parsed yet (their sections are not counted until the indexer reaches them)

    def folder_of(self, note_id: str) -> str:
        return self.areas.get(note_id, TOP_LEVEL)

    def in_folder(self, note_id: str, folder: str) -> bool:
        """True when the note sits in ``folder`` or below it (``folder`` as :meth:`folder_of` names it)."""
        if folder == TOP_LEVEL:
            return not self.folders.get(note_id)
        key = "/".join(self.folders.get(note_id, ()))
        return key == folder or key.startswith(folder + "/")

    def folder_names(self) -> list[str]:
        return sorted({self.folder_of(n) for n in self.folders}, key=natural_key)

    def cards_in(self, *, folder: str | None = None, note: str | None = None, deck: str | None = None,
                 cards: Iterable[Any] = ()) -> list[str]:
        """Ids of the cards of a folder, a note (from the map) or a deck (``cards`` of that category)."""
        if deck is not None:
            return [c.id for c in cards if c.category == deck]
        if note is not None:
            return [c for c, n in self.card_notes.items() if n == note]
        if folder is not None and folder in self._area_keys:  # an area: the notes counted in it (as its row shows)
            return [c for c, n in self.card_notes.items() if self.areas.get(n) == folder]
        return [c for c, n in self.card_notes.items() if folder is not None and self.in_folder(n, folder)]

    @property
    def _area_keys(self) -> frozenset[str]:
        return frozenset(self.areas.values())


def course_map(notes: Sequence[Any], cards: Iterable[Any]) -> CourseMap:
    """The map of ``notes`` (objects with id, title, path, week, source, sections) and ``cards``.

    Areas are folders: the top-level ones, and a folder with two or more folders in it is split into them (a vault's
    "Lectures/1", "Lectures/2", ... rather than one "Lectures"), down to :data:`MAX_DEPTH` levels; the notes that
    sit directly in a split folder count in that folder's own area."""
    folders = {n.id: folder_parts(n) for n in notes}
    children: dict[tuple[str, ...], set[str]] = {}
    for parts in set(folders.values()):
        for i in range(len(parts)):
            children.setdefault(parts[:i], set()).add(parts[i])
    areas = {}
    for nid, parts in folders.items():
        d = 0
        while d < len(parts) and d < MAX_DEPTH and (d == 0 or len(children.get(parts[:d], ())) >= 2):
            d += 1
        areas[nid] = "/".join(parts[:d]) if d else TOP_LEVEL
    card_notes, loose = {}, 0
    for c in cards:
        nid = card_note(c)
        if nid is not None and nid in folders:
            card_notes[c.id] = nid
        else:
            loose += 1
    parsed = [n for n in notes if getattr(n, "parsed", True)]  # a listing never parses a note for its sections
    sections = {n.id: frozenset() for n in notes} | {n.id: frozenset(s.id for s in n.sections) for n in parsed}
    return CourseMap(folders, {n.id: n.title for n in notes}, sections, card_notes, loose, areas,
                     len(notes) - len(parsed))


# --------------------------------------------------------------------------- review logs, read once per record
class PassCounts:
    """(passed, reviews) per card from the review logs, kept per card record (see the module doc)."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[Any, int, int]] = {}
        self.logs_read = 0  # how many card logs were read (the rest came from the kept counts)

    def of(self, store: Store) -> dict[str, tuple[int, int]]:
        out: dict[str, tuple[int, int]] = {}
        seen: dict[str, tuple[Any, int, int]] = {}
        for cid, rec in store.cards.items():
            old = self._seen.get(cid)
            if old is None or old[0] is not rec:
                passed = sum(1 for r in rec.log if r[2] > 1)
                self.logs_read += 1
                old = (rec, passed, len(rec.log))
            seen[cid] = old
            out[cid] = (old[1], old[2])
        self._seen = seen
        return out


def recall_now(states: Mapping[str, CardState], now: _dt.datetime,
               params: tuple[float, ...] | None = None) -> dict[str, float]:
    """Predicted recall now per studied card: the library's forgetting curve (whole elapsed days), computed in
    one loop with the scheduler's decay and factor (equal to :func:`explorer.study.scheduling.retrievability`);
    ``params``: the learner's own FSRS parameters (None: the defaults)."""
    decay = -scheduler(params=params).parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    out = {}
    for cid, st in states.items():
        elapsed = max(0, (now - st.last_review).days)
        out[cid] = (1 + factor * elapsed / st.stability) ** decay
    return out


# --------------------------------------------------------------------------- areas
@dataclass(frozen=True)
class Area:
    kind: str  # "folder" or "note"
    key: str  # folder name (see CourseMap.folder_of) or note id
    label: str
    cards: int
    studied: int
    due: int
    overdue: int
    recall: float | None  # share of the cards recalled now (None without cards)
    reviews: int
    passed: int
    sections: int
    read: int
    parts: Mapping[str, float]  # part of the score -> its share 0-1 (parts that do not apply left out)
    score: float  # 0-100

    @property
    def pass_rate(self) -> float | None:
        return self.passed / self.reviews if self.reviews else None

    @property
    def read_share(self) -> float | None:
        return self.read / self.sections if self.sections else None

    def contributions(self) -> dict[str, float]:
        """Points (0-100 in all) each part adds to the score."""
        total = sum(WEIGHTS[k] for k in self.parts)
        return {k: 100 * WEIGHTS[k] * v / total for k, v in self.parts.items()} if total else {}

    def why(self) -> str:
        """The largest parts of the score, in words."""
        c = sorted(self.contributions().items(), key=lambda kv: -kv[1])
        return ", ".join(f"{k} {v:.0f}" for k, v in c if v >= 0.5) or "nothing weak"


def _score(parts: Mapping[str, float]) -> float:
    total = sum(WEIGHTS[k] for k in parts)
    return 100 * sum(WEIGHTS[k] * v for k, v in parts.items()) / total if total else 0.0


def _area(kind: str, key: str, label: str, card_ids: list[str], states: Mapping[str, CardState],
          recall: Mapping[str, float], passes: Mapping[str, tuple[int, int]], now: _dt.datetime, today_start,
          sections: int, read: int) -> Area:
    studied = [states[c] for c in card_ids if c in states]
    due = sum(1 for s in studied if s.due <= now)
    overdue = sum(1 for s in studied if s.due < today_start)
    rec = sum(recall.get(c, 0.0) for c in card_ids) / len(card_ids) if card_ids else None
    passed = sum(passes.get(c, (0, 0))[0] for c in card_ids)
    reviews = sum(passes.get(c, (0, 0))[1] for c in card_ids)
    parts: dict[str, float] = {}
    if card_ids:
        parts["recall gap"] = 1 - rec  # type: ignore[operator]
        parts["cards due"] = due / len(card_ids)
    if reviews:
        parts["failed reviews"] = 1 - (passed + PRIOR_PASS * PRIOR_REVIEWS) / (reviews + PRIOR_REVIEWS)
    if sections:
        parts["sections unread"] = 1 - read / sections
    parts = {k: min(1.0, max(0.0, v)) for k, v in parts.items()}
    score = _score(parts)
    return Area(kind, key, label, len(card_ids), len(studied), due, overdue, rec, reviews, passed, sections, read,
                parts, 0.0 if math.isnan(score) else score)


def _order(a: Area) -> tuple:
    return (-round(a.score, 6), -a.due, natural_key(a.label), a.key)


@dataclass(frozen=True)
class Course:
    folders: tuple[Area, ...]  # weakest first
    notes: tuple[Area, ...]  # weakest first
    loose: int  # cards tied to no note


def weak_areas(course: CourseMap, states: Mapping[str, CardState], passes: Mapping[str, tuple[int, int]],
               marks: Mapping[str, frozenset[str]], now: _dt.datetime, *, tz: _dt.tzinfo = UTC,
               params: tuple[float, ...] | None = None) -> Course:
    """Every folder and note of ``course`` with its counts and weakness score, weakest first.

    ``states``: card states; ``passes``: (passed, reviews) per card (:class:`PassCounts`); ``marks``: note id ->
    sections marked read (:func:`explorer.study.store.sections_read`); ``params``: the learner's FSRS parameters."""
    today_start = _dt.datetime.combine(local_date(now, tz), _dt.time(0), tz).astimezone(UTC)
    mine = {c: states[c] for c in course.card_notes if c in states}
    recall = recall_now(mine, now, params)
    by_note: dict[str, list[str]] = {}
    for cid, nid in course.card_notes.items():
        by_note.setdefault(nid, []).append(cid)
    reads = {n: len(marks.get(n, frozenset()) & secs) for n, secs in course.sections.items()}
    notes = []
    by_folder: dict[str, list[str]] = {}
    for nid in course.folders:
        by_folder.setdefault(course.folder_of(nid), []).append(nid)
        ids = by_note.get(nid, [])
        if ids or course.sections[nid]:
            notes.append(_area("note", nid, course.titles[nid], ids, states, recall, passes, now, today_start,
                               len(course.sections[nid]), reads[nid]))
    folders = []
    for name, nids in by_folder.items():
        ids = [c for n in nids for c in by_note.get(n, [])]
        folders.append(_area("folder", name, name, ids, states, recall, passes, now, today_start,
                             sum(len(course.sections[n]) for n in nids), sum(reads[n] for n in nids)))
    return Course(tuple(sorted(folders, key=_order)), tuple(sorted(notes, key=_order)), course.loose)


__all__ = ["EXPLAIN", "TOP_LEVEL", "WEIGHTS", "Area", "Course", "CourseMap", "PassCounts", "card_note", "course_map",
           "recall_now", "weak_areas"]
