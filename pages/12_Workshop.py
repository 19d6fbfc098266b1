"""Team workshop: several people's self-assessments side by side, their consensus and where they disagree.

Each person answers the self-assessment and sends their share link (or result file) to the
facilitator, who pastes them here.  The combined view is itself a link (``?w=<workshop code>``:
the members' share codes, see ``explorer.assess.sharecode``); ``&view=facilitator`` shows it full screen in
large type for a room.  Nothing is stored on the server: the entries live in the link and this tab.
Rules: ``explorer.assess.workshop`` and ``docs/assessment-rules.md``.
"""

import datetime as dt

import streamlit as st

import ui
from explorer import charts
from explorer.assess import plan as plan_mod
from explorer.assess import report, results_io, sharecode
from explorer.assess import workshop as ws
from explorer.assess.evidence import NA_LABEL
from explorer.assess.na_explain import effects_by_vendor
from explorer.routes import PAGES
from ui.assessment_view import PRINT_HELP, assessment_parts, na_notice, na_rule

c = ui.frame("Team workshop", ":material/groups:")
ui.need(c, "assessment", "maturity")
A, vendors, mts, quarters, qnames = assessment_parts(c)
FACILITATOR = "facilitator"
TOP = 5  # disagreements shown first
FACILITATOR_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 1.5rem 3rem 3rem !important; }
.st-key-facilitator p, .st-key-facilitator li { font-size: 1.45rem !important; line-height: 1.45 !important; }
.st-key-facilitator [data-testid="stMetricValue"], .st-key-facilitator [data-testid="stMetricValue"] * { font-size: 3.4rem !important; line-height: 1.15 !important; }
.st-key-facilitator [data-testid="stMetricLabel"] p { font-size: 1.2rem !important; }
.st-key-facilitator [data-testid="stCaptionContainer"] p { font-size: 1.15rem !important; }
.st-key-facilitator h1 { font-size: 3rem !important; }
.st-key-facilitator h2, .st-key-facilitator h3 { font-size: 2.1rem !important; }
</style>"""


# ------------------------------------------------------------------ URL state: the workshop code and the view
def _parse_code(raw: str) -> str:
    try:
        sharecode.decode_workshop(raw)
    except sharecode.ShareCodeError as exc:
        raise ValueError(f"**This workshop link could not be read**: {ui.literal(str(exc), 300)} Paste the share links again below.") from None
    return raw.strip().lower()


def _load_members(code: str | None) -> None:
    """A workshop link that arrives (first visit, Back/Forward) fills the list of entries with its members."""
    st.session_state["ws_paste"] = "\n".join(sharecode.decode_workshop(code)) if code else ""
    st.session_state["ws_statuses"] = []


def _parse_view(raw: str) -> bool:
    if raw != FACILITATOR:
        raise ValueError(f"The link asks for the view “{ui.literal(raw, 40)}”, which does not exist here (only “{FACILITATOR}” does).")
    return True


def _files_key() -> str:
    return f"ws_files_{st.session_state.get('ws_files_n', 0)}"


def _combine() -> None:
    """The form's "Combine": read every entry, keep the readable ones, make the workshop link."""
    files = st.session_state.get(_files_key()) or []
    paste = ws.read_paste(st.session_state.get("ws_paste") or "")
    lines = list(paste.entries)
    st.session_state["ws_paste_msg"] = str(paste.refusal) if paste.refusal else ""  # the rest stays in the box
    entries = ws.combine(ws.read_codes(lines, A, mts), ws.read_files([(f.name, f.getvalue()) for f in files], A, vendors, mts))
    msgs = list(entries.statuses)
    st.session_state["ws_files_n"] = st.session_state.get("ws_files_n", 0) + 1  # files become codes in the list: clear the uploader
    st.session_state["ws_link_msg"] = ""
    if not entries.participants:
        st.session_state["ws_statuses"] = msgs
        return
    try:
        link = ws.workshop_link_code(entries, A)
    except sharecode.ShareCodeError as exc:
        st.session_state["ws_statuses"] = msgs
        st.session_state["ws_link_msg"] = str(exc)
        return
    if link.notes_dropped:
        st.session_state["ws_link_msg"] = ("The notes made the workshop link too long, so the link carries the answers without "
                                           "notes; the notes are still shown here and in the downloaded report.")
    bad = [ln for ln, s in zip(lines, entries.statuses) if s.status == "error"]
    members = sharecode.decode_workshop(link.code)
    st.session_state["ws_paste"] = "\n".join(members + bad + ([paste.rest] if paste.rest else []))
    st.session_state["ws_code"] = link.code
    st.session_state["ws_statuses"] = msgs
    st.session_state["ws_entries"] = (link.code, entries)  # the notes, even when the link had to drop them
    ui.push(sharecode.WORKSHOP_PARAM, link.code)


