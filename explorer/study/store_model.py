"""The learner's store as a value: its records, their bounds and its canonical form and text.

One :class:`Store` holds everything a learner keeps in their browser (see :mod:`explorer.study.store`
for the whole picture and the public API).  Every record is a frozen pydantic model, validated by
pydantic-core when a text is read; :func:`build` makes a new store from valid parts without validating
again, and :func:`canonical` sorts what a load left unsorted, so equal stores :func:`dump` to equal texts.

The bounds (``MAX_CARDS``, ``MAX_MARKS``, ...) live here; the modules that apply them read them as
``store_model.MAX_...`` when they run, so one assignment changes a bound everywhere (tests lower them).
"""

from __future__ import annotations

import datetime as _dt
import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal, NamedTuple

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    model_validator,
)

from explorer.study import card_state as cs
from explorer.study.card_state import CardState, ReviewEntry, ReviewId, UtcTime

FORMAT = "mlops-explorer-store"
SCHEMA_VERSION = 2
MAX_CARDS = 20_000
MAX_LOG_PER_CARD = 1_000
MAX_MARKS = 20_000
MAX_SECTIONS_PER_NOTE = 5_000
MAX_QUIZZES = 500
MAX_ASSESSMENTS = 500
MAX_NOTES = 200
MAX_FOLDED_DAYS = 3_660
MAX_WRONG = 200
MAX_LABEL = 120
MAX_ANSWER_SECONDS = 60  # one answer's time counts at most this much in study_time
MAX_EXAMS = 200  # exam dates (one per deck or folder)
EXAM_EARLIEST = _dt.date(2000, 1, 1)  # an exam date outside these is refused as absurd (mutations refuse past ones)
EXAM_LATEST = _dt.date(2199, 12, 31)


class StoreError(ValueError):
    """A mutation that cannot be applied (bad id, value out of range, a bound reached)."""


def check_key(value: str) -> str:
    if not value or len(value) > 200 or any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError("must be 1 to 200 characters without control characters")
    return value


def _check_label(value: str) -> str:
    if len(value) > MAX_LABEL or any(ord(c) < 32 or ord(c) == 127 or 0xD800 <= ord(c) <= 0xDFFF for c in value):
        raise ValueError(f"must be at most {MAX_LABEL} characters without control characters")
    return value


_CODE_RE = re.compile(r"^[a-z0-9.]{1,200}$")  # the share-code alphabet (explorer.assess.sharecode)


def _check_code(value: str) -> str:
    if not _CODE_RE.match(value):
        raise ValueError("must be a share code: 1 to 200 characters a-z, 0-9 and '.'")
    return value


