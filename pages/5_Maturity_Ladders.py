"""Maturity-ladder explorer: AWS, Azure and Google Cloud on one manual -> automated axis.

Deep links: ``/Maturity_Ladders?rung=<level-id>`` selects a rung (``?vendor=<id>`` its first rung);
``?view=crosswalk&stage=<row-id>`` opens the crosswalk at a stage; ``?view=compare&compare=<id>,<id>``
compares two rungs.
"""

import streamlit as st

from ui import ladders_view as lv
from ui import urlstate
from ui.frame import frame, need

c = frame("Maturity ladders", ":material/stairs:")
st.title("Maturity ladders")
need(c, "maturity")
lad = lv.Ladders(c)

st.markdown(
    "Each cloud vendor describes MLOps maturity as a ladder. The three ladders use different words and different "
    "numbers of rungs, so here they share one horizontal axis: how much of the path from data to a model in production "
    "runs without a person pushing it. **Hover** a rung for its summary, **click** it (or pick it below) for everything about it."
)

rung = urlstate.follow("rung", choices=lad.levels, what="the rung")
vendor = urlstate.follow("vendor", choices=[v.id for v in lad.vendors], what="the vendor")
selected = rung or lad.first_rung(vendor)
stage = urlstate.follow("stage", choices=lad.rows, what="the crosswalk stage")
pair = lv.follow_pair(lad)
view = urlstate.follow("view", choices=lv.VIEWS, what="the view",
                       default="compare" if pair else "crosswalk" if stage else "details")

lv.overview(lad, selected)
st.segmented_control("View", list(lv.VIEWS), format_func=lv.VIEWS.get, default=view, **urlstate.widget("view", "ladder_view"),
                     help="Details of one rung, how the vendors' rungs line up, or any two rungs side by side")
if view == "crosswalk":
    lv.crosswalk(lad, stage)
elif view == "compare":
    lv.compare(lad, selected, pair)
else:
    st.selectbox("Rung", list(lad.levels), format_func=lad.label, index=urlstate.index(lad.levels, rung),
                 placeholder="Pick a rung, or click one in the chart", **urlstate.widget("rung"))
    if selected is None:
        st.info("Select a rung to see its details and what changes from the rung below.", icon=":material/touch_app:")
    else:
        lv.rung_details(lad, selected)
    lv.caveats(lad)
