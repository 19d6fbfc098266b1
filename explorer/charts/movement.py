"""Movement over time drawn with Plotly: one small panel per ladder, rungs labelled by name, a step
line per ladder in the vendor's colour (as a readable mid-tone), and its table alternative.

Public API
    movement_figure(series, *, title=None, height=None) -> Figure    # series: explorer.assess.movement.movement_series
    movement_table(series) -> DataFrame
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from explorer.assess.ladders import BELOW_FIRST_RUNG
from explorer.assess.movement import BELOW_FIRST, LadderSeries
from explorer.charts.base import FAINT, esc, readable, subplot_layout

__all__ = ["movement_figure", "movement_table"]


def movement_table(series: Sequence[LadderSeries]) -> pd.DataFrame:
    """One row per result (date), one column per ladder holding the rung label; the table alternative of the figure."""
    rows: dict[_dt.datetime, dict[str, object]] = {}
    for s in series:
        for p in s.points:
            row = rows.setdefault(p.when, {"date": p.when, "result": p.result_label})
            row[s.vendor_name] = p.label
    return pd.DataFrame(list(rows.values()), columns=["date", "result", *[s.vendor_name for s in series]])


def _describe(series: Sequence[LadderSeries]) -> str:
    if not series or not series[0].points:
        return "No earlier results yet: the chart is empty."
    n = len(series[0].points)
    parts = []
    for s in series:
        first, last = s.points[0], s.points[-1]
        ups = sum(m.up for m in s.moves)
        downs = len(s.moves) - ups
        parts.append(f"{s.vendor_name}: from {first.label} to {last.label} ({ups} move(s) up, {downs} down)")
    return f"Rungs over {n} result(s). " + "; ".join(parts) + "."


def movement_figure(series: Sequence[LadderSeries], *, title: str | None = None, height: int | None = None) -> go.Figure:
    """One panel per ladder: the rung (y, labelled by name) at each result's date (x), as a step line.

    Moves are marked (▲ up, ▼ down) and hover shows the result and the rung.  Transparent
    background, font colour left to the host theme; ``describe(fig)`` gives the text alternative.
    """
    series = list(series)
    rows = max(1, len(series))
    heights = [max(2, len(s.rung_labels) + 1) for s in series] or [1]
    fig = make_subplots(
        rows=rows, cols=1, shared_xaxes=True, row_heights=heights,
        subplot_titles=[s.vendor_name for s in series] or [""], vertical_spacing=min(0.08, 0.4 / rows),
    )
    for i, s in enumerate(series, 1):
        colour = readable(s.colour)
        has_below = any(p.position is None for p in s.points)
        ticks = list(range(len(s.rung_labels)))
        text = list(s.rung_labels)
        if has_below:
            ticks, text = [BELOW_FIRST, *ticks], [BELOW_FIRST_RUNG, *text]
        fig.update_yaxes(tickvals=ticks, ticktext=text, range=[ticks[0] - 0.5, ticks[-1] + 0.5],
                         gridcolor=FAINT, zeroline=False, row=i, col=1)
        if not s.points:
            continue
        ys = [BELOW_FIRST if p.position is None else p.position for p in s.points]
        fig.add_trace(go.Scatter(
            x=[p.when for p in s.points], y=ys, mode="lines+markers", name=s.vendor_name,
            line={"color": colour, "width": 2.5, "shape": "hv"}, marker={"size": 8, "color": colour},
            customdata=[[esc(p.result_label), esc(p.label)] for p in s.points],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]}<extra>" + esc(s.vendor_name) + "</extra>",
        ), row=i, col=1)
        if s.moves:
            fig.add_trace(go.Scatter(
                x=[m.when for m in s.moves],
                y=[BELOW_FIRST if m.to_position is None else m.to_position for m in s.moves],
                mode="text", text=["▲" if m.up else "▼" for m in s.moves], textposition="top center",
                textfont={"color": colour, "size": 13}, showlegend=False, hoverinfo="skip",
                name=f"{s.vendor_name} moves",
            ), row=i, col=1)
    fig.update_xaxes(gridcolor=FAINT)
    return subplot_layout(fig, title=title, height=height or int(60 * sum(heights) + 120), left=170, right=20,
                          showlegend=False, meta={"description": _describe(series)})
