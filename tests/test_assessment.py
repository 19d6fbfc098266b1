"""Scoring of the self-assessment: hand-worked cases at every rung boundary of every vendor ladder."""

from __future__ import annotations

import pytest

from explorer import CONTENT_DIR
from explorer.assess.scoring import INDEX_FORMULA, evaluate, index_weighting, normalise_answers
from explorer.charts.assessment import radar_figure, scores_table
from explorer.content.loader import load_content
from explorer.content.schema import Assessment, Level, Requirement, Vendor


@pytest.fixture(scope="module")
def content():
    c = load_content(CONTENT_DIR)
    c.need("assessment", "maturity")
    return c


@pytest.fixture(scope="module")
def A(content) -> Assessment:
    return content.assessment


@pytest.fixture(scope="module")
def V(content) -> list[Vendor]:
    return content.vendors


def place(A, V, answers, vendor):
    r = evaluate(A, V, answers)
    return r, r.placement(vendor)


def level_id(p):
    return None if p.current is None else p.current.level_id


def blockers(p):
    return [(b.question_id, b.current_index, b.needed_index) for b in p.blockers]


# --------------------------------------------------------------------------- the ladders as written by hand
# If content/maturity/*.yaml changes its requirements, this table (and the cases below) must be
# re-worked by hand: that is the point of the test.
EXPECTED_REQUIRES = {
    "aws": {
        "aws-initial": [],
        "aws-repeatable": [("code-ci", 2), ("environments", 1), ("training-pipeline", 2), ("model-registry", 2), ("collaboration", 2)],
        "aws-reliable": [("environments", 3), ("ml-tests", 2), ("model-validation", 1), ("release-approval", 2), ("model-deployment", 2), ("monitoring", 2)],
        "aws-scalable": [("templates", 3), ("iac", 2)],
    },
    "azure": {
        "azure-0": [],
        "azure-1": [("code-ci", 2), ("data-pipeline", 2), ("model-deployment", 1)],
        "azure-2": [("training-pipeline", 2), ("experiment-tracking", 2), ("model-registry", 2), ("lineage", 2), ("collaboration", 2), ("ml-tests", 1)],
        "azure-3": [("model-deployment", 3), ("lineage", 3), ("environments", 2), ("ml-tests", 2), ("model-validation", 2)],
        "azure-4": [("monitoring", 3), ("retraining", 3), ("collaboration", 3)],
    },
    "google": {
        "google-0": [],
        "google-1": [("training-pipeline", 2), ("training-triggers", 2), ("data-validation", 2), ("model-validation", 2), ("lineage", 2), ("model-deployment", 2)],
        "google-2": [("pipeline-cicd", 2), ("ml-tests", 3), ("model-registry", 2), ("monitoring", 2), ("environments", 2)],
    },
}


def test_requirements_are_the_hand_worked_ones(V):
    got = {v.id: {lv.id: [(r.question, r.at_least) for r in lv.requires] for lv in v.levels} for v in V}
    assert got == EXPECTED_REQUIRES


def test_questionnaire_shape(A):
    assert A.version == 1
    assert 18 <= len(A.questions) <= 26
    assert {q.quarter for q in A.questions} == {"devops", "data", "models", "business"}
    caps = {q.capability for q in A.questions}
    for needed in [
        "Source control and CI", "Infrastructure as code", "Data pipelines", "Data validation", "Feature store",
        "Experiment tracking", "Training automation and triggers", "Model registry",
        "Deployment automation and release approval", "Testing of data and models", "Monitoring and drift",
        "Automated retraining", "Traceability and reproducibility", "Team roles and collaboration", "Business KPIs",
    ]:
        assert needed in caps
    for q in A.questions:
        assert q.learn, q.id
        assert q.glossary, q.id


def test_content_validates_without_errors(content):
    mine = [p for p in content.errors if p.file in ("assessment.yaml", "ml_test_score.yaml") or "requires" in p.path]
    assert mine == []


# --------------------------------------------------------------------------- AWS: Initial -> Repeatable -> Reliable -> Scalable
AWS_REPEATABLE = {"code-ci": 2, "environments": 1, "training-pipeline": 2, "model-registry": 2, "collaboration": 2}
AWS_RELIABLE = {**AWS_REPEATABLE, "environments": 3, "ml-tests": 2, "model-validation": 1, "release-approval": 2, "model-deployment": 2, "monitoring": 2}
AWS_SCALABLE = {**AWS_RELIABLE, "iac": 2, "templates": 3}


