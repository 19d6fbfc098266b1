"""Team workshop: several people's self-assessments side by side, their consensus and where they disagree.

Each person answers the self-assessment and sends their share link (or result file) to the
facilitator, who pastes them here.  The combined view is itself a link (``?w=<workshop code>``:
the members' share codes, see ``explorer.assess.sharecode``); ``&view=facilitator`` shows it full screen in
large type for a room.  Nothing is stored on the server: the entries live in the link and this tab.
Rules: ``explorer.assess.workshop`` and ``docs/assessment-rules.md``.
"""

import streamlit as st

from explorer.assess import plan as plan_mod
from explorer.assess.evidence import NA_LABEL
from explorer.routes import PAGES
from ui import team_view as tv
from ui import workshop_view as wv
from ui.assessment_view import assessment_parts, plan_view
from ui.frame import frame, need
from ui.widgets import bullets

c = frame("Team workshop", ":material/groups:")
need(c, "assessment", "maturity")
parts = assessment_parts(c)
state, facilitator = wv.follow()  # ?w=, ?view= and ?plan=
entries, workshop = state.workshop(parts)

if facilitator:  # full screen, large type
    tv.facilitator(c, parts, state, workshop)
    st.stop()

# ------------------------------------------------------------------ entries
st.title("Team workshop")
st.markdown(
    f"Place a whole team at once. Each person answers the [self-assessment]({PAGES['assessment'].path}) on their own and sends the "
    "share link (or the downloaded result file) to the facilitator, who pastes them here. You see the team's **consensus "
    "rung** on each ladder, how far apart the answers are on every question, and **where the team disagrees most**: "
    "the best place to start the conversation."
)
st.info("**Nothing is stored on the server.** The combined view is a link holding everyone's share codes; names appear "
        "only for people who put one in their answers.", icon=":material/lock:")
wv.entry_form(parts, state)

if workshop is None:
    wv.problems(entries)
    st.caption("Paste two or more share links and press **Combine**.")
    st.stop()

# ------------------------------------------------------------------ the team
names = tv.team(workshop)
wv.facilitator_toggle(False, help="Full screen, large type, only the consensus and the top disagreements: for a shared screen in the room")

st.subheader("Where the team stands")
tv.ladders(c, parts, workshop, "The three ladders with the team's consensus rung marked: "
           + "; ".join(f"{lc.vendor_name}: {lc.consensus.current_label}" for lc in workshop.ladders))
tv.consensus_cards(parts, workshop)
with st.expander("How the consensus and the spread are worked out", icon=":material/functions:"):
    bullets(workshop.rules, 800)

st.subheader("Where the team disagrees most")
tv.disagreements(workshop, wv.TOP)

st.subheader("Every question's answer spread")
st.caption(f"Most disagreement first. Answers run from the weakest to the strongest; “{NA_LABEL}” counts one below the first answer.")
tv.spread_table(workshop)
tv.who_answered_what(workshop, names)

st.subheader("The team's improvement plan")
st.caption("The plan for the consensus answers: each answer that holds the team back from a ladder's next rung is one step.")
plan = plan_mod.build_plan(workshop.result, parts.assessment, parts.vendors, resolve=plan_mod.note_resolver(c))
plan = plan_view(c, plan, edits=state.plan_edits, editor_prefix="ws_plan_editor", on_change=state.edit_plan)

st.subheader("Share and keep")
wv.share_and_keep(parts, state, workshop, plan)
