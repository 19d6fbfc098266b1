"""A small questionnaire and two small ladders built in code, for hand-worked tests (issue 12).

The shipped ladders (content/maturity/*.yaml) are being re-derived in parallel, so tests of the N/A
rule, the workshop consensus, the plan and the report build their own content here and work every
expected value out by hand against it.

Questionnaire (4 answers each, index 0-3):
    ci      devops  "Source control and CI"
    deploy  devops  "Deployment"
    store   data    "Feature store"      allow_na (reason: raw inputs)
    monitor models  "Monitoring"
    team    models  "Team"               allow_na (reason: one person)

Ladder "alpha" (Phase, ranks 1-3):
    a1 requires nothing
    a2 requires ci >= 2, store >= 1
    a3 requires deploy >= 3, monitor >= 2
Ladder "beta" (Level, ranks 0-2):
    b0 requires nothing
    b1 requires ci >= 1, team >= 2 (na_ok on team: the vendor makes it optional)
    b2 requires store >= 3, monitor >= 3
"""

from __future__ import annotations

import datetime as dt

from explorer.content.schema import Answer, Assessment, Level, Question, Requirement, Vendor

DAY = dt.date(2026, 11, 26)


def _q(qid: str, quarter: str, capability: str, na_reason: str = "") -> Question:
    return Question(
        id=qid, quarter=quarter, capability=capability, text=f"How is {qid} done?",
        answers=[Answer(label=f"{qid} level {i}", description=f"{qid} practice at level {i}.") for i in range(4)],
        learn=[f"notes-{qid}#section-{qid}"],
        allow_na=bool(na_reason), na_reason=na_reason,
    )


def mini_assessment() -> Assessment:
    return Assessment(
        version=1, title="Mini", intro="A small questionnaire for tests.",
        questions=[
            _q("ci", "devops", "Source control and CI"),
            _q("deploy", "devops", "Deployment"),
            _q("store", "data", "Feature store", "The models use raw inputs only."),
            _q("monitor", "models", "Monitoring"),
            _q("team", "models", "Team", "One person does everything."),
        ],
    )


def _level(lid: str, rank: int, automation: float, requires: list[Requirement], notes: list[str] | None = None) -> Level:
    return Level(
        id=lid, rank=rank, name=f"Rung {lid}", summary=f"Summary of {lid}.", details=[f"Detail of {lid}."],
        automation=automation, changes=[f"{lid} adds something."], requires=requires,
        source_url=f"https://example.com/{lid}", last_verified=DAY, notes=notes or [f"ladder-notes#{lid}"],
    )


def mini_vendors() -> list[Vendor]:
    alpha = Vendor(
        id="alpha", name="Alpha Cloud", model_name="Alpha model", level_word="Phase", color="#3366CC",
        summary="Alpha ladder.", source_url="https://example.com/alpha", last_verified=DAY,
        levels=[
            _level("a1", 1, 0.1, []),
            _level("a2", 2, 0.5, [Requirement(question="ci", at_least=2), Requirement(question="store", at_least=1)]),
            _level("a3", 3, 0.9, [Requirement(question="deploy", at_least=3), Requirement(question="monitor", at_least=2)]),
        ],
    )
    beta = Vendor(
        id="beta", name="Beta Cloud", model_name="Beta model", level_word="Level", color="#DC3912",
        summary="Beta ladder.", source_url="https://example.com/beta", last_verified=DAY,
        levels=[
            _level("b0", 0, 0.0, []),
            _level("b1", 1, 0.4, [Requirement(question="ci", at_least=1), Requirement(question="team", at_least=2, na_ok=True)]),
            _level("b2", 2, 0.8, [Requirement(question="store", at_least=3), Requirement(question="monitor", at_least=3)]),
        ],
    )
    return [alpha, beta]