@pytest.mark.parametrize(
    "answers, current, next_level, expected_blockers",
    [
        # just meet Initial (nothing needed), miss Repeatable on everything
        ({}, "aws-initial", "aws-repeatable",
         [("code-ci", 0, 2), ("environments", 0, 1), ("training-pipeline", 0, 2),
          ("model-registry", 0, 2), ("collaboration", 0, 2)]),
        # just miss Repeatable: code is versioned but built by hand (1 < 2)
        ({**AWS_REPEATABLE, "code-ci": 1}, "aws-initial", "aws-repeatable", [("code-ci", 1, 2)]),
        ({**AWS_REPEATABLE, "model-registry": 1}, "aws-initial", "aws-repeatable", [("model-registry", 1, 2)]),
        # templates are the Scalable phase's (the blog), not Repeatable's: copying projects by hand is no blocker
        ({**AWS_REPEATABLE, "templates": 1}, "aws-repeatable", "aws-reliable",
         [("environments", 1, 3), ("ml-tests", 0, 2), ("model-validation", 0, 1), ("release-approval", 0, 2),
          ("model-deployment", 0, 2), ("monitoring", 0, 2)]),
        # just meet Repeatable
        (AWS_REPEATABLE, "aws-repeatable", "aws-reliable",
         [("environments", 1, 3), ("ml-tests", 0, 2), ("model-validation", 0, 1), ("release-approval", 0, 2),
          ("model-deployment", 0, 2), ("monitoring", 0, 2)]),
        # just miss Reliable: only service-health monitoring
        ({**AWS_RELIABLE, "monitoring": 1}, "aws-repeatable", "aws-reliable", [("monitoring", 1, 2)]),
        ({**AWS_RELIABLE, "release-approval": 1}, "aws-repeatable", "aws-reliable", [("release-approval", 1, 2)]),
        # just miss Reliable: one shared staging and production, not a test and a production account per use case
        ({**AWS_RELIABLE, "environments": 2}, "aws-repeatable", "aws-reliable", [("environments", 2, 3)]),
        # just miss Reliable: nobody looks at a new model's metrics before promoting it ("manual evaluation")
        ({**AWS_RELIABLE, "model-validation": 0}, "aws-repeatable", "aws-reliable", [("model-validation", 0, 1)]),
        # just meet Reliable
        (AWS_RELIABLE, "aws-reliable", "aws-scalable", [("templates", 0, 3), ("iac", 0, 2)]),
        # just miss Scalable: templates exist but need manual setup
        ({**AWS_SCALABLE, "templates": 2}, "aws-reliable", "aws-scalable", [("templates", 2, 3)]),
        ({**AWS_SCALABLE, "iac": 1}, "aws-reliable", "aws-scalable", [("iac", 1, 2)]),
        # just meet Scalable: top of the ladder, nothing blocks
        (AWS_SCALABLE, "aws-scalable", None, []),
    ],
)
def test_aws_boundaries(A, V, answers, current, next_level, expected_blockers):
    _, p = place(A, V, answers, "aws")
    assert level_id(p) == current
    assert (p.next.level_id if p.next else None) == next_level
    assert blockers(p) == expected_blockers


# --------------------------------------------------------------------------- Azure: 0 -> 4
AZ1 = {"code-ci": 2, "data-pipeline": 2, "model-deployment": 1}
AZ2 = {**AZ1, "training-pipeline": 2, "experiment-tracking": 2, "model-registry": 2, "lineage": 2, "collaboration": 2, "ml-tests": 1}
AZ3 = {**AZ2, "model-deployment": 3, "lineage": 3, "environments": 2, "ml-tests": 2, "model-validation": 2}
AZ4 = {**AZ3, "monitoring": 3, "retraining": 3, "collaboration": 3}


