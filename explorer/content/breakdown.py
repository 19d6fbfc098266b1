"""The 25/25/25/25 breakdown of MLOps work: a team's own effort split compared with it.

Public API
    split_analysis(breakdown, split) -> SplitAnalysis     # split: quarter id -> effort, any unit
    percent(value) -> str                                 # 25 -> "25%", 33.333 -> "33.3%"
    number(value) -> str                                  # 80.0 -> "80", 12.25 -> "12.2"

The figure and the table of a split are in :mod:`explorer.charts.breakdown`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from explorer.content import schema

__all__ = ["BALANCED_TOLERANCE", "SplitAnalysis", "number", "percent", "split_analysis"]

BALANCED_TOLERANCE = 0.5  # percentage points: a split this close to the reference counts as even


def number(value: float) -> str:
    """One decimal at most, trailing zeros dropped: 80.0 -> '80', 12.25 -> '12.2'."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def percent(value: float) -> str:
    """25 -> '25%', 33.333 -> '33.3%'."""
    return number(value) + "%"


@dataclass(frozen=True)
class SplitAnalysis:
    """A user's effort split compared with the breakdown (the even split).

    ``shares`` are the entered numbers rescaled to add up to 100 (all 0.0 when
    everything entered is 0); ``diffs`` are ``share - reference`` in percentage
    points (empty when everything entered is 0); ``largest`` is the quarter id with
    the largest absolute difference (ties: the first in breakdown order), or None
    when all entries are zero or every quarter is within ``BALANCED_TOLERANCE``.
    """

    quarters: tuple[str, ...]
    entered: dict[str, float]
    total: float
    shares: dict[str, float]
    reference: dict[str, float]
    diffs: dict[str, float]
    largest: str | None
    largest_diff: float
    message: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def all_zero(self) -> bool:
        return self.total <= 0

    @property
    def normalised(self) -> bool:
        return not self.all_zero and abs(self.total - 100) > 1e-6

    @property
    def balanced(self) -> bool:
        return not self.all_zero and self.largest is None


def _clean_number(value: object) -> tuple[float, str | None]:
    if value is None or value == "":
        return 0.0, None
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0, "not a number"
    if math.isnan(x) or math.isinf(x):
        return 0.0, "not a number"
    if x < 0:
        return 0.0, "negative"
    return x, None


def split_analysis(breakdown: schema.Breakdown, split: Mapping[str, object]) -> SplitAnalysis:
    """Compare ``split`` (quarter id -> effort, any unit: percent, hours, ...) with the breakdown."""
    qs = breakdown.quarters
    ids = tuple(q.id for q in qs)
    names = {q.id: q.name for q in qs}
    notes: list[str] = []
    entered: dict[str, float] = {}
    bad: dict[str, list[str]] = {"negative": [], "not a number": []}
    for q in qs:
        x, why = _clean_number(split.get(q.id))
        if why:
            bad[why].append(q.name)
        entered[q.id] = x
    unknown = sorted(str(k) for k in split if k not in names)
    if bad["negative"]:
        notes.append(f"Negative values were counted as 0 ({', '.join(bad['negative'])}).")
    if bad["not a number"]:
        notes.append(f"Values that are not numbers were counted as 0 ({', '.join(bad['not a number'])}).")
    if unknown:
        notes.append(f"Ignored values for unknown quarters: {', '.join(unknown)}.")
    total = sum(entered.values())
    reference = {q.id: float(q.share) for q in qs}
    if total <= 0:
        return SplitAnalysis(
            quarters=ids,
            entered=entered,
            total=0.0,
            shares={i: 0.0 for i in ids},
            reference=reference,
            diffs={},
            largest=None,
            largest_diff=0.0,
            message="All your values are zero, so there is no split to compare yet: enter how your team spends its effort.",
            notes=tuple(notes),
        )
    if abs(total - 100) > 1e-6:
        notes.append(f"Your numbers add up to {number(total)}, not 100, so they were rescaled to percentages of that total.")
    shares = {i: entered[i] * 100.0 / total for i in ids}
    diffs = {i: shares[i] - reference[i] for i in ids}
    largest = max(ids, key=lambda i: (round(abs(diffs[i]), 9), -ids.index(i)))
    d = diffs[largest]
    if abs(d) < BALANCED_TOLERANCE:
        msg = (
            "Your split matches the even split: every quarter is within "
            f"{number(BALANCED_TOLERANCE)} percentage points of its reference share."
        )
        return SplitAnalysis(ids, entered, total, shares, reference, diffs, None, 0.0, msg, tuple(notes))
    name = names[largest]
    verb = "takes" if d > 0 else "gets only"
    msg = (
        f"The largest imbalance is {name}: it {verb} {percent(shares[largest])} of your effort against "
        f"{percent(reference[largest])} in the even split ({d:+.1f} percentage points)."
    )
    return SplitAnalysis(ids, entered, total, shares, reference, diffs, largest, d, msg, tuple(notes))
