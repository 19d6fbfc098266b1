"""Pure scoring of the self-assessment (issue 4) and of the ML Test Score.

Nothing here reads files or imports Streamlit: the functions take validated
content models (:mod:`explorer.content.schema`) and plain answers, and return frozen
dataclasses that pages, exports and tests share.

Rules (also shown to the user by the page, see :data:`LADDER_RULE` etc.)
-------------------------------------------------------------------------
* **Answers** are ``{question_id: answer_index}``; index 0 is the weakest
  answer.  A question that is missing from the dict is *unanswered* and counts
  as index 0 everywhere (it is listed in :attr:`AssessmentResult.unanswered`).
  Ids that are not in the questionnaire are ignored and listed in
  :attr:`AssessmentResult.unknown`.  An index outside a question's answers is a
  programming error and raises :class:`ValueError`.
* **Ladder**: a level's own requirements are met when every
  ``Requirement(question, at_least)`` has ``answer >= at_least``.  You stand on
  the highest rung whose requirements, *and those of every rung below*, are
  met.  If the first rung's own requirements are not met you stand on no rung
  (``current is None``); in the shipped content the first rung of every ladder
  requires nothing, so everyone stands at least on it.
* **Does not apply (N/A)**: a question whose content sets ``allow_na`` may be
  marked N/A (``evaluate(..., na=...)``); see :data:`NA_RULE`.  An N/A question
  leaves the averages: a quarter or capability score is the mean over its
  questions that apply (``None`` when none applies) and the index is the mean
  of the quarter scores that exist.  On the ladders N/A never meets a
  requirement, unless the ladder file marks that requirement ``na_ok: true``
  because the vendor's own text makes the capability optional for that rung
  (none does in the shipped content).  So N/A can lower a placement compared
  with any real answer that meets the requirement, and can never raise it:
  it cannot make a team look more mature than it is.  The blocker it causes
  says so (``Blocker.not_applicable``).  N/A on a question without
  ``allow_na``, or on a question that is also answered, is a programming error
  (:class:`ValueError`); :func:`explorer.assess.evidence.make_answer_set` turns such
  user input into warnings first.
* **Blockers** for a vendor are exactly the unmet requirements of the next rung
  (every rung below it is met by definition of the current rung).
* **Next steps** merge the blockers of all vendors' next rungs by question: the
  target answer is the highest one any of those rungs needs.  Steps are ordered
  by the number of next rungs the question blocks (more first), then by the gap
  between current and target answer (smaller first: quick wins), then by
  questionnaire order.
* **Scores** are 0-100: the mean, over the questions of a quarter or
  capability, of ``answer_index / (number_of_answers - 1)``, times 100.
* **Index** (0-100): the mean of the quarter scores, each quarter weighing the
  same (the course's 25% rule), see :data:`INDEX_FORMULA`; :func:`index_weighting`
  says what that means per question with the real question counts.
* **ML Test Score** (2017 paper): a test earns 0, 0.5 (manual, documented) or
  1 (automated, repeated); section sum = total of its tests; final score = the
  minimum section sum; the band is the first band with ``above < final <=
  up_to``.  Unmarked tests count as 0.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from explorer.assess.ladders import rung_title
from explorer.content.schema import Assessment, Level, MLTestScore, Question, Vendor

LADDER_RULE = (
    "You stand on the highest rung whose requirements, and those of every rung below it, are met. "
    "The first rung of each ladder requires nothing, so everyone stands at least on it."
)
UNANSWERED_RULE = "A question you have not answered counts as its first (weakest) answer."
SCORE_FORMULA = (
    "score = 100 × mean over its questions that apply of (answer position ÷ (number of answers − 1)), "
    "first answer = position 0"
)
INDEX_FORMULA = (
    "index = mean of the quarter scores, each quarter weighing the same; "
    "quarter score = 100 × mean over the quarter's questions that apply of (answer position ÷ (number of answers − 1))"
)
NA_RULE = (
    "A question marked 'does not apply' leaves the averages (scores and index are taken over the questions that apply). "
    "On the ladders it never meets a requirement: a rung that needs that question stays out of reach, unless the "
    "ladder marks that requirement as optional because the vendor's own text does."
)
NA_CURRENT_LABEL = "Does not apply (marked N/A)"
PLAN_RULE = (
    "Steps are ordered by how many vendors' next rungs the question holds back (most first), "
    "then by how many answer steps you need to climb (fewest first)."
)
MLTS_MARKS: dict[float, str] = {0.0: "Not done", 0.5: "Manual, documented", 1.0: "Automated, repeated"}


# --------------------------------------------------------------------------- results
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


# --------------------------------------------------------------------------- helpers
def _question_map(assessment: Assessment) -> dict[str, Question]:
    return {q.id: q for q in assessment.questions}


def normalise_answers(assessment: Assessment, answers: Mapping[str, int]) -> tuple[dict[str, int], tuple[str, ...], tuple[str, ...]]:
    """Return (effective answers for every question, unanswered ids, unknown ids).

    Raises ValueError when an index is not an int in range for its question.
    """
    qmap = _question_map(assessment)
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
    qmap = _question_map(assessment)
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


# --------------------------------------------------------------------------- public entry points
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
    qmap = _question_map(assessment)
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


def rung_positions(
    assessment: Assessment, vendors: Sequence[Vendor], answers: Mapping[str, int], na: Iterable[str] = ()
) -> tuple[int | None, ...]:
    """Only the current rung of each vendor (index into its levels, None below the first rung), by
    exactly the rules of :func:`evaluate`, without blockers, scores or plan: for many answer sets at
    once (a workshop).  Raises ValueError like :func:`evaluate`."""
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


# --------------------------------------------------------------------------- ML Test Score
@dataclass(frozen=True)
class SectionScore:
    section_id: str
    name: str
    total: float  # 0 .. number of tests
    max_total: int
    n_automated: int
    n_manual: int
    n_none: int  # not done or not marked


@dataclass(frozen=True)
class MLTestScoreResult:
    sections: tuple[SectionScore, ...]
    final: float  # minimum of the section totals
    band_label: str
    band_meaning: str
    weakest: tuple[str, ...]  # section ids whose total equals the final score
    weakest_names: tuple[str, ...]
    unmarked: tuple[str, ...]  # test ids without a mark (counted as 0)
    unknown: tuple[str, ...] = ()  # marks for ids not in the rubric (ignored)

    @property
    def marks_total(self) -> float:
        return sum(s.total for s in self.sections)


def _valid_mark(test_id: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in MLTS_MARKS:
        raise ValueError(f"mark for test {test_id!r} must be 0, 0.5 or 1, got {value!r}")
    return float(value)


def band_for(mts: MLTestScore, score: float) -> tuple[str, str]:
    """(label, meaning) of the band holding ``score`` (above < score <= up_to)."""
    for band in mts.bands:
        if score > band.above and (band.up_to is None or score <= band.up_to):
            return band.label, band.meaning
    return "Outside the bands", "The score falls outside every band of the rubric."


def ml_test_score(mts: MLTestScore, marks: Mapping[str, float]) -> MLTestScoreResult:
    """Score the 2017 ML Test Score rubric: section sums, final = minimum, band and weakest section(s)."""
    known = {t.id for s in mts.sections for t in s.tests}
    unknown = tuple(sorted(k for k in marks if k not in known))
    sections: list[SectionScore] = []
    unmarked: list[str] = []
    for s in mts.sections:
        total = 0.0
        n_auto = n_manual = n_none = 0
        for t in s.tests:
            if t.id not in marks or marks[t.id] is None:
                unmarked.append(t.id)
                n_none += 1
                continue
            v = _valid_mark(t.id, marks[t.id])
            total += v
            if v == 1.0:
                n_auto += 1
            elif v == 0.5:
                n_manual += 1
            else:
                n_none += 1
        sections.append(SectionScore(s.id, s.name, total, len(s.tests), n_auto, n_manual, n_none))
    final = min(s.total for s in sections)
    weakest = tuple(s for s in sections if s.total == final)
    label, meaning = band_for(mts, final)
    return MLTestScoreResult(
        sections=tuple(sections),
        final=final,
        band_label=label,
        band_meaning=meaning,
        weakest=tuple(s.section_id for s in weakest),
        weakest_names=tuple(s.name for s in weakest),
        unmarked=tuple(unmarked),
        unknown=unknown,
    )
