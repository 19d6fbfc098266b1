"""Plotly figures for the Study page's memory view: "help me decide" and reviews per day.

Pure builders on :mod:`explorer.charts.base` (transparent backgrounds, one palette, a text alternative in
the figure).  The decision chart puts one point per desired retention: reviews per day (bars, left axis)
and cards remembered at the end of the simulated days (line, right axis); each point carries its
retention in ``customdata`` so a click can set the learner's desired retention.

Public API
    decide_figure(runs, current, *, days, static=False) -> Figure
    decide_description(runs, current, *, days) -> str
    per_day_figure(per_day, *, static=False) -> Figure            # [(date, reviews)]
    per_day_description(per_day) -> str
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import plotly.graph_objects as go

from explorer.charts.base import axis, esc, figure, palette_colour

REVIEWS_COLOUR = palette_colour(0)
CURRENT_COLOUR = palette_colour(3)
KEPT_COLOUR = palette_colour(1)
TIME_COLOUR = palette_colour(2)


def decide_description(runs: Sequence, current: float, *, days: int) -> str:
    if not runs:
        return "No simulation to show."
    parts = [f"{r.retention:.2f}: {r.per_day:.0f} reviews a day, {r.remembered_end:,.0f} remembered" for r in runs]
    return (f"Chart of a {days}-day simulation of your deck at each desired retention (yours is {current:.2f}): "
            + "; ".join(parts) + ".")


def decide_figure(runs: Sequence, current: float, *, days: int, static: bool = False) -> go.Figure:
    """Reviews per day (bars) and cards remembered on the last day (line) for each desired retention."""
    x = [f"{r.retention:.2f}" for r in runs]
    now = f"{current:.2f}"
    colours = [CURRENT_COLOUR if v == now else REVIEWS_COLOUR for v in x]
    custom = [r.retention for r in runs]
    bars = dict(type="bar", x=x, y=[round(r.per_day, 1) for r in runs], name="Reviews per day", marker={"color": colours},
                customdata=custom, hovertemplate="Retention %{x}<br>%{y} reviews a day<extra></extra>")
    line = dict(type="scatter", mode="lines+markers", x=x, y=[round(r.remembered_end) for r in runs], yaxis="y2",
                name=f"Cards remembered on day {days}", line={"color": KEPT_COLOUR, "width": 3},
                marker={"size": 8}, customdata=custom,
                hovertemplate="Retention %{x}<br>%{y:,} cards remembered<extra></extra>")
    layout = dict(
        xaxis=axis("Desired retention", static=static, grid=False, fixedrange=True, type="category"),
        yaxis=axis("Reviews per day", static=static, fixedrange=True, rangemode="tozero"),
        yaxis2=axis(f"Remembered on day {days}", static=static, grid=False, fixedrange=True, overlaying="y",
                    side="right", rangemode="tozero", tickformat=",.0f"),
        legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"},
        bargap=0.3,
        clickmode="event+select",
    )
    sub = esc(f"{days} days simulated; yours: {now} (orange)")
    return figure([bars, line], layout, title="Cost and gain of each retention", subtitle=sub,
                  description=decide_description(runs, current, days=days), static=static, height=420,
                  showlegend=True, margin={"r": 60, "b": 110})


def _label(day: _dt.date) -> str:
    return f"{day.day} {day.strftime('%b')}"


def per_day_description(per_day: Sequence[tuple[_dt.date, int]]) -> str:
    if not per_day:
        return "No reviews to show."
    total = sum(n for _, n in per_day)
    active = sum(1 for _, n in per_day if n)
    busiest = max(per_day, key=lambda x: x[1])
    return (f"Bar chart of reviews on each of the last {len(per_day)} days: {total:,} reviews on {active} days"
            + (f"; most on {_label(busiest[0])} ({busiest[1]})." if total else "."))


def time_description(seconds: Sequence[tuple[_dt.date, int]]) -> str:
    total = sum(n for _, n in seconds)
    active = sum(1 for _, n in seconds if n)
    if not total:
        return "No answer time kept for these days."
    return (f"Minutes spent answering on each day (line, right axis): {total / 60:.0f} min on {active} days, "
            f"{total / 60 / active:.1f} min a day when you studied.")


def per_day_figure(per_day: Sequence[tuple[_dt.date, int]], *, seconds: Sequence[tuple[_dt.date, int]] = (),
                   static: bool = False) -> go.Figure:
    """Reviews per day as bars; with ``seconds`` (answer time per day) holding any time, minutes as a line on a right axis."""
    bars = dict(type="bar", x=[d.isoformat() for d, _ in per_day], y=[n for _, n in per_day], name="Reviews",
                marker={"color": REVIEWS_COLOUR}, hovertemplate="%{x}<br>%{y} reviews<extra></extra>")
    layout = dict(
        xaxis=axis(None, static=static, grid=False, fixedrange=True, type="date", tickformat="%d %b"),
        yaxis=axis("Reviews", static=static, fixedrange=True, rangemode="tozero"),
        bargap=0.2,
    )
    traces, description, title = [bars], per_day_description(per_day), f"Reviews per day, last {len(per_day)} days"
    if any(n for _, n in seconds):
        traces.append(dict(type="scatter", mode="lines+markers", x=[d.isoformat() for d, _ in seconds],
                           y=[round(n / 60, 1) for _, n in seconds], name="Minutes answering", yaxis="y2",
                           line={"color": TIME_COLOUR, "width": 2}, marker={"size": 5, "symbol": "diamond"},
                           hovertemplate="%{x}<br>%{y} min answering<extra></extra>"))
        layout["yaxis2"] = {**axis("Minutes", static=static, grid=False, fixedrange=True, rangemode="tozero"),
                            "overlaying": "y", "side": "right"}
        layout["showlegend"] = True
        description += " " + time_description(seconds)
        title = f"Reviews and time per day, last {len(per_day)} days"
    return figure(traces, layout, title=title, description=description, static=static, height=300)
