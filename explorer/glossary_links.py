"""Glossary terms in the notes: links with the definition on hover, and backlinks.

:func:`link_terms` takes the *sanitised* HTML of :func:`explorer.render.render_markdown` and turns the
first occurrence of each glossary term (its name or any alias) into::

    <a class="gloss" href="/Glossary?term=<id>" title="<definition>" target="_self">matched text</a>

Matching rules
    * whole words (a term does not match inside a longer word or a hyphenated compound);
    * case-insensitive, except short all-caps acronyms (``CI``, ``CD``, ``CT``, ``ESG``, ``ONNX``: no
      lower-case letter, at most 6 characters), which must match exactly so "cd" or "ct" in prose is left alone;
    * a multi-letter, case-insensitive word may take a plural ``s`` / ``es`` ("feature stores");
    * when several forms could match at one place, the longest wins ("CI/CD" over "CI");
    * never inside ``<a>``, ``<code>``, ``<pre>``, ``<kbd>``, headings or an existing ``<abbr>``.

:func:`backlinks` lists where each term occurs (note, section) using the same matcher on the notes'
plain text (code excluded), for the glossary page.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import quote

from .notes import Note
from .schema import Term
from .search import plain_text

DEFAULT_HREF = "/Glossary?term={id}"
_SKIP_TAGS = frozenset({"a", "code", "pre", "kbd", "samp", "abbr", "h1", "h2", "h3", "h4", "h5", "h6",
                        "script", "style", "textarea", "title", "svg", "math", "button", "select"})
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "base", "source", "track", "embed"})
_TOKEN_RE = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG_RE = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9]*)[^>]*?(/?)\s*>", re.S)


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


def _anchor(term: Term, text: str, href_template: str, target: str | None) -> str:
    href = href_template.format(id=quote(term.id, safe=""))
    tgt = f' target="{html.escape(target)}"' if target else ""
    return (
        f'<a class="gloss" href="{html.escape(href)}" title="{html.escape(term.definition, quote=True)}"{tgt}>'
        f"{html.escape(text)}</a>"
    )


def link_terms(
    fragment: str,
    terms: Sequence[Term] | TermMatcher,
    *,
    seen: set[str] | None = None,
    href: str = DEFAULT_HREF,
    target: str | None = "_self",
    exclude: Iterable[str] = (),
) -> str:
    """Link the first occurrence of each term in sanitised HTML.

    ``seen`` (term ids already linked) is updated in place: pass the same set when a note is rendered
    section by section so that each term is linked once per note.  ``href`` is a template with ``{id}``
    (use ``"#term-{id}"`` inside the study pack); ``exclude`` lists term ids never to link.
    """
    matcher = terms if isinstance(terms, TermMatcher) else build_matcher(terms)
    if matcher.pattern is None:
        return fragment
    done = seen if seen is not None else set()
    done.update(exclude)
    skip: dict[str, int] = {}
    out: list[str] = []
    for piece in _TOKEN_RE.split(fragment):
        if not piece:
            continue
        if piece.startswith("<"):
            out.append(piece)
            m = _TAG_RE.match(piece)
            if m and not piece.startswith("<!--"):
                closing, name, selfclose = m.group(1), m.group(2).lower(), m.group(3)
                if name in _SKIP_TAGS and name not in _VOID and not selfclose:
                    if closing:
                        if skip.get(name):
                            skip[name] -= 1
                    else:
                        skip[name] = skip.get(name, 0) + 1
            continue
        if any(skip.values()):
            out.append(piece)
            continue
        out.append(_link_text(piece, matcher, done, href, target))
    return "".join(out)


def _link_text(escaped: str, matcher: TermMatcher, done: set[str], href: str, target: str | None) -> str:
    text = html.unescape(escaped)
    pieces: list[str] = []
    pos = 0
    changed = False
    for start, end, term in matcher.finditer(text):
        if term.id in done:
            continue
        done.add(term.id)
        pieces.append(html.escape(text[pos:start], quote=False))
        pieces.append(_anchor(term, text[start:end], href, target))
        pos = end
        changed = True
    if not changed:
        return escaped
    pieces.append(html.escape(text[pos:], quote=False))
    return "".join(pieces)


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
        parts: list[tuple[str | None, str]] = [(None, note.intro)]
        parts += [(s.id, s.body) for s in note.sections]
        for sid, markdown_text in parts:
            for tid in terms_in_text(plain_text(markdown_text, keep_code=False), matcher):
                out[tid].append((note.id, sid))
    return out
