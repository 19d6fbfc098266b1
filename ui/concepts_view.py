"""The concepts page's four views: the hierarchy of needs (``?tier=``), heavy vs light workflows (``?workflow=``,
``?component=``), the pizza analogy (``?analogy=``) and choosing platforms (``?platform=``)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from explorer import charts
from explorer.content.loader import Content

from . import urlstate
from .caches import figure
from .frame import need
from .widgets import glossary_links, literal, note_links, plotly, source_line, titled_bullets

VIEWS = {"hierarchy": "Hierarchy of needs", "workflows": "Heavy vs light workflows", "analogy": "The pizza analogy",
         "platforms": "Choosing platforms"}
ITEM_VIEWS = {"tier": "hierarchy", "workflow": "workflows", "analogy": "analogy", "platform": "platforms"}
"""An item's parameter (from a search hit or a card) opens the view that shows it; ``?view=`` names the view itself."""


def linked_view() -> str:
    """The view a link to an item opens (the hierarchy without one)."""
    return next((v for p, v in ITEM_VIEWS.items() if urlstate.raw(p)), "hierarchy")


def hierarchy(c: Content) -> None:
    if not need(c, "hierarchy", stop=False):
        return
    h = c.hierarchy
    tiers = {t.id: t for t in h.tiers}
    st.markdown(literal(h.summary, 1500))
    tid = urlstate.follow("tier", choices=tiers, what="the tier")
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = figure(c, "hierarchy_pyramid", charts.hierarchy_pyramid, h, selected=tid)
        # On a phone the pyramid's labels are too small to read: the tiers are written out instead (app.css).
        with st.container(key="wide-only-pyramid"):
            plotly(fig, alt=charts.describe(fig), key="pyramid", on_select=urlstate.on_chart_select("pyramid", "tier", tiers))
        with st.container(key="narrow-only-pyramid"):
            n = len(h.tiers)
            st.markdown("\n".join(
                f"- {'**▶ ' if t.id == tid else '**'}{literal(t.name, 120)}**"
                + (" (top)" if i == n else " (foundation)" if i == 1 else "")
                + f": {literal(' · '.join(t.examples), 400)}"
                for i, t in reversed(list(enumerate(h.tiers, 1)))))
        st.radio("Tier (bottom first)", list(tiers), format_func=lambda i: tiers[i].name, index=urlstate.index(tiers, tid),
                 horizontal=True, **urlstate.widget("tier"))
    with right:
        if tid is None:
            st.info("Click a tier of the pyramid to see what belongs there. Each tier needs the ones below it.", icon=":material/touch_app:")
            st.dataframe(charts.hierarchy_table(h), hide_index=True, width="stretch")
        else:
            t = tiers[tid]
            pos = list(tiers).index(tid)
            with st.container(border=True):
                st.markdown(f"### {pos + 1}. {literal(t.name)}")
                st.markdown(literal(t.summary, 1500))
                titled_bullets("Examples", t.examples, 300)
                if pos > 0:
                    st.caption("Rests on: " + " → ".join(literal(x.name) for x in h.tiers[:pos]))
                note_links(t.notes, c)
                glossary_links(t.glossary, c)
    source_line(h.source_url, h.last_verified)


def workflows(c: Content) -> None:
    if not need(c, "workflows", stop=False):
        return
    w = c.workflows
    st.markdown(literal(w.summary, 1500))
    wf_pick = urlstate.follow("workflow", choices=[x.id for x in w.workflows], what="the workflow")
    comp_pick = urlstate.follow("component", what="the component")
    fig = figure(c, "workflows", charts.workflows_diagram, w)
    plotly(fig, alt=charts.describe(fig))
    for col, wf in zip(st.columns(len(w.workflows)), w.workflows):
        with col, st.container(border=True):
            st.markdown(f"### {literal(wf.name)}" + ("  :blue-badge[linked]" if wf.id == wf_pick else ""))
            st.caption(f"Spectrum: {literal(wf.spectrum)} · {'an ordered flow' if wf.pipeline else 'a platform of services'}")
            st.markdown(literal(wf.summary, 1500))
            st.dataframe(pd.DataFrame([{"Component": ("▶ " if wf.id == wf_pick and x.id == comp_pick else "") + x.name,
                                        "Group": x.group, "What it does": x.description} for x in wf.components]),
                         hide_index=True, width="stretch")
            titled_bullets("When it fits", wf.when_to_use, 400)
    source_line(w.source_url, w.last_verified)
    note_links(["workflows"], c)


def analogy(c: Content) -> None:
    if not need(c, "analogy", stop=False):
        return
    a = c.analogy
    st.markdown(f"### {literal(a.title)}")
    if not a.confirmed:
        st.warning(f"**Not confirmed elsewhere.** {literal(a.caveat, 800)}", icon=":material/help:")
    st.caption(literal(a.attribution, 500))
    left, right = st.columns([3, 2], gap="large")
    with left:
        fig = figure(c, "analogy", charts.analogy_chart, a)
        plotly(fig, alt=charts.describe(fig))
    with right:
        st.dataframe(charts.analogy_table(a), hide_index=True, width="stretch")
        row_pick = urlstate.follow("analogy", choices=[r.id for r in a.rows], what="the analogy row")
        for r in a.rows:
            badge = ":blue-badge[linked] " if r.id == row_pick else ""
            st.markdown(f"{badge}**{literal(r.food)} ≈ {literal(r.ml)}.** {literal(r.explanation, 600)}")
    note_links(["pizza-analogy"], c)


def platforms(c: Content) -> None:
    if not need(c, "platforms", stop=False):
        return
    p = c.platforms
    st.markdown(literal(p.summary, 1500))
    role_pick = urlstate.follow("platform", choices=[r.id for r in p.roles], what="the platform role")
    for col, role in zip(st.columns(len(p.roles)), p.roles):
        with col, st.container(border=True):
            st.markdown(f"### {literal(role.name)}" + ("  :blue-badge[linked]" if role.id == role_pick else ""))
            st.markdown(literal(role.summary, 1000))
            titled_bullets("Criteria", role.criteria, 300)
            if role.examples:
                st.caption("Examples: " + ", ".join(literal(x) for x in role.examples))
    titled_bullets("Advice from the course", p.advice, 400)
    note_links(["cloud-platforms"], c)


DRAW = {"hierarchy": hierarchy, "workflows": workflows, "analogy": analogy, "platforms": platforms}
