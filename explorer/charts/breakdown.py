"""The breakdown of MLOps work: the donut of its quarters and a team's split against it.

Public API
    breakdown_donut(breakdown, selected=None, *, static=False, width=None) -> Figure
    breakdown_table(breakdown) -> DataFrame
    split_comparison(breakdown, split, *, static=False) -> Figure    # split analysed by explorer.content.breakdown
    split_table(breakdown, split) -> DataFrame
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd
import plotly.graph_objects as go

from explorer.charts.base import (
    GREY,
    HATCH,
    HIGHLIGHT,
    TRANSPARENT,
    axis,
    compact,
    esc,
    figure,
    mute,
    readable,
    text_colour_on,
    wrap,
)
from explorer.content import schema
from explorer.content.breakdown import percent, split_analysis

__all__ = ["breakdown_donut", "breakdown_table", "split_comparison", "split_table"]


def breakdown_donut(breakdown: schema.Breakdown, selected: str | None = None, *, static: bool = False,
                    width: int | None = None) -> go.Figure:
    """Donut of the quarters in YAML order, clockwise from 12 o'clock.

    ``selected`` (a quarter id) pulls its slice out and dims the others; unknown
    ids are ignored.  ``customdata`` of each slice is its quarter id.  An exported figure is
    ``width`` px wide; a compact one (:func:`.base.compact`) has its legend underneath.
    """
    big = not compact(static, width) and static  # compact() first: it checks width
    qs = breakdown.quarters
    ids = [q.id for q in qs]
    sel = selected if selected in ids else None
    base = [readable(q.color) for q in qs]
    fills = [c if sel in (None, q.id) else mute(c) for c, q in zip(base, qs)]
    pie = dict(
            type="pie",
            labels=[q.name for q in qs],
            values=[q.share for q in qs],
            customdata=ids,
            text=[f"<b>{esc(q.short)}</b><br>{percent(q.share)}" for q in qs],
            textinfo="text",
            textposition="inside",
            insidetextorientation="horizontal",
            insidetextfont={"color": [text_colour_on(c) for c in fills], "size": 18 if big else 14},
            hovertext=[f"<b>{esc(q.name)}</b> · {percent(q.share)}<br>{wrap(q.description, 55)}" for q in qs],
            hovertemplate="%{hovertext}<extra></extra>",
            sort=False,
            direction="clockwise",
            rotation=0,
            hole=0.48,
            pull=[0.1 if q.id == sel else 0.0 for q in qs],
            marker={"colors": fills, "line": {"color": GREY, "width": [3 if q.id == sel else 1 for q in qs]}},
            name="Quarters",
            # in the app the donut sits in a narrow column: full width, legend underneath
            domain={"x": [0.0, 0.62], "y": [0.0, 1.0]} if big else {"x": [0.0, 1.0], "y": [0.0, 1.0]},
            title={"text": "<b>MLOps</b><br>effort", "position": "middle center", "font": {"size": 18 if big else 15}},
    )
    parts = ", ".join(f"{q.name} {percent(q.share)}" for q in qs)
    desc = f"Donut chart of the {len(qs)} quarters of MLOps work: {parts}."
    if sel:
        desc += f" Selected: {next(q.name for q in qs if q.id == sel)}."
    legend = (
        {"orientation": "v", "x": 0.66, "xanchor": "left", "y": 0.5, "yanchor": "middle"}
        if big
        else {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top"}
    )
    data: list = [pie]
    layout: dict = {"legend": legend}
    if not static:
        # Plotly cannot *select* pie slices (Streamlit's on_select sees no points), so an invisible
        # marker sits in the middle of each slice's ring; clicking a slice selects that marker.
        total = sum(q.share for q in qs) or 1.0
        xs, ys, start = [], [], 0.0
        for q in qs:
            mid = 2 * math.pi * (start + q.share / 2) / total  # clockwise from 12 o'clock
            xs.append(round(0.74 * math.sin(mid), 4))
            ys.append(round(0.74 * math.cos(mid), 4))
            start += q.share
        data.append(dict(
            type="scatter", x=xs, y=ys, mode="markers", customdata=ids, name="Select a quarter",
            marker={"size": 58, "color": TRANSPARENT}, showlegend=False,
            hovertext=pie["hovertext"], hovertemplate="%{hovertext}<extra></extra>",
        ))
        ring = {"visible": False, "range": [-1.08, 1.08], "fixedrange": True}
        layout.update(xaxis=ring, yaxis={**ring, "scaleanchor": "x", "scaleratio": 1})
    return figure(
        data,
        layout,
        title=breakdown.title,
        subtitle="Click a slice to see what each quarter covers" if not static else wrap(breakdown.summary, 110 if big else 60),
        description=desc,
        static=static,
        height=620 if big else 560 if static else 480,
        showlegend=True,
        width=width,
    )


def breakdown_table(breakdown: schema.Breakdown) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": q.id,
                "Quarter": q.name,
                "Short": q.short,
                "Share (%)": float(q.share),
                "Description": q.description,
                "Examples": "; ".join(q.examples),
            }
            for q in breakdown.quarters
        ]
    )



def split_table(breakdown: schema.Breakdown, split: Mapping[str, object]) -> pd.DataFrame:
    a = split_analysis(breakdown, split)
    return pd.DataFrame(
        [
            {
                "id": q.id,
                "Quarter": q.name,
                "Entered": a.entered[q.id],
                "Your share (%)": round(a.shares[q.id], 1),
                "Even split (%)": a.reference[q.id],
                "Difference (pp)": round(a.diffs[q.id], 1) if a.diffs else None,
            }
            for q in breakdown.quarters
        ]
    )


def _bars(name: str, x: list[str], y: list[float], ids: list[str], marker: dict, hover: str) -> dict:
    """One trace of the grouped bars, each bar labelled with its share above it."""
    return dict(type="bar", name=name, x=x, y=y, customdata=ids, marker=marker, text=[percent(v) for v in y],
                textposition="outside", hovertemplate=hover)


def split_comparison(breakdown: schema.Breakdown, split: Mapping[str, object], *, static: bool = False) -> go.Figure:
    """Grouped bars: the even split (grey) next to the user's split (quarter colours).

    Trace 0 is "Even split", trace 1 "Your split"; ``customdata`` is the quarter id.
    The largest imbalance is outlined and named in the subtitle.
    """
    a = split_analysis(breakdown, split)
    qs = breakdown.quarters
    x = [q.short for q in qs]
    ids = [q.id for q in qs]
    colours = [readable(q.color) for q in qs]
    ref = [a.reference[i] for i in ids]
    mine = [a.shares[i] for i in ids]
    hatched = {"color": GREY, "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": HATCH, "size": 8}}
    outlined = {
        "color": colours,
        "line": {"color": [HIGHLIGHT if i == a.largest else TRANSPARENT for i in ids], "width": [3 if i == a.largest else 0 for i in ids]},
    }
    data = [
        _bars("Even split", x, ref, ids, hatched, "%{x}: %{y:.1f}% in the even split<extra></extra>"),
        _bars("Your split", x, mine, ids, outlined, "%{x}: %{y:.1f}% of your effort<extra></extra>"),
    ]
    top = max([*ref, *mine, 1.0])
    layout = dict(
        barmode="group",
        bargap=0.3,
        bargroupgap=0.08,
        xaxis=axis("Quarter of MLOps work", static=static, grid=False),
        yaxis=axis("Share of effort (%)", static=static, range=[0, top * 1.18 + 2], ticksuffix="%"),
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    sub = wrap(a.message, 100)
    if a.normalised:
        sub += "<br>" + wrap("(Rescaled: your numbers did not add up to 100.)", 100)
    desc = "Bar chart of your effort split against the even split: " + ", ".join(
        f"{q.name} {percent(a.shares[q.id])} (even {percent(a.reference[q.id])})" for q in qs
    ) + ". " + a.message
    return figure(data, layout, title="Your split against the even split", subtitle=sub, description=desc, static=static, height=480, showlegend=True,
                   top_extra=26)

