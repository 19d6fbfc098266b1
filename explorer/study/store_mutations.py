"""Changing the store: each learner action is a function from a store to a new store (mark a section
read, grade a card, record a quiz or assessment result, list or remove an uploaded note, change a setting,
forget this browser).

Each checks its arguments (:class:`~explorer.study.store_model.StoreError` with a message otherwise) and
dates the change no earlier than one second after what it replaces, so it wins a merge with an older copy.
"""

from __future__ import annotations

import datetime as _dt
import math
import secrets
from collections.abc import Iterable

from pydantic import ValidationError

from explorer.study import card_state as cs
from explorer.study import scheduling as sch
from explorer.study import store_model as M
from explorer.study.store_cards import fold_prefix, make_record
from explorer.study.store_merge import bound_marks
from explorer.study.store_model import (
    SETTINGS,
    AssessmentEntry,
    ExamDate,
    Mark,
    NoteMeta,
    QuizEntry,
    Setting,
    Store,
    StoreError,
    build,
    check_key,
    empty,
    entry_key,
    sorted_by_key,
)
from explorer.study.store_queries import setting

SECOND = _dt.timedelta(seconds=1)


def _summarise(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    shown = "; ".join(f"{'.'.join(str(p) for p in e['loc'])[:80] or 'value'}: {e['msg'][:120]}" for e in errors[:3])
    more = f" (and {len(errors) - 3} more problems)" if len(errors) > 3 else ""
    return shown + more


def _key(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise StoreError(f"{what} must be text, got {type(value).__name__}")
    try:
        return check_key(value)
    except ValueError as exc:
        raise StoreError(f"{what} {exc}") from None


def _now(now: _dt.datetime) -> _dt.datetime:
    try:
        t = cs.utc(now)
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    if not cs.EARLIEST <= t <= cs.LATEST:
        raise StoreError(f"time {t.isoformat()} is outside {cs.EARLIEST.year}-{cs.LATEST.year}")
    return t


def _after(now: _dt.datetime, previous: _dt.datetime | None) -> _dt.datetime:
    """``now``, or one second after ``previous`` when the clock says otherwise: a change made here is
    always newer than what this store has already seen (so it wins a merge with an older copy)."""
    return now if previous is None or now > previous else cs.utc(previous + SECOND)


def mark_read(store: Store, note_id: str, section_id: str, read: bool, now: _dt.datetime) -> Store:
    """The store with a section marked read (``read=True``) or unread (a dated tombstone)."""
    note_id, section_id, now = _key(note_id, "note id"), _key(section_id, "section id"), _now(now)
    read = bool(read)
    secs = store.reading.get(note_id, {})
    old = secs.get(section_id)
    if old is None and not read:
        return store
    if old is not None and old.read == read:
        return store
    new_secs = dict(secs)
    new_secs[section_id] = Mark(_after(now, old.at if old else None), read)
    reading = dict(store.reading)
    reading[note_id] = sorted_by_key(new_secs)
    return bound_marks(build(store, reading=sorted_by_key(reading)))


def mark_many(
    store: Store, note_id: str, section_ids: Iterable[str], read: bool, now: _dt.datetime
) -> tuple[Store, int]:
    """The store with many sections of one note marked read (or unread) in one pass, and how many of
    them could not be marked because a bound was reached.

    Linear in the sections given (one copy of the note's marks, one sort): marking a note's 8,000
    headings costs a few milliseconds.  Sections are taken in the order given; un-marking never
    grows the store.  Marking stops at ``store_model.MAX_SECTIONS_PER_NOTE`` marks in the note and
    ``store_model.MAX_MARKS`` in the store (after this note's own un-mark records, oldest first, made room):
    nothing already kept is dropped to make room, and the sections left unmarked are counted."""
    note_id, now, read = _key(note_id, "note id"), _now(now), bool(read)
    secs = store.reading.get(note_id, {})
    wanted = [s for s in dict.fromkeys(_key(s, "section id") for s in section_ids)
              if (m := secs.get(s)) is None and read or m is not None and m.read != read]
    if not wanted:
        return store, 0
    new_secs = dict(secs)
    cut = 0
    if read:
        fresh = [s for s in wanted if s not in secs]
        total = sum(len(x) for x in store.reading.values())
        room = min(M.MAX_SECTIONS_PER_NOTE - len(secs), M.MAX_MARKS - total)
        if len(fresh) > room:  # this note's un-mark records make room first, the oldest first
            chosen = set(wanted)
            dead = sorted((m.at, s) for s, m in secs.items() if not m.read and s not in chosen)
            evict = dead[: len(fresh) - room]
            for _, s in evict:
                del new_secs[s]
            room += len(evict)
        if len(fresh) > room:
            left = set(fresh[max(room, 0):])
            cut = len(left)
            wanted = [s for s in wanted if s not in left]
            if not wanted and len(new_secs) == len(secs):
                return store, cut
    for s in wanted:
        old = secs.get(s)
        new_secs[s] = Mark(_after(now, old.at if old else None), read)
    reading = dict(store.reading)
    reading[note_id] = dict(sorted(new_secs.items()))
    return build(store, reading=sorted_by_key(reading)), cut


def review(
    store: Store,
    card_id: str,
    grade: object,
    now: _dt.datetime,
    retention: float | None = None,
    *,
    review_id: str | None = None,
    seconds: float | None = None,
) -> Store:
    """The store after grading ``card_id`` (``"again"``/``"hard"``/``"good"``/``"easy"``) at ``now``.

    ``retention`` defaults to the store's desired-retention setting.  The review gets a random id
    (``review_id`` for tests) and is appended to the card's log; past ``store_model.MAX_LOG_PER_CARD``
    entries the oldest fold into the card's base.  ``seconds``: how long the answer took (from the card shown to the
    grade), added to that UTC day's ``study_time``, at most ``store_model.MAX_ANSWER_SECONDS`` per answer."""
    card_id, now = _key(card_id, "card id"), _now(now)
    try:
        g = cs.grade_value(grade)
        r = cs.check_retention(setting(store, "desired_retention") if retention is None else retention)
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    rid = review_id if review_id is not None else cs.new_review_id()
    if not cs.REVIEW_ID_RE.match(rid):
        raise StoreError("review id must be 1 to 40 characters: letters, digits, '-' or '_'")
    rec = store.cards.get(card_id)
    if rec is None and len(store.cards) >= M.MAX_CARDS:
        raise StoreError(f"this browser already keeps {M.MAX_CARDS} cards; no more can be added")
    state = rec.state if rec else None
    if rec is not None and any(x[0] == rid for x in rec.log):
        raise StoreError(f"review id {rid} is already in this card's log")
    at = _after(now, state.last_review if state else _reset_at(store, card_id))  # a review after a reset is newer
    entry = (rid, at, g, r)
    params = store.fsrs.params if store.fsrs is not None else None  # the learner's own FSRS parameters, if any
    new_state = sch.review_card(state, g, at, retention=r, fuzz_key=rid, params=params)
    log = [*(rec.log if rec else ()), entry]
    base = rec.base_state if rec else None
    base_id = rec.base_id if rec and base is not None else None
    if len(log) > M.MAX_LOG_PER_CARD:
        base, base_id, log = fold_prefix(base, base_id, log, len(log) - M.MAX_LOG_PER_CARD, params)
    new_rec = make_record(new_state, log, base, base_id)
    cards = dict(store.cards)
    cards[card_id] = new_rec  # type: ignore[assignment]
    extra = {}
    if seconds is not None and math.isfinite(seconds) and seconds >= 0.5:
        days = dict(store.study_time or {})
        day = at.date()
        days[day] = min(86_400, days.get(day, 0) + round(min(seconds, M.MAX_ANSWER_SECONDS)))
        extra["study_time"] = dict(sorted(days.items())[-M.MAX_FOLDED_DAYS:])
    return build(store, cards=cards if rec is not None else dict(sorted(cards.items())), **extra)


def _new_id(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(6)}"


def record_quiz(
    store: Store,
    *,
    score: int,
    total: int,
    seed: int = 0,
    now: _dt.datetime,
    wrong: Iterable[str] = (),
    quiz_id: str | None = None,
) -> Store:
    """The store with one more quiz result (the oldest go beyond ``store_model.MAX_QUIZZES``)."""
    now = _now(now)
    try:
        entry = QuizEntry(id=quiz_id or _new_id("q"), at=now, score=score, total=total, seed=seed,
                          wrong=tuple(dict.fromkeys(wrong))[:M.MAX_WRONG])
    except ValidationError as exc:
        raise StoreError(f"quiz result: {_summarise(exc)}") from None
    if any(q.id == entry.id for q in store.quizzes):
        raise StoreError(f"quiz id {entry.id} is already recorded")
    return build(store, quizzes=tuple(sorted((*store.quizzes, entry), key=entry_key))[-M.MAX_QUIZZES:])


def add_assessment_result(
    store: Store, code: str, now: _dt.datetime, label: str | None = None, *, result_id: str | None = None
) -> Store:
    """The store with a dated self-assessment result (its share code and an optional label)."""
    now = _now(now)
    label = label.strip() if isinstance(label, str) else label
    try:
        entry = AssessmentEntry(id=result_id or _new_id("a"), at=now, code=code, label=label or None)
    except ValidationError as exc:
        raise StoreError(f"assessment result: {_summarise(exc)}") from None
    if any(a.id == entry.id for a in store.assessments):
        raise StoreError(f"assessment result id {entry.id} is already recorded")
    return build(store, assessments=tuple(sorted((*store.assessments, entry), key=entry_key))[-M.MAX_ASSESSMENTS:])


def add_note(store: Store, note_id: str, name: str, size: int, now: _dt.datetime) -> Store:
    """Record an uploaded note's metadata (the text itself is stored separately, keyed by ``note_id``)."""
    note_id, now = _key(note_id, "note id"), _now(now)
    old = store.notes.get(note_id)
    try:
        meta = NoteMeta(name=name, size=size, added=now, at=_after(now, old.at if old else None))
    except ValidationError as exc:
        raise StoreError(f"note: {_summarise(exc)}") from None
    notes = dict(store.notes)
    notes[note_id] = meta
    if len(notes) > M.MAX_NOTES:
        removed = sorted((k for k, v in notes.items() if v.removed), key=lambda k: (notes[k].at, k))
        for k in removed[: len(notes) - M.MAX_NOTES]:
            del notes[k]
        if len(notes) > M.MAX_NOTES:
            raise StoreError(f"at most {M.MAX_NOTES} uploaded notes can be kept in this browser")
    return build(store, notes=dict(sorted(notes.items())))


def remove_note(store: Store, note_id: str, now: _dt.datetime) -> Store:
    """Mark an uploaded note removed (a dated tombstone, so another tab does not bring it back)."""
    note_id, now = _key(note_id, "note id"), _now(now)
    old = store.notes.get(note_id)
    if old is None or old.removed:
        return store
    notes = dict(store.notes)
    notes[note_id] = old.model_copy(update={"removed": True, "at": _after(now, old.at)})
    return build(store, notes=notes)


def set_setting(store: Store, key: str, value: object, now: _dt.datetime) -> Store:
    """The store with a setting changed (validated: :data:`SETTINGS` gives each key's range)."""
    if key not in SETTINGS:
        raise StoreError(f"unknown setting {key!r}; settings are {', '.join(SETTINGS)}")
    now = _now(now)
    try:
        value = SETTINGS[key].check(key, value)
    except ValueError as exc:
        raise StoreError(str(exc)) from None
    old = store.settings.get(key)  # type: ignore[call-overload]
    if old is not None and old.value == value and type(old.value) is type(value):
        return store
    new = dict(store.settings)
    new[key] = Setting(_after(now, old.at if old else None), value)
    return build(store, settings=dict(sorted(new.items())))


EXAM_SCOPES = ("deck:", "folder:")
EXAM_HORIZON_DAYS = 3 * 366  # an exam further away than this is taken for a typo in the year


def _exam_scope(scope: object) -> str:
    scope = _key(scope, "exam scope")
    if not scope.startswith(EXAM_SCOPES) or scope in EXAM_SCOPES:
        raise StoreError("an exam date belongs to a deck (deck:<topic>) or a folder of notes (folder:<path>)")
    return scope


def set_exam(store: Store, scope: str, day: object, now: _dt.datetime, *, today: _dt.date | None = None) -> Store:
    """The store with an exam date for ``scope`` (``deck:<topic>`` or ``folder:<path>``).

    ``today`` is the learner's local date (default: ``now``'s UTC date).  A date before today, or more than
    :data:`EXAM_HORIZON_DAYS` ahead, is refused with a message (a typo in the year, not an exam)."""
    scope, now = _exam_scope(scope), _now(now)
    if not isinstance(day, _dt.date) or isinstance(day, _dt.datetime):
        raise StoreError(f"an exam date must be a date, got {type(day).__name__}")
    today = now.date() if today is None else today
    if day < today:
        raise StoreError(f"the exam date {day.isoformat()} is in the past; choose today or a later day")
    if (day - today).days > EXAM_HORIZON_DAYS:
        raise StoreError(f"the exam date {day.isoformat()} is more than three years away; check the year")
    exams = dict(store.exams or {})
    old = exams.get(scope)
    if old is not None and old.day == day:
        return store
    if old is None and len(exams) >= M.MAX_EXAMS:
        dead = sorted((e.at, k) for k, e in exams.items() if e.day is None)
        if not dead:
            raise StoreError(f"at most {M.MAX_EXAMS} exam dates can be kept in this browser")
        del exams[dead[0][1]]
    exams[scope] = ExamDate(_after(now, old.at if old else None), day)
    return build(store, exams=dict(sorted(exams.items())))


def clear_exam(store: Store, scope: str, now: _dt.datetime) -> Store:
    """The store without an exam date for ``scope`` (a dated removal, so another tab does not bring it back)."""
    scope, now = _exam_scope(scope), _now(now)
    old = (store.exams or {}).get(scope)
    if old is None or old.day is None:
        return store
    exams = dict(store.exams or {})
    exams[scope] = ExamDate(_after(now, old.at), None)
    return build(store, exams=exams)


def _set_flag(store: Store, card_id: str, now: _dt.datetime, **change) -> Store:
    card_id, now = _key(card_id, "card id"), _now(now)
    flags = dict(store.card_flags or {})
    old = flags.get(card_id)
    if old is not None and all(getattr(old, k) == v for k, v in change.items()):
        return store
    if old is None and len(flags) >= M.MAX_CARDS:
        raise StoreError(f"this browser already keeps settings for {M.MAX_CARDS} cards")
    base = old or M.CardFlag(at=now)
    flags[card_id] = base.model_copy(update={**change, "at": _after(now, old.at if old else None)})
    return build(store, card_flags=dict(sorted(flags.items())))


def suspend(store: Store, card_id: str, suspended: bool, now: _dt.datetime) -> Store:
    """The store with a card suspended (out of the study queue and the forecast) or back in."""
    return _set_flag(store, card_id, now, suspended=bool(suspended))


def bury(store: Store, card_id: str, until: _dt.datetime | None, now: _dt.datetime) -> Store:
    """The store with a card buried until ``until`` (out of the study queue until then; None: unburied)."""
    if until is not None:
        until = _now(until)
        if until <= cs.utc(now):
            raise StoreError("a card is buried until a later time")
    return _set_flag(store, card_id, now, buried_until=until)


def _reset_at(store: Store, card_id: str) -> _dt.datetime | None:
    flag = (store.card_flags or {}).get(card_id)
    return flag.reset_at if flag is not None else None


def reset_card(store: Store, card_id: str, now: _dt.datetime) -> Store:
    """The store with a card back to new: its record leaves ``cards`` and its review log joins the flag's
    history (kept for the card's history, never replayed); another tab's older copy does not bring it back."""
    card_id, now = _key(card_id, "card id"), _now(now)
    rec = store.cards.get(card_id)
    if rec is None:
        return store
    old = (store.card_flags or {}).get(card_id)
    at = _after(now, max(t for t in (rec.state.last_review, old.at if old else None) if t is not None))
    history = (*(old.history if old else ()), *rec.log)[-M.MAX_LOG_PER_CARD:]
    store = _set_flag(store, card_id, at, reset_at=at, history=history, buried_until=None)
    cards = dict(store.cards)
    del cards[card_id]
    return build(store, cards=cards)


def forget(store: Store, now: _dt.datetime) -> Store:
    """An empty store that wins merges against everything kept before ``now`` (see :func:`merge`)."""
    now = _now(now)
    return empty().model_copy(update={"forgotten_at": _after(now, store.forgotten_at)})


def set_fsrs_params(store: Store, params, now: _dt.datetime, *, log_loss: float | None = None,
                    default_log_loss: float | None = None, reviews: int | None = None) -> Store:
    """The store with the learner's own FSRS parameters (``params`` None: back to the defaults), dated so that
    the latest change wins a merge; the fit's held-out log losses and review count are kept beside them."""
    now = _now(now)
    old = store.fsrs
    try:
        rec = M.FsrsParams(at=_after(now, old.at if old else None), params=None if params is None else tuple(params),
                           log_loss=log_loss, default_log_loss=default_log_loss, reviews=reviews)
    except ValidationError as exc:
        raise StoreError(f"FSRS parameters: {_summarise(exc)}") from None
    if params is None and (old is None or old.params is None):
        return store  # already the defaults
    return build(store, fsrs=rec)
