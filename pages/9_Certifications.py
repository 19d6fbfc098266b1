"""Certifications the course names: filterable table, status (retired ones with successor), sources, charts.

Deep links: ``/Certifications?cert=<id>`` opens one; the filters travel too
(``issuer=``, ``domain=``, ``level=``, ``status=`` as comma-separated values, ``find=`` text).
"""

import streamlit as st

from ui import certifications_view as cv
from ui import urlstate
from ui.frame import frame, need

c = frame("Certifications", ":material/workspace_premium:")
st.title("Certifications")
need(c, "certifications")
by_id = {x.id: x for x in c.certifications}

st.markdown(
    "The course lists certifications that fit MLOps work. Several have changed since: "
    "retired exams are flagged with their successor, and facts that public sources do not settle are marked unconfirmed. "
    "Exam facts change often, so check the source link before you book anything."
)
cv.filtered_table(c)
cv.retired(c.certifications)

st.subheader("Details")
chosen = urlstate.follow("cert", choices=by_id, what="the certification")
st.selectbox("Certification", list(by_id), format_func=lambda i: by_id[i].name, index=urlstate.index(by_id, chosen),
             placeholder="Pick a certification for its details", **urlstate.widget("cert", "cert_pick"))
if chosen is None:
    st.info("Pick a certification above (or follow a link from a search, a card or the breakdown) to see its facts.",
            icon=":material/touch_app:")
else:
    cv.details(c, by_id[chosen])

st.subheader("At a glance")
cv.at_a_glance(c)
