"""Movement over time (issue 12): this browser's earlier results as a rung-by-rung series per ladder.

:func:`movement_series` places every dated result on every ladder (with its "does not apply"
answers, see :func:`explorer.assess.scoring.evaluate`) and returns, per ladder, the rung position at
each date and the moves between consecutive results.  Results come from files
(:func:`dated_from_imported`) or from the browser store (:func:`dated_from_store`, lenient: a bad
record becomes a warning, never an exception).  Nothing here is stored anywhere.

The figure and its table alternative are :func:`explorer.charts.movement.movement_figure` and
:func:`explorer.charts.movement.movement_table`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from explorer.assess.evidence import MAX_NAME_CHARS, clean_text
from explorer.assess.ladders import rung_title
from explorer.assess.scoring import evaluate
from explorer.content.schema import Assessment, Vendor

MAX_RESULTS = 200  # a longer history is cut to its most recent results
BELOW_FIRST = -1  # position plotted for "below the first rung"

__all__ = [
    "BELOW_FIRST", "MAX_RESULTS", "DatedResult", "LadderSeries", "Move", "RungPoint", "dated_from_imported",
    "dated_from_store", "movement_series",
]


@dataclass(frozen=True)
class DatedResult:
    when: _dt.datetime  # timezone-aware (naive times are read as UTC)
    answers: dict[str, int]
    na: frozenset[str] = frozenset()
    label: str = ""


@dataclass(frozen=True)
class RungPoint:
    when: _dt.datetime
    position: int | None  # index into the vendor's levels; None = below the first rung
    label: str  # "Phase 2: Repeatable" or "below the first rung"
    result_label: str


@dataclass(frozen=True)
class Move:
    when: _dt.datetime
    from_position: int | None
    to_position: int | None
    from_label: str
    to_label: str

    @property
    def up(self) -> bool:
        a = BELOW_FIRST if self.from_position is None else self.from_position
        b = BELOW_FIRST if self.to_position is None else self.to_position
        return b > a


@dataclass(frozen=True)
class LadderSeries:
    vendor_id: str
    vendor_name: str
    colour: str  # the vendor's colour (the figure draws its readable mid-tone)
    rung_labels: tuple[str, ...]  # bottom rung first
    points: tuple[RungPoint, ...]  # oldest first
    moves: tuple[Move, ...]  # consecutive results whose rung differs

    @property
    def latest(self) -> RungPoint | None:
        return self.points[-1] if self.points else None


def _aware(when: _dt.datetime) -> _dt.datetime:
    return when if when.tzinfo is not None else when.replace(tzinfo=_dt.UTC)


# --------------------------------------------------------------------------- inputs
def dated_from_imported(results: Iterable[object]) -> list[DatedResult]:
    """From :class:`explorer.assess.results_import.ImportedResult` objects (their ``label`` names each point)."""
    out = []
    for r in results:
        out.append(DatedResult(_aware(r.created), dict(r.answers), frozenset(getattr(r, "na", frozenset())), r.label))  # type: ignore[attr-defined]
    return out


def dated_from_store(items: object, assessment: Assessment) -> tuple[list[DatedResult], list[str]]:
    """Records from the browser store: ``{"created": ISO date-time, "answers": {id: index},
    "na": [id, ...], "label": text}`` (``na`` and ``label`` optional; ``team`` is read as a label).

    Unknown questions, out-of-range answers and N/A on a question that does not allow it are dropped
    with a warning; a record without a readable date or answers is skipped with a warning.
    """
    if not isinstance(items, (list, tuple)):
        return [], ["the stored history is not a list; it was ignored"]
    qmap = {q.id: q for q in assessment.questions}
    out: list[DatedResult] = []
    warnings: list[str] = []
    for i, item in enumerate(items[: MAX_RESULTS * 2]):
        where = f"stored result {i + 1}"
        if not isinstance(item, Mapping):
            warnings.append(f"{where} is not a record; skipped")
            continue
        created = item.get("created")
        try:
            when = _aware(_dt.datetime.fromisoformat(created)) if isinstance(created, str) and len(created) <= 40 else None
        except ValueError:
            when = None
        if when is None:
            warnings.append(f"{where} has no readable date; skipped")
            continue
        raw = item.get("answers")
        if not isinstance(raw, Mapping):
            warnings.append(f"{where} has no answers; skipped")
            continue
        answers: dict[str, int] = {}
        dropped = 0
        for qid, idx in list(raw.items())[:500]:
            q = qmap.get(qid) if isinstance(qid, str) else None
            if q is None or isinstance(idx, bool) or not isinstance(idx, int) or not 0 <= idx < len(q.answers):
                dropped += 1
            else:
                answers[qid] = idx
        na: set[str] = set()
        raw_na = item.get("na", [])
        for qid in raw_na[:500] if isinstance(raw_na, (list, tuple)) else []:
            q = qmap.get(qid) if isinstance(qid, str) else None
            if q is None or not q.allow_na or qid in answers:
                dropped += 1
            else:
                na.add(qid)
        if dropped:
            warnings.append(f"{where}: {dropped} answer(s) no longer fit the questionnaire and were left out")
        label = item.get("label", item.get("team", ""))
        label = clean_text(label, MAX_NAME_CHARS * 2)[0] if isinstance(label, str) else ""
        out.append(DatedResult(when, answers, frozenset(na), label))
    return out, warnings


# --------------------------------------------------------------------------- series
def movement_series(results: Sequence[DatedResult], assessment: Assessment, vendors: Sequence[Vendor]) -> tuple[LadderSeries, ...]:
    """Per ladder (in ``vendors`` order): the rung at each date, oldest first, and the moves between results.

    Results with the same time keep their given order; more than :data:`MAX_RESULTS` are cut to the
    most recent ones.
    """
    ordered = sorted(results, key=lambda r: _aware(r.when))[-MAX_RESULTS:]
    evs = [evaluate(assessment, vendors, r.answers, r.na) for r in ordered]
    out = []
    for vi, v in enumerate(vendors):
        labels = tuple(rung_title(v, lv) for lv in v.levels)
        points = []
        for r, ev in zip(ordered, evs):
            p = ev.placements[vi]
            label = r.label or _aware(r.when).strftime("%Y-%m-%d %H:%M")
            points.append(RungPoint(_aware(r.when), p.current_index, p.current_label, label))
        moves = tuple(
            Move(b.when, a.position, b.position, a.label, b.label)
            for a, b in zip(points, points[1:])
            if a.position != b.position
        )
        out.append(LadderSeries(v.id, v.name, v.color, labels, tuple(points), moves))
    return tuple(out)
