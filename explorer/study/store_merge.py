"""Merging two values of the same browser (two tabs, or a session and the stored value), and an import.

:func:`merge` is commutative, associative and idempotent: review logs are joined by review id and each
card replayed (:func:`explorer.study.store_cards.merge_record`); reading marks, note listings and settings
take the latest change per item; quiz and assessment results are joined by id; a later "Forget this
browser" wins outright.  Past a bound the oldest items go (:func:`bound_marks` for reading marks);
:func:`merge_cuts` counts what a bound left out, for a notice.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

from explorer.study import card_state as cs
from explorer.study import store_model as M
from explorer.study.store_cards import merge_record, record_from_reviews
from explorer.study.store_model import CardRecord, ExamDate, Mark, NoteMeta, Setting, Store, build, entry_key

_NEVER = cs.EARLIEST - _dt.timedelta(days=1)  # below every valid time


def _merge_latest(a: Mapping, b: Mapping, rank) -> dict:
    out = dict(a)
    for k, v in b.items():
        old = out.get(k)
        if old is None or rank(v) > rank(old):
            out[k] = v
    return dict(sorted(out.items()))


def _mark_rank(m: Mark) -> tuple:
    return (m.at, m.read)


def _note_rank(n: NoteMeta) -> tuple:
    return (n.at, n.removed, n.name, n.size, n.added)


def _setting_rank(s: Setting) -> tuple:
    return (s.at, json.dumps(s.value))


def _exam_rank(e: ExamDate) -> tuple:
    return (e.at, e.day is not None, e.day.isoformat() if e.day else "")


def _merge_exams(a: Store, b: Store) -> dict | None:
    """Exam dates: per scope, the latest change wins (a removal is a dated change); None when neither has any."""
    if a.exams is None and b.exams is None:
        return None
    out = _merge_latest(a.exams or {}, b.exams or {}, _exam_rank)
    if len(out) > M.MAX_EXAMS:  # the oldest changes go first
        keep = sorted(out, key=lambda k: (out[k].at, k))[-M.MAX_EXAMS:]
        out = {k: out[k] for k in sorted(keep)}
    return out


def _latest_params(a: Store, b: Store) -> M.FsrsParams | None:
    """The learner's FSRS parameters: the latest change wins (a return to the defaults is a dated change)."""
    x, y = a.fsrs, b.fsrs
    if x is None or y is None:
        return x or y
    return max(x, y, key=lambda p: (p.at, p.model_dump_json()))


def _join_flag(x: M.CardFlag, y: M.CardFlag) -> M.CardFlag:
    """Two copies of a card's flag joined field by field (so merging stays associative): suspended and buried from
    the latest change, the latest reset, and the reviews set aside by either reset (none is lost)."""
    if x == y:
        return x
    latest = max(x, y, key=lambda f: (f.at, f.suspended, f.buried_until or _NEVER))
    resets = [f.reset_at for f in (x, y) if f.reset_at is not None]
    history = _history_union(x.history, y.history)
    return latest.model_copy(update={"reset_at": max(resets) if resets else None, "history": history})


def _history_union(a: tuple, b: Iterable[tuple]) -> tuple:
    """Reviews by id (the newest ``MAX_LOG_PER_CARD`` in time order)."""
    by_id = {r[0]: r for r in a}
    for r in b:
        old = by_id.get(r[0])
        if old is None or r[1:] > old[1:]:
            by_id[r[0]] = r
    return tuple(sorted(by_id.values(), key=cs.review_key))[-M.MAX_LOG_PER_CARD:]


def _since_reset(rec: CardRecord | None, flag: M.CardFlag, moved: list) -> CardRecord | None:
    """A card's record without the reviews its reset left behind (they go to ``moved``, then to the history)."""
    cut = flag.reset_at
    if rec is None or cut is None:
        return rec
    if rec.state.last_review <= cut:
        moved.extend(rec.log)
        return None
    base = rec.base_state
    if (base is None or base.last_review <= cut) and rec.log and rec.log[0][1] <= cut:  # reviewed on both sides
        moved.extend(r for r in rec.log if r[1] <= cut)
        return record_from_reviews([r for r in rec.log if r[1] > cut])
    return rec


def _merge_flags(a: Store, b: Store) -> dict | None:
    """Card flags, joined per card (:func:`_join_flag`)."""
    if a.card_flags is None and b.card_flags is None:
        return None
    out = dict(a.card_flags or {})
    for cid, flag in (b.card_flags or {}).items():
        out[cid] = flag if cid not in out else _join_flag(out[cid], flag)
    return dict(sorted(out.items()))


def _with_history(flags: dict | None, moved: dict[str, list]) -> dict | None:
    """The flags with the reviews a reset left behind in another tab's records joined to their histories."""
    for cid, entries in moved.items():
        flag = flags[cid]  # type: ignore[index]
        history = _history_union(flag.history, entries)
        if history != flag.history:
            flags[cid] = flag.model_copy(update={"history": history})  # type: ignore[index]
    return flags


def _entries_union(a: tuple, b: tuple, limit: int) -> tuple:
    by_id: dict[str, Any] = {}
    for e in (*a, *b):
        old = by_id.get(e.id)
        if old is None or e.model_dump_json() > old.model_dump_json():
            by_id[e.id] = e
    return tuple(sorted(by_id.values(), key=entry_key))[-limit:]


