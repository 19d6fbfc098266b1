"""The study pack: one self-contained HTML file with every note, its figures, contents and glossary.

``build_study_pack(content)`` returns the HTML; ``python -m explorer export [-o FILE]`` writes it.

The file works offline and prints well:

* notes are rendered with the ``markdown`` package through :func:`explorer.render.render_note`
  (sanitised; figures inlined as ``data:`` URIs, missing ones shown as a placeholder naming the file);
* no external resources (remote images in notes become a link), no scripts, no web fonts;
* a table of contents links to every note (``#note-<id>``) and section (``#<note-id>--<section-id>``);
* glossary terms in the notes link to the glossary at the end (``#term-<id>``, definition on hover),
  and each glossary entry lists the sections that use it;
* light and dark colours follow ``prefers-color-scheme``; a print stylesheet starts each note on a
  new page and prints the address of external links.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import html
import re
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from . import CONTENT_DIR, FIGURES_DIR
from .cli import command
from .glossary_links import backlinks, build_matcher, link_terms
from .notes import Note
from .render import render_note

DEFAULT_TITLE = "MLOps course notes: study pack"
_REMOTE_IMG_RE = re.compile(r'<img\b[^>]*\bsrc="(https?://[^"]*)"[^>]*>', re.IGNORECASE)
_ALT_RE = re.compile(r'\balt="([^"]*)"')

CSS = """
:root { color-scheme: light dark; --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0;
  --accent: #0969da; --code-bg: #f6f8fa; --mark: #fff3b0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --accent: #4493f8;
    --code-bg: #f6f8fa; --mark: #6e5b00; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0 auto; max-width: 52rem; padding: 1.5rem 1.25rem 4rem; color: var(--fg); background: var(--bg);
  font: 16px/1.6 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; }
a { color: var(--accent); }
h1, h2, h3, h4, h5, h6 { line-height: 1.25; margin: 1.6em 0 0.5em; }
header.pack h1 { margin-top: 0.5em; }
.muted, .meta { color: var(--muted); font-size: 0.9em; }
nav.toc { border: 1px solid var(--line); border-radius: 8px; padding: 0.75rem 1.25rem; }
nav.toc ol { padding-left: 1.2em; margin: 0.2em 0; }
nav.toc > ol > li { margin: 0.35em 0; }
article.note { border-top: 2px solid var(--line); margin-top: 2.5rem; }
article.note > h1 { margin-top: 1em; }
.summary { font-style: italic; color: var(--muted); }
table { border-collapse: collapse; margin: 1em 0; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; font-size: 0.9em; }
:not(pre) > code { background: color-mix(in srgb, var(--code-bg) 15%, transparent); padding: 0.1em 0.3em; border-radius: 4px; }
pre { background: var(--code-bg); color: #1f2328; padding: 0.75em 1em; border-radius: 6px; overflow-x: auto;
  line-height: 1.4; white-space: pre; }
