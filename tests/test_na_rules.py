""""Does not apply" (N/A): hand-worked placements and scores on a small fixture, and properties that hold for
any ladder (N/A never places a team higher than a real answer would)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from explorer import CONTENT_DIR
from explorer.assess.scoring import NA_CURRENT_LABEL, NA_RULE, evaluate
from explorer.content.loader import load_content
from explorer.content.schema import Answer, Question
from tests.assessment_fixtures import mini_assessment, mini_vendors

A = mini_assessment()
V = mini_vendors()


def rung(result, vendor):
    p = result.placement(vendor)
    return None if p.current is None else p.current.level_id


# --------------------------------------------------------------------------- ladders
def test_na_on_a_required_question_blocks_the_rung():
    # alpha a2 needs ci >= 2 and store >= 1
    answered = evaluate(A, V, {"ci": 2, "store": 1})
    assert rung(answered, "alpha") == "a2"
    na = evaluate(A, V, {"ci": 2}, na=["store"])
    assert rung(na, "alpha") == "a1"
    (b,) = na.placement("alpha").blockers
    assert (b.question_id, b.not_applicable, b.current_label, b.needed_index) == ("store", True, NA_CURRENT_LABEL, 1)
    assert b.answered  # an N/A is an answer, not a skipped question
    # the same as the weakest real answer, never better
    assert rung(evaluate(A, V, {"ci": 2, "store": 0}), "alpha") == "a1"


def test_na_ok_requirement_is_met_by_na():
    # beta b1 needs ci >= 1 and team >= 2, and the team requirement is na_ok
    assert rung(evaluate(A, V, {"ci": 1}), "beta") == "b0"  # team unanswered -> 0 < 2
    r = evaluate(A, V, {"ci": 1}, na=["team"])
    assert rung(r, "beta") == "b1"
    assert [x.question_id for x in r.placement("beta").blockers] == ["store", "monitor"]  # b2 next
    # the next step list never asks for a question the team marked N/A when an na_ok rung accepted it
    assert "team" not in {s.question_id for s in r.next_steps}


def test_na_blocker_shows_up_in_next_steps():
    # team N/A meets beta b1 (na_ok), so beta's next rung is b2; alpha's next rung is a2
    r = evaluate(A, V, {"ci": 3}, na=["store", "team"])
    assert (rung(r, "alpha"), rung(r, "beta")) == ("a1", "b1")
    step = next(s for s in r.next_steps if s.question_id == "store")
    assert step.not_applicable and step.current_label == NA_CURRENT_LABEL
    assert step.target_index == 3  # alpha a2 needs 1, beta b2 needs 3: the highest wins
    assert step.unblocks == (("alpha", "a2"), ("beta", "b2"))
    assert r.next_steps[0].question_id == "store"  # it holds back two ladders, monitor only one


# --------------------------------------------------------------------------- scores
def test_na_leaves_the_averages_hand_worked():
    r = evaluate(A, V, {"ci": 3, "deploy": 1, "monitor": 2}, na=["store", "team"])
    q = {s.key: s for s in r.quarter_scores}
    assert q["devops"].score == 66.7  # (3/3 + 1/3) / 2
    assert q["data"].score is None and q["data"].n_na == 1 and q["data"].n_answered == 0
    assert q["models"].score == 66.7  # monitor 2/3 only; team is N/A
    assert (q["models"].n_questions, q["models"].n_answered, q["models"].n_na) == (2, 1, 1)
    assert r.index == 66.7  # mean of the two quarters that have a score
    caps = {s.key: s.score for s in r.capability_scores}
    assert caps["Feature store"] is None and caps["Team"] is None and caps["Monitoring"] == 66.7
    assert r.not_applicable == ("store", "team")
    assert r.unanswered == ()
    assert r.given_answers == {"ci": 3, "deploy": 1, "monitor": 2}
    assert NA_RULE in r.rules


def test_the_same_answers_without_na_count_the_weakest_answer():
    r = evaluate(A, V, {"ci": 3, "deploy": 1, "monitor": 2})
    q = {s.key: s.score for s in r.quarter_scores}
    assert (q["devops"], q["data"], q["models"]) == (66.7, 0.0, 33.3)
    assert r.index == 33.3  # (66.67 + 0 + 33.33) / 3
    assert r.unanswered == ("store", "team")


def test_everything_na_gives_index_from_the_rest_and_zero_when_nothing_applies():
    r = evaluate(A, V, {}, na=["store", "team"])
    assert [s.score for s in r.quarter_scores] == [0.0, None, 0.0]
    assert r.index == 0.0


# --------------------------------------------------------------------------- misuse is a programming error
def test_na_misuse_raises():
    with pytest.raises(ValueError, match="does not allow"):
        evaluate(A, V, {}, na=["ci"])
    with pytest.raises(ValueError, match="both answered"):
        evaluate(A, V, {"store": 2}, na=["store"])
    with pytest.raises(ValueError, match="not one string"):
        evaluate(A, V, {}, na="store")
    r = evaluate(A, V, {}, na=["ghost"])
    assert r.unknown == ("ghost",) and r.not_applicable == ()


# --------------------------------------------------------------------------- properties, for any ladder
def _properties(assessment, vendors, answers, na):
    with_na = evaluate(assessment, vendors, answers, na)
    top = {**answers, **{q: len(next(x for x in assessment.questions if x.id == q).answers) - 1 for q in na}}
    zero = {**answers, **{q: 0 for q in na}}
    at_top = evaluate(assessment, vendors, top)
    at_zero = evaluate(assessment, vendors, zero)
    pos = lambda p: -1 if p.current_index is None else p.current_index  # noqa: E731
    for v, a, b, c in zip(vendors, with_na.placements, at_top.placements, at_zero.placements):
        # N/A never places higher than the strongest answer would ...
        assert pos(a) <= pos(b), v.id
        # ... and on a ladder that makes nothing optional, never higher than the weakest answer
        if not any(r.na_ok for lv in v.levels for r in lv.requires):
            assert pos(a) <= pos(c), v.id


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_na_never_raises_a_placement_fixture(data):
    answers = {q.id: data.draw(st.integers(0, 3)) for q in A.questions if data.draw(st.booleans())}
    na = [q.id for q in A.questions if q.allow_na and q.id not in answers and data.draw(st.booleans())]
    _properties(A, V, answers, na)


_SHIPPED = load_content(CONTENT_DIR)


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_na_never_raises_a_placement_shipped_content(data):
    # a property, so it holds whatever the ladders' requirements are re-derived to
    sa, sv = _SHIPPED.assessment, _SHIPPED.vendors
    answers = {q.id: data.draw(st.integers(0, len(q.answers) - 1)) for q in sa.questions if data.draw(st.booleans())}
    na = [q.id for q in sa.questions if q.allow_na and q.id not in answers and data.draw(st.booleans())]
    _properties(sa, sv, answers, na)


# --------------------------------------------------------------------------- schema and validator
def test_allow_na_needs_a_reason_and_the_reason_needs_allow_na():
    answers = [Answer(label="a", description="d"), Answer(label="b", description="d")]
    with pytest.raises(ValidationError, match="na_reason"):
        Question(id="q", quarter="devops", capability="c", text="?", answers=answers, allow_na=True)
    with pytest.raises(ValidationError, match="allow_na is false"):
        Question(id="q", quarter="devops", capability="c", text="?", answers=answers, na_reason="because")


def test_shipped_na_questions_have_one_line_reasons():
    allowed = [q for q in _SHIPPED.assessment.questions if q.allow_na]
    assert allowed, "some questions should allow 'does not apply'"
    assert len(allowed) <= len(_SHIPPED.assessment.questions) // 3  # only where skipping is legitimate
    for q in allowed:
        assert q.na_reason and "\n" not in q.na_reason and len(q.na_reason) <= 200


def test_na_ok_on_a_question_without_allow_na_is_reported(content_copy: Path):
    path = content_copy / "maturity" / "azure.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    na_q = next(q.id for q in _SHIPPED.assessment.questions if q.allow_na)
    plain_q = next(q.id for q in _SHIPPED.assessment.questions if not q.allow_na)
    data["levels"][1]["requires"] = [{"question": plain_q, "at_least": 1, "na_ok": True}, {"question": na_q, "at_least": 1, "na_ok": True}]
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    msgs = [str(p) for p in load_content(content_copy).errors]
    assert any("levels[1].requires[0].na_ok" in m and plain_q in m for m in msgs), msgs
    assert not any("requires[1].na_ok" in m for m in msgs), msgs


# --------------------------------------------------------------------------- the fast path used by workshops
@settings(max_examples=150, deadline=None)
@given(st.data())
def test_rung_positions_agree_with_evaluate(data):
    from explorer.assess.scoring import rung_positions

    for assessment, vendors in ((A, V), (_SHIPPED.assessment, _SHIPPED.vendors)):
        answers = {q.id: data.draw(st.integers(0, len(q.answers) - 1)) for q in assessment.questions if data.draw(st.booleans())}
        na = [q.id for q in assessment.questions if q.allow_na and q.id not in answers and data.draw(st.booleans())]
        full = evaluate(assessment, vendors, answers, na)
        assert rung_positions(assessment, vendors, answers, na) == tuple(p.current_index for p in full.placements)


def test_rung_positions_validates_like_evaluate():
    from explorer.assess.scoring import rung_positions

    with pytest.raises(ValueError):
        rung_positions(A, V, {}, na=["ci"])
    with pytest.raises(ValueError):
        rung_positions(A, V, {"ci": 9})


def test_views_of_scores_accept_a_group_without_score():
    import math

    from explorer.charts.assessment import radar_figure, scores_table

    r = evaluate(A, V, {"ci": 1}, na=["store", "team"])
    assert list(radar_figure(r, by="capability").data[0].r)[:3] == [33.3, 0.0, None]  # a gap, not a zero
    table = scores_table(r, by="quarter")
    assert math.isnan(table.set_index("Quarter").loc["data", "Score"])
