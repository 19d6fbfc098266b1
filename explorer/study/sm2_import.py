"""Progress files of the SM-2 version of the app (``"format": "mlops-explorer-progress"``, version 1),
read and mapped to FSRS card states.

The file shape is frozen here on purpose (a copy of what the SM-2 version's `export_progress`
wrote), so that these files keep importing after the SM-2 scheduler is removed from the app.

What maps, and what is lost (:func:`map_progress` returns these as notes for the learner):

* each reviewed card becomes an FSRS state (:func:`explorer.study.sm2_fsrs.from_sm2`): stability from
  the current interval, difficulty from the ease, due date and last review kept, review and lapse
  counts carried; a card whose last answer failed continues in relearning;
* SM-2 stored no per-review history, so the review heatmap has nothing before the import and FSRS
  starts from an estimate instead of a history;
* SM-2 stored dates without times: reviews and due dates are placed at 00:00 UTC;
* sections read and quiz results carry over; SM-2 did not record when a section was marked read,
  so the latest date in the file is used.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from explorer.study import card_state as cs
from explorer.study import sm2_fsrs

V1_FORMAT = "mlops-explorer-progress"
V1_VERSION = 1


def _check_key(value: str) -> str:
    if not value or len(value) > 200 or any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("must be 1 to 200 characters without control characters")
    return value


Key = Annotated[str, AfterValidator(_check_key)]


class _V1(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class V1Card(_V1):
    repetitions: int = Field(0, ge=0, le=100_000)
    interval: int = Field(0, ge=0, le=36_500)
    ease: float = Field(2.5, ge=1.3, le=100.0)
    due: _dt.date
    last_review: _dt.date | None = None
    reviews: int = Field(0, ge=0, le=1_000_000)
    lapses: int = Field(0, ge=0, le=1_000_000)


class V1Quiz(_V1):
    taken_on: _dt.date
    seed: int = Field(0, ge=-(2**63), le=2**63)
    score: int = Field(ge=0, le=10_000)
    total: int = Field(ge=0, le=10_000)
    wrong: list[Key] = Field(default_factory=list, max_length=10_000)


class V1Progress(_V1):
    format: Literal["mlops-explorer-progress"]
    version: Literal[1] = 1
    cards: dict[Key, V1Card] = Field(default_factory=dict, max_length=50_000)
    quiz_history: list[V1Quiz] = Field(default_factory=list, max_length=1_000)
    sections_read: dict[Key, list[Key]] = Field(default_factory=dict, max_length=10_000)


@dataclass(frozen=True)
class MappedQuiz:
    id: str  # stable: derived from the record, so importing the same file twice gives the same ids
    at: _dt.datetime
    score: int
    total: int
    seed: int
    wrong: tuple[str, ...]


@dataclass(frozen=True)
class Sm2Mapping:
    cards: dict[str, cs.CardState]
    sections_read: dict[str, tuple[str, ...]]
    marked_at: _dt.datetime  # the time given to the reading marks (SM-2 kept none)
    quizzes: tuple[MappedQuiz, ...]
    notes: tuple[str, ...] = field(default_factory=tuple)  # what was approximated or lost, for the learner


def _midnight(day: _dt.date) -> _dt.datetime:
    return _dt.datetime.combine(day, _dt.time(0), cs.UTC)


def _in_range(day: _dt.date) -> bool:
    return cs.EARLIEST.date() <= day < cs.LATEST.date()


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def parse_v1(raw: object) -> V1Progress:
    """Validate a decoded v1 progress file; raises ValueError with a short reason."""
    try:
        return V1Progress.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        shown = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in errors[:3])
        raise ValueError(f"the SM-2 progress file has invalid content: {shown}") from None
    except RecursionError:
        raise ValueError("the SM-2 progress file is nested too deeply") from None


_V1_RECORDS = {"cards": "card", "quiz_history": "quiz result", "sections_read": "list of sections read"}


def parse_v1_records(raw: object) -> tuple[V1Progress, tuple[str, ...]]:
    """:func:`parse_v1`, record by record: a card, a quiz result, a note's list of sections read or one
    section id that is invalid is left out (the notes returned name it) instead of refusing the file.
    Raises ValueError when the file itself is wrong (format, version, unknown fields, a section of the
    wrong type).  A few validations of the whole file, each taking out every record that failed."""
    if not isinstance(raw, dict):
        return parse_v1(raw), ()
    data = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in raw.items()}
    left_out: list[str] = []
    for _ in range(4):
        try:
            return V1Progress.model_validate(data), _left_out_notes(left_out)
        except ValidationError as exc:
            errors = exc.errors(include_url=False, include_input=False, include_context=False)
        except RecursionError:
            raise ValueError("the SM-2 progress file is nested too deeply") from None
        gone: set[tuple] = set()
        for e in errors:
            loc = tuple(e["loc"])
            if len(loc) < 2 or loc[0] not in _V1_RECORDS or not isinstance(data.get(loc[0]), (dict, list)):
                return parse_v1(data), ()  # the file itself is wrong: refused with the reason
            if loc[0] == "sections_read" and len(loc) > 2 and isinstance(loc[2], int):
                record = loc[:3]  # one section id in a note's list
            else:
                record = loc[:2]
            if record in gone:
                continue
            gone.add(record)
            msg = _short(e["msg"].removeprefix("Value error, "), 100)
            if len(record) == 3:
                left_out.append(f"a section id read in “{_short(loc[1])}” ({msg})")
            elif isinstance(loc[1], str):
                left_out.append(f"{_V1_RECORDS[loc[0]]} “{_short(loc[1])}” ({msg})")
            else:
                left_out.append(f"{_V1_RECORDS[loc[0]]} number {loc[1] + 1} ({msg})")
        for record in sorted(gone, key=lambda r: (len(r), str(r)), reverse=True):  # list items: later indexes first
            container = data[record[0]]
            if len(record) == 3:
                items = container.get(record[1])
                if isinstance(items, list) and record[2] < len(items):
                    container[record[1]] = [x for i, x in enumerate(items) if i != record[2]]
            elif isinstance(container, dict):
                container.pop(record[1], None)
            elif isinstance(record[1], int) and record[1] < len(container):
                del container[record[1]]
        if not gone:
            break
    return parse_v1(data), ()


def _short(text: object, limit: int = 60) -> str:
    text = "".join(c if c.isprintable() else "?" for c in str(text))
    return text if len(text) <= limit else text[:limit] + "…"


def _left_out_notes(left_out: list[str]) -> tuple[str, ...]:
    if not left_out:
        return ()
    shown = "; ".join(left_out[:6]) + (f"; and {len(left_out) - 6} more" if len(left_out) > 6 else "")
    return (f"{_plural(len(left_out), 'record')} of the SM-2 file could not be read and "
            f"{'was' if len(left_out) == 1 else 'were'} left out: {shown}.",)


def map_progress(progress: V1Progress) -> Sm2Mapping:
    """Map a validated v1 progress file to FSRS states, reading marks and quizzes, with notes."""
    cards: dict[str, cs.CardState] = {}
    never, out_of_range, relearning = 0, 0, 0
    guessed_last = 0
    for cid, c in progress.cards.items():
        if c.reviews <= 0:
            never += 1
            continue
        if not _in_range(c.due) or (c.last_review is not None and not _in_range(c.last_review)):
            out_of_range += 1
            continue
        if c.last_review is None:
            guessed_last += 1
        try:
            state = sm2_fsrs.from_sm2(
                repetitions=c.repetitions, interval=c.interval, ease=c.ease, due=c.due,
                last_review=c.last_review, reviews=c.reviews, lapses=c.lapses,
            )
        except ValueError:
            out_of_range += 1
            continue
        if state is None:  # pragma: no cover - reviews > 0 always gives a state
            continue
        if state.phase == "relearning":
            relearning += 1
        cards[cid] = state

    dates = [d for c in progress.cards.values() for d in (c.last_review,) if d is not None and _in_range(d)]
    dates += [q.taken_on for q in progress.quiz_history if _in_range(q.taken_on)]
    marked_at = _midnight(max(dates)) if dates else cs.EARLIEST

    quizzes = []
    skipped_quizzes = 0
    for i, q in enumerate(progress.quiz_history):
        if not _in_range(q.taken_on) or q.score > q.total:
            skipped_quizzes += 1
            continue
        digest = hashlib.sha256(json.dumps([i, q.model_dump(mode="json")], sort_keys=True).encode()).hexdigest()
        wrong = tuple(dict.fromkeys(q.wrong))[:200]
        quizzes.append(MappedQuiz(f"sm2-{digest[:12]}", _midnight(q.taken_on), q.score, q.total, q.seed, wrong))

    sections = {n: tuple(dict.fromkeys(s)) for n, s in progress.sections_read.items() if s}
    n_marks = sum(len(s) for s in sections.values())

    notes = []
    if cards:
        notes.append(
            f"{_plural(len(cards), 'card')} moved from SM-2 to FSRS. SM-2 kept no history of single reviews, so "
            "each card starts from an estimate: its stability is its current interval and its difficulty comes "
            "from its ease. Due dates, review counts and lapses are kept."
        )
        notes.append("The review heatmap starts empty: SM-2 did not record when past reviews happened.")
        notes.append("SM-2 stored dates without times: imported reviews and due dates are placed at 00:00 UTC.")
    if relearning:
        notes.append(f"{_plural(relearning, 'card')} had failed the last review and "
                     f"{'continues' if relearning == 1 else 'continue'} in relearning.")
    if guessed_last:
        notes.append(f"{_plural(guessed_last, 'card')} had no last-review date; the due date minus the interval "
                     "is used instead.")
    if never:
        notes.append(f"{_plural(never, 'card')} had never been reviewed and {'stays' if never == 1 else 'stay'} new.")
    if out_of_range:
        notes.append(f"{_plural(out_of_range, 'card')} with dates outside 2000-2199 could not be imported.")
    if n_marks:
        notes.append(
            f"{_plural(n_marks, 'section')} marked read carried over; SM-2 did not record when, so "
            f"{'it is' if n_marks == 1 else 'they are'} dated {marked_at.date().isoformat()} (the latest date in the file)."
        )
    if quizzes:
        notes.append(f"{_plural(len(quizzes), 'quiz result')} carried over (dated at 00:00 UTC of their day).")
    if skipped_quizzes:
        notes.append(f"{_plural(skipped_quizzes, 'quiz result')} with an impossible date or score could not be imported.")
    return Sm2Mapping(cards, sections, marked_at, tuple(quizzes), tuple(notes))


def read_v1(text: str | bytes) -> Sm2Mapping:
    """Parse and map an SM-2 progress file's text.  Raises ValueError (and nothing else) when it cannot."""
    try:
        raw = json.loads(text)
    except (ValueError, RecursionError, TypeError):
        raise ValueError("the SM-2 progress file is not valid JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != V1_FORMAT:
        raise ValueError("this is not an SM-2 progress file of the MLOps explorer")
    return map_progress(parse_v1(raw))


__all__ = ["MappedQuiz", "Sm2Mapping", "V1Card", "V1Progress", "V1Quiz", "V1_FORMAT", "map_progress", "parse_v1",
           "parse_v1_records", "read_v1"]
