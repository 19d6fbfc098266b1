"""ML Test Score calculator (Breck et al., 2017): 28 tests in 4 sections, final score = weakest section.

Deep link: ``/ML_Test_Score?m=<code>`` reproduces a set of marks (``m1.`` codes need only the rubric,
so the page works even when the self-assessment questionnaire cannot be loaded; older links that
came from the self-assessment still open when it can).
"""

import streamlit as st

import ui
from explorer import sharecode
from explorer.assessment import MLTS_MARKS, ml_test_score
from explorer.charts import assessment as ac

PARAM = "m"
c = ui.frame("ML Test Score", ":material/rule:")
st.title("ML Test Score")
ui.need(c, "ml_test_score")
mts = c.ml_test_score
A = c.assessment if c.ok("assessment") else None
tests = [t for s in mts.sections for t in s.tests]

st.markdown(ui.literal(mts.summary, 2000))
st.caption(ui.literal(mts.scoring_note, 1000))
ui.source_line(mts.source_url, mts.last_verified)
st.info("**Nothing is stored on the server.** Your marks live in this tab and in the link you copy.", icon=":material/lock:")

def _decode(raw: str) -> dict[str, float]:
    try:
        return sharecode.decode_marks(raw, mts, A)
    except sharecode.ShareCodeError as exc:
        raise ValueError(f"**This link's marks could not be read**: {ui.literal(str(exc), 300)} The form starts empty.") from None


def _fill_form(marks) -> None:
    for t in tests:
        st.session_state[f"t_{t.id}"] = marks.get(t.id, 0.0) if marks else 0.0
    st.session_state["mlts_marks"] = dict(marks) if marks else None


ui.bind(PARAM, "mlts_link", parse=_decode, apply=_fill_form, what="the marks", max_chars=4000)

OPTIONS = list(MLTS_MARKS)
with st.form("mlts_form"):
    tabs = st.tabs([s.name for s in mts.sections])
    for tab, s in zip(tabs, mts.sections):
        with tab:
            for t in s.tests:
                st.radio(
                    ui.literal(t.text, 300), OPTIONS, format_func=lambda v: MLTS_MARKS[v], horizontal=True,
                    key=f"t_{t.id}", help=ui.literal(t.explanation, 600),
                )
    submitted = st.form_submit_button("Score", type="primary", icon=":material/calculate:")

if submitted:
    marks = {t.id: float(st.session_state.get(f"t_{t.id}", 0.0)) for t in tests}
    st.session_state["mlts_marks"] = marks
    ui.push(PARAM, sharecode.encode_marks(mts, marks))

marks = st.session_state.get("mlts_marks")
if marks is None:
    st.caption("Mark each test and press **Score**. Half a point for a test run by hand with documented results, one point when it runs automatically and repeatedly.")
    st.stop()

r = ml_test_score(mts, marks)
st.header("Result", anchor=False)
m1, m2, m3 = st.columns(3)
m1.metric("Final score (weakest section)", f"{r.final:g} / {min(s.max_total for s in r.sections)}")
m2.metric("Band", r.band_label)
m3.metric("Points over all sections", f"{r.marks_total:g}")
st.markdown(f"**What it means:** {ui.literal(r.band_meaning, 600)}")
st.warning(f"Weakest section: **{', '.join(ui.literal(n) for n in r.weakest_names)}**. The final score is capped by it, so that is where the next automation pays most.",
           icon=":material/priority_high:")
fig = ui.figure(c, "mlts", ac.mlts_bar_figure, r, key=str(sorted(marks.items())))
ui.plotly(fig, alt="Bar chart of the four section totals with the weakest highlighted")
st.dataframe(ac.mlts_table(r), hide_index=True, width="stretch")
code = sharecode.encode_marks(mts, marks)
st.markdown("Copy this link to share or bookmark these marks:")
st.code(sharecode.share_url(st.context.url or "/ML_Test_Score", code, param=PARAM), language=None)
