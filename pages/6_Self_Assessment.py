"""Self-assessment: place your team on the AWS, Azure and Google Cloud ladders at once.

The whole answer set travels in the URL (``?a=<share code>``), so a link reproduces the result
on any server; nothing is stored server-side.  Answers are collected in a form, so choosing an
answer does not rerun the page or rebuild its charts.
"""

import datetime as dt

import streamlit as st

import ui
from explorer import charts, results_io, sharecode
from explorer.assessment import evaluate, index_weighting
from explorer.charts import assessment as ac
from explorer.routes import PAGES

c = ui.frame("Self-assessment", ":material/fact_check:")
st.title("Where does your team stand?")
ui.need(c, "assessment", "maturity")
A = c.assessment
vendors = c.vendors
mts = c.ml_test_score if c.ok("ml_test_score") else None
quarters = {q.id: q for q in c.breakdown.quarters} if c.ok("breakdown") else {}
qnames = {k: q.short for k, q in quarters.items()}

st.markdown(ui.literal(A.intro, 2000))
st.info(
    "**Nothing is stored on the server.** Your answers live in this browser tab and in the link below; "
    "download the result as a file to keep it or to compare later.",
    icon=":material/lock:",
)

# ------------------------------------------------------------------ answers from a shared link (?a=<code>)
def _decode(raw: str):
    try:
        return sharecode.decode(raw, A, mts)
    except sharecode.ShareCodeError as exc:
        raise ValueError(f"**This link's result could not be read**: {ui.literal(str(exc), 300)} The form below starts empty.") from None


def _fill_form(decoded) -> None:
    for q in A.questions:
        st.session_state[f"q_{q.id}"] = decoded.answers.get(q.id) if decoded else None
    st.session_state["answers"] = dict(decoded.answers) if decoded else None
    if decoded is not None and decoded.marks is not None:
        st.session_state["mlts_marks"] = dict(decoded.marks)


ui.bind(sharecode.QUERY_PARAM, "assessment_link", parse=_decode, apply=_fill_form, what="the result", max_chars=4000)

# ------------------------------------------------------------------ the questionnaire (a form: no rerun per answer)
results_box = st.container()
# With a result on screen the questionnaire is drawn only on request, so its 23 radios are not
# rebuilt on every rerun of the results.  Answers live in session_state["answers"] meanwhile.
show_form = st.session_state.get("answers") is None or st.toggle(
    "Change the answers", key="edit_answers", help="Open the questionnaire again; your current answers are filled in")
form_box = st.container()
submitted = cleared = False
if show_form:
    prior = st.session_state.get("answers") or {}
    for q in A.questions:
        if f"q_{q.id}" not in st.session_state and q.id in prior:
            st.session_state[f"q_{q.id}"] = prior[q.id]
    with form_box, st.form("assessment_form"):
        st.markdown(f"**{len(A.questions)} questions, about five minutes.** Pick the answer that best describes your team today.")
        groups: dict[str, list] = {}
        for q in A.questions:
            groups.setdefault(q.quarter, []).append(q)
        for quarter_id, qs in groups.items():
            label = quarters[quarter_id].name if quarter_id in quarters else quarter_id
            st.markdown(f"#### {ui.literal(label)}")
            for q in qs:
                st.radio(
                    ui.literal(q.text, 300),
                    options=list(range(len(q.answers))),
                    format_func=lambda i, q=q: q.answers[i].label,
                    captions=[ui.literal(a.description, 300) for a in q.answers],
                    key=f"q_{q.id}",
                    help=ui.literal(q.help, 500) if q.help else None,
                    horizontal=False,
                    **({} if f"q_{q.id}" in st.session_state else {"index": None}),
                )
        cols = st.columns([1, 1, 3])
        submitted = cols[0].form_submit_button("Show my result", type="primary", icon=":material/insights:",
                                               on_click=lambda: st.session_state.update(edit_answers=False))
        cleared = cols[1].form_submit_button("Clear answers", icon=":material/restart_alt:")

