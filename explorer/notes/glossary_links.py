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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from explorer.content.schema import Term
from explorer.notes.note import Note


def is_acronym(form: str) -> bool:
    """Short all-caps forms (CI, CD, ESG, CI/CD) are matched case-sensitively."""
    return len(form) <= 6 and not any(c.islower() for c in form) and any(c.isupper() for c in form)


@dataclass(frozen=True)
class TermMatcher:
    pattern: re.Pattern[str] | None
    exact: Mapping[str, str]  # acronym form -> term id
    folded: Mapping[str, str]  # lower-cased form (spaces collapsed) -> term id
    terms: Mapping[str, Term]

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
