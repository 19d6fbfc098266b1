"""Workshop mode (issue 12): several people's answer sets, their consensus and where they disagree.

* :mod:`explorer.assess.workshop_entries` - who takes part: pasted share links, workshop links and
  result files read into participants, one status per entry, and their names;
* :mod:`explorer.assess.workshop_spread` - each question's answers as positions, their spread, the
  consensus answer (lower median) and the order of disagreement;
* this module - the workshop as a whole (:func:`compute_workshop`): the consensus answer set placed
  on the ladders, beside the median of individual placements; who answered what
  (:func:`answer_matrix`); and the one link that holds every participant (:func:`workshop_link_code`).
  It is also the one import for callers (``__all__``).

Rules (also in ``docs/assessment-rules.md``)
--------------------------------------------
* **Consensus answer** of each question, **spread** and **disagreement order**: see
  :mod:`explorer.assess.workshop_spread`.  The consensus answers form one answer set; a question
  nobody answered stays unanswered in it (and counts as the first answer, as for one person).
* **Consensus placement** (shown as the headline): the median answer set placed on each ladder
  by :func:`explorer.assess.scoring.evaluate`.  It is shown because it is an ordinary answer set:
  it has blockers and a plan, and every rung can be traced to the team's answers question by
  question.  **Median of individual placements** (shown next to it): each participant is placed on
  their own and the lower median of their rung positions is taken (below the first rung sorts
  lowest).  The two can differ (each person may miss a *different* requirement of a rung, so
  nobody stands on it while the median answers meet them all, or the reverse); when they differ the
  view says so (:attr:`LadderConsensus.agree`).

Workshop link
-------------
:func:`workshop_link_code` packs the members' share codes into one workshop code
(:func:`explorer.assess.sharecode.encode_workshop`), with notes if they fit, else without them (and says
so); :func:`explorer.assess.workshop_entries.read_codes` on that code gives the same participants back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from explorer.assess import sharecode
from explorer.assess.evidence import AnswerSet
from explorer.assess.ladders import rung_title
from explorer.assess.placement import rung_positions
from explorer.assess.scoring import evaluate
from explorer.assess.scoring_results import AssessmentResult, VendorPlacement
from explorer.assess.workshop_entries import (
    MAX_ENTRIES,
    Entries,
    EntryStatus,
    Participant,
    combine,
    read_codes,
    read_files,
    read_paste,
    split_pasted,
    unique_names,
)
from explorer.assess.workshop_spread import (
    NA_POSITION,
    SPREAD_RULE,
    QuestionSpread,
    counts_table,
    disagreements,
    lower_median,
    position,
    quartiles,
    question_spread,
)
from explorer.content.schema import Assessment, Vendor

__all__ = [
    "CONSENSUS_RULE", "INDIVIDUAL_RULE", "MAX_ENTRIES", "NA_POSITION", "SPREAD_RULE",
    "Entries", "EntryStatus", "LadderConsensus", "Participant", "QuestionSpread", "Workshop", "WorkshopLink",
    "answer_matrix", "combine", "compute_workshop", "counts_table", "lower_median", "quartiles", "read_codes",
    "read_files", "read_paste", "split_pasted", "unique_names", "workshop_link_code",
]

CONSENSUS_RULE = (
    "Consensus answer = the lower median of the team's answers to each question (with an even number of answers, "
    "the lower of the two middle ones); 'does not apply' counts as one below the first answer and unanswered "
    "questions are left out. The consensus rungs place that median answer set on each ladder."
)
INDIVIDUAL_RULE = (
    "Median of individual rungs = each person placed on their own, then the lower median of their rungs. "
    "It can differ from the consensus rung when people miss different requirements of the same rung."
)


@dataclass(frozen=True)
class LadderConsensus:
    vendor_id: str
    vendor_name: str
    level_word: str
    consensus: VendorPlacement  # the median answer set on this ladder
    individual_median: int | None  # lower median of individual rung positions (None: below the first rung)
    distribution: tuple[int, ...]  # participants standing on each rung (bottom first)
    below_first: int  # participants below the first rung
    named: tuple[tuple[str, str], ...]  # (name, rung label) for named participants

    @property
    def individual_label(self) -> str:
        return rung_title(self, None if self.individual_median is None else self.consensus.levels[self.individual_median])

    @property
    def agree(self) -> bool:
        return self.consensus.current_index == self.individual_median


@dataclass(frozen=True)
class Workshop:
    participants: tuple[Participant, ...]
    consensus_answers: AnswerSet  # median answers and N/A (no notes, no name)
    result: AssessmentResult  # evaluate() of the consensus answers
    ladders: tuple[LadderConsensus, ...]
    spreads: tuple[QuestionSpread, ...]  # questionnaire order
    disagreements: tuple[QuestionSpread, ...]  # range > 0, most disagreement first
    individual_positions: tuple[tuple[int | None, ...], ...] = field(default=(), repr=False)  # per participant: rung per ladder
    rules: tuple[str, ...] = (CONSENSUS_RULE, INDIVIDUAL_RULE, SPREAD_RULE)

    @property
    def size(self) -> int:
        return len(self.participants)

    @property
    def named(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.participants if p.named)

    def top_disagreements(self, n: int = 5) -> tuple[QuestionSpread, ...]:
        return self.disagreements[:n]

    def spread(self, question_id: str) -> QuestionSpread | None:
        return next((s for s in self.spreads if s.question_id == question_id), None)


def compute_workshop(
    participants: Sequence[Participant] | Entries,
    assessment: Assessment,
    vendors: Sequence[Vendor],
) -> Workshop:
    """Consensus, spread and disagreement of the participants' answer sets (rules in the module docstrings).

    Raises ValueError when there is no participant (the page shows its own message before).
    """
    people = tuple(participants.participants if isinstance(participants, Entries) else participants)
    if not people:
        raise ValueError("a workshop needs at least one answer set")
    sets = [p.answer_set for p in people]
    display = unique_names(people)
    individual = tuple(rung_positions(assessment, vendors, s.answers, s.na) for s in sets)
    spreads = [question_spread(q, sets, display) for q in assessment.questions]
    med_answers = {s.question_id: s.consensus for s in spreads if s.consensus is not None and s.consensus != NA_POSITION}
    med_na = {s.question_id for s in spreads if s.consensus == NA_POSITION}
    consensus = AnswerSet(med_answers, frozenset(med_na))
    result = evaluate(assessment, vendors, consensus.answers, consensus.na)
    ladders = []
    for vi, v in enumerate(vendors):
        cur = [pos[vi] for pos in individual]
        ranked = [-1 if c is None else c for c in cur]
        med = lower_median(ranked)
        dist = [0] * len(v.levels)
        for c in cur:
            if c is not None:
                dist[c] += 1
        named = tuple((who, rung_title(v, None if c is None else v.levels[c])) for who, c in zip(display, cur) if who)
        ladders.append(LadderConsensus(
            vendor_id=v.id, vendor_name=v.name, level_word=v.level_word, consensus=result.placements[vi],
            individual_median=None if med == -1 else med, distribution=tuple(dist),
            below_first=sum(c is None for c in cur), named=named,
        ))
    return Workshop(
        participants=people, consensus_answers=consensus, result=result, ladders=tuple(ladders),
        spreads=tuple(spreads), disagreements=tuple(disagreements(spreads)), individual_positions=individual,
    )


def answer_matrix(workshop: Workshop) -> list[dict[str, object]]:
    """Who answered what, for named participants only: one row per question, one column per name."""
    names = unique_names(workshop.participants)
    rows = []
    for s in workshop.spreads:
        row: dict[str, object] = {"question_id": s.question_id, "question": s.question, "consensus": s.consensus_label}
        for p, name in zip(workshop.participants, names):
            if name:
                row[name] = s.label(position(p.answer_set, s.question_id))
        rows.append(row)
    return rows


# --------------------------------------------------------------------------- the combined link
@dataclass(frozen=True)
class WorkshopLink:
    code: str
    notes_dropped: bool  # the link left the notes out because they did not fit


def workshop_link_code(
    participants: Sequence[Participant] | Entries | Workshop,
    assessment: Assessment,
) -> WorkshopLink:
    """One code for the whole workshop: members with their notes when the link stays within
    :data:`~explorer.assess.sharecode.MAX_WORKSHOP_LENGTH`, otherwise without notes (``notes_dropped``).

    Raises :class:`~explorer.assess.sharecode.ShareCodeError` (kind ``oversized`` or ``members``) with a
    message for the user when even that does not fit, or when there is nobody to combine.
    """
    if isinstance(participants, (Entries, Workshop)):
        people = participants.participants
    else:
        people = tuple(participants)
    codes = [p.code for p in people]
    try:
        return WorkshopLink(sharecode.encode_workshop(codes), False)
    except sharecode.ShareCodeError as exc:
        if exc.kind != "oversized" or not any(p.answer_set.notes for p in people):
            raise
    bare = [sharecode.encode_answer_set(assessment, p.answer_set, with_notes=False).code for p in people]
    return WorkshopLink(sharecode.encode_workshop(bare), True)