def _start_over() -> None:
    st.session_state["ws_paste"] = ""
    st.session_state["ws_files_n"] = st.session_state.get("ws_files_n", 0) + 1
    for key in ("ws_statuses", "ws_entries", "ws_computed", "ws_link_msg", "ws_paste_msg", "ws_plan_edits"):
        st.session_state.pop(key, None)
    st.session_state["ws_code"] = None
    st.session_state["ws_facilitator"] = False
    ui.push_many({sharecode.WORKSHOP_PARAM: None, "view": None, plan_mod.EDITS_PARAM: None})


code = ui.bind(sharecode.WORKSHOP_PARAM, "ws_code", parse=_parse_code, apply=_load_members, what="the workshop",
               max_chars=sharecode.MAX_WORKSHOP_LENGTH)
facilitator = bool(ui.bind("view", "ws_facilitator", parse=_parse_view, default=False, what="the view"))
ui.bind(plan_mod.EDITS_PARAM, "ws_plan_edits", parse=plan_mod.decode_edits, what="the plan's owners and dates",
        max_chars=plan_mod.MAX_EDITS_LINK)
if unchecked := plan_mod.edits_notice(st.query_params.get(plan_mod.EDITS_PARAM)):
    st.info(unchecked, icon=":material/info:")  # an older ?plan= link without check characters


def _workshop(code: str):
    """(entries, workshop) for a workshop code, computed once per code in this session (nothing process-wide:
    the entries carry people's names and notes)."""
    cached = st.session_state.get("ws_computed")
    if cached and cached[0] == code:
        return cached[1], cached[2]
    held = st.session_state.get("ws_entries")
    entries = held[1] if held and held[0] == code else ws.read_codes([code], A, mts)
    workshop = ws.compute_workshop(entries, A, vendors) if entries.participants else None
    st.session_state["ws_computed"] = (code, entries, workshop)
    return entries, workshop


entries, workshop = _workshop(code) if code else (None, None)


def team_ladder(vendors, positions):
    """The ladder chart with the team's consensus marked (the chart's own marker says "You are here")."""
    fig = charts.ladder_chart(vendors, positions=positions)
    for trace in fig.data:
        if trace.name == "You are here":
            trace.name = "Team consensus"
            trace.hovertext = [t.replace("You are here", "Team consensus", 1) for t in trace.hovertext]
    return fig


def _rung_short(p) -> str:
    return f"{p.level_word} {p.current.rank}" if p.current else "Below the first rung"


def _who(names) -> str:
    return f" ({ui.literal(', '.join(names), 300)})" if names else ""


def consensus_cards(big: bool = False) -> None:
    cols = st.columns(len(workshop.ladders))
    na_effects = effects_by_vendor(workshop.result, A, vendors)  # the consensus answers' "does not apply"
    for col, lc in zip(cols, workshop.ladders):
        p = lc.consensus
        with col, st.container(border=True):
            st.markdown(f"**{ui.literal(lc.vendor_name)}**")
            st.metric("Team consensus", _rung_short(p))
            if p.current:
                st.markdown(f"**{ui.literal(p.current.name, 120)}**")
            na_notice(na_effects.get(lc.vendor_id), team=True)
            note = "" if lc.agree else " — differs from the consensus rung"
            st.caption(f"Median of individual rungs: {ui.literal(lc.individual_label, 120)}{note}")
            v = next(v for v in vendors if v.id == lc.vendor_id)
            spread = [f"{v.level_word} {lv.rank} ×{n}" for lv, n in zip(v.levels, lc.distribution) if n]
            if lc.below_first:
                spread.insert(0, f"below the first rung ×{lc.below_first}")
            st.caption("People on each rung: " + ", ".join(spread))
            if not big and lc.named:
                st.caption("; ".join(f"{ui.literal(n, 60)}: {ui.literal(r, 80)}" for n, r in lc.named))
    if not big:
        na_rule(na_effects)


def disagreement_cards(spreads, big: bool = False) -> None:
    for i, s in enumerate(spreads, 1):
        with st.container(border=True):
            st.markdown(f"**{i}. {ui.literal(s.question, 300)}**")
            st.caption(f"Consensus: {ui.literal(s.consensus_label, 120)} · answers from {ui.literal(s.label(s.min), 120)} "
                       f"to {ui.literal(s.label(s.max), 120)}")
            rows = []
            for label, n, names in ws.counts_table(s):
                if n:
                    rows.append(f"- **{n}** × {ui.literal(label, 120)}{_who(names)}")
            if s.n_unanswered:
                rows.append(f"- {s.n_unanswered} unanswered")
            st.markdown("\n".join(rows))
            if not big:
                for who, note in s.notes:
                    st.caption(f":material/edit_note: {ui.literal(who, 60) + ': ' if who else ''}{ui.literal(note, 300)}")


