"""Plugin ``images``: a note's images, drawn as the caller's resolver decides.

The render's :class:`~.view_context.ViewContext` resolves each ``src`` to an
:class:`~.view_context.ImageResult`: a local file (drawn as ``<img class="note-figure">`` with the
safe URL the resolver gives), a remote image (shown with a fallback link, or only as a link in offline
documents: ``remote_images="link"``) or a missing one (a visible placeholder naming the file and why).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml

from explorer.notes.md.view_context import view_context


def _render_image(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    ctx = view_context(env)
    src = tok.attrGet("src") or ""
    alt = self.renderInlineAsText(tok.children, options, env)
    title = tok.attrGet("title")
    title_attr = f' title="{escapeHtml(title)}"' if title else ""
    res = ctx.resolve_image(src)
    if res.kind == "local":
        return f'<img src="{escapeHtml(res.src)}" alt="{escapeHtml(alt)}"{title_attr} class="note-figure">'
    if res.kind == "remote":
        link = (f'<a href="{escapeHtml(src)}" rel="noopener noreferrer">'
                f'{escapeHtml(alt or "image")}</a>')
        if ctx.remote_images == "link":
            return f'<span class="remote-figure">Online image (not included): {link}</span>'
        return (f'<span class="remote-figure"><img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} '
                f'loading="lazy" referrerpolicy="no-referrer"><span class="figure-fallback">Image from the web: '
                f"{link}</span></span>")
    why = f" ({escapeHtml(res.reason)})" if res.reason else ""
    return (f'<span class="missing-figure" role="img" aria-label="Figure not available: {escapeHtml(alt or src)}">'
            f"Figure not available: <code>{escapeHtml(src or '(no source)')}</code>{why}"
            + (f" — {escapeHtml(alt)}" if alt else "") + "</span>")


def images_plugin(md: MarkdownIt) -> None:
    """Render Markdown images through the view's resolver (local, remote or missing)."""
    md.add_render_rule("image", _render_image)
