"""The maturity-ladder page's parts: the ladders (chart, or written out on a phone), one rung in detail, the
crosswalk, and two rungs side by side (``?compare=<id>,<id>``, kept in the URL by :mod:`ui.urlstate`)."""

from __future__ import annotations

import streamlit as st

from explorer import charts
from explorer.assess import ladders
from explorer.content.loader import Content
from explorer.routes import PAGES

from . import urlstate
from .caches import figure, table
from .frame import need
from .widgets import bullets, glossary_links, literal, note_links, plotly, source_line, titled_bullets

VIEWS = {"details": "Rung details", "crosswalk": "Crosswalk", "compare": "Compare two rungs"}


class Ladders:
    """The rungs of every vendor by id, and how to name one."""

    def __init__(self, c: Content) -> None:
        self.c = c
        self.vendors = c.vendors
        self.levels = {lv.id: (v, lv) for v in self.vendors for lv in v.levels}
        self.rows = {r.id: r for r in c.crosswalk.rows} if c.ok("crosswalk") else {}

    def label(self, level_id: str) -> str:
        return ladders.rung_heading(*self.levels[level_id])

    def first_rung(self, vendor_id: str | None) -> str | None:
        return next((v.levels[0].id for v in self.vendors if v.id == vendor_id and v.levels), None)


def follow_pair(lad: Ladders) -> tuple[str, str] | None:
    """``?compare=<id>,<id>``: the two rungs the compare view's pickers start from."""
    def parse(raw: str) -> tuple[str, str]:
        pair = [p for p in raw.split(",") if p in lad.levels]
        if len(pair) != 2:
            raise ValueError(f"The link's compare value “{literal(raw)}” does not name two rungs; pick them below.")
        return pair[0], pair[1]

    return urlstate.follow("compare", parse=parse, what="the comparison")


def overview(lad: Ladders, selected: str | None) -> None:
    """The ladders as a chart (a click selects a rung), written out where the chart's labels are too small."""
    fig = figure(lad.c, "ladder", charts.ladder_chart, lad.vendors, selected=selected)
    with st.container(key="wide-only-ladder-chart"):  # app.css shows one of the two
        plotly(fig, alt=charts.describe(fig), key="ladder_chart",
               on_select=urlstate.on_chart_select("ladder_chart", "rung", lad.levels))
    with st.container(key="narrow-only-ladders"):
        for v in lad.vendors:
            st.markdown(f"**{literal(v.name, 120)}**: {literal(v.model_name, 200)}, {len(v.levels)} "
                        f"{literal(v.level_word.lower())}s from manual to automated")
            st.markdown("\n".join(
                f"- {'**▶ ' if lv.id == selected else ''}{literal(ladders.rung_title(v, lv), 200)}{'**' if lv.id == selected else ''}"
                + (f": {literal(lv.tagline, 200)}" if lv.tagline else "") + f" (automation {lv.automation:.2f})"
                for lv in v.levels))
    with st.expander("The ladders as a table", icon=":material/table:"):
        st.dataframe(table(lad.c, "ladder_table", charts.ladder_table, lad.vendors), hide_index=True, width="stretch")


