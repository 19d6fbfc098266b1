"""Self-assessment: place your team on the AWS, Azure and Google Cloud ladders at once.

The whole answer set travels in the URL (``?a=<share code>``: answers, "does not apply", notes and
an optional name), and the plan's owners and target dates in ``?plan=``, so a link reproduces the
result on any server; nothing is stored server-side.  Answers, notes and the name are collected in a
form, so choosing an answer or typing a note sends nothing to the server.
"""

import datetime as dt

import streamlit as st

import ui
from explorer import charts
from explorer.assess import evidence, report, results_io, sharecode
from explorer.assess import plan as plan_mod
from explorer.assess.na_explain import effects_by_vendor
from explorer.assess.scoring import evaluate, index_weighting
from explorer.charts import assessment as ac
from explorer.routes import PAGES
from explorer.study import store as S
from ui.assessment_view import NA_CHOICE, PRINT_HELP, assessment_parts, blocker_list, na_notice, na_rule

c = ui.frame("Self-assessment", ":material/fact_check:")
st.title("Where does your team stand?")
ui.need(c, "assessment", "maturity")
A, vendors, mts, quarters, qnames = assessment_parts(c)

st.markdown(ui.literal(A.intro, 2000))
st.info(
    "**Nothing is stored on the server.** Your answers, notes and name live in this browser tab and in the link below; "
    "download the result as a file to keep it or to compare later.",
    icon=":material/lock:",
)


# ------------------------------------------------------------------ state: the answer set (from a link or the form)
def _decode(raw: str):
    try:
        return sharecode.decode(raw, A, mts)
    except sharecode.ShareCodeError as exc:
        raise ValueError(f"**This link's result could not be read**: {ui.literal(str(exc), 300)} The form below starts empty.") from None


def _fill_form(decoded, code: str | None = None) -> None:
    """Put a decoded share code (or nothing) into the form's widgets and the page state."""
    for q in A.questions:
        value = decoded.answers.get(q.id) if decoded else None
        if decoded is not None and q.id in decoded.na:
            value = NA_CHOICE
        st.session_state[f"q_{q.id}"] = value
        st.session_state[f"note_{q.id}"] = decoded.notes.get(q.id, "") if decoded else ""
    st.session_state["participant_name"] = decoded.name if decoded else ""
    st.session_state["show_notes"] = bool(decoded and decoded.notes)
    st.session_state["answers"] = dict(decoded.answers) if decoded else None
    st.session_state["answer_set"] = decoded.answer_set if decoded else None
    st.session_state["assessment_code"] = (code or st.query_params.get(sharecode.QUERY_PARAM, "")).strip().lower() if decoded else None
    st.session_state["notes_cut"] = bool(decoded and decoded.notes_cut)
    st.session_state["_assess_msgs"] = list(decoded.warnings) if decoded else []
    if decoded is not None and decoded.marks is not None:
        st.session_state["mlts_marks"] = dict(decoded.marks)


def _restore_widgets(aset) -> None:
    """Widgets that were not drawn on the previous run lost their state: refill them from the answer set."""
    if aset is None:
        return
    for q in A.questions:
        if f"q_{q.id}" not in st.session_state:
            st.session_state[f"q_{q.id}"] = NA_CHOICE if q.id in aset.na else aset.answers.get(q.id)
        if f"note_{q.id}" not in st.session_state:
            st.session_state[f"note_{q.id}"] = aset.notes.get(q.id, "")
    if "participant_name" not in st.session_state:
        st.session_state["participant_name"] = aset.name


def _submit() -> None:
    """The form's "Show my result": clean the input, make the share code, put it into the URL."""
    answers, na, notes = {}, [], {}
    prior = st.session_state.get("answer_set")
    for q in A.questions:
        value = st.session_state.get(f"q_{q.id}")
        if value == NA_CHOICE:
            na.append(q.id)
        elif value is not None:
            answers[q.id] = value
        # with the note fields hidden, the notes already given are kept
        notes[q.id] = st.session_state.get(f"note_{q.id}", prior.notes.get(q.id, "") if prior else "") or ""
    aset, warnings = evidence.make_answer_set(A, answers, na, notes, st.session_state.get("participant_name") or "")
    marks = st.session_state.get("mlts_marks")
    enc = sharecode.encode_answer_set(A, aset, marks if marks and mts else None, mts if marks else None)
    _fill_form(sharecode.decode(enc.code, A, mts), enc.code)  # what the link carries is what the page shows
    msgs = [f"{w[:1].upper()}{w[1:]}." for w in warnings]
    if enc.notes_cut:
        msgs.append("Your notes were too long to fit in a link together; each was shortened to "
                    f"{enc.note_limit} characters in the link (the downloaded files keep what the link keeps)."
                    if enc.note_limit else "Your notes were too long to fit in a link and were left out of it.")
    st.session_state["_assess_msgs"] = msgs
    st.session_state["edit_answers"] = False
    ui.push(sharecode.QUERY_PARAM, enc.code)
    # this browser keeps a dated history of results (answers and N/A; notes stay in the link and files)
    short = sharecode.encode(A, aset.answers, na=aset.na)
    label = (aset.name or st.session_state.get("team_name") or "")[:100]
    ui.update(lambda s: S.add_assessment_result(s, short, dt.datetime.now(dt.UTC), label or None))


