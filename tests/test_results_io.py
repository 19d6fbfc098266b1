"""Export / import / compare of self-assessment results."""

from __future__ import annotations

import datetime as dt
import json
import re

import pandas as pd
import pytest

from explorer import CONTENT_DIR
from explorer.assess.results_io import (
    APP_NAME,
    MAX_IMPORT_BYTES,
    RESULT_KIND,
    ResultImportError,
    compare_over_time,
    compare_teams,
    content_version,
    export_json,
    export_markdown,
    import_json,
    md_escape,
)
from explorer.assess.scoring import evaluate, ml_test_score
from explorer.assess.sharecode import encode, share_url
from explorer.charts.assessment import trend_figure, trend_table
from explorer.content.loader import load_content

_C = load_content(CONTENT_DIR)
A = _C.assessment
V = _C.vendors
MTS = _C.ml_test_score
WHEN = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)

# AWS Repeatable, Azure 1, Google 0 (rules re-derived in issue 13: Repeatable needs standard templates and
# DS/engineer collaboration, Azure 1 an automatic data pipeline and a hand-over of the model to engineers)
ANSWERS = {
    "code-ci": 3, "templates": 2, "environments": 1, "model-deployment": 1, "data-pipeline": 2,
    "training-pipeline": 2, "model-registry": 2, "lineage": 1, "collaboration": 2, "ownership": 2,
}
MARKS = {"rollback": 1.0, "feature-cost": 0.5, "slice-quality": 0.0}


def _export(answers=ANSWERS, marks=MARKS, team="Team A", when=WHEN) -> str:
    r = evaluate(A, V, answers)
    return export_json(r, A, V, marks=marks, mts=MTS, team=team, when=when, share_code=encode(A, answers, marks, MTS))


# --------------------------------------------------------------------------- export
def test_export_json_contents():
    d = json.loads(_export())
    assert d["app"] == APP_NAME and d["kind"] == RESULT_KIND and d["format"] == 1
    assert d["created"] == "2026-11-26T09:30:00+00:00"
    assert re.fullmatch(r"1-[0-9a-f]{8}", d["content_version"])
    assert d["content_version"] == content_version(A, V, MTS)
    assert d["answers"] == ANSWERS
    assert len(d["unanswered"]) == len(A.questions) - len(ANSWERS)
    aws = next(v for v in d["results"]["vendors"] if v["vendor"] == "aws")
    assert aws["level"] == "aws-repeatable" and aws["next_level"] == "aws-reliable"
    assert {b["question"] for b in aws["blockers"]} == {"environments", "ml-tests", "model-validation", "release-approval", "model-deployment", "monitoring"}
    assert d["results"]["scores"]["index_formula"].startswith("index = ")
    assert d["results"]["ml_test_score"]["final"] == 0.0
    assert d["ml_test_score_marks"] == MARKS


def test_content_version_changes_with_content():
    v1 = content_version(A, V)
    changed = A.model_copy(update={"version": 2})
    assert content_version(changed, V).startswith("2-")
    assert content_version(A, V[:2]) != v1


def test_export_markdown_report():
    r = evaluate(A, V, ANSWERS)
    code = encode(A, ANSWERS)
    link = share_url("https://study.example/Self_assessment", code)
    md = export_markdown(
        r, A, V, mts=MTS, mts_result=ml_test_score(MTS, MARKS), team="<script>alert(1)</script> *x*", when=WHEN,
        share_link=link, quarter_names={"devops": "DevOps"},
    )
    assert md.startswith("# MLOps self-assessment: ")
    assert "<script>" not in md and r"\<script\>" in md and r"\*x\*" in md
    assert "Phase 2: Repeatable" in md and "Level 1: DevOps but no MLOps" in md
    assert "## What holds you back" in md and "## Next steps" in md
    assert link in md
    assert "| DevOps |" in md
    assert "## ML Test Score" in md and "Research project" in md
    assert "(unanswered)" in md
    assert "1. " in md  # numbered plan


def test_md_escape():
    assert md_escape("a|b\nc") == r"a\|b c"
    assert md_escape("[x](javascript:1)") == r"\[x\]\(javascript:1\)"