def spread_table():
    """Every question: consensus, lowest and highest answer, spread, counts per answer (N/A last)."""
    order = {s.question_id: i for i, s in enumerate(workshop.disagreements)}
    rows = []
    for s in sorted(workshop.spreads, key=lambda s: order.get(s.question_id, len(order))):
        counts = [n for _, n, _ in ws.counts_table(s)]
        rows.append({
            "question": s.question,
            "spread": round(s.relative_range, 2),
            "answers": counts,
            "consensus": s.consensus_label,
            "range": "—" if s.min is None else (s.label(s.min) if s.min == s.max else f"{s.label(s.min)} → {s.label(s.max)}"),
            "answer counts": " · ".join(f"{n}× {lab}" for lab, n, _ in ws.counts_table(s) if n) or "(no answer)",
        })
    top = max([1.0, *(r["spread"] for r in rows)])  # above 1 when "does not apply" meets the strongest answer
    st.dataframe(rows, hide_index=True, width="stretch", height="content", column_config={
        "question": st.column_config.TextColumn("Question", width="large"),
        "spread": st.column_config.ProgressColumn("Spread", min_value=0.0, max_value=top, format="%.2f", width="small",
                                                  help="Highest minus lowest answer, divided by the number of answer steps "
                                                       "(“does not apply” counts one below the first answer)"),
        "answers": st.column_config.BarChartColumn("Answers", y_min=0, width="small",
                                                   help="How many gave each answer, weakest first, “does not apply” last"),
        "consensus": st.column_config.TextColumn("Consensus", width="medium"),
        "range": st.column_config.TextColumn("Lowest → highest", width="medium"),
        "answer counts": st.column_config.TextColumn("How many gave each answer", width="large"),
    })


# ------------------------------------------------------------------ facilitator view (full screen, large type)
if facilitator:
    st.html(FACILITATOR_CSS)
    with st.container(key="facilitator"):
        top = st.columns([4, 1, 1], vertical_alignment="center")
        top[0].title("Team workshop" + (f": {workshop.size} people" if workshop else ""))
        top[1].toggle("Facilitator view", key="ws_facilitator", on_change=ui.push_state("view", "ws_facilitator", lambda v: FACILITATOR if v else None))
        top[2].button("Start over", icon=":material/restart_alt:", on_click=_start_over, key="ws_start_over_fac")
        if workshop is None:
            st.info("No answers yet. Leave the facilitator view to paste the team's share links.", icon=":material/groups:")
        else:
            st.header("Where the team stands", anchor=False)
            consensus_cards(big=True)
            positions = {lc.vendor_id: (lc.consensus.current.level_id if lc.consensus.current else None) for lc in workshop.ladders}
            fig = ui.figure(c, "ladder_team", team_ladder, vendors, positions=positions)
            ui.plotly(fig, alt="The three ladders with the team's consensus rung marked")
            st.header("Talk about these first", anchor=False)
            if workshop.disagreements:
                disagreement_cards(workshop.top_disagreements(3), big=True)
            else:
                st.success("Everyone gave the same answers.", icon=":material/handshake:")
    st.stop()

# ------------------------------------------------------------------ normal view: entries
st.title("Team workshop")
st.markdown(
    f"Place a whole team at once. Each person answers the [self-assessment]({PAGES['assessment'].path}) on their own and sends the "
    "share link (or the downloaded result file) to the facilitator, who pastes them here. You see the team's **consensus "
    "rung** on each ladder, how far apart the answers are on every question, and **where the team disagrees most**: "
    "the best place to start the conversation."
)
st.info("**Nothing is stored on the server.** The combined view is a link holding everyone's share codes; names appear "
        "only for people who put one in their answers.", icon=":material/lock:")

with st.form("ws_input"):
    st.text_area("Share links or codes, one per line", key="ws_paste", height=150,
                 placeholder="https://…/Self_Assessment?a=v1.…\nhttps://…/Self_Assessment?a=v2.…",
                 help=f"Up to {ws.MAX_ENTRIES} answer sets. A pasted workshop link adds all of its members.")
    st.file_uploader("Or add result files (JSON, from “Download result”)", type=["json"], accept_multiple_files=True, key=_files_key())
    cols = st.columns([1, 1, 3])
    cols[0].form_submit_button("Combine", type="primary", icon=":material/join:", on_click=_combine)
    cols[1].form_submit_button("Start over", icon=":material/restart_alt:", on_click=_start_over)