def _clear() -> None:
    _fill_form(None)
    st.session_state["plan_edits"] = None
    ui.push_many({sharecode.QUERY_PARAM: None, plan_mod.EDITS_PARAM: None})


ui.bind(sharecode.QUERY_PARAM, "assessment_link", parse=_decode, apply=_fill_form, what="the result", max_chars=4000)
ui.bind(plan_mod.EDITS_PARAM, "plan_edits", parse=plan_mod.decode_edits, what="the plan's owners and dates",
        max_chars=plan_mod.MAX_EDITS_LINK)
if unchecked := plan_mod.edits_notice(st.query_params.get(plan_mod.EDITS_PARAM)):
    st.info(unchecked, icon=":material/info:")  # an older ?plan= link without check characters

# ------------------------------------------------------------------ the questionnaire (a form: no rerun per answer)
results_box = st.container()
# With a result on screen the questionnaire is drawn only on request, so its widgets are not
# rebuilt on every rerun of the results.  The answer set lives in session_state meanwhile.
aset = st.session_state.get("answer_set")
show_form = aset is None or st.toggle(
    "Change the answers", key="edit_answers", help="Open the questionnaire again; your current answers and notes are filled in")
if show_form:
    _restore_widgets(aset)
    # Note fields only on request: 23 more inputs make every rerun of the page about a third slower.
    st.session_state.setdefault("show_notes", bool(aset and aset.notes))
    show_notes = st.toggle("Add a note under each answer", key="show_notes",
                           help="A short note per answer: what you do today, a link. Notes travel in your link and the reports.")
    with st.form("assessment_form"):
        st.markdown(f"**{len(A.questions)} questions, about five minutes.** Pick the answer that best describes your team today.")
        st.text_input("Your name (optional)", key="participant_name", max_chars=evidence.MAX_NAME_CHARS,
                      help="Shown only to the people you share your link with, e.g. in a team workshop. Leave it empty to stay anonymous.")
        groups: dict[str, list] = {}
        for q in A.questions:
            groups.setdefault(q.quarter, []).append(q)
        for quarter_id, qs in groups.items():
            label = quarters[quarter_id].name if quarter_id in quarters else quarter_id
            st.markdown(f"#### {ui.literal(label)}")
            for q in qs:
                options = list(range(len(q.answers)))
                captions = [ui.literal(a.description, 300) for a in q.answers]
                helps = [ui.literal(q.help, 500)] if q.help else []
                if q.allow_na:
                    options.append(NA_CHOICE)
                    captions.append(ui.literal(q.na_reason, 300))
                    helps.append(f"“{evidence.NA_LABEL}” fits when: {ui.literal(q.na_reason, 300)} "
                                 "It never meets a rung's requirement (see the rules under the result).")
                st.radio(
                    ui.literal(q.text, 300),
                    options=options,
                    format_func=lambda i, q=q: evidence.NA_LABEL if i == NA_CHOICE else q.answers[i].label,
                    captions=captions,
                    key=f"q_{q.id}",
                    help="\n\n".join(helps) or None,
                    **({} if f"q_{q.id}" in st.session_state else {"index": None}),
                )
                if show_notes:
                    st.text_input(f"Note on: {ui.literal(q.text, 120)}", key=f"note_{q.id}", max_chars=evidence.MAX_NOTE_CHARS,
                                  placeholder="Optional note: what you do today, a link", label_visibility="collapsed")
        cols = st.columns([1, 1, 3])
        cols[0].form_submit_button("Show my result", type="primary", icon=":material/insights:", on_click=_submit)
        cols[1].form_submit_button("Clear answers", icon=":material/restart_alt:", on_click=_clear)

aset = st.session_state.get("answer_set")
if aset is None:
    results_box.caption("Answer the questions and press **Show my result**. Unanswered questions count as the first answer.")


def _rung_title(p) -> str:
    return f"{p.level_word} {p.current.rank}" if p.current else "Below the first rung"


