"""ML Test Score calculator (Breck et al., 2017): 28 tests in 4 sections, final score = weakest section.

Deep link: ``/ML_Test_Score?m=<code>`` reproduces a set of marks (``m1.`` codes need only the rubric,
so the page works even when the self-assessment questionnaire cannot be loaded; older links that
came from the self-assessment still open when it can).
"""

import streamlit as st

from ui import mlts_view
from ui.frame import frame, need
from ui.widgets import literal, source_line

c = frame("ML Test Score", ":material/rule:")
st.title("ML Test Score")
need(c, "ml_test_score")
mts = c.ml_test_score

st.markdown(literal(mts.summary, 2000))
st.caption(literal(mts.scoring_note, 1000))
source_line(mts.source_url, mts.last_verified)
st.info("**Nothing is stored on the server.** Your marks live in this tab and in the link you copy.", icon=":material/lock:")

marks = mlts_view.follow_marks(c)
marks = mlts_view.form(mts, marks) or marks
if marks is None:
    st.caption("Mark each test and press **Score**. Half a point for a test run by hand with documented results, one point when it runs automatically and repeatedly.")
    st.stop()
mlts_view.result(c, marks)
