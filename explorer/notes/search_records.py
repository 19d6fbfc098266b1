"""What search finds: one :class:`Record` per note, note section and YAML item, with its deep link.

Records: one per note (title, summary, tags, intro, footnotes), one per note section (heading + its
own text, Markdown syntax removed), and one per YAML item (vendor, rung, crosswalk stage,
certification, trend, glossary term, quarter, hierarchy tier, workflow and workflow component,
analogy row, platform role).  Each carries the page to open and the query parameters of the deep
link (see :mod:`explorer.routes`).  A record's ``head`` (title, heading) ranks above its ``body``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explorer.assess.ladders import rung_title
from explorer.notes.md.document import rough_text
from explorer.notes.note import Note
from explorer.routes import Link, link


@dataclass(frozen=True)
class Record:
    """One searchable item."""

    kind: str
    key: str  # stable, unique: "note:kaizen", "note:kaizen#what-kaizen-means", "level:azure-2"
    title: str
    context: str  # what the item belongs to (note title, vendor name, ...)
    head: str  # title / heading text (matches here rank first)
    body: str  # plain text
    link: Link
    source: str = "content"  # "content" or "upload"
    folder: str = ""  # a note's folder under the notes folder ("" at the top); YAML items have none


def _join(*parts: Any) -> str:
    out: list[str] = []
    for p in parts:
        if p is None:
            continue
        if isinstance(p, (list, tuple)):
            out.extend(str(x) for x in p if x)
        elif isinstance(p, Mapping):
            out.extend(str(x) for x in p.values() if x)
        elif str(p):
            out.append(str(p))
    return " · ".join(out)


def note_records(note: Note) -> list[Record]:
    """The records of one note: the note itself (title, summary, tags, intro, footnotes) and each section.

    The text comes from the note's one parse (:mod:`explorer.notes.note`): Markdown syntax is gone, code
    is kept (people search for commands), and each section holds only its own part.
    """
    folder, source = note.folder, note.source  # once per note (a path object per record is 1 ms per 64 notes)

    def record(section: str | None, title: str, context: str, body: str) -> Record:
        key = f"note:{note.id}" + (f"#{section}" if section else "")
        return Record(kind="note", key=key, title=title, context=context, head=title, body=body,
                      link=link("note", note.id, section=section) if section else link("note", note.id),
                      source=source, folder=folder)

    tags = " ".join(f"#{t}" for t in note.tags)
    if note.source == "upload" and not note.parsed:  # not opened yet: its words without a parse (explorer.notes.uploads)
        return [record(None, note.title, note.summary, _join(note.summary, tags, rough_text(note.body)))]
    out = [record(None, note.title, note.summary, _join(note.summary, tags, note.intro_text, note.footnotes_text))]
    out += [record(s.id, s.title, note.title, s.text) for s in note.sections]
    return out


def content_records(content: Any) -> list[Record]:
    """Records for every YAML part that loaded (a broken part is skipped, never raises)."""
    ok = content.ok
    out: list[Record] = []
    if ok("maturity"):
        for v in content.vendors:
            out.append(
                Record("vendor", f"vendor:{v.id}", f"{v.name}: {v.model_name}", v.name, f"{v.name} {v.model_name}",
                       _join(v.summary, v.caveats), link("vendor", v.id))
            )
            for lv in v.levels:
                title = f"{v.name} {rung_title(v, lv)}"
                cells = lv.cells.model_dump() if lv.cells else {}
                body = _join(lv.tagline, lv.summary, lv.details, lv.changes, lv.still_manual, cells, lv.components,
                             lv.triggers, lv.accounts, lv.capabilities, lv.technology)
                out.append(Record("level", f"level:{lv.id}", title, v.model_name, f"{title} {lv.tagline}", body,
                                  link("level", lv.id)))
    if ok("crosswalk"):
        for row in content.crosswalk.rows:
            out.append(Record("crosswalk", f"crosswalk:{row.id}", row.stage, "Maturity crosswalk", row.stage,
                              row.rationale, link("crosswalk", row.id)))
    if ok("certifications"):
        for c in content.certifications:
            exam = c.exam
            code = exam.code if exam and exam.code else ""
            body = _join(c.issuer, c.level, c.domain, c.status.replace("-", " "), c.status_note, c.summary,
                         code, exam.domains if exam else [], c.unconfirmed)
            out.append(Record("certification", f"certification:{c.id}", c.name, c.issuer,
                              _join(c.name, c.course_name, code), body, link("certification", c.id)))
    if ok("trends"):
        for t in content.trends.trends:
            out.append(Record("trend", f"trend:{t.id}", t.name, "Trend", t.name,
                              _join(t.summary, t.why_it_matters, t.caveat), link("trend", t.id)))
    if ok("glossary"):
        for term in content.glossary:
            out.append(Record("term", f"term:{term.id}", term.term, _join(term.aliases), _join(term.term, term.aliases),
                              term.definition, link("term", term.id)))
    if ok("breakdown"):
        for q in content.breakdown.quarters:
            out.append(Record("quarter", f"quarter:{q.id}", q.name, content.breakdown.title, _join(q.name, q.short),
                              _join(q.description, q.examples), link("quarter", q.id)))
    if ok("hierarchy"):
        for tier in content.hierarchy.tiers:
            out.append(Record("tier", f"tier:{tier.id}", tier.name, content.hierarchy.title, tier.name,
                              _join(tier.summary, tier.examples), link("tier", tier.id)))
    if ok("workflows"):
        for w in content.workflows.workflows:
            out.append(Record("workflow", f"workflow:{w.id}", w.name, w.spectrum, w.name,
                              _join(w.summary, w.spectrum, w.when_to_use), link("workflow", w.id)))
            for comp in w.components:
                out.append(Record("workflow", f"workflow:{w.id}/{comp.id}", comp.name, w.name, comp.name,
                                  _join(comp.description, comp.group), link("workflow", w.id, component=comp.id)))
    if ok("analogy"):
        for row in content.analogy.rows:
            out.append(Record("analogy", f"analogy:{row.id}", f"{row.food} → {row.ml}", content.analogy.title,
                              f"{row.food} {row.ml}", row.explanation, link("analogy", row.id)))
    if ok("platforms"):
        for role in content.platforms.roles:
            out.append(Record("platform", f"platform:{role.id}", role.name, "Cloud platforms", role.name,
                              _join(role.summary, role.criteria, role.examples), link("platform", role.id)))
    return out
