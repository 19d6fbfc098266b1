"""Everything a learner keeps in their own browser, as one versioned, mergeable JSON value.

Pure: values in, new values out; nothing is stored on the server.  The browser-side component
moves the text of :func:`dump` to ``localStorage`` and back; pages call :func:`load` on the text
they receive and the mutation helpers on every change.

What is kept (schema version :data:`SCHEMA_VERSION`)
    reading       note id -> section id -> ``[when, read]``; un-marking keeps a dated tombstone
    cards         card id -> FSRS state + its review log (``[id, when, grade 1-4, retention]``)
    folded        UTC day -> reviews whose log entries were compacted away (for the heatmap)
    quizzes       ``{id, at, score, total, seed, wrong}``
    assessments   ``{id, at, code, label}`` (``code`` is a self-assessment share code)
    notes         uploaded note id -> ``{name, size, added, at, removed}`` (the texts live in
                  IndexedDB, keyed by note id, outside this value)
    settings      key -> ``[when, value]``: desired_retention, new_per_day, quiz_questions, prefer_tables
    forgotten_at  when "Forget this browser" was last used (see :func:`merge`)

Versions
    1 is the progress file of the SM-2 app (``"format": "mlops-explorer-progress"``): an old export
    pasted into storage, or an old value, migrates (:mod:`explorer.study.sm2_import` says what is lost).
    A value from a newer version (a newer format number, or fields this version does not know) is
    refused with a notice and :attr:`LoadResult.can_overwrite` is False, so an older replica behind a
    load balancer does not destroy a newer replica's data.

Damage (:mod:`explorer.study.store_recovery`)
    A value with invalid records is read record by record: each invalid record (a mark, a card, one
    review, a quiz or assessment result, a note listing, a setting) is left out and named in a notice,
    a card with an invalid schedule is recomputed from its log, everything else is kept (status
    ``recovered``).  :attr:`LoadResult.needs_backup` tells the caller to keep the stored text before
    anything replaces it (also for text that is not JSON at all, another program's value, a migrated one).

Merging two tabs (:func:`merge`: commutative, associative, idempotent)
    * review logs: union by review id; each card's state is recomputed by replaying its merged log
      from its base (the state its compacted reviews left), so a review made in either tab counts;
    * reading marks, note metadata, settings: per item, the latest change wins (ties broken by value);
    * quizzes and assessment results: union by id;
    * "Forget this browser" writes an empty value with a later ``forgotten_at``: merged with a value
      from before it (another open tab), the later ``forgotten_at`` wins outright, so the other tab
      cannot bring the forgotten data back.  :func:`import_merge` adds an imported file to the
      current value (adopting its ``forgotten_at``) instead.

Bounds and what happens when they are exceeded
    :data:`MAX_BYTES` (2 MB) is the budget of the dumped text in ``localStorage``.  :func:`fit`
    keeps a value under it: first it compacts the review logs of the cards reviewed longest ago
    (each card keeps its current state; the log becomes the per-day counts in ``folded``), then
    drops the oldest quiz results, assessment results, un-mark tombstones and removed-note
    records.  Card states, reading marks and settings are never dropped by :func:`fit`.  Counts are
    bounded too (:data:`MAX_CARDS`, :data:`MAX_LOG_PER_CARD`, :data:`MAX_MARKS`, ...): beyond them
    the oldest items go first.  :func:`load` refuses a text over :data:`MAX_LOAD_BYTES`.

Public API (all times timezone-aware; ``now`` is passed in)
    SCHEMA_VERSION, FORMAT, MAX_BYTES, SETTINGS
    empty() -> Store
    load(text) -> LoadResult(store, notices, status)      # never raises
    dump(store) -> str                                    # compact, deterministic
    export_text(store) -> str                             # indented, for a downloaded file
    fit(store, max_bytes=MAX_BYTES) -> FitResult(store, text, notices)
    merge(a, b) -> Store; import_merge(current, imported) -> Store
    merge_cuts(a, b, merged) -> {what: count left out by a bound}
    mark_read(store, note_id, section_id, read, now) -> Store
    mark_many(store, note_id, section_ids, read, now) -> (Store, count not marked: a bound was reached)
    review(store, card_id, grade, now, retention=None, *, review_id=None) -> Store
    record_quiz(store, *, score, total, seed, now, wrong=(), quiz_id=None) -> Store
    add_assessment_result(store, code, now, label=None, *, result_id=None) -> Store
    add_note(store, note_id, name, size, now) / remove_note(store, note_id, now) -> Store
    set_setting(store, key, value, now) -> Store; setting(store, key); settings(store) -> dict
    forget(store, now) -> Store
    card_states(store); sections_read(store); is_read(store, note, section); review_history(store)
    introduced_today(store, now, tz); study_queue(store, now, deck, tz); forecast(store, now, tz)
    heatmap(store, now, weeks, tz); quiz_history(store); assessment_results(store); uploaded_notes(store)
"""

