"""The result file a learner downloads (issue 4): what identifies it (app, kind, format), the content
version it was made with, and its JSON (:func:`result_dict`, :func:`export_json`).  Nothing is written
to disk or kept on the server.

Since issue 12 a result also carries the questions marked "does not apply" (``not_applicable``), a
note per answer (``notes``), an optional participant name (``participant``) and the improvement plan
with owners and target dates (``plan``).  These keys are optional, so files from before issue 12
import unchanged, and the result format stays 1 (older readers ignore the new keys).  Reading a file
back is :mod:`explorer.assess.results_import`.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict, Unpack

from explorer.assess.evidence import MAX_NAME_CHARS, MAX_NOTE_CHARS, clean_text
from explorer.assess.mlts import MLTestScoreResult, ml_test_score
from explorer.assess.plan import Plan, plan_dict
from explorer.assess.scoring_results import AssessmentResult
from explorer.assess.scoring_rules import LADDER_RULE, NA_RULE, UNANSWERED_RULE
from explorer.content.schema import Assessment, MLTestScore, Vendor

APP_NAME = "MLOps course-notes explorer"
RESULT_KIND = "mlops-self-assessment"
RESULT_FORMAT = 1
MAX_TEAM_LENGTH = 120


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


def now_utc() -> _dt.datetime:
    """Now, in UTC, to the second (a result's ``created``)."""
    return _dt.datetime.now(_dt.UTC).replace(microsecond=0)


def aware_utc(when: _dt.datetime) -> _dt.datetime:
    """``when`` with a time zone: a naive date and time is taken as UTC."""
    return when if when.tzinfo is not None else when.replace(tzinfo=_dt.UTC)


# --------------------------------------------------------------------------- export
def clean_notes(notes: Mapping[str, str] | None, assessment: Assessment) -> dict[str, str]:
    """Notes by question id, cleaned, in questionnaire order, empty ones and unknown ids left out."""
    notes = notes or {}
    out = {}
    for q in assessment.questions:
        if isinstance(notes.get(q.id), str):
            text = clean_text(notes[q.id], MAX_NOTE_CHARS)[0]
            if text:
                out[q.id] = text
    return out


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
    when = aware_utc(when or now_utc())
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
        "notes": clean_notes(notes, assessment),
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
