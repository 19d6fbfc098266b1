"""Who takes part in a workshop (issue 12): the entries a facilitator pastes or uploads, read into
participants with one status per entry.

Input
-----
Pasted share links or codes (:func:`read_codes`; a pasted *workshop* link expands into its
members) and uploaded result files (:func:`read_files`), in any mix (:func:`combine`).  Every
entry gets an :class:`EntryStatus` with a message for the user: read, or why not (a damaged code,
a code made for another questionnaire, an unknown format version, a file that is not a result),
or that it repeats an earlier entry (same answers, notes and name: counted once).  Nothing raises
for bad input, and nothing is stored.  A pasted block is split into entries by :func:`read_paste`.

Names
-----
A participant is named only when they put a name in their code (share code version 2) or file
(``participant``).  Who answered what is shown only for named participants; anonymous answers
appear in the counts, and their notes are attributed to nobody.  :func:`unique_names` tells
participants with the same name apart.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from explorer.assess import sharecode
from explorer.assess.evidence import AnswerSet
from explorer.assess.results_import import ResultImportError, import_json
from explorer.content.schema import Assessment, MLTestScore, Vendor
from explorer.limits import LIMITS, Paste, check_paste

MAX_ENTRIES = sharecode.MAX_MEMBERS


@dataclass(frozen=True)
class EntryStatus:
    position: int  # 1-based, in the order entries were given
    source: str  # short description of the entry (a shortened code, a file name)
    status: str  # "ok" | "error" | "duplicate" | "skipped"
    message: str  # for the user; "" when ok without remarks
    participant: int | None = None  # index into Entries.participants when status == "ok"


@dataclass(frozen=True)
class Participant:
    answer_set: AnswerSet
    code: str  # the participant's share code as given (lower case), or made from the answer set (files; codes with marks)
    source: str
    warnings: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.answer_set.name

    @property
    def named(self) -> bool:
        return bool(self.answer_set.name)


@dataclass(frozen=True)
class Entries:
    participants: tuple[Participant, ...] = ()
    statuses: tuple[EntryStatus, ...] = ()

    @property
    def problems(self) -> tuple[EntryStatus, ...]:
        return tuple(s for s in self.statuses if s.status != "ok")

    @property
    def ok(self) -> int:
        return len(self.participants)


def _short(text: str, n: int = 32) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def read_paste(text: object) -> Paste:
    """A pasted block split into entries (one per line, or separated by spaces, commas or semicolons):
    at most :attr:`~explorer.limits.Limits.paste_entries` of them, within
    :attr:`~explorer.limits.Limits.paste_chars` characters (room for a 50-person workshop of long share
    links with notes and names); what is beyond is returned as pasted (``rest``) with a count and a
    message, for the box to keep."""
    return check_paste(text)


def split_pasted(text: str) -> list[str]:
    """The entries :func:`read_paste` reads now."""
    return list(read_paste(text).entries)


class _Collector:
    """Accumulates participants and per-entry statuses, dropping repeats and entries past the limit."""

    def __init__(self, assessment: Assessment | None):
        self.assessment = assessment
        self.participants: list[Participant] = []
        self.statuses: list[EntryStatus] = []
        self.seen: dict[tuple, int] = {}  # what makes an answer set itself -> entry position

    def position(self) -> int:
        return len(self.statuses) + 1

    def status(self, source: str, status: str, message: str) -> None:
        self.statuses.append(EntryStatus(self.position(), source, status, message))

    def add(self, aset: AnswerSet, source: str, warnings: Sequence[str] = (), code: str | None = None) -> None:
        if code is None:
            assert self.assessment is not None
            code = sharecode.encode_answer_set(self.assessment, aset).code
        self.add_participant(Participant(aset, code, source, tuple(warnings)), " ".join(warnings))

    def add_participant(self, p: Participant, message: str) -> None:
        pos = self.position()
        key = _identity(p.answer_set)
        if key in self.seen:
            self.status(p.source, "duplicate",
                        f"Entry {pos} repeats entry {self.seen[key]} (same answers, notes and name), so it was counted once. "
                        "If two people really gave identical answers, ask one of them to add a name.")
        elif len(self.participants) >= MAX_ENTRIES:
            self.status(p.source, "skipped", f"A workshop combines at most {MAX_ENTRIES} answer sets; this one was left out.")
        else:
            self.seen[key] = pos
            self.participants.append(p)
            self.statuses.append(EntryStatus(pos, p.source, "ok", message, participant=len(self.participants) - 1))

    def entries(self) -> Entries:
        return Entries(tuple(self.participants), tuple(self.statuses))


def _identity(aset: AnswerSet) -> tuple:
    """Two entries are the same when answers, N/A, notes and name all agree."""
    return (tuple(sorted(aset.answers.items())), tuple(sorted(aset.na)), tuple(sorted(aset.notes.items())), aset.name)


def _read_one_code(col: _Collector, raw: str, mts: MLTestScore | None, *, depth: int = 0) -> None:
    code = sharecode.extract_code(raw)
    source = _short(code or raw)
    if sharecode.is_workshop_code(code) and depth == 0:
        try:
            members = sharecode.decode_workshop(code)
        except sharecode.ShareCodeError as exc:
            col.status(source, "error", str(exc))
            return
        for m in members:
            _read_one_code(col, m, mts, depth=1)
        return
    try:
        d = sharecode.decode(code, col.assessment, mts)
    except sharecode.ShareCodeError as exc:
        col.status(source, "error", str(exc))
        return
    warnings = list(d.warnings)
    if d.notes_cut:
        warnings.append("Some of this person's notes were shortened to fit in the link.")
    # keep the member code as given (old versions stay old), unless it carries what a workshop drops
    keep = d.marks is None and not d.warnings
    col.add(d.answer_set, source, warnings, code=code.strip().lower() if keep else None)


def read_codes(texts: Iterable[str], assessment: Assessment, mts: MLTestScore | None = None) -> Entries:
    """Read share links/codes (and workshop links, which expand into their members), one per entry."""
    col = _Collector(assessment)
    for n, raw in enumerate(texts):
        if n >= LIMITS.paste_entries:
            col.status("…", "skipped", f"Too many entries: at most {LIMITS.paste_entries} are read at once; the rest were not read.")
            break
        if not isinstance(raw, str):
            col.status("(not text)", "error", "This entry is not text.")
            continue
        _read_one_code(col, raw, mts)
    return col.entries()


def read_files(
    files: Iterable[tuple[str, bytes | str]],
    assessment: Assessment,
    vendors: Sequence[Vendor] = (),
    mts: MLTestScore | None = None,
) -> Entries:
    """Read exported result files ``(file name, contents)``; each file is one participant."""
    col = _Collector(assessment)
    for n, (name, data) in enumerate(files):
        source = _short(str(name) or "file")
        if n >= MAX_ENTRIES * 2:
            col.status(source, "skipped", "Too many files; the rest were not read.")
            break
        try:
            imp = import_json(data, assessment, vendors, mts=mts, source=str(name))
        except ResultImportError as exc:
            col.status(source, "error", str(exc))
            continue
        aset = AnswerSet(dict(imp.answers), imp.na, dict(imp.notes), imp.participant)
        col.add(aset, source, imp.warnings)
    return col.entries()


def combine(*parts: Entries) -> Entries:
    """Entries from several sources as one list (repeats across sources are dropped; positions renumbered)."""
    col = _Collector(None)
    for part in parts:
        for st in part.statuses:
            if st.status == "ok" and st.participant is not None:
                col.add_participant(part.participants[st.participant], st.message)
            else:
                col.status(st.source, st.status, st.message)
    return col.entries()


def unique_names(participants: Sequence[Participant]) -> list[str]:
    """Each participant's name, with " (2)", " (3)" … added to repeated names; "" for anonymous ones."""
    seen: dict[str, int] = {}
    out = []
    for p in participants:
        if not p.named:
            out.append("")
            continue
        seen[p.name] = seen.get(p.name, 0) + 1
        out.append(p.name if seen[p.name] == 1 else f"{p.name} ({seen[p.name]})")
    return out