from __future__ import annotations

import datetime as _dt
import itertools
import json
import re
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
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
    ValidationError,
    model_validator,
)

from explorer.study import card_state as cs
from explorer.study import scheduling as sch
from explorer.study import sm2_import
from explorer.study import workload as wl
from explorer.study.card_state import CardState, ReviewEntry, ReviewId, UtcTime, review_key

FORMAT = "mlops-explorer-store"
SCHEMA_VERSION = 2
MAX_BYTES = 2_000_000  # budget of the dumped text (localStorage holds about 5 M UTF-16 units per site)
MAX_LOAD_BYTES = 5_000_000  # load() refuses longer texts outright
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
SECOND = _dt.timedelta(seconds=1)
_NEVER = cs.EARLIEST - _dt.timedelta(days=1)  # below every valid time


class StoreError(ValueError):
    """A mutation that cannot be applied (bad id, value out of range, a bound reached)."""


def _check_key(value: str) -> str:
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
    name: Annotated[str, AfterValidator(_check_key)]
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
                or store.settings)


# --------------------------------------------------------------------------- canonical form
def _sorted(d: Mapping) -> dict:
    return d if _is_sorted(d) else dict(sorted(d.items()))


def _is_sorted(d: Mapping) -> bool:
    return all(a < b for a, b in itertools.pairwise(d))


def _entry_key(x: QuizEntry | AssessmentEntry) -> tuple[_dt.datetime, str]:
    return (x.at, x.id)


def _build(base: Store, **fields: Any) -> Store:
    """A new store from ``base`` with ``fields`` replaced; the values are already valid and canonical."""
    return base.model_copy(update=fields)


def _canonical(store: Store) -> Store:
    """Dicts sorted by key, quizzes and assessments sorted by (time, id): equal stores dump equally."""
    upd: dict[str, Any] = {}
    reading = store.reading
    if not _is_sorted(reading) or not all(_is_sorted(s) for s in reading.values()):
        upd["reading"] = {n: _sorted(s) for n, s in sorted(reading.items())}
    for name in ("cards", "folded", "notes", "settings"):
        d = getattr(store, name)
        if not _is_sorted(d):
            upd[name] = dict(sorted(d.items()))
    for name in ("quizzes", "assessments"):
        t = getattr(store, name)
        s = tuple(sorted(t, key=_entry_key))
        if s != t:
            upd[name] = s
    return store.model_copy(update=upd) if upd else store


# --------------------------------------------------------------------------- card records
def _record_problem(rec: CardRecord) -> str | None:
    """Why a record breaks its invariants (cheap checks, no replay), or None.

    Runs for every card at load, so the common record (a log, no base) takes the shortest path."""
    log, base, base_id = rec.log, rec.base, rec.base_id
    if not log:
        if base is not None:
            return "a base without a base id or later reviews"
        return "no reviews" if base_id is None else None
    if (base is None) != (base_id is None):
        return "a base id without a base" if base is None else "a base without a base id or later reviews"
    n = len(log)
    # The order of the log is not checked here (sorting 10,000 aware datetimes would cost load() about a
    # fifth of its time): merge() sorts and replays, and a log out of order only arises from a hand edit.
    if n > 1 and len({r[0] for r in log}) != n:
        return "a review log with a repeated review id"
    if base is not None and review_key(log[0]) <= (base.last_review, base_id):
        return "reviews older than the base"
    state, last = rec.state, log[-1][1]
    # the times compared as UTC wall clocks, as in CardState's check: an aware comparison costs ~1 µs here
    if (state.reviews != min(cs.MAX_COUNT, (base.reviews if base is not None else 0) + n)
            or state.last_review.time() != last.time() or state.last_review.toordinal() != last.toordinal()):
        return "a state that does not match its log"
    return None


def _make_record(state: CardState | None, log: list[tuple], base: CardState | None, base_id: str | None) -> CardRecord | None:
    if state is None:
        return None
    if not log:
        return CardRecord.model_construct(state=state, log=(), base=None, base_id=base_id)
    return CardRecord.model_construct(state=state, log=tuple(log), base=base, base_id=base_id if base is not None else None)