# ------------------------------------------------------------------ results
with results_box:
    if aset is not None:
        for msg in st.session_state.get("_assess_msgs") or []:
            st.caption(f":material/info: {ui.literal(msg, 400)}")
        result = ui.evaluation(c, A, vendors, aset.answers, aset.na)
        code = st.session_state.get("assessment_code") or sharecode.encode_answer_set(A, aset).code
        st.header("Your result" if not aset.name else f"Result of {ui.literal(aset.name, 60)}", anchor=False)
        if result.unanswered:
            st.caption(f"{len(result.unanswered)} question(s) unanswered: they count as the first answer.")
        if result.not_applicable:
            st.caption(f"{len(result.not_applicable)} question(s) marked “does not apply”: they leave the scores, "
                       "and never meet a rung's requirement.")

        positions = {p.vendor_id: (p.current.level_id if p.current else None) for p in result.placements}
        fig = ui.figure(c, "ladder_you", charts.ladder_chart, vendors, positions=positions)
        ui.plotly(fig, alt="The three maturity ladders with your rung on each marked: " + "; ".join(f"{p.vendor_name}: {p.current_label}" for p in result.placements))

        na_effects = effects_by_vendor(result, A, vendors)
        cols = st.columns(len(result.placements))
        for col, p in zip(cols, result.placements):
            with col, st.container(border=True):
                st.markdown(f"**{ui.literal(p.vendor_name)}**")
                st.metric("You stand on", _rung_title(p))
                if p.current:
                    st.markdown(f"**{ui.literal(p.current.name, 120)}**")
                na_notice(na_effects.get(p.vendor_id))
                if p.at_top:
                    st.success("Top of this ladder.", icon=":material/emoji_events:")
                elif p.next is not None:
                    st.markdown(f"Next: **{p.level_word} {p.next.rank}: {ui.literal(p.next.name)}**, held back by:")
                    blocker_list(p)
                if p.met_above:
                    st.caption("Also met out of order: " + ", ".join(ui.literal(lv.name) for lv in p.met_above))
                st.page_link(PAGES["ladders"].file, label="Rung details", icon=":material/stairs:",
                             query_params={"rung": p.current.level_id} if p.current else {})
        na_rule(na_effects)

        if aset.na or aset.notes:
            st.subheader("Your notes and “does not apply”")
            lines = []
            for q in A.questions:
                note = aset.notes.get(q.id)
                if q.id in aset.na:
                    line = f"- **{ui.literal(q.text, 200)}** — *{evidence.NA_LABEL}* ({ui.literal(q.na_reason, 300)})"
                elif note:
                    line = f"- **{ui.literal(q.text, 200)}** — {ui.literal(q.answers[result.answer_map[q.id]].label, 120)}"
                else:
                    continue
                if note:
                    line += f"  \n  :material/edit_note: {ui.literal(note, evidence.MAX_NOTE_CHARS)}"
                lines.append(line)
            st.markdown("\n".join(lines))
            if st.session_state.get("notes_cut"):
                st.caption("Some notes were shortened to fit in the link.")

        st.subheader("Improvement plan")
        st.caption("Each answer that holds you back from a ladder's next rung is one step, the answers that hold back "
                   "the most ladders first. " + ui.literal(result.rules[-1], 400))
        plan = plan_mod.build_plan(result, A, vendors, resolve=plan_mod.note_resolver(c))
        plan = ui.plan_view(c, plan, edits_key="plan_edits", editor_prefix="plan_editor",
                            on_change=lambda edits: ui.push(plan_mod.EDITS_PARAM, plan_mod.encode_edits(edits)))

        st.subheader("By quarter and capability")
        left, right = st.columns([2, 3])
        score_key = f"{code.split('.')[1] if '.' in code else code}|{sorted(aset.na)}"
        with left:
            fig = ui.figure(c, "radar_q", ac.radar_figure, result, by="quarter", labels=qnames, key=score_key)
            ui.plotly(fig, alt="Radar of your scores by quarter")
            st.dataframe(ui.table(c, "scores_q", ac.scores_table, result, by="quarter", labels=qnames, key=score_key), hide_index=True, width="stretch")
            st.metric("Index (0-100)", f"{result.index:.0f}")
            st.caption("How the index is computed: " + ui.literal(result.index_formula, 400))
            st.caption(ui.literal(index_weighting(result, qnames), 400))
        with right:
            fig = ui.figure(c, "radar_c", ac.radar_figure, result, by="capability", key=score_key, height=560)
            ui.plotly(fig, alt="Radar of your scores by capability")
        with st.expander("Scores by capability as a table"):
            st.dataframe(ui.table(c, "scores_c", ac.scores_table, result, by="capability", key=score_key), hide_index=True, width="stretch")

        # ------------------------------------------------------------------ share and export
        st.subheader("Share and keep")
        base = st.context.url or "/Self_Assessment"
        link = sharecode.share_url(base, code)
        st.markdown("Copy this link to share or bookmark the result (it holds the answers, notes and name, nothing else). "
                    "For a team workshop, each person sends their link to the facilitator:")
        st.code(link, language=None)
        st.page_link(PAGES["workshop"].file, label="Combine several people's links in a team workshop", icon=":material/groups:")
        team = st.text_input("Team name for the downloaded files (optional)", max_chars=results_io.MAX_TEAM_LENGTH, key="team_name")
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        stamp = f"{now:%Y%m%d}"
        c1, c2, c3 = st.columns(3)
        with c1:
            ui.report_download(
                "Printable report (HTML → PDF)",
                lambda: report.render_report(result, A, vendors, plan=plan, notes=aset.notes, participant=aset.name, team=team,
                                             when=now, mts=mts, share_link=link, quarter_names=qnames),
                file_name=f"mlops-assessment-{stamp}.html", key="dl_report_html",
            )
        c2.download_button(
            "Download result (JSON)",
            lambda: results_io.export_json(result, A, vendors, team=team, when=now, share_code=code, notes=aset.notes,
                                           participant=aset.name, plan=plan),
            file_name=f"mlops-assessment-{stamp}.json", mime="application/json", icon=":material/download:", key="dl_json",
            on_click="ignore",
        )
        c3.download_button(
            "Download report (Markdown)",
            lambda: results_io.export_markdown(result, A, vendors, team=team, when=now, share_link=link, quarter_names=qnames,
                                               notes=aset.notes, participant=aset.name, plan=plan),
            file_name=f"mlops-assessment-{stamp}.md", mime="text/markdown", icon=":material/description:", key="dl_md",
            on_click="ignore",
        )
        st.caption(PRINT_HELP)

