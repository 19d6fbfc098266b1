"""Plugin ``math``: ``$...$``, ``$$...$$`` and ```` ```math ````, with GitHub's rules for what is math.

What counts as math (GitHub's documented syntax; where GitHub is silent, pandoc's and pulldown-cmark's rules,
which GitHub's follow, plus one rule of ours for shell text):

* inline ``$x_0$``: the opening ``$`` is not followed by a space or another ``$``; the closing ``$`` is the
  first unescaped one outside braces (``$\\text{a $b$}$`` is one formula), is not preceded by a space and not
  followed by a letter, a digit or ``_``.  So a price (``$5 and $10``), shell text (``$HOME``, ``echo $VAR``,
  ``PATH=$PATH:$HOME/bin``) and a lone ``$`` stay text; ``\\$`` is a dollar;
* inline ``$`...`$`` (GitHub's form for TeX full of Markdown characters): backticks inside dollars;
* display ``$$...$$``: inside a paragraph, or as a block of its own lines (no blank line inside);
* a fenced block with the info string ``math``.

Math is an inline element with the precedence of a code span (the leftmost one wins), so nothing inside a
code span or block is math, and nothing inside a formula is Markdown: ``_`` and ``*`` make no emphasis,
no escape is eaten, no link or HTML is read.

Formulas become tokens ``math_inline`` / ``math_inline_double`` / ``math_block`` at parse time.  When a view is
rendered each formula becomes a ``<math>`` element that holds only its TeX (``semantics`` > ``annotation``
``application/x-tex``): it is typeset where it is shown.  In the app the visitor's browser typesets it with Temml
(``components/note_math``, which checks the MathML against the sanitiser's allow-list before inserting it), so a
render costs the server no typesetting; documents without the app's script (the offline study pack) typeset the
same elements on the server with latex2mathml (:func:`.math_offline.typeset_math`).  Here a formula costs only
:func:`.math_tex.check_tex` (its length, depth and braces: linear) and its share of the view's
:class:`.math_tex.Budget` (formulas and characters).  A formula refused by the check shows its source in a code
style with a short reason; past the budget the rest show their source and the first of them says why.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from explorer.notes.md.math_tex import MAX_TEX_CHARS, Budget, TexError, check_tex

MAX_SCAN = 8192
"""Characters an opening ``$`` looks ahead for its closing one (a longer formula is text)."""
MAX_SCAN_TOTAL = 100_000
"""Characters all openers of one paragraph may look through in all (``${`` repeated 2,000 times would look
through 8 million); past it a ``$`` in that paragraph is text."""
MAX_SOURCE_SHOWN = 600
"""Characters of a formula's TeX shown when it is not typeset (a 200x200 matrix is 80,000; the note holds the rest)."""
_NO_CLOSE_AFTER = frozenset("0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
BUDGET_NOTICE = ("This note has more math than is typeset at once: this formula and the ones after it "
                 "are shown as TeX.")


def _escaped(src: str, pos: int) -> bool:
    """Whether ``src[pos]`` is preceded by an odd number of backslashes."""
    n = 0
    while pos - n - 1 >= 0 and src[pos - n - 1] == "\\":
        n += 1
    return n % 2 == 1


def _find_close(state: StateInline, start: int, double: bool) -> int | None:
    """Index of the closing ``$`` (or ``$$``) for content starting at ``start``, or None.

    Skips escaped characters and ``$`` inside braces; a ``}`` that closes nothing ends the search.  What
    is looked through counts towards the paragraph's :data:`MAX_SCAN_TOTAL`."""
    src, end = state.src, min(state.posMax, start + MAX_SCAN)
    depth, i, found = 0, start, None
    while i < end:
        c = src[i]
        if c == "\\":
            i += 2
            continue
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                break
        elif c == "$" and depth == 0:
            if not double or (i + 1 < state.posMax and src[i + 1] == "$"):
                found = i
            break
        i += 1
    state._math_scanned = getattr(state, "_math_scanned", 0) + (i - start)
    return found


def _backtick_math(state: StateInline, silent: bool) -> bool:
    """GitHub's ``$`...`$``."""
    src, pos, maximum = state.src, state.pos, state.posMax
    run = pos + 1
    while run < maximum and src[run] == "`":
        run += 1
    ticks = src[pos + 1:run]
    close = src.find(ticks + "$", run, min(maximum, run + MAX_SCAN))
    while close != -1 and src[close - 1] == "`":  # a longer run of backticks is not the closing one
        close = src.find(ticks + "$", close + 1, min(maximum, run + MAX_SCAN))
    if close == -1:
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = src[run:close]
        token.markup = "$" + ticks
    state.pos = close + len(ticks) + 1
    return True


def math_inline_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    if src[pos] != "$" or _escaped(src, pos) or pos + 1 >= state.posMax:
        return False
    nxt = src[pos + 1]
    if nxt == "`":
        return _backtick_math(state, silent)
    if getattr(state, "_math_scanned", 0) >= MAX_SCAN_TOTAL:
        return False
    if nxt == "$":  # $$...$$ inside a paragraph: display math
        close = _find_close(state, pos + 2, double=True)
        if close is None:
            return False
        if not silent:
            token = state.push("math_inline_double", "math", 0)
            token.content = src[pos + 2:close]
            token.markup = "$$"
        state.pos = close + 2
        return True
    if nxt.isspace():
        return False
    close = _find_close(state, pos + 1, double=False)
    if close is None or src[close - 1].isspace() or (close + 1 < len(src) and src[close + 1] in _NO_CLOSE_AFTER):
        return False
    if not silent:
        token = state.push("math_inline", "math", 0)
        token.content = src[pos + 1:close]
        token.markup = "$"
    state.pos = close + 1
    return True


def math_block_rule(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    """``$$`` at the start of a line, up to the line that ends with ``$$`` (no blank line in between)."""
    if state.is_code_block(start):
        return False
    pos, line_end = state.bMarks[start] + state.tShift[start], state.eMarks[start]
    if not state.src.startswith("$$", pos):
        return False
    first = state.src[pos + 2:line_end].rstrip()
    if "$$" in first:  # on one line: a block only when the line ends with its closing $$
        if not first.endswith("$$") or "$$" in first[:-2]:
            return False
        if not silent:
            _push_block(state, first[:-2], start, start + 1)
        state.line = start + 1
        return True
    parts, line = [first], start + 1
    while line < end:
        if state.isEmpty(line) or state.sCount[line] < state.blkIndent:
            return False  # a blank line or the end of the container: not a display block (the paragraph may still hold one)
        text = state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]].rstrip()
        if text.endswith("$$"):
            if "$$" in text[:-2]:
                return False
            parts.append(text[:-2])
            if not silent:
                _push_block(state, "\n".join(parts), start, line + 1)
            state.line = line + 1
            return True
        parts.append(text)
        line += 1
    return False


def _push_block(state: StateBlock, content: str, start: int, after: int) -> None:
    token = state.push("math_block", "math", 0)
    token.block = True
    token.content = content
    token.markup = "$$"
    token.map = [start, after]


def _math_fences(state: StateCore) -> None:
    """A fenced block whose info string is ``math`` is display math."""
    for tok in state.tokens:
        if tok.type == "fence" and tok.info.strip().split(None, 1)[:1] == ["math"]:
            tok.type, tok.tag = "math_block", "math"


def tex_element(tex: str, display: bool) -> str:
    """A formula as the ``<math>`` element that holds only its TeX (see the module doc)."""
    mode = "block" if display else "inline"
    return (f'<math display="{mode}"><semantics><annotation encoding="application/x-tex">'
            f"{escapeHtml(tex.strip())}</annotation></semantics></math>")


def source_with_notice(tex: str, markup: str, reason: str | None) -> str:
    """A formula shown as its TeX (the first :data:`MAX_SOURCE_SHOWN` characters), with ``reason`` as a quiet notice."""
    closing = "`$" if markup.startswith("$`") else markup
    shown = tex if len(tex) <= MAX_SOURCE_SHOWN else f"{tex[:MAX_SOURCE_SHOWN]}… ({len(tex) - MAX_SOURCE_SHOWN:,} more characters)"
    source = f'<code class="math-source">{escapeHtml(markup + shown + closing)}</code>'
    return source if reason is None else f'{source} <small class="math-notice">{escapeHtml(reason)}</small>'


def render_math(tex: str, display: bool, env: dict, markup: str) -> str:
    """A formula as a TeX-only ``<math>`` element, or its source with the reason it is not typeset (module doc)."""
    budget = env.get("math_budget")
    if not isinstance(budget, Budget):  # what the browser will typeset: formulas and characters (no server CPU here)
        budget = env["math_budget"] = Budget(cpu_s=float("inf"))
    seen = env.get("math_seen")
    if not isinstance(seen, set):
        seen = env["math_seen"] = set()
    was_exhausted = budget.exhausted
    key = (tex, display)  # a formula met again in the view costs nothing more (the browser reuses it)
    if key not in seen and not budget.take(min(len(tex), MAX_TEX_CHARS)):  # a longer one is refused below
        return source_with_notice(tex, markup, None if was_exhausted else BUDGET_NOTICE)
    seen.add(key)
    try:
        check_tex(tex.strip())
    except TexError as exc:
        return source_with_notice(tex, markup, f"Formula not typeset: {exc}.")
    return tex_element(tex, display)


def _render_inline(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    return render_math(tok.content, tok.type == "math_inline_double", env, tok.markup)


def _render_block(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    markup = "$$" if tok.markup == "$$" else ""
    body = render_math(tok.content, True, env, markup)
    return f'<div class="math-block">{body}</div>\n'


def math_plugin(md: MarkdownIt) -> None:
    """Parse and render math (see the module doc)."""
    md.inline.ruler.before("escape", "math_inline", math_inline_rule)
    md.block.ruler.before("fence", "math_block", math_block_rule)
    md.core.ruler.after("block", "math_fences", _math_fences)
    md.add_render_rule("math_inline", _render_inline)
    md.add_render_rule("math_inline_double", _render_inline)
    md.add_render_rule("math_block", _render_block)
