"""Comparing imported results (issue 4): a tidy frame over time for a trend chart
(:func:`compare_over_time`), and teams side by side with the questions where they disagree most
(:func:`compare_teams`).  Every result is evaluated anew with the current content, so all of them
stand on one set of ladders.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from explorer.assess.mlts import ml_test_score
from explorer.assess.results_import import ImportedResult
from explorer.assess.scoring import evaluate
from explorer.content.schema import Assessment, MLTestScore, Vendor


def unique_labels(results: Sequence[ImportedResult]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for r in results:
        base = r.label
        seen[base] = seen.get(base, 0) + 1
        out.append(base if seen[base] == 1 else f"{base} ({seen[base]})")
    return out


TREND_COLUMNS = ["date", "label", "kind", "series_id", "series", "value", "text"]


def compare_over_time(
    results: Sequence[ImportedResult],
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    mts: MLTestScore | None = None,
    quarter_names: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Tidy frame, sorted by date, one row per (result, measure).

    ``kind`` is ``rung`` (value = the level's rank, NaN below the first rung;
    text = level name), ``score`` (a quarter, 0-100), ``index`` (0-100) or
    ``ml-test-score`` (final score 0-7, only for results that carry marks).
    """
    qn = dict(quarter_names or {})
    ordered = sorted(results, key=lambda r: r.created)
    labels = [f"{r.created:%Y-%m-%d %H:%M}" + (f" · {r.team.strip()}" if r.team.strip() else "") for r in ordered]
    rows: list[dict[str, Any]] = []
    for r, label in zip(ordered, labels):
        ev = evaluate(assessment, vendors, r.answers, r.na)
        when = pd.Timestamp(r.created)
        for p in ev.placements:
            cur = p.current
            rows.append(
                dict(date=when, label=label, kind="rung", series_id=p.vendor_id, series=p.vendor_name,
                     value=float(cur.rank) if cur else float("nan"), text=p.current_label)
            )
        for s in ev.quarter_scores:
            rows.append(dict(date=when, label=label, kind="score", series_id=s.key, series=qn.get(s.key, s.key), value=s.score, text=""))
        rows.append(dict(date=when, label=label, kind="index", series_id="index", series="Index", value=ev.index, text=""))
        if mts is not None and r.marks is not None:
            m = ml_test_score(mts, r.marks)
            rows.append(dict(date=when, label=label, kind="ml-test-score", series_id="ml-test-score",
                             series="ML Test Score", value=m.final, text=m.band_label))
    frame = pd.DataFrame(rows, columns=TREND_COLUMNS)
    if not frame.empty:
        frame["value"] = frame["value"].astype(float)
    return frame


@dataclass(frozen=True)
class TeamComparison:
    labels: tuple[str, ...]
    answers: pd.DataFrame  # one row per question: question_id, question, quarter, capability, <label>..., spread
    rungs: pd.DataFrame  # one row per vendor: vendor_id, vendor, <label>... (current rung text)
    scores: pd.DataFrame  # one row per quarter plus "index": key, name, <label>...
    disagreements: pd.DataFrame  # questions with spread > 0, most disagreement first, answers as labels


def compare_teams(
    results: Sequence[ImportedResult],
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    quarter_names: Mapping[str, str] | None = None,
    top: int = 5,
) -> TeamComparison:
    """Side-by-side view of several results; disagreement = spread (max - min) of answer indexes."""
    qn = dict(quarter_names or {})
    labels = unique_labels(results)
    evs = [evaluate(assessment, vendors, r.answers, r.na) for r in results]
    a_rows, d_rows = [], []
    for q in assessment.questions:
        idx = [ev.answer_map[q.id] for ev in evs]
        row: dict[str, Any] = {"question_id": q.id, "question": q.text, "quarter": q.quarter, "capability": q.capability}
        row.update(dict(zip(labels, idx)))
        spread = (max(idx) - min(idx)) if idx else 0
        row["spread"] = spread
        a_rows.append(row)
        if spread > 0:
            n = len(q.answers) - 1
            mean = sum(idx) / len(idx)
            sd = (sum((i - mean) ** 2 for i in idx) / len(idx)) ** 0.5 / n
            d = {"question_id": q.id, "question": q.text, "spread": spread, "relative_spread": round(spread / n, 3),
                 "_sd": sd}
            d.update({lab: q.answers[i].label for lab, i in zip(labels, idx)})
            d_rows.append(d)
    answers = pd.DataFrame(a_rows, columns=["question_id", "question", "quarter", "capability", *labels, "spread"])
    order = {q.id: i for i, q in enumerate(assessment.questions)}
    d_rows.sort(key=lambda d: (-d["relative_spread"], -d["_sd"], order[d["question_id"]]))
    for d in d_rows:
        del d["_sd"]
    disagreements = pd.DataFrame(d_rows[:top], columns=["question_id", "question", "spread", "relative_spread", *labels])
    r_rows = []
    for i, v in enumerate(vendors):
        row = {"vendor_id": v.id, "vendor": v.name}
        row.update({lab: ev.placements[i].current_label for lab, ev in zip(labels, evs)})
        r_rows.append(row)
    rungs = pd.DataFrame(r_rows, columns=["vendor_id", "vendor", *labels])
    s_rows = []
    if evs:
        for j, s in enumerate(evs[0].quarter_scores):
            row = {"key": s.key, "name": qn.get(s.key, s.key)}
            row.update({lab: ev.quarter_scores[j].score for lab, ev in zip(labels, evs)})
            s_rows.append(row)
        row = {"key": "index", "name": "Index"}
        row.update({lab: ev.index for lab, ev in zip(labels, evs)})
        s_rows.append(row)
    scores = pd.DataFrame(s_rows, columns=["key", "name", *labels])
    return TeamComparison(tuple(labels), answers, rungs, scores, disagreements)
