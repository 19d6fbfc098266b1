"""A note's head: what a listing needs, read without parsing the whole note.

:func:`read_head` parses only the front matter and the first block after it, with the same engine as
the full parse (:mod:`explorer.notes.md`), so the title, id, week, order and tags it gives are exactly
those of the full parse (:mod:`explorer.notes.note`).  The prefix it parses grows block by block
until it holds a body token, and when the leading heading could depend on the rest of the note (a
link reference or a footnote defined further down) the whole note is parsed instead: the answer is
the same either way, only the cost differs.  Most notes need no engine at all (:func:`_plain`): a
leading ``# Heading`` of plain words is its own title, and a first block that starts as a paragraph
cannot hold the title heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.notes.md.document import Doc, parse_document
from explorer.notes.md.heading_ids import HeadingInfo
from explorer.notes.sections import lead_heading

_DASHES_RE = re.compile(r"^(-{3,})")
_PLAIN_H1_RE = re.compile(r"^ {0,3}# +([A-Za-z0-9 ,.:;'\"?()/+-]*?[A-Za-z0-9.?)'\"])(?: +#+)? *$")  # no Markdown inside
_SETEXT_H1_RE = re.compile(r"^ {0,3}=+\s*$")
_DEEPER_RE = re.compile(r"^ {0,3}#{2,6}(?:[ \t]|$)")  # an ATX heading of level 2-6: never the title
_MAX_BLOCKS = 8  # blocks that add no token (link definitions, comments) before the whole note is parsed


@dataclass(frozen=True)
class Head:
    """The front matter and the leading heading of a note (from a prefix of its text, or all of it)."""

    front_matter: str | None
    front_matter_lines: int
    lead: HeadingInfo | None
    doc: Doc | None  # the full parse, when the whole note had to be parsed (else None)


def _front_matter_end(lines: list[str]) -> int:
    """Index of the line after a closed front matter block (0: none), as the engine's plugin reads it."""
    m = _DASHES_RE.match(lines[0]) if lines else None
    if m is None:
        return 0
    need = len(m.group(1))
    for k in range(1, len(lines)):
        line = lines[k]
        indent = len(line) - len(line.lstrip(" "))
        if indent >= 4:
            continue
        body = line.strip()
        if line.startswith("...") and not line[3:].strip():
            return k + 1
        if body and set(body) == {"-"} and len(body) >= need:
            return k + 1
    return 0


def _next_block_end(lines: list[str], start: int) -> int:
    """End (exclusive) of the first block at or after ``start``: blank lines, then up to the next blank line."""
    k = start
    while k < len(lines) and not lines[k].strip():
        k += 1
    while k < len(lines) and lines[k].strip():
        k += 1
    return k


def _risky(lead: HeadingInfo | None, lines: list[str]) -> bool:
    """Could the leading heading read differently with the rest of the note (references, footnotes)?"""
    return lead is not None and any(c in lines[lead.line] for c in "[]^")


def _plain(lines: list[str], fm_end: int) -> Head | None:
    """The head without the engine, when the first block is plain: a ``# Heading`` of letters, digits and
    simple punctuation (its text is the title as written), or a block that cannot hold a leading level-1
    heading.  None: let the engine read it."""
    k = fm_end
    while k < len(lines) and not lines[k].strip():
        k += 1
    if k >= len(lines):
        return None
    first = lines[k]
    lead_title = None
    m = _PLAIN_H1_RE.match(first)
    if m:
        lead_title = m.group(1).strip()
    elif _DEEPER_RE.match(first):
        pass  # the first heading is not level 1: no title heading
    else:
        stripped = first.lstrip(" ")
        if stripped[:1] in ("#", "[", "<", "=", "-", "*", "+", ">", "|", "`", "~", ":", "_", "%", "$", "!", "^", "\\") or stripped[:1].isdigit():
            return None  # a heading, a link definition, HTML, a list, a table, a fence: the engine decides
        end = k
        while end < len(lines) and lines[end].strip():
            if _SETEXT_H1_RE.match(lines[end]):
                return None
            end += 1
    front = "\n".join(lines[1 : fm_end - 1]) if fm_end else None
    lead = HeadingInfo(-1, 1, lead_title, "", k, True) if lead_title else None
    return Head(front, fm_end, lead, None)


def read_head(text: str) -> Head:
    """The head of ``text`` (newlines normalised).  Never parses more than needed, never less."""
    lines = text.split("\n")
    end = _front_matter_end(lines)
    plain = _plain(lines, end)
    if plain is not None:
        return plain
    body_from = end
    for _ in range(_MAX_BLOCKS):
        end = _next_block_end(lines, end)
        doc = parse_document("\n".join(lines[:end]) + "\n")
        has_body = any(t.type != "front_matter" for t in doc.tokens[doc.body_start:])
        if doc.front_matter is None and body_from:
            break  # the prefix did not read as front matter: let the full parse decide
        if has_body or end >= len(lines):
            lead = lead_heading(doc)
            if end < len(lines) and _risky(lead, lines):
                break
            return Head(doc.front_matter, doc.front_matter_lines, lead, None)
    doc = parse_document(text)
    return Head(doc.front_matter, doc.front_matter_lines, lead_heading(doc), doc)
