"""The team workshop's entries and its state: the paste box and result files, the combined workshop link
(``?w=<workshop code>``: the members' share codes), the facilitator view (``&view=facilitator``) and the plan's
owners and dates (``?plan=``).  Share codes and the view need checking, so they go through
:func:`ui.urlstate.follow`; what the page remembers lives in one :class:`WorkshopState` in the session.
Nothing is stored on the server: the entries live in the link and this tab.  The team's views are in
:mod:`ui.team_view`; the rules in ``explorer.assess.workshop``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from explorer.assess import plan as plan_mod
from explorer.assess import report, results_io, sharecode
from explorer.assess import workshop as ws
from explorer.routes import PAGES

from . import pagestate, urlstate
from .assessment_view import PRINT_HELP, AssessmentParts, report_download
from .widgets import literal

FACILITATOR = "facilitator"
TOP = 5  # disagreements shown first
_PASTE = "ws_paste"  # the paste box's key (with the generation of ?w=: drawn afresh with each new text)
_FACILITATOR = "ws_facilitator"  # the facilitator toggle's key (with the generation of ?view=)


@dataclass
class WorkshopState:
    """What the workshop page remembers between runs (the entries themselves are in the paste box and the link)."""

    code: str | None = None  # the workshop code on screen, as the URL holds it
    paste: str = ""  # what the paste box starts from: the members of the link, and the entries left to fix
    files_n: int = 0  # the uploader's generation: a new one is empty
    statuses: list[ws.EntryStatus] = field(default_factory=list)  # what became of each entry of the last Combine
    paste_msg: str = ""  # entries of the paste left for a second Combine
    link_msg: str = ""  # why the link carries less than the view (or nothing)
    entries: tuple[str, ws.Entries] | None = None  # the last Combine's entries (with notes a link may have dropped)
    computed: tuple[str, ws.Entries, ws.Workshop | None] | None = None  # the workshop of ``code``, computed once
    plan_edits: dict | None = None  # owners and target dates by plan step key (``?plan=``)

    @property
    def files_key(self) -> str:
        return f"ws_files_{self.files_n}"

    def load_members(self, code: str | None) -> None:
        """A workshop link that arrives (first visit, Back/Forward) fills the list of entries with its members."""
        self.code = code
        self.paste = "\n".join(sharecode.decode_workshop(code)) if code else ""
        self.statuses = []

    def combine(self, parts: AssessmentParts, paste_key: str) -> None:
        """The form's "Combine": read every entry, keep the readable ones, make the workshop link."""
        A, mts = parts.assessment, parts.mts
        files = st.session_state.get(self.files_key) or []
        paste = ws.read_paste(st.session_state.get(paste_key) or "")
        lines = list(paste.entries)
        self.paste_msg = str(paste.refusal) if paste.refusal else ""  # the rest stays in the box
        entries = ws.combine(ws.read_codes(lines, A, mts), ws.read_files([(f.name, f.getvalue()) for f in files], A, parts.vendors, mts))
        self.statuses = list(entries.statuses)
        self.files_n += 1  # files become codes in the list: clear the uploader
        self.link_msg = ""
        if not entries.participants:
            return
        try:
            link = ws.workshop_link_code(entries, A)
        except sharecode.ShareCodeError as exc:
            self.link_msg = str(exc)
            return
        if link.notes_dropped:
            self.link_msg = ("The notes made the workshop link too long, so the link carries the answers without "
                             "notes; the notes are still shown here and in the downloaded report.")
        bad = [ln for ln, s in zip(lines, entries.statuses) if s.status == "error"]
        members = sharecode.decode_workshop(link.code)
        self.paste = "\n".join(members + bad + ([paste.rest] if paste.rest else []))
        self.code = link.code
        self.entries = (link.code, entries)  # the notes, even when the link had to drop them
        urlstate.push(sharecode.WORKSHOP_PARAM, link.code, redraw=True)  # the box is drawn afresh with the members

    def start_over(self) -> None:
        self.code, self.paste, self.files_n = None, "", self.files_n + 1
        self.statuses, self.entries, self.computed, self.link_msg, self.paste_msg, self.plan_edits = [], None, None, "", "", None
        urlstate.push_many({sharecode.WORKSHOP_PARAM: None, "view": None, plan_mod.EDITS_PARAM: None}, redraw=True)

    def workshop(self, parts: AssessmentParts) -> tuple[ws.Entries | None, ws.Workshop | None]:
        """(entries, workshop) of the code on screen, computed once per code in this session (nothing
        process-wide: the entries carry people's names and notes)."""
        code = self.code
        if not code:
            return None, None
        if self.computed and self.computed[0] == code:
            return self.computed[1], self.computed[2]
        held = self.entries
        entries = held[1] if held and held[0] == code else ws.read_codes([code], parts.assessment, parts.mts)
        workshop = ws.compute_workshop(entries, parts.assessment, parts.vendors) if entries.participants else None
        self.computed = (code, entries, workshop)
        return entries, workshop

    def edit_plan(self, edits: dict) -> None:
        """The plan editor changed owners or dates: keep them and put them into the link."""
        self.plan_edits = edits
        urlstate.push(plan_mod.EDITS_PARAM, plan_mod.encode_edits(edits))


