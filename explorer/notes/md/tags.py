"""Plugin ``tags``: ``#tags`` in a note's text link to a search for the tag, as in Obsidian.

A tag is ``#`` at the start of a word followed by letters, digits, ``_``, ``-`` or ``/`` with at least one
letter (``#mlops``, ``#week-2/quiz``); ``#42`` is a number, not a tag.  Tags are read from text only:
never inside code, links or headings (``# Title`` is a heading; a heading's ``#card`` is a flashcard,
:mod:`.note_cards`), and a URL's ``#fragment`` is part of the URL.  Each becomes a ``note_tag`` token
(recorded in ``env["tags"]``) drawn as ``<a class="note-tag" href="/Search?q=%23tag">``.  The note's plain
text keeps ``#tag`` (:func:`explorer.notes.md.document.plain_text`), so that search finds the notes and
sections carrying the tag (front matter ``tags:`` are in each note's own record).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

SEARCH_PATH = "/Search"
_TAG_RE = re.compile(r"(?:(?<=^)|(?<=[\s(\[,;]))#([\w/-]*[^\W\d_][\w/-]*)")


def _split(tok: Token, at_start: bool, found: list[str]) -> list[Token]:
    out: list[Token] = []
    pos = 0
    for m in _TAG_RE.finditer(tok.content):
        if m.start() == 0 and not at_start:
            continue
        tag = m.group(1).rstrip("/-")
        if not tag:
            continue
        if m.start() > pos:
            before = tok.copy()
            before.content = tok.content[pos:m.start()]
            out.append(before)
        t = Token("note_tag", "a", 0)
        t.content = tag
        out.append(t)
        found.append(tag)
        pos = m.start() + 1 + len(tag)
    if not out:
        return [tok]
    if pos < len(tok.content):
        after = tok.copy()
        after.content = tok.content[pos:]
        out.append(after)
    return out


def _tags(state: StateCore) -> None:
    found: list[str] = []
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or not tok.children or "#" not in tok.content:
            continue
        if i > 0 and tokens[i - 1].type in ("heading_open", "callout_title_open"):
            continue
        kids: list[Token] = []
        depth = 0
        prev = None
        for child in tok.children:
            if child.type in ("link_open", "wikilink_open"):
                depth += 1
            elif child.type in ("link_close", "wikilink_close"):
                depth -= 1
            if child.type == "text" and depth == 0 and "#" in child.content:
                at_start = prev is None or prev.type in ("softbreak", "hardbreak")
                kids.extend(_split(child, at_start, found))
            else:
                kids.append(child)
            prev = child
        tok.children = kids
    state.env["tags"] = list(dict.fromkeys(found))


def _render(self, tokens, idx, options, env) -> str:
    tag = tokens[idx].content
    return f'<a class="note-tag" href="{SEARCH_PATH}?q={quote("#" + tag, safe="")}">#{escapeHtml(tag)}</a>'


def tags_plugin(md: MarkdownIt) -> None:
    """``#tags`` in text -> links to a search for the tag (recorded in ``env["tags"]``)."""
    md.core.ruler.before("heading_ids", "tags", _tags)
    md.add_render_rule("note_tag", _render)