# --------------------------------------------------------------------------- round trip
@pytest.mark.parametrize("answers", [ANSWERS, {}, {q.id: len(q.answers) - 1 for q in A.questions}])
def test_export_then_import_gives_same_result(answers):
    text = _export(answers=answers)
    imp = import_json(text, A, V, mts=MTS, source="a.json")
    assert imp.answers == answers
    assert imp.marks == MARKS
    assert imp.team == "Team A" and imp.created == WHEN
    assert imp.warnings == ()
    assert evaluate(A, V, imp.answers) == evaluate(A, V, answers)
    assert ml_test_score(MTS, imp.marks) == ml_test_score(MTS, MARKS)
    # bytes with a BOM are accepted too
    assert import_json(b"\xef\xbb\xbf" + text.encode(), A, V, mts=MTS).answers == answers


def test_export_without_marks_round_trips():
    r = evaluate(A, V, ANSWERS)
    text = export_json(r, A, V, when=WHEN)
    imp = import_json(text, A, V)
    assert imp.marks is None and imp.answers == ANSWERS
    assert json.loads(text)["results"]["ml_test_score"] is None


def test_unknown_questions_ignored_with_warning():
    d = json.loads(_export())
    d["answers"]["retired-question"] = 2
    d["answers"]["code-ci"] = 7  # out of range for the current questionnaire
    d["ml_test_score_marks"]["old-test"] = 1
    imp = import_json(json.dumps(d), A, V, mts=MTS)
    assert "retired-question" not in imp.answers and "code-ci" not in imp.answers
    joined = " ".join(imp.warnings)
    assert "retired-question" in joined and "code-ci" in joined and "old-test" in joined


def test_other_content_version_warns():
    d = json.loads(_export())
    d["content_version"] = "1-00000000"
    imp = import_json(json.dumps(d), A, V, mts=MTS)
    assert any("recomputed" in w for w in imp.warnings)


# --------------------------------------------------------------------------- bad files
def _err(data) -> str:
    with pytest.raises(ResultImportError) as info:
        import_json(data, A, V, mts=MTS, source="upload.json")
    msg = str(info.value)
    assert msg.startswith("upload.json: ")
    return msg


def _with(**changes) -> str:
    d = json.loads(_export())
    for k, v in changes.items():
        if v is ...:
            d.pop(k)
        else:
            d[k] = v
    return json.dumps(d)


def test_malformed_files():
    assert "not valid JSON" in _err("{not json")
    assert "line 1" in _err("{not json")
    assert "empty" in _err(b"")
    assert "UTF-8" in _err(b"\xff\xfe\x00garbage")
    assert "JSON list" in _err("[1, 2, 3]")
    assert "JSON str" in _err('"hello"')
    assert "at most 200 kB" in _err("[" * 100_001 + "]" * 100_001)
    assert "kind" in _err(json.dumps({"hello": "world"}))
    assert "kind" in _err(_with(kind="something-else"))


def test_oversized_file():
    big = _with(padding="x" * MAX_IMPORT_BYTES)
    msg = _err(big)
    assert "kB" in msg and "at most 200 kB" in msg


def test_deep_nesting_within_size_limit():
    deep = '{"kind": "' + RESULT_KIND + '", "x": ' + "[" * 50_000 + "]" * 50_000 + "}"
    assert len(deep) < MAX_IMPORT_BYTES
    assert "nested too deeply" in _err(deep)


def test_wrong_types_named():
    msg = _err(_with(answers={"code-ci": "2"}))
    assert "answers.code-ci" in msg and "integer" in msg
    msg = _err(_with(answers={"code-ci": True}))
    assert "answers.code-ci" in msg
    msg = _err(_with(answers=[1, 2]))
    assert "'answers'" in msg
    msg = _err(_with(answers=...))
    assert "'answers' is missing" in msg
    msg = _err(_with(created="yesterday"))
    assert "'created'" in msg
    msg = _err(_with(team=123))
    assert "'team'" in msg
    msg = _err(_with(ml_test_score_marks={"rollback": 0.7}))
    assert "0, 0.5 or 1" in msg
    msg = _err(_with(format=2))
    assert "format 2" in msg


def test_non_bytes_input():
    with pytest.raises(ResultImportError, match="expected the contents"):
        import_json(12345, A, V)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- compare
