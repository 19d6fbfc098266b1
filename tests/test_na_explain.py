""""Does not apply" explained (issue 25): where a team would stand with its N/A questions set aside.

Hand-worked on the small fixture (tests/assessment_fixtures.py), a property that holds for any
ladder, and the three places that show it: the results view, the printed report and the workshop.
The shipped ladders' cases (one per vendor) are in tests/test_placement_truth.py.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import CONTENT_DIR
from explorer.assess.na_explain import NA_EXPLAIN_RULE, effects_by_vendor, explain_na
from explorer.assess.scoring import evaluate
from explorer.content.loader import load_content
from tests.assessment_fixtures import mini_assessment, mini_vendors

A = mini_assessment()
V = mini_vendors()


def test_no_na_no_explanation():
    assert explain_na(evaluate(A, V, {"ci": 3, "deploy": 3, "monitor": 3}), A, V) == ()


def test_na_that_costs_two_rungs_is_named_hand_worked():
    # alpha a2 needs ci >= 2 and store >= 1: store is N/A, so the team stays on a1 although a3's
    # own needs (deploy 3, monitor 2) are met; set aside, a2 and a3 are both met.
    r = evaluate(A, V, {"ci": 3, "deploy": 3, "monitor": 3}, na=["store"])
    (e,) = explain_na(r, A, V)  # beta: b1 needs team >= 2 (unanswered): N/A is not what holds it back
    assert (e.vendor_id, e.current_index, e.aside_index, e.rungs_lost, e.question_ids) == ("alpha", 0, 2, 2, ("store",))
    assert e.message == (
        "You stand on Phase 1: Rung a1 because you marked “How is store done?” as “does not apply”; "
        "with it set aside you would stand on Phase 3: Rung a3."
    )
    assert e.team_message == (
        "The team stands on Phase 1: Rung a1 because its consensus answer to “How is store done?” is "
        "“does not apply”; with it set aside the team would stand on Phase 3: Rung a3."
    )


def test_na_ok_is_not_blamed_and_two_questions_are_listed():
    # beta b1's team requirement is na_ok (met by N/A); b2 needs store >= 3 (N/A) and monitor >= 3
    r = evaluate(A, V, {"ci": 3, "deploy": 3, "monitor": 3}, na=["store", "team"])
    effects = effects_by_vendor(r, A, V)
    assert r.placement("beta").current.level_id == "b1"
    assert effects["beta"].question_ids == ("store",)  # not "team": the vendor made it optional
    assert effects["beta"].aside_label == "Level 2: Rung b2"


def test_na_that_costs_nothing_says_nothing():
    # ci 1 blocks alpha a2 whatever store is: setting store aside changes nothing
    r = evaluate(A, V, {"ci": 1, "deploy": 3, "monitor": 3}, na=["store"])
    assert "alpha" not in effects_by_vendor(r, A, V)


def test_several_questions_read_as_a_list():
    from explorer.assess.na_explain import NaEffect

    e = NaEffect("x", "X", 0, "Phase 1: A", 2, "Phase 3: C", ("p", "q", "r"), ("P?", "Q?", "R?"))
    assert e.message == ("You stand on Phase 1: A because you marked “P?”, “Q?” and “R?” as “does not apply”; "
                         "with them set aside you would stand on Phase 3: C.")
    assert "consensus answers to “P?”, “Q?” and “R?” are “does not apply”; with them set aside" in e.team_message


# --------------------------------------------------------------------------- a property for any ladder
_SHIPPED = load_content(CONTENT_DIR)


def _check(assessment, vendors, answers, na):
    """Set aside = exactly where the strongest answer to every N/A question would place the team."""
    r = evaluate(assessment, vendors, answers, na)
    top = {**answers, **{q.id: len(q.answers) - 1 for q in assessment.questions if q.id in na}}
    best = evaluate(assessment, vendors, top)
    effects = effects_by_vendor(r, assessment, vendors)
    for p, b in zip(r.placements, best.placements):
        here = -1 if p.current_index is None else p.current_index
        there = -1 if b.current_index is None else b.current_index
        e = effects.get(p.vendor_id)
        if there > here:
            assert e is not None and e.aside_index == there and e.question_ids, p.vendor_id
            assert set(e.question_ids) <= set(na)
        else:
            assert e is None, p.vendor_id


@settings(max_examples=120, deadline=None)
@given(st.data())
def test_set_aside_is_the_strongest_answer_fixture_and_shipped(data):
    for assessment, vendors in ((A, V), (_SHIPPED.assessment, _SHIPPED.vendors)):
        answers = {q.id: data.draw(st.integers(0, len(q.answers) - 1)) for q in assessment.questions if data.draw(st.booleans())}
        na = [q.id for q in assessment.questions if q.allow_na and q.id not in answers and data.draw(st.booleans())]
        _check(assessment, vendors, answers, na)


# --------------------------------------------------------------------------- the printed report
def test_report_says_it_with_the_rule():
    from explorer.assess.report import render_report

    r = evaluate(A, V, {"ci": 3, "deploy": 3, "monitor": 3}, na=["store"])
    doc = render_report(r, A, V, when=dt.datetime(2026, 12, 6, tzinfo=dt.UTC))
    assert 'id="na-notes"' in doc
    assert "with it set aside you would stand on Phase 3: Rung a3." in doc
    assert NA_EXPLAIN_RULE.replace("'", "&#39;") in doc
    plain = render_report(evaluate(A, V, {"ci": 3}), A, V, when=dt.datetime(2026, 12, 6, tzinfo=dt.UTC))
    assert 'id="na-notes"' not in plain


def test_workshop_report_speaks_of_the_team():
    from explorer.assess import sharecode
    from explorer.assess import workshop as ws
    from explorer.assess.report import render_workshop_report

    codes = [sharecode.encode(A, {"ci": 3, "deploy": 3, "monitor": 3}, na=["store"]) for _ in range(2)]
    codes[1] = sharecode.encode(A, {"ci": 3, "deploy": 3, "monitor": 2}, na=["store"])
    entries = ws.read_codes(codes, A, None)
    w = ws.compute_workshop(entries, A, V)
    doc = render_workshop_report(w, A, V, when=dt.datetime(2026, 12, 6, tzinfo=dt.UTC))
    assert "The team stands on Phase 1: Rung a1 because its consensus answer to" in doc


# --------------------------------------------------------------------------- the pages (AppTest)
def _top_except(na):
    return {q.id: len(q.answers) - 1 for q in _SHIPPED.assessment.questions if q.id not in na}


def test_result_page_says_where_the_team_would_stand_and_why_the_vendor_asks():
    from explorer.assess import sharecode
    from tests.apptest_util import no_exception, open_page

    code = sharecode.encode(_SHIPPED.assessment, _top_except(["templates"]), na=["templates"])
    at = open_page("pages/6_Self_Assessment.py", {"a": code})
    no_exception(at)
    infos = [i.value for i in at.info]
    assert any("You stand on Phase 3: Reliable because you marked “How does a new ML use case or a new team get "
               "started?” as “does not apply”; with it set aside you would stand on Phase 4: Scalable." in i.replace("\\", "")
               for i in infos), infos
    assert not any("Level 4" in i or "Level 2" in i for i in infos)  # Azure and Google lose nothing
    rule = [c.value for c in at.caption if NA_EXPLAIN_RULE in c.value.replace("\\", "")]
    assert len(rule) == 1  # said once, under the three ladders
    # the blocker and, on request, the AWS text its requirement rests on
    assert any(e.label.startswith("Why Amazon Web Services asks for this") for e in at.expander)
    body = "\n".join(m.value.replace("\\", "") for m in at.markdown)
    assert "solutions are templatised so many teams can ship tens or hundreds of use cases" in body


def test_workshop_consensus_says_it_of_the_team():
    from explorer.assess import sharecode
    from tests.apptest_util import no_exception, open_page

    a = _SHIPPED.assessment
    one = sharecode.encode(a, _top_except(["collaboration"]), na=["collaboration"])
    two = sharecode.encode(a, {**_top_except(["collaboration"]), "iac": 2}, na=["collaboration"])
    at = open_page("pages/12_Workshop.py", {"w": sharecode.encode_workshop([one, two])})
    no_exception(at)
    infos = [i.value.replace("\\", "") for i in at.info]
    assert any(i.startswith("The team stands on Level 1: DevOps but no MLOps because its consensus answer to “How do data "
                            "scientists") and i.endswith("would stand on Level 4: Full MLOps Automated Operations.")
               for i in infos), infos
