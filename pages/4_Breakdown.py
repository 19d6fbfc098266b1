"""The 25/25/25/25 view of MLOps effort: the quarters, what relates to each, and your own split.

Deep links: ``/Breakdown?quarter=<id>`` selects a quarter; ``&split=40,30,20,10`` fills "your split".
"""

import streamlit as st

from explorer import charts
from ui import urlstate
from ui.breakdown_view import quarter_details, related, your_split
from ui.caches import figure
from ui.frame import frame, need
from ui.widgets import literal, plotly

c = frame("25/25/25/25 breakdown", ":material/donut_large:")
st.title("Where MLOps effort goes")
need(c, "breakdown")
b = c.breakdown
quarters = {q.id: q for q in b.quarters}
st.markdown(literal(b.summary, 1500))
st.caption(literal(b.attribution, 500))

selected = urlstate.follow("quarter", choices=quarters, what="the quarter")
left, right = st.columns([2, 3], gap="large")
with left:
    fig = figure(c, "breakdown_donut", charts.breakdown_donut, b, selected=selected)
    plotly(fig, alt=charts.describe(fig), key="donut",
           on_select=urlstate.on_chart_select("donut", "quarter", quarters))
    st.segmented_control("Quarter", list(quarters), format_func=lambda i: quarters[i].short, default=selected,
                         **urlstate.widget("quarter"))
with right:
    if not selected:
        st.info("Click a slice (or pick a quarter) to see what it covers and where the app deals with it.", icon=":material/touch_app:")
        st.dataframe(charts.breakdown_table(b).drop(columns=["id"], errors="ignore"), hide_index=True, width="stretch")
    else:
        quarter_details(c, quarters[selected])
if selected:
    related(c, selected)

st.divider()
st.subheader("Your split")
st.markdown("How does your team actually spend its MLOps effort? Enter rough percentages; they are scaled to 100 if they do not add up.")
your_split(c)
