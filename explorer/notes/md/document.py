"""One parse of a Markdown text, and everything derived from its tokens.

:func:`parse_document` runs the engine once.  The :class:`Doc` it returns holds the tokens, the
parser's ``env`` (footnotes, headings, anchors, images) and helpers that read them: plain text for
search and glossary backlinks, footnote references in a token range.  Rendering reuses the same
tokens (see :mod:`.render`): nothing is parsed twice.

A text whose pre-scan (:mod:`.parse_budget`) is over the parse budget is not parsed: its front matter is
read, and the rest becomes one preformatted block after a notice saying why (:attr:`Doc.budget`).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from markdown_it.token import Token

from explorer.notes.md.engine import parser
from explorer.notes.md.heading_ids import HeadingInfo
from explorer.notes.md.parse_budget import Estimate, estimate, notice_token, plain_token

_TAG_RE = re.compile(r"<[^<>]*>")  # "[^<>]": a "<" ends the scan, so "<!--" * 50_000 stays linear
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True, eq=False)
class Doc:
    tokens: tuple[Token, ...]
    env: dict
    front_matter: str | None  # raw YAML between the --- lines, or None
    front_matter_lines: int  # lines the front matter block takes (0 without one)
    body_start: int  # first token index after the front matter
    body_end: int  # index of the footnote block (or len(tokens))
    headings: tuple[HeadingInfo, ...]
    anchors: dict[str, int]  # anchor id -> token index where it is defined
    images: tuple[str, ...]  # every image reference (Markdown and raw HTML), in order, once
    budget: Estimate | None = None  # set when the text was over the parse budget and is shown as plain text

    def footnote_refs(self, start: int, end: int) -> list[int]:
        """Ids of the footnotes referenced in ``tokens[start:end]`` (in order, once)."""
        seen: dict[int, None] = {}
        for tok in self.tokens[start:end]:
            if tok.type == "inline":
                for child in tok.children or ():
                    if child.type == "footnote_ref":
                        seen.setdefault(child.meta["id"], None)
        return list(seen)

    def footnote_tokens(self, ids: Iterable[int]) -> list[Token]:
        """The footnote block restricted to ``ids`` (empty when there are none)."""
        wanted = set(ids)
        if not wanted or self.body_end >= len(self.tokens):
            return []
        out: list[Token] = [self.tokens[self.body_end]]
        keep = False
        for tok in self.tokens[self.body_end + 1 :]:
            if tok.type == "footnote_open":
                keep = tok.meta.get("id") in wanted
            if keep or tok.type == "footnote_block_close":
                out.append(tok)
            if tok.type == "footnote_close":
                keep = False
        return out

    def text(self, start: int, end: int, *, keep_code: bool = True, skip_headings: bool = True) -> str:
        """Plain text of ``tokens[start:end]`` on one line (markup removed; code kept unless asked)."""
        return plain_text(self.tokens[start:end], keep_code=keep_code, skip_headings=skip_headings)


def plain_text(tokens: Iterable[Token], *, keep_code: bool = True, skip_headings: bool = True) -> str:
    out: list[str] = []
    in_heading = False
    for tok in tokens:
        t = tok.type
        if t == "heading_open":
            in_heading = True
        elif t == "heading_close":
            in_heading = False
        elif t == "inline":
            if in_heading and skip_headings:
                continue
            for child in tok.children or ():
                ct = child.type
                if ct == "text":
                    out.append(child.content)
                elif ct == "code_inline":
                    if keep_code:
                        out.append(child.content)
                    else:
                        out.append(" ")
                elif ct in ("softbreak", "hardbreak"):
                    out.append(" ")
                elif ct in ("math_inline", "math_inline_double"):  # a formula's TeX (search, summaries)
                    out.append(child.content)
                elif ct == "note_tag":  # a #tag keeps its word and its '#' (a search for '#tag' finds it)
                    out.append("#" + child.content)
                elif ct == "image":
                    out.append(" " + "".join(c.content for c in child.children or () if c.type == "text") + " ")
            out.append(" ")
        elif t == "math_block":
            out.append(" " + tok.content + " ")
        elif t in ("fence", "code_block"):
            if keep_code:
                out.append(" " + tok.content + " ")
        elif t == "html_block":
            out.append(" " + html.unescape(_TAG_RE.sub(" ", tok.content)) + " ")
        elif t.endswith("_close") or t in ("hr", "front_matter"):
            out.append(" ")
    return _SPACE_RE.sub(" ", "".join(out)).strip()


_MARKUP_RE = re.compile(r"<[^<>]*>|(?P<tag>(?<![^\s(\[,;])#[\w/-]*[^\W\d_][\w/-]*)|[*_`~>|\[\]()!=^$\\-]+|#+")


def _markup(m: re.Match[str]) -> str:
    tag = m.group("tag")
    if not tag:
        return " "
    word = tag.rstrip("/-")
    return word if word == tag else word + " "


def rough_text(markdown: str) -> str:
    """Plain text of Markdown without parsing it (linear, a few ms for 200 kB): HTML tags and runs of markup
    characters become spaces; a ``#tag``'s ``#`` stays (as in :func:`plain_text`, so a search for ``#tag``
    finds it).  For searching a note not parsed yet (an upload not opened yet)."""
    return _SPACE_RE.sub(" ", html.unescape(_MARKUP_RE.sub(_markup, markdown))).strip()


_FRONT_MATTER_RE = re.compile(r"\A---[ \t]*\n(?:.*\n)*?(?:---|\.\.\.)[ \t]*(?:\n|\Z)")
MAX_FRONT_MATTER_CHARS = 20_000  # front matter read from a note over the parse budget (longer: shown as text)


def _over_budget(text: str, est: Estimate) -> list[Token]:
    """The tokens of a note over the parse budget: its front matter (parsed: it is small), the notice, the rest
    as one preformatted block."""
    head = text[:MAX_FRONT_MATTER_CHARS + 8]
    m = _FRONT_MATTER_RE.match(head)
    tokens: list[Token] = []
    if m:
        front = [t for t in parser().parse(m.group(0), {}) if t.type == "front_matter"]
        if front:
            tokens.append(front[0])
    start = m.end() if tokens else 0
    line = text.count("\n", 0, start)
    return [*tokens, notice_token(est), plain_token(text[start:], line)]


def parse_document(text: str) -> Doc:
    """Parse ``text`` (front matter included) once, or not at all when it is over the parse budget."""
    env: dict = {}
    est = estimate(text)
    if est.over:
        return doc_of(_over_budget(text, est), env, est)
    return doc_of(parser().parse(text, env), env, None)


def doc_of(tokens: list[Token], env: dict, est: Estimate | None) -> Doc:
    """The :class:`Doc` of a parse's tokens and ``env`` (``est``: the budget estimate of a text shown as plain text)."""
    front, fm_lines, body_start = None, 0, 0
    if tokens and tokens[0].type == "front_matter":
        front = tokens[0].content
        fm_lines = tokens[0].map[1] if tokens[0].map else 0
        body_start = 1
    body_end = next((i for i, t in enumerate(tokens) if t.type == "footnote_block_open"), len(tokens))
    images = tuple(dict.fromkeys(s for s in env.get("images", ()) if s))
    return Doc(
        tokens=tuple(tokens),
        env=env,
        front_matter=front,
        front_matter_lines=fm_lines,
        body_start=body_start,
        body_end=body_end,
        headings=tuple(env.get("headings", ())),
        anchors=dict(env.get("anchors", {})),
        images=images,
        budget=est,
    )