# ids and names: 1-200 characters, no control characters (checked by pydantic-core's regex: no Python call
# per value; a lone surrogate cannot reach it, pydantic refuses such strings first)
Key = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f]{1,200}$")]
Label = Annotated[str, AfterValidator(_check_label)]
Code = Annotated[str, AfterValidator(_check_code)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- settings
@dataclass(frozen=True)
class SettingSpec:
    kind: type
    default: Any
    lo: float | None = None
    hi: float | None = None
    label: str = ""

    def check(self, key: str, value: object) -> Any:
        if self.kind is bool:
            if not isinstance(value, bool):
                raise ValueError(f"{key} must be true or false, got {value!r}")
            return value
        if self.kind is float:
            if key == "desired_retention":
                return cs.check_retention(value)
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        else:
            ok = isinstance(value, int) and not isinstance(value, bool)
        if not ok or not (self.lo <= value <= self.hi):  # type: ignore[operator]
            raise ValueError(f"{key} must be {'an integer' if self.kind is int else 'a number'} from {self.lo:g} to {self.hi:g}, got {value!r}")
        return self.kind(value)


SETTINGS: dict[str, SettingSpec] = {
    "desired_retention": SettingSpec(float, cs.DEFAULT_RETENTION, cs.MIN_RETENTION, cs.MAX_RETENTION,
                                     "Desired retention (share of due cards you want to recall)"),
    "new_per_day": SettingSpec(int, 20, 0, 500, "New cards per day"),
    "quiz_questions": SettingSpec(int, 10, 3, 50, "Questions per quiz"),
    "prefer_tables": SettingSpec(bool, False, label="Show tables instead of charts"),
}
SettingKey = Literal["desired_retention", "new_per_day", "quiz_questions", "prefer_tables"]


class Setting(NamedTuple):
    at: UtcTime
    value: StrictBool | StrictInt | StrictFloat


class Mark(NamedTuple):
    at: UtcTime
    read: StrictBool


def _check_exam_day(value: _dt.date | None) -> _dt.date | None:
    if value is not None and not EXAM_EARLIEST <= value <= EXAM_LATEST:
        raise ValueError(f"an exam date must be from {EXAM_EARLIEST.year} to {EXAM_LATEST.year}")
    return value


class ExamDate(NamedTuple):
    """An exam date for one scope (``deck:<topic>`` or ``folder:<folder path>``); ``day`` None is a dated
    removal (a tombstone, so another tab does not bring the date back)."""

    at: UtcTime
    day: Annotated[_dt.date | None, AfterValidator(_check_exam_day)]


def _check_fsrs_params(value: tuple[float, ...] | None) -> tuple[float, ...] | None:
    from explorer.study.params import check_params

    return None if value is None else check_params(value)


class FsrsParams(_Model):
    """The learner's own FSRS parameters (``params`` None: back to the defaults, a dated change so another tab
    does not bring old ones back), when they were set, and what the fit showed on held-out reviews."""

    at: UtcTime
    params: Annotated[tuple[float, ...] | None, AfterValidator(_check_fsrs_params)] = None
    log_loss: float | None = Field(None, ge=0, le=1_000)  # the fitted parameters' log loss on held-out reviews
    default_log_loss: float | None = Field(None, ge=0, le=1_000)  # the parameters it replaced, on the same reviews
    reviews: int | None = Field(None, ge=0, le=100_000_000)  # reviews in the log it was fitted on


class CardFlag(_Model):
    """What the learner set for one card in the card browser (#24): suspended (out of the study queue and
    the forecast until unsuspended), buried until a time (tomorrow), reset to new (``reset_at``: its reviews up
    to then moved to ``history``, kept for the card's history, never replayed again).  ``at`` is the last
    change: the latest wins a merge."""

    at: UtcTime
    suspended: StrictBool = False
    buried_until: UtcTime | None = None
    reset_at: UtcTime | None = None
    history: tuple[ReviewEntry, ...] = Field((), max_length=MAX_LOG_PER_CARD)  # the reviews before the reset


# --------------------------------------------------------------------------- records
class CardRecord(_Model):
    """A card's current state and its review log since ``base``.

    ``base_id`` names the last review folded out of the log (or ``"sm2"`` for an SM-2 import);
    ``base`` is the state those folded reviews left, stored only while later reviews remain in the
    log (with an empty log, the base *is* ``state``).  ``state == replay(base, log)`` always."""

    state: CardState
    log: tuple[ReviewEntry, ...] = Field((), max_length=MAX_LOG_PER_CARD)
    base: CardState | None = None
    base_id: ReviewId | None = None

    @property
    def base_state(self) -> CardState | None:
        if self.base is not None:
            return self.base
        return self.state if self.base_id is not None and not self.log else None

    @property
    def base_key(self) -> tuple[_dt.datetime, str] | None:
        b = self.base_state
        return None if b is None or self.base_id is None else (b.last_review, self.base_id)


class QuizEntry(_Model):
    id: ReviewId
    at: UtcTime
    score: int = Field(ge=0, le=10_000)
    total: int = Field(ge=0, le=10_000)
    seed: int = Field(0, ge=-(2**63), le=2**63)
    wrong: tuple[Key, ...] = Field((), max_length=MAX_WRONG)

    @model_validator(mode="after")
    def _score(self) -> QuizEntry:
        if self.score > self.total:
            raise ValueError("score cannot exceed total")
        return self


class AssessmentEntry(_Model):
    id: ReviewId
    at: UtcTime
    code: Code
    label: Label | None = None


class NoteMeta(_Model):
    name: Annotated[str, AfterValidator(check_key)]
    size: int = Field(ge=0, le=100_000_000)
    added: UtcTime
    at: UtcTime  # last change (added or removed): latest wins on merge
    removed: bool = False


class Store(_Model):
    format: Literal["mlops-explorer-store"]
    version: Literal[2]
    forgotten_at: UtcTime | None = None
    reading: dict[Key, Annotated[dict[Key, Mark], Field(max_length=MAX_SECTIONS_PER_NOTE)]] = Field(
        default_factory=dict, max_length=MAX_MARKS)
    cards: dict[Key, CardRecord] = Field(default_factory=dict, max_length=MAX_CARDS)
    folded: dict[_dt.date, Annotated[int, Field(ge=1, le=10_000_000)]] = Field(default_factory=dict, max_length=MAX_FOLDED_DAYS)
    quizzes: tuple[QuizEntry, ...] = Field((), max_length=MAX_QUIZZES)
    assessments: tuple[AssessmentEntry, ...] = Field((), max_length=MAX_ASSESSMENTS)
    notes: dict[Key, NoteMeta] = Field(default_factory=dict, max_length=MAX_NOTES)
    settings: dict[SettingKey, Setting] = Field(default_factory=dict)
    # optional (None when never used, so the text of a store without exams is unchanged): scope -> exam date
    exams: dict[Key, ExamDate] | None = Field(None, max_length=MAX_EXAMS)
    # optional (None until the card browser first sets one): card id -> suspended / buried / reset
    card_flags: dict[Key, CardFlag] | None = Field(None, max_length=MAX_CARDS)
    # optional (None until the learner optimizes): their own FSRS parameters (#24, explorer/study/optimize.py)
    fsrs: FsrsParams | None = None
    # optional (None until a card is graded with its answer timed): UTC day -> seconds spent answering cards that day,
    # each answer counted up to MAX_ANSWER_SECONDS (an answer left open longer counts that much, as Anki does)
    study_time: dict[_dt.date, Annotated[int, Field(ge=1, le=86_400)]] | None = Field(None, max_length=MAX_FOLDED_DAYS)

    @model_validator(mode="after")
    def _bounds(self) -> Store:
        if sum(len(s) for s in self.reading.values()) > MAX_MARKS:
            raise ValueError(f"more than {MAX_MARKS} reading marks")
        for key, s in self.settings.items():
            SETTINGS[key].check(key, s.value)
        if len({q.id for q in self.quizzes}) != len(self.quizzes):
            raise ValueError("quiz ids must be unique")
        if len({a.id for a in self.assessments}) != len(self.assessments):
            raise ValueError("assessment result ids must be unique")
        return self


def empty() -> Store:
    return Store(format=FORMAT, version=SCHEMA_VERSION)


def is_empty(store: Store) -> bool:
    """Nothing kept (a forgotten store with only its date counts as empty)."""
    return not (store.reading or store.cards or store.folded or store.quizzes or store.assessments or store.notes
                or store.settings or store.exams or store.fsrs or store.card_flags or store.study_time)


# --------------------------------------------------------------------------- canonical form and text
def sorted_by_key(d: Mapping) -> dict:
    """``d`` with its keys in order (``d`` itself when they already are)."""
    return d if _is_sorted(d) else dict(sorted(d.items()))


def _is_sorted(d: Mapping) -> bool:
    return all(a < b for a, b in itertools.pairwise(d))


def entry_key(x: QuizEntry | AssessmentEntry) -> tuple[_dt.datetime, str]:
    return (x.at, x.id)


def build(base: Store, **fields: Any) -> Store:
    """A new store from ``base`` with ``fields`` replaced; the values are already valid and canonical."""
    return base.model_copy(update=fields)


def canonical(store: Store) -> Store:
    """Dicts sorted by key, quizzes and assessments sorted by (time, id): equal stores dump equally."""
    upd: dict[str, Any] = {}
    reading = store.reading
    if not _is_sorted(reading) or not all(_is_sorted(s) for s in reading.values()):
        upd["reading"] = {n: sorted_by_key(s) for n, s in sorted(reading.items())}
    for name in ("cards", "folded", "notes", "settings", "exams", "card_flags", "study_time"):
        d = getattr(store, name)
        if d is not None and not _is_sorted(d):
            upd[name] = dict(sorted(d.items()))
    for name in ("quizzes", "assessments"):
        t = getattr(store, name)
        s = tuple(sorted(t, key=entry_key))
        if s != t:
            upd[name] = s
    return store.model_copy(update=upd) if upd else store


def dump(store: Store) -> str:
    """Compact JSON text of the store; the same store always gives the same text."""
    return store.model_dump_json(exclude_none=True)


def export_text(store: Store) -> str:
    """The store as an indented JSON file for download (moving to another browser); :func:`~explorer.study.store.load`
    reads it back, and :func:`~explorer.study.store.import_merge` adds it to what a browser already keeps."""
    return store.model_dump_json(indent=1, exclude_none=True)
