"""Workshop mode (issue 12): several people's answer sets, their consensus and where they disagree.

Input
-----
Pasted share links or codes (:func:`read_codes`; a pasted *workshop* link expands into its
members) and uploaded result files (:func:`read_files`), in any mix (:func:`combine`).  Every
entry gets an :class:`EntryStatus` with a message for the user: read, or why not (a damaged code,
a code made for another questionnaire, an unknown format version, a file that is not a result),
or that it repeats an earlier entry (same answers, notes and name: counted once).  Nothing raises
for bad input, and nothing is stored.

Names
-----
A participant is named only when they put a name in their code (share code version 2) or file
(``participant``).  Who answered what is shown only for named participants; anonymous answers
appear in the counts, and their notes are attributed to nobody.

Rules (also in ``docs/assessment-rules.md``)
--------------------------------------------
* **Positions.** For a question, each participant's response is a position on one ordinal scale:
  the answer index ``0 .. k-1``, and ``-1`` for "does not apply" (N/A sorts *below* the first
  answer because on the ladders an N/A never meets a requirement).  An unanswered question is no
  response: it is left out of that question's statistics and counted in ``n_unanswered``.
* **Consensus answer** = the *lower median* of the positions: with an even number of responses,
  the lower of the two middle ones, so the consensus never claims more than half the team
  reported.  Position ``-1`` makes the consensus N/A.  A question nobody answered stays unanswered
  (and counts as the first answer, as for one person).
* **Consensus placement** (shown as the headline): the median answer set placed on each ladder
  by :func:`explorer.assess.scoring.evaluate`.  It is shown because it is an ordinary answer set:
  it has blockers and a plan, and every rung can be traced to the team's answers question by
  question.  **Median of individual placements** (shown next to it): each participant is placed on
  their own and the lower median of their rung positions is taken (below the first rung sorts
  lowest).  The two can differ (each person may miss a *different* requirement of a rung, so
  nobody stands on it while the median answers meet them all, or the reverse); when they differ the
  view says so (:attr:`LadderConsensus.agree`).
* **Spread** of a question: minimum and maximum position, range = max - min, quartiles by linear
  interpolation between order statistics (``statistics.quantiles(..., method="inclusive")``;
  one response: both quartiles equal it) and IQR = Q3 - Q1, and the count of each answer.
  ``relative_range`` = range / (answers - 1), ``relative_iqr`` likewise, so questions with
  different numbers of answers compare.
* **Disagreement order**: questions whose range is above zero, largest ``relative_range`` first,
  then largest ``relative_iqr`` (a team split down the middle before one outlier), then
  questionnaire order (ties keep the questionnaire's order).

Workshop link
-------------
:func:`workshop_link_code` packs the members' share codes into one workshop code
(:func:`explorer.assess.sharecode.encode_workshop`), with notes if they fit, else without them (and says
so); :func:`read_codes` on that code gives the same participants back.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from explorer.assess import sharecode
from explorer.assess.evidence import AnswerSet
from explorer.assess.ladders import rung_title
from explorer.assess.scoring import AssessmentResult, VendorPlacement, evaluate, rung_positions
from explorer.content.schema import Assessment, MLTestScore, Vendor
from explorer.limits import LIMITS, Paste, check_paste

MAX_ENTRIES = sharecode.MAX_MEMBERS
NA_POSITION = -1
CONSENSUS_RULE = (
    "Consensus answer = the lower median of the team's answers to each question (with an even number of answers, "
    "the lower of the two middle ones); 'does not apply' counts as one below the first answer and unanswered "
    "questions are left out. The consensus rungs place that median answer set on each ladder."
)
INDIVIDUAL_RULE = (
    "Median of individual rungs = each person placed on their own, then the lower median of their rungs. "
    "It can differ from the consensus rung when people miss different requirements of the same rung."
)
SPREAD_RULE = (
    "Spread = highest minus lowest answer ('does not apply' counts as one below the first answer), divided by the "
    "number of answer steps; questions with the widest spread come first, then the widest middle half (IQR), "
    "then questionnaire order."
)


# --------------------------------------------------------------------------- entries
@dataclass(frozen=True)
class EntryStatus:
    position: int  # 1-based, in the order entries were given
    source: str  # short description of the entry (a shortened code, a file name)
    status: str  # "ok" | "error" | "duplicate" | "skipped"
    message: str  # for the user; "" when ok without remarks
    participant: int | None = None  # index into Entries.participants when status == "ok"


@dataclass(frozen=True)
class Participant:
    answer_set: AnswerSet
    code: str  # the participant's share code as given (lower case), or made from the answer set (files; codes with marks)
    source: str
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.answer_set.name

    @property
    def named(self) -> bool:
        return bool(self.answer_set.name)


@dataclass(frozen=True)
class Entries:
    participants: tuple[Participant, ...] = ()
    statuses: tuple[EntryStatus, ...] = ()

    @property
    def problems(self) -> tuple[EntryStatus, ...]:
        return tuple(s for s in self.statuses if s.status != "ok")

    @property
    def ok(self) -> int:
        return len(self.participants)


def _short(text: str, n: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def read_paste(text: object) -> Paste:
    """A pasted block split into entries (one per line, or separated by spaces, commas or semicolons):
    at most :attr:`~explorer.limits.Limits.paste_entries` of them, within
    :attr:`~explorer.limits.Limits.paste_chars` characters (room for a 50-person workshop of long share
    links with notes and names); what is beyond is returned as pasted (``rest``) with a count and a
    message, for the box to keep."""
    return check_paste(text)


def split_pasted(text: str) -> list[str]:
    """The entries :func:`read_paste` reads now."""
    return list(read_paste(text).entries)


class _Collector:
    """Accumulates participants and per-entry statuses, dropping repeats and entries past the limit."""

    def __init__(self, assessment: Assessment | None):
        self.assessment = assessment
        self.participants: list[Participant] = []
        self.statuses: list[EntryStatus] = []
        self.seen: dict[tuple, int] = {}  # what makes an answer set itself -> entry position

    def position(self) -> int:
        return len(self.statuses) + 1

    def status(self, source: str, status: str, message: str) -> None:
        self.statuses.append(EntryStatus(self.position(), source, status, message))

    def add(self, aset: AnswerSet, source: str, warnings: Sequence[str] = (), code: str | None = None) -> None:
        if code is None:
            assert self.assessment is not None
            code = sharecode.encode_answer_set(self.assessment, aset).code
        self.add_participant(Participant(aset, code, source, tuple(warnings)), " ".join(warnings))

    def add_participant(self, p: Participant, message: str) -> None:
        pos = self.position()
        key = _identity(p.answer_set)
        if key in self.seen:
            self.status(p.source, "duplicate",
                        f"Entry {pos} repeats entry {self.seen[key]} (same answers, notes and name), so it was counted once. "
                        "If two people really gave identical answers, ask one of them to add a name.")
        elif len(self.participants) >= MAX_ENTRIES:
            self.status(p.source, "skipped", f"A workshop combines at most {MAX_ENTRIES} answer sets; this one was left out.")
        else:
            self.seen[key] = pos
            self.participants.append(p)
            self.statuses.append(EntryStatus(pos, p.source, "ok", message, participant=len(self.participants) - 1))

    def entries(self) -> Entries:
        return Entries(tuple(self.participants), tuple(self.statuses))


def _identity(aset: AnswerSet) -> tuple:
    """Two entries are the same when answers, N/A, notes and name all agree."""
    return (tuple(sorted(aset.answers.items())), tuple(sorted(aset.na)), tuple(sorted(aset.notes.items())), aset.name)


def _read_one_code(col: _Collector, raw: str, mts: MLTestScore | None, *, depth: int = 0) -> None:
    code = sharecode.extract_code(raw)
    source = _short(code or raw)
    if sharecode.is_workshop_code(code) and depth == 0:
        try:
            members = sharecode.decode_workshop(code)
        except sharecode.ShareCodeError as exc:
            col.status(source, "error", str(exc))
            return
        for m in members:
            _read_one_code(col, m, mts, depth=1)
        return
    try:
        d = sharecode.decode(code, col.assessment, mts)
    except sharecode.ShareCodeError as exc:
        col.status(source, "error", str(exc))
        return
    warnings = list(d.warnings)
    if d.notes_cut:
        warnings.append("Some of this person's notes were shortened to fit in the link.")
    # keep the member code as given (old versions stay old), unless it carries what a workshop drops
    keep = d.marks is None and not d.warnings
    col.add(d.answer_set, source, warnings, code=code.strip().lower() if keep else None)


def read_codes(texts: Iterable[str], assessment: Assessment, mts: MLTestScore | None = None) -> Entries:
    """Read share links/codes (and workshop links, which expand into their members), one per entry."""
    col = _Collector(assessment)
    for n, raw in enumerate(texts):
        if n >= LIMITS.paste_entries:
            col.status("…", "skipped", f"Too many entries: at most {LIMITS.paste_entries} are read at once; the rest were not read.")
            break
        if not isinstance(raw, str):
            col.status("(not text)", "error", "This entry is not text.")
            continue
        _read_one_code(col, raw, mts)
    return col.entries()


def read_files(
    files: Iterable[tuple[str, bytes | str]],
    assessment: Assessment,
    vendors: Sequence[Vendor] = (),
    mts: MLTestScore | None = None,
) -> Entries:
    """Read exported result files ``(file name, contents)``; each file is one participant."""
    from explorer.assess.results_io import ResultImportError, import_json

    col = _Collector(assessment)
    for n, (name, data) in enumerate(files):
        source = _short(str(name) or "file")
        if n >= MAX_ENTRIES * 2:
            col.status(source, "skipped", "Too many files; the rest were not read.")
            break
        try:
            imp = import_json(data, assessment, vendors, mts=mts, source=str(name))
        except ResultImportError as exc:
            col.status(source, "error", str(exc))
            continue
        aset = AnswerSet(dict(imp.answers), imp.na, dict(imp.notes), imp.participant)
        col.add(aset, source, imp.warnings)
    return col.entries()


def combine(*parts: Entries) -> Entries:
    """Entries from several sources as one list (repeats across sources are dropped; positions renumbered)."""
    col = _Collector(None)
    for part in parts:
        for st in part.statuses:
            if st.status == "ok" and st.participant is not None:
                col.add_participant(part.participants[st.participant], st.message)
            else:
                col.status(st.source, st.status, st.message)
    return col.entries()


# --------------------------------------------------------------------------- statistics
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


def _positions(aset: AnswerSet, qid: str) -> int | None:
    if qid in aset.na:
        return NA_POSITION
    return aset.answers.get(qid)


def compute_workshop(
    participants: Sequence[Participant] | Entries,
    assessment: Assessment,
    vendors: Sequence[Vendor],
) -> Workshop:
    """Consensus, spread and disagreement of the participants' answer sets (rules in the module docstring).

    Raises ValueError when there is no participant (the page shows its own message before).
    """
    people = tuple(participants.participants if isinstance(participants, Entries) else participants)
    if not people:
        raise ValueError("a workshop needs at least one answer set")
    sets = [p.answer_set for p in people]
    display = unique_names(people)
    individual = tuple(rung_positions(assessment, vendors, s.answers, s.na) for s in sets)
    spreads: list[QuestionSpread] = []
    med_answers: dict[str, int] = {}
    med_na: set[str] = set()
    for q in assessment.questions:
        k = len(q.answers)
        counts = [0] * k
        names: list[list[str]] = [[] for _ in range(k)]
        names_na: list[str] = []
        n_na = n_un = 0
        pos: list[int] = []
        notes: list[tuple[str, str]] = []
        for s, who in zip(sets, display):
            p = _positions(s, q.id)
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
            med = lower_median(pos)
            q1, q3 = quartiles(pos)
            lo, hi = min(pos), max(pos)
            if med == NA_POSITION:
                med_na.add(q.id)
            else:
                med_answers[q.id] = med
        else:
            med, q1, q3, lo, hi = None, None, None, None, None
        spreads.append(QuestionSpread(
            question_id=q.id, question=q.text, quarter=q.quarter, capability=q.capability,
            answer_labels=tuple(a.label for a in q.answers), allow_na=q.allow_na, counts=tuple(counts),
            n_na=n_na, n_unanswered=n_un, consensus=med, min=lo, max=hi, q1=q1, q3=q3,
            names_by_answer=tuple(tuple(n) for n in names), names_na=tuple(names_na), notes=tuple(notes),
        ))
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
    order = {s.question_id: i for i, s in enumerate(spreads)}
    disagreements = sorted(
        (s for s in spreads if s.range > 0),
        key=lambda s: (-s.relative_range, -s.relative_iqr, order[s.question_id]),
    )
    return Workshop(
        participants=people, consensus_answers=consensus, result=result, ladders=tuple(ladders),
        spreads=tuple(spreads), disagreements=tuple(disagreements), individual_positions=individual,
    )


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


def unique_names(participants: Sequence[Participant]) -> list[str]:
    """Each participant's name, with " (2)", " (3)" … added to repeated names; "" for anonymous ones."""
    seen: dict[str, int] = {}
    out = []
    for p in participants:
        if not p.named:
            out.append("")
            continue
        seen[p.name] = seen.get(p.name, 0) + 1
        out.append(p.name if seen[p.name] == 1 else f"{p.name} ({seen[p.name]})")
    return out


def answer_matrix(workshop: Workshop) -> list[dict[str, object]]:
    """Who answered what, for named participants only: one row per question, one column per name."""
    names = unique_names(workshop.participants)
    rows = []
    for s in workshop.spreads:
        row: dict[str, object] = {"question_id": s.question_id, "question": s.question, "consensus": s.consensus_label}
        for p, name in zip(workshop.participants, names):
            if name:
                row[name] = s.label(_positions(p.answer_set, s.question_id))
        rows.append(row)
    return rows


def counts_table(spread: QuestionSpread) -> list[tuple[str, int, tuple[str, ...]]]:
    """(answer label, how many, named participants) per answer, N/A last when the question allows it."""
    rows = [(lab, c, n) for lab, c, n in zip(spread.answer_labels, spread.counts, spread.names_by_answer)]
    if spread.allow_na:
        rows.append(("Does not apply (N/A)", spread.n_na, spread.names_na))
    return rows
