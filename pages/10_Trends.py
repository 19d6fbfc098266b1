"""Future trends named in the course: summary, why it matters, source, and how settled each one is."""

import streamlit as st

import ui

c = ui.frame("Trends", ":material/trending_up:")
st.title("Trends to watch")
ui.need(c, "trends")
t = c.trends
quarters = {q.id: q for q in c.breakdown.quarters} if c.ok("breakdown") else {}
by_id = {x.id: x for x in t.trends}

st.markdown(ui.literal(t.intro, 2000))
chosen = ui.param("trend", by_id, what="the trend")

labels = {"all": "All"} | {q: quarters[q].short for q in quarters}
focus = st.segmented_control("Show trends that touch", list(labels), format_func=labels.get, default="all", key="trend_focus")
items = [x for x in t.trends if focus in (None, "all") or focus in x.quarters]
if chosen and by_id[chosen] not in items:
    items.insert(0, by_id[chosen])

st.caption(f"{len(items)} of {len(t.trends)} trends")
for x in items:
    with st.container(border=True):
        head = f"### {ui.literal(x.name, 150)}"
        if x.id == chosen:
            head += "  :blue-badge[linked]"
        st.markdown(head)
        if not x.confirmed:
            st.warning(f"**Not confirmed elsewhere.** {ui.literal(x.caveat, 600)}", icon=":material/help:")
        elif x.caveat:
            st.info(ui.literal(x.caveat, 600), icon=":material/info:")
        st.markdown(ui.literal(x.summary, 2000))
        st.markdown(f"**Why it matters.** {ui.literal(x.why_it_matters, 2000)}")
        if x.quarters and quarters:
            st.caption("Touches: " + ", ".join(quarters[q].short for q in x.quarters if q in quarters))
        ui.source_line(x.source_url, x.last_verified)
        ui.note_links(x.notes, c)
        ui.glossary_links(x.glossary, c)