# ------------------------------------------------------------------ over time (kept in this browser)
history = S.assessment_results(ui.learner())
if history:
    st.subheader("Your results over time")
    st.caption(f"{len(history)} result(s) kept in this browser (never on the server); the Study page can download or forget them.")
    skipped = ui.movement(A, vendors, [(e.at, e.code, e.label or f"{e.at:%Y-%m-%d %H:%M}") for e in history], key="history")
    for msg in skipped:
        st.caption(ui.literal(msg, 300))
    with st.expander("Open an earlier result", icon=":material/history:"):
        for e in reversed(history[-20:]):
            st.page_link(PAGES["assessment"].file, label=f"{e.at:%Y-%m-%d %H:%M} UTC" + (f" · {e.label}" if e.label else ""),
                         icon=":material/fact_check:", query_params={sharecode.QUERY_PARAM: e.code})

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
    include_me = aset is not None and st.checkbox("Include the current result", value=True, key="cmp_me")
    if include_me:
        imported.append(results_io.ImportedResult(
            answers=dict(aset.answers), marks=None, created=dt.datetime.now(dt.UTC), team=st.session_state.get("team_name") or "Current",
            content_version="", assessment_version=A.version, share_code=sharecode.encode(A, aset.answers, na=aset.na), source="current",
            na=aset.na, participant=aset.name))
    mode = st.segmented_control("Compare", ["Over time", "Across teams"], default="Over time", key="cmp_mode")
    if mode in (None, "Over time"):
        frame = results_io.compare_over_time(imported, A, vendors, mts=mts, quarter_names=qnames)
        ui.plotly(ac.trend_figure(frame, vendors), alt="Trend of your rungs and scores over time")
        st.dataframe(ac.trend_table(frame), hide_index=True, width="stretch")
        st.markdown("**Rung by rung**: where each ladder placed each result")
        skipped = ui.movement(A, vendors, [(r.created, sharecode.encode(A, r.answers, na=r.na), label)
                                           for r, label in zip(imported, results_io.unique_labels(imported))], key="movement")
        for msg in skipped:
            st.caption(ui.literal(msg, 300))
    else:
        comp = results_io.compare_teams(imported, A, vendors, quarter_names=qnames)
        st.markdown("**Rungs**")
        st.dataframe(comp.rungs.drop(columns=["vendor_id"]), hide_index=True, width="stretch")
        st.markdown("**Where the teams disagree most** (a good place to start the conversation)")
        if comp.disagreements.empty:
            st.caption("The results agree on every question.")
        else:
            st.dataframe(comp.disagreements.drop(columns=["question_id"]), hide_index=True, width="stretch")
        evs = {lab: evaluate(A, vendors, r.answers, r.na) for lab, r in zip(comp.labels, imported)}
        ui.plotly(ac.radar_figure(evs, by="quarter", labels=qnames), alt="Radar of each team's quarter scores")
        st.dataframe(comp.scores, hide_index=True, width="stretch")
