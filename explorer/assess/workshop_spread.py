"""Where a workshop's participants disagree (issue 12): each question's answers as positions on one
scale, their spread, and the questions ordered by disagreement.

Rules (also in ``docs/assessment-rules.md``)
--------------------------------------------
* **Positions.** For a question, each participant's response is a position on one ordinal scale:
  the answer index ``0 .. k-1``, and ``-1`` for "does not apply" (N/A sorts *below* the first
  answer because on the ladders an N/A never meets a requirement).  An unanswered question is no
  response: it is left out of that question's statistics and counted in ``n_unanswered``.
* **Consensus answer** of a question = the *lower median* of its positions (:func:`lower_median`:
  with an even number of responses, the lower of the two middle ones, so the consensus never
  claims more than half the team reported).  Position ``-1`` makes the consensus N/A; a question
  nobody answered has none.
* **Spread** of a question: minimum and maximum position, range = max - min, quartiles by linear
  interpolation between order statistics (``statistics.quantiles(..., method="inclusive")``;
  one response: both quartiles equal it) and IQR = Q3 - Q1, and the count of each answer.
  ``relative_range`` = range / (answers - 1), ``relative_iqr`` likewise, so questions with
  different numbers of answers compare.
* **Disagreement order** (:func:`disagreements`): questions whose range is above zero, largest
  ``relative_range`` first, then largest ``relative_iqr`` (a team split down the middle before one
  outlier), then questionnaire order (ties keep the questionnaire's order).
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from explorer.assess.evidence import AnswerSet
from explorer.content.schema import Question

NA_POSITION = -1
SPREAD_RULE = (
    "Spread = highest minus lowest answer ('does not apply' counts as one below the first answer), divided by the "
    "number of answer steps; questions with the widest spread come first, then the widest middle half (IQR), "
    "then questionnaire order."
)


def lower_median(values: Sequence[int]) -> int:
    """The lower median of a non-empty sequence (an element of it: no averaging of ordinal answers)."""
    s = sorted(values)
    return s[(len(s) - 1) // 2]


def quartiles(values: Sequence[int]) -> tuple[float, float]:
    """(Q1, Q3) by linear interpolation between order statistics; one value: (v, v)."""
    if len(values) == 1:
        return float(values[0]), float(values[0])
    q = statistics.quantiles(values, n=4, method="inclusive")
    return float(q[0]), float(q[2])


@dataclass(frozen=True)
class QuestionSpread:
    question_id: str
    question: str
    quarter: str
    capability: str
    answer_labels: tuple[str, ...]
    allow_na: bool
    counts: tuple[int, ...]  # participants per answer index
    n_na: int
    n_unanswered: int
    consensus: int | None  # lower-median position: answer index, NA_POSITION, or None (nobody responded)
    min: int | None
    max: int | None
    q1: float | None
    q3: float | None
    names_by_answer: tuple[tuple[str, ...], ...]  # named participants per answer index
    names_na: tuple[str, ...]
    notes: tuple[tuple[str, str], ...]  # (name or "", note)

    @property
    def n_responses(self) -> int:
        return sum(self.counts) + self.n_na

    @property
    def range(self) -> int:
        return 0 if self.min is None or self.max is None else self.max - self.min

    @property
    def iqr(self) -> float:
        return 0.0 if self.q1 is None or self.q3 is None else self.q3 - self.q1

    @property
    def steps(self) -> int:
        return len(self.answer_labels) - 1

    @property
    def relative_range(self) -> float:
        return self.range / self.steps

    @property
    def relative_iqr(self) -> float:
        return self.iqr / self.steps

    def label(self, position: int | None) -> str:
        if position is None:
            return "(no answer)"
        if position == NA_POSITION:
            return "Does not apply (N/A)"
        return self.answer_labels[position]

    @property
    def consensus_label(self) -> str:
        return self.label(self.consensus)


def position(aset: AnswerSet, qid: str) -> int | None:
    """One participant's position on a question: the answer index, :data:`NA_POSITION`, or None (unanswered)."""
    if qid in aset.na:
        return NA_POSITION
    return aset.answers.get(qid)


def question_spread(q: Question, sets: Sequence[AnswerSet], display: Sequence[str]) -> QuestionSpread:
    """The spread of the participants' answers to ``q`` (``display``: each one's shown name, "" if anonymous)."""
    k = len(q.answers)
    counts = [0] * k
    names: list[list[str]] = [[] for _ in range(k)]
    names_na: list[str] = []
    n_na = n_un = 0
    pos: list[int] = []
    notes: list[tuple[str, str]] = []
    for s, who in zip(sets, display):
        p = position(s, q.id)
        if q.id in s.notes:
            notes.append((who, s.notes[q.id]))
        if p is None:
            n_un += 1
            continue
        pos.append(p)
        if p == NA_POSITION:
            n_na += 1
            if who:
                names_na.append(who)
        else:
            counts[p] += 1
            if who:
                names[p].append(who)
    if pos:
        med: int | None = lower_median(pos)
        q1, q3 = quartiles(pos)
        lo, hi = min(pos), max(pos)
    else:
        med, q1, q3, lo, hi = None, None, None, None, None
    return QuestionSpread(
        question_id=q.id, question=q.text, quarter=q.quarter, capability=q.capability,
        answer_labels=tuple(a.label for a in q.answers), allow_na=q.allow_na, counts=tuple(counts),
        n_na=n_na, n_unanswered=n_un, consensus=med, min=lo, max=hi, q1=q1, q3=q3,
        names_by_answer=tuple(tuple(n) for n in names), names_na=tuple(names_na), notes=tuple(notes),
    )


def disagreements(spreads: Sequence[QuestionSpread]) -> list[QuestionSpread]:
    """The questions with a range above zero, most disagreement first (rules in the module docstring)."""
    order = {s.question_id: i for i, s in enumerate(spreads)}
    return sorted(
        (s for s in spreads if s.range > 0),
        key=lambda s: (-s.relative_range, -s.relative_iqr, order[s.question_id]),
    )


def counts_table(spread: QuestionSpread) -> list[tuple[str, int, tuple[str, ...]]]:
    """(answer label, how many, named participants) per answer, N/A last when the question allows it."""
    rows = [(lab, c, n) for lab, c, n in zip(spread.answer_labels, spread.counts, spread.names_by_answer)]
    if spread.allow_na:
        rows.append(("Does not apply (N/A)", spread.n_na, spread.names_na))
    return rows
