"""The study pack: one self-contained HTML file with every note, its figures, contents and glossary.

``build_study_pack(content)`` returns the HTML (``python -m explorer export`` writes it).  The page
comes from the Jinja2 template ``templates/study_pack.html.j2`` (autoescaped) with the shared note
typography (``templates/notes.css``); each note is rendered from its one parse by
:func:`explorer.notes.render.render_note`, exactly as in the app:

* sanitised; figures inlined as ``data:`` URIs, missing ones shown as a placeholder naming the file; an
  uploaded note's images imported with its folder or .zip (``images``: the session's, by path) too, under
  the same byte budget per note as in the app, ``![[name.png]]`` found by name as Obsidian does;
* no external resources (remote images become a link), no scripts, no web fonts;
* a table of contents links to every note (``#note-<id>``) and section (``#<note-id>--<section-id>``);
* glossary terms in the notes link to the glossary at the end (``#term-<id>``), and each glossary
  entry lists the sections that use it;
* light and dark colours follow ``prefers-color-scheme``; a print stylesheet starts each note on a
  new page and prints the address of external links.
"""

from __future__ import annotations

import datetime as _dt
import posixpath
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from explorer.notes.glossary_links import backlinks, build_matcher
from explorer.notes.md.math_offline import typeset_math
from explorer.notes.md.mermaid import offline
from explorer.notes.note import Note
from explorer.notes.render import DEFAULT_ROOTS, ImageRoots, render_note
from explorer.notes.vault_links import VaultIndex

DEFAULT_TITLE = "MLOps course notes: study pack"
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
MAX_USES_LISTED = 12


@lru_cache(maxsize=1)
def templates() -> Environment:
    """The Jinja2 environment for every HTML document the app writes (autoescaping on)."""
    return Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                       trim_blocks=False, lstrip_blocks=False)


def template_text(name: str) -> str:
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _toc(note: Note) -> Markup:
    """Nested <ol> of a note's sections (depths from the note's parse)."""
    out: list[str] = []
    depth = -1
    for s in note.sections:
        d = s.depth
        if d > depth:
            out.append("<ol>" * (d - depth))
        else:
            out.append("</li>")
            if d < depth:
                out.append("</ol></li>" * (depth - d))
        out.append(f'<li><a href="#{escape(note.id)}--{escape(s.id)}">{escape(s.title)}</a>')
        depth = d
    if depth >= 0:
        out.append("</li>" + "</ol></li>" * depth + "</ol>")
    return Markup("".join(out))


class _ByName(Mapping):
    """A session's images by path that also finds one by its name, the nearest first, as Obsidian's
    ``![[name.png]]`` does: the pack draws notes without a vault, so an embed's target reaches the image
    lookup as a path in the note's folder (``Lectures/3/loss.png`` for ``Images/loss.png``)."""

    def __init__(self, images: Mapping[str, Any]) -> None:
        self._images = dict(images)
        self._index = VaultIndex([], self._images)

    def __getitem__(self, path: str) -> Any:
        if path in self._images:
            return self._images[path]
        found = self._index.resolve_image(posixpath.basename(path), path).path
        if found is None:
            raise KeyError(path)
        return self._images[found]

    def __iter__(self) -> Iterator[str]:
        return iter(self._images)

    def __len__(self) -> int:
        return len(self._images)


def _glossary_rows(terms: list[Any], notes: list[Note], matcher: Any) -> list[dict]:
    by_note = {n.id: n for n in notes}
    where = backlinks(notes, matcher) if matcher else {}
    by_id = {t.id: t for t in terms}
    rows = []
    for t in sorted(terms, key=lambda t: t.term.casefold()):
        used = []
        for note_id, sid in where.get(t.id, [])[:MAX_USES_LISTED]:
            note = by_note[note_id]
            sec = note.section(sid)
            used.append({
                "anchor": f"{note_id}--{sid}" if sec else f"note-{note_id}",
                "label": f"{note.title} › {sec.title}" if sec else note.title,
            })
        extra = len(where.get(t.id, [])) - MAX_USES_LISTED
        rows.append({
            "id": t.id, "term": t.term, "definition": t.definition, "aliases": list(t.aliases),
            "related": [by_id[r] for r in t.related if r in by_id], "used": used,
            "more": f" and {extra} more" if extra > 0 else "",
        })
    return rows


def build_study_pack(
    content: Any,
    notes: Iterable[Note] | None = None,
    *,
    title: str = DEFAULT_TITLE,
    roots: ImageRoots = DEFAULT_ROOTS,
    generated: _dt.date | None = None,
    images: Mapping[str, Any] | None = None,
) -> str:
    """One self-contained HTML document: contents, every note (figures inline), glossary.

    ``images``: a session's own images by path (an imported folder's, :mod:`explorer.notes.vault_import`),
    inlined in the uploaded notes as in the app (:func:`explorer.notes.render.render_note`)."""
    note_list = list(content.notes if notes is None else notes)
    terms = list(content.glossary) if content is not None and content.ok("glossary") else []
    matcher = build_matcher(terms) if terms else None
    images = _ByName(images) if images else None
    rendered = []
    for note in note_list:
        meta = []
        if note.week is not None:
            meta.append(f"Week {note.week}")
        if note.source == "upload":
            meta.append(f"uploaded file {note.filename}")
        if note.tags:
            meta.append(", ".join(f"#{t}" for t in note.tags))
        html = offline(render_note(note, roots=roots, glossary=matcher, glossary_href="#term-{id}", id_prefix=f"{note.id}--",
                                   remote_images="link", section_url=lambda _note, _section: "",
                                   images=images if note.source == "upload" else None))  # diagrams as source
        html = typeset_math(html)  # formulas as MathML (the pack has no script to typeset them)
        rendered.append({"id": note.id, "title": note.title, "meta": " · ".join(meta), "summary": note.summary,
                         "toc": _toc(note), "html": Markup(html)})
    count = f"{len(note_list)} note{'s' if len(note_list) != 1 else ''}, {len(terms)} glossary terms"
    return templates().get_template("study_pack.html.j2").render(
        title=title, count=count, generated=(generated or _dt.date.today()).isoformat(),
        css=Markup(template_text("study_pack.css")), notes_css=Markup(template_text("notes.css")),
        notes=rendered, terms=_glossary_rows(terms, note_list, matcher),
    )
