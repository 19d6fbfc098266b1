"""Where a note's formulas are, found without parsing it: what the parse budget's pre-scan may discount (issue #23).

The pre-scan (:mod:`.parse_budget`) counts ``_``, ``*``, ``&``, ``|``, ``[``... as markup the engine spends time
on.  Inside a formula the engine reads none of them (the math rule takes a formula whole), so a math-heavy
note -- a 200x200 matrix, hundreds of ``$x_{i}$`` -- looked far costlier than it is and was shown as plain
text.  :func:`find` returns the formulas' text, so that :func:`.parse_budget.estimate` can take their markup
off again (and weigh each formula instead).

Only what the engine certainly reads as a formula (or as code, which is cheap too) is returned; where this scan
cannot be sure, nothing of that paragraph or block is, so a hostile note gains nothing by looking like math:

* **inline** ``$...$`` on one line, in a paragraph (text between blank lines) whose every ``$`` is accounted
  for: paired by the engine's rules (not escaped, no space inside the delimiters, braces balanced, the closer
  not followed by a letter, a digit or ``_``), escaped, or followed by a space, a backtick or the end.  The
  openers of such a paragraph look through its formulas only, so the engine's look-ahead limits
  (:data:`.math.MAX_SCAN`, :data:`.math.MAX_SCAN_TOTAL`) never turn one of them into text.  A paragraph with
  anything that could take a ``$`` into another construct -- a link destination or reference (``](``, ``][``),
  a wikilink or footnote (``[[``, ``[^``), a tag or autolink (``<`` before a letter, ``/``, ``!`` or ``?``), a
  web address (``://``, ``www.``, ``@``), a comment (``%%``), ``$$``, or a table with a ``|`` inside a formula
  -- is not discounted;
* **display** ``$$`` blocks and ```` ```math ```` fences that open at the start of a line after a blank line
  (so no list or quote holds them; as the engine's rules say where they end) and hold no line that could
  end a construct around them (a fence, ``---``, ``...``, ``%%``, a table's delimiter row first); none at all
  in a note with an HTML block that may span blank lines (``<pre``, ``<script``, ``<style``, ``<textarea``,
  ``<!``, ``<?``).

Linear: one regular-expression pass for the blocks, then one pass over each paragraph that has a ``$``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.notes.md.math import MAX_SCAN, MAX_SCAN_TOTAL

_BLOCK_OPEN_RE = re.compile(r"(?:\A|\n[ \t]*\n)(?=\$\$|(`{3,}|~{3,})[ \t]*math[ \t]*(?:\n|\Z))")
_SPANNING_HTML_RE = re.compile(r"^ {0,3}<(?:pre|script|style|textarea|!|\?)", re.IGNORECASE | re.MULTILINE)
_ENDS_SOMETHING_RE = re.compile(r"^ {0,3}(?:`{3,}|~{3,})|^(?:---|\.\.\.)[ \t]*$|%%", re.MULTILINE)
_DELIMITER_ROW_RE = re.compile(r"[ \t|:-]*-[ \t|:-]*")
_BLANK_RE = re.compile(r"\n[ \t]*\n")
_TABLE_ROW_RE = re.compile(r"^[ \t:-]*\|[ \t|:-]*$", re.MULTILINE)
_UNSURE_RE = re.compile(r"\$\$|\]\(|\]\[|\[\[|\[\^|://|www\.|@|%%|<[A-Za-z/!?]")
_FORMULA_RE = re.compile(r"((?:[^$\\\n`]|\\[^\n`])+)\$")
_ESCAPE_RE = re.compile(r"\\.")
_NO_CLOSE_AFTER = frozenset("0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class Found:
    """The formulas a note certainly has: inline TeX joined by ``\\0``, display blocks' lines joined by ``\\n``."""

    inline: str = ""
    blocks: str = ""
    formulas: int = 0


