"""Plugin ``heading_ids``: the id GitHub gives every heading, and what a note's tokens can be linked to.

:func:`heading_ids_plugin` gives every heading (also those inside lists and quotes) the id GitHub
gives it (:mod:`.slug`) and records in ``env``:

* ``env["headings"]``: every heading as a :class:`HeadingInfo` (sections are made from them);
* ``env["anchors"]``: every link target (heading ids and explicit HTML anchors, ``<a name>`` / ``id=``)
  with the token index that defines it;
* ``env["images"]``: every image reference (Markdown and raw HTML), in order.

Sections, deep links and rendered ids all come from this one place.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from explorer.notes.md.slug import Slugger

_ANCHOR_ATTR_RE = re.compile(r"""<[A-Za-z][^<>]*?\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_HTML_IMG_RE = re.compile(r"""<img\b[^<>]*?\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)


def inline_text(children: Sequence[Token] | None) -> str:
    """Plain text of an inline token's children, as a browser's ``textContent`` would give it."""
    out: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


@dataclass(frozen=True)
class HeadingInfo:
    index: int  # token index of heading_open
    level: int  # 1-6
    title: str  # plain text
    id: str  # GitHub slug, unique in the document
    line: int  # 0-based line of the heading in the parsed text
    top: bool  # a top-level block (not inside a list, quote or alert): a section boundary


def record_headings(tokens: Sequence[Token]) -> tuple[list[HeadingInfo], dict[str, int], list[str]]:
    """(headings with the ids GitHub gives them, anchors, images) of ``tokens``, in order; reads the tokens only."""
    slugger = Slugger()
    headings: list[HeadingInfo] = []
    anchors: dict[str, int] = {}
    images: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            title = inline_text(tokens[i + 1].children).strip()
            hid = slugger.slug(title)
            anchors.setdefault(hid, i)
            line = tok.map[0] if tok.map else 0
            headings.append(HeadingInfo(i, int(tok.tag[1]), title, hid, line, tok.level == 0))
        elif tok.type == "html_block":
            for m in _ANCHOR_ATTR_RE.finditer(tok.content):
                anchors.setdefault(html.unescape(m.group(1)), i)
            images.extend(html.unescape(m.group(1)) for m in _HTML_IMG_RE.finditer(tok.content))
        elif tok.type == "inline":
            for child in tok.children or ():
                if child.type == "html_inline":
                    for m in _ANCHOR_ATTR_RE.finditer(child.content):
                        anchors.setdefault(html.unescape(m.group(1)), i)
                    images.extend(html.unescape(m.group(1)) for m in _HTML_IMG_RE.finditer(child.content))
                elif child.type == "image":
                    images.append(child.attrGet("src") or "")
    return headings, anchors, images


def _heading_ids(state: StateCore) -> None:
    tokens = state.tokens
    headings, anchors, images = record_headings(tokens)
    for h in headings:
        tokens[h.index].attrSet("id", h.id)
    state.env["headings"] = headings
    state.env["anchors"] = anchors
    state.env["images"] = images


def heading_ids_plugin(md: MarkdownIt) -> None:
    """GitHub heading ids on every heading; headings, anchors and images recorded in ``env``."""
    md.core.ruler.push("heading_ids", _heading_ids)
