"""Placing an answer set on a vendor's ladder: the answers as the rules read them (:class:`Answered`,
:func:`normalise_answers`, :func:`normalise_na`), each rung's own requirements checked
(:func:`check_level`: its unmet requirements are the blockers, each a
:class:`~explorer.assess.scoring_results.Blocker`), and the rung the answers stand on (:func:`place`;
:func:`rung_positions` for many answer sets at once).

The ladder rule and what "does not apply" does on a ladder are in :mod:`explorer.assess.scoring_rules`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from explorer.assess.scoring_results import Blocker, LevelCheck, VendorPlacement
from explorer.assess.scoring_rules import NA_CURRENT_LABEL
from explorer.content.schema import Assessment, Level, Question, Vendor


def question_map(assessment: Assessment) -> dict[str, Question]:
    return {q.id: q for q in assessment.questions}


def normalise_answers(assessment: Assessment, answers: Mapping[str, int]) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...]]:
    """Return (effective answers for every question, unanswered ids, unknown ids).

    Raises ValueError when an index is not an int in range for its question.
    """
    qmap = question_map(assessment)
    unknown = tuple(sorted(k for k in answers if k not in qmap))
    effective: dict[str, int] = {}
    unanswered: list[str] = []
    for q in assessment.questions:
        if q.id not in answers or answers[q.id] is None:
            unanswered.append(q.id)
            effective[q.id] = 0
            continue
        value = answers[q.id]
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"answer to {q.id!r} must be an integer index, got {value!r}")
        if not 0 <= value < len(q.answers):
            raise ValueError(f"answer to {q.id!r} is {value}, but the question has answers 0-{len(q.answers) - 1}")
        effective[q.id] = value
    return effective, tuple(unanswered), unknown


def normalise_na(assessment: Assessment, na: Iterable[str], answers: Mapping[str, int]) -> tuple[frozenset[str], tuple[str, ...]]:
    """Return (N/A question ids, unknown ids).  Raises ValueError for N/A on a question without
    ``allow_na`` or on a question that is also answered (programming errors: see
    :func:`explorer.assess.evidence.make_answer_set` for user input)."""
    if isinstance(na, str):
        raise ValueError("na must be a collection of question ids, not one string")
    qmap = question_map(assessment)
    out: set[str] = set()
    unknown: list[str] = []
    for qid in na:
        q = qmap.get(qid)
        if q is None:
            unknown.append(qid)
        elif not q.allow_na:
            raise ValueError(f"question {qid!r} does not allow 'does not apply'")
        elif answers.get(qid) is not None:
            raise ValueError(f"question {qid!r} is both answered and marked 'does not apply'")
        else:
            out.add(qid)
    return frozenset(out), tuple(sorted(set(unknown)))


def _blocker(q: Question, current: int, needed: int, answered: bool, not_applicable: bool = False, basis: str = "") -> Blocker:
    needed_clamped = min(needed, len(q.answers) - 1)
    return Blocker(
        question_id=q.id,
        question=q.text,
        quarter=q.quarter,
        capability=q.capability,
        current_index=current,
        current_label=NA_CURRENT_LABEL if not_applicable else q.answers[current].label,
        needed_index=needed,
        needed_label=q.answers[needed_clamped].label,
        answered=answered,
        learn=tuple(q.learn),
        glossary=tuple(q.glossary),
        not_applicable=not_applicable,
        basis=basis,
    )


@dataclass(frozen=True)
class Answered:
    """The answers as the rules read them: questions by id, the effective answer per question (first
    answer when unanswered), which were left unanswered and which are marked "does not apply"."""

    qmap: Mapping[str, Question]
    effective: Mapping[str, int]
    unanswered: frozenset[str] = frozenset()
    na: frozenset[str] = frozenset()


def check_level(level: Level, answered: Answered) -> LevelCheck:
    """Check one rung's own requirements.

    A requirement on a question that does not exist can never be met (the
    validator reports it; here it blocks the rung rather than being skipped).
    A requirement on a question marked N/A is met only when it is ``na_ok``.
    """
    qmap, effective, unanswered, na = answered.qmap, answered.effective, answered.unanswered, answered.na
    unmet: list[Blocker] = []
    for req in level.requires:
        q = qmap.get(req.question)
        if q is None:
            unmet.append(
                Blocker(req.question, f"(unknown question {req.question!r})", "", "", 0, "", req.at_least, "", False)
            )
            continue
        if q.id in na:
            if not req.na_ok:
                unmet.append(_blocker(q, 0, req.at_least, True, not_applicable=True, basis=req.basis))
            continue
        current = effective.get(q.id, 0)
        if current < req.at_least:
            unmet.append(_blocker(q, current, req.at_least, q.id not in unanswered, basis=req.basis))
    return LevelCheck(level.id, level.rank, level.name, not unmet, tuple(unmet), len(level.requires))


def place(vendor: Vendor, answered: Answered) -> VendorPlacement:
    checks = tuple(check_level(lv, answered) for lv in vendor.levels)
    current: int | None = None
    for i, chk in enumerate(checks):
        if not chk.met:
            break
        current = i
    nxt = 0 if current is None else current + 1
    blockers = checks[nxt].unmet if nxt < len(checks) else ()
    return VendorPlacement(vendor.id, vendor.name, vendor.level_word, checks, current, blockers)


def rung_positions(
    assessment: Assessment, vendors: Sequence[Vendor], answers: Mapping[str, int], na: Iterable[str] = ()
) -> tuple[int | None, ...]:
    """Only the current rung of each vendor (index into its levels, None below the first rung), by
    exactly the rules of :func:`explorer.assess.scoring.evaluate`, without blockers, scores or plan: for many answer sets at
    once (a workshop).  Raises ValueError like :func:`~explorer.assess.scoring.evaluate`."""
    na_set, _ = normalise_na(assessment, na, answers)
    effective, _, _ = normalise_answers(assessment, answers)
    out: list[int | None] = []
    for v in vendors:
        current: int | None = None
        for i, lv in enumerate(v.levels):
            met = all(
                (req.na_ok if req.question in na_set else effective.get(req.question, -1) >= req.at_least)
                for req in lv.requires
            )
            if not met:
                break
            current = i
        out.append(current)
    return tuple(out)