def follow() -> tuple[WorkshopState, bool]:
    """``?w=``, ``?view=`` and ``?plan=``, taken in once per link (a notice for a value that cannot be used);
    returns the page's state and whether the facilitator view is on."""
    s = pagestate.held("_workshop", WorkshopState)

    def parse_code(raw: str) -> str:
        try:
            sharecode.decode_workshop(raw)
        except sharecode.ShareCodeError as exc:
            raise ValueError(f"**This workshop link could not be read**: {literal(str(exc), 300)} "
                             "Paste the share links again below.") from None
        return raw.strip().lower()

    def parse_view(raw: str) -> bool:
        if raw != FACILITATOR:
            raise ValueError(f"The link asks for the view “{literal(raw, 40)}”, which does not exist here (only “{FACILITATOR}” does).")
        return True

    def take_edits(edits: dict | None) -> None:
        s.plan_edits = edits

    urlstate.follow(sharecode.WORKSHOP_PARAM, parse=parse_code, apply=s.load_members, what="the workshop",
                    max_chars=sharecode.MAX_WORKSHOP_LENGTH)
    facilitator = urlstate.follow("view", parse=parse_view, default=False, what="the view")
    urlstate.follow(plan_mod.EDITS_PARAM, parse=plan_mod.decode_edits, apply=take_edits,
                    what="the plan's owners and dates", max_chars=plan_mod.MAX_EDITS_LINK)
    if unchecked := plan_mod.edits_notice(urlstate.raw(plan_mod.EDITS_PARAM)):
        st.info(unchecked, icon=":material/info:")  # an older ?plan= link without check characters
    return s, bool(facilitator)


def facilitator_toggle(on: bool, container=st, **kwargs) -> None:
    """The toggle between the normal and the facilitator view (``on``: the view the URL names)."""
    container.toggle("Facilitator view", value=on, **kwargs,
                     **urlstate.widget("view", _FACILITATOR, lambda v: FACILITATOR if v else None))


def entry_form(parts: AssessmentParts, s: WorkshopState) -> None:
    """The paste box and the result files, then what became of each entry."""
    with st.form("ws_input"):
        paste_key = urlstate.widget_key(sharecode.WORKSHOP_PARAM, _PASTE)
        st.text_area("Share links or codes, one per line", value=s.paste, key=paste_key, height=150,
                     placeholder="https://…/Self_Assessment?a=v1.…\nhttps://…/Self_Assessment?a=v2.…",
                     help=f"Up to {ws.MAX_ENTRIES} answer sets. A pasted workshop link adds all of its members.")
        st.file_uploader("Or add result files (JSON, from “Download result”)", type=["json"], accept_multiple_files=True,
                         key=s.files_key)
        cols = st.columns([1, 1, 3])
        cols[0].form_submit_button("Combine", type="primary", icon=":material/join:", on_click=s.combine, args=(parts, paste_key))
        cols[1].form_submit_button("Start over", icon=":material/restart_alt:", on_click=s.start_over)
    for status in s.statuses:
        where = f"Entry {status.position} ({literal(status.source, 40)})"
        if status.status == "error":
            st.warning(f"{where} could not be read: {literal(status.message, 400)}", icon=":material/link_off:")
        elif status.status != "ok":
            st.info(f"{where}: {literal(status.message, 400)}", icon=":material/content_copy:")
        elif status.message:
            st.caption(f"{where}: {literal(status.message, 400)}")
    if s.paste_msg:
        st.warning(literal(s.paste_msg, 400), icon=":material/playlist_add:")
    if s.link_msg:
        st.warning(literal(s.link_msg, 600), icon=":material/link_off:")


def problems(entries: ws.Entries | None) -> None:
    """Why a workshop link's members could not be read (when none could)."""
    for status in entries.problems if entries is not None else ():
        st.warning(f"Entry {status.position}: {literal(status.message, 400)}", icon=":material/link_off:")


def share_and_keep(parts: AssessmentParts, s: WorkshopState, workshop: ws.Workshop, steps: plan_mod.Plan) -> None:
    """The workshop link and the printable workshop report."""
    link = sharecode.share_url(st.context.url or PAGES["workshop"].path, s.code, param=sharecode.WORKSHOP_PARAM)
    st.markdown("This link reproduces the whole view (everyone's answers, notes and names as they gave them):")
    st.code(link, language=None)
    team = st.text_input("Team name for the report (optional)", max_chars=results_io.MAX_TEAM_LENGTH, key="ws_team")
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    report_download(
        "Printable workshop report (HTML → PDF)",
        lambda: report.render_workshop_report(workshop, parts.assessment, parts.vendors, plan=steps, team=team, when=now,
                                              mts=parts.mts, share_link=link, quarter_names=parts.quarter_names, top=TOP),
        file_name=f"mlops-workshop-{now:%Y%m%d}.html", key="ws_dl_report",
    )
    st.caption(PRINT_HELP)
