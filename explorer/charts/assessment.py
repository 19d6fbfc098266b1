"""Plotly figures for the self-assessment (issue 4), each with a table alternative.

Figures have transparent backgrounds and leave font colours to the host theme
(Streamlit's light or dark theme), so they read on either (:func:`.base.subplot_layout`);
their colours are the shared palette's mid-tones.  Every figure has a ``*_table`` twin
returning a :class:`pandas.DataFrame` with the same numbers, for screen readers and for
users who prefer tables.

Public API
    radar_figure(results, by="quarter", labels=None, title=None, height=420) -> Figure
    scores_table(results, by="quarter", labels=None) -> DataFrame
    trend_figure(frame, vendors=(), title=None, height=None) -> Figure    # frame: results_io.compare_over_time
    trend_table(frame) -> DataFrame
    mlts_bar_figure(result, title=None, height=360) -> Figure
    mlts_table(result) -> DataFrame
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.assess.ladders import rung_label
from explorer.assess.scoring import AssessmentResult, MLTestScoreResult, Score
from explorer.charts.base import FAINT, GREY, HIGHLIGHT, TRANSPARENT, esc, palette_colour, readable, rgba, subplot_layout, wrap
from explorer.content.schema import Vendor

__all__ = ["mlts_bar_figure", "mlts_table", "radar_figure", "scores_table", "trend_figure", "trend_table"]

_LEGEND = {"orientation": "h", "yanchor": "bottom", "y": -0.25, "x": 0}


def _layout(fig: go.Figure, title: str | None, height: int, side: int = 40) -> go.Figure:
    return subplot_layout(fig, title=title, height=height, left=side, right=side, legend=_LEGEND)


def _scores(result: AssessmentResult, by: str) -> tuple[Score, ...]:
    if by == "quarter":
        return result.quarter_scores
    if by == "capability":
        return result.capability_scores
    raise ValueError(f"by must be 'quarter' or 'capability', got {by!r}")


# --------------------------------------------------------------------------- radar
def radar_figure(
    results: AssessmentResult | Mapping[str, AssessmentResult],
    by: str = "quarter",
    labels: Mapping[str, str] | None = None,
    title: str | None = None,
    height: int = 420,
) -> go.Figure:
    """Radar of 0-100 scores by quarter or by capability; pass a mapping {name: result} to overlay several."""
    series = {"You": results} if isinstance(results, AssessmentResult) else dict(results)
    labels = dict(labels or {})
    fig = go.Figure()
    for i, (name, res) in enumerate(series.items()):
        scores = _scores(res, by)
        theta = [wrap(labels.get(s.key, s.key), 20) for s in scores]
        r = [s.score for s in scores]
        color = palette_colour(i)
        fig.add_trace(
            go.Scatterpolar(
                r=[*r, r[0]] if r else r,
                theta=[*theta, theta[0]] if theta else theta,
                name=name,
                fill="toself",
                fillcolor=rgba(color, 0.18),
                line={"color": color, "width": 2.5},
                marker={"size": 6},
                hovertemplate="%{theta}: %{r:.0f} / 100<extra>" + name.replace("<", "&lt;") + "</extra>",
            )
        )
    fig.update_layout(
        polar={
            "bgcolor": TRANSPARENT,
            "radialaxis": {"range": [0, 100], "tickvals": [0, 25, 50, 75, 100], "gridcolor": FAINT, "linecolor": FAINT, "angle": 90},
            "angularaxis": {"gridcolor": FAINT, "linecolor": FAINT, "direction": "clockwise"},
        },
        showlegend=len(series) > 1,
    )
    fig.update_layout(polar_angularaxis_tickfont_size=11 if by == "capability" else 13)
    return _layout(fig, title, height, side=140 if by == "capability" else 70)


def scores_table(
    results: AssessmentResult | Mapping[str, AssessmentResult],
    by: str = "quarter",
    labels: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Table alternative of :func:`radar_figure`: one row per quarter/capability, one score column per result."""
    series = {"Score": results} if isinstance(results, AssessmentResult) else dict(results)
    labels = dict(labels or {})
    rows: dict[str, dict[str, object]] = {}
    for name, res in series.items():
        for s in _scores(res, by):
            row = rows.setdefault(s.key, {by.capitalize(): labels.get(s.key, s.key), "Questions": s.n_questions})
            row[name] = s.score
    return pd.DataFrame(list(rows.values()))