def bound_marks(store: Store) -> Store:
    n = sum(len(s) for s in store.reading.values())
    if n <= M.MAX_MARKS and all(len(s) <= M.MAX_SECTIONS_PER_NOTE for s in store.reading.values()):
        return store
    flat = [(m.at, m.read, note, sec) for note, secs in store.reading.items() for sec, m in secs.items()]
    keep: dict[str, dict[str, Mark]] = {}
    per_note: Counter = Counter()
    kept = 0
    for at, read, note, sec in sorted(flat, reverse=True):  # newest first
        if kept >= M.MAX_MARKS:
            break
        if per_note[note] >= M.MAX_SECTIONS_PER_NOTE:
            continue
        per_note[note] += 1
        kept += 1
        keep.setdefault(note, {})[sec] = Mark(at, read)
    return build(store, reading={n: dict(sorted(s.items())) for n, s in sorted(keep.items())})


def merge(a: Store, b: Store) -> Store:
    """Merge two values of the same browser (two tabs, or a session and the stored value).

    Commutative, associative and idempotent, so tabs can merge in any order, any number of times.
    (Associativity holds while a single card has at most ``store_model.MAX_LOG_PER_CARD`` reviews in its log
    and the other count bounds are not reached; beyond them the oldest items are folded or dropped.)"""
    fa, fb = a.forgotten_at or _NEVER, b.forgotten_at or _NEVER
    if fa != fb:
        return a if fa > fb else b
    if a == b:
        return a
    reading: dict[str, dict[str, Mark]] = {}
    for note in sorted(set(a.reading) | set(b.reading)):
        reading[note] = _merge_latest(a.reading.get(note, {}), b.reading.get(note, {}), _mark_rank)
    cards: dict[str, CardRecord] = {}
    flags, moved = _merge_flags(a, b), {}  # card browser: a reset card's older reviews go to its history
    fsrs = _latest_params(a, b)  # a card whose logs differ is replayed with the learner's parameters
    params = fsrs.params if fsrs is not None else None
    for cid in sorted(set(a.cards) | set(b.cards)):
        x, y = a.cards.get(cid), b.cards.get(cid)
        if flags and cid in flags and flags[cid].reset_at is not None:
            gone: list = []
            x, y = _since_reset(x, flags[cid], gone), _since_reset(y, flags[cid], gone)
            if gone:
                moved[cid] = gone
        rec = x if y is None else y if x is None else merge_record(x, y, params=params)
        if rec is not None:
            cards[cid] = rec
    if len(cards) > M.MAX_CARDS:
        newest = sorted(cards, key=lambda c: (cards[c].state.last_review, c))[-M.MAX_CARDS:]
        cards = {c: cards[c] for c in sorted(newest)}
    folded = {d: max(a.folded.get(d, 0), b.folded.get(d, 0)) for d in sorted(set(a.folded) | set(b.folded))}
    if len(folded) > M.MAX_FOLDED_DAYS:
        folded = dict(list(folded.items())[-M.MAX_FOLDED_DAYS:])
    study_time = _merge_days(a.study_time, b.study_time)
    notes = _merge_latest(a.notes, b.notes, _note_rank)
    if len(notes) > M.MAX_NOTES:
        keep = sorted(notes, key=lambda k: (notes[k].at, k))[-M.MAX_NOTES:]
        notes = {k: notes[k] for k in sorted(keep)}
    out = build(
        a,
        reading=reading,
        cards=cards,
        folded=folded,
        quizzes=_entries_union(a.quizzes, b.quizzes, M.MAX_QUIZZES),
        assessments=_entries_union(a.assessments, b.assessments, M.MAX_ASSESSMENTS),
        notes=notes,
        settings=_merge_latest(a.settings, b.settings, _setting_rank),
        exams=_merge_exams(a, b),
        card_flags=_with_history(flags, moved),
        fsrs=fsrs,
        study_time=study_time,
    )
    return bound_marks(out)


def _merge_days(a: dict | None, b: dict | None) -> dict | None:
    """Answer time per day from two copies: the larger of the two each day (both started from the same value, so a sum
    would count the common part twice; two tabs answering on the same day keep the busier one's time)."""
    if a is None or b is None:
        return a if b is None else b
    days = {d: max(a.get(d, 0), b.get(d, 0)) for d in sorted(a.keys() | b.keys())}
    return dict(list(days.items())[-M.MAX_FOLDED_DAYS:])


def import_merge(current: Store, imported: Store) -> Store:
    """Add an imported value (e.g. a file exported from another browser) to the current one.

    Unlike :func:`merge`, an import made after "Forget this browser" is kept: the imported value
    adopts the current ``forgotten_at`` before merging."""
    return merge(current, imported.model_copy(update={"forgotten_at": current.forgotten_at}))


def merge_cuts(a: Store, b: Store, merged: Store) -> dict[str, int]:
    """How many records of ``a`` and ``b`` together ``merged`` left out because a bound was reached (the
    oldest go first): for a notice after an import.  Linear in the records."""
    def marks(s: Store) -> set[tuple[str, str]]:
        return {(n, sec) for n, secs in s.reading.items() for sec in secs}

    counts = {
        "reading marks": len(marks(a) | marks(b)) - sum(len(x) for x in merged.reading.values()),
        "cards": len(a.cards.keys() | b.cards.keys()) - len(merged.cards),
        "uploaded note listings": len(a.notes.keys() | b.notes.keys()) - len(merged.notes),
        "quiz results": len({q.id for q in (*a.quizzes, *b.quizzes)}) - len(merged.quizzes),
        "assessment results": len({x.id for x in (*a.assessments, *b.assessments)}) - len(merged.assessments),
        "days of compacted review counts": len(a.folded.keys() | b.folded.keys()) - len(merged.folded),
    }
    return {k: v for k, v in counts.items() if v > 0}
