"""Maturity-ladder explorer: AWS, Azure and Google Cloud on one manual -> automated axis.

Deep links: ``/Maturity_Ladders?rung=<level-id>`` selects a rung (``?vendor=<id>`` its first rung);
``?view=crosswalk&stage=<row-id>`` opens the crosswalk at a stage; ``?view=compare&compare=<id>,<id>``
compares two rungs.
"""

import streamlit as st

import ui
from explorer import charts, ladders
from explorer.routes import PAGES

c = ui.frame("Maturity ladders", ":material/stairs:")
st.title("Maturity ladders")
ui.need(c, "maturity")
vendors = c.vendors
levels = {lv.id: (v, lv) for v in vendors for lv in v.levels}
rows = {r.id: r for r in c.crosswalk.rows} if c.ok("crosswalk") else {}
VIEWS = {"details": "Rung details", "crosswalk": "Crosswalk", "compare": "Compare two rungs"}


def rung_label(level_id: str) -> str:
    return ladders.rung_heading(*levels[level_id])


st.markdown(
    "Each cloud vendor describes MLOps maturity as a ladder. The three ladders use different words and different "
    "numbers of rungs, so here they share one horizontal axis: how much of the path from data to a model in production "
    "runs without a person pushing it. **Hover** a rung for its summary, **click** it (or pick it below) for everything about it."
)

selected = ui.bind("rung", "rung", choices=levels, what="the rung")
vendor = ui.bind("vendor", "ladder_vendor", choices=[v.id for v in vendors], what="the vendor")
if selected is None and vendor:
    selected = next(v for v in vendors if v.id == vendor).levels[0].id
stage = ui.bind("stage", "ladder_stage", choices=rows, what="the crosswalk stage")


def _parse_pair(raw: str) -> tuple[str, str]:
    pair = [p for p in raw.split(",") if p in levels]
    if len(pair) != 2:
        raise ValueError(f"The link's compare value “{ui.literal(raw)}” does not name two rungs; pick them below.")
    return pair[0], pair[1]


def _fill_pair(pair) -> None:
    if pair:
        st.session_state["cmp_a"], st.session_state["cmp_b"] = pair


pair = ui.bind("compare", "ladder_pair", parse=_parse_pair, what="the comparison", apply=_fill_pair)
default_view = "compare" if pair else "crosswalk" if stage else "details"
view = ui.bind("view", "ladder_view", choices=VIEWS, default=default_view, what="the view") or "details"

fig = ui.figure(c, "ladder", charts.ladder_chart, vendors, selected=selected)
# On a phone the chart's labels are too small to read: the ladders are written out instead (app.css).
with st.container(key="wide-only-ladder-chart"):
    ui.plotly(fig, alt=charts.describe(fig), key="ladder_chart", on_select=ui.on_chart_select("ladder_chart", "rung", "rung", levels))
with st.container(key="narrow-only-ladders"):
    for v in vendors:
        st.markdown(f"**{ui.literal(v.name, 120)}**: {ui.literal(v.model_name, 200)}, {len(v.levels)} {ui.literal(v.level_word.lower())}s "
                    "from manual to automated")
        st.markdown("\n".join(
            f"- {'**▶ ' if lv.id == selected else ''}{ui.literal(ladders.rung_title(v, lv), 200)}{'**' if lv.id == selected else ''}"
            + (f": {ui.literal(lv.tagline, 200)}" if lv.tagline else "") + f" (automation {lv.automation:.2f})"
            for lv in v.levels))
with st.expander("The ladders as a table", icon=":material/table:"):
    st.dataframe(ui.table(c, "ladder_table", charts.ladder_table, vendors), hide_index=True, width="stretch")

st.segmented_control("View", list(VIEWS), format_func=VIEWS.get, key="ladder_view", on_change=ui.push_state("view", "ladder_view"),
                     help="Details of one rung, how the vendors' rungs line up, or any two rungs side by side")

