"""The self-assessment's questionnaire and what the page remembers of a result.

The whole answer set travels in the URL (``?a=<share code>``: answers, "does not apply", notes and an
optional name), the plan's owners and target dates in ``?plan=``; both are values that need checking, so
they go through :func:`ui.urlstate.follow`.  What the page shows of a result lives in one
:class:`AssessState` in the session; the questionnaire is a form (choosing an answer or typing a note sends
nothing to the server), its widgets keep their own values (``q_<id>``, ``note_<id>``, ``participant_name``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from explorer.assess import evidence, sharecode
from explorer.assess import plan as plan_mod
from explorer.study import store as S

from . import mlts_view, pagestate, urlstate
from .assessment_view import NA_CHOICE, AssessmentParts
from .progress import update
from .widgets import literal


@dataclass
class AssessState:
    """The result on screen (from a link or the form) and the plan's owners and dates."""

    answer_set: evidence.AnswerSet | None = None
    code: str | None = None  # its share code, as the URL holds it
    notes_cut: bool = False  # the link shortened some notes
    messages: list[str] = field(default_factory=list)  # what became of the input (shown above the result)
    marks: dict[str, float] | None = None  # ML Test Score marks an older link carried: kept in the next link
    plan_edits: dict | None = None  # owners and target dates by plan step key (``?plan=``)

    def show(self, parts: AssessmentParts, decoded: sharecode.Decoded | None, code: str | None = None) -> None:
        """A decoded share code (or nothing) becomes the result, and fills the questionnaire's widgets."""
        for q in parts.assessment.questions:
            value = decoded.answers.get(q.id) if decoded else None
            if decoded is not None and q.id in decoded.na:
                value = NA_CHOICE
            st.session_state[f"q_{q.id}"] = value
            st.session_state[f"note_{q.id}"] = decoded.notes.get(q.id, "") if decoded else ""
        st.session_state["participant_name"] = decoded.name if decoded else ""
        st.session_state["show_notes"] = bool(decoded and decoded.notes)
        self.answer_set = decoded.answer_set if decoded else None
        self.code = (code or urlstate.raw(sharecode.QUERY_PARAM) or "").strip().lower() if decoded else None
        self.notes_cut = bool(decoded and decoded.notes_cut)
        self.messages = list(decoded.warnings) if decoded else []
        if decoded is not None and decoded.marks is not None:
            self.marks = dict(decoded.marks)

    def restore_widgets(self, parts: AssessmentParts) -> None:
        """Widgets that were not drawn on the previous run lost their state: refill them from the answer set."""
        aset = self.answer_set
        if aset is None:
            return
        for q in parts.assessment.questions:
            if f"q_{q.id}" not in st.session_state:
                st.session_state[f"q_{q.id}"] = NA_CHOICE if q.id in aset.na else aset.answers.get(q.id)
            if f"note_{q.id}" not in st.session_state:
                st.session_state[f"note_{q.id}"] = aset.notes.get(q.id, "")
        if "participant_name" not in st.session_state:
            st.session_state["participant_name"] = aset.name

    def submit(self, parts: AssessmentParts) -> None:
        """The form's "Show my result": clean the input, make the share code, put it into the URL."""
        A, mts = parts.assessment, parts.mts
        answers, na, notes = {}, [], {}
        prior = self.answer_set
        for q in A.questions:
            value = st.session_state.get(f"q_{q.id}")
            if value == NA_CHOICE:
                na.append(q.id)
            elif value is not None:
                answers[q.id] = value
            # with the note fields hidden, the notes already given are kept
            notes[q.id] = st.session_state.get(f"note_{q.id}", prior.notes.get(q.id, "") if prior else "") or ""
        aset, warnings = evidence.make_answer_set(A, answers, na, notes, st.session_state.get("participant_name") or "")
        marks = self.marks or mlts_view.held_marks()  # an older link's marks, else those scored in this session
        enc = sharecode.encode_answer_set(A, aset, marks if marks and mts else None, mts if marks else None)
        self.show(parts, sharecode.decode(enc.code, A, mts), enc.code)  # what the link carries is what the page shows
        msgs = [f"{w[:1].upper()}{w[1:]}." for w in warnings]
        if enc.notes_cut:
            msgs.append("Your notes were too long to fit in a link together; each was shortened to "
                        f"{enc.note_limit} characters in the link (the downloaded files keep what the link keeps)."
                        if enc.note_limit else "Your notes were too long to fit in a link and were left out of it.")
        self.messages = msgs
        st.session_state["edit_answers"] = False
        urlstate.push(sharecode.QUERY_PARAM, enc.code)
        # this browser keeps a dated history of results (answers and N/A; notes stay in the link and files)
        short = sharecode.encode(A, aset.answers, na=aset.na)
        label = (aset.name or st.session_state.get("team_name") or "")[:100]
        update(lambda s: S.add_assessment_result(s, short, dt.datetime.now(dt.UTC), label or None))

    def clear(self, parts: AssessmentParts) -> None:
        self.show(parts, None)
        self.plan_edits = None
        urlstate.push_many({sharecode.QUERY_PARAM: None, plan_mod.EDITS_PARAM: None})

    def edit_plan(self, edits: dict) -> None:
        """The plan editor changed owners or dates: keep them and put them into the link."""
        self.plan_edits = edits
        urlstate.push(plan_mod.EDITS_PARAM, plan_mod.encode_edits(edits))


