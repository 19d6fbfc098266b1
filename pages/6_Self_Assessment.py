"""Self-assessment: place your team on the AWS, Azure and Google Cloud ladders at once.

The whole answer set travels in the URL (``?a=<share code>``: answers, "does not apply", notes and
an optional name), and the plan's owners and target dates in ``?plan=``, so a link reproduces the
result on any server; nothing is stored server-side.  Answers, notes and the name are collected in a
form, so choosing an answer or typing a note sends nothing to the server.
"""

import streamlit as st

from explorer.assess import sharecode
from ui import result_view as rv
from ui import self_assessment_view as sa
from ui.assessment_view import assessment_parts
from ui.caches import evaluation
from ui.frame import frame, need
from ui.widgets import literal

c = frame("Self-assessment", ":material/fact_check:")
st.title("Where does your team stand?")
need(c, "assessment", "maturity")
parts = assessment_parts(c)
A = parts.assessment

st.markdown(literal(A.intro, 2000))
st.info(
    "**Nothing is stored on the server.** Your answers, notes and name live in this browser tab and in the link below; "
    "download the result as a file to keep it or to compare later.",
    icon=":material/lock:",
)

state = sa.follow(parts)  # ?a= and ?plan=
results_box = st.container()
sa.questionnaire(parts, state)

aset = state.answer_set
with results_box:
    if aset is None:
        st.caption("Answer the questions and press **Show my result**. Unanswered questions count as the first answer.")
    else:
        for msg in state.messages:
            st.caption(f":material/info: {literal(msg, 400)}")
        result = evaluation(c, A, parts.vendors, aset.answers, aset.na)
        code = state.code or sharecode.encode_answer_set(A, aset).code
        rv.placements(c, parts, aset, result)
        rv.notes_and_na(parts, aset, result, state.notes_cut)
        st.subheader("Improvement plan")
        plan = rv.plan(c, parts, state, result)
        st.subheader("By quarter and capability")
        rv.scores(c, parts, aset, result, code)
        st.subheader("Share and keep")
        rv.share_and_keep(parts, aset, result, plan, code)

rv.history(parts)  # kept in this browser

st.subheader("Compare results")
st.markdown("Upload result files (JSON, downloaded above) to follow one team over time or to put teams side by side.")
rv.compare(parts, aset)
