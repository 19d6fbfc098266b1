"""Course concepts as pictures: hierarchy of needs, heavy vs light workflows, the pizza analogy, platform choice.

Deep links: ``/Concepts?tier=<tier-id>`` selects a tier of the hierarchy;
``?view=workflows|analogy|platforms`` opens another view.
"""

import pandas as pd
import streamlit as st

import ui
from explorer import charts

c = ui.frame("Concepts", ":material/schema:")
st.title("Hierarchy, workflows, analogy")

VIEWS = {"hierarchy": "Hierarchy of needs", "workflows": "Heavy vs light workflows", "analogy": "The pizza analogy", "platforms": "Choosing platforms"}
# an item parameter (from search or a card) opens its view; ?view= names the view itself
ITEM_VIEWS = {"tier": "hierarchy", "workflow": "workflows", "analogy": "analogy", "platform": "platforms"}
default_view = next((v for p, v in ITEM_VIEWS.items() if st.query_params.get(p)), "hierarchy")
view = ui.bind("view", "concept_view", choices=VIEWS, default=default_view, what="the view") or "hierarchy"
st.segmented_control("View", list(VIEWS), format_func=VIEWS.get, key="concept_view",
                     on_change=ui.push_state("view", "concept_view"))

if view == "hierarchy":
    if ui.need(c, "hierarchy", stop=False):
        h = c.hierarchy
        tiers = {t.id: t for t in h.tiers}
        st.markdown(ui.literal(h.summary, 1500))
        tid = ui.bind("tier", "tier", choices=tiers, what="the tier")

        left, right = st.columns([3, 2], gap="large")
        with left:
            fig = ui.figure(c, "hierarchy_pyramid", charts.hierarchy_pyramid, h, selected=tid)
            # On a phone the pyramid's labels are too small to read: the tiers are written out instead (app.css).
            with st.container(key="wide-only-pyramid"):
                ui.plotly(fig, alt=charts.describe(fig), key="pyramid", on_select=ui.on_chart_select("pyramid", "tier", "tier", tiers))
            with st.container(key="narrow-only-pyramid"):
                n = len(h.tiers)
                st.markdown("\n".join(
                    f"- {'**▶ ' if t.id == tid else '**'}{ui.literal(t.name, 120)}**"
                    + (" (top)" if i == n else " (foundation)" if i == 1 else "")
                    + f": {ui.literal(' · '.join(t.examples), 400)}"
                    for i, t in reversed(list(enumerate(h.tiers, 1)))))
            st.radio("Tier (bottom first)", list(tiers), format_func=lambda i: tiers[i].name, key="tier", horizontal=True,
                     on_change=ui.push_state("tier", "tier"))
        with right:
            if tid is None:
                st.info("Click a tier of the pyramid to see what belongs there. Each tier needs the ones below it.", icon=":material/touch_app:")
                st.dataframe(charts.hierarchy_table(h), hide_index=True, width="stretch")
            else:
                t = tiers[tid]
                pos = list(tiers).index(tid)
                with st.container(border=True):
                    st.markdown(f"### {pos + 1}. {ui.literal(t.name)}")
                    st.markdown(ui.literal(t.summary, 1500))
                    ui.titled_bullets("Examples", t.examples, 300)
                    if pos > 0:
                        st.caption("Rests on: " + " → ".join(ui.literal(x.name) for x in h.tiers[:pos]))
                    ui.note_links(t.notes, c)
                    ui.glossary_links(t.glossary, c)
        st.caption(f"Source: [{ui.literal(h.source_url, 120)}]({h.source_url})")

elif view == "workflows":
    if ui.need(c, "workflows", stop=False):
        w = c.workflows
        st.markdown(ui.literal(w.summary, 1500))
        wf_pick = ui.bind("workflow", "concept_workflow", choices=[x.id for x in w.workflows], what="the workflow")
        comp_pick = ui.bind("component", "concept_component", what="the component")
        fig = ui.figure(c, "workflows", charts.workflows_diagram, w)
        ui.plotly(fig, alt=charts.describe(fig))
        cols = st.columns(len(w.workflows))
        for col, wf in zip(cols, w.workflows):
            with col, st.container(border=True):
                st.markdown(f"### {ui.literal(wf.name)}" + ("  :blue-badge[linked]" if wf.id == wf_pick else ""))
                st.caption(f"Spectrum: {ui.literal(wf.spectrum)} · {'an ordered flow' if wf.pipeline else 'a platform of services'}")
                st.markdown(ui.literal(wf.summary, 1500))
                st.dataframe(pd.DataFrame([{"Component": ("▶ " if wf.id == wf_pick and x.id == comp_pick else "") + x.name,
                                            "Group": x.group, "What it does": x.description} for x in wf.components]),
                             hide_index=True, width="stretch")
                ui.titled_bullets("When it fits", wf.when_to_use, 400)
        st.caption(f"Source: [{ui.literal(w.source_url, 120)}]({w.source_url})")
        ui.note_links(["workflows"], c)

elif view == "analogy":
    if ui.need(c, "analogy", stop=False):
        a = c.analogy
        st.markdown(f"### {ui.literal(a.title)}")
        if not a.confirmed:
            st.warning(f"**Not confirmed elsewhere.** {ui.literal(a.caveat, 800)}", icon=":material/help:")
        st.caption(ui.literal(a.attribution, 500))
        left, right = st.columns([3, 2], gap="large")
        with left:
            fig = ui.figure(c, "analogy", charts.analogy_chart, a)
            ui.plotly(fig, alt=charts.describe(fig))
        with right:
            st.dataframe(charts.analogy_table(a), hide_index=True, width="stretch")
            row_pick = ui.bind("analogy", "concept_analogy", choices=[r.id for r in a.rows], what="the analogy row")
            for r in a.rows:
                badge = ":blue-badge[linked] " if r.id == row_pick else ""
                st.markdown(f"{badge}**{ui.literal(r.food)} ≈ {ui.literal(r.ml)}.** {ui.literal(r.explanation, 600)}")
        ui.note_links(["pizza-analogy"], c)

else:
    if ui.need(c, "platforms", stop=False):
        p = c.platforms
        st.markdown(ui.literal(p.summary, 1500))
        role_pick = ui.bind("platform", "concept_platform", choices=[r.id for r in p.roles], what="the platform role")
        cols = st.columns(len(p.roles))
        for col, role in zip(cols, p.roles):
            with col, st.container(border=True):
                st.markdown(f"### {ui.literal(role.name)}" + ("  :blue-badge[linked]" if role.id == role_pick else ""))
                st.markdown(ui.literal(role.summary, 1000))
                ui.titled_bullets("Criteria", role.criteria, 300)
                if role.examples:
                    st.caption("Examples: " + ", ".join(ui.literal(x) for x in role.examples))
        ui.titled_bullets("Advice from the course", p.advice, 400)
        ui.note_links(["cloud-platforms"], c)