def follow(parts: AssessmentParts) -> AssessState:
    """``?a=`` and ``?plan=``: a link's result and plan edits, taken in once per link (a notice for one that
    cannot be read); returns the page's state."""
    s = pagestate.held("_self_assessment", AssessState)

    def decode(raw: str) -> sharecode.Decoded:
        try:
            return sharecode.decode(raw, parts.assessment, parts.mts)
        except sharecode.ShareCodeError as exc:
            raise ValueError(f"**This link's result could not be read**: {literal(str(exc), 300)} "
                             "The form below starts empty.") from None

    def take_edits(edits: dict | None) -> None:
        s.plan_edits = edits

    urlstate.follow(sharecode.QUERY_PARAM, parse=decode, apply=lambda d: s.show(parts, d), what="the result", max_chars=4000)
    urlstate.follow(plan_mod.EDITS_PARAM, parse=plan_mod.decode_edits, apply=take_edits,
                    what="the plan's owners and dates", max_chars=plan_mod.MAX_EDITS_LINK)
    if unchecked := plan_mod.edits_notice(urlstate.raw(plan_mod.EDITS_PARAM)):
        st.info(unchecked, icon=":material/info:")  # an older ?plan= link without check characters
    return s


def questionnaire(parts: AssessmentParts, s: AssessState) -> None:
    """The questions as a form (no rerun per answer).  With a result on screen it is drawn only on request,
    so its widgets are not rebuilt on every rerun of the results (the answer set is kept meanwhile)."""
    A = parts.assessment
    if s.answer_set is not None and not st.toggle(
            "Change the answers", key="edit_answers", help="Open the questionnaire again; your current answers and notes are filled in"):
        return
    s.restore_widgets(parts)
    # Note fields only on request: 23 more inputs make every rerun of the page about a third slower.
    st.session_state.setdefault("show_notes", bool(s.answer_set and s.answer_set.notes))
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
            label = parts.quarters[quarter_id].name if quarter_id in parts.quarters else quarter_id
            st.markdown(f"#### {literal(label)}")
            for q in qs:
                _question(q, show_notes)
        cols = st.columns([1, 1, 3])
        cols[0].form_submit_button("Show my result", type="primary", icon=":material/insights:", on_click=s.submit, args=(parts,))
        cols[1].form_submit_button("Clear answers", icon=":material/restart_alt:", on_click=s.clear, args=(parts,))


def _question(q, show_notes: bool) -> None:
    options = list(range(len(q.answers)))
    captions = [literal(a.description, 300) for a in q.answers]
    helps = [literal(q.help, 500)] if q.help else []
    if q.allow_na:
        options.append(NA_CHOICE)
        captions.append(literal(q.na_reason, 300))
        helps.append(f"“{evidence.NA_LABEL}” fits when: {literal(q.na_reason, 300)} "
                     "It never meets a rung's requirement (see the rules under the result).")
    st.radio(
        literal(q.text, 300),
        options=options,
        format_func=lambda i: evidence.NA_LABEL if i == NA_CHOICE else q.answers[i].label,
        captions=captions,
        key=f"q_{q.id}",
        help="\n\n".join(helps) or None,
        **({} if f"q_{q.id}" in st.session_state else {"index": None}),
    )
    if show_notes:
        st.text_input(f"Note on: {literal(q.text, 120)}", key=f"note_{q.id}", max_chars=evidence.MAX_NOTE_CHARS,
                      placeholder="Optional note: what you do today, a link", label_visibility="collapsed")
