"""Plugin ``links``: in-note ``#anchors`` resolved for the view, web links without referrer.

A ``#fragment`` link whose target is in the rendered view stays as written; one whose target is
elsewhere in the note goes to the section that holds it (the view's ``anchor_target``); one whose
target does not exist is marked ``dead-anchor`` with an explanation.  ``http(s)`` links get
``rel="noopener noreferrer"``.  The plugin also keeps ``ViewContext.in_link`` (how many links the
renderer is inside), which :mod:`.glossary_terms` reads so that it never links inside a link.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from explorer.notes.md.view_context import view_context


def _render_link_open(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    ctx = view_context(env)
    ctx.in_link += 1
    href = tok.attrGet("href") or ""
    attrs = dict(tok.attrs)
    if href.startswith("#") and len(href) > 1:
        frag = unquote(href[1:])
        if frag not in ctx.in_view:
            target = ctx.anchor_target(frag)
            if target is not None:
                attrs["href"] = target
            else:
                attrs["class"] = "dead-anchor"
                attrs["title"] = "This link points to a place that does not exist in this note"
    elif re.match(r"https?://", href):
        attrs["rel"] = "noopener noreferrer"
    out = "<a"
    for k, v in attrs.items():
        out += f' {k}="{escapeHtml(str(v))}"'
    return out + ">"


def _render_link_close(self, tokens, idx, options, env) -> str:
    ctx = view_context(env)
    ctx.in_link = max(0, ctx.in_link - 1)
    return "</a>"


def links_plugin(md: MarkdownIt) -> None:
    """Render links: in-note anchors resolved for the view, dead ones marked, web links without referrer."""
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
