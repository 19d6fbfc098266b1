"""Future trends named in the course: summary, why it matters, source, and how settled each one is.

Deep links: ``/Trends?trend=<id>`` marks one trend; ``&focus=<quarter-id>`` shows the trends of a quarter.
"""

import streamlit as st

from ui import urlstate
from ui.frame import frame, need
from ui.widgets import glossary_links, literal, note_links, source_line

c = frame("Trends", ":material/trending_up:")
st.title("Trends to watch")
need(c, "trends")
t = c.trends
quarters = {q.id: q for q in c.breakdown.quarters} if c.ok("breakdown") else {}
by_id = {x.id: x for x in t.trends}

st.markdown(literal(t.intro, 2000))
chosen = urlstate.follow("trend", choices=by_id, what="the trend")

labels = {"all": "All"} | {q: quarters[q].short for q in quarters}
focus = urlstate.follow("focus", choices=labels, default="all", what="the quarter")
st.segmented_control("Show trends that touch", list(labels), format_func=labels.get, default=focus,
                     **urlstate.widget("focus", "trend_focus", lambda v: None if v in (None, "all") else v))
items = [x for x in t.trends if focus in (None, "all") or focus in x.quarters]
if chosen and by_id[chosen] not in items:
    items.insert(0, by_id[chosen])

st.caption(f"{len(items)} of {len(t.trends)} trends")
for x in items:
    with st.container(border=True):
        head = f"### {literal(x.name, 150)}"
        if x.id == chosen:
            head += "  :blue-badge[linked]"
        st.markdown(head)
        if not x.confirmed:
            st.warning(f"**Not confirmed elsewhere.** {literal(x.caveat, 600)}", icon=":material/help:")
        elif x.caveat:
            st.info(literal(x.caveat, 600), icon=":material/info:")
        st.markdown(literal(x.summary, 2000))
        st.markdown(f"**Why it matters.** {literal(x.why_it_matters, 2000)}")
        if x.quarters and quarters:
            st.caption("Touches: " + ", ".join(quarters[q].short for q in x.quarters if q in quarters))
        source_line(x.source_url, x.last_verified)
        note_links(x.notes, c)
        glossary_links(x.glossary, c)
