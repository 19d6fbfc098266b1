"""Figure data of every chart builder in explorer.charts (no rendering), and the logic behind the
breakdown and ladder views (explorer.content.breakdown, explorer.assess.ladders).

Real content from content/ plus small hand-built models for the edge cases.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import plotly.io as pio
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import CONTENT_DIR, ROOT
from explorer import charts as ch
from explorer.assess import ladders
from explorer.content import breakdown as bdl
from explorer.content import schema
from explorer.content.loader import load_content

WHITE, DARK = "#FFFFFF", "#0E1117"


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT_DIR)


def need(content, part):
    assert content.ok(part), f"content part {part!r} is unavailable: {content.broken.get(part)}"
    return content.get(part)


@pytest.fixture(scope="module")
def breakdown(content):
    return need(content, "breakdown")


@pytest.fixture(scope="module")
def vendors(content):
    return need(content, "maturity")


@pytest.fixture(scope="module")
def by_id(vendors):
    return {v.id: v for v in vendors}


def trace(fig, name):
    found = [t for t in fig.data if t.name == name]
    assert found, f"no trace named {name!r}; traces: {[t.name for t in fig.data]}"
    return found[0]


def has_trace(fig, name):
    return any(t.name == name for t in fig.data)


SRC = dict(source_url="https://example.org/x", last_verified=dt.date(2026, 1, 1))


def make_level(id, rank, automation, **kw):  # noqa: A002
    kw.setdefault("summary", f"summary of {id}")
    kw.setdefault("details", [f"detail of {id}"])
    return schema.Level(id=id, rank=rank, name=kw.pop("name", id.title()), automation=automation, **SRC, **kw)


def make_vendor(id="acme", levels=None, **kw):  # noqa: A002
    levels = levels or [make_level("acme-0", 0, 0.0), make_level("acme-1", 1, 1.0)]
    return schema.Vendor(
        id=id, name=kw.pop("name", "Acme Cloud"), model_name="Acme model", level_word=kw.pop("level_word", "Stage"),
        color=kw.pop("color", "#FFDD00"), summary="s", levels=levels, **SRC, **kw,
    )


def make_breakdown(shares=(50, 30, 20)):
    ids = ["alpha", "beta", "gamma", "delta"][: len(shares)]
    return schema.Breakdown(
        title="T", summary="S", attribution="A",
        quarters=[
            schema.Quarter(id=i, name=f"{i.title()} work", short=i.title(), share=s, color="#FFEE00", description="d", examples=["e"])
            for i, s in zip(ids, shares)
        ],
    )


# --------------------------------------------------------------------------- package rules
def test_logic_package_does_not_import_streamlit():
    code = "import sys, explorer.charts, explorer.figures; assert 'streamlit' not in sys.modules, 'streamlit imported'"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True)


def test_colour_helpers():
    for c in ["#FFFF00", "#000000", "#FFFFFF", "#1F77B4", "#FF9900", "#0E1117"]:
        r = ch.readable(c)
        assert ch.contrast(r, WHITE) >= 3 and ch.contrast(r, DARK) >= 3, (c, r)
        assert ch.contrast(r, ch.text_colour_on(r)) >= 4.5
    assert ch.readable("#1F77B4") == "#1F77B4"  # already mid-tone: unchanged
    assert round(ch.contrast("#FFFFFF", "#000000"), 1) == 21.0


# --------------------------------------------------------------------------- breakdown
def test_donut_four_equal_slices_in_yaml_order(breakdown):
    fig = ch.breakdown_donut(breakdown)
    assert len(fig.data) == 2  # the pie and the invisible click targets
    pie = fig.data[0]
    assert pie.type == "pie"
    assert list(pie.values) == [25, 25, 25, 25]
    assert list(pie.customdata) == ["devops", "data", "models", "business"]
    assert list(pie.labels) == [q.name for q in breakdown.quarters]
    assert [t.split("<br>")[1] for t in pie.text] == ["25%"] * 4
    assert pie.sort is False and pie.direction == "clockwise"
    assert list(pie.pull) == [0, 0, 0, 0]
    assert fig.layout.title.text == breakdown.title
    assert "4 quarters" in ch.describe(fig) and "DevOps 25%" in ch.describe(fig)


def test_donut_selected_slice_pulled_and_others_dimmed(breakdown):
    plain = ch.breakdown_donut(breakdown).data[0]
    fig = ch.breakdown_donut(breakdown, selected="models")
    pie = fig.data[0]
    assert [p > 0 for p in pie.pull] == [False, False, True, False]
    assert pie.marker.colors[2] == plain.marker.colors[2]
    assert all(pie.marker.colors[i] != plain.marker.colors[i] for i in (0, 1, 3))
    assert list(pie.marker.line.width)[2] > max(list(pie.marker.line.width)[i] for i in (0, 1, 3))
    assert "Selected: Model development" in ch.describe(fig)
    # an unknown id (a stale URL) selects nothing
    assert list(ch.breakdown_donut(breakdown, selected="nope").data[0].pull) == [0, 0, 0, 0]


def test_donut_click_targets_sit_in_their_slices(breakdown):
    import math

    targets = ch.breakdown_donut(breakdown).data[1]
    assert list(targets.customdata) == ["devops", "data", "models", "business"]
    # clockwise from 12 o'clock: devops top-right, data bottom-right, models bottom-left, business top-left
    quadrants = [(x > 0, y > 0) for x, y in zip(targets.x, targets.y)]
    assert quadrants == [(True, True), (True, False), (False, False), (False, True)]
    assert all(0.48 < math.hypot(x, y) < 1 for x, y in zip(targets.x, targets.y))  # inside the ring
    assert len(ch.breakdown_donut(breakdown, static=True).data) == 1  # exported image: no click targets


def test_breakdown_table(breakdown):
    df = ch.breakdown_table(breakdown)
    assert list(df["id"]) == ["devops", "data", "models", "business"]
    assert df["Share (%)"].sum() == 100
    assert {"Quarter", "Description", "Examples"} <= set(df.columns)


# --------------------------------------------------------------------------- your split
def test_split_largest_over_share(breakdown):
    a = bdl.split_analysis(breakdown, {"devops": 40, "data": 20, "models": 20, "business": 20})
    assert a.largest == "devops" and a.largest_diff == pytest.approx(15)
    assert a.diffs == pytest.approx({"devops": 15, "data": -5, "models": -5, "business": -5})
    assert not a.normalised and a.notes == ()
    assert "DevOps" in a.message and "40%" in a.message and "+15.0 percentage points" in a.message
    assert a.message.endswith(".") and ". " not in a.message  # one sentence


def test_split_largest_under_share(breakdown):
    a = bdl.split_analysis(breakdown, {"devops": 30, "data": 30, "models": 30, "business": 10})
    assert a.largest == "business" and a.largest_diff == pytest.approx(-15)
    assert "Business framing" in a.message and "only 10%" in a.message and "-15.0" in a.message


def test_split_not_summing_to_100_is_normalised(breakdown):
    a = bdl.split_analysis(breakdown, {"devops": 10, "data": 50, "models": 20, "business": 0})
    assert a.total == 80 and a.normalised
    assert a.shares == pytest.approx({"devops": 12.5, "data": 62.5, "models": 25, "business": 0})
    assert sum(a.shares.values()) == pytest.approx(100)
    assert a.largest == "data" and a.largest_diff == pytest.approx(37.5)
    assert any("add up to 80" in n and "rescaled" in n for n in a.notes)


def test_split_hours_are_fine(breakdown):
    a = bdl.split_analysis(breakdown, {"devops": 2, "data": 2, "models": 2, "business": 2})
    assert a.normalised and a.balanced and a.largest is None
    assert "matches the even split" in a.message


@pytest.mark.parametrize("split", [{}, {"devops": 0, "data": 0, "models": 0, "business": 0}, {"devops": -3}])
def test_split_all_zero(breakdown, split):
    a = bdl.split_analysis(breakdown, split)
    assert a.all_zero and a.largest is None and a.diffs == {} and a.largest_diff == 0
    assert set(a.shares.values()) == {0.0}
    assert "zero" in a.message
    fig = ch.split_comparison(breakdown, split)  # no division by zero
    assert list(trace(fig, "Your split").y) == [0, 0, 0, 0]


def test_split_tie_goes_to_first_quarter(breakdown):
    a = bdl.split_analysis(breakdown, {"devops": 35, "data": 15, "models": 25, "business": 25})
    assert a.largest == "devops" and a.largest_diff == pytest.approx(10)


def test_split_bad_values_are_zero_with_a_note(breakdown):
    a = bdl.split_analysis(breakdown, {"devops": -5, "data": "lots", "models": 50, "business": float("nan"), "ml": 3})
    assert a.entered == {"devops": 0, "data": 0, "models": 50, "business": 0}
    text = " ".join(a.notes)
    assert "Negative" in text and "not numbers" in text and "unknown quarters: ml" in text


def test_split_against_an_uneven_reference():
    bd = make_breakdown((50, 30, 20))
    a = bdl.split_analysis(bd, {"alpha": 50, "beta": 30, "gamma": 20})
    assert a.balanced
    a = bdl.split_analysis(bd, {"alpha": 20, "beta": 30, "gamma": 50})
    assert a.largest == "alpha" and a.largest_diff == pytest.approx(-30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(min_value=0, max_value=1e6, allow_nan=False), min_size=4, max_size=4))
def test_split_properties(values):
    bd = make_breakdown((25, 25, 25, 25))
    split = dict(zip(["alpha", "beta", "gamma", "delta"], values))
    a = bdl.split_analysis(bd, split)
    if sum(values) <= 0:
        assert a.all_zero and a.largest is None
        return
    assert sum(a.shares.values()) == pytest.approx(100)
    assert sum(a.diffs.values()) == pytest.approx(0, abs=1e-6)
    if a.largest is not None:
        assert abs(a.largest_diff) == pytest.approx(max(abs(d) for d in a.diffs.values()))
        assert a.largest_diff == a.diffs[a.largest]
    else:
        assert max(abs(d) for d in a.diffs.values()) < bdl.BALANCED_TOLERANCE


def test_split_comparison_figure(breakdown):
    split = {"devops": 10, "data": 50, "models": 20, "business": 20}
    fig = ch.split_comparison(breakdown, split)
    even, mine = trace(fig, "Even split"), trace(fig, "Your split")
    assert list(even.x) == list(mine.x) == ["DevOps", "Data", "Models", "Business"]
    assert list(even.y) == [25, 25, 25, 25]
    assert list(mine.y) == pytest.approx([10, 50, 20, 20])
    assert list(mine.customdata) == ["devops", "data", "models", "business"]
    widths = list(mine.marker.line.width)
    assert widths[1] > 0 and widths[0] == widths[2] == widths[3] == 0  # the largest imbalance is outlined
    assert "Data automation" in fig.layout.title.subtitle.text
    assert fig.layout.yaxis.title.text and fig.layout.xaxis.title.text
    df = ch.split_table(breakdown, split)
    assert list(df["Difference (pp)"]) == [-15, 25, -5, -5]


# --------------------------------------------------------------------------- ladders
def rung_traces(fig, vendors):
    return {v.id: trace(fig, v.name) for v in vendors}


def test_ladder_rungs_per_vendor_in_rank_order(vendors, by_id):
    fig = ch.ladder_chart(vendors)
    rungs = rung_traces(fig, vendors)
    assert {k: len(t.x) for k, t in rungs.items()} == {"aws": 4, "azure": 5, "google": 3}
    for v in vendors:
        t = rungs[v.id]
        assert list(t.customdata) == [lv.id for lv in sorted(v.levels, key=lambda lv: lv.rank)]
        assert list(t.x) == [lv.automation for lv in v.levels]
        assert list(t.x) == sorted(t.x)
        ys = list(t.y)
        assert ys == sorted(ys) and len(set(ys)) == len(ys)  # each rung a step higher
        assert t.meta == v.id
    assert [lv.rank for lv in by_id["azure"].levels] == [0, 1, 2, 3, 4]
    assert [lv.rank for lv in by_id["aws"].levels] == [1, 2, 3, 4]


def test_ladder_one_common_x_axis_and_separate_bands(vendors):
    fig = ch.ladder_chart(vendors)
    assert {t.xaxis or "x" for t in fig.data} == {"x"}
    assert tuple(fig.layout.xaxis.range) == (-0.06, 1.06)
    assert "manual" in fig.layout.xaxis.title.text.lower() and "automated" in fig.layout.xaxis.title.text.lower()
    assert fig.layout.yaxis.title.text
    rungs = rung_traces(fig, vendors)
    order = [v.id for v in vendors]
    for upper, lower in zip(order, order[1:]):  # first vendor on top, bands do not overlap
        assert min(rungs[upper].y) > max(rungs[lower].y)
    assert [t.split("<br>")[0] for t in fig.layout.yaxis.ticktext] == [f"<b>{v.name}</b>" for v in vendors]


def test_ladder_hover_and_labels(vendors, by_id):
    fig = ch.ladder_chart(vendors)
    aws = trace(fig, by_id["aws"].name)
    lv = by_id["aws"].levels[1]
    assert lv.name in aws.hovertext[1] and lv.summary[:40] in aws.hovertext[1].replace("<br>", " ")
    assert aws.text[1] == f"Phase 2 · {lv.name}"
    assert "Phase 1" in ch.describe(fig) and "Google Cloud, 3 levels" in ch.describe(fig)


def test_ladder_selected_rung_highlighted(vendors, by_id):
    fig = ch.ladder_chart(vendors, selected="azure-2")
    sel = trace(fig, "Selected rung")
    assert list(sel.customdata) == ["azure-2"]
    azure = trace(fig, by_id["azure"].name)
    assert (sel.x[0], sel.y[0]) == (azure.x[2], azure.y[2])
    sizes = list(azure.marker.size)
    assert sizes[2] > max(sizes[:2] + sizes[3:])
    assert "<b>" in azure.text[2] and "<b>" not in azure.text[1]
    assert not has_trace(ch.ladder_chart(vendors), "Selected rung")
    assert not has_trace(ch.ladder_chart(vendors, selected="no-such-level"), "Selected rung")


def test_ladder_positions_marked(vendors, by_id):
    fig = ch.ladder_chart(vendors, positions={"aws": "aws-reliable", "azure": "azure-1", "google": None})
    here = trace(fig, "You are here")
    assert list(here.customdata) == ["aws-reliable", "azure-1", ""]
    aws = trace(fig, by_id["aws"].name)
    assert here.x[0] == aws.x[2] and here.y[0] > aws.y[2]  # pointer just above the rung
    assert "below Google Cloud Level 0" in here.hovertext[2]
    assert fig.layout.showlegend is True
    assert not has_trace(ch.ladder_chart(vendors), "You are here")
    assert not has_trace(ch.ladder_chart(vendors, positions={"aws": "bogus"}), "You are here")


def test_ladder_compact_and_single(vendors, by_id):
    compact = ch.ladder_chart(vendors, compact=True)
    az = trace(compact, by_id["azure"].name)
    assert list(az.text) == ["0", "1", "2", "3", "4"]
    assert compact.layout.height < ch.ladder_chart(vendors).layout.height
    single = ch.ladder_chart([by_id["google"]], static=True, taglines=True)
    assert list(single.layout.yaxis.ticktext) == ["Level 0", "Level 1", "Level 2"]
    g = trace(single, by_id["google"].name)
    assert all(lv.tagline in txt for lv, txt in zip(by_id["google"].levels, g.text))
    assert single.layout.paper_bgcolor == WHITE and single.layout.width == 1200
    with pytest.raises(ValueError):
        ch.ladder_chart([])


def test_ladder_table(vendors):
    df = ch.ladder_table(vendors)
    assert len(df) == 12
    assert list(df[df["vendor_id"] == "azure"]["Rung"]) == [f"Level {i}" for i in range(5)]
    assert list(df[df["vendor_id"] == "aws"]["Rung"]) == [f"Phase {i}" for i in range(1, 5)]


def test_level_diff_real_content(vendors):
    for v in vendors:
        assert ladders.level_diff(v, v.levels[0]) == []
        for lv in v.levels[1:]:
            diff = ladders.level_diff(v, lv)
            assert diff and all(isinstance(x, str) and x for x in diff)
            if lv.changes:
                assert diff == list(lv.changes)
    aws = next(v for v in vendors if v.id == "aws")
    assert ladders.level_diff(aws, "aws-reliable") == list(aws.levels[2].changes)


def test_level_diff_derived_from_lists_and_cells():
    cells0 = schema.AzureCells(people="alone", model_creation="manual", model_release="manual", application_integration="none")
    cells1 = schema.AzureCells(people="together", model_creation="manual", model_release="automatic", application_integration="none")
    v = make_vendor(levels=[
        make_level("acme-0", 0, 0.1, components=["notebooks", "git"], triggers=["by hand"], cells=cells0),
        make_level("acme-1", 1, 0.5, components=["git", "pipeline"], triggers=["by hand"], technology=["K8s"], cells=cells1),
        make_level("acme-2", 2, 0.9, components=["git", "pipeline"], triggers=["by hand"], technology=["K8s"], cells=cells1),
    ])
    assert ladders.level_diff(v, "acme-0") == []
    assert ladders.level_diff(v, "acme-1") == [
        "New in components: pipeline",
        "No longer in components: notebooks",
        "New in technology: K8s",
        "People: together",
        "Model release: automatic",
    ]
    (only,) = ladders.level_diff(v, "acme-2")  # nothing listed changes: fall back to the summary
    assert "Stage 1" in only and "summary of acme-2" in only
    with pytest.raises(ValueError):
        ladders.level_diff(v, "other-1")


def test_compare_levels(vendors, by_id):
    df = ladders.compare_levels(by_id["azure"], "azure-2", by_id["google"], "google-1")
    assert list(df.columns) == ["Microsoft Azure · Level 2", "Google Cloud · Level 1"]
    for row in ("Summary", "Automation", "Details", "What changes", "People", "Model release", "Components", "Triggers"):
        assert row in df.index
    assert df.loc["Automation"].tolist() == ["0.45", "0.45"]
    assert df.loc["People", "Google Cloud · Level 1"] == "—"
    assert df.loc["Name"].tolist() == ["Automated Training", "ML pipeline automation"]
    aws_google = ladders.compare_levels(by_id["aws"], "aws-initial", by_id["google"], "google-0")
    assert "People" not in aws_google.index and "Accounts" in aws_google.index
    assert aws_google.loc["What changes"].tolist() == ["—", "—"]  # both are first rungs
    same = ladders.compare_levels(by_id["aws"], "aws-initial", by_id["aws"], "aws-initial")
    assert list(same.columns) == ["Amazon Web Services · Phase 1 (A)", "Amazon Web Services · Phase 1 (B)"]


# --------------------------------------------------------------------------- crosswalk
def test_crosswalk_matrix(content, vendors):
    cw = need(content, "crosswalk")
    fig = ch.crosswalk_matrix(cw, vendors)
    hm = fig.data[0]
    assert hm.type == "heatmap"
    assert len(hm.z) == len(cw.rows) and all(len(r) == len(vendors) for r in hm.z)
    assert list(hm.x) == [v.name for v in vendors]
    levels = {lv.id: (v, lv) for v in vendors for lv in v.levels}
    for i, row in enumerate(cw.rows):
        assert row.rationale[:30] in hm.hovertext[i][0].replace("<br>", " ")
        for j, v in enumerate(vendors):
            ids = row.levels.get(v.id, [])
            assert hm.customdata[i][j] == [row.id, v.id, ",".join(ids)]
            if ids:
                assert hm.z[i][j] == pytest.approx(sum(levels[x][1].automation for x in ids) / len(ids))
                assert all(levels[x][1].name.split()[0] in hm.text[i][j] for x in ids)
            else:
                assert hm.z[i][j] is None and hm.text[i][j] == ""
    assert fig.layout.yaxis.autorange == "reversed"
    df = ch.crosswalk_table(cw, vendors)
    assert list(df.columns) == ["Stage", *[v.name for v in vendors], "Rationale", "id"]
    assert len(df) == len(cw.rows)


def test_crosswalk_ignores_unknown_levels():
    v = make_vendor()
    cw = schema.Crosswalk(summary="s", caveat="c", rows=[
        schema.CrosswalkRow(id="one", stage="One", levels={"acme": ["acme-0", "ghost"]}, rationale="r"),
        schema.CrosswalkRow(id="two", stage="Two", levels={}, rationale="r2"),
    ])
    hm = ch.crosswalk_matrix(cw, [v]).data[0]
    assert [list(r) for r in hm.z] == [[0.0], [None]]
    assert list(ch.crosswalk_table(cw, [v])["Acme Cloud"]) == ["Stage 0 (Acme-0)", "—"]


# --------------------------------------------------------------------------- hierarchy
def test_hierarchy_pyramid_bottom_to_top(content):
    h = need(content, "hierarchy")
    fig = ch.hierarchy_pyramid(h)
    bar = fig.data[0]
    n = len(h.tiers)
    assert list(bar.customdata) == [t.id for t in h.tiers]
    assert bar.customdata[0] == "devops" and bar.customdata[-1] == "mlops"
    assert list(bar.y) == list(range(n))  # y = 0 is the bottom
    widths = list(bar.x)
    assert widths == sorted(widths, reverse=True) and len(set(widths)) == n  # widest at the bottom
    assert all(abs(b + w / 2) < 1e-9 for b, w in zip(bar.base, widths))  # centred
    assert all(t.name in txt for t, txt in zip(h.tiers, bar.text))
    assert "DevOps → DataOps" in ch.describe(fig)
    sel = ch.hierarchy_pyramid(h, selected="platform-automation").data[0]
    assert sel.marker.color[2] == bar.marker.color[2]
    assert all(sel.marker.color[i] != bar.marker.color[i] for i in (0, 1, 3))
    df = ch.hierarchy_table(h)
    assert list(df["id"]) == [t.id for t in h.tiers] and df["Tier"].iloc[0].endswith("(foundation)")


# --------------------------------------------------------------------------- workflows
def test_workflows_diagram(content):
    wfs = need(content, "workflows")
    fig = ch.workflows_diagram(wfs)
    for wf in wfs.workflows:
        t = trace(fig, wf.name)
        if wf.pipeline:
            assert list(t.customdata) == [c.id for c in wf.components]  # in flow order
        else:
            assert sorted(t.customdata) == sorted(c.id for c in wf.components)  # laid out by group
        assert t.meta == wf.id
    light = next(w for w in wfs.workflows if w.pipeline)
    lt = trace(fig, light.name)
    assert list(lt.x) == sorted(lt.x) and len(set(lt.y)) == 1  # one row, left to right
    heavy = next(w for w in wfs.workflows if not w.pipeline)
    ht = trace(fig, heavy.name)
    assert max(ht.y) < min(lt.y)  # heavy below light
    boxes = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(boxes) == sum(len(w.components) for w in wfs.workflows) + 1  # + the platform frame
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert len(arrows) >= len(light.components) - 1
    df = ch.workflows_table(wfs)
    assert len(df) == sum(len(w.components) for w in wfs.workflows)
    assert list(df[df["workflow_id"] == light.id]["Step"]) == list(range(1, len(light.components) + 1))


def test_workflows_edge_cases():
    comps = [schema.WorkflowComponent(id=f"c{i}", name=f"Step {i}", description="d", group="g") for i in range(7)]
    plat = [schema.WorkflowComponent(id=f"p{i}", name=f"Part {i}", description="d", group=g) for i, g in enumerate("aabbc")]
    wfs = schema.Workflows(summary="s", source_url="https://example.org", workflows=[
        schema.Workflow(id="long", name="Long", summary="s", spectrum="A -> B", pipeline=True, components=comps),
        schema.Workflow(id="plat", name="Plat", summary="s", spectrum="none", pipeline=False, components=plat),
    ])
    fig = ch.workflows_diagram(wfs)
    long = trace(fig, "Long")
    assert len(set(long.y)) == 2  # seven steps wrap onto two rows
    assert sorted(trace(fig, "Plat").customdata) == [c.id for c in plat]


# --------------------------------------------------------------------------- analogy
def test_analogy_chart(content):
    an = need(content, "analogy")
    fig = ch.analogy_chart(an)
    pts = fig.data[0]
    assert list(pts.customdata) == [r.id for r in an.rows]
    assert list(pts.x) == [r.effort for r in an.rows]
    assert list(pts.y) == [r.control for r in an.rows]
    assert [t.replace("<b>", "").replace("</b>", "") for t in pts.text] == [f"{r.food} / {r.ml}" for r in an.rows]
    assert "Effort" in fig.layout.xaxis.title.text and "Control" in fig.layout.yaxis.title.text
    assert len(ch.analogy_table(an)) == len(an.rows)


def test_analogy_overlapping_options_are_nudged():
    rows = [schema.AnalogyRow(id=f"r{i}", food="f", ml="m", effort=3, control=3, explanation="e") for i in range(2)]
    pts = ch.analogy_chart(schema.Analogy(title="t", attribution="a", confirmed=True, rows=rows)).data[0]
    assert (pts.x[0], pts.y[0]) != (pts.x[1], pts.y[1])


# --------------------------------------------------------------------------- certifications
@pytest.mark.parametrize("field", sorted(ch.CERT_FIELDS))
def test_certs_by(content, field):
    certs = need(content, "certifications").certifications
    fig = ch.certs_by(certs, field)
    bar = fig.data[0]
    counts = {}
    for c in certs:
        counts[getattr(c, field)] = counts.get(getattr(c, field), 0) + 1
    assert dict(zip(bar.customdata, bar.x)) == counts
    assert sum(bar.x) == len(certs)
    assert list(bar.x) == sorted(bar.x, reverse=True)
    assert fig.layout.xaxis.title.text == "Number of certifications"
    df = ch.certs_by_table(certs, field)
    assert df["Count"].sum() == len(certs)


def test_certs_by_status_and_issuer(content):
    certs = need(content, "certifications").certifications
    bar = ch.certs_by(certs, "issuer").data[0]
    assert bar.customdata[0] == "Amazon Web Services"
    status = ch.certs_by(certs, "status").data[0]
    assert set(status.customdata) == {c.status for c in certs}
    assert len(set(status.marker.color)) == len(status.customdata)  # one colour per status
    with pytest.raises(ValueError):
        ch.certs_by(certs, "price")


def test_certs_quarter_matrix(content, breakdown):
    certs = need(content, "certifications").certifications
    fig = ch.certs_quarter_matrix(certs, breakdown)
    serves, empty = trace(fig, "Serves"), trace(fig, "Not served")
    assert len(serves.x) == sum(len(c.quarters) for c in certs)
    assert len(serves.x) + len(empty.x) == len(certs) * len(breakdown.quarters)
    pairs = {tuple(cd) for cd in serves.customdata}
    assert pairs == {(c.id, q) for c in certs for q in c.quarters}
    assert list(fig.layout.xaxis.categoryarray) == [q.short for q in breakdown.quarters]
    assert len(fig.layout.yaxis.categoryarray) == len(certs)
    assert any("(retired)" in y for y in fig.layout.yaxis.categoryarray)
    df = ch.certs_quarter_table(certs, breakdown)
    assert (df[[q.short for q in breakdown.quarters]] == "✓").sum().sum() == len(serves.x)
    assert len(ch.certs_table(certs)) == len(certs)


# --------------------------------------------------------------------------- every figure
def all_figures(content):
    bd, vs = content.breakdown, content.vendors
    certs = content.certifications
    return {
        "donut": lambda s: ch.breakdown_donut(bd, "data", static=s),
        "split": lambda s: ch.split_comparison(bd, {"devops": 1, "data": 3}, static=s),
        "ladder": lambda s: ch.ladder_chart(vs, "azure-1", {"aws": "aws-initial"}, static=s),
        "ladder_compact": lambda s: ch.ladder_chart(vs, compact=True, static=s),
        "crosswalk": lambda s: ch.crosswalk_matrix(content.crosswalk, vs, static=s),
        "hierarchy": lambda s: ch.hierarchy_pyramid(content.hierarchy, "mlops", static=s),
        "workflows": lambda s: ch.workflows_diagram(content.workflows, static=s),
        "analogy": lambda s: ch.analogy_chart(content.analogy, static=s),
        "certs_by": lambda s: ch.certs_by(certs, "domain", static=s),
        "certs_quarters": lambda s: ch.certs_quarter_matrix(certs, bd, static=s),
    }


HIDDEN_AXES = {"donut", "hierarchy", "workflows"}


def test_every_figure_titled_described_themable_and_deterministic(content):
    for name, build in all_figures(content).items():
        fig = build(False)
        assert fig.layout.title.text, name
        assert len(ch.describe(fig)) > 40, name
        assert fig.layout.paper_bgcolor == "rgba(0,0,0,0)" and fig.layout.plot_bgcolor == "rgba(0,0,0,0)", name
        assert fig.layout.font.color is None, f"{name}: app figures leave the text colour to the theme"
        assert fig.layout.width is None, name
        if name not in HIDDEN_AXES:
            assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text, f"{name}: axis titles"
        # same input -> same figure, whatever the default template is
        before = pio.templates.default
        try:
            pio.templates.default = "plotly_dark"
            other = build(False)
        finally:
            pio.templates.default = before
        assert json.loads(fig.to_json()) == json.loads(other.to_json()), name
        static = build(True)
        assert static.layout.paper_bgcolor == WHITE and static.layout.width == 1200, name
        assert static.layout.font.color and ch.contrast(static.layout.font.color, WHITE) >= 7, name



def test_compact_exported_figures_take_the_app_layout_in_the_exported_colours(content):
    """The home page's images (``width`` < COMPACT_WIDTH): drawn like the app's column charts (legend
    underneath, app font sizes), on white with dark text, at the width asked for."""
    bd, h = content.breakdown, content.hierarchy
    app, big, small = ch.breakdown_donut(bd), ch.breakdown_donut(bd, static=True), ch.breakdown_donut(bd, static=True, width=480)
    assert small.layout.width == 480 and big.layout.width == 1200
    assert small.layout.paper_bgcolor == WHITE and small.layout.font.color == big.layout.font.color
    assert small.layout.legend.orientation == app.layout.legend.orientation == "h" and big.layout.legend.orientation == "v"
    assert list(small.data[0].domain.x) == list(app.data[0].domain.x) == [0.0, 1.0]
    assert small.data[0].insidetextfont.size == app.data[0].insidetextfont.size == 14
    assert len(small.data) == 1  # exported: no click targets
    assert ch.describe(small) == ch.describe(big)
    pyr_app, pyr_small = ch.hierarchy_pyramid(h), ch.hierarchy_pyramid(h, static=True, width=480)
    assert pyr_small.layout.height == pyr_app.layout.height == 480 and pyr_small.layout.width == 480
    assert list(pyr_small.data[0].text) == list(pyr_app.data[0].text)  # same wrapping as in the app
    assert pyr_small.layout.title.font.size == pyr_app.layout.title.font.size == 17
    assert ch.breakdown_donut(bd, static=True, width=900).layout.legend.orientation == "v"  # wide enough: the full layout
    with pytest.raises(ValueError, match="static"):
        ch.hierarchy_pyramid(h, width=480)
    with pytest.raises(ValueError, match="too narrow"):
        ch.breakdown_donut(bd, static=True, width=100)

def _colours(fig):
    for t in fig.data:
        marker = getattr(t, "marker", None)
        if marker is None:
            continue
        value = getattr(marker, "colors", None) if t.type == "pie" else marker.color
        if value is None:
            continue
        for c in ([value] if isinstance(value, str) else list(value)):
            if isinstance(c, str) and c.startswith("#"):
                yield c


def test_mark_colours_read_on_light_and_dark(content):
    for name, build in all_figures(content).items():
        for c in _colours(build(False)):
            assert ch.contrast(c, WHITE) >= 3 and ch.contrast(c, DARK) >= 3, f"{name}: {c}"
    for _, colour in ch.CROSSWALK_SCALE:
        assert ch.contrast(colour, WHITE) >= 4.5  # white cell text


def test_builders_are_deterministic(content):
    """Building a figure twice gives the same figure (their cost is in ``python -m bench``, not here)."""
    for name, build in all_figures(content).items():
        assert build(False).to_plotly_json() == build(False).to_plotly_json(), name
