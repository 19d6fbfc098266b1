""""Linked from" under a note: each note that links to it, with the sentence or list item around the link."""

from __future__ import annotations

from html import escape

from explorer.content.loader import Content
from explorer.notes.render import note_url

from .vault_view import session_backlinks
from .widgets import html

MAX_SHOWN = 50  # linking notes listed under one note


def backlinks_html(links, title: str) -> str:
    """The list (one ``st.html`` block; its links stay in the session through the page shell)."""
    items = []
    for b in links[:MAX_SHOWN]:
        where = f' <span class="backlink-folder">{escape(b.source_folder)}</span>' if b.source_folder else ""
        kind = " (embedded)" if b.embed else ""
        context = f'<span class="backlink-context">{escape(b.context)}</span>' if b.context else ""
        items.append(f'<li><a href="{escape(note_url(b.source_id))}">{escape(b.source_title)}</a>{where}{kind}'
                     f"{context}</li>")
    more = f"<p>…and {len(links) - MAX_SHOWN} more.</p>" if len(links) > MAX_SHOWN else ""
    return (f'<section class="app-links backlinks" aria-label="Notes that link to {escape(title)}">'
            f'<h2 class="backlinks-title">Linked from</h2><ul>{"".join(items)}</ul>{more}</section>')


def show_backlinks(note, content: Content, uploads: list) -> None:
    """Draw "Linked from" under ``note`` when other notes link to it (``uploads``: the session's uploaded notes)."""
    links = session_backlinks(content, uploads).get(note.id, ())
    if links:
        html(backlinks_html(links, note.title))