def _fold_prefix(base: CardState | None, base_id: str | None, log: list[tuple], k: int) -> tuple[CardState | None, str | None, list[tuple]]:
    """Fold the first ``k`` reviews of ``log`` into the base."""
    if k <= 0:
        return base, base_id, log
    new_base = sch.replay(base, log[:k])
    return new_base, log[k - 1][0], log[k:]


def _union_log(a: Iterable[tuple], b: Iterable[tuple]) -> dict[str, tuple]:
    """Review entries by id; two different entries with one id (only a corrupted value has them):
    the greater (time, grade, retention) wins, the same way everywhere."""
    out: dict[str, tuple] = {}
    for r in (*a, *b):
        old = out.get(r[0])
        if old is None or r[1:] > old[1:]:
            out[r[0]] = r
    return out


def _rebuild(
    base: CardState | None, base_id: str | None, entries: Iterable[tuple], known: tuple[CardRecord, ...] = ()
) -> CardRecord | None:
    """The record replaying ``entries`` (those newer than the base, deduplicated, sorted) from the base.

    ``known`` are records whose state is already the replay of a prefix of that log from the same
    base: the replay resumes after the longest such prefix (when two records offer prefixes of the
    same length they are the same log, so they differ in state only and the log is replayed in full)."""
    bk = (base.last_review, base_id) if base is not None and base_id is not None else None
    log = sorted((r for r in entries if bk is None or review_key(r) > bk), key=review_key)
    if len(log) > MAX_LOG_PER_CARD:
        base, base_id, log = _fold_prefix(base, base_id, log, len(log) - MAX_LOG_PER_CARD)
        known = ()
    prefixes = sorted(
        (len(k.log) for k in known
         if k.log and k.base_key == (None if base is None else bk) and k.base_state == base
         and len(k.log) <= len(log) and tuple(log[: len(k.log)]) == tuple(k.log)),
        reverse=True,
    )
    start, skip = base, 0
    if prefixes and (len(prefixes) == 1 or prefixes[0] != prefixes[1]):
        skip = prefixes[0]
        start = next(k.state for k in known if len(k.log) == skip and tuple(log[:skip]) == tuple(k.log))
    state = sch.replay(start, log[skip:])
    return _make_record(state, log, base, base_id)


def record_from_reviews(entries: Iterable[tuple]) -> CardRecord | None:
    """A new card's record after ``entries`` (review log entries: deduplicated by id and replayed in time
    order); None without any.  Raises ValueError when a review cannot be replayed."""
    return _rebuild(None, None, _union_log(entries, ()).values())


def _base_rank(rec: CardRecord) -> tuple:
    bk = rec.base_key
    if bk is None:
        return (0,)
    return (1, bk, rec.base_state.model_dump_json())  # type: ignore[union-attr]


def _merge_record(x: CardRecord, y: CardRecord) -> CardRecord | None:
    if x == y:
        return x
    winner = x if _base_rank(x) >= _base_rank(y) else y
    base = winner.base_state if winner.base_key is not None else None
    base_id = winner.base_id if base is not None else None
    return _rebuild(base, base_id, _union_log(x.log, y.log).values(), (x, y))


def _repair(rec: CardRecord) -> CardRecord | None:
    base = rec.base if rec.base is not None else (rec.state if rec.base_id is not None and not rec.log else None)
    base_id = rec.base_id if base is not None else None
    try:
        return _rebuild(base, base_id, _union_log(rec.log, ()).values())
    except ValueError:
        return None


# --------------------------------------------------------------------------- load / dump
STATUSES = ("empty", "loaded", "migrated", "recovered", "corrupt", "foreign", "too-large", "future")


@dataclass(frozen=True)
class LoadResult:
    """``store`` is always usable (empty when the value was refused); ``notices`` are for the learner.

    ``status``: empty (nothing stored), loaded, migrated (from the SM-2 progress format), recovered
    (some records were invalid and left out or recomputed, the rest is in ``store``), corrupt (not
    readable JSON), foreign (not this app's value), too-large, future (written by a newer version:
    a newer format number, or fields this version does not know).

    ``dropped`` names the records left out as ``(section, key)`` pairs (e.g. ``("notes", "upload-x")``)."""

    store: Store
    notices: tuple[str, ...]
    status: str
    dropped: tuple[tuple[str, str], ...] = ()

    @property
    def ok(self) -> bool:
        """``store`` holds what could be read: merge it."""
        return self.status in ("empty", "loaded", "migrated", "recovered")

    @property
    def can_overwrite(self) -> bool:
        """False for a value of a newer version: keep it, work in the session only."""
        return self.status != "future"

    @property
    def needs_backup(self) -> bool:
        """The stored text was not read in full (or was converted): keep a copy before anything replaces it."""
        return self.status in ("migrated", "recovered", "corrupt", "foreign", "too-large")


