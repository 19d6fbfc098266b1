"""Plugin ``comments``: Obsidian's ``%%comments%%`` are hidden, inline and as blocks.

Inline, ``%%…%%`` inside a paragraph disappears (at most :data:`MAX_COMMENT` characters, on the
paragraph's lines; an unclosed ``%%`` stays text).  A block that starts with a ``%%`` line hides every
line up to the next line that holds ``%%`` (to the end of the note when there is none, as in Obsidian);
``%% one line %%`` alone on its line hides that line.  Comments inside code are code.  Nothing hidden
reaches the HTML, the search index or a card.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

MAX_COMMENT = 4000


def _inline(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("%%", pos):
        return False
    end = src.find("%%", pos + 2, min(state.posMax, pos + 2 + MAX_COMMENT))
    if end < 0:
        return False
    state.pos = end + 2
    return True


def _line(state: StateBlock, n: int) -> str:
    return state.src[state.bMarks[n] + state.tShift[n]: state.eMarks[n]]


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False
    line = _line(state, start)
    if not line.startswith("%%"):
        return False
    rest = line[2:].rstrip()
    if "%%" in rest and not rest.endswith("%%"):
        return False  # "%%x%% more text": an inline comment in a paragraph
    if silent:
        return True
    last = start
    if not rest.endswith("%%"):
        last = start + 1
        while last < end and "%%" not in _line(state, last):
            last += 1
    state.line = min(last + 1, end)
    return True


def comments_plugin(md: MarkdownIt) -> None:
    """Hide ``%%comments%%`` (inline, and blocks that start with a ``%%`` line)."""
    md.inline.ruler.before("emphasis", "obsidian_comment", _inline)
    md.block.ruler.before("paragraph", "obsidian_comment", _block, {"alt": ["paragraph", "reference", "blockquote", "list"]})