if cleared:
    _fill_form(None)
    ui.push(sharecode.QUERY_PARAM, None)
    st.rerun()
if submitted:
    answers = {q.id: st.session_state.get(f"q_{q.id}") for q in A.questions}
    answers = {k: v for k, v in answers.items() if v is not None}
    st.session_state["answers"] = answers
    ui.push(sharecode.QUERY_PARAM, sharecode.encode(A, answers))
    st.rerun()  # redraw from the top: results first, the questionnaire behind "Change the answers"

answers = st.session_state.get("answers")
if answers is None:
    results_box.caption("Answer the questions and press **Show my result**. Unanswered questions count as the first answer.")

# ------------------------------------------------------------------ results
with results_box:
    if answers is not None:
        result = ui.evaluation(c, A, vendors, answers)
        code = sharecode.encode(A, answers)
        st.header("Your result", anchor=False)
        if result.unanswered:
            st.caption(f"{len(result.unanswered)} question(s) unanswered: they count as the first answer.")

        positions = {p.vendor_id: (p.current.level_id if p.current else None) for p in result.placements}
        fig = ui.figure(c, "ladder_you", charts.ladder_chart, vendors, positions=positions)
        ui.plotly(fig, alt="The three maturity ladders with your rung on each marked: " + "; ".join(f"{p.vendor_name}: {p.current_label}" for p in result.placements))

        cols = st.columns(len(result.placements))
        for col, p in zip(cols, result.placements):
            with col, st.container(border=True):
                st.markdown(f"**{ui.literal(p.vendor_name)}**")
                short = f"{p.level_word} {p.current.rank}" if p.current else "Below the first rung"
                st.metric("You stand on", short)
                if p.current:
                    st.markdown(f"**{ui.literal(p.current.name, 120)}**")
                if p.at_top:
                    st.success("Top of this ladder.", icon=":material/emoji_events:")
                elif p.next is not None:
                    st.markdown(f"Next: **{p.level_word} {p.next.rank}: {ui.literal(p.next.name)}**, held back by:")
                    for b in p.blockers:
                        st.markdown(f"- {ui.literal(b.question, 200)} — now *{ui.literal(b.current_label)}*, needs *{ui.literal(b.needed_label)}*")
                        ui.note_links(b.learn[:1], c, icon=":material/school:")
                if p.met_above:
                    st.caption("Also met out of order: " + ", ".join(ui.literal(lv.name) for lv in p.met_above))
                st.page_link(PAGES["ladders"].file, label="Rung details", icon=":material/stairs:",
                             query_params={"rung": p.current.level_id} if p.current else {})

        st.subheader("Next steps")
        plan = result.short_plan(6)
        if not plan:
            st.success("No blockers left on any ladder.", icon=":material/emoji_events:")
        for i, step in enumerate(plan, 1):
            unblocks = ", ".join(f"{next(v.name for v in vendors if v.id == vid)}" for vid, _ in step.unblocks)
            st.markdown(
                f"{i}. **{ui.literal(step.capability)}**: {ui.literal(step.question, 200)} — move from *{ui.literal(step.current_label)}* "
                f"to *{ui.literal(step.target_label)}* (unblocks {ui.literal(unblocks)})"
            )
        st.caption(ui.literal(result.rules[-1], 400))

        st.subheader("By quarter and capability")
        left, right = st.columns([2, 3])
        with left:
            fig = ui.figure(c, "radar_q", ac.radar_figure, result, by="quarter", labels=qnames, key=code)
            ui.plotly(fig, alt="Radar of your scores by quarter")
            st.dataframe(ui.table(c, "scores_q", ac.scores_table, result, by="quarter", labels=qnames, key=code), hide_index=True, width="stretch")
            st.metric("Index (0-100)", f"{result.index:.0f}")
            st.caption("How the index is computed: " + ui.literal(result.index_formula, 400))
            st.caption(ui.literal(index_weighting(result, qnames), 400))
        with right:
            fig = ui.figure(c, "radar_c", ac.radar_figure, result, by="capability", key=code, height=560)
            ui.plotly(fig, alt="Radar of your scores by capability")
        with st.expander("Scores by capability as a table"):
            st.dataframe(ui.table(c, "scores_c", ac.scores_table, result, by="capability", key=code), hide_index=True, width="stretch")

        # ------------------------------------------------------------------ share and export
        st.subheader("Share and keep")
        base = st.context.url or "/Self_Assessment"
        link = sharecode.share_url(base, code)
        st.markdown("Copy this link to share or bookmark the result (it holds the answers, nothing else):")
        st.code(link, language=None)
        team = st.text_input("Team name for the downloaded files (optional)", max_chars=results_io.MAX_TEAM_LENGTH, key="team_name")
        now = dt.datetime.now(dt.UTC)
        c1, c2 = st.columns(2)
        c1.download_button(
            "Download result (JSON)",
            lambda: results_io.export_json(result, A, vendors, team=team, when=now, share_code=code),
            file_name=f"mlops-assessment-{now:%Y%m%d}.json", mime="application/json", icon=":material/download:",
        )
        c2.download_button(
            "Download report (Markdown)",
            lambda: results_io.export_markdown(result, A, vendors, team=team, when=now, share_link=link, quarter_names=qnames),
            file_name=f"mlops-assessment-{now:%Y%m%d}.md", mime="text/markdown", icon=":material/description:",
        )