def _imp(answers, when, team="Team A", marks=MARKS):
    return import_json(_export(answers=answers, when=when, team=team, marks=marks), A, V, mts=MTS)


def test_compare_over_time_sorted_and_tidy():
    early = _imp({}, WHEN - dt.timedelta(days=60))
    mid = _imp(ANSWERS, WHEN - dt.timedelta(days=30), marks=None)
    late = _imp({q.id: len(q.answers) - 1 for q in A.questions}, WHEN)
    frame = compare_over_time([late, early, mid], A, V, mts=MTS, quarter_names={"devops": "DevOps"})
    assert list(frame.columns) == ["date", "label", "kind", "series_id", "series", "value", "text"]
    dates = list(dict.fromkeys(frame["date"]))
    assert dates == sorted(dates) and len(dates) == 3
    aws = frame[(frame["kind"] == "rung") & (frame["series_id"] == "aws")]
    assert list(aws["value"]) == [1.0, 2.0, 4.0]  # Initial -> Repeatable -> Scalable (AWS ranks 1-4)
    assert list(aws["text"]) == ["Phase 1: Initial", "Phase 2: Repeatable", "Phase 4: Scalable"]
    idx = frame[frame["kind"] == "index"]
    assert list(idx["value"])[0] == 0 and list(idx["value"])[-1] == 100
    assert "DevOps" in set(frame["series"])
    assert len(frame[frame["kind"] == "ml-test-score"]) == 2  # the middle result carries no marks
    fig = trend_figure(frame, V)
    assert len(fig.data) == 3 + 5 + 1  # three vendors, four quarters + index, ML Test Score
    table = trend_table(frame)
    assert len(table) == 3 and "Amazon Web Services" in table.columns


def test_compare_over_time_empty():
    frame = compare_over_time([], A, V)
    assert frame.empty
    trend_figure(frame)
    assert trend_table(frame).empty


def test_compare_teams_disagreement_hand_worked():
    shared = {"iac": 1, "data-pipeline": 2, "model-deployment": 1}  # all three agree on these
    a = _imp({"code-ci": 3, "monitoring": 2, **shared}, WHEN, team="Alpha")
    b = _imp({"code-ci": 0, "monitoring": 3, **shared}, WHEN, team="Beta")
    c = _imp({"code-ci": 2, "monitoring": 2, **shared}, WHEN, team="Alpha")  # same name: gets a suffix
    cmp = compare_teams([a, b, c], A, V, top=3)
    assert cmp.labels == ("Alpha", "Beta", "Alpha (2)")
    row = cmp.answers.set_index("question_id").loc["code-ci"]
    assert (row["Alpha"], row["Beta"], row["Alpha (2)"], row["spread"]) == (3, 0, 2, 3)
    assert cmp.answers.set_index("question_id").loc["iac", "spread"] == 0
    # code-ci spread 3 (of 3) first, then monitoring spread 1; agreed questions are left out
    assert list(cmp.disagreements["question_id"]) == ["code-ci", "monitoring"]
    assert cmp.disagreements.iloc[0]["Beta"] == "Not in version control"
    assert list(cmp.rungs["vendor_id"]) == ["aws", "azure", "google"]
    assert cmp.rungs.set_index("vendor_id").loc["azure", "Alpha"] == "Level 1: DevOps but no MLOps"
    assert cmp.rungs.set_index("vendor_id").loc["azure", "Beta"] == "Level 0: No MLOps"
    assert list(cmp.scores["key"]) == ["devops", "data", "models", "business", "index"]
    assert isinstance(cmp.answers, pd.DataFrame)


def test_export_with_a_long_version_2_share_code_imports_back():
    """A version-2 code with notes is far longer than a version-1 code; the file that carries it must still import."""
    notes = {q.id: f"What we do today is written down at https://example.com/wiki/{q.id} with details" for q in A.questions}
    na = ["feature-store"]
    answers = {k: v for k, v in ANSWERS.items() if k not in na}
    code = encode(A, answers, na=na, notes=notes, name="Ana")
    assert len(code) > 400  # longer than the limit the import used to have
    r = evaluate(A, V, answers, na)
    back = import_json(export_json(r, A, V, share_code=code, notes=notes, participant="Ana"), A, V)
    assert back.share_code == code
    assert back.na == frozenset(na) and back.notes == notes and back.participant == "Ana"