.codehilite { margin: 1em 0; }
img.note-figure { max-width: 100%; height: auto; display: block; margin: 1em auto; background: #fff; }
.missing-figure { display: inline-block; border: 1px dashed var(--muted); padding: 0.4em 0.7em; border-radius: 6px;
  color: var(--muted); }
blockquote { margin: 1em 0; padding: 0 1em; border-left: 4px solid var(--line); color: var(--muted); }
a.gloss { color: inherit; text-decoration: underline dotted; text-underline-offset: 2px; }
mark { background: var(--mark); color: inherit; }
dl.glossary dt { font-weight: 600; margin-top: 1em; }
dl.glossary dd { margin-left: 1.25em; }
.used-in, .aliases, .related { font-size: 0.9em; color: var(--muted); }
footer { margin-top: 3rem; border-top: 1px solid var(--line); padding-top: 1rem; }
@media print {
  :root { --fg: #000; --bg: #fff; --muted: #444; --line: #bbb; --accent: #000; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  nav.toc { border: none; padding: 0; page-break-after: always; }
  article.note, section.glossary { page-break-before: always; border-top: none; margin-top: 0; }
  h1, h2, h3, h4 { page-break-after: avoid; }
  pre, table, img, figure, blockquote { page-break-inside: avoid; }
  pre { white-space: pre-wrap; border: 1px solid #ccc; }
  a { text-decoration: none; }
  article a[href^="http"]::after { content: " (" attr(href) ")"; font-size: 0.85em; color: #444; word-break: break-all; }
}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _strip_remote_images(fragment: str) -> str:
    """Remote images would be fetched when the file opens: show a link instead."""

    def repl(m: re.Match) -> str:
        url = html.unescape(m.group(1))
        alt_m = _ALT_RE.search(m.group(0))
        alt = html.unescape(alt_m.group(1)) if alt_m else "image"
        return (f'<span class="missing-figure">Online image (not included): '
                f'<a href="{_e(url)}">{_e(alt or url)}</a></span>')

    return _REMOTE_IMG_RE.sub(repl, fragment)


def _toc(notes: list[Note]) -> str:
    out = ['<nav class="toc" aria-label="Contents"><h2 id="contents">Contents</h2><ol>']
    for note in notes:
        out.append(f'<li><a href="#note-{_e(note.id)}">{_e(note.title)}</a>')
        depth = -1
        for s in note.sections:
            d = s.depth
            if d > depth:
                out.append("<ol>" * (d - depth))
            else:
                out.append("</li>")
                if d < depth:
                    out.append("</ol></li>" * (depth - d))
            out.append(f'<li><a href="#{_e(note.id)}--{_e(s.id)}">{_e(s.title)}</a>')
            depth = d
        if depth >= 0:
            out.append("</li>" + "</ol></li>" * depth + "</ol>")
        out.append("</li>")
    out.append('<li><a href="#glossary">Glossary</a></li></ol></nav>')
    return "".join(out)


def _glossary(terms: list[Any], notes: list[Note], matcher: Any) -> str:
    if not terms:
        return ('<section class="glossary" id="glossary"><h1>Glossary</h1>'
                '<p class="muted">The glossary could not be loaded.</p></section>')
    titles = {n.id: n for n in notes}
    where = backlinks(notes, matcher)
    by_id = {t.id: t for t in terms}
    out = ['<section class="glossary" id="glossary"><h1>Glossary</h1><dl class="glossary">']
    for t in sorted(terms, key=lambda t: t.term.casefold()):
        out.append(f'<dt id="term-{_e(t.id)}">{_e(t.term)}</dt><dd>{_e(t.definition)}')
        if t.aliases:
            out.append(f'<div class="aliases">Also: {_e(", ".join(t.aliases))}</div>')
        rel = [by_id[r] for r in t.related if r in by_id]
        if rel:
            links = ", ".join(f'<a href="#term-{_e(r.id)}">{_e(r.term)}</a>' for r in rel)
            out.append(f'<div class="related">Related: {links}</div>')
        used = where.get(t.id, [])
        if used:
            items = []
            for note_id, sid in used[:12]:
                note = titles[note_id]
                sec = note.section(sid) if sid else None
                anchor = f"{note_id}--{sid}" if sec else f"note-{note_id}"
                label = f"{note.title} › {sec.title}" if sec else note.title
                items.append(f'<a href="#{_e(anchor)}">{_e(label)}</a>')
            more = f" and {len(used) - 12} more" if len(used) > 12 else ""
            out.append(f'<div class="used-in">Used in: {"; ".join(items)}{more}</div>')
        out.append("</dd>")
    out.append("</dl></section>")
    return "".join(out)


def build_study_pack(
    content: Any,
    notes: Iterable[Note] | None = None,
    *,
    title: str = DEFAULT_TITLE,
    figures_dir: Path = FIGURES_DIR,
    generated: _dt.date | None = None,
) -> str:
    """One self-contained HTML document: contents, every note (figures inline), glossary."""
    note_list = list(content.notes if notes is None else notes)
    terms = list(content.glossary) if content is not None and content.ok("glossary") else []
    matcher = build_matcher(terms) if terms else None
    generated = generated or _dt.date.today()
    body: list[str] = []
    for note in note_list:
        link = (lambda h, m=matcher: link_terms(h, m, href="#term-{id}", target=None)) if matcher else None
        rendered = render_note(note, figures_dir=figures_dir, id_prefix=f"{note.id}--", transform=link)
        rendered = _strip_remote_images(rendered)
        meta = []
        if note.week is not None:
            meta.append(f"Week {note.week}")
        if note.source == "upload":
            meta.append(f"uploaded file {note.filename}")
        if note.tags:
            meta.append(", ".join(f"#{t}" for t in note.tags))
        body.append(
            f'<article class="note" id="note-{_e(note.id)}"><h1>{_e(note.title)}</h1>'
            + (f'<p class="meta">{_e(" · ".join(meta))}</p>' if meta else "")
            + (f'<p class="summary">{_e(note.summary)}</p>' if note.summary else "")
            + rendered
            + '<p class="muted"><a href="#contents">Back to contents</a></p></article>'
        )
    count = f"{len(note_list)} note{'s' if len(note_list) != 1 else ''}, {len(terms)} glossary terms"
    doc = (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        '<meta name="color-scheme" content="light dark">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f'<header class="pack"><h1>{_e(title)}</h1><p class="muted">{_e(count)} · generated {generated.isoformat()}'
        " · works offline; print it or save it as PDF from the browser.</p></header>"
        + _toc(note_list)
        + "".join(body)
        + _glossary(terms, note_list, matcher)
        + '<footer class="muted">Made by the MLOps course-notes explorer. Sources are cited in each note.</footer>'
        + "</body></html>\n"
    )
    return doc


# --------------------------------------------------------------------------- CLI
def _export_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", default="study-pack.html", help="file to write, '-' for standard output (default: %(default)s)")
    p.add_argument("--content-dir", default=str(CONTENT_DIR), help="content folder (default: %(default)s)")
    p.add_argument("--title", default=DEFAULT_TITLE, help="title of the pack")


@command("export", "write the study pack: one offline HTML file with every note, figure and the glossary", _export_args)
def _export(args: argparse.Namespace) -> int:
    from .loader import load_content

    content = load_content(Path(args.content_dir))
    if not content.notes:
        print(f"error: no notes could be read from {args.content_dir}/notes", file=sys.stderr)
        for p in content.problems:
            print(f"  {p}", file=sys.stderr)
        return 1
    if content.errors:
        print(f"warning: {len(content.errors)} content problem(s); run `python -m explorer validate` for details",
              file=sys.stderr)
    doc = build_study_pack(content, title=args.title)
    if args.output == "-":
        sys.stdout.write(doc)
        return 0
    out = Path(args.output)
    out.write_text(doc, encoding="utf-8")
    print(f"wrote {out} ({len(doc.encode('utf-8')) / 1000:.0f} kB, {len(content.notes)} notes)")
    return 0
