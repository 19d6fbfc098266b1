"""The ML Test Score page's parts: the 28-test form, filled from a share link (``?m=<code>``), and the result."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from explorer.assess import sharecode
from explorer.assess.scoring import MLTS_MARKS, ml_test_score
from explorer.charts import assessment as ac
from explorer.content.loader import Content

from . import pagestate, urlstate
from .caches import figure
from .widgets import literal, plotly

PARAM = "m"
OPTIONS = list(MLTS_MARKS)


@dataclass
class MarksHeld:
    """The marks this session scored or opened last: the self-assessment carries them into its link."""

    marks: dict[str, float] | None = None


def held_marks() -> dict[str, float] | None:
    return pagestate.held("_mlts", MarksHeld).marks


def _hold(marks: dict[str, float] | None) -> None:
    if marks is not None:
        pagestate.held("_mlts", MarksHeld).marks = dict(marks)


def follow_marks(c: Content) -> dict[str, float] | None:
    """The marks the link carries (None without a link or with one that cannot be read: a notice says why).
    ``m1.`` codes need only the rubric; older self-assessment codes that carry marks open when the
    questionnaire can be loaded."""
    mts = c.ml_test_score
    a = c.assessment if c.ok("assessment") else None

    def decode(raw: str) -> dict[str, float]:
        try:
            return sharecode.decode_marks(raw, mts, a)
        except sharecode.ShareCodeError as exc:
            raise ValueError(f"**This link's marks could not be read**: {literal(str(exc), 300)} The form starts empty.") from None

    marks = urlstate.follow(PARAM, parse=decode, what="the marks", max_chars=4000)
    _hold(marks)
    return marks


def form(mts, link: dict[str, float] | None) -> dict[str, float] | None:
    """The tests by section, starting from the link's marks; the marks when the reader pressed Score (they go
    into the URL), else None."""
    marks = {}
    with st.form("mlts_form"):
        for tab, s in zip(st.tabs([s.name for s in mts.sections]), mts.sections):
            with tab:
                for t in s.tests:
                    marks[t.id] = float(st.radio(literal(t.text, 300), OPTIONS, format_func=lambda v: MLTS_MARKS[v],
                                                 index=urlstate.index(OPTIONS, (link or {}).get(t.id, 0.0)) or 0, horizontal=True,
                                                 key=urlstate.widget_key(PARAM, f"t_{t.id}"), help=literal(t.explanation, 600)) or 0.0)
        submitted = st.form_submit_button("Score", type="primary", icon=":material/calculate:")
    if not submitted:
        return None
    urlstate.push(PARAM, sharecode.encode_marks(mts, marks))
    _hold(marks)
    return marks


def result(c: Content, marks: dict[str, float]) -> None:
    mts = c.ml_test_score
    r = ml_test_score(mts, marks)
    st.header("Result", anchor=False)
    m1, m2, m3 = st.columns(3)
    m1.metric("Final score (weakest section)", f"{r.final:g} / {min(s.max_total for s in r.sections)}")
    m2.metric("Band", r.band_label)
    m3.metric("Points over all sections", f"{r.marks_total:g}")
    st.markdown(f"**What it means:** {literal(r.band_meaning, 600)}")
    st.warning(f"Weakest section: **{', '.join(literal(n) for n in r.weakest_names)}**. The final score is capped by it, "
               "so that is where the next automation pays most.", icon=":material/priority_high:")
    fig = figure(c, "mlts", ac.mlts_bar_figure, r, key=str(sorted(marks.items())))
    plotly(fig, alt="Bar chart of the four section totals with the weakest highlighted")
    st.dataframe(ac.mlts_table(r), hide_index=True, width="stretch")
    st.markdown("Copy this link to share or bookmark these marks:")
    st.code(sharecode.share_url(st.context.url or "/ML_Test_Score", sharecode.encode_marks(mts, marks), param=PARAM),
            language=None)
