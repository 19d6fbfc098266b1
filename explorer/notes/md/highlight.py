"""Plugin ``highlight``: Obsidian's ``==highlighted text==`` as ``<mark>``.

The text between the marks is Markdown (``==**bold** and [[links]]==``).  ``===`` is not a mark, a mark
never starts or ends with a space, and one never reaches past :data:`MAX_MARK` characters (the scan
ahead stays bounded on hostile input).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

MAX_MARK = 1000


def _mark(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if not src.startswith("==", pos) or src.startswith("===", pos) or (pos > 0 and src[pos - 1] == "="):
        return False
    start = pos + 2
    if start >= state.posMax or src[start].isspace():
        return False
    end = src.find("==", start, min(state.posMax, start + MAX_MARK))
    while end > 0 and src.startswith("===", end):
        end = src.find("==", end + 3, min(state.posMax, start + MAX_MARK))
    if end <= start or src[end - 1].isspace():
        return False
    if not silent:
        state.push("mark_open", "mark", 1).markup = "=="
        old_max = state.posMax
        state.pos, state.posMax = start, end
        state.md.inline.tokenize(state)
        state.posMax = old_max
        state.push("mark_close", "mark", -1).markup = "=="
    state.pos = end + 2
    return True


def highlight_plugin(md: MarkdownIt) -> None:
    """``==text==`` -> ``<mark>text</mark>``."""
    md.inline.ruler.before("emphasis", "highlight", _mark)
