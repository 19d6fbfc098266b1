"""Export, import and comparison of self-assessment results (issue 4).

* :func:`export_json` / :func:`export_markdown` turn an evaluated result into a
  download (nothing is written to disk or kept on the server).
* :func:`import_json` reads one such JSON file back: size-limited, parsed,
  checked with a pydantic model; every problem raises
  :class:`ResultImportError` whose message names what is wrong.  Answers to
  unknown questions are dropped with a warning; results are *recomputed* with
  the current content (the stored ``results`` block is informational only), so
  comparisons always use one set of ladders.
* Since issue 12 a result also carries the questions marked "does not apply"
  (``not_applicable``), a note per answer (``notes``), an optional participant
  name (``participant``) and the improvement plan with owners and target dates
  (``plan``).  These keys are optional, so files from before issue 12 import
  unchanged, and the result format stays 1 (older readers ignore the new keys).
  Notes and names are cleaned on import (:mod:`explorer.assess.evidence`); N/A on a
  question that does not allow it is dropped with a warning.
* :func:`compare_over_time` gives a tidy frame for a trend chart;
  :func:`compare_teams` lines teams up side by side and finds the questions
  where they disagree most.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypedDict, Unpack

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictInt, StrictStr, ValidationError, field_validator

from explorer.assess.evidence import MAX_NAME_CHARS, MAX_NOTE_CHARS, NA_LABEL, accepted_na, clean_text
from explorer.assess.plan import Plan, edits_from_json, plan_dict, plan_markdown
from explorer.assess.scoring import (
    INDEX_FORMULA,
    LADDER_RULE,
    MLTS_MARKS,
    NA_RULE,
    SCORE_FORMULA,
    UNANSWERED_RULE,
    AssessmentResult,
    MLTestScoreResult,
    evaluate,
    ml_test_score,
)
from explorer.assess.sharecode import MAX_CODE_LENGTH_V2
from explorer.content.schema import Assessment, MLTestScore, Vendor

APP_NAME = "MLOps course-notes explorer"
RESULT_KIND = "mlops-self-assessment"
RESULT_FORMAT = 1
MAX_IMPORT_BYTES = 200_000
MAX_TEAM_LENGTH = 120


class ResultImportError(ValueError):
    """An uploaded result file that cannot be used; ``str(err)`` is a message for the user."""


# --------------------------------------------------------------------------- content version
def content_version(assessment: Assessment, vendors: Sequence[Vendor], mts: MLTestScore | None = None) -> str:
    """``"<assessment version>-<8 hex>"``: the hash covers the questionnaire, the vendor ladders and the rubric."""
    payload = {
        "assessment": assessment.model_dump(mode="json"),
        "vendors": [v.model_dump(mode="json") for v in vendors],
        "ml_test_score": mts.model_dump(mode="json") if mts is not None else None,
    }
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=True).encode("ascii")).hexdigest()
    return f"{assessment.version}-{digest[:8]}"


def _now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0)


def _aware(when: _dt.datetime) -> _dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=_dt.UTC)


# --------------------------------------------------------------------------- export
def result_dict(
    result: AssessmentResult,
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    marks: Mapping[str, float] | None = None,
    mts: MLTestScore | None = None,
    mts_result: MLTestScoreResult | None = None,
    team: str = "",
    when: _dt.datetime | None = None,
    share_code: str | None = None,
    notes: Mapping[str, str] | None = None,
    participant: str = "",
    plan: Plan | None = None,
) -> dict[str, Any]:
    """The exported JSON as a dict (see :func:`export_json`)."""
    when = _aware(when or _now())
    if marks is not None and mts is not None and mts_result is None:
        mts_result = ml_test_score(mts, marks)
    vendors_out = []
    for p in result.placements:
        cur, nxt = p.current, p.next
        vendors_out.append(
            {
                "vendor": p.vendor_id,
                "name": p.vendor_name,
                "level": cur.level_id if cur else None,
                "level_name": cur.name if cur else None,
                "rank": cur.rank if cur else None,
                "next_level": nxt.level_id if nxt else None,
                "next_level_name": nxt.name if nxt else None,
                "blockers": [
                    {"question": b.question_id, "current": b.current_index, "needed": b.needed_index,
                     "not_applicable": b.not_applicable}
                    for b in p.blockers
                ],
            }
        )
    out: dict[str, Any] = {
        "app": APP_NAME,
        "kind": RESULT_KIND,
        "format": RESULT_FORMAT,
        "created": when.isoformat(),
        "team": team[:MAX_TEAM_LENGTH],
        "content_version": content_version(assessment, vendors, mts),
        "assessment_version": assessment.version,
        "share_code": share_code,
        "participant": clean_text(participant, MAX_NAME_CHARS)[0],
        "answers": result.given_answers,
        "unanswered": list(result.unanswered),
        "not_applicable": list(result.not_applicable),
        "notes": _clean_notes(notes, assessment),
        "ml_test_score_marks": dict(marks) if marks is not None else None,
        "plan": plan_dict(plan) if plan is not None else None,
        "results": {
            "vendors": vendors_out,
            "scores": {
                "quarters": {s.key: s.score for s in result.quarter_scores},
                "capabilities": {s.key: s.score for s in result.capability_scores},
                "index": result.index,
                "index_formula": result.index_formula,
            },
            "next_steps": [
                {
                    "question": s.question_id,
                    "from": s.current_index,
                    "to": s.target_index,
                    "unblocks": [lv for _, lv in s.unblocks],
                }
                for s in result.next_steps
            ],
            "ml_test_score": None
            if mts_result is None
            else {
                "sections": {s.section_id: s.total for s in mts_result.sections},
                "final": mts_result.final,
                "band": mts_result.band_label,
                "weakest": list(mts_result.weakest),
            },
            "rules": [LADDER_RULE, UNANSWERED_RULE, NA_RULE],
        },
    }
    return out


def _clean_notes(notes: Mapping[str, str] | None, assessment: Assessment) -> dict[str, str]:
    """Notes by question id, cleaned, in questionnaire order, empty ones and unknown ids left out."""
    notes = notes or {}
    out = {}
    for q in assessment.questions:
        if isinstance(notes.get(q.id), str):
            text = clean_text(notes[q.id], MAX_NOTE_CHARS)[0]
            if text:
                out[q.id] = text
    return out


class ResultExtras(TypedDict, total=False):
    """What a result file may carry besides the result itself (the keywords of :func:`result_dict`)."""

    marks: Mapping[str, float] | None
    mts: MLTestScore | None
    mts_result: MLTestScoreResult | None
    team: str
    when: _dt.datetime | None
    share_code: str | None
    notes: Mapping[str, str] | None
    participant: str
    plan: Plan | None


def export_json(result: AssessmentResult, assessment: Assessment, vendors: Sequence[Vendor], **extras: Unpack[ResultExtras]) -> str:
    """JSON text of a result: answers by question id, results per vendor, scores, date, content version, app name."""
    return json.dumps(result_dict(result, assessment, vendors, **extras), indent=2, ensure_ascii=False) + "\n"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_escape(text: str) -> str:
    """Escape text so Markdown (and any HTML) in it is shown literally; newlines become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def export_markdown(
    result: AssessmentResult,
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    mts: MLTestScore | None = None,
    mts_result: MLTestScoreResult | None = None,
    team: str = "",
    when: _dt.datetime | None = None,
    share_link: str | None = None,
    quarter_names: Mapping[str, str] | None = None,
    max_steps: int = 7,
    notes: Mapping[str, str] | None = None,
    participant: str = "",
    plan: Plan | None = None,
) -> str:
    """A human-readable report: rungs, blockers, next steps, scores, optional ML Test Score, answers
    (with "does not apply" and notes), and the improvement plan when one is given."""
    when = _aware(when or _now())
    qn = dict(quarter_names or {})
    qmap = {q.id: q for q in assessment.questions}
    clean = _clean_notes(notes, assessment)
    title = "MLOps self-assessment" + (f": {md_escape(team)}" if team.strip() else "")
    lines = [f"# {title}", ""]
    name = clean_text(participant, MAX_NAME_CHARS)[0]
    if name:
        lines.append(f"- Answered by: {md_escape(name)}")
    lines.append(f"- Date: {when.strftime('%Y-%m-%d %H:%M')} UTC")
    lines.append(f"- Content version: {content_version(assessment, vendors, mts)} (questionnaire version {assessment.version})")
    lines.append(f"- Made with: {APP_NAME}; nothing was stored on the server.")
    if share_link:
        lines.append(f"- Share link (opens this result): <{share_link}>")
    if result.unanswered:
        lines.append(f"- {len(result.unanswered)} unanswered question(s) counted as their first answer: {', '.join(result.unanswered)}")
    if result.not_applicable:
        lines.append(f"- {len(result.not_applicable)} question(s) marked 'does not apply': {', '.join(result.not_applicable)}. {NA_RULE}")
    lines += ["", "## Where you stand", "", LADDER_RULE, ""]
    lines += ["| Vendor | Current rung | Next rung | Answers holding you back |", "|---|---|---|---|"]
    for p in result.placements:
        lines.append(
            f"| {md_escape(p.vendor_name)} | {md_escape(p.current_label)} | "
            f"{md_escape(p.next_label)} | {len(p.blockers)} |"
        )
    lines += ["", "## What holds you back", ""]
    for p in result.placements:
        nxt = p.next
        if nxt is None:
            lines.append(f"- **{md_escape(p.vendor_name)}**: you are on the top rung.")
            continue
        lines.append(f"- **{md_escape(p.vendor_name)}**, to reach {md_escape(p.next_label)}:")
        for b in p.blockers:
            learn = f" Learn: {', '.join(f'`{r}`' for r in b.learn)}." if b.learn else ""
            lines.append(
                f"  - {md_escape(b.question)} Now: *{md_escape(b.current_label)}*"
                f"{'' if b.answered else ' (unanswered)'}; needed: *{md_escape(b.needed_label)}* or better.{learn}"
            )
    lines += ["", "## Next steps", ""]
    if not result.next_steps:
        lines.append("Nothing holds you back on any ladder.")
    for i, s in enumerate(result.next_steps[:max_steps], 1):
        learn = f" Learn: {', '.join(f'`{r}`' for r in s.learn)}." if s.learn else ""
        lines.append(
            f"{i}. {md_escape(s.question)} Move from *{md_escape(s.current_label)}* to *{md_escape(s.target_label)}* "
            f"(holds back {len(s.unblocks)} next rung(s): {', '.join(lv for _, lv in s.unblocks)}).{learn}"
        )
    if len(result.next_steps) > max_steps:
        lines.append(f"\n…and {len(result.next_steps) - max_steps} more.")
    if plan is not None:
        lines += ["", *plan_markdown(plan, md_escape=md_escape)]
    lines += ["", "## Scores (0-100)", "", f"Index: **{result.index:g}**. {INDEX_FORMULA}.", "", SCORE_FORMULA + ".", ""]
    lines += ["| Quarter | Score | Questions |", "|---|---|---|"]
    for s in result.quarter_scores:
        lines.append(f"| {md_escape(qn.get(s.key, s.key))} | {_fmt_score(s.score)} | {_n_questions(s)} |")
    lines += ["", "| Capability | Score | Questions |", "|---|---|---|"]
    for s in result.capability_scores:
        lines.append(f"| {md_escape(s.key)} | {_fmt_score(s.score)} | {_n_questions(s)} |")
    if mts_result is not None:
        lines += ["", "## ML Test Score", ""]
        lines.append(
            f"Final score **{mts_result.final:g}** (the lowest section total): {md_escape(mts_result.band_label)}. "
            f"{md_escape(mts_result.band_meaning)}"
        )
        lines.append(f"Weakest section: {', '.join(md_escape(n) for n in mts_result.weakest_names)}.")
        lines += ["", "| Section | Points (of 7) | Automated | Manual | Not done |", "|---|---|---|---|---|"]
        for s in mts_result.sections:
            lines.append(f"| {md_escape(s.name)} | {s.total:g} | {s.n_automated} | {s.n_manual} | {s.n_none} |")
        if mts is not None:
            lines += ["", mts.scoring_note]
    lines += ["", "## Answers", ""]
    if clean:
        lines += ["| Question | Answer | Note |", "|---|---|---|"]
    else:
        lines += ["| Question | Answer |", "|---|---|"]
    skipped = set(result.unanswered)
    na = set(result.not_applicable)
    for qid, idx in result.answers:
        q = qmap[qid]
        if qid in na:
            ans = f"{NA_LABEL} (N/A)"
        else:
            ans = "(unanswered)" if qid in skipped else md_escape(q.answers[idx].label)
        row = f"| {md_escape(q.text)} | {ans} |"
        if clean:
            row += f" {md_escape(clean.get(qid, ''))} |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def _fmt_score(score: float | None) -> str:
    return "n/a (no question applies)" if score is None else f"{score:g}"