@pytest.mark.parametrize(
    "answers, current, next_level, expected_blockers",
    [
        ({}, "azure-0", "azure-1", [("code-ci", 0, 2), ("data-pipeline", 0, 2), ("model-deployment", 0, 1)]),
        # just miss level 1: versioned but built by hand
        ({**AZ1, "code-ci": 1}, "azure-0", "azure-1", [("code-ci", 1, 2)]),
        # just miss level 1: data scripts still run by hand (Azure 1 has an automatic data pipeline)
        ({**AZ1, "data-pipeline": 1}, "azure-0", "azure-1", [("data-pipeline", 1, 2)]),
        # just miss level 1: the data scientist still releases the model alone
        ({**AZ1, "model-deployment": 0}, "azure-0", "azure-1", [("model-deployment", 0, 1)]),
        # just meet level 1
        (AZ1, "azure-1", "azure-2",
         [("training-pipeline", 0, 2), ("experiment-tracking", 0, 2), ("model-registry", 0, 2), ("lineage", 0, 2),
          ("collaboration", 0, 2), ("ml-tests", 0, 1)]),
        # just miss level 2: experiments tracked by hand only
        ({**AZ2, "experiment-tracking": 1}, "azure-1", "azure-2", [("experiment-tracking", 1, 2)]),
        ({**AZ2, "collaboration": 1}, "azure-1", "azure-2", [("collaboration", 1, 2)]),
        # just meet level 2
        (AZ2, "azure-2", "azure-3",
         [("model-deployment", 1, 3), ("lineage", 2, 3), ("environments", 0, 2), ("ml-tests", 1, 2),
          ("model-validation", 0, 2)]),
        # just miss level 3: deployment automated but started by a person
        ({**AZ3, "model-deployment": 2}, "azure-2", "azure-3", [("model-deployment", 2, 3)]),
        ({**AZ3, "lineage": 2}, "azure-2", "azure-3", [("lineage", 2, 3)]),
        # just meet level 3
        (AZ3, "azure-3", "azure-4", [("monitoring", 0, 3), ("retraining", 0, 3), ("collaboration", 2, 3)]),
        # just miss level 4: an alert reaches a person, who retrains
        ({**AZ4, "retraining": 2}, "azure-3", "azure-4", [("retraining", 2, 3)]),
        ({**AZ4, "monitoring": 2}, "azure-3", "azure-4", [("monitoring", 2, 3)]),
        # just miss level 4: software engineers do not collect post-deployment metrics with the others
        ({**AZ4, "collaboration": 2}, "azure-3", "azure-4", [("collaboration", 2, 3)]),
        # just meet level 4
        (AZ4, "azure-4", None, []),
    ],
)
def test_azure_boundaries(A, V, answers, current, next_level, expected_blockers):
    _, p = place(A, V, answers, "azure")
    assert level_id(p) == current
    assert (p.next.level_id if p.next else None) == next_level
    assert blockers(p) == expected_blockers


# --------------------------------------------------------------------------- Google: 0 -> 2
G1 = {"training-pipeline": 2, "training-triggers": 2, "data-validation": 2, "model-validation": 2, "lineage": 2, "model-deployment": 2}
G2 = {**G1, "pipeline-cicd": 2, "ml-tests": 3, "model-registry": 2, "monitoring": 2, "environments": 2}


@pytest.mark.parametrize(
    "answers, current, next_level, expected_blockers",
    [
        ({}, "google-0", "google-1",
         [("training-pipeline", 0, 2), ("training-triggers", 0, 2), ("data-validation", 0, 2), ("model-validation", 0, 2),
          ("lineage", 0, 2), ("model-deployment", 0, 2)]),
        # just miss level 1: runs are only written down by hand, no metadata is recorded per run
        ({**G1, "lineage": 1}, "google-0", "google-1", [("lineage", 1, 2)]),
        # just miss level 1: a person retrains on a routine, no automatic trigger
        ({**G1, "training-triggers": 1}, "google-0", "google-1", [("training-triggers", 1, 2)]),
        # just meet level 1
        (G1, "google-1", "google-2",
         [("pipeline-cicd", 0, 2), ("ml-tests", 0, 3), ("model-registry", 0, 2), ("monitoring", 0, 2), ("environments", 0, 2)]),
        # just miss level 2: the pipeline is packaged and deployed by hand, no CI builds or tests it
        ({**G2, "pipeline-cicd": 1}, "google-1", "google-2", [("pipeline-cicd", 1, 2)]),
        ({**G2, "ml-tests": 2}, "google-1", "google-2", [("ml-tests", 2, 3)]),
        # just meet level 2 (production is still deployed by hand, as on Google's page)
        (G2, "google-2", None, []),
    ],
)
def test_google_boundaries(A, V, answers, current, next_level, expected_blockers):
    _, p = place(A, V, answers, "google")
    assert level_id(p) == current
    assert (p.next.level_id if p.next else None) == next_level
    assert blockers(p) == expected_blockers


