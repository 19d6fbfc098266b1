"""The team workshop's views of a team: who answered, the consensus rung on each ladder, where the team
disagrees, every question's spread, who answered what, and the facilitator view (full screen, large type,
for a shared screen in the room).  The entries and the page's state are in :mod:`ui.workshop_view`."""

from __future__ import annotations

import streamlit as st

from explorer import charts
from explorer.assess import workshop as ws
from explorer.assess.na_explain import effects_by_vendor
from explorer.content.loader import Content

from .assessment_view import AssessmentParts, na_notice, na_rule
from .caches import figure
from .widgets import literal, plotly
from .workshop_view import WorkshopState, facilitator_toggle

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


def team_ladder(vendors, positions):
    """The ladder chart with the team's consensus marked (the chart's own marker says "You are here")."""
    fig = charts.ladder_chart(vendors, positions=positions)
    for trace in fig.data:
        if trace.name == "You are here":
            trace.name = "Team consensus"
            trace.hovertext = [t.replace("You are here", "Team consensus", 1) for t in trace.hovertext]
    return fig


def ladders(c: Content, parts: AssessmentParts, workshop: ws.Workshop, alt: str) -> None:
    positions = {lc.vendor_id: (lc.consensus.current.level_id if lc.consensus.current else None) for lc in workshop.ladders}
    plotly(figure(c, "ladder_team", team_ladder, parts.vendors, positions=positions), alt=alt)


def _rung_short(p) -> str:
    return f"{p.level_word} {p.current.rank}" if p.current else "Below the first rung"


def _who(names) -> str:
    return f" ({literal(', '.join(names), 300)})" if names else ""


def team(workshop: ws.Workshop) -> list[str]:
    """Who answered (names where given); returns the names."""
    names = [n for n in ws.unique_names(workshop.participants) if n]
    anonymous = workshop.size - len(names)
    st.header(f"The team: {workshop.size} answer set{'s' if workshop.size != 1 else ''}", anchor=False)
    who = []
    if names:
        who.append("named: " + ", ".join(literal(n, 60) for n in names))
    if anonymous:
        who.append(f"{anonymous} anonymous")
    line = "; ".join(who)
    st.caption(line[:1].upper() + line[1:] + ".")
    if workshop.size == 1:
        st.info("Only one answer set so far: add the others' links to see where the team agrees.", icon=":material/group_add:")
    return names


def consensus_cards(parts: AssessmentParts, workshop: ws.Workshop, big: bool = False) -> None:
    vendors = parts.vendors
    na_effects = effects_by_vendor(workshop.result, parts.assessment, vendors)  # the consensus answers' "does not apply"
    for col, lc in zip(st.columns(len(workshop.ladders)), workshop.ladders):
        p = lc.consensus
        with col, st.container(border=True):
            st.markdown(f"**{literal(lc.vendor_name)}**")
            st.metric("Team consensus", _rung_short(p))
            if p.current:
                st.markdown(f"**{literal(p.current.name, 120)}**")
            na_notice(na_effects.get(lc.vendor_id), team=True)
            note = "" if lc.agree else " — differs from the consensus rung"
            st.caption(f"Median of individual rungs: {literal(lc.individual_label, 120)}{note}")
            v = next(v for v in vendors if v.id == lc.vendor_id)
            spread = [f"{v.level_word} {lv.rank} ×{n}" for lv, n in zip(v.levels, lc.distribution) if n]
            if lc.below_first:
                spread.insert(0, f"below the first rung ×{lc.below_first}")
            st.caption("People on each rung: " + ", ".join(spread))
            if not big and lc.named:
                st.caption("; ".join(f"{literal(n, 60)}: {literal(r, 80)}" for n, r in lc.named))
    if not big:
        na_rule(na_effects)


def disagreement_cards(spreads, big: bool = False) -> None:
    for i, s in enumerate(spreads, 1):
        with st.container(border=True):
            st.markdown(f"**{i}. {literal(s.question, 300)}**")
            st.caption(f"Consensus: {literal(s.consensus_label, 120)} · answers from {literal(s.label(s.min), 120)} "
                       f"to {literal(s.label(s.max), 120)}")
            rows = [f"- **{n}** × {literal(label, 120)}{_who(names)}" for label, n, names in ws.counts_table(s) if n]
            if s.n_unanswered:
                rows.append(f"- {s.n_unanswered} unanswered")
            st.markdown("\n".join(rows))
            if not big and s.notes:  # one element for every note of the card (30 people's notes: 30 elements)
                st.caption("  \n".join(f":material/edit_note: {literal(who, 60) + ': ' if who else ''}{literal(note, 300)}"
                                        for who, note in s.notes))


def disagreements(workshop: ws.Workshop, top: int) -> None:
    """The ``top`` questions the team disagrees on most, and how many more there are."""
    if not workshop.disagreements:
        st.success("Everyone gave the same answers to every question.", icon=":material/handshake:")
        return
    disagreement_cards(workshop.top_disagreements(top))
    more = len(workshop.disagreements) - top
    if more > 0:
        st.caption(f"…and {more} more question(s) with different answers: see the table below.")


def spread_table(workshop: ws.Workshop) -> None:
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


def who_answered_what(workshop: ws.Workshop, names: list[str]) -> None:
    if names:
        matrix = ws.answer_matrix(workshop)
        with st.expander("Who answered what (named participants only)", icon=":material/person:"):
            st.dataframe([{k: v for k, v in row.items() if k != "question_id"} for row in matrix], hide_index=True, width="stretch")


def facilitator(c: Content, parts: AssessmentParts, s: WorkshopState, workshop: ws.Workshop | None) -> None:
    """Full screen, large type: only the consensus and the top three disagreements, for the room."""
    st.html(FACILITATOR_CSS)
    with st.container(key="facilitator"):
        top = st.columns([4, 1, 1], vertical_alignment="center")
        top[0].title("Team workshop" + (f": {workshop.size} people" if workshop else ""))
        facilitator_toggle(True, top[1])
        top[2].button("Start over", icon=":material/restart_alt:", on_click=s.start_over, key="ws_start_over_fac")
        if workshop is None:
            st.info("No answers yet. Leave the facilitator view to paste the team's share links.", icon=":material/groups:")
            return
        st.header("Where the team stands", anchor=False)
        consensus_cards(parts, workshop, big=True)
        ladders(c, parts, workshop, "The three ladders with the team's consensus rung marked")
        st.header("Talk about these first", anchor=False)
        if workshop.disagreements:
            disagreement_cards(workshop.top_disagreements(3), big=True)
        else:
            st.success("Everyone gave the same answers.", icon=":material/handshake:")
