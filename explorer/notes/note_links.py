"""The HTML of Obsidian links in one rendered view: targets, previews, missing notes and embeds.

:class:`LinkView` is what :mod:`explorer.notes.md.wikilinks` asks at render time (``ViewContext.links``).
It resolves through a :class:`explorer.notes.vault_links.Vault` from the rendered note's own path:

* a link to a note or a section is a plain ``<a href="?note=…&section=…#anchor">``, the same URL as
  every other note link (:func:`explorer.notes.render.note_url`), so the page shell keeps the move
  in the session, the address bar follows and Back returns;
* every link to a note has a preview (title, folder, first paragraph) in the glossary's pattern
  (:func:`explorer.notes.md.glossary_terms.glossary_anchor`): shown while the link is hovered or
  focused, read by screen readers through ``aria-describedby``, and opened on touch screens by the
  small button after it;
* a link to a note that is not in the vault is a dimmed, focusable ``<span class="wikilink-missing">``
  described by a tip saying so (no brackets);
* a view parses at most :data:`MAX_PARSES` linked notes that were not parsed yet (notes are parsed lazily):
  links to further ones go to the note itself, with its title and folder but no paragraph;
* ``![[note]]`` and ``![[note#Heading]]`` show the note or section inline, one level deep: an embed
  inside an embedded note, an embed of the note itself, or more than :data:`MAX_EMBEDS` embeds in a
  view become links.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markdown_it.common.utils import escapeHtml

from explorer.notes.md.slug import github_slug
from explorer.notes.vault_links import Resolved, Vault

MAX_EMBEDS = 10  # note embeds drawn inline per view (the rest are links)
MAX_PREVIEW = 280  # characters of a preview's paragraph
MAX_PARSES = 20  # linked notes not parsed yet that one view may parse; links to more go to the note, no preview


@dataclass(frozen=True)
class LinkInfo:
    href: str | None  # None: the note (or the heading in this note) does not exist
    title: str = ""
    folder: str = ""
    preview: str = ""
    missing_why: str = ""


def preview_text(note: Any) -> str:
    """The first paragraph of a note, for its preview (its summary when it has one)."""
    text = (getattr(note, "summary", "") or getattr(note, "intro_prose", "") or "").strip()
    if not text and getattr(note, "sections", ()):
        doc = note.document()
        s = note.sections[0]
        text = doc.text(s.start, s.end, keep_code=False)
    return text if len(text) <= MAX_PREVIEW else text[: MAX_PREVIEW - 1].rstrip() + "…"


@dataclass
class LinkView:
    """Resolves the wikilinks of one rendered view of ``note`` (see the module doc)."""

    vault: Vault
    note: Any  # the rendered note
    section_url: Callable[[str, str | None], str]
    render_embed: Callable[[Any, str | None], str]  # (note, section id) -> sanitised HTML of that view
    depth: int = 0  # 1 inside an embedded note: embeds there are links
    embeds: int = 0
    parses: int = 0  # notes not parsed yet that this view had parsed (for a heading or a preview)
    _cache: dict[tuple[str, str | None], LinkInfo] = field(default_factory=dict)

    # ---------------------------------------------------------------- targets
    def _section(self, target_note: Any, heading: str | None) -> tuple[bool, str | None, str | None]:
        """(heading exists, section id holding it, anchor) in ``target_note``."""
        if not heading:
            return True, None, None
        slug = github_slug(heading)
        if target_note.section(slug) is not None:
            return True, slug, None
        exists, holder = target_note.anchor_section(slug)
        return exists, holder, slug if exists else None

    def resolve(self, target: str) -> Resolved:
        return self.vault.index.resolve(target, self.note.path)

    def info(self, target: str, heading: str | None) -> LinkInfo:
        key = (target, heading)
        if key not in self._cache:
            self._cache[key] = self._info(target, heading)
        return self._cache[key]

    def _info(self, target: str, heading: str | None) -> LinkInfo:
        res = self.resolve(target)
        other = self.vault.note(res.note_id) if res.note_id else None
        if other is None:
            return LinkInfo(None, missing_why=f"“{target}” is not in your notes")
        title = other.title
        folder = posixpath.dirname(other.path) if other.path else ""
        if not getattr(other, "parsed", True):  # its heading and first paragraph need a parse of that note
            if self.parses >= MAX_PARSES:
                return LinkInfo(self.section_url(other.id, None), title, folder)
            self.parses += 1
        exists, section, anchor = self._section(other, heading)
        href = self.section_url(other.id, section) + (f"#{quote(anchor, safe='')}" if anchor else "")
        if heading and not exists:
            href = self.section_url(other.id, None)  # the heading went away: the note itself
        return LinkInfo(href, title, folder, preview_text(other))

    def image(self, target: str) -> str:
        """The ``src`` of an embedded image, relative to the rendered note's folder (as Markdown images are)."""
        res = self.vault.index.resolve_image(target, self.note.path)
        if res.path is None:
            return target
        return posixpath.relpath(res.path, posixpath.dirname(self.note.path) or ".")

    # ---------------------------------------------------------------- HTML
    def link_html(self, target: str, heading: str | None, ctx: Any) -> tuple[str, str]:
        """(opening, closing) HTML around a link's text; the closing part holds its preview."""
        if not target:  # [[#Heading]]: a place in this note
            slug = github_slug(heading or "")
            href = f"#{quote(slug, safe='')}" if slug in ctx.in_view else ctx.anchor_target(slug)
            if href is not None:
                return f'<a class="wikilink" href="{escapeHtml(href)}">', "</a>"
            info = LinkInfo(None, missing_why=f"“{heading}” is not a heading of this note")
        else:
            info = self.info(target, heading)
        ctx.glossary_count += 1
        tip = f"{ctx.glossary_id}-l{ctx.glossary_count}"
        if info.href is None:
            return (f'<span class="gloss-term note-link"><span class="wikilink-missing" tabindex="0" '
                    f'aria-describedby="{tip}">',
                    f'</span><span class="gloss-tip" id="{tip}" role="tooltip" popover="auto">'
                    f"{escapeHtml(info.missing_why)}</span>"
                    f'<button type="button" class="gloss-more" popovertarget="{tip}" aria-label="Why this link is dimmed">'
                    f"?</button></span>")
        where = f'<span class="preview-folder">{escapeHtml(info.folder)}</span>' if info.folder else ""
        body = f'<span class="preview-text">{escapeHtml(info.preview)}</span>' if info.preview else ""
        title = escapeHtml(info.title)
        return (f'<span class="gloss-term note-link"><a class="wikilink" href="{escapeHtml(info.href)}" '
                f'aria-describedby="{tip}">',
                f'</a><span class="gloss-tip note-preview" id="{tip}" role="tooltip" popover="auto">'
                f'<strong class="preview-title">{title}</strong>{where}{body}</span>'
                f'<button type="button" class="gloss-more" popovertarget="{tip}" aria-label="Preview of {title}">'
                f"?</button></span>")

    def embed_html(self, target: str, heading: str | None, ctx: Any) -> str | None:
        """The embedded note or section, or None when it is shown as a link instead."""
        if self.depth >= 1 or self.embeds >= MAX_EMBEDS or not target:
            return None
        res = self.resolve(target)
        other = self.vault.note(res.note_id) if res.note_id else None
        if other is None or other.id == self.note.id:
            return None
        exists, section, _ = self._section(other, heading)
        if heading and (not exists or section is None):
            return None
        self.embeds += 1
        inner = self.render_embed(other, section)
        info = self.info(target, heading)
        label = other.title + (f" › {other.section(section).title}" if section else "")
        return (f'<section class="note-embed" aria-label="{escapeHtml("Embedded: " + label)}">'
                f'<p class="embed-title"><a href="{escapeHtml(info.href or "")}">{escapeHtml(label)}</a></p>'
                f"{inner}</section>")
