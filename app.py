"""Home page of the MLOps course-notes explorer (entry point: ``streamlit run app.py``).

A first visit lands here, so the page stays light: its two figures are the images generated from the
chart builders (``figures/*_small.svg``, ``python -m explorer figures``), not Plotly charts, so that
neither the server (no chart code, no pandas) nor the browser (no Plotly bundle) loads Plotly for it.
The interactive charts are one link away.  While a content file has been edited since the figures
were generated, the live chart is drawn instead (``ui.widgets.figure_image``).
"""

import streamlit as st

from explorer.content.breakdown import percent
from explorer.routes import PAGES
from ui.caches import figure
from ui.frame import frame, need, page_index
from ui.notes_view import show_note
from ui.widgets import figure_image, literal, plotly, warm_up_charts

c = frame("Home", ":material/home:")

st.title("MLOps course-notes explorer")
st.markdown(
    "A study companion for the Duke / Coursera course **DevOps, DataOps, MLOps**. "
    "Read and search the week-1 notes, explore the course's ideas as interactive charts, "
    "place your own team on the AWS, Azure and Google Cloud maturity ladders, and practise with cards and quizzes."
)

with st.container(border=True):
    st.markdown("**How to use it**")
    cols = st.columns(4)
    steps = [
        (":material/menu_book:", "Read", "Open the notes reader, follow the contents, mark sections read. Glossary terms are underlined: hover or tab to one for its definition (on a touch screen, tap the ? after it)."),
        (":material/stairs:", "Explore", "Click a rung of a maturity ladder or a slice of the breakdown to see its details and where the notes cover it."),
        (":material/fact_check:", "Assess", "Answer the self-assessment to see your rung on all three ladders; copy the link to share the result."),
        (":material/school:", "Study", "Review spaced-repetition cards and take quizzes; export your progress as a file to continue later."),
    ]
    for col, (icon, head, text) in zip(cols, steps):
        with col:
            st.markdown(f"{icon} **{head}**")
            st.caption(text)


def note_excerpt(note_id: str, heading: str) -> None:
    """Render the first section of a note as a short excerpt with a link to read on."""
    note = c.note(note_id)
    st.subheader(heading)
    if note is None:
        st.info(f"The note `{note_id}` is not available.", icon=":material/info:")
        return
    if note.summary:
        st.markdown(f"*{literal(note.summary, 400)}*")
    if note.sections:
        show_note(note, c, note.sections[0].id, part="own")
    st.page_link(PAGES["notes"].file, label=f"Read “{note.title}”", query_params={"note": note.id},
                 icon=":material/arrow_forward:")


left, right = st.columns(2, gap="large")
with left:
    note_excerpt("kaizen", "Kaizen: improve a little, every day")
with right:
    note_excerpt("why-mlops-is-trending", "Why MLOps is trending")

def live_chart(name: str, builder: str, model) -> None:
    from explorer import charts  # only when an image is out of date: Plotly and pandas load then

    fig = figure(c, name, getattr(charts, builder), model)
    plotly(fig, alt=charts.describe(fig))


def tier_line(i: int, n: int, tier) -> str:
    where = " (top)" if i == n else " (foundation)" if i == 1 else ""
    return f"- **{literal(tier.name, 120)}**{where}: {literal(' · '.join(tier.examples[:3]), 300)}"


st.divider()
left, right = st.columns(2, gap="large")
with left:
    st.subheader("Where MLOps effort goes: 25/25/25/25")
    if need(c, "breakdown", stop=False):
        b = c.breakdown
        figure_image(c, "mlops_breakdown_small.svg", key="breakdown",
                        narrow_text="\n".join(f"- **{literal(q.name, 120)}**: {percent(q.share)}" for q in b.quarters),
                        live=lambda: live_chart("breakdown_donut", "breakdown_donut", b))
        st.caption(literal(b.attribution, 1500))
        st.page_link(PAGES["breakdown"].file, label="Explore the quarters and compare your own split", icon=PAGES["breakdown"].icon)
with right:
    st.subheader("The hierarchy of needs")
    if need(c, "hierarchy", stop=False):
        h = c.hierarchy
        figure_image(c, "hierarchy_of_needs_small.svg", key="hierarchy",
                        narrow_text="\n".join(tier_line(i, len(h.tiers), t) for i, t in reversed(list(enumerate(h.tiers, 1)))),
                        live=lambda: live_chart("hierarchy_pyramid", "hierarchy_pyramid", h))
        st.caption(literal(h.summary, 1500))
        st.page_link(PAGES["concepts"].file, label="Tier details, heavy vs light workflows, the pizza analogy", icon=PAGES["concepts"].icon)

st.divider()
st.subheader("Everything in the app")
page_index()

if c.errors:
    with st.expander(f"Content problems ({len(c.errors)})", icon=":material/warning:"):
        st.caption("Pages that need a broken file show an error box; everything else keeps working.")
        st.code("\n".join(str(p) for p in c.errors[:50]), language=None)

warm_up_charts()  # last: the server imports the chart code for the next page, this page is not slowed