def dump(store: Store) -> str:
    """Compact JSON text of the store; the same store always gives the same text."""
    return store.model_dump_json(exclude_none=True)


def export_text(store: Store) -> str:
    """The store as an indented JSON file for download (moving to another browser); :func:`load` reads
    it back, and :func:`import_merge` adds it to what a browser already keeps."""
    return store.model_dump_json(indent=1, exclude_none=True)


def _summarise(exc: ValidationError) -> str:
    errors = exc.errors(include_url=False)
    shown = "; ".join(f"{'.'.join(str(p) for p in e['loc'])[:80] or 'value'}: {e['msg'][:120]}" for e in errors[:3])
    more = f" (and {len(errors) - 3} more problems)" if len(errors) > 3 else ""
    return shown + more


IGNORED = "The saved progress in this browser was ignored"  # how a notice about a refused value begins


def load(text: str | bytes | None) -> LoadResult:
    """Read a stored value.  Never raises: a value that cannot be used gives an empty store and a notice.

    (The cyclic collector is left alone: pausing it saved a few milliseconds of a year of reviews but changed
    a process-wide setting from a pure module, under every other session's thread.)"""
    try:
        return _load(text)
    except Exception as exc:  # noqa: BLE001 - the contract: never an exception, always a notice
        return LoadResult(empty(), (f"{IGNORED}: it could not be read ({type(exc).__name__}).",), "corrupt")


def _load(text: str | bytes | None) -> LoadResult:
    if text is None:
        return LoadResult(empty(), (), "empty")
    if isinstance(text, (bytes, bytearray)):
        if len(text) > MAX_LOAD_BYTES:
            return _too_large(len(text))
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError:
            return LoadResult(empty(), (f"{IGNORED}: it is not UTF-8 text.",), "corrupt")
    if not isinstance(text, str):
        return LoadResult(empty(), (f"{IGNORED}: it is not text.",), "foreign")
    if len(text) > MAX_LOAD_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_LOAD_BYTES:
        return _too_large(len(text.encode("utf-8", "surrogatepass")))
    text = text.lstrip("\ufeff")
    if not text.strip():
        return LoadResult(empty(), (), "empty")
    try:
        store = Store.model_validate_json(text)
    except (ValidationError, ValueError, RecursionError):
        return _diagnose(text)
    return finish_load(store, [], "loaded")


def _too_large(size: int) -> LoadResult:
    return LoadResult(
        empty(),
        (f"{IGNORED}: it is {size / 1e6:.1f} MB, more than the {MAX_LOAD_BYTES / 1e6:g} MB this app reads.",),
        "too-large",
    )


def names(items: list[str], limit: int = 6) -> str:
    """``“a”, “b” and 3 more``: record names for a notice (each shortened, control characters dropped)."""
    shown = [f"“{short(x)}”" for x in items[:limit]]
    more = f" and {len(items) - limit} more" if len(items) > limit else ""
    return ", ".join(shown) + more


def short(name: object, limit: int = 60) -> str:
    text = "".join(c if c.isprintable() else "?" for c in str(name))
    return text if len(text) <= limit else text[:limit] + "…"


def finish_load(store: Store, notices: list[str], status: str,
            dropped: tuple[tuple[str, str], ...] = ()) -> LoadResult:
    repaired: list[str] = []
    lost: list[str] = []
    why: list[str] = []
    cards = None
    for cid, rec in store.cards.items():
        problem = _record_problem(rec)
        if problem is None:
            continue
        if cards is None:
            cards = dict(store.cards)
        fixed = _repair(rec)
        if fixed is None:
            del cards[cid]
            lost.append(cid)
        else:
            cards[cid] = fixed
            repaired.append(cid)
            why.append(problem)
    if cards is not None:
        store = store.model_copy(update={"cards": cards})
    if repaired:
        reasons = "; ".join(dict.fromkeys(why))
        notices.append(f"{len(repaired)} card state(s) did not match their review history ({reasons}) and were "
                       f"recomputed from it: {names(repaired)}.")
    if lost:
        notices.append(f"{len(lost)} card(s) had unusable review data and start again as new cards: {names(lost)}.")
        dropped = (*dropped, *(("cards", c) for c in lost))
    if (repaired or lost) and status == "loaded":
        status = "recovered"
    return LoadResult(_canonical(store), tuple(notices), status, dropped)


