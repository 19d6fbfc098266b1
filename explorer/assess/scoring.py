"""Pure scoring of the self-assessment (issue 4): :func:`evaluate` places an answer set on every vendor
ladder (:mod:`explorer.assess.placement`), merges what holds it back into next steps, and scores the
quarters, the capabilities and the index; :func:`index_weighting` says in words what the index weighs.

Nothing here reads files or imports Streamlit: the functions take validated content models
(:mod:`explorer.content.schema`) and plain answers, and return the frozen results of
:mod:`explorer.assess.scoring_results`.  The rules, in words and as the texts the user sees, are in
:mod:`explorer.assess.scoring_rules`; the ML Test Score is scored in :mod:`explorer.assess.mlts`.
This module is also the one import for callers: it hands on the rule texts, the result types, the
placement of many answer sets at once and the ML Test Score (``__all__``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from explorer.assess.mlts import MLTS_MARKS, MLTestScoreResult, band_for, ml_test_score
from explorer.assess.placement import Answered, normalise_answers, normalise_na, place, question_map, rung_positions
from explorer.assess.scoring_results import AssessmentResult, Blocker, NextStep, Score, VendorPlacement
from explorer.assess.scoring_rules import (
    INDEX_FORMULA,
    LADDER_RULE,
    NA_CURRENT_LABEL,
    NA_RULE,
    PLAN_RULE,
    SCORE_FORMULA,
    UNANSWERED_RULE,
)
from explorer.content.schema import Assessment, Question, Vendor

__all__ = [
    "INDEX_FORMULA", "LADDER_RULE", "MLTS_MARKS", "NA_CURRENT_LABEL", "NA_RULE", "PLAN_RULE", "SCORE_FORMULA",
    "UNANSWERED_RULE",
    "AssessmentResult", "Blocker", "MLTestScoreResult", "Score", "VendorPlacement",
    "band_for", "evaluate", "index_weighting", "ml_test_score", "normalise_answers", "rung_positions",
]


def _points(x: float) -> str:
    """Index points with at most two decimals, halves rounded up (6.25 -> "6.25", 3.125 -> "3.13")."""
    from decimal import ROUND_HALF_UP, Decimal

    text = str(Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".")


def index_weighting(result: AssessmentResult, labels: Mapping[str, str] | None = None) -> str:
    """Say in words how the index weighs the quarters, from the real question counts.

    Every quarter weighs the same in the index, so one question's share of the index is
    ``100 / (number of quarters × questions in its quarter)`` points: a question in a small
    quarter moves the index more than one in a large quarter.
    """
    quarters = [s for s in result.quarter_scores if s.n_questions]
    if not quarters:
        return "The index has no questions to weigh."
    labels = labels or {}
    name = [labels.get(s.key, s.key) for s in quarters]
    counts = ", ".join(f"{n} {s.n_questions}" for n, s in zip(name, quarters))
    share = f"{100 / len(quarters):g}%"
    worth = [f"{_points(100 / (len(quarters) * s.n_questions))} in {n}" for n, s in zip(name, quarters)]
    worth[0] = worth[0].replace(" in ", " points in ", 1)
    listed = worth[0] if len(worth) == 1 else ", ".join(worth[:-1]) + " and " + worth[-1]
    who = f"Each of the {len(quarters)} quarters counts" if len(quarters) > 1 else "The one quarter counts"
    return (
        f"{who} for {share} of the index, however many questions it has "
        f"(questions per quarter: {counts}), so one question can move the index by at most {listed}."
    )


def _raw_score(qs: Sequence[Question], effective: Mapping[str, int], na: frozenset[str] = frozenset()) -> float | None:
    applies = [q for q in qs if q.id not in na]
    if not applies:
        return None
    return 100 * sum(effective[q.id] / (len(q.answers) - 1) for q in applies) / len(applies)


def _scores(
    groups: dict[str, list[Question]], effective: Mapping[str, int], unanswered: frozenset[str], na: frozenset[str] = frozenset()
) -> tuple[Score, ...]:
    out = []
    for key, qs in groups.items():
        raw = _raw_score(qs, effective, na)
        out.append(
            Score(
                key=key,
                score=None if raw is None else round(raw, 1),
                n_questions=len(qs),
                n_answered=sum(q.id not in unanswered and q.id not in na for q in qs),
                question_ids=tuple(q.id for q in qs),
                n_na=sum(q.id in na for q in qs),
            )
        )
    return tuple(out)


def _plan(placements: Sequence[VendorPlacement], qmap: Mapping[str, Question], order: Mapping[str, int]) -> tuple[NextStep, ...]:
    merged: dict[str, list[tuple[str, str, Blocker]]] = {}
    for p in placements:
        nxt = p.next
        if nxt is None:
            continue
        for b in p.blockers:
            if b.question_id in qmap:
                merged.setdefault(b.question_id, []).append((p.vendor_id, nxt.level_id, b))
    steps = []
    for qid, items in merged.items():
        q = qmap[qid]
        target = min(max(b.needed_index for _, _, b in items), len(q.answers) - 1)
        first = items[0][2]
        steps.append(
            NextStep(
                question_id=qid,
                question=q.text,
                quarter=q.quarter,
                capability=q.capability,
                current_index=first.current_index,
                current_label=first.current_label,
                target_index=target,
                target_label=q.answers[target].label,
                unblocks=tuple((v, lv) for v, lv, _ in items),
                learn=tuple(q.learn),
                glossary=tuple(q.glossary),
                not_applicable=first.not_applicable,
            )
        )
    steps.sort(key=lambda s: (-len(s.unblocks), s.gap, order[s.question_id]))
    return tuple(steps)


# --------------------------------------------------------------------------- the entry point
def evaluate(
    assessment: Assessment, vendors: Sequence[Vendor], answers: Mapping[str, int], na: Iterable[str] = ()
) -> AssessmentResult:
    """Place an answer set on every vendor ladder and score it.  Pure and deterministic.

    ``na``: ids of questions marked "does not apply" (see :data:`NA_RULE`).
    """
    na_set, na_unknown = normalise_na(assessment, na, answers)
    effective, unanswered, unknown = normalise_answers(assessment, answers)
    if na_set:
        unanswered = tuple(q for q in unanswered if q not in na_set)
    if na_unknown:
        unknown = tuple(sorted(set(unknown) | set(na_unknown)))
    skipped = frozenset(unanswered)
    qmap = question_map(assessment)
    order = {q.id: i for i, q in enumerate(assessment.questions)}
    answered = Answered(qmap, effective, skipped, frozenset(na_set))
    placements = tuple(place(v, answered) for v in vendors)

    by_quarter: dict[str, list[Question]] = {}
    by_capability: dict[str, list[Question]] = {}
    for q in assessment.questions:
        by_quarter.setdefault(q.quarter, []).append(q)
        by_capability.setdefault(q.capability, []).append(q)
    quarter_scores = _scores(by_quarter, effective, skipped, na_set)
    capability_scores = _scores(by_capability, effective, skipped, na_set)
    raw = [r for r in (_raw_score(qs, effective, na_set) for qs in by_quarter.values()) if r is not None]
    index = round(sum(raw) / len(raw), 1) if raw else 0.0  # from unrounded quarter scores

    return AssessmentResult(
        assessment_version=assessment.version,
        answers=tuple((q.id, effective[q.id]) for q in assessment.questions),
        placements=placements,
        next_steps=_plan(placements, qmap, order),
        quarter_scores=quarter_scores,
        capability_scores=capability_scores,
        index=index,
        index_formula=INDEX_FORMULA,
        unanswered=unanswered,
        unknown=unknown,
        not_applicable=tuple(q.id for q in assessment.questions if q.id in na_set),
    )