for s in st.session_state.get("ws_statuses") or []:
    where = f"Entry {s.position} ({ui.literal(s.source, 40)})"
    if s.status == "error":
        st.warning(f"{where} could not be read: {ui.literal(s.message, 400)}", icon=":material/link_off:")
    elif s.status != "ok":
        st.info(f"{where}: {ui.literal(s.message, 400)}", icon=":material/content_copy:")
    elif s.message:
        st.caption(f"{where}: {ui.literal(s.message, 400)}")
if st.session_state.get("ws_paste_msg"):
    st.warning(ui.literal(st.session_state["ws_paste_msg"], 400), icon=":material/playlist_add:")
if st.session_state.get("ws_link_msg"):
    st.warning(ui.literal(st.session_state["ws_link_msg"], 600), icon=":material/link_off:")

if workshop is None:
    if code and entries is not None:
        for s in entries.problems:
            st.warning(f"Entry {s.position}: {ui.literal(s.message, 400)}", icon=":material/link_off:")
    st.caption("Paste two or more share links and press **Combine**.")
    st.stop()

# ------------------------------------------------------------------ the team
names = [n for n in ws.unique_names(workshop.participants) if n]
anonymous = workshop.size - len(names)
st.header(f"The team: {workshop.size} answer set{'s' if workshop.size != 1 else ''}", anchor=False)
who = []
if names:
    who.append("named: " + ", ".join(ui.literal(n, 60) for n in names))
if anonymous:
    who.append(f"{anonymous} anonymous")
line = "; ".join(who)
st.caption(line[:1].upper() + line[1:] + ".")
if workshop.size == 1:
    st.info("Only one answer set so far: add the others' links to see where the team agrees.", icon=":material/group_add:")
st.toggle("Facilitator view", key="ws_facilitator", on_change=ui.push_state("view", "ws_facilitator", lambda v: FACILITATOR if v else None),
          help="Full screen, large type, only the consensus and the top disagreements: for a shared screen in the room")

st.subheader("Where the team stands")
positions = {lc.vendor_id: (lc.consensus.current.level_id if lc.consensus.current else None) for lc in workshop.ladders}
fig = ui.figure(c, "ladder_team", team_ladder, vendors, positions=positions)
ui.plotly(fig, alt="The three ladders with the team's consensus rung marked: "
          + "; ".join(f"{lc.vendor_name}: {lc.consensus.current_label}" for lc in workshop.ladders))
consensus_cards()
with st.expander("How the consensus and the spread are worked out", icon=":material/functions:"):
    ui.bullets(workshop.rules, 800)

st.subheader("Where the team disagrees most")
if workshop.disagreements:
    disagreement_cards(workshop.top_disagreements(TOP))
    more = len(workshop.disagreements) - TOP
    if more > 0:
        st.caption(f"…and {more} more question(s) with different answers: see the table below.")
else:
    st.success("Everyone gave the same answers to every question.", icon=":material/handshake:")

st.subheader("Every question's answer spread")
st.caption(f"Most disagreement first. Answers run from the weakest to the strongest; “{NA_LABEL}” counts one below the first answer.")
spread_table()
matrix = ws.answer_matrix(workshop)
if names:
    with st.expander("Who answered what (named participants only)", icon=":material/person:"):
        st.dataframe([{k: v for k, v in row.items() if k != "question_id"} for row in matrix], hide_index=True, width="stretch")

st.subheader("The team's improvement plan")
st.caption("The plan for the consensus answers: each answer that holds the team back from a ladder's next rung is one step.")
plan = plan_mod.build_plan(workshop.result, A, vendors, resolve=plan_mod.note_resolver(c))
plan = ui.plan_view(c, plan, edits_key="ws_plan_edits", editor_prefix="ws_plan_editor",
                    on_change=lambda edits: ui.push(plan_mod.EDITS_PARAM, plan_mod.encode_edits(edits)))

st.subheader("Share and keep")
base = st.context.url or PAGES["workshop"].path
link = sharecode.share_url(base, code, param=sharecode.WORKSHOP_PARAM)
st.markdown("This link reproduces the whole view (everyone's answers, notes and names as they gave them):")
st.code(link, language=None)
team = st.text_input("Team name for the report (optional)", max_chars=results_io.MAX_TEAM_LENGTH, key="ws_team")
now = dt.datetime.now(dt.UTC).replace(microsecond=0)
ui.report_download(
    "Printable workshop report (HTML → PDF)",
    lambda: report.render_workshop_report(workshop, A, vendors, plan=plan, team=team, when=now, mts=mts, share_link=link,
                                          quarter_names=qnames, top=TOP),
    file_name=f"mlops-workshop-{now:%Y%m%d}.html", key="ws_dl_report",
)
st.caption(PRINT_HELP)