# --------------------------------------------------------------------------- trend
def trend_figure(
    frame: pd.DataFrame,
    vendors: Sequence[Vendor] = (),
    title: str | None = None,
    height: int | None = None,
) -> go.Figure:
    """Trend from :func:`results_io.compare_over_time`: one small panel per vendor ladder (y axis =
    that ladder's rungs, labelled by name), then the 0-100 scores, then the ML Test Score if any
    result carries marks.  Hover shows the result's label and the rung name."""
    rung_rows = frame[frame["kind"] == "rung"] if not frame.empty else frame
    series_ids = list(dict.fromkeys(rung_rows["series_id"])) if not frame.empty else [v.id for v in vendors]
    names = {v.id: v.name for v in vendors}
    if not frame.empty:
        names.update(dict(zip(rung_rows["series_id"], rung_rows["series"])))
    has_mts = bool((frame["kind"] == "ml-test-score").any()) if not frame.empty else False
    titles = [f"{names.get(sid, sid)}: rung" for sid in series_ids] + ["Scores (0-100)"] + (["ML Test Score (0-7)"] if has_mts else [])
    n_rungs = len(series_ids)
    by_id = {v.id: v for v in vendors}
    heights = [0.3 * len(by_id[sid].levels) if sid in by_id else 1.0 for sid in series_ids] + [2.0] + ([1.2] if has_mts else [])
    rows = len(heights)
    fig = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, subplot_titles=titles, row_heights=heights,
        vertical_spacing=min(0.08, 0.5 / max(rows, 1)),
    )
    height = height or int(110 * sum(heights) + 200)
    for i, sid in enumerate(series_ids):
        row = i + 1
        v = by_id.get(sid)
        if v is not None:
            fig.update_yaxes(
                tickvals=[lv.rank for lv in v.levels], ticktext=[rung_label(v, lv) for lv in v.levels],
                range=[v.levels[0].rank - 0.4, v.levels[-1].rank + 0.4], row=row, col=1,
            )
        else:
            fig.update_yaxes(dtick=1, row=row, col=1)
        if frame.empty:
            continue
        part = rung_rows[rung_rows["series_id"] == sid]
        color = readable(v.color) if v is not None else palette_colour(i)
        fig.add_trace(
            go.Scatter(
                x=part["date"], y=part["value"], mode="lines+markers", name=str(part["series"].iloc[0]),
                line={"color": color, "shape": "hv", "width": 2.5}, marker={"size": 8},
                customdata=list(zip(part["label"], part["text"])),
                hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra></extra>",
            ),
            row=row, col=1,
        )
    score_row = n_rungs + 1
    if not frame.empty:
        scores = frame[frame["kind"].isin(["score", "index"])]
        for i, (sid, part) in enumerate(scores.groupby("series_id", sort=False)):
            is_index = sid == "index"
            fig.add_trace(
                go.Scatter(
                    x=part["date"], y=part["value"], mode="lines+markers", name=str(part["series"].iloc[0]),
                    line={"color": GREY if is_index else palette_colour(i), "width": 3 if is_index else 1.5,
                          "dash": "dash" if is_index else "solid"},
                    customdata=part["label"],
                    hovertemplate="%{customdata}: %{y:.0f}<extra>" + str(part["series"].iloc[0]) + "</extra>",
                ),
                row=score_row, col=1,
            )
    fig.update_yaxes(range=[0, 105], row=score_row, col=1)
    if has_mts:
        part = frame[frame["kind"] == "ml-test-score"]
        fig.add_trace(
            go.Scatter(x=part["date"], y=part["value"], mode="lines+markers", name="ML Test Score",
                       line={"color": HIGHLIGHT}, customdata=list(zip(part["label"], part["text"])),
                       hovertemplate="%{customdata[0]}: %{y:g} (%{customdata[1]})<extra></extra>"),
            row=score_row + 1, col=1,
        )
        fig.update_yaxes(range=[0, 7.3], dtick=1, row=score_row + 1, col=1)
    fig.update_xaxes(gridcolor=FAINT)
    fig.update_yaxes(gridcolor=FAINT)
    _layout(fig, title, height, side=60)
    fig.update_layout(legend={"y": -0.04, "yanchor": "top"})
    return fig


def trend_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Table alternative of :func:`trend_figure`: one row per result (by date), one column per measure."""
    if frame.empty:
        return pd.DataFrame(columns=["date", "label"])
    shown = frame.assign(cell=[t if k == "rung" else v for k, t, v in zip(frame["kind"], frame["text"], frame["value"])])
    wide = shown.pivot_table(index=["date", "label"], columns="series", values="cell", aggfunc="first", sort=False)
    wide = wide.reset_index().sort_values("date")
    wide.columns.name = None
    return wide.reset_index(drop=True)


# --------------------------------------------------------------------------- ML Test Score
def mlts_bar_figure(result: MLTestScoreResult, title: str | None = None, height: int = 360) -> go.Figure:
    """Section totals (0-7) with the weakest section(s), which set the final score, highlighted."""
    names = [s.name for s in result.sections]
    totals = [s.total for s in result.sections]
    colors = [HIGHLIGHT if s.section_id in result.weakest else GREY for s in result.sections]
    fig = go.Figure(
        go.Bar(
            x=names, y=totals, marker={"color": colors}, text=[f"{t:g}" for t in totals], textposition="outside",
            customdata=[[s.n_automated, s.n_manual, s.n_none] for s in result.sections],
            hovertemplate="%{x}: %{y:g} of 7<br>automated %{customdata[0]}, manual %{customdata[1]}, not done %{customdata[2]}<extra></extra>",
            showlegend=False,
        )
    )
    fig.add_hline(y=result.final, line_dash="dash", line_color=HIGHLIGHT, line_width=1.5)
    fig.add_annotation(
        xref="paper", yref="paper", x=0, y=1.02, xanchor="left", yanchor="bottom", showarrow=False,
        text=esc(f"Final score {result.final:g} = lowest section ({', '.join(result.weakest_names)}): {result.band_label}"),
        font={"color": HIGHLIGHT},
    )
    fig.update_yaxes(range=[0, 7.8], dtick=1, gridcolor=FAINT, title_text="points (of 7)")
    return _layout(fig, title, height)


def mlts_table(result: MLTestScoreResult) -> pd.DataFrame:
    """Table alternative of :func:`mlts_bar_figure`."""
    return pd.DataFrame(
        [
            {
                "Section": s.name,
                "Points": s.total,
                "Out of": s.max_total,
                "Automated": s.n_automated,
                "Manual": s.n_manual,
                "Not done": s.n_none,
                "Weakest": s.section_id in result.weakest,
            }
            for s in result.sections
        ]
    )
