"""What an evaluation returns (:func:`explorer.assess.scoring.evaluate`): frozen results that pages,
exports, charts and tests share.

* :class:`Blocker` - one requirement of a rung that an answer does not meet (a :class:`QuestionGap`);
* :class:`LevelCheck` - a rung and whether its own requirements are met;
* :class:`VendorPlacement` - where an answer set stands on one vendor's ladder, and what holds it back;
* :class:`NextStep` - the answer to raise next, merged over the vendors' next rungs;
* :class:`Score` - a quarter's or a capability's score;
* :class:`AssessmentResult` - all of it for one answer set.

The rules they follow are in :mod:`explorer.assess.scoring_rules`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from explorer.assess.ladders import rung_title
from explorer.assess.scoring_rules import LADDER_RULE, NA_RULE, PLAN_RULE, UNANSWERED_RULE


@dataclass(frozen=True)
class QuestionGap:
    """A question whose answer stands below what a rung wants (the common part of :class:`Blocker`
    and :class:`NextStep`)."""

    question_id: str
    question: str
    quarter: str
    capability: str
    current_index: int
    current_label: str


@dataclass(frozen=True)
class Blocker(QuestionGap):
    """One requirement that is not met: the answer to ``question_id`` is below ``needed_index``."""

    needed_index: int
    needed_label: str
    answered: bool
    learn: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()
    not_applicable: bool = False  # the question was marked N/A and the requirement is not na_ok
    basis: str = ""  # the vendor text the requirement rests on (``Requirement.basis``)

    @property
    def gap(self) -> int:
        return self.needed_index - self.current_index


@dataclass(frozen=True)
class LevelCheck:
    """A rung and whether its *own* requirements are met (the ladder rule is applied in :class:`VendorPlacement`)."""

    level_id: str
    rank: int
    name: str
    met: bool
    unmet: tuple[Blocker, ...]
    n_requirements: int


@dataclass(frozen=True)
class VendorPlacement:
    vendor_id: str
    vendor_name: str
    level_word: str
    levels: tuple[LevelCheck, ...]  # bottom rung first
    current_index: int | None  # position in ``levels`` (0-based), None when even the first rung is not met
    blockers: tuple[Blocker, ...]  # unmet requirements of the next rung (empty at the top)

    @property
    def current(self) -> LevelCheck | None:
        return None if self.current_index is None else self.levels[self.current_index]

    @property
    def next(self) -> LevelCheck | None:
        i = 0 if self.current_index is None else self.current_index + 1
        return self.levels[i] if i < len(self.levels) else None

    @property
    def at_top(self) -> bool:
        return self.current_index is not None and self.current_index == len(self.levels) - 1

    @property
    def met_above(self) -> tuple[LevelCheck, ...]:
        """Rungs above the current one whose own requirements happen to be met (out of order)."""
        start = 0 if self.current_index is None else self.current_index + 1
        return tuple(lv for lv in self.levels[start:] if lv.met)

    @property
    def current_label(self) -> str:
        """'Phase 2: Repeatable', or 'below the first rung'."""
        return rung_title(self, self.current)

    @property
    def next_label(self) -> str:
        """The rung to reach next ('Phase 3: Reliable'), or 'top of the ladder'."""
        nxt = self.next
        return "top of the ladder" if nxt is None else rung_title(self, nxt)


@dataclass(frozen=True)
class NextStep(QuestionGap):
    """The answer to raise next: to ``target_index``, which moves every rung in ``unblocks``."""

    target_index: int
    target_label: str
    unblocks: tuple[tuple[str, str], ...]  # (vendor_id, level_id) of next rungs this question holds back
    learn: tuple[str, ...] = ()
    glossary: tuple[str, ...] = ()
    not_applicable: bool = False  # marked N/A, yet a next rung needs it

    @property
    def gap(self) -> int:
        return self.target_index - self.current_index


@dataclass(frozen=True)
class Score:
    key: str  # quarter id or capability name
    score: float | None  # 0-100 over the questions that apply; None when every question is marked N/A
    n_questions: int
    n_answered: int
    question_ids: tuple[str, ...]
    n_na: int = 0  # questions marked N/A (left out of the mean)


@dataclass(frozen=True)
class AssessmentResult:
    assessment_version: int
    answers: tuple[tuple[str, int], ...]  # effective answer of every question, questionnaire order (unanswered and N/A -> 0)
    placements: tuple[VendorPlacement, ...]
    next_steps: tuple[NextStep, ...]  # the whole ordered plan; show the first few
    quarter_scores: tuple[Score, ...]
    capability_scores: tuple[Score, ...]
    index: float
    index_formula: str
    unanswered: tuple[str, ...]
    unknown: tuple[str, ...] = ()
    rules: tuple[str, ...] = field(default=(LADDER_RULE, UNANSWERED_RULE, NA_RULE, PLAN_RULE))
    not_applicable: tuple[str, ...] = ()  # questions marked N/A, questionnaire order

    @property
    def answer_map(self) -> dict[str, int]:
        return dict(self.answers)

    @property
    def given_answers(self) -> dict[str, int]:
        """Only the answers the user actually gave (not unanswered, not N/A)."""
        skipped = set(self.unanswered) | set(self.not_applicable)
        return {q: i for q, i in self.answers if q not in skipped}

    def placement(self, vendor_id: str) -> VendorPlacement | None:
        return next((p for p in self.placements if p.vendor_id == vendor_id), None)

    def short_plan(self, n: int = 5) -> tuple[NextStep, ...]:
        return self.next_steps[:n]