def test_every_single_requirement_is_a_boundary(A, V):
    """Generated check over all rungs: meeting rungs <= k exactly gives rung k; dropping any one
    requirement of rung k by one answer gives rung k-1 with exactly that blocker."""
    for v in V:
        for k, lv in enumerate(v.levels):
            exact: dict[str, int] = {}
            for below in v.levels[: k + 1]:
                for r in below.requires:
                    exact[r.question] = max(exact.get(r.question, 0), r.at_least)
            _, p = place(A, V, exact, v.id)
            assert p.current_index == k, (v.id, lv.id)
            for r in lv.requires:
                lower = max((x.at_least for b in v.levels[:k] for x in b.requires if x.question == r.question), default=0)
                if lower > r.at_least - 1:  # lowering it would also break a lower rung
                    continue
                _, p2 = place(A, V, {**exact, r.question: r.at_least - 1}, v.id)
                assert p2.current_index == k - 1, (v.id, lv.id, r.question)
                assert blockers(p2) == [(r.question, r.at_least - 1, r.at_least)]


def test_all_lowest_answers(A, V):
    r = evaluate(A, V, {q.id: 0 for q in A.questions})
    assert [level_id(p) for p in r.placements] == ["aws-initial", "azure-0", "google-0"]
    assert r.unanswered == ()
    assert r.index == 0
    assert all(s.score == 0 for s in r.quarter_scores + r.capability_scores)
    # blockers are exactly the requirements of the second rung
    for p, v in zip(r.placements, V):
        assert blockers(p) == [(x.question, 0, x.at_least) for x in v.levels[1].requires]


def test_unanswered_counts_as_lowest(A, V):
    none = evaluate(A, V, {})
    lowest = evaluate(A, V, {q.id: 0 for q in A.questions})
    assert none.unanswered == tuple(q.id for q in A.questions)
    assert [p.current_index for p in none.placements] == [p.current_index for p in lowest.placements]
    assert none.index == lowest.index == 0
    assert all(not b.answered for p in none.placements for b in p.blockers)
    assert all(b.answered for p in lowest.placements for b in p.blockers)


def test_all_highest_answers(A, V):
    r = evaluate(A, V, {q.id: len(q.answers) - 1 for q in A.questions})
    assert [level_id(p) for p in r.placements] == ["aws-scalable", "azure-4", "google-2"]
    assert all(p.at_top and p.next is None and p.blockers == () for p in r.placements)
    assert r.next_steps == ()
    assert r.index == 100
    assert all(s.score == 100 for s in r.quarter_scores + r.capability_scores)


def test_rungs_met_out_of_order_do_not_count(A, V):
    # Scalable's own requirements are met, Repeatable's are not: the ladder rule keeps you on Initial
    _, p = place(A, V, {"iac": 3, "templates": 3}, "aws")
    assert level_id(p) == "aws-initial"
    assert [lv.level_id for lv in p.met_above] == ["aws-scalable"]
    # Azure 4's own requirements met on their own: still level 0
    _, p = place(A, V, {"monitoring": 3, "retraining": 3, "collaboration": 3}, "azure")
    assert level_id(p) == "azure-0"
    assert [lv.level_id for lv in p.met_above] == ["azure-4"]


def test_next_steps_plan_all_lowest(A, V):
    """Hand-worked: the second rungs are aws-repeatable, azure-1 and google-1.  code-ci (AWS 2, Azure 2),
    model-deployment (Azure 1, Google 2: the target is the higher one) and training-pipeline (AWS 2,
    Google 2) hold back two rungs each; everything else one.
    Order: rungs unblocked (desc), gap (asc), question order."""
    r = evaluate(A, V, {})
    plan = [(s.question_id, len(s.unblocks), s.target_index) for s in r.next_steps]
    assert plan == [
        ("code-ci", 2, 2),
        ("model-deployment", 2, 2),
        ("training-pipeline", 2, 2),
        ("environments", 1, 1),  # gap 1
        ("data-pipeline", 1, 2),  # gap 2, in questionnaire order
        ("data-validation", 1, 2),
        ("lineage", 1, 2),
        ("training-triggers", 1, 2),
        ("model-registry", 1, 2),
        ("model-validation", 1, 2),
        ("collaboration", 1, 2),
    ]
    assert r.next_steps[0].unblocks == (("aws", "aws-repeatable"), ("azure", "azure-1"))
    assert r.next_steps[1].unblocks == (("azure", "azure-1"), ("google", "google-1"))
    assert len({s.question_id for s in r.next_steps}) == len(r.next_steps)  # deduplicated
    assert r.short_plan(3) == r.next_steps[:3]
    assert r.next_steps[0].learn and r.next_steps[0].current_label == "Not in version control"


