"""The 25/25/25/25 view of MLOps effort: the quarters, what relates to each, and your own split.

Deep links: ``/Breakdown?quarter=<id>`` selects a quarter; ``&split=40,30,20,10`` fills "your split".
"""

import streamlit as st

import ui
from explorer import breakdown, charts
from explorer.routes import PAGES

c = ui.frame("25/25/25/25 breakdown", ":material/donut_large:")
st.title("Where MLOps effort goes")
ui.need(c, "breakdown")
b = c.breakdown
quarters = {q.id: q for q in b.quarters}
st.markdown(ui.literal(b.summary, 1500))
st.caption(ui.literal(b.attribution, 500))

selected = ui.bind("quarter", "quarter", choices=quarters, what="the quarter")
left, right = st.columns([2, 3], gap="large")
with left:
    fig = ui.figure(c, "breakdown_donut", charts.breakdown_donut, b, selected=selected)
    ui.plotly(fig, alt=charts.describe(fig), key="donut", on_select=ui.on_chart_select("donut", "quarter", "quarter", quarters))
    st.segmented_control("Quarter", list(quarters), format_func=lambda i: quarters[i].short, key="quarter",
                         on_change=ui.push_state("quarter", "quarter"))
with right:
    if not selected:
        st.info("Click a slice (or pick a quarter) to see what it covers and where the app deals with it.", icon=":material/touch_app:")
        st.dataframe(charts.breakdown_table(b).drop(columns=["id"], errors="ignore"), hide_index=True, width="stretch")
    else:
        q = quarters[selected]
        with st.container(border=True):
            st.markdown(f"### {ui.literal(q.name, 150)} · {q.share:g}%")
            st.markdown(ui.literal(q.description, 2000))
            ui.titled_bullets("Examples", q.examples, 400)
            st.markdown("**In the notes**")
            ui.note_links(q.notes, c)
            ui.glossary_links(q.glossary, c)
if selected:
    related = st.columns([3, 2, 2])
    with related[0]:
        if c.ok("certifications"):
            ui.related_links("Certifications that serve it", [x for x in c.certifications if selected in x.quarters],
                             "certifications", "cert", ":material/workspace_premium:")
    with related[1]:
        if c.ok("trends"):
            ui.related_links("Trends that touch it", [x for x in c.trends.trends if selected in x.quarters],
                             "trends", "trend", ":material/trending_up:")
    with related[2]:
        st.markdown("**Self-assessment questions**")
        if c.ok("assessment"):
            qs = [x for x in c.assessment.questions if x.quarter == selected]
            st.caption(f"{len(qs)} question(s) ask about this quarter.")
            st.page_link(PAGES["assessment"].file, label="Assess your team", icon=":material/fact_check:")

st.divider()
st.subheader("Your split")
st.markdown("How does your team actually spend its MLOps effort? Enter rough percentages; they are scaled to 100 if they do not add up.")


def _parse_split(raw: str) -> dict[str, float]:
    try:
        values = [float(x) for x in raw.split(",")]
    except ValueError:
        values = []
    if len(values) != len(quarters) or not all(0 <= v <= 100 for v in values):
        raise ValueError(f"The link's split “{ui.literal(raw)}” is not {len(quarters)} numbers between 0 and 100; "
                         "starting from the even split.")
    return dict(zip(quarters, values))


def _fill_split(split: dict[str, float] | None) -> None:
    for q in b.quarters:
        st.session_state[f"split_{q.id}"] = float((split or {}).get(q.id, q.share))


ui.bind("split", "split_link", parse=_parse_split, what="the split", apply=_fill_split)
with st.form("split_form"):
    cols = st.columns(len(quarters))
    for col, q in zip(cols, b.quarters):
        col.number_input(f"{q.short} %", min_value=0.0, max_value=100.0, step=5.0, key=f"split_{q.id}")
    submitted = st.form_submit_button("Compare with the even split", icon=":material/compare_arrows:")
split = {q: st.session_state.get(f"split_{q}", quarters[q].share) for q in quarters}
if submitted:
    ui.push("split", ",".join(f"{split[q]:g}" for q in quarters))
analysis = breakdown.split_analysis(b, split)
st.markdown(f"**{ui.literal(analysis.message, 400)}**")
fig = ui.figure(c, "split", charts.split_comparison, b, split=split)
ui.plotly(fig, alt="Grouped bars: your effort split against the even split, per quarter")
st.dataframe(charts.split_table(b, split), hide_index=True, width="stretch")
