"""Movement over time: rung series per ladder, moves, browser-store records (explorer.assess.movement), the figure
and its table (explorer.charts.movement)."""

from __future__ import annotations

import datetime as dt

from explorer import charts
from explorer.assess import results_io
from explorer.assess.movement import BELOW_FIRST, DatedResult, dated_from_imported, dated_from_store, movement_series
from explorer.assess.scoring import evaluate
from explorer.charts import describe, movement_figure, movement_table
from tests.assessment_fixtures import mini_assessment, mini_vendors

A = mini_assessment()
V = mini_vendors()
T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def day(n: int) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


# alpha: a2 needs ci>=2 and store>=1; a3 deploy>=3 and monitor>=2.  beta: b1 ci>=1 and team>=2 (na_ok).
HISTORY = [
    DatedResult(day(60), {"ci": 2, "store": 1, "deploy": 3, "monitor": 2}, label="March"),  # alpha a3, beta b0
    DatedResult(day(0), {}),  # alpha a1, beta b0
    DatedResult(day(30), {"ci": 2, "store": 1}, frozenset({"team"}), label="<b>Feb</b>"),  # alpha a2, beta b1
    DatedResult(day(90), {"ci": 2}, frozenset({"store"})),  # alpha a1 (store N/A blocks a2), beta b0
]


def test_series_hand_worked():
    alpha, beta = movement_series(HISTORY, A, V)
    assert [p.when for p in alpha.points] == [day(0), day(30), day(60), day(90)]  # sorted by date
    assert [p.position for p in alpha.points] == [0, 1, 2, 0]
    assert [p.position for p in beta.points] == [0, 1, 0, 0]
    assert [p.label for p in alpha.points][:2] == ["Phase 1: Rung a1", "Phase 2: Rung a2"]
    assert [p.result_label for p in alpha.points] == ["2026-01-01 00:00", "<b>Feb</b>", "March", "2026-04-01 00:00"]
    assert [(m.from_position, m.to_position, m.up) for m in alpha.moves] == [(0, 1, True), (1, 2, True), (2, 0, False)]
    assert [(m.when, m.up) for m in beta.moves] == [(day(30), True), (day(60), False)]
    assert alpha.latest.position == 0 and alpha.rung_labels == ("Phase 1: Rung a1", "Phase 2: Rung a2", "Phase 3: Rung a3")
    assert alpha.colour == V[0].color  # the vendor's own colour: the figure makes it readable


def test_below_the_first_rung_is_plotted_under_it():
    strict = V[0].model_copy(update={"levels": [
        V[0].levels[0].model_copy(update={"requires": [V[0].levels[1].requires[0]]}), *V[0].levels[1:]]})
    (s,) = movement_series([DatedResult(day(0), {}), DatedResult(day(1), {"ci": 2})], A, [strict])
    assert [p.position for p in s.points] == [None, 0]
    assert s.points[0].label == "below the first rung" and s.moves[0].up
    fig = movement_figure([s])
    assert list(fig.data[0].y) == [BELOW_FIRST, 0]
    assert fig.layout.yaxis.ticktext[0] == "below the first rung"


def test_figure_and_table():
    series = movement_series(HISTORY, A, V)
    fig = movement_figure(series, title="<i>Our</i> rungs")
    lines = [t for t in fig.data if t.mode == "lines+markers"]
    assert [t.name for t in lines] == ["Alpha Cloud", "Beta Cloud"]
    assert list(lines[0].y) == [0, 1, 2, 0] and lines[0].line.shape == "hv"
    assert lines[0].line.color == charts.readable(V[0].color)
    assert lines[0].customdata[1][0] == "&lt;b&gt;Feb&lt;/b&gt;"  # hover text is escaped
    marks = [t for t in fig.data if t.mode == "text"]
    assert [list(t.text) for t in marks] == [["▲", "▲", "▼"], ["▲", "▼"]]
    assert fig.layout.title.text == "&lt;i&gt;Our&lt;/i&gt; rungs"
    assert list(fig.layout.yaxis.ticktext) == ["Phase 1: Rung a1", "Phase 2: Rung a2", "Phase 3: Rung a3"]
    assert describe(fig).startswith("Rungs over 4 result(s). Alpha Cloud: from Phase 1: Rung a1 to Phase 1: Rung a1 (2 move(s) up, 1 down)")
    table = movement_table(series)
    assert list(table.columns) == ["date", "result", "Alpha Cloud", "Beta Cloud"]
    assert list(table["Beta Cloud"]) == ["Level 0: Rung b0", "Level 1: Rung b1", "Level 0: Rung b0", "Level 0: Rung b0"]


def test_empty_history():
    series = movement_series([], A, V)
    assert all(s.points == () and s.moves == () and s.latest is None for s in series)
    fig = movement_figure(series)
    assert len(fig.data) == 0 and "No earlier results" in describe(fig)
    assert movement_table(series).empty


def test_from_the_browser_store_is_lenient():
    items = [
        {"created": "2026-01-01T10:00:00+00:00", "answers": {"ci": 2, "ghost": 1, "deploy": 9}, "na": ["store", "ci", "monitor"], "label": " first\n"},
        {"created": "2026-02-01T10:00:00", "answers": {"ci": 3}, "team": "Team B"},  # naive time: read as UTC
        {"created": "yesterday", "answers": {}},
        {"answers": {}},
        {"created": "2026-03-01T00:00:00+00:00"},
        "junk",
    ]
    got, warnings = dated_from_store(items, A)
    assert len(got) == 2
    assert got[0].answers == {"ci": 2} and got[0].na == frozenset({"store"}) and got[0].label == "first"
    assert got[1].when == dt.datetime(2026, 2, 1, 10, tzinfo=dt.UTC) and got[1].label == "Team B"
    assert len(warnings) == 5
    assert "stored result 1: 4 answer(s)" in warnings[0]  # ghost, deploy 9, N/A on ci (answered) and monitor (not allowed)
    assert dated_from_store("not a list", A)[0] == []


def test_from_imported_files():
    r = evaluate(A, V, {"ci": 2}, na=["store"])
    text = results_io.export_json(r, A, V, when=day(5), team="Team A")
    imp = results_io.import_json(text, A, V)
    (d,) = dated_from_imported([imp])
    assert d == DatedResult(day(5), {"ci": 2}, frozenset({"store"}), "Team A")
