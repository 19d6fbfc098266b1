"""Plotly figures for the Study page's course view: where the course is weak, and the exam review plan.

Pure builders on :mod:`explorer.charts.base` (transparent backgrounds so both themes supply the text colour,
mid-tone fills from the one palette, a text alternative in the figure and a table twin for each chart).

Public API
    weakness_figure(areas, *, static=False) -> Figure       # a bar per folder, split into the parts of its score
    weakness_description(areas) -> str
    weakness_table(areas) -> DataFrame
    plan_figure(days, exams, *, static=False) -> Figure      # reviews per day: own due date + exam reviews
    plan_description(days, exams) -> str
    plan_table(days) -> DataFrame

``areas`` are :class:`explorer.study.weak_areas.Area`; ``days`` are :class:`explorer.study.exam_plan.PlanDay`;
``exams`` are (label, date) pairs.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from explorer.charts.base import GREY, axis, esc, figure, palette_colour
from explorer.study.exam_plan import PlanDay
from explorer.study.weak_areas import WEIGHTS, Area

PART_COLOURS = {part: palette_colour(i) for i, part in zip((0, 3, 4, 2), WEIGHTS)}
DUE_COLOUR = palette_colour(0)
EXAM_COLOUR = palette_colour(3)
EXAM_LINE = GREY
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

__all__ = ["DUE_COLOUR", "EXAM_COLOUR", "PART_COLOURS", "plan_description", "plan_figure", "plan_table",
           "weakness_description", "weakness_figure", "weakness_table"]


def _short(day: _dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day.strftime('%b')}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


# --------------------------------------------------------------------------- weakness
def weakness_description(areas: Sequence[Area]) -> str:
    if not areas:
        return "Weakness by folder: no folders of notes yet."
    parts = [f"{a.label} {a.score:.0f} ({a.why()})" for a in areas]
    return (f"Horizontal bar chart of the weakness score (0-100) of {len(areas)} folder(s), weakest first, each bar "
            "split into the parts of its score: " + "; ".join(parts) + ".")


def weakness_figure(areas: Sequence[Area], *, static: bool = False) -> go.Figure:
    """A bar per folder (weakest at the top), stacked by what makes its score."""
    areas = list(areas)
    labels = [a.label for a in areas][::-1]
    data = []
    for part, colour in PART_COLOURS.items():
        values = [a.contributions().get(part, 0.0) for a in areas][::-1]
        hover = [f"<b>{esc(a.label)}</b><br>{esc(part)}: {a.contributions().get(part, 0.0):.0f} of {a.score:.0f} points"
                 for a in areas][::-1]
        data.append(dict(type="bar", orientation="h", x=values, y=labels, name=part, marker={"color": colour},
                         hovertext=hover, hovertemplate="%{hovertext}<extra></extra>"))
    totals = [a.score for a in areas][::-1]
    data.append(dict(type="scatter", mode="text", x=totals, y=labels, text=[f" {t:.0f}" for t in totals],
                     textposition="middle right", hoverinfo="skip", showlegend=False, cliponaxis=False))
    layout = dict(
        barmode="stack",
        xaxis=axis("Weakness score (0-100)", static=static, fixedrange=True, range=[0, 105]),
        yaxis=axis(None, static=static, grid=False, fixedrange=True, type="category"),
        legend={"orientation": "h", "y": 0.01, "yanchor": "bottom", "yref": "container", "x": 0, "traceorder": "normal"},
        bargap=0.3,
        margin={"b": 110},
    )
    height = 210 + 36 * max(1, len(areas))
    return figure(data, layout, title="Weakness by folder", subtitle=esc("Weakest at the top; hover a part for its points"),
                  description=weakness_description(areas), static=static, height=min(height, 900), showlegend=True)


def weakness_table(areas: Sequence[Area]) -> pd.DataFrame:
    cols = ["Area", "Weakness", "Cards", "Studied", "Due now", "Overdue", "Recall now", "Pass rate", "Sections read",
            "Why"]
    return pd.DataFrame(
        [{"Area": a.label, "Weakness": round(a.score), "Cards": a.cards, "Studied": a.studied, "Due now": a.due,
          "Overdue": a.overdue, "Recall now": _pct(a.recall), "Pass rate": _pct(a.pass_rate),
          "Sections read": f"{a.read}/{a.sections}" if a.sections else "–", "Why": a.why()} for a in areas],
        columns=cols,
    )


# --------------------------------------------------------------------------- the plan
def plan_description(days: Sequence[PlanDay], exams: Sequence[tuple[str, _dt.date]]) -> str:
    if not days:
        return "Reviews planned: no days to show."
    due, exam = sum(d.due for d in days), sum(d.exam for d in days)
    busiest = max(days, key=lambda d: (d.count, -d.day.toordinal()))
    on = "; ".join(f"{label} on {_short(day)}" for label, day in exams) or "no exam date set"
    text = (f"Stacked bar chart of reviews on each of the next {len(days)} days: {due} due by their own schedule "
            f"(overdue cards count today) and {exam} exam review(s) the plan adds. Exams: {on}.")
    if due + exam:
        text += f" Busiest: {_short(busiest.day)} with {busiest.count}."
    return text


def plan_figure(days: Sequence[PlanDay], exams: Sequence[tuple[str, _dt.date]], *, static: bool = False) -> go.Figure:
    """Reviews per day: cards due by their own schedule and the exam reviews of the plan, a line at each exam."""
    days = list(days)
    x = [d.day.isoformat() for d in days]
    hover_due = [f"<b>{_short(d.day)}</b><br>{d.due} due by their own schedule" for d in days]
    hover_exam = [f"<b>{_short(d.day)}</b><br>{d.exam} exam review(s)" for d in days]
    data = [
        dict(type="bar", x=x, y=[d.due for d in days], name="Due (own schedule)", marker={"color": DUE_COLOUR},
             hovertext=hover_due, hovertemplate="%{hovertext}<extra></extra>"),
        dict(type="bar", x=x, y=[d.exam for d in days], name="Exam review", marker={"color": EXAM_COLOUR},
             marker_pattern={"shape": "/"}, hovertext=hover_exam, hovertemplate="%{hovertext}<extra></extra>"),
    ]
    shown = [(label, day) for label, day in exams if days and days[0].day <= day <= days[-1].day + _dt.timedelta(days=1)]
    shapes = [dict(type="line", xref="x", yref="paper", x0=day.isoformat(), x1=day.isoformat(), y0=0, y1=1,
                   line={"color": EXAM_LINE, "width": 2, "dash": "dash"}) for _, day in shown]
    notes = [dict(x=day.isoformat(), y=1, xref="x", yref="paper", text="Exam", hovertext=esc(f"Exam: {label}, {_short(day)}"),
                  showarrow=False, xanchor="right", yanchor="top", font={"size": 12}) for label, day in shown[:4]]
    top = max([d.count for d in days] + [1])
    layout = dict(
        barmode="stack",
        xaxis=axis(None, static=static, grid=False, fixedrange=True, type="date", tickformat="%a %-d %b"),
        yaxis=axis("Reviews", static=static, fixedrange=True, rangemode="tozero", range=[0, top * 1.25 + 0.5]),
        legend={"orientation": "h", "y": 0.01, "yanchor": "bottom", "yref": "container", "x": 0},
        shapes=shapes, annotations=notes, bargap=0.2, margin={"b": 100},
    )
    return figure(data, layout, title=f"Reviews, next {len(days)} days",
                  subtitle=esc("Striped: the exam plan's reviews"),
                  description=plan_description(days, exams), static=static, height=400, showlegend=True)


def plan_table(days: Sequence[PlanDay]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Date": d.day.isoformat(), "Day": _short(d.day), "Due (own schedule)": d.due, "Exam reviews": d.exam,
          "Total": d.count} for d in days],
        columns=["Date", "Day", "Due (own schedule)", "Exam reviews", "Total"],
    )
