"""Forecast and heatmap figures (explorer.charts.study): values, colours, text alternatives, tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from explorer import charts
from explorer.charts import study as sc
from explorer.study.workload import DayCount

D = dt.date(2026, 3, 11)  # a Wednesday


def days(*counts: int, start: dt.date = D) -> list[DayCount]:
    return [DayCount(start + dt.timedelta(days=i), c) for i, c in enumerate(counts)]


def test_colours_are_mid_tones_readable_on_both_themes():
    for colour in (sc.FORECAST_COLOUR, sc.TODAY_COLOUR, sc.HEAT_COLOUR):
        assert charts.contrast(colour, charts.WHITE) >= 3 and charts.contrast(colour, charts.NEAR_BLACK) >= 3
        assert charts.readable(colour) == colour


def test_forecast_figure_values_labels_and_description():
    fc = days(5, 0, 2, 7, 1, 0, 3)
    fig = sc.forecast_figure(fc, overdue=4)
    (bar,) = fig.data
    assert list(bar.y) == [5, 0, 2, 7, 1, 0, 3]
    assert list(bar.x) == ["Today", "Tomorrow", "Fri 13 Mar", "Sat 14 Mar", "Sun 15 Mar", "Mon 16 Mar", "Tue 17 Mar"]
    assert list(bar.customdata) == [d.day.isoformat() for d in fc]
    assert list(bar.marker.color) == [sc.TODAY_COLOUR] + [sc.FORECAST_COLOUR] * 6
    assert "including overdue" in bar.hovertext[0] and "Wed 11 Mar 2026" in bar.hovertext[0]
    assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)" and fig.layout.title.text == "Cards due in the next 7 days"
    desc = charts.describe(fig)
    assert desc == sc.forecast_description(fc, overdue=4)
    assert desc == ("Bar chart of cards due on each of the next 7 days: 18 in all (overdue cards count today, of which "
                    "4 overdue). Today 5; Tomorrow 0; Fri 13 Mar 2; Sat 14 Mar 7; Sun 15 Mar 1; Mon 16 Mar 0; Tue 17 Mar 3. "
                    "Busiest: Sat 14 Mar with 7.")
    assert sc.forecast_figure(fc) .to_json() == sc.forecast_figure(fc).to_json()  # deterministic
    static = sc.forecast_figure(fc, static=True)
    assert static.layout.paper_bgcolor == charts.WHITE and static.layout.width == charts.STATIC_WIDTH


def test_forecast_with_nothing_due():
    fc = days(0, 0, 0)
    assert "0 in all" in sc.forecast_description(fc) and "Busiest" not in sc.forecast_description(fc)
    assert list(sc.forecast_figure(fc).data[0].y) == [0, 0, 0]
    assert sc.forecast_description([]) == "Forecast of cards due: no days to show."


def test_forecast_table():
    df = sc.forecast_table(days(5, 0, 2))
    assert list(df.columns) == ["Day", "Date", "Cards due"]
    assert df.to_dict("records") == [
        {"Day": "Today", "Date": "2026-03-11", "Cards due": 5},
        {"Day": "Tomorrow", "Date": "2026-03-12", "Cards due": 0},
        {"Day": "Fri 13 Mar", "Date": "2026-03-13", "Cards due": 2},
    ]
    assert list(sc.forecast_table([]).columns) == ["Day", "Date", "Cards due"]


@pytest.mark.parametrize(
    "peak, levels",
    [
        (0, []),
        (1, [(1, 1)]),
        (2, [(1, 1), (2, 2)]),
        (4, [(1, 1), (2, 2), (3, 3), (4, 4)]),
        (20, [(1, 5), (6, 10), (11, 15), (16, 20)]),
        (43, [(1, 11), (12, 22), (23, 33), (34, 43)]),
    ],
)
def test_heatmap_levels(peak, levels):
    assert sc.heatmap_levels(peak) == levels


def two_weeks() -> list[DayCount]:
    # Monday 2 March .. Wednesday 11 March (today): 10 days
    return days(2, 0, 5, 0, 0, 1, 8, 3, 4, 0, start=dt.date(2026, 3, 2))


def test_heatmap_figure_grid():
    fig = sc.heatmap_figure(two_weeks())
    (heat,) = fig.data
    assert list(heat.y) == list(sc.WEEKDAYS) and list(heat.x) == [0, 1]
    z = [list(r) for r in heat.z]
    # peak 8: levels 1-2 -> 1, 3-4 -> 2, 5-6 -> 3, 7-8 -> 4; 0 stays 0; after today: None
    assert z == [[1, 2], [0, 2], [3, 0], [0, None], [0, None], [1, None], [4, None]]
    assert heat.customdata[0][1] == "2026-03-09" and heat.customdata[3][1] == ""
    assert "Mon 9 Mar 2026</b><br>3 reviews" in heat.hovertext[0][1]
    assert "1 review" in heat.hovertext[5][0] and "1 reviews" not in heat.hovertext[5][0]
    assert list(heat.colorbar.ticktext) == ["0", "1-2", "3-4", "5-6", "7-8"]
    assert heat.colorscale[0][1] == sc.EMPTY_CELL and heat.colorscale[-1][1].startswith("rgba(")
    assert fig.layout.title.text == "Reviews per day, last 2 weeks"
    assert charts.describe(fig) == sc.heatmap_description(two_weeks())


def test_heatmap_description_streaks_and_totals():
    desc = sc.heatmap_description(two_weeks())
    assert "2 weeks from Mon 2 Mar 2026 to Wed 11 Mar 2026" in desc
    assert "23 reviews on 6 days (60% of days), 3.8 per day studied" in desc
    assert "Busiest day: Sun 8 Mar 2026 with 8." in desc
    # today (11th) has none yet: the streak up to yesterday counts (8, 9, 10 -> 3 days, from Sat 7th: 4)
    assert "Current streak: 4 days; longest: 4 days." in desc
    none = sc.heatmap_description(days(0, 0, start=dt.date(2026, 3, 2)))
    assert none.endswith("No reviews yet in this period.")
    one = sc.heatmap_description(days(1, start=dt.date(2026, 3, 2)))
    assert "1 review on 1 day (100% of days)" in one and "Current streak: 1 day; longest: 1 day." in one


def test_heatmap_table():
    df = sc.heatmap_table(two_weeks())
    assert list(df.columns) == ["Week of", *sc.WEEKDAYS, "Total"]
    assert df["Week of"].tolist() == ["2026-03-02", "2026-03-09"]
    assert df.iloc[0, 1:].tolist() == [2, 0, 5, 0, 0, 1, 8, 16]
    row = df.iloc[1]
    assert [row["Mon"], row["Tue"], row["Wed"], row["Total"]] == [3, 4, 0, 7]
    assert all(pd.isna(row[d]) for d in ("Thu", "Fri", "Sat", "Sun"))
    assert str(df["Mon"].dtype) == "Int64"
    assert sc.heatmap_table([]).empty


def test_heatmap_month_ticks():
    counts = [DayCount(dt.date(2025, 12, 1) + dt.timedelta(days=i), i % 3) for i in range(70)]
    fig = sc.heatmap_figure(counts)
    assert list(fig.layout.xaxis.ticktext) == ["Dec", "Jan 2026", "Feb"]
    # weeks start Monday 1 Dec 2025; 1 Jan 2026 (a Thursday) is in week 4 (from 29 Dec); 1 Feb (a Sunday) in
    # week 8 (from 26 Jan)
    assert list(fig.layout.xaxis.tickvals) == [0, 4, 8]


def test_heatmap_with_no_reviews():
    fig = sc.heatmap_figure(days(0, 0, 0, start=dt.date(2026, 3, 9)))
    z = [list(r) for r in fig.data[0].z]
    assert z[0] == [0] and z[3] == [None] and list(fig.data[0].colorbar.ticktext) == ["0"]