def test_next_steps_mixed(A, V):
    """Hand-worked: every answer at 2 except environments and ml-tests at 1 gives AWS Repeatable,
    Azure 2, Google 1.  Next rungs: aws-reliable (environments 1->3, ml-tests 1->2), azure-3
    (model-deployment 2->3, lineage 2->3, environments 1->2, ml-tests 1->2), google-2
    (ml-tests 1->3, environments 1->2)."""
    answers = {**{q.id: 2 for q in A.questions}, "environments": 1, "ml-tests": 1}
    r = evaluate(A, V, answers)
    assert [level_id(p) for p in r.placements] == ["aws-repeatable", "azure-2", "google-1"]
    plan = [(s.question_id, len(s.unblocks), s.current_index, s.target_index) for s in r.next_steps]
    assert plan == [
        ("environments", 3, 1, 3),  # AWS needs 3, Azure and Google 2: the target is the highest
        ("ml-tests", 3, 1, 3),  # AWS and Azure need 2, Google 3
        ("model-deployment", 1, 2, 3),  # gap 1, in questionnaire order
        ("lineage", 1, 2, 3),
    ]
    assert r.next_steps[0].unblocks == (("aws", "aws-reliable"), ("azure", "azure-3"), ("google", "google-2"))
    # release-approval, monitoring and model-registry are met for every next rung: not in the plan
    assert not {"release-approval", "monitoring", "model-registry"} & {s.question_id for s in r.next_steps}


def test_scores_hand_worked(A, V):
    by_q = {}
    for q in A.questions:
        by_q.setdefault(q.quarter, []).append(q)
    answers = {q.id: 3 for q in by_q["devops"]}  # devops: all top -> 100
    answers.update({q.id: 1 for q in by_q["data"]})  # data: all 1 of 3 -> 33.3
    biz = by_q["business"]
    answers.update({biz[0].id: 3, biz[1].id: 3})  # business: 2 of 4 at top -> 50; models unanswered -> 0
    r = evaluate(A, V, answers)
    scores = {s.key: s.score for s in r.quarter_scores}
    assert scores == {"devops": 100.0, "data": 33.3, "models": 0.0, "business": 50.0}
    assert r.index == round((100 + 100 / 3 + 0 + 50) / 4, 1) == 45.8
    assert r.index_formula == INDEX_FORMULA and "mean of the quarter scores" in r.index_formula
    caps = {s.key: s for s in r.capability_scores}
    assert caps["Infrastructure as code"].score == 100.0  # iac and templates, both devops
    assert caps["Data pipelines"].score == 33.3
    assert caps["Business KPIs"].score == 100.0  # problem-framing and kpi-tracking both at 3
    assert caps["Team roles and collaboration"].n_answered == 0
    assert set(r.unanswered) == {q.id for q in by_q["models"]} | {q.id for q in biz[2:]}


def test_index_weighting_uses_the_real_question_counts(A, V):
    """7/4/8/4 questions per quarter, each quarter a quarter of the index: one question is worth
    25/7 = 3.57, 25/4 = 6.25, 25/8 = 3.125 (shown 3.13) and 6.25 index points at most."""
    r = evaluate(A, V, {})
    assert [(s.key, s.n_questions) for s in r.quarter_scores] == [("devops", 7), ("data", 4), ("models", 8), ("business", 4)]
    text = index_weighting(r, {"devops": "DevOps", "data": "Data", "models": "Models", "business": "Business"})
    assert text == (
        "Each of the 4 quarters counts for 25% of the index, however many questions it has "
        "(questions per quarter: DevOps 7, Data 4, Models 8, Business 4), so one question can move the index "
        "by at most 3.57 points in DevOps, 6.25 in Data, 3.13 in Models and 6.25 in Business."
    )
    # the claim holds: moving one data question from the first to the last answer moves the index by 6.25
    assert evaluate(A, V, {"data-pipeline": 3}).index == 6.2  # 6.25 rounded to one decimal (half to even)
    assert evaluate(A, V, {"monitoring": 3}).index == 3.1  # 3.125
    assert "devops 7" in index_weighting(r)  # ids when no labels are given


