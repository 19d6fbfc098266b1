"""Plugin ``glossary_terms``: the first use of each glossary term in each section links to its entry.

The render's :class:`~.view_context.ViewContext` carries the glossary (a
:class:`explorer.notes.glossary_links.TermMatcher`, or None: no links).  Text in headings and inside
links (``ViewContext.in_link``, kept by :mod:`.links`) is never linked; a top-level heading starts a
new section, in which each term links again once.  See :func:`glossary_anchor` for the HTML.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from explorer.notes.md.view_context import view_context


def glossary_anchor(term: Any, text: str, href_template: str, tip_id: str) -> str:
    """A glossary term: a link to its entry, described by a definition preview that is no tooltip
    attribute (``title`` cannot be opened by keyboard or touch).

    ``<span class="gloss-term">`` holds the link (``aria-describedby`` the preview, so screen readers
    read the definition after the term), the preview ``<span class="gloss-tip" role="tooltip"
    popover>`` (notes.css shows it while the term is hovered or the link has keyboard focus) and a
    ``<button class="gloss-more" popovertarget>`` that only touch screens show: tapping it opens the
    preview as a popover (HTML popover API: no script; Esc or a tap elsewhere closes it).
    """
    href = href_template.format(id=quote(term.id, safe=""))
    name = escapeHtml(text)
    return (f'<span class="gloss-term"><a class="gloss" href="{escapeHtml(href)}" aria-describedby="{tip_id}">{name}</a>'
            f'<span class="gloss-tip" id="{tip_id}" role="tooltip" popover="auto">{escapeHtml(term.definition)}</span>'
            f'<button type="button" class="gloss-more" popovertarget="{tip_id}" aria-label="Definition of {name}">'
            f"?</button></span>")


def _render_heading_open(self, tokens, idx, options, env) -> str:
    ctx = view_context(env)
    ctx.in_heading = True
    if tokens[idx].level == 0:
        ctx.glossary_seen.clear()  # each section links its own first use of a term
    return self.renderToken(tokens, idx, options, env)


def _render_heading_close(self, tokens, idx, options, env) -> str:
    view_context(env).in_heading = False
    return self.renderToken(tokens, idx, options, env)


def _render_text(self, tokens, idx, options, env) -> str:
    content = tokens[idx].content
    ctx = env.get("view")
    if ctx is None or ctx.glossary is None or ctx.in_heading or ctx.in_link:
        return escapeHtml(content)
    pieces: list[str] = []
    pos = 0
    for start, end, term in (ctx.glossary.matches(content) if ctx.keep else ctx.glossary.finditer(content)):
        if term.id in ctx.glossary_seen:
            continue
        ctx.glossary_seen.add(term.id)
        ctx.glossary_count += 1
        pieces.append(escapeHtml(content[pos:start]))
        pieces.append(glossary_anchor(term, content[start:end], ctx.glossary_href, f"{ctx.glossary_id}-{ctx.glossary_count}"))
        pos = end
    if not pieces:
        return escapeHtml(content)
    pieces.append(escapeHtml(content[pos:]))
    return "".join(pieces)


def glossary_terms_plugin(md: MarkdownIt) -> None:
    """Render text with glossary terms linked (first use per section; never in headings or links)."""
    md.add_render_rule("heading_open", _render_heading_open)
    md.add_render_rule("heading_close", _render_heading_close)
    md.add_render_rule("text", _render_text)
