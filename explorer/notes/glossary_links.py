"""Glossary terms in the notes: one matcher for linking and for backlinks.

:func:`build_matcher` compiles every term and alias once; the Markdown renderer
(:mod:`explorer.notes.md.glossary_terms`) uses it to link the first use of each term in each section of a note
to its glossary entry, and :func:`backlinks` uses it to list where each term occurs.

Matching rules
    * whole words (a term does not match inside a longer word or a hyphenated compound);
    * case-insensitive, except short all-caps acronyms (``CI``, ``CD``, ``CT``, ``ESG``, ``ONNX``: no
      lower-case letter, at most 6 characters), which must match exactly so "cd" or "ct" in prose is left alone;
    * a multi-letter, case-insensitive word may take a plural ``s`` / ``es`` ("feature stores");
    * when several forms could match at one place, the longest wins ("CI/CD" over "CI");
    * never inside links, code or headings (the renderer skips those).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from threading import Lock

from explorer.content.schema import Term
from explorer.notes.note import Note


def is_acronym(form: str) -> bool:
    """Short all-caps forms (CI, CD, ESG, CI/CD) are matched case-sensitively."""
    return len(form) <= 6 and not any(c.islower() for c in form) and any(c.isupper() for c in form)


class _Matches:
    """The matches of the last texts drawn, by text: most recently used first out of :attr:`MAX_CHARS` (each text
    counts its length and :attr:`ENTRY` for its entry).  A note drawn again after an edit has most of its text as
    it was: its matches are not searched again (the pattern of every term was about a third of a note's draw)."""

    MAX_CHARS = 2_000_000
    ENTRY = 100  # what an entry counts besides its text (many short texts stay bounded too)
    MAX_TEXT = 4_000  # a longer text is searched each time

    def __init__(self) -> None:
        self._data: OrderedDict[str, tuple] = OrderedDict()
        self._chars = 0
        self._lock = Lock()

    def get(self, text: str, find) -> tuple:
        if len(text) > self.MAX_TEXT:
            return tuple(find(text))
        with self._lock:
            hit = self._data.get(text)
            if hit is not None:
                self._data.move_to_end(text)
                return hit
        found = tuple(find(text))
        with self._lock:
            if text not in self._data:
                self._data[text] = found
                self._chars += len(text) + self.ENTRY
                while self._chars > self.MAX_CHARS:
                    self._chars -= len(self._data.popitem(last=False)[0]) + self.ENTRY
        return found

    def __len__(self) -> int:
        return len(self._data)


@dataclass(frozen=True)
class TermMatcher:
    pattern: re.Pattern[str] | None
    exact: Mapping[str, str]  # acronym form -> term id
    folded: Mapping[str, str]  # lower-cased form (spaces collapsed) -> term id
    terms: Mapping[str, Term]
    drawn: _Matches = field(default_factory=_Matches, compare=False, repr=False)  # the matches of texts drawn

    def term_for(self, matched: str) -> Term | None:
        text = re.sub(r"\s+", " ", matched)
        tid = self.exact.get(text)
        if tid is None:
            low = text.lower()
            tid = self.folded.get(low)
            if tid is None and low.endswith("es"):
                tid = self.folded.get(low[:-2])
            if tid is None and low.endswith("s"):
                tid = self.folded.get(low[:-1])
        return self.terms.get(tid) if tid else None

    def finditer(self, text: str) -> Iterable[tuple[int, int, Term]]:
        if self.pattern is None:
            return
        for m in self.pattern.finditer(text):
            term = self.term_for(m.group(0))
            if term is not None:
                yield m.start(), m.end(), term

    def matches(self, text: str) -> tuple[tuple[int, int, Term], ...]:
        """:meth:`finditer` of a text drawn in a note, kept for the next draw of the same text (:class:`_Matches`)."""
        return self.drawn.get(text, self.finditer) if self.pattern is not None else ()


def build_matcher(terms: Sequence[Term]) -> TermMatcher:
    """Compile one regex for all terms and aliases (cache it: terms do not change at run time)."""
    exact: dict[str, str] = {}
    folded: dict[str, str] = {}
    forms: list[tuple[str, bool]] = []
    for t in terms:
        for form in (t.term, *t.aliases):
            form = re.sub(r"\s+", " ", form).strip()
            if not form:
                continue
            if is_acronym(form):
                if form not in exact:
                    exact[form] = t.id
                    forms.append((form, True))
            elif form.lower() not in folded:
                folded[form.lower()] = t.id
                forms.append((form, False))
    if not forms:
        return TermMatcher(None, exact, folded, {t.id: t for t in terms})
    forms.sort(key=lambda f: (-len(f[0]), f[0]))
    alts: list[str] = []
    for form, acronym in forms:
        body = r"\s+".join(re.escape(w) for w in form.split(" "))
        if acronym:
            alts.append(f"(?-i:{body})")
        else:
            plural = "(?:e?s)?" if len(form) > 2 and form[-1].isalpha() else ""
            alts.append(f"{body}{plural}")
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alts) + r")(?![\w]|-\w)", re.IGNORECASE)
    return TermMatcher(pattern, exact, folded, {t.id: t for t in terms})


def terms_in_text(text: str, terms: Sequence[Term] | TermMatcher) -> list[str]:
    """Ids of the terms occurring in plain text, in order of first occurrence."""
    matcher = terms if isinstance(terms, TermMatcher) else build_matcher(terms)
    found: dict[str, None] = {}
    for _, _, term in matcher.finditer(text):
        found.setdefault(term.id, None)
    return list(found)


def backlinks(notes: Iterable[Note], terms: Sequence[Term] | TermMatcher) -> dict[str, list[tuple[str, str | None]]]:
    """term id -> [(note id, section id), ...] where the term occurs (section id None: the note's intro).

    Every term id is a key (an unused term maps to an empty list).  Each (note, section) is listed once
    per term, in reading order.  Code is ignored, headings count.
    """
    matcher = terms if isinstance(terms, TermMatcher) else build_matcher(terms)
    out: dict[str, list[tuple[str, str | None]]] = {tid: [] for tid in matcher.terms}
    for note in notes:
        parts: list[tuple[str | None, str]] = [(None, note.intro_prose)]
        parts += [(s.id, f"{s.title} {s.prose}") for s in note.sections]
        for sid, text in parts:
            for tid in terms_in_text(text, matcher):
                out[tid].append((note.id, sid))
    return out
