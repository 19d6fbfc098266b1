"""The 25/25/25/25 view of MLOps effort: the quarters, what relates to each, and your own split.

Deep links: ``/Breakdown?quarter=<id>`` selects a quarter; ``&split=40,30,20,10`` fills "your split".
"""

import streamlit as st

import ui
from explorer import charts

c = ui.frame("25/25/25/25 breakdown", ":material/donut_large:")
st.title("Where MLOps effort goes")
ui.need(c, "breakdown")
b = c.breakdown
quarters = {q.id: q for q in b.quarters}
st.markdown(ui.literal(b.summary, 1500))
st.caption(ui.literal(b.attribution, 500))

ui.state_from_param("quarter", "quarter", quarters, what="the quarter")


left, right = st.columns([2, 3], gap="large")
with left:
    selected = st.session_state.get("quarter")
    fig = ui.figure("breakdown_donut", charts.breakdown_donut, b, selected=selected)
    ui.plotly(fig, alt=charts.describe(fig), key="donut", on_select=ui.on_chart_select("donut", "quarter", "quarter", quarters))
    st.segmented_control(
        "Quarter", list(quarters), format_func=lambda i: quarters[i].short, key="quarter",
        on_change=lambda: ui.set_param("quarter", st.session_state.get("quarter")),
    )
with right:
    selected = st.session_state.get("quarter")
    if not selected:
        st.info("Click a slice (or pick a quarter) to see what it covers and where the app deals with it.", icon=":material/touch_app:")
        st.dataframe(charts.breakdown_table(b).drop(columns=["id"], errors="ignore"), hide_index=True, width="stretch")
    else:
        q = quarters[selected]
        with st.container(border=True):
            st.markdown(f"### {ui.literal(q.name, 150)} · {q.share:g}%")
            st.markdown(ui.literal(q.description, 2000))
            st.markdown("**Examples**")
            for e in q.examples:
                st.markdown(f"- {ui.literal(e, 400)}")
            st.markdown("**In the notes**")
            ui.note_links(q.notes, c)
            ui.glossary_links(q.glossary, c)
selected = st.session_state.get("quarter")
if selected:
    related = st.columns([3, 2, 2])
    def related_links(title: str, items, page: str, icon: str, param: str) -> None:
        st.markdown(f"**{title}**")
        for x in items:
            st.page_link(page, label=x.name, icon=icon, query_params={param: x.id})
        if not items:
            st.caption("None listed.")

    with related[0]:
        if c.ok("certifications"):
            related_links("Certifications that serve it", [x for x in c.certifications if selected in x.quarters],
                          "pages/9_Certifications.py", ":material/workspace_premium:", "cert")
    with related[1]:
        if c.ok("trends"):
            related_links("Trends that touch it", [x for x in c.trends.trends if selected in x.quarters],
                          "pages/10_Trends.py", ":material/trending_up:", "trend")
    with related[2]:
        st.markdown("**Self-assessment questions**")
        if c.ok("assessment"):
            qs = [x for x in c.assessment.questions if x.quarter == selected]
            st.caption(f"{len(qs)} question(s) ask about this quarter.")
            st.page_link("pages/6_Self_Assessment.py", label="Assess your team", icon=":material/fact_check:")


st.divider()
st.subheader("Your split")
st.markdown("How does your team actually spend its MLOps effort? Enter rough percentages; they are scaled to 100 if they do not add up.")

raw_split = st.query_params.get("split", "")
preset = None
if raw_split:
    parts = raw_split.split(",")
    try:
        values = [float(x) for x in parts]
        if len(values) == len(quarters) and all(0 <= v <= 100 for v in values):
            preset = dict(zip(quarters, values))
    except ValueError:
        preset = None
    if preset is None:
        st.warning(f"The link's split “{ui.literal(raw_split)}” is not {len(quarters)} numbers between 0 and 100; starting from the even split.", icon=":material/link_off:")

with st.form("split_form"):
    cols = st.columns(len(quarters))
    split = {}
    for col, q in zip(cols, b.quarters):
        default = preset[q.id] if preset else q.share
        split[q.id] = col.number_input(f"{q.short} %", min_value=0.0, max_value=100.0, value=float(default), step=5.0, key=f"split_{q.id}")
    submitted = st.form_submit_button("Compare with the even split", icon=":material/compare_arrows:")

if submitted:
    ui.set_param("split", ",".join(f"{split[q]:g}" for q in quarters))
analysis = charts.split_analysis(b, split)
st.markdown(f"**{ui.literal(analysis.message, 400)}**")
fig = ui.figure("split", charts.split_comparison, b, split=split)
ui.plotly(fig, alt="Grouped bars: your effort split against the even split, per quarter")
st.dataframe(charts.split_table(b, split), hide_index=True, width="stretch")
