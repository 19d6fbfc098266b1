"""Reading a result file back (issue 4): size-limited, parsed, checked with a pydantic model
(:class:`ResultFile`); every problem raises :class:`ResultImportError` whose message names what is wrong.

Answers to unknown questions are dropped with a warning; results are *recomputed* with the current
content by whoever uses the answers (the stored ``results`` block is informational only), so
comparisons always use one set of ladders.  Notes and names are cleaned on import
(:mod:`explorer.assess.evidence`); N/A on a question that does not allow it is dropped with a warning.
Files from before issue 12 (without N/A, notes, a name or a plan) import unchanged.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError, field_validator

from explorer.assess.evidence import MAX_NAME_CHARS, MAX_NOTE_CHARS, accepted_na, clean_text
from explorer.assess.mlts import MLTS_MARKS
from explorer.assess.plan import edits_from_json
from explorer.assess.results_export import APP_NAME, MAX_TEAM_LENGTH, RESULT_FORMAT, RESULT_KIND, aware_utc, content_version
from explorer.assess.sharecode_v2 import MAX_CODE_LENGTH_V2
from explorer.content.schema import Assessment, MLTestScore, Vendor

MAX_IMPORT_BYTES = 200_000


class ResultImportError(ValueError):
    """An uploaded result file that cannot be used; ``str(err)`` is a message for the user."""


class ResultFile(BaseModel):
    """Pydantic schema of an exported result (unknown top-level keys are ignored)."""

    model_config = ConfigDict(extra="ignore")

    app: StrictStr
    kind: StrictStr
    format: StrictInt
    created: _dt.datetime
    team: StrictStr = Field(default="", max_length=MAX_TEAM_LENGTH)
    content_version: StrictStr = Field(default="", max_length=64)
    assessment_version: StrictInt | None = None
    share_code: StrictStr | None = Field(default=None, max_length=MAX_CODE_LENGTH_V2)  # a version-2 code with notes
    answers: dict[StrictStr, StrictInt] = Field(max_length=500)
    ml_test_score_marks: dict[StrictStr, StrictInt | StrictFloat] | None = Field(default=None, max_length=500)
    results: dict[str, Any] | None = None
    participant: StrictStr = Field(default="", max_length=400)
    not_applicable: list[StrictStr] = Field(default_factory=list, max_length=500)
    notes: dict[StrictStr, StrictStr] = Field(default_factory=dict, max_length=500)
    plan: list[Any] | None = Field(default=None, max_length=1000)

    @field_validator("ml_test_score_marks")
    @classmethod
    def _marks_ok(cls, v: dict[str, float] | None) -> dict[str, float] | None:
        if v is None:
            return v
        for k, x in v.items():
            if float(x) not in MLTS_MARKS:
                raise ValueError(f"mark for {k!r} must be 0, 0.5 or 1, got {x!r}")
        return {k: float(x) for k, x in v.items()}


@dataclass(frozen=True)
class ImportedResult:
    answers: dict[str, int]
    marks: dict[str, float] | None
    created: _dt.datetime
    team: str
    content_version: str
    assessment_version: int | None
    share_code: str | None
    source: str = ""  # e.g. the uploaded file name
    warnings: tuple[str, ...] = ()
    stored_results: dict[str, Any] | None = field(default=None, compare=False)
    na: frozenset[str] = frozenset()  # questions marked "does not apply"
    notes: dict[str, str] = field(default_factory=dict)  # question id -> note
    participant: str = ""  # the name a participant chose to put on the file ("" if none)
    plan_edits: dict[str, dict[str, object]] = field(default_factory=dict)  # plan step key -> owner / target

    @property
    def label(self) -> str:
        return self.team.strip() or self.source or self.created.strftime("%Y-%m-%d %H:%M")


def _format_validation(exc: ValidationError) -> str:
    msgs = []
    for e in exc.errors(include_url=False)[:5]:
        loc = ".".join(str(p) for p in e["loc"]) or "(top level)"
        msg = e["msg"]
        if e["type"] == "missing":
            msg = "is missing"
        msgs.append(f"'{loc}' {msg}")
    more = len(exc.errors()) - len(msgs)
    return "; ".join(msgs) + (f" (and {more} more problem(s))" if more > 0 else "")


def import_json(
    data: bytes | str,
    assessment: Assessment,
    vendors: Sequence[Vendor] = (),
    *,
    mts: MLTestScore | None = None,
    source: str = "",
) -> ImportedResult:
    """Read one exported result.  Raises :class:`ResultImportError` with a readable message."""
    where = f"{source}: " if source else ""
    if isinstance(data, str):
        raw = data.encode("utf-8", errors="surrogatepass")
    elif isinstance(data, (bytes, bytearray, memoryview)):
        raw = bytes(data)
    else:
        raise ResultImportError(f"{where}expected the contents of a JSON file, got {type(data).__name__}")
    if len(raw) > MAX_IMPORT_BYTES:
        raise ResultImportError(f"{where}the file is {len(raw) // 1000} kB; result files are at most {MAX_IMPORT_BYTES // 1000} kB")
    if not raw.strip():
        raise ResultImportError(f"{where}the file is empty")
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise ResultImportError(f"{where}the file is not UTF-8 text (bad byte at offset {exc.start})") from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ResultImportError(f"{where}the file is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})") from None
    except RecursionError:
        raise ResultImportError(f"{where}the file is not a result: its JSON is nested too deeply") from None
    except ValueError:  # e.g. an integer with thousands of digits (Python's int-string limit)
        raise ResultImportError(f"{where}the file is not a result: it holds a number far too long to be an answer") from None
    if not isinstance(obj, dict):
        raise ResultImportError(f"{where}the file is not a result: its top level is a JSON {type(obj).__name__}, not an object")
    if obj.get("kind") != RESULT_KIND:
        raise ResultImportError(
            f"{where}the file is not a self-assessment result of this app ('kind' should be {RESULT_KIND!r}, found {obj.get('kind')!r})"
        )
    fmt = obj.get("format")
    if isinstance(fmt, int) and not isinstance(fmt, bool) and fmt != RESULT_FORMAT:
        raise ResultImportError(f"{where}the file uses result format {fmt}, which this app does not know (it reads format {RESULT_FORMAT})")
    try:
        rf = ResultFile.model_validate(obj)
    except ValidationError as exc:
        raise ResultImportError(f"{where}the file does not match the result format: {_format_validation(exc)}") from None

    warnings: list[str] = []
    if rf.app != APP_NAME:
        warnings.append(f"the file says it was made by {rf.app!r}, not by {APP_NAME!r}; it was read anyway")
    qmap = {q.id: q for q in assessment.questions}
    answers: dict[str, int] = {}
    for qid, idx in rf.answers.items():
        q = qmap.get(qid)
        if q is None:
            warnings.append(f"answer to unknown question {qid!r} ignored (the questionnaire has changed)")
        elif not 0 <= idx < len(q.answers):
            warnings.append(f"answer {idx} to question {qid!r} ignored: it has answers 0-{len(q.answers) - 1}")
        else:
            answers[qid] = idx
    na = accepted_na(qmap, rf.not_applicable, answers, warnings)
    notes: dict[str, str] = {}
    for q in assessment.questions:
        raw_note = rf.notes.get(q.id)
        if raw_note is None:
            continue
        text, cut = clean_text(raw_note, MAX_NOTE_CHARS)
        if cut:
            warnings.append(f"the note on {q.id!r} was cut to {MAX_NOTE_CHARS} characters")
        if text:
            notes[q.id] = text
    for qid in rf.notes:
        if qid not in qmap:
            warnings.append(f"note on unknown question {qid!r} ignored")
    participant, cut = clean_text(rf.participant, MAX_NAME_CHARS)
    if cut:
        warnings.append(f"the participant name was cut to {MAX_NAME_CHARS} characters")
    plan_edits, plan_warnings = edits_from_json(rf.plan)
    warnings.extend(plan_warnings)
    marks: dict[str, float] | None = None
    if rf.ml_test_score_marks is not None:
        if mts is None:
            marks = dict(rf.ml_test_score_marks)
        else:
            known = {t.id for s in mts.sections for t in s.tests}
            marks = {}
            for tid, v in rf.ml_test_score_marks.items():
                if tid in known:
                    marks[tid] = v
                else:
                    warnings.append(f"ML Test Score mark for unknown test {tid!r} ignored")
    if vendors and rf.content_version and rf.content_version != content_version(assessment, vendors, mts):
        warnings.append(
            f"made with content version {rf.content_version}; results were recomputed with the current version "
            f"{content_version(assessment, vendors, mts)}"
        )
    created = aware_utc(rf.created)
    return ImportedResult(
        answers=answers,
        marks=marks,
        created=created,
        team=rf.team,
        content_version=rf.content_version,
        assessment_version=rf.assessment_version,
        share_code=rf.share_code,
        source=source,
        warnings=tuple(warnings),
        stored_results=rf.results,
        na=frozenset(na),
        notes=notes,
        participant=participant,
        plan_edits=plan_edits,
    )
