"""Reading a stored text into a store: :func:`load` (never raises), the SM-2 progress format migrated
(:func:`from_sm2`), a damaged value handed to :mod:`explorer.study.store_recovery`.

The fast path validates the whole text at once with pydantic-core; only when that fails is the text
decoded and looked at: not JSON, another program's value, a newer version's (kept untouched), an SM-2
progress file (migrated), or this format with invalid records (read record by record).
"""

from __future__ import annotations

import json

from pydantic import ValidationError

from explorer.study import sm2_import
from explorer.study import store_model as M
from explorer.study.store_merge import bound_marks
from explorer.study.store_model import FORMAT, SCHEMA_VERSION, CardRecord, Mark, QuizEntry, Store, dump, empty, entry_key
from explorer.study.store_result import IGNORED, LoadResult, finish_load, short

MAX_LOAD_BYTES = 5_000_000  # load() refuses longer texts outright


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
            key=entry_key,
        )
    )[-M.MAX_QUIZZES:]
    store = Store.model_construct(
        format=FORMAT, version=SCHEMA_VERSION, forgotten_at=None, reading=reading, cards=cards, folded={},
        quizzes=quizzes, assessments=(), notes={}, settings={},
    )
    return bound_marks(store)


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
