""""Linked from" under a note: each note that links to it, with the sentence or list item around the link."""

from __future__ import annotations

from html import escape

from explorer.content.loader import Content
from explorer.notes.render import note_url

from .vault_view import session_backlinks
from .widgets import html

MAX_SHOWN = 50  # linking notes listed under one note


def backlinks_html(links, title: str) -> str:
    """The list, one item per linking note with the sentence around each of its links (one ``st.html``
    block; its links stay in the session through the page shell)."""
    by_source: dict[str, list] = {}
    for b in links:
        by_source.setdefault(b.source_id, []).append(b)
    items = []
    for group in list(by_source.values())[:MAX_SHOWN]:
        b = group[0]
        where = f' <span class="backlink-folder">{escape(b.source_folder)}</span>' if b.source_folder else ""
        kind = " (embedded)" if all(x.embed for x in group) else ""
        contexts = "".join(f'<span class="backlink-context">{escape(x.context)}</span>' for x in group if x.context)
        items.append(f'<li><a href="{escape(note_url(b.source_id))}">{escape(b.source_title)}</a>{where}{kind}'
                     f"{contexts}</li>")
    more = f"<p>…and {len(by_source) - MAX_SHOWN} more notes.</p>" if len(by_source) > MAX_SHOWN else ""
    return (f'<section class="app-links backlinks" aria-label="Notes that link to {escape(title)}">'
            f'<h2 class="backlinks-title">Linked from</h2><ul>{"".join(items)}</ul>{more}</section>')


def show_backlinks(note, content: Content, uploads: list) -> None:
    """Draw "Linked from" under ``note`` when other notes link to it (``uploads``: the session's uploaded notes)."""
    links = session_backlinks(content, uploads).get(note.id, ())
    if links:
        html(backlinks_html(links, note.title))