def _diagnose(text: str) -> LoadResult:
    try:
        raw = json.loads(text)
    except RecursionError:
        return LoadResult(empty(), (f"{IGNORED}: its JSON is nested too deeply.",), "corrupt")
    except ValueError as exc:
        where = f" (line {exc.lineno}, column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
        return LoadResult(empty(), (f"{IGNORED}: it is not valid JSON{where}; it may have been cut off or edited.",), "corrupt")
    if not isinstance(raw, dict):
        kind = "null" if raw is None else type(raw).__name__
        return LoadResult(empty(), (f"{IGNORED}: it is not this app's data (a JSON {kind}).",), "foreign")
    fmt = raw.get("format")
    if fmt == sm2_import.V1_FORMAT:
        return _migrate_v1(raw)
    if fmt != FORMAT:
        return LoadResult(empty(), (f"{IGNORED}: it is not this app's data.",), "foreign")
    version = raw.get("version")
    if isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION:
        return LoadResult(
            empty(),
            (f"The saved progress in this browser was written by a newer version of the app (format {version}; "
             f"this one reads up to {SCHEMA_VERSION}). It is kept unchanged; this session is not saved.",),
            "future",
        )
    if type(version) is not int or version != SCHEMA_VERSION:
        return LoadResult(empty(), (f"{IGNORED}: its version ({short(version)}) is not one this app reads.",), "corrupt")
    from explorer.study import store_recovery  # the slow path: a damaged value, read record by record

    try:
        return store_recovery.recover(raw)
    except RecursionError:
        return LoadResult(empty(), (f"{IGNORED}: its JSON is nested too deeply.",), "corrupt")


def from_sm2(mapping: sm2_import.Sm2Mapping) -> Store:
    """A store holding what an SM-2 progress file carried (cards become FSRS states with base "sm2")."""
    cards = {
        cid: CardRecord.model_construct(state=st, log=(), base=None, base_id="sm2")
        for cid, st in sorted(mapping.cards.items())
    }
    reading = {
        n: {s: Mark(mapping.marked_at, True) for s in sorted(secs)}
        for n, secs in sorted(mapping.sections_read.items())
    }
    quizzes = tuple(
        sorted(
            (QuizEntry(id=q.id, at=q.at, score=q.score, total=q.total, seed=q.seed, wrong=q.wrong) for q in mapping.quizzes),
            key=_entry_key,
        )
    )[-MAX_QUIZZES:]
    store = Store.model_construct(
        format=FORMAT, version=SCHEMA_VERSION, forgotten_at=None, reading=reading, cards=cards, folded={},
        quizzes=quizzes, assessments=(), notes={}, settings={},
    )
    return _bound_marks(store)


def _migrate_v1(raw: dict) -> LoadResult:
    try:
        progress, left_out = sm2_import.parse_v1_records(raw)
        mapping = sm2_import.map_progress(progress)
    except ValueError as exc:
        return LoadResult(empty(), (f"{IGNORED}: it looks like an SM-2 progress file but {str(exc).removeprefix('the SM-2 progress file ')}.",), "corrupt")
    store = from_sm2(mapping)
    # validate the assembled value once (it is built from validated parts, so this is a safety net)
    store = Store.model_validate_json(dump(store))
    notes = ["Progress saved by the earlier (SM-2) version of the app was converted.", *left_out, *mapping.notes]
    return finish_load(store, notes, "migrated")


# --------------------------------------------------------------------------- merge
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


def _entries_union(a: tuple, b: tuple, limit: int) -> tuple:
    by_id: dict[str, Any] = {}
    for e in (*a, *b):
        old = by_id.get(e.id)
        if old is None or e.model_dump_json() > old.model_dump_json():
            by_id[e.id] = e
    return tuple(sorted(by_id.values(), key=_entry_key))[-limit:]


def _bound_marks(store: Store) -> Store:
    n = sum(len(s) for s in store.reading.values())
    if n <= MAX_MARKS and all(len(s) <= MAX_SECTIONS_PER_NOTE for s in store.reading.values()):
        return store
    flat = [(m.at, m.read, note, sec) for note, secs in store.reading.items() for sec, m in secs.items()]
    keep: dict[str, dict[str, Mark]] = {}
    per_note: Counter = Counter()
    kept = 0
    for at, read, note, sec in sorted(flat, reverse=True):  # newest first
        if kept >= MAX_MARKS:
            break
        if per_note[note] >= MAX_SECTIONS_PER_NOTE:
            continue
        per_note[note] += 1
        kept += 1
        keep.setdefault(note, {})[sec] = Mark(at, read)
    return _build(store, reading={n: dict(sorted(s.items())) for n, s in sorted(keep.items())})


