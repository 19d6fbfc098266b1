"""Plotly figures for spaced-repetition study: the 7-day forecast and the review heatmap.

Pure builders (data in, a new ``go.Figure`` out) on the shared :mod:`explorer.charts.base`: the same
layout helper, transparent backgrounds so Streamlit's light and dark themes supply the text colour,
mid-tone fills from the one palette, a text alternative in the figure (:func:`explorer.charts.describe`)
and a table twin for each chart.

Public API
    forecast_figure(days, *, overdue=None, static=False) -> Figure
    forecast_description(days, *, overdue=None) -> str
    forecast_table(days) -> DataFrame                       # Day, Date, Cards due
    heatmap_figure(counts, *, static=False) -> Figure        # weeks (columns) x weekdays (rows)
    heatmap_description(counts) -> str
    heatmap_table(counts) -> DataFrame                       # one row per week, Mon..Sun columns
    heatmap_levels(max_count) -> list[tuple[int, int]]       # count ranges of the 4 colour steps

``days`` and ``counts`` are lists of :class:`explorer.study.workload.DayCount` (from
:func:`explorer.study.store.forecast` and :func:`explorer.study.store.heatmap`).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from explorer.charts.base import FAINT, axis, esc, figure, palette_colour, rgba
from explorer.study.workload import DayCount

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
FORECAST_COLOUR = palette_colour(0)  # mid-tone blue: 3:1 on white and on Streamlit's dark background
TODAY_COLOUR = palette_colour(3)  # mid-tone orange for today's bar (it includes overdue cards)
HEAT_COLOUR = palette_colour(1)  # mid-tone green; the steps are this colour at rising opacity
HEAT_ALPHAS = (0.3, 0.5, 0.75, 1.0)
EMPTY_CELL = FAINT

__all__ = [
    "FORECAST_COLOUR", "HEAT_COLOUR", "TODAY_COLOUR", "WEEKDAYS", "forecast_description", "forecast_figure",
    "forecast_table", "heatmap_description", "heatmap_figure", "heatmap_levels", "heatmap_table",
]

def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _day_label(day: _dt.date, first: _dt.date) -> str:
    if day == first:
        return "Today"
    if day == first + _dt.timedelta(days=1):
        return "Tomorrow"
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day.strftime('%b')}"


def _long_date(day: _dt.date) -> str:
    return f"{WEEKDAYS[day.weekday()]} {day.day} {day.strftime('%b')} {day.year}"


# --------------------------------------------------------------------------- forecast
def forecast_description(days: Sequence[DayCount], *, overdue: int | None = None) -> str:
    if not days:
        return "Forecast of cards due: no days to show."
    total = sum(d.count for d in days)
    first = days[0].day
    parts = [f"{_day_label(d.day, first)} {d.count}" for d in days]
    over = f", of which {overdue} overdue" if overdue else ""
    busiest = max(days, key=lambda d: (d.count, -d.day.toordinal()))
    text = (f"Bar chart of cards due on each of the next {len(days)} days: {total} in all "
            f"(overdue cards count today{over}). " + "; ".join(parts) + ".")
    if total:
        text += f" Busiest: {_day_label(busiest.day, first)} with {busiest.count}."
    return text


def forecast_figure(days: Sequence[DayCount], *, overdue: int | None = None, static: bool = False) -> go.Figure:
    """Bars of cards due per day, today first (today's bar, which includes overdue cards, in orange)."""
    days = list(days)
    first = days[0].day if days else _dt.date.today()
    labels = [_day_label(d.day, first) for d in days]
    counts = [d.count for d in days]
    colours = [TODAY_COLOUR if i == 0 else FORECAST_COLOUR for i in range(len(days))]
    hover = [
        f"<b>{esc(_long_date(d.day))}</b><br>{_plural(d.count, 'card')} due"
        + (" (including overdue cards)" if i == 0 else "")
        for i, d in enumerate(days)
    ]
    bars = dict(
        type="bar", x=labels, y=counts, marker={"color": colours}, name="Cards due",
        customdata=[d.day.isoformat() for d in days], text=[str(c) for c in counts], textposition="outside",
        cliponaxis=False, hovertext=hover, hovertemplate="%{hovertext}<extra></extra>",
    )
    top = max(counts + [1])
    layout = dict(
        xaxis=axis(None, static=static, grid=False, fixedrange=True, type="category"),
        yaxis=axis("Cards due", static=static, fixedrange=True, rangemode="tozero", range=[0, top * 1.2 + 0.5],
                    dtick=max(1, round(top / 5))),
        bargap=0.35,
    )
    sub = "Today includes overdue cards" + (f" ({overdue})" if overdue else "")
    return figure([bars], layout, title=f"Cards due in the next {len(days)} days", subtitle=esc(sub),
                   description=forecast_description(days, overdue=overdue), static=static, height=320)


def forecast_table(days: Sequence[DayCount]) -> pd.DataFrame:
    days = list(days)
    first = days[0].day if days else None
    return pd.DataFrame(
        {"Day": [_day_label(d.day, first) for d in days],  # type: ignore[arg-type]
         "Date": [d.day.isoformat() for d in days],
         "Cards due": [d.count for d in days]},
        columns=["Day", "Date", "Cards due"],
    )


# --------------------------------------------------------------------------- heatmap
def heatmap_levels(max_count: int) -> list[tuple[int, int]]:
    """Count ranges (inclusive) of the four colour steps for counts 1..max_count; empty steps left out.

    Step k (1-4) holds the counts c with ``(c - 1) * 4 // max_count == k - 1``: equal quarters of 1..max."""
    if max_count <= 0:
        return []
    out: list[tuple[int, int]] = []
    for level in range(4):
        cs = [c for c in range(1, max_count + 1) if min(3, (c - 1) * 4 // max_count) == level]
        if cs:
            out.append((cs[0], cs[-1]))
    return out


def _level(count: int, max_count: int) -> int:
    return 0 if count <= 0 else 1 + min(3, (count - 1) * 4 // max_count)


def _grid(counts: Sequence[DayCount]) -> tuple[list[_dt.date], dict[tuple[int, int], DayCount]]:
    """Week starts (Mondays) and (week index, weekday) -> DayCount."""
    if not counts:
        return [], {}
    start = counts[0].day - _dt.timedelta(days=counts[0].day.weekday())
    last = counts[-1].day
    weeks = [start + _dt.timedelta(weeks=i) for i in range((last - start).days // 7 + 1)]
    cells = {((d.day - start).days // 7, d.day.weekday()): d for d in counts}
    return weeks, cells


def _streaks(counts: Sequence[DayCount]) -> tuple[int, int]:
    """(current streak ending today or yesterday, longest streak) of days with at least one review."""
    longest = run = 0
    for d in counts:
        run = run + 1 if d.count > 0 else 0
        longest = max(longest, run)
    current = 0
    tail = list(counts)
    if tail and tail[-1].count == 0:  # today not studied yet: the streak up to yesterday still counts
        tail = tail[:-1]
    for d in reversed(tail):
        if d.count <= 0:
            break
        current += 1
    return current, longest


def heatmap_description(counts: Sequence[DayCount]) -> str:
    counts = list(counts)
    if not counts:
        return "Review heatmap: no days to show."
    total = sum(d.count for d in counts)
    active = [d for d in counts if d.count > 0]
    weeks = (counts[-1].day - counts[0].day).days // 7 + 1
    head = (f"Calendar heatmap of reviews per day, {weeks} weeks from {_long_date(counts[0].day)} to "
            f"{_long_date(counts[-1].day)} (columns are weeks, rows Monday to Sunday).")
    if not total:
        return head + " No reviews yet in this period."
    busiest = max(active, key=lambda d: (d.count, d.day.toordinal()))
    current, longest = _streaks(counts)
    avg = total / len(active)
    return (f"{head} {_plural(total, 'review')} on {_plural(len(active), 'day')} "
            f"({round(100 * len(active) / len(counts))}% of days), {avg:.1f} per day studied. "
            f"Busiest day: {_long_date(busiest.day)} with {busiest.count}. "
            f"Current streak: {_plural(current, 'day')}; longest: {_plural(longest, 'day')}.")


def heatmap_figure(counts: Sequence[DayCount], *, static: bool = False) -> go.Figure:
    """Weeks (columns, oldest left) x weekdays (rows, Monday on top); the colour steps are equal
    quarters of 1..max reviews a day (:func:`heatmap_levels`), a day without reviews is faint grey,
    days after today are blank.  ``customdata`` of a cell is its ISO date."""
    counts = list(counts)
    weeks, cells = _grid(counts)
    peak = max([d.count for d in counts] + [0])
    levels = heatmap_levels(peak)
    z, hover, custom = [], [], []
    for wd in range(7):
        zr, hr, cr = [], [], []
        for wi in range(len(weeks)):
            d = cells.get((wi, wd))
            if d is None:
                zr.append(None)
                hr.append("")
                cr.append("")
            else:
                zr.append(_level(d.count, peak) if peak else 0)
                hr.append(f"<b>{esc(_long_date(d.day))}</b><br>{_plural(d.count, 'review')}")
                cr.append(d.day.isoformat())
        z.append(zr)
        hover.append(hr)
        custom.append(cr)
    steps = [EMPTY_CELL] + [rgba(HEAT_COLOUR, a) for a in HEAT_ALPHAS]
    scale = []
    for i, c in enumerate(steps):  # a stepped scale: level i fills [i/5, (i+1)/5) of zmin..zmax
        scale += [[i / 5, c], [(i + 1) / 5, c]]
    tick_text = ["0"] + [f"{lo}" if lo == hi else f"{lo}-{hi}" for lo, hi in levels]
    heat = dict(
        type="heatmap", z=z, x=list(range(len(weeks))), y=list(WEEKDAYS), customdata=custom, hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>", colorscale=scale, zmin=-0.5, zmax=4.5, xgap=3, ygap=3,
        hoverongaps=False, name="Reviews", showscale=True,
        colorbar={"title": {"text": "Reviews", "side": "top"}, "tickvals": list(range(len(tick_text))),
                  "ticktext": tick_text, "thickness": 12, "len": 0.9, "outlinewidth": 0},
    )
    month_ticks, month_text, seen = [], [], set()
    for i, w in enumerate(weeks):
        for k in range(7):
            day = w + _dt.timedelta(days=k)
            if day.day == 1 and (day.year, day.month) not in seen:
                seen.add((day.year, day.month))
                month_ticks.append(i)
                month_text.append(day.strftime("%b") + (f" {day.year}" if day.month == 1 else ""))
    if weeks and not month_ticks:
        month_ticks, month_text = [0], [weeks[0].strftime("%b")]
    layout = dict(
        xaxis=axis(None, static=static, grid=False, fixedrange=True, tickvals=month_ticks, ticktext=month_text,
                    side="top", showline=False),
        yaxis=axis(None, static=static, grid=False, fixedrange=True, autorange="reversed", showline=False),
    )
    return figure([heat], layout, title=f"Reviews per day, last {len(weeks)} weeks",
                   description=heatmap_description(counts), static=static, height=260, top_extra=24,
                   margin={"l": 50})


def heatmap_table(counts: Sequence[DayCount]) -> pd.DataFrame:
    """The heatmap as a table: one row per week (labelled by its Monday), one column per weekday;
    days after today are empty (<NA>)."""
    weeks, cells = _grid(list(counts))
    rows = []
    for wi, w in enumerate(weeks):
        row: dict[str, object] = {"Week of": w.isoformat()}
        for wd, name in enumerate(WEEKDAYS):
            d = cells.get((wi, wd))
            row[name] = d.count if d is not None else pd.NA
        row["Total"] = sum(cells[(wi, wd)].count for wd in range(7) if (wi, wd) in cells)
        rows.append(row)
    df = pd.DataFrame(rows, columns=["Week of", *WEEKDAYS, "Total"])
    for name in (*WEEKDAYS, "Total"):
        df[name] = df[name].astype("Int64")
    return df