def test_index_weighting_two_quarters():
    from explorer.content.schema import Answer, Question

    def q(i, quarter):
        return Question(id=f"q{i}", quarter=quarter, capability="Cap", text=f"Q{i}?",
                        answers=[Answer(label=f"a{j}", description="d") for j in range(3)])

    a = Assessment(version=1, title="t", intro="i", questions=[q(1, "devops"), q(2, "data"), q(3, "data")])
    r = evaluate(a, [], {"q1": 2})
    assert r.index == 50.0  # devops 100, data 0: equal weight
    assert index_weighting(r, {"data": "Data"}) == (
        "Each of the 2 quarters counts for 50% of the index, however many questions it has "
        "(questions per quarter: devops 1, Data 2), so one question can move the index by at most "
        "50 points in devops and 25 in Data."
    )
    one = evaluate(a.model_copy(update={"questions": a.questions[:1]}), [], {})
    assert index_weighting(one).startswith("The one quarter counts for 100% of the index")


def test_unknown_ids_ignored_and_bad_indexes_rejected(A, V):
    r = evaluate(A, V, {"no-such-question": 2, "code-ci": 1})
    assert r.unknown == ("no-such-question",)
    assert r.answer_map["code-ci"] == 1
    assert r.given_answers == {"code-ci": 1}
    with pytest.raises(ValueError, match="code-ci"):
        evaluate(A, V, {"code-ci": 4})
    with pytest.raises(ValueError):
        evaluate(A, V, {"code-ci": -1})
    with pytest.raises(ValueError):
        evaluate(A, V, {"code-ci": True})
    with pytest.raises(ValueError):
        normalise_answers(A, {"code-ci": "2"})


def test_result_is_frozen_and_deterministic(A, V):
    r1 = evaluate(A, V, AZ2)
    r2 = evaluate(A, V, dict(reversed(list(AZ2.items()))))
    assert r1 == r2
    with pytest.raises((AttributeError, TypeError)):  # a frozen dataclass refuses the assignment
        r1.index = 3  # type: ignore[misc]


# --------------------------------------------------------------------------- synthetic ladder: first rung with requirements
def _synthetic():
    from explorer.content.schema import Answer, Question

    def q(i):
        return Question(
            id=f"q{i}", quarter="devops", capability="Cap", text=f"Q{i}?",
            answers=[Answer(label=f"a{j}", description="d") for j in range(3)],
        )

    a = Assessment(version=1, title="t", intro="i", questions=[q(1), q(2)])

    def lv(rank, reqs):
        return Level(
            id=f"x-{rank}", rank=rank, name=f"L{rank}", summary="s", details=["d"], automation=rank / 10,
            requires=[Requirement(question=k, at_least=n) for k, n in reqs],
            source_url="https://example.com", last_verified="2026-01-01",
        )

    v = Vendor(
        id="x", name="X", model_name="m", level_word="Level", color="#000000", summary="s",
        source_url="https://example.com", last_verified="2026-01-01",
        levels=[lv(1, [("q1", 1)]), lv(2, [("q2", 2)])],
    )
    return a, v


def test_below_the_first_rung():
    a, v = _synthetic()
    r = evaluate(a, [v], {})
    p = r.placements[0]
    assert p.current is None and p.current_index is None
    assert p.current_label == "below the first rung"
    assert p.next.level_id == "x-1"
    assert blockers(p) == [("q1", 0, 1)]
    r = evaluate(a, [v], {"q1": 1, "q2": 1})
    assert r.placements[0].current.level_id == "x-1"
    assert blockers(r.placements[0]) == [("q2", 1, 2)]


# --------------------------------------------------------------------------- charts
def test_radar_and_table(A, V):
    r = evaluate(A, V, AZ2)
    fig = radar_figure(r, by="quarter", labels={"devops": "DevOps"})
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)"
    assert fig.data[0].theta[0] == "DevOps" and fig.data[0].theta[-1] == "DevOps"  # closed polygon
    fig2 = radar_figure({"A": r, "B": evaluate(A, V, {})}, by="capability")
    assert len(fig2.data) == 2 and fig2.layout.showlegend
    t = scores_table(r, by="capability")
    assert len(t) == len(r.capability_scores) and "Score" in t.columns
    with pytest.raises(ValueError):
        radar_figure(r, by="nonsense")
