"""The self-assessment's result: the rungs on each ladder, notes and "does not apply", the improvement plan,
scores by quarter and capability, the share link and downloads; then the results this browser keeps and the
comparison of uploaded result files.  The page's state is :class:`ui.self_assessment_view.AssessState`."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from explorer import charts
from explorer.assess import evidence, report, results_io, sharecode
from explorer.assess import plan as plan_mod
from explorer.assess.na_explain import effects_by_vendor
from explorer.assess.scoring import evaluate, index_weighting
from explorer.charts import assessment as ac
from explorer.content.loader import Content
from explorer.routes import PAGES
from explorer.study import store as S

from .assessment_view import PRINT_HELP, AssessmentParts, blocker_list, movement, na_notice, na_rule, plan_view, report_download
from .caches import figure, table
from .progress import learner
from .self_assessment_view import AssessState
from .widgets import literal, plotly


def _rung_title(p) -> str:
    return f"{p.level_word} {p.current.rank}" if p.current else "Below the first rung"


def placements(c: Content, parts: AssessmentParts, aset: evidence.AnswerSet, result) -> None:
    """The heading, the three ladders with the rung marked, and one card per ladder (what holds it back)."""
    st.header("Your result" if not aset.name else f"Result of {literal(aset.name, 60)}", anchor=False)
    if result.unanswered:
        st.caption(f"{len(result.unanswered)} question(s) unanswered: they count as the first answer.")
    if result.not_applicable:
        st.caption(f"{len(result.not_applicable)} question(s) marked “does not apply”: they leave the scores, "
                   "and never meet a rung's requirement.")
    positions = {p.vendor_id: (p.current.level_id if p.current else None) for p in result.placements}
    fig = figure(c, "ladder_you", charts.ladder_chart, parts.vendors, positions=positions)
    plotly(fig, alt="The three maturity ladders with your rung on each marked: "
           + "; ".join(f"{p.vendor_name}: {p.current_label}" for p in result.placements))
    na_effects = effects_by_vendor(result, parts.assessment, parts.vendors)
    for col, p in zip(st.columns(len(result.placements)), result.placements):
        with col, st.container(border=True):
            st.markdown(f"**{literal(p.vendor_name)}**")
            st.metric("You stand on", _rung_title(p))
            if p.current:
                st.markdown(f"**{literal(p.current.name, 120)}**")
            na_notice(na_effects.get(p.vendor_id))
            if p.at_top:
                st.success("Top of this ladder.", icon=":material/emoji_events:")
            elif p.next is not None:
                st.markdown(f"Next: **{p.level_word} {p.next.rank}: {literal(p.next.name)}**, held back by:")
                blocker_list(p)
            if p.met_above:
                st.caption("Also met out of order: " + ", ".join(literal(lv.name) for lv in p.met_above))
            st.page_link(PAGES["ladders"].file, label="Rung details", icon=":material/stairs:",
                         query_params={"rung": p.current.level_id} if p.current else {})
    na_rule(na_effects)


def notes_and_na(parts: AssessmentParts, aset: evidence.AnswerSet, result, notes_cut: bool) -> None:
    if not (aset.na or aset.notes):
        return
    st.subheader("Your notes and “does not apply”")
    lines = []
    for q in parts.assessment.questions:
        note = aset.notes.get(q.id)
        if q.id in aset.na:
            line = f"- **{literal(q.text, 200)}** — *{evidence.NA_LABEL}* ({literal(q.na_reason, 300)})"
        elif note:
            line = f"- **{literal(q.text, 200)}** — {literal(q.answers[result.answer_map[q.id]].label, 120)}"
        else:
            continue
        if note:
            line += f"  \n  :material/edit_note: {literal(note, evidence.MAX_NOTE_CHARS)}"
        lines.append(line)
    st.markdown("\n".join(lines))
    if notes_cut:
        st.caption("Some notes were shortened to fit in the link.")


def plan(c: Content, parts: AssessmentParts, s: AssessState, result) -> plan_mod.Plan:
    """The improvement plan with its owners and dates (they travel in ``?plan=``)."""
    st.caption("Each answer that holds you back from a ladder's next rung is one step, the answers that hold back "
               "the most ladders first. " + literal(result.rules[-1], 400))
    steps = plan_mod.build_plan(result, parts.assessment, parts.vendors, resolve=plan_mod.note_resolver(c))
    return plan_view(c, steps, edits=s.plan_edits, editor_prefix="plan_editor", on_change=s.edit_plan)


def scores(c: Content, parts: AssessmentParts, aset: evidence.AnswerSet, result, code: str) -> None:
    """Radar charts and tables by quarter and by capability, and the index."""
    qnames = parts.quarter_names
    left, right = st.columns([2, 3])
    score_key = f"{code.split('.')[1] if '.' in code else code}|{sorted(aset.na)}"
    with left:
        fig = figure(c, "radar_q", ac.radar_figure, result, by="quarter", labels=qnames, key=score_key)
        plotly(fig, alt="Radar of your scores by quarter")
        st.dataframe(table(c, "scores_q", ac.scores_table, result, by="quarter", labels=qnames, key=score_key),
                     hide_index=True, width="stretch")
        st.metric("Index (0-100)", f"{result.index:.0f}")
        st.caption("How the index is computed: " + literal(result.index_formula, 400))
        st.caption(literal(index_weighting(result, qnames), 400))
    with right:
        fig = figure(c, "radar_c", ac.radar_figure, result, by="capability", key=score_key, height=560)
        plotly(fig, alt="Radar of your scores by capability")
    with st.expander("Scores by capability as a table"):
        st.dataframe(table(c, "scores_c", ac.scores_table, result, by="capability", key=score_key),
                     hide_index=True, width="stretch")


def share_and_keep(parts: AssessmentParts, aset: evidence.AnswerSet, result, steps: plan_mod.Plan, code: str) -> None:
    """The share link (for a workshop too) and the downloads: printable report, JSON, Markdown."""
    A, vendors, qnames = parts.assessment, parts.vendors, parts.quarter_names
    link = sharecode.share_url(st.context.url or "/Self_Assessment", code)
    st.markdown("Copy this link to share or bookmark the result (it holds the answers, notes and name, nothing else). "
                "For a team workshop, each person sends their link to the facilitator:")
    st.code(link, language=None)
    st.page_link(PAGES["workshop"].file, label="Combine several people's links in a team workshop", icon=":material/groups:")
    team = st.text_input("Team name for the downloaded files (optional)", max_chars=results_io.MAX_TEAM_LENGTH, key="team_name")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    stamp = f"{now:%Y%m%d}"
    c1, c2, c3 = st.columns(3)
    with c1:
        report_download(
            "Printable report (HTML → PDF)",
            lambda: report.render_report(result, A, vendors, plan=steps, notes=aset.notes, participant=aset.name, team=team,
                                         when=now, mts=parts.mts, share_link=link, quarter_names=qnames),
            file_name=f"mlops-assessment-{stamp}.html", key="dl_report_html",
        )
    c2.download_button(
        "Download result (JSON)",
        lambda: results_io.export_json(result, A, vendors, team=team, when=now, share_code=code, notes=aset.notes,
                                       participant=aset.name, plan=steps),
        file_name=f"mlops-assessment-{stamp}.json", mime="application/json", icon=":material/download:", key="dl_json",
        on_click="ignore",
    )
    c3.download_button(
        "Download report (Markdown)",
        lambda: results_io.export_markdown(result, A, vendors, team=team, when=now, share_link=link, quarter_names=qnames,
                                           notes=aset.notes, participant=aset.name, plan=steps),
        file_name=f"mlops-assessment-{stamp}.md", mime="text/markdown", icon=":material/description:", key="dl_md",
        on_click="ignore",
    )
    st.caption(PRINT_HELP)


def history(parts: AssessmentParts) -> None:
    """The results this browser keeps (never the server), charted over time, each one a link to open again."""
    kept = S.assessment_results(learner())
    if not kept:
        return
    st.subheader("Your results over time")
    st.caption(f"{len(kept)} result(s) kept in this browser (never on the server); the Study page can download or forget them.")
    skipped = movement(parts.assessment, parts.vendors, [(e.at, e.code, e.label or f"{e.at:%Y-%m-%d %H:%M}") for e in kept],
                       key="history")
    for msg in skipped:
        st.caption(literal(msg, 300))
    with st.expander("Open an earlier result", icon=":material/history:"):
        for e in reversed(kept[-20:]):
            st.page_link(PAGES["assessment"].file, label=f"{e.at:%Y-%m-%d %H:%M} UTC" + (f" · {e.label}" if e.label else ""),
                         icon=":material/fact_check:", query_params={sharecode.QUERY_PARAM: e.code})


def compare(parts: AssessmentParts, aset: evidence.AnswerSet | None) -> None:
    """Uploaded result files (and the current result): one team over time, or teams side by side."""
    A, vendors, mts, qnames = parts.assessment, parts.vendors, parts.mts, parts.quarter_names
    files = st.file_uploader("Result files", type=["json"], accept_multiple_files=True, key="compare_files")
    imported = []
    for f in files or []:
        try:
            imported.append(results_io.import_json(f.getvalue(), A, vendors, mts=mts, source=f.name))
        except results_io.ResultImportError as exc:
            st.error(literal(str(exc), 400), icon=":material/error:")
    for r in imported:
        for w in r.warnings:
            st.caption(f"{literal(r.source)}: {literal(w, 300)}")
    if not imported:
        return
    if aset is not None and st.checkbox("Include the current result", value=True, key="cmp_me"):
        imported.append(results_io.ImportedResult(
            answers=dict(aset.answers), marks=None, created=dt.datetime.now(dt.UTC), team=st.session_state.get("team_name") or "Current",
            content_version="", assessment_version=A.version, share_code=sharecode.encode(A, aset.answers, na=aset.na),
            source="current", na=aset.na, participant=aset.name))
    mode = st.segmented_control("Compare", ["Over time", "Across teams"], default="Over time", key="cmp_mode")
    if mode in (None, "Over time"):
        frame = results_io.compare_over_time(imported, A, vendors, mts=mts, quarter_names=qnames)
        plotly(ac.trend_figure(frame, vendors), alt="Trend of your rungs and scores over time")
        st.dataframe(ac.trend_table(frame), hide_index=True, width="stretch")
        st.markdown("**Rung by rung**: where each ladder placed each result")
        skipped = movement(A, vendors, [(r.created, sharecode.encode(A, r.answers, na=r.na), label)
                                        for r, label in zip(imported, results_io.unique_labels(imported))], key="movement")
        for msg in skipped:
            st.caption(literal(msg, 300))
        return
    comp = results_io.compare_teams(imported, A, vendors, quarter_names=qnames)
    st.markdown("**Rungs**")
    st.dataframe(comp.rungs.drop(columns=["vendor_id"]), hide_index=True, width="stretch")
    st.markdown("**Where the teams disagree most** (a good place to start the conversation)")
    if comp.disagreements.empty:
        st.caption("The results agree on every question.")
    else:
        st.dataframe(comp.disagreements.drop(columns=["question_id"]), hide_index=True, width="stretch")
    evs = {lab: evaluate(A, vendors, r.answers, r.na) for lab, r in zip(comp.labels, imported)}
    plotly(ac.radar_figure(evs, by="quarter", labels=qnames), alt="Radar of each team's quarter scores")
    st.dataframe(comp.scores, hide_index=True, width="stretch")
