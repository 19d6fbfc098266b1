"""The 25/25/25/25 page's parts: one quarter in detail, what relates to it, and "your split" (``?split=``)."""

from __future__ import annotations

import streamlit as st

from explorer import charts
from explorer.content import breakdown
from explorer.content.loader import Content
from explorer.routes import PAGES

from . import urlstate
from .caches import figure
from .widgets import glossary_links, literal, note_links, plotly, related_links, titled_bullets


def quarter_details(c: Content, quarter) -> None:
    with st.container(border=True):
        st.markdown(f"### {literal(quarter.name, 150)} · {quarter.share:g}%")
        st.markdown(literal(quarter.description, 2000))
        titled_bullets("Examples", quarter.examples, 400)
        st.markdown("**In the notes**")
        note_links(quarter.notes, c)
        glossary_links(quarter.glossary, c)


def related(c: Content, selected: str) -> None:
    cols = st.columns([3, 2, 2])
    with cols[0]:
        if c.ok("certifications"):
            related_links("Certifications that serve it", [x for x in c.certifications if selected in x.quarters],
                          "certifications", "cert", ":material/workspace_premium:")
    with cols[1]:
        if c.ok("trends"):
            related_links("Trends that touch it", [x for x in c.trends.trends if selected in x.quarters],
                          "trends", "trend", ":material/trending_up:")
    with cols[2]:
        st.markdown("**Self-assessment questions**")
        if c.ok("assessment"):
            qs = [x for x in c.assessment.questions if x.quarter == selected]
            st.caption(f"{len(qs)} question(s) ask about this quarter.")
            st.page_link(PAGES["assessment"].file, label="Assess your team", icon=":material/fact_check:")


def your_split(c: Content) -> None:
    """Four percentages in a form, filled from ``?split=40,30,20,10`` (or the even split); submitting puts them
    into the URL.  The comparison with the even split follows."""
    b = c.breakdown
    quarters = {q.id: q for q in b.quarters}

    def parse(raw: str) -> dict[str, float]:
        try:
            values = [float(x) for x in raw.split(",")]
        except ValueError:
            values = []
        if len(values) != len(quarters) or not all(0 <= v <= 100 for v in values):
            raise ValueError(f"The link's split “{literal(raw)}” is not {len(quarters)} numbers between 0 and 100; "
                             "starting from the even split.")
        return dict(zip(quarters, values))

    link = urlstate.follow("split", parse=parse, what="the split") or {}
    with st.form("split_form"):
        split = {q.id: col.number_input(f"{q.short} %", min_value=0.0, max_value=100.0, step=5.0,
                                        value=float(link.get(q.id, q.share)), key=urlstate.widget_key("split", f"split_{q.id}"))
                 for col, q in zip(st.columns(len(quarters)), b.quarters)}
        submitted = st.form_submit_button("Compare with the even split", icon=":material/compare_arrows:")
    if submitted:
        urlstate.push("split", ",".join(f"{split[q]:g}" for q in quarters))
    analysis = breakdown.split_analysis(b, split)
    st.markdown(f"**{literal(analysis.message, 400)}**")
    plotly(figure(c, "split", charts.split_comparison, b, split=split),
           alt="Grouped bars: your effort split against the even split, per quarter")
    st.dataframe(charts.split_table(b, split), hide_index=True, width="stretch")
