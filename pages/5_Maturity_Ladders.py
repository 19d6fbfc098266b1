"""Maturity-ladder explorer: AWS, Azure and Google Cloud on one manual -> automated axis.

Deep links: ``/Maturity_Ladders?rung=<level-id>`` selects a rung;
``&compare=<level-id>,<level-id>`` opens the compare view with those two rungs.
"""

import streamlit as st

import ui
from explorer import charts

c = ui.frame("Maturity ladders", ":material/stairs:")
st.title("Maturity ladders")
ui.need(c, "maturity")
vendors = c.vendors
levels = {lv.id: (v, lv) for v in vendors for lv in v.levels}


def rung_label(level_id: str) -> str:
    v, lv = levels[level_id]
    return f"{v.name} · {v.level_word} {lv.rank}: {lv.name}"


st.markdown(
    "Each cloud vendor describes MLOps maturity as a ladder. The three ladders use different words and different "
    "numbers of rungs, so here they share one horizontal axis: how much of the path from data to a model in production "
    "runs without a person pushing it. **Hover** a rung for its summary, **click** it (or pick it below) for everything about it."
)

ui.state_from_param("rung", "rung", levels, what="the rung")
vendor_param = ui.param("vendor", [v.id for v in vendors], what="the vendor")
if vendor_param and st.session_state.get("_vendor_seen") != vendor_param:
    st.session_state["_vendor_seen"] = vendor_param
    if not st.query_params.get("rung"):
        st.session_state["rung"] = next(v for v in vendors if v.id == vendor_param).levels[0].id
stage_param = ui.param("stage", [r.id for r in c.crosswalk.rows] if c.ok("crosswalk") else [], what="the crosswalk stage")
if stage_param and st.session_state.get("_stage_seen") != stage_param:
    st.session_state["_stage_seen"] = stage_param
    st.session_state["ladder_view"] = "Crosswalk"


def _on_pick() -> None:
    ui.set_param("rung", st.session_state.get("rung"))


selected = st.session_state.get("rung")
fig = ui.figure("ladder", charts.ladder_chart, vendors, selected=selected)
ui.plotly(fig, alt=charts.describe(fig), key="ladder_chart", on_select=ui.on_chart_select("ladder_chart", "rung", "rung", levels))

with st.expander("The ladders as a table", icon=":material/table:"):
    st.dataframe(charts.ladder_table(vendors), hide_index=True, width="stretch")

if st.query_params.get("compare") and st.session_state.get("_compare_seen") != st.query_params.get("compare"):
    st.session_state["_compare_seen"] = st.query_params.get("compare")
    st.session_state["ladder_view"] = "Compare two rungs"
view = st.segmented_control(
    "View", ["Rung details", "Crosswalk", "Compare two rungs"], key="ladder_view",
    **({} if "ladder_view" in st.session_state else {"default": "Rung details"}),
    help="Details of one rung, how the vendors' rungs line up, or any two rungs side by side",
)
if view != "Compare two rungs":
    ui.set_param("compare", None)

if view in (None, "Rung details"):
    st.selectbox("Rung", list(levels), format_func=rung_label, key="rung", on_change=_on_pick,
                 placeholder="Pick a rung, or click one in the chart", **({} if "rung" in st.session_state else {"index": None}))
    if selected is None:
        st.info("Select a rung to see its details and what changes from the rung below.", icon=":material/touch_app:")
    else:
        v, lv = levels[selected]
        with st.container(border=True):
            st.markdown(f"### {ui.literal(v.name)} · {v.level_word} {lv.rank}: {ui.literal(lv.name, 120)}")
            if lv.tagline:
                st.caption(ui.literal(lv.tagline, 300))
            st.markdown(f"**{ui.literal(lv.summary, 600)}**")
            left, right = st.columns(2, gap="large")
            with left:
                st.markdown("**What it looks like**")
                for d in lv.details:
                    st.markdown(f"- {ui.literal(d, 600)}")
                diff = charts.level_diff(v, lv)
                st.markdown("**What changes from the rung below**")
                if diff:
                    for d in diff:
                        st.markdown(f"- {ui.literal(d, 600)}")
                else:
                    st.caption("This is the first rung of the ladder: there is nothing below it.")
                if lv.still_manual:
                    st.markdown("**Still manual / left open**")
                    for d in lv.still_manual:
                        st.markdown(f"- {ui.literal(d, 600)}")
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
                    if items:
                        st.markdown(f"**{title}**")
                        for d in items:
                            st.markdown(f"- {ui.literal(d, 400)}")
            st.markdown("**Read more**")
            ui.note_links(lv.notes, c)
            ui.glossary_links(lv.glossary, c)
            ui.source_line(lv.source_url, lv.last_verified)
            if c.ok("crosswalk"):
                peers = [r for r in c.crosswalk.rows if any(selected in ids for ids in r.levels.values())]
                for r in peers:
                    others = [rung_label(i) for vid, ids in r.levels.items() for i in ids if i != selected and i in levels]
                    if others:
                        st.caption(f"Crosswalk stage “{ui.literal(r.stage)}”: lines up with " + "; ".join(ui.literal(o) for o in others))
    for v in vendors:
        if v.caveats:
            with st.expander(f"What is not settled about the {v.name} model", icon=":material/help:"):
                for cav in v.caveats:
                    st.markdown(f"- {ui.literal(cav, 600)}")

elif view == "Crosswalk":
    if ui.need(c, "crosswalk", stop=False):
        cw = c.crosswalk
        st.markdown(ui.literal(cw.summary, 1500))
        st.caption(ui.literal(cw.caveat, 800))
        fig = ui.figure("crosswalk", charts.crosswalk_matrix, cw, vendors)
        ui.plotly(fig, alt="Matrix of shared stages (rows) against vendors (columns); each cell names the vendor's rungs at that stage")
        st.dataframe(charts.crosswalk_table(cw, vendors), hide_index=True, width="stretch")
        for r in cw.rows:
            if r.id == stage_param:
                st.info(f"**{ui.literal(r.stage)}**: {ui.literal(r.rationale, 600)}", icon=":material/compare_arrows:")

else:
    raw = st.query_params.get("compare", "")
    pair = [p for p in raw.split(",") if p in levels][:2] if len(raw) < 200 else []
    if raw and len(pair) < 2:
        st.warning(f"The link's compare value “{ui.literal(raw)}” does not name two rungs; pick them below.", icon=":material/link_off:")
    ids = list(levels)
    default_a = pair[0] if pair else (selected or ids[0])
    default_b = pair[1] if len(pair) > 1 else next((i for i in ids if levels[i][0].id != levels[default_a][0].id), ids[-1])
    ca, cb = st.columns(2)
    a = ca.selectbox("Left rung", ids, index=ids.index(default_a), format_func=rung_label, key="cmp_a")
    b = cb.selectbox("Right rung", ids, index=ids.index(default_b), format_func=rung_label, key="cmp_b")
    ui.set_param("compare", f"{a},{b}")
    st.session_state["_compare_seen"] = f"{a},{b}"
    (va, la), (vb, lb) = levels[a], levels[b]
    table = charts.compare_levels(va, la, vb, lb)
    st.dataframe(table, width="stretch")
    delta = lb.automation - la.automation
    if abs(delta) < 0.05:
        st.info("These two rungs sit at about the same place on the common automation axis.", icon=":material/drag_handle:")
    else:
        higher = rung_label(b) if delta > 0 else rung_label(a)
        st.info(f"{ui.literal(higher)} is further along the manual → automated axis (by {abs(delta):.0%} of the axis).", icon=":material/trending_up:")
