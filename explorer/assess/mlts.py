"""Scoring of the ML Test Score rubric (Breck et al., 2017).

* A test earns 0 (not done), 0.5 (manual, documented) or 1 (automated, repeated): :data:`MLTS_MARKS`.
  Unmarked tests count as 0.
* A section's total is the sum of its tests' marks; the final score is the *minimum* section total
  (the weakest section decides), and its band is the first band of the rubric with
  ``above < final <= up_to``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from explorer.content.schema import MLTestScore

MLTS_MARKS: dict[float, str] = {0.0: "Not done", 0.5: "Manual, documented", 1.0: "Automated, repeated"}


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