def _n_questions(s) -> str:
    return f"{s.n_questions} ({s.n_na} N/A)" if s.n_na else str(s.n_questions)


# --------------------------------------------------------------------------- import
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
    created = _aware(rf.created)
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


# --------------------------------------------------------------------------- compare
def unique_labels(results: Sequence[ImportedResult]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for r in results:
        base = r.label
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    return out


TREND_COLUMNS = ["date", "label", "kind", "series_id", "series", "value", "text"]


def compare_over_time(
    results: Sequence[ImportedResult],
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    mts: MLTestScore | None = None,
    quarter_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Tidy frame, sorted by date, one row per (result, measure).

    ``kind`` is ``rung`` (value = the level's rank, NaN below the first rung;
    text = level name), ``score`` (a quarter, 0-100), ``index`` (0-100) or
    ``ml-test-score`` (final score 0-7, only for results that carry marks).
    """
    qn = dict(quarter_names or {})
    ordered = sorted(results, key=lambda r: r.created)
    labels = [f"{r.created:%Y-%m-%d %H:%M}" + (f" · {r.team.strip()}" if r.team.strip() else "") for r in ordered]
    rows: list[dict[str, Any]] = []
    for r, label in zip(ordered, labels):
        ev = evaluate(assessment, vendors, r.answers, r.na)
        when = pd.Timestamp(r.created)
        for p in ev.placements:
            cur = p.current
            rows.append(
                dict(date=when, label=label, kind="rung", series_id=p.vendor_id, series=p.vendor_name,
                     value=float(cur.rank) if cur else float("nan"), text=p.current_label)
            )
        for s in ev.quarter_scores:
            rows.append(dict(date=when, label=label, kind="score", series_id=s.key, series=qn.get(s.key, s.key), value=s.score, text=""))
        rows.append(dict(date=when, label=label, kind="index", series_id="index", series="Index", value=ev.index, text=""))
        if mts is not None and r.marks is not None:
            m = ml_test_score(mts, r.marks)
            rows.append(dict(date=when, label=label, kind="ml-test-score", series_id="ml-test-score",
                             series="ML Test Score", value=m.final, text=m.band_label))
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
    if not frame.empty:
        frame["value"] = frame["value"].astype(float)
    return frame


@dataclass(frozen=True)
class TeamComparison:
    labels: tuple[str, ...]
    answers: pd.DataFrame  # one row per question: question_id, question, quarter, capability, <label>..., spread
    rungs: pd.DataFrame  # one row per vendor: vendor_id, vendor, <label>... (current rung text)
    scores: pd.DataFrame  # one row per quarter plus "index": key, name, <label>...
    disagreements: pd.DataFrame  # questions with spread > 0, most disagreement first, answers as labels


def compare_teams(
    results: Sequence[ImportedResult],
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    quarter_names: Mapping[str, str] | None = None,
    top: int = 5,
) -> TeamComparison:
    """Side-by-side view of several results; disagreement = spread (max - min) of answer indexes."""
    qn = dict(quarter_names or {})
    labels = unique_labels(results)
    evs = [evaluate(assessment, vendors, r.answers, r.na) for r in results]
    a_rows, d_rows = [], []
    for q in assessment.questions:
        idx = [ev.answer_map[q.id] for ev in evs]
        row: dict[str, Any] = {"question_id": q.id, "question": q.text, "quarter": q.quarter, "capability": q.capability}
        row.update(dict(zip(labels, idx)))
        spread = (max(idx) - min(idx)) if idx else 0
        row["spread"] = spread
        a_rows.append(row)
        if spread > 0:
            n = len(q.answers) - 1
            mean = sum(idx) / len(idx)
            sd = (sum((i - mean) ** 2 for i in idx) / len(idx)) ** 0.5 / n
            d = {"question_id": q.id, "question": q.text, "spread": spread, "relative_spread": round(spread / n, 3),
                 "_sd": sd}
            d.update({lab: q.answers[i].label for lab, i in zip(labels, idx)})
            d_rows.append(d)
    answers = pd.DataFrame(a_rows, columns=["question_id", "question", "quarter", "capability", *labels, "spread"])
    order = {q.id: i for i, q in enumerate(assessment.questions)}
    d_rows.sort(key=lambda d: (-d["relative_spread"], -d["_sd"], order[d["question_id"]]))
    for d in d_rows:
        del d["_sd"]
    disagreements = pd.DataFrame(d_rows[:top], columns=["question_id", "question", "spread", "relative_spread", *labels])
    r_rows = []
    for i, v in enumerate(vendors):
        row = {"vendor_id": v.id, "vendor": v.name}
        row.update({lab: ev.placements[i].current_label for lab, ev in zip(labels, evs)})
        r_rows.append(row)
    rungs = pd.DataFrame(r_rows, columns=["vendor_id", "vendor", *labels])
    s_rows = []
    if evs:
        for j, s in enumerate(evs[0].quarter_scores):
            row = {"key": s.key, "name": qn.get(s.key, s.key)}
            row.update({lab: ev.quarter_scores[j].score for lab, ev in zip(labels, evs)})
            s_rows.append(row)
        row = {"key": "index", "name": "Index"}
        row.update({lab: ev.index for lab, ev in zip(labels, evs)})
        s_rows.append(row)
    scores = pd.DataFrame(s_rows, columns=["key", "name", *labels])
    return TeamComparison(tuple(labels), answers, rungs, scores, disagreements)