if view == "details":
    st.selectbox("Rung", list(levels), format_func=rung_label, key="rung", on_change=ui.push_state("rung", "rung"),
                 placeholder="Pick a rung, or click one in the chart")
    if selected is None:
        st.info("Select a rung to see its details and what changes from the rung below.", icon=":material/touch_app:")
    else:
        v, lv = levels[selected]
        with st.container(border=True):
            st.markdown(f"### {ui.literal(rung_label(selected), 200)}")
            if lv.tagline:
                st.caption(ui.literal(lv.tagline, 300))
            st.markdown(f"**{ui.literal(lv.summary, 600)}**")
            left, right = st.columns(2, gap="large")
            with left:
                ui.titled_bullets("What it looks like", lv.details)
                st.markdown("**What changes from the rung below**")
                diff = ladders.level_diff(v, lv)
                if diff:
                    ui.bullets(diff)
                else:
                    st.caption("This is the first rung of the ladder: there is nothing below it.")
                ui.titled_bullets("Still manual / left open", lv.still_manual)
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
                    ui.titled_bullets(title, items, 400)
            st.markdown("**Read more**")
            ui.note_links(lv.notes, c)
            ui.glossary_links(lv.glossary, c)
            ui.source_line(lv.source_url, lv.last_verified)
            for r in rows.values():
                if any(selected in ids for ids in r.levels.values()):
                    others = [rung_label(i) for ids in r.levels.values() for i in ids if i != selected and i in levels]
                    if others:
                        st.caption(f"Crosswalk stage “{ui.literal(r.stage)}”: lines up with " + "; ".join(ui.literal(o) for o in others))
    for v in vendors:
        if v.caveats:
            with st.expander(f"What is not settled about the {v.name} model", icon=":material/help:"):
                ui.bullets(v.caveats)

elif view == "crosswalk":
    if ui.need(c, "crosswalk", stop=False):
        cw = c.crosswalk
        st.markdown(ui.literal(cw.summary, 1500))
        st.caption(ui.literal(cw.caveat, 800))
        fig = ui.figure(c, "crosswalk", charts.crosswalk_matrix, cw, vendors)
        ui.plotly(fig, alt="Matrix of shared stages (rows) against vendors (columns); each cell names the vendor's rungs at that stage")
        st.dataframe(ui.table(c, "crosswalk_table", charts.crosswalk_table, cw, vendors), hide_index=True, width="stretch")
        st.selectbox("Stage", list(rows), format_func=lambda i: rows[i].stage, key="ladder_stage",
                     on_change=ui.push_state("stage", "ladder_stage"), placeholder="Pick a stage to read why its rungs line up")
        if stage:
            r = rows[stage]
            st.info(f"**{ui.literal(r.stage)}**: {ui.literal(r.rationale, 600)}", icon=":material/compare_arrows:")

else:
    ids = list(levels)
    if "cmp_a" not in st.session_state or st.session_state["cmp_a"] not in levels:
        st.session_state["cmp_a"] = selected or ids[0]
    if "cmp_b" not in st.session_state or st.session_state["cmp_b"] not in levels:
        first_vendor = levels[st.session_state["cmp_a"]][0].id
        st.session_state["cmp_b"] = next((i for i in ids if levels[i][0].id != first_vendor), ids[-1])

    def _push_pair() -> None:
        ui.push("compare", f"{st.session_state['cmp_a']},{st.session_state['cmp_b']}")

    ca, cb = st.columns(2)
    a = ca.selectbox("Left rung", ids, format_func=rung_label, key="cmp_a", on_change=_push_pair)
    b = cb.selectbox("Right rung", ids, format_func=rung_label, key="cmp_b", on_change=_push_pair)
    (va, la), (vb, lb) = levels[a], levels[b]
    st.dataframe(ladders.compare_levels(va, la, vb, lb), width="stretch")
    delta = lb.automation - la.automation
    if abs(delta) < 0.05:
        st.info("These two rungs sit at about the same place on the common automation axis.", icon=":material/drag_handle:")
    else:
        higher = rung_label(b) if delta > 0 else rung_label(a)
        st.info(f"{ui.literal(higher)} is further along the manual → automated axis (by {abs(delta):.0%} of the axis).", icon=":material/trending_up:")
    st.page_link(PAGES["ladders"].file, label="Link to this comparison", icon=":material/link:",
                 query_params={"view": "compare", "compare": f"{a},{b}"})