def merge(a: Store, b: Store) -> Store:
    """Merge two values of the same browser (two tabs, or a session and the stored value).

    Commutative, associative and idempotent, so tabs can merge in any order, any number of times.
    (Associativity holds while a single card has at most :data:`MAX_LOG_PER_CARD` reviews in its log
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
    for cid in sorted(set(a.cards) | set(b.cards)):
        x, y = a.cards.get(cid), b.cards.get(cid)
        rec = x if y is None else y if x is None else _merge_record(x, y)
        if rec is not None:
            cards[cid] = rec
    if len(cards) > MAX_CARDS:
        newest = sorted(cards, key=lambda c: (cards[c].state.last_review, c))[-MAX_CARDS:]
        cards = {c: cards[c] for c in sorted(newest)}
    folded = {d: max(a.folded.get(d, 0), b.folded.get(d, 0)) for d in sorted(set(a.folded) | set(b.folded))}
    if len(folded) > MAX_FOLDED_DAYS:
        folded = dict(list(folded.items())[-MAX_FOLDED_DAYS:])
    notes = _merge_latest(a.notes, b.notes, _note_rank)
    if len(notes) > MAX_NOTES:
        keep = sorted(notes, key=lambda k: (notes[k].at, k))[-MAX_NOTES:]
        notes = {k: notes[k] for k in sorted(keep)}
    out = _build(
        a,
        reading=reading,
        cards=cards,
        folded=folded,
        quizzes=_entries_union(a.quizzes, b.quizzes, MAX_QUIZZES),
        assessments=_entries_union(a.assessments, b.assessments, MAX_ASSESSMENTS),
        notes=notes,
        settings=_merge_latest(a.settings, b.settings, _setting_rank),
    )
    return _bound_marks(out)


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


# --------------------------------------------------------------------------- mutations
def _key(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise StoreError(f"{what} must be text, got {type(value).__name__}")
    try:
        return _check_key(value)
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
    reading[note_id] = _sorted(new_secs)
    return _bound_marks(_build(store, reading=_sorted(reading)))


def mark_many(
    store: Store, note_id: str, section_ids: Iterable[str], read: bool, now: _dt.datetime
) -> tuple[Store, int]:
    """The store with many sections of one note marked read (or unread) in one pass, and how many of
    them could not be marked because a bound was reached.

    Linear in the sections given (one copy of the note's marks, one sort): marking a note's 8,000
    headings costs a few milliseconds.  Sections are taken in the order given; un-marking never
    grows the store.  Marking stops at :data:`MAX_SECTIONS_PER_NOTE` marks in the note and
    :data:`MAX_MARKS` in the store (after this note's own un-mark records, oldest first, made room):
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
        room = min(MAX_SECTIONS_PER_NOTE - len(secs), MAX_MARKS - total)
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
    return _build(store, reading=_sorted(reading)), cut


def review(
    store: Store,
    card_id: str,
    grade: object,
    now: _dt.datetime,
    retention: float | None = None,
    *,
    review_id: str | None = None,
) -> Store:
    """The store after grading ``card_id`` (``"again"``/``"hard"``/``"good"``/``"easy"``) at ``now``.

    ``retention`` defaults to the store's desired-retention setting.  The review gets a random id
    (``review_id`` for tests) and is appended to the card's log; past :data:`MAX_LOG_PER_CARD`
    entries the oldest fold into the card's base."""
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
    if rec is None and len(store.cards) >= MAX_CARDS:
        raise StoreError(f"this browser already keeps {MAX_CARDS} cards; no more can be added")
    state = rec.state if rec else None
    if rec is not None and any(x[0] == rid for x in rec.log):
        raise StoreError(f"review id {rid} is already in this card's log")
    at = _after(now, state.last_review if state else None)
    entry = (rid, at, g, r)
    new_state = sch.review_card(state, g, at, retention=r, fuzz_key=rid)
    log = [*(rec.log if rec else ()), entry]
    base = rec.base_state if rec else None
    base_id = rec.base_id if rec and base is not None else None
    if len(log) > MAX_LOG_PER_CARD:
        base, base_id, log = _fold_prefix(base, base_id, log, len(log) - MAX_LOG_PER_CARD)
    new_rec = _make_record(new_state, log, base, base_id)
    cards = dict(store.cards)
    cards[card_id] = new_rec  # type: ignore[assignment]
    return _build(store, cards=cards if rec is not None else dict(sorted(cards.items())))


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
    """The store with one more quiz result (the oldest go beyond :data:`MAX_QUIZZES`)."""
    now = _now(now)
    try:
        entry = QuizEntry(id=quiz_id or _new_id("q"), at=now, score=score, total=total, seed=seed,
                          wrong=tuple(dict.fromkeys(wrong))[:MAX_WRONG])
    except ValidationError as exc:
        raise StoreError(f"quiz result: {_summarise(exc)}") from None
    if any(q.id == entry.id for q in store.quizzes):
        raise StoreError(f"quiz id {entry.id} is already recorded")
    return _build(store, quizzes=tuple(sorted((*store.quizzes, entry), key=_entry_key))[-MAX_QUIZZES:])


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
    return _build(store, assessments=tuple(sorted((*store.assessments, entry), key=_entry_key))[-MAX_ASSESSMENTS:])


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
    if len(notes) > MAX_NOTES:
        removed = sorted((k for k, v in notes.items() if v.removed), key=lambda k: (notes[k].at, k))
        for k in removed[: len(notes) - MAX_NOTES]:
            del notes[k]
        if len(notes) > MAX_NOTES:
            raise StoreError(f"at most {MAX_NOTES} uploaded notes can be kept in this browser")
    return _build(store, notes=dict(sorted(notes.items())))


def remove_note(store: Store, note_id: str, now: _dt.datetime) -> Store:
    """Mark an uploaded note removed (a dated tombstone, so another tab does not bring it back)."""
    note_id, now = _key(note_id, "note id"), _now(now)
    old = store.notes.get(note_id)
    if old is None or old.removed:
        return store
    notes = dict(store.notes)
    notes[note_id] = old.model_copy(update={"removed": True, "at": _after(now, old.at)})
    return _build(store, notes=notes)


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
    return _build(store, settings=dict(sorted(new.items())))


def forget(store: Store, now: _dt.datetime) -> Store:
    """An empty store that wins merges against everything kept before ``now`` (see :func:`merge`)."""
    now = _now(now)
    return empty().model_copy(update={"forgotten_at": _after(now, store.forgotten_at)})


# --------------------------------------------------------------------------- size budget
@dataclass(frozen=True)
class FitResult:
    store: Store
    text: str  # dump(store): write this
    notices: tuple[str, ...]
    max_bytes: int = MAX_BYTES

    @property
    def fits(self) -> bool:
        return len(self.text.encode("utf-8")) <= self.max_bytes


def fold_logs(store: Store, card_ids: Iterable[str]) -> Store:
    """Compact the whole review logs of ``card_ids`` into their current states (counted in ``folded``)."""
    cards = dict(store.cards)
    folded = Counter(store.folded)
    for cid in card_ids:
        rec = cards.get(cid)
        if rec is None or not rec.log:
            continue
        for r in rec.log:
            folded[r[1].date()] += 1
        cards[cid] = CardRecord.model_construct(state=rec.state, log=(), base=None, base_id=rec.log[-1][0])
    days = dict(sorted(folded.items()))
    if len(days) > MAX_FOLDED_DAYS:
        days = dict(list(days.items())[-MAX_FOLDED_DAYS:])
    return _build(store, cards=cards, folded=days)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit(store: Store, max_bytes: int = MAX_BYTES) -> FitResult:
    """The store (and its text) within ``max_bytes``: see the module docstring for what goes first."""
    text = dump(store)
    size = _size(text)
    if size <= max_bytes:
        return FitResult(store, text, (), max_bytes)
    notices: list[str] = []
    # 1. compact review logs, the cards reviewed longest ago first
    order = sorted((cid for cid, rec in store.cards.items() if rec.log), key=lambda c: (store.cards[c].state.last_review, c))
    folded_cards = 0
    nxt = 0  # the next card of ``order`` to compact (an index: popping the front of a long list is quadratic)
    while size > max_bytes and nxt < len(order):
        excess = size - max_bytes
        batch, saved = [], 0
        while nxt < len(order) and saved < excess * 1.1 + 1000:
            cid = order[nxt]
            nxt += 1
            batch.append(cid)
            saved += 46 * len(store.cards[cid].log)
        store = fold_logs(store, batch)
        folded_cards += len(batch)
        text = dump(store)
        size = _size(text)
    if folded_cards:
        notices.append(
            f"To stay within this browser's storage, the review history of {folded_cards} card(s) reviewed longest "
            "ago was compacted: their current schedules are kept; the heatmap keeps their daily counts."
        )
    # 2. drop the oldest optional history
    steps = (
        ("quizzes", "quiz result(s)"),
        ("assessments", "assessment result(s)"),
        ("tombstones", "un-marked section record(s)"),
        ("removed_notes", "removed-note record(s)"),
        ("folded", "day(s) of compacted review counts"),
    )
    for what, label in steps:
        dropped = 0
        while size > max_bytes:
            store, n = _drop_oldest(store, what, max(1, (size - max_bytes) // 60))
            if n == 0:
                break
            dropped += n
            text = dump(store)
            size = _size(text)
        if dropped:
            notices.append(f"To stay within this browser's storage, the oldest {dropped} {label} were dropped.")
    if size > max_bytes:
        notices.append(
            f"Your progress is {_fmt_bytes(size)}, more than the {_fmt_bytes(max_bytes)} this browser can keep for "
            "this app; download it as a file to keep it safe."
        )
    return FitResult(store, text, tuple(notices), max_bytes)


def _fmt_bytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def _drop_oldest(store: Store, what: str, n: int) -> tuple[Store, int]:
    if what in ("quizzes", "assessments"):
        items = getattr(store, what)
        k = min(n, len(items))
        return (_build(store, **{what: items[k:]}), k) if k else (store, 0)
    if what == "tombstones":
        dead = sorted((m.at, note, sec) for note, secs in store.reading.items() for sec, m in secs.items() if not m.read)[:n]
        if not dead:
            return store, 0
        reading = {note: dict(secs) for note, secs in store.reading.items()}
        for _, note, sec in dead:
            del reading[note][sec]
        return _build(store, reading={k: v for k, v in reading.items() if v}), len(dead)
    if what == "removed_notes":
        dead = sorted((m.at, k) for k, m in store.notes.items() if m.removed)[:n]
        if not dead:
            return store, 0
        return _build(store, notes={k: v for k, v in store.notes.items() if k not in {d[1] for d in dead}}), len(dead)
    if what == "folded":
        days = list(store.folded.items())
        k = min(n, len(days))
        return (_build(store, folded=dict(days[k:])), k) if k else (store, 0)
    raise ValueError(what)  # pragma: no cover


# --------------------------------------------------------------------------- queries
def setting(store: Store, key: str) -> Any:
    """A setting's value, or its default."""
    spec = SETTINGS[key]
    s = store.settings.get(key)  # type: ignore[call-overload]
    return spec.default if s is None else s.value


def settings(store: Store) -> dict[str, Any]:
    return {k: setting(store, k) for k in SETTINGS}


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


def study_queue(
    store: Store, now: _dt.datetime, deck: Iterable[Any], *, tz: _dt.tzinfo = cs.UTC, new_limit: int | None = None
) -> list[str]:
    """Due cards of ``deck`` then new ones, within the store's new-cards-per-day setting."""
    limit = setting(store, "new_per_day") if new_limit is None else new_limit
    return wl.due_queue(card_states(store), now, deck, new_limit=limit, new_today=introduced_today(store, now, tz))


def forecast(store: Store, now: _dt.datetime, *, days: int = 7, tz: _dt.tzinfo = cs.UTC,
             deck: Iterable[Any] | None = None) -> list[wl.DayCount]:
    ids = None if deck is None else {c if isinstance(c, str) else c.id for c in deck}
    states = (rec.state for cid, rec in store.cards.items() if ids is None or cid in ids)
    return wl.forecast(states, now, days=days, tz=tz)


def heatmap(store: Store, now: _dt.datetime, *, weeks: int = 26, tz: _dt.tzinfo = cs.UTC) -> list[wl.DayCount]:
    """Reviews per day for the heatmap (logs in ``tz``; compacted reviews by their UTC day)."""
    times = (r[1] for rec in store.cards.values() for r in rec.log)
    return wl.review_counts(times, now, weeks=weeks, tz=tz, extra=store.folded)


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


__all__ = [
    "FORMAT", "MAX_ASSESSMENTS", "MAX_BYTES", "MAX_CARDS", "MAX_LOAD_BYTES", "MAX_LOG_PER_CARD", "MAX_MARKS",
    "MAX_NOTES", "MAX_QUIZZES", "SCHEMA_VERSION", "SETTINGS", "STATUSES", "AssessmentEntry", "CardRecord",
    "FitResult", "LoadResult", "Mark", "NoteMeta", "QuizEntry", "Setting", "Store", "StoreError",
    "add_assessment_result", "add_note", "assessment_results", "card_states", "dump", "empty", "export_text", "first_review",
    "fit", "fold_logs", "forecast", "forget", "from_sm2", "heatmap", "import_merge", "introduced_today", "is_read",
    "load", "mark_many", "mark_read", "merge", "merge_cuts", "quiz_history", "record_quiz", "remove_note", "review", "review_history",
    "sections_read", "set_setting", "setting", "settings", "study_queue", "summary", "uploaded_notes",
]


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
