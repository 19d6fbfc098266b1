"""Multiple-choice quizzes drawn from the content's facts (:mod:`explorer.study.cards`), and grading."""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from explorer.routes import Link
from explorer.study.cards import Fact, content_facts


@dataclass(frozen=True)
class QuizQuestion:
    id: str  # same id as the card the question comes from
    category: str
    prompt: str
    options: tuple[str, ...]
    answer: int  # index into options
    explanation: str
    source: Link
    note: Link | None = None

    @property
    def correct_option(self) -> str:
        return self.options[self.answer]


def _question(fact: Fact, rng: random.Random, n_options: int) -> QuizQuestion | None:
    if not fact.mcq_prompt:
        return None
    need = n_options - 1
    primary = list(fact.primary)
    rng.shuffle(primary)
    chosen = primary[:need]
    if len(chosen) < need:
        rest = [s for s in fact.secondary if s not in chosen and s != fact.mcq_answer]
        rng.shuffle(rest)
        chosen += rest[: need - len(chosen)]
    if len(chosen) < 2:  # at least three options, or it is not a question
        return None
    options = [fact.mcq_answer, *chosen]
    rng.shuffle(options)
    c = fact.card
    expl = c.explanation if c.explanation != fact.mcq_answer else c.back
    return QuizQuestion(c.id, c.category, fact.mcq_prompt, tuple(options), options.index(fact.mcq_answer), expl,
                        c.source, c.note)


def generate_quiz(
    content: Any,
    n: int = 10,
    seed: int = 0,
    categories: Iterable[str] | None = None,
    n_options: int = 4,
) -> list[QuizQuestion]:
    """``n`` multiple-choice questions (fewer if the content has fewer), identical for the same seed.

    Wrong options come from the same category: rungs of the same ladder, issuers, other trends,
    quarters, tiers, related glossary terms first.  Questions are spread over the categories.
    """
    wanted = set(categories) if categories else None
    rng = random.Random(seed)
    pool: dict[str, list[Fact]] = {}
    for f in content_facts(content):
        if f.mcq_prompt and (wanted is None or f.card.category in wanted):
            pool.setdefault(f.card.category, []).append(f)
    for facts in pool.values():
        rng.shuffle(facts)
    questions: list[QuizQuestion] = []
    cats = sorted(pool)
    rng.shuffle(cats)
    while len(questions) < n and any(pool.values()):
        for cat in cats:
            if len(questions) >= n:
                break
            while pool[cat]:
                q = _question(pool[cat].pop(), rng, max(3, n_options))
                if q is not None:
                    questions.append(q)
                    break
    return questions


@dataclass(frozen=True)
class GradedQuestion:
    question: QuizQuestion
    chosen: int | None
    correct: bool


@dataclass(frozen=True)
class QuizResult:
    items: tuple[GradedQuestion, ...]

    @property
    def score(self) -> int:
        return sum(1 for i in self.items if i.correct)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def percent(self) -> float:
        return 100.0 * self.score / self.total if self.total else 0.0

    @property
    def wrong_ids(self) -> list[str]:
        return [i.question.id for i in self.items if not i.correct]


def grade_quiz(questions: Sequence[QuizQuestion], answers: Mapping[str, int | None]) -> QuizResult:
    """Grade chosen option indexes (question id -> index; missing / None / out of range = wrong)."""
    items = []
    for q in questions:
        chosen = answers.get(q.id)
        valid = isinstance(chosen, int) and not isinstance(chosen, bool) and 0 <= chosen < len(q.options)
        items.append(GradedQuestion(q, chosen if valid else None, bool(valid and chosen == q.answer)))
    return QuizResult(tuple(items))


