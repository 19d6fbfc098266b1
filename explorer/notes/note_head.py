"""A note's head: what a listing needs, read without parsing the whole note.

:func:`read_head` parses only the front matter and the first block after it, with the same engine as
the full parse (:mod:`explorer.notes.md`), so the title, id, week, order and tags it gives are exactly
those of the full parse (:mod:`explorer.notes.note`).  The prefix it parses grows block by block
until it holds a body token, and when the leading heading could depend on the rest of the note (a
link reference or a footnote defined further down) the whole note is parsed instead: the answer is
the same either way, only the cost differs.  Most notes need no engine at all (:func:`_plain`): a
leading ``# Heading`` of plain words is its own title, and a first block that starts as a paragraph
cannot hold the title heading.

A first block too long to parse cheaply (a table, list or paragraph of thousands of lines, one huge line) is read
from its first lines only (:func:`_bounded`) when what follows cannot change the answer: the note's title is a
level-1 heading that is its very first token, and the first token of a block is decided by its first lines (a
setext underline further down, link or footnote definitions and comments, which leave no token, and a title
heading that could use a definition from further down are read as before).  So an upload or a restore of notes
whose first block is 30 kB of table reads a few lines each, not 0.2 s of parse each (issue #20).
"""

from __future__ import annotations

import itertools
import operator
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
_HEAD_LINES = 8  # a first block longer than this (lines or characters) is read from its first lines (_bounded)
_HEAD_CHARS = 2_000
_ATX_RE = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
_UNDERLINE_H1_RE = re.compile(r"^ {0,3}=+[ \t]*$", re.MULTILINE)  # could end a paragraph as a level-1 heading


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
    # the first blank line from k on, found by C iterators (a Python loop took 5 ms on a list of 50,000 lines)
    blank = itertools.compress(itertools.count(k), map(operator.not_, map(str.strip, itertools.islice(lines, k, None))))
    return next(blank, len(lines))


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
    for n in range(_MAX_BLOCKS):
        end = _next_block_end(lines, end)
        if n == 0:
            bounded = _bounded(lines, body_from, end)
            if bounded is not None:
                return bounded
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


def _bounded(lines: list[str], fm_end: int, end: int) -> Head | None:
    """The head of a note whose first block (``lines[fm_end:end]`` after blank lines) is large, read from its first
    :data:`_HEAD_LINES` lines (at most :data:`_HEAD_CHARS` characters), or None: small, or read it as before.

    The lead heading is the note's first token when that is a level-1 heading (:func:`lead_heading`).  A block's
    first token is decided by its first lines, except when a paragraph runs on to a setext underline further
    down, or the block opens with footnotes or a comment (no token in place: a later line decides), so those are
    read as before; so is a title heading that holds ``[``, ``]`` or ``^`` (a definition further down may change
    it), and a paragraph after link definitions."""
    s = fm_end
    while s < end and not lines[s].strip():
        s += 1
    k, size = s, 0
    while k < end and k - s < _HEAD_LINES and size + len(lines[k]) < _HEAD_CHARS:
        size += len(lines[k]) + 1
        k += 1
    if k >= end or (not fm_end and lines[0].startswith("---")):
        return None  # small enough to parse whole; or a front matter that may not be closed: the engine decides
    opening = lines[s].lstrip(" ")
    if opening[:1] == "%" or opening[:2] == "[^" or (opening[:1] == "[" and k == s):
        return None  # a comment or footnotes (no token in place: what follows decides), or one huge line of them
    # link definitions leave no token; the first token after them is theirs in the whole block too unless it is a
    # paragraph (a definition's title cut by the prefix reads as one)
    definitions = opening[:1] == "["
    if k == s:  # the first line alone is longer than _HEAD_CHARS
        if _ATX_RE.match(lines[s]):
            k = s + 1  # a heading is one line: the title is that line's, whatever follows
        else:  # a table, list, quote, fence, HTML or paragraph: not a heading, unless an underline makes it one
            if _UNDERLINE_H1_RE.search("\n".join(lines[s + 1:end])):
                return None
            front = "\n".join(lines[1 : fm_end - 1]) if fm_end else None
            return Head(front, fm_end, None, None)
    doc = parse_document("\n".join(lines[:k]) + "\n")
    if doc.budget is not None or (fm_end and doc.front_matter is None) or len(doc.tokens) <= doc.body_start:
        return None
    first = doc.tokens[doc.body_start]
    if first.type == "heading_open":
        lead = lead_heading(doc)
        start, stop = first.map or (s, k)
        if lead is not None and any(c in line for line in lines[start:stop] for c in "[]^"):
            return None
        return Head(doc.front_matter, doc.front_matter_lines, lead, None)
    if first.type == "paragraph_open" and (definitions or first.map is None or first.map[1] >= k) and \
            (definitions or _UNDERLINE_H1_RE.search("\n".join(lines[k:end]))):
        return None  # the paragraph may go on to an underline (a level-1 heading), or be a definition's title
    return Head(doc.front_matter, doc.front_matter_lines, None, None)