def find(text: str) -> Found:
    """The formulas of ``text`` that the pre-scan may discount (see the module doc)."""
    if "$" not in text and "math" not in text:
        return Found()
    spans = [] if _SPANNING_HTML_RE.search(text) else _blocks(text)
    rest, last = [], 0
    for start, end in spans:
        rest.append(text[last:start])
        last = end
    rest.append(text[last:])
    inline: list[str] = []
    for part in rest:
        if "$" in part:
            for chunk in _BLANK_RE.split(part):
                if "$" in chunk:
                    inline += _inline(chunk)
    blocks = [text[s:e] for s, e in spans]
    return Found("\0".join(inline), "\n".join(blocks), len(inline) + len(blocks))


def _lines(text: str, pos: int):
    """(start, end) of each line from ``pos`` on."""
    n = len(text)
    while pos < n:
        end = text.find("\n", pos)
        end = n if end < 0 else end
        yield pos, end
        pos = end + 1


def _blocks(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    done = 0
    for m in _BLOCK_OPEN_RE.finditer(text):
        start = m.end()
        if start < done:
            continue
        eol = text.find("\n", start)
        eol = len(text) if eol < 0 else eol
        after = text.find("\n", eol + 1)
        if _DELIMITER_ROW_RE.fullmatch(text[eol + 1:len(text) if after < 0 else after]):
            continue  # the table rule, tried first, would read the opening line as a table's header
        end = _fence_end(text, eol, m[1]) if m[1] else _display_end(text, start)
        if end is None:
            continue
        spans.append((start, end))
        done = end
    return spans


def _display_end(text: str, start: int) -> int | None:
    """The end of a ``$$`` block opening at ``start`` as :func:`.math.math_block_rule` reads it, or None (also when
    a line inside could end a construct around it)."""
    lines = _lines(text, start)
    s, e = next(lines)
    first = text[s + 2:e].rstrip()
    if "$$" in first:
        end = e if first.endswith("$$") and "$$" not in first[:-2] else None
    else:
        end = None
        for s, e in lines:
            line = text[s:e].strip()
            if not line or line.endswith("$$"):
                end = e if line and "$$" not in line[:-2] else None
                break
    return None if end is None or _ENDS_SOMETHING_RE.search(text, start, end) else end


def _fence_end(text: str, eol: int, fence: str) -> int | None:
    """The end of a ```` ```math ```` fence whose opening line ends at ``eol``: its closing line, or the end of the
    text (unclosed); None when a line inside could end a construct around it."""
    closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.MULTILINE)
    m = closer.search(text, eol + 1)
    inner_end, end = (m.start(), m.end()) if m is not None else (len(text), len(text))
    return None if _ENDS_SOMETHING_RE.search(text, eol + 1, inner_end) else end


def _inline(chunk: str) -> list[str]:
    """The formulas of one paragraph when every ``$`` in it is accounted for, else none (see the module doc)."""
    if _UNSURE_RE.search(chunk):
        return []
    tabular = _TABLE_ROW_RE.search(chunk) is not None
    out: list[str] = []
    pos = scanned = 0
    while True:
        i = chunk.find("$", pos)
        if i < 0:
            return out
        pos = i + 1
        if _escaped(chunk, i):
            continue
        nxt = chunk[i + 1:i + 2]
        if not nxt or nxt.isspace() or nxt == "`":
            continue  # the engine does not look ahead from here (a $`...`$ formula is not discounted)
        m = _FORMULA_RE.match(chunk, i + 1)
        if m is None:
            return []
        tex = m[1]
        close = m.end() - 1
        scanned += len(tex)
        if (tex[-1].isspace() or chunk[close + 1:close + 2] in _NO_CLOSE_AFTER or len(tex) >= MAX_SCAN
                or scanned >= MAX_SCAN_TOTAL or (tabular and "|" in tex) or not _balanced(tex)):
            return []
        out.append(tex)
        pos = close + 1


def _escaped(src: str, pos: int) -> bool:
    n = 0
    while pos - n - 1 >= 0 and src[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _balanced(tex: str) -> bool:
    """Braces balanced, never closing more than opened (escaped ones do not count), as the engine reads them."""
    if "{" not in tex and "}" not in tex:
        return True
    depth = 0
    for c in _ESCAPE_RE.sub("", tex):
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0