# ------------------------------------------------------------------ compare
st.subheader("Compare results")
st.markdown("Upload result files (JSON, downloaded above) to follow one team over time or to put teams side by side.")
files = st.file_uploader("Result files", type=["json"], accept_multiple_files=True, key="compare_files")
imported = []
for f in files or []:
    try:
        imported.append(results_io.import_json(f.getvalue(), A, vendors, mts=mts, source=f.name))
    except results_io.ResultImportError as exc:
        st.error(ui.literal(str(exc), 400), icon=":material/error:")
for r in imported:
    for w in r.warnings:
        st.caption(f"{ui.literal(r.source)}: {ui.literal(w, 300)}")
if imported:
    include_me = answers is not None and st.checkbox("Include the current result", value=True, key="cmp_me")
    if include_me:
        imported.append(results_io.ImportedResult(answers=dict(answers), marks=None, created=dt.datetime.now(dt.UTC), team=st.session_state.get("team_name") or "Current",
                                                  content_version="", assessment_version=A.version, share_code=sharecode.encode(A, answers), source="current"))
    mode = st.segmented_control("Compare", ["Over time", "Across teams"], default="Over time", key="cmp_mode")
    if mode in (None, "Over time"):
        frame = results_io.compare_over_time(imported, A, vendors, mts=mts, quarter_names=qnames)
        ui.plotly(ac.trend_figure(frame, vendors), alt="Trend of your rungs and scores over time")
        st.dataframe(ac.trend_table(frame), hide_index=True, width="stretch")
    else:
        comp = results_io.compare_teams(imported, A, vendors, quarter_names=qnames)
        st.markdown("**Rungs**")
        st.dataframe(comp.rungs.drop(columns=["vendor_id"]), hide_index=True, width="stretch")
        st.markdown("**Where the teams disagree most** (a good place to start the conversation)")
        if comp.disagreements.empty:
            st.caption("The results agree on every question.")
        else:
            st.dataframe(comp.disagreements.drop(columns=["question_id"]), hide_index=True, width="stretch")
        evs = {lab: evaluate(A, vendors, r.answers) for lab, r in zip(comp.labels, imported)}
        ui.plotly(ac.radar_figure(evs, by="quarter", labels=qnames), alt="Radar of each team's quarter scores")
        st.dataframe(comp.scores, hide_index=True, width="stretch")