def rung_details(lad: Ladders, selected: str) -> None:
    v, lv = lad.levels[selected]
    with st.container(border=True):
        st.markdown(f"### {literal(lad.label(selected), 200)}")
        if lv.tagline:
            st.caption(literal(lv.tagline, 300))
        st.markdown(f"**{literal(lv.summary, 600)}**")
        left, right = st.columns(2, gap="large")
        with left:
            titled_bullets("What it looks like", lv.details)
            st.markdown("**What changes from the rung below**")
            diff = ladders.level_diff(v, lv)
            if diff:
                bullets(diff)
            else:
                st.caption("This is the first rung of the ladder: there is nothing below it.")
            titled_bullets("Still manual / left open", lv.still_manual)
        with right:
            if lv.cells:
                st.markdown("**Azure's four dimensions**")
                st.table({
                    "Dimension": ["People", "Model creation", "Model release", "Application integration"],
                    "At this level": [lv.cells.people, lv.cells.model_creation, lv.cells.model_release, lv.cells.application_integration],
                })
            for title, items in (("Components", lv.components), ("Training triggers", lv.triggers),
                                 ("Accounts and environments", lv.accounts), ("Capabilities", lv.capabilities),
                                 ("Technology", lv.technology)):
                titled_bullets(title, items, 400)
        st.markdown("**Read more**")
        note_links(lv.notes, lad.c)
        glossary_links(lv.glossary, lad.c)
        source_line(lv.source_url, lv.last_verified)
        for r in lad.rows.values():
            if any(selected in ids for ids in r.levels.values()):
                others = [lad.label(i) for ids in r.levels.values() for i in ids if i != selected and i in lad.levels]
                if others:
                    st.caption(f"Crosswalk stage “{literal(r.stage)}”: lines up with " + "; ".join(literal(o) for o in others))


def caveats(lad: Ladders) -> None:
    for v in lad.vendors:
        if v.caveats:
            with st.expander(f"What is not settled about the {v.name} model", icon=":material/help:"):
                bullets(v.caveats)


def crosswalk(lad: Ladders, stage: str | None) -> None:
    if not need(lad.c, "crosswalk", stop=False):
        return
    cw, rows = lad.c.crosswalk, lad.rows
    st.markdown(literal(cw.summary, 1500))
    st.caption(literal(cw.caveat, 800))
    fig = figure(lad.c, "crosswalk", charts.crosswalk_matrix, cw, lad.vendors)
    plotly(fig, alt="Matrix of shared stages (rows) against vendors (columns); each cell names the vendor's rungs at that stage")
    st.dataframe(table(lad.c, "crosswalk_table", charts.crosswalk_table, cw, lad.vendors), hide_index=True, width="stretch")
    st.selectbox("Stage", list(rows), format_func=lambda i: rows[i].stage, index=urlstate.index(rows, stage),
                 placeholder="Pick a stage to read why its rungs line up", **urlstate.widget("stage", "ladder_stage"))
    if stage:
        r = rows[stage]
        st.info(f"**{literal(r.stage)}**: {literal(r.rationale, 600)}", icon=":material/compare_arrows:")


def compare(lad: Ladders, selected: str | None, pair: tuple[str, str] | None) -> None:
    """Two rungs side by side; the pickers start from the link's pair, else the selected rung and another vendor's."""
    levels, ids = lad.levels, list(lad.levels)
    if pair is None:
        first = selected or ids[0]
        pair = first, next((i for i in ids if levels[i][0].id != levels[first][0].id), ids[-1])
    keys = urlstate.widget_key("compare", "cmp_a"), urlstate.widget_key("compare", "cmp_b")

    def push_pair() -> None:
        urlstate.push("compare", ",".join(st.session_state[k] for k in keys))

    ca, cb = st.columns(2)
    a = ca.selectbox("Left rung", ids, index=ids.index(pair[0]), format_func=lad.label, key=keys[0], on_change=push_pair)
    b = cb.selectbox("Right rung", ids, index=ids.index(pair[1]), format_func=lad.label, key=keys[1], on_change=push_pair)
    (va, la), (vb, lb) = levels[a], levels[b]
    st.dataframe(ladders.compare_levels(va, la, vb, lb), width="stretch")
    delta = lb.automation - la.automation
    if abs(delta) < 0.05:
        st.info("These two rungs sit at about the same place on the common automation axis.", icon=":material/drag_handle:")
    else:
        higher = lad.label(b) if delta > 0 else lad.label(a)
        st.info(f"{literal(higher)} is further along the manual → automated axis (by {abs(delta):.0%} of the axis).",
                icon=":material/trending_up:")
    st.page_link(PAGES["ladders"].file, label="Link to this comparison", icon=":material/link:",
                 query_params={"view": "compare", "compare": f"{a},{b}"})
