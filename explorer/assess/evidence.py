"""Evidence and "does not apply" for the self-assessment (issue 12): short notes, names, answer sets.

A participant can add to each answer a short **note** (what the team does today, a link), mark a
question as **not applicable** when the questionnaire allows it (``Question.allow_na``), and put an
optional **name** on the answer set (shown in a workshop only when it is there).

Every piece of free text a visitor types passes through :func:`clean_text` before it is kept,
encoded or rendered:

* Unicode is NFC-normalised; control characters, zero-width characters, bidirectional overrides
  and lone surrogates become spaces (a note can neither reorder the text around it nor smuggle in
  a line break); runs of whitespace collapse to one space; the ends are stripped.
* The result is cut to a bounded length (:data:`MAX_NOTE_CHARS` for a note, :data:`MAX_NAME_CHARS`
  for a name, :data:`MAX_OWNER_CHARS` for a plan owner); a cut text ends with "…" and the caller
  is told it was cut.

Cleaning is *not* escaping: every renderer escapes on output (Markdown with
:func:`explorer.assess.results_markdown.md_escape`, HTML by Jinja2's autoescape, Plotly hover text by
``html.escape``).  :func:`split_links` finds ``http(s)://`` links in a note so the HTML report can
turn only those into anchors, with the rest of the text escaped.

What N/A means for the ladders and the scores is decided in :mod:`explorer.assess.scoring_rules`
(:data:`~explorer.assess.scoring_rules.NA_RULE`) and documented in ``docs/assessment-rules.md``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

MAX_NOTE_CHARS = 280
MAX_NAME_CHARS = 40
MAX_OWNER_CHARS = 60
ELLIPSIS = "…"
NA_LABEL = "Does not apply to us"

# C0/C1 controls, zero-width and bidi formatting characters, BOM, lone surrogates
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")
_SPACES = re.compile(r"\s+")
_LINK = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_TRAILING = ".,;:!?)]}'\""


def clean_text(value: str, limit: int) -> tuple[str, bool]:
    """``(clean text, was_cut)``: one line, no control or formatting characters, at most ``limit`` characters.

    Raises :class:`TypeError` for anything but ``str`` (a programming error; user input is text).
    """
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {type(value).__name__}")
    if limit < 1:
        raise ValueError("limit must be at least 1")
    window = limit * 8  # bound the work on huge input: only this much is ever looked at
    text = unicodedata.normalize("NFC", _UNSAFE.sub(" ", value[:window]))
    text = _SPACES.sub(" ", _UNSAFE.sub(" ", text)).strip()
    cut = len(value) > window
    if len(text) > limit or (cut and text):
        text = text[: limit - 1].rstrip() + ELLIPSIS
        cut = True
    return text, cut


def clean_note(value: str, limit: int = MAX_NOTE_CHARS) -> str:
    return clean_text(value, limit)[0]


def clean_name(value: str) -> str:
    return clean_text(value, MAX_NAME_CHARS)[0]


def truncate(text: str, limit: int) -> str:
    """Cut already clean text to ``limit`` characters, ending with "…" when it was cut ("" for limit 0)."""
    if limit <= 0:
        return ""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + ELLIPSIS


def split_links(text: str) -> list[tuple[str, bool]]:
    """Split text into ``(piece, is_link)`` parts; links are ``http(s)://`` runs without trailing punctuation."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _LINK.finditer(text):
        url = m.group(0).rstrip(_TRAILING)
        if len(url) < len("http://x"):
            continue
        start, end = m.start(), m.start() + len(url)
        if start > pos:
            out.append((text[pos:start], False))
        out.append((url, True))
        pos = end
    if pos < len(text):
        out.append((text[pos:], False))
    return out


def accepted_na(qmap: Mapping[str, Any], na: Iterable[str], answered: Mapping[str, int], warnings: list[str]) -> set[str]:
    """The "does not apply" marks that stand: on known questions that allow it and have no answer.
    Every other mark is dropped with a warning naming the question (an answer wins over a mark)."""
    kept: set[str] = set()
    for qid in dict.fromkeys(na):
        q = qmap.get(qid)
        if q is None:
            warnings.append(f"'does not apply' for unknown question {qid!r} ignored")
        elif not q.allow_na:
            warnings.append(f"question {qid!r} cannot be marked 'does not apply'; it counts as unanswered")
        elif qid in answered:
            warnings.append(f"question {qid!r} was both answered and marked 'does not apply'; the answer was kept")
        else:
            kept.add(qid)
    return kept


@dataclass(frozen=True)
class AnswerSet:
    """One participant's answers: indexes, "does not apply" question ids, notes by question id, a name.

    Build it with :func:`make_answer_set` so notes and the name are cleaned and N/A is checked.
    """

    answers: dict[str, int] = field(default_factory=dict)
    na: frozenset[str] = frozenset()
    notes: dict[str, str] = field(default_factory=dict)
    name: str = ""

    @property
    def has_extras(self) -> bool:
        """True when the set carries anything a version-1 share code cannot hold."""
        return bool(self.na or self.notes or self.name)


def make_answer_set(
    assessment,
    answers: Mapping[str, int] | None = None,
    na: Iterable[str] = (),
    notes: Mapping[str, str] | None = None,
    name: str = "",
) -> tuple[AnswerSet, tuple[str, ...]]:
    """Clean and check one participant's input against the questionnaire.

    Returns the :class:`AnswerSet` and warnings for the user (each names the question).  Nothing
    raises for bad *user* data: unknown question ids, N/A on a question that does not allow it and
    a question both answered and marked N/A (the answer is kept) are dropped with a warning; empty
    notes are dropped silently.  Answer indexes are checked by :func:`explorer.assess.scoring.evaluate`.
    """
    qmap = {q.id: q for q in assessment.questions}
    warnings: list[str] = []
    ans: dict[str, int] = {}
    for qid, idx in (answers or {}).items():
        if qid not in qmap:
            warnings.append(f"answer to unknown question {qid!r} ignored")
        elif idx is not None:
            ans[qid] = idx
    na_ok = accepted_na(qmap, na, ans, warnings)
    cleaned: dict[str, str] = {}
    for qid, note in (notes or {}).items():
        if qid not in qmap:
            warnings.append(f"note for unknown question {qid!r} ignored")
            continue
        text, cut = clean_text(note, MAX_NOTE_CHARS)
        if cut:
            warnings.append(f"the note on {qid!r} was cut to {MAX_NOTE_CHARS} characters")
        if text:
            cleaned[qid] = text
    order = {q.id: i for i, q in enumerate(assessment.questions)}
    cleaned = dict(sorted(cleaned.items(), key=lambda kv: order[kv[0]]))
    clean_nm, cut = clean_text(name, MAX_NAME_CHARS)
    if cut:
        warnings.append(f"the name was cut to {MAX_NAME_CHARS} characters")
    return AnswerSet(ans, frozenset(na_ok), cleaned, clean_nm), tuple(warnings)
