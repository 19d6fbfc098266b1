"""Plugin ``callouts``: Obsidian callouts, ``> [!tip] Title``, foldable with ``+`` / ``-``, nested.

A block quote whose first line is ``[!type]`` (any type: ``note``, ``tip``, ``warning``, ``example``,
your own) with an optional fold sign and title becomes a callout::

    > [!tip]- Why this matters        -> <details class="callout callout-tip"> (closed)
    > The body, any Markdown.             <summary class="callout-title">Why this matters</summary> ...

``+`` folds it open, ``-`` closed (``<details>``/``<summary>``: keyboard and screen readers need no
script); without a sign it is a plain ``<div class="callout">``.  Without a title the type is the title.
Callouts nest (a callout inside a callout's quote).  GitHub alerts (``> [!NOTE]`` alone on its line, one
of GitHub's five types) stay GitHub alerts: markdown-it makes them before this rule runs.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

_MARKER_RE = re.compile(r"^\[!([A-Za-z][\w-]{0,30})\]([+-]?)[ \t]*")


def _match(tokens: list[Token], i: int) -> re.Match | None:
    if i + 2 >= len(tokens) or tokens[i + 1].type != "paragraph_open" or tokens[i + 2].type != "inline":
        return None
    kids = tokens[i + 2].children or []
    if not kids or kids[0].type != "text":
        return None
    return _MARKER_RE.match(kids[0].content)


def _close_of(tokens: list[Token], i: int) -> int | None:
    level = tokens[i].level
    for j in range(i + 1, len(tokens)):
        if tokens[j].type == "blockquote_close" and tokens[j].level == level:
            return j
    return None


def _callouts(state: StateCore) -> None:
    tokens = state.tokens
    if not any(t.type == "blockquote_open" for t in tokens):
        return
    out: list[Token] = []
    closes: dict[int, dict] = {}  # index of a blockquote_close -> its callout
    skip: set[int] = set()  # the marker line's paragraph when it held nothing else
    for i, tok in enumerate(tokens):
        if i in skip:
            continue
        if i in closes:
            close = Token("callout_close", "div", -1)
            close.meta, close.level = closes.pop(i), tok.level
            out.append(close)
            continue
        m = _match(tokens, i) if tok.type == "blockquote_open" else None
        end = _close_of(tokens, i) if m else None
        if m is None or end is None:
            out.append(tok)
            continue
        meta = {"kind": m.group(1).lower(), "fold": m.group(2)}
        closes[end] = meta
        opener = Token("callout_open", "div", 1)
        opener.meta, opener.level, opener.map, opener.markup = meta, tok.level, tok.map, ">"
        out.append(opener)
        out += _title_tokens(tokens[i + 2], m, meta, tok.level)
        inline = tokens[i + 2]
        kids = list(inline.children or [])
        br = next((k for k, c in enumerate(kids) if c.type in ("softbreak", "hardbreak")), len(kids))
        if br < len(kids):
            body = inline.copy()
            body.children = kids[br + 1:]
            body.content = inline.content.split("\n", 1)[1] if "\n" in inline.content else ""
            tokens[i + 2] = body  # the paragraph goes on with the lines after the marker
        else:
            skip.update((i + 1, i + 2, i + 3))
    state.tokens = out


def _title_tokens(inline: Token, m: re.Match, meta: dict, level: int) -> list[Token]:
    kids = list(inline.children or [])
    br = next((k for k, c in enumerate(kids) if c.type in ("softbreak", "hardbreak")), len(kids))
    title_kids = kids[:br]
    first = title_kids[0].copy()
    first.content = first.content[m.end():]
    title_kids = [first, *title_kids[1:]] if first.content.strip() else title_kids[1:]
    title = Token("inline", "", 0)
    title.children, title.level, title.map = title_kids, level + 1, inline.map
    title.content = inline.content.split("\n", 1)[0][m.end():]
    if not title_kids:
        default = Token("text", "", 0)
        default.content = title.content = meta["kind"].replace("-", " ").capitalize()
        title.children = [default]
    t_open, t_close = Token("callout_title_open", "p", 1), Token("callout_title_close", "p", -1)
    t_open.meta = t_close.meta = meta
    return [t_open, title, t_close]


def _render_open(self, tokens, idx, options, env) -> str:
    m = tokens[idx].meta
    cls = f"callout callout-{escapeHtml(m['kind'])}"
    if m["fold"]:
        return f'<details class="{cls}"{" open" if m["fold"] == "+" else ""}>\n'
    return f'<div class="{cls}">\n'


def _render_title_open(self, tokens, idx, options, env) -> str:
    return '<summary class="callout-title">' if tokens[idx].meta["fold"] else '<p class="callout-title">'


def _render_title_close(self, tokens, idx, options, env) -> str:
    return ("</summary>" if tokens[idx].meta["fold"] else "</p>") + '\n<div class="callout-content">\n'


def _render_close(self, tokens, idx, options, env) -> str:
    return "</div>\n</details>\n" if tokens[idx].meta["fold"] else "</div>\n</div>\n"


def callouts_plugin(md: MarkdownIt) -> None:
    """Obsidian callouts from block quotes that start with ``[!type]`` (GitHub alerts are left alone)."""
    md.core.ruler.before("heading_ids", "callouts", _callouts)
    md.add_render_rule("callout_open", _render_open)
    md.add_render_rule("callout_title_open", _render_title_open)
    md.add_render_rule("callout_title_close", _render_title_close)
    md.add_render_rule("callout_close", _render_close)
