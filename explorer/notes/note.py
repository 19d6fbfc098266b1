"""Markdown notes: the :class:`Note` a file becomes, all from one parse.

A note is a Markdown file (CommonMark + GitHub Flavored Markdown) with optional YAML front matter.
:func:`parse_note` parses it once with :mod:`explorer.notes.md` and derives everything from the tokens:

* **front matter** is tolerant (:mod:`explorer.notes.front_matter`): invalid YAML or a value of the
  wrong type never drops the note: the body loads and a notice says which line to fix and how;
* **sections** (:mod:`explorer.notes.sections`): every top-level heading starts a section whose id is
  the heading's GitHub id, so links written for GitHub land on it;
* **the title**: front matter ``title``, else a first-line ``# Heading``, else the file name.  A
  leading ``# Heading`` that *is* the title is not a section (it would repeat the title);
* **the id**: front matter ``id``, else the file name (:mod:`explorer.notes.ids`);
* **cards** written in the note (:mod:`explorer.notes.flashcards`).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from pathlib import PurePosixPath

from explorer.notes.flashcards import NoteCard, cards_under_id, note_cards
from explorer.notes.front_matter import NoteNotice, read_front_matter
from explorer.notes.ids import default_id
from explorer.notes.md.document import Doc, parse_document
from explorer.notes.sections import Section, build_sections, lead_heading, same_title

_WEEK_DIR_RE = re.compile(r"^week[\s_-]*(\d{1,3})$", re.IGNORECASE)


class NoteError(ValueError):
    """A note that cannot be read at all (not text)."""


@dataclass(frozen=True, eq=False)
class Note:
    id: str
    title: str
    text: str  # the whole file (newlines normalised)
    doc: Doc
    week: int | None = None
    order: int = 10_000
    tags: tuple[str, ...] = ()
    summary: str = ""
    date: str = ""
    source: str = "content"  # "content" (a file under content/notes) or "upload"
    filename: str = ""  # base name
    path: str = ""  # path relative to the notes folder, e.g. "week-2/containers.md"
    meta: tuple[tuple[str, str], ...] = ()  # front matter keys the app does not use, kept
    notices: tuple[NoteNotice, ...] = ()
    sections: tuple[Section, ...] = ()
    intro_ranges: tuple[tuple[int, int], ...] = ()  # token ranges before the first section
    title_heading: str | None = None  # id of the leading heading that is the title (not a section)
    digest: str = ""  # hash of the text: a cache key for everything derived from the note
    cards: tuple[NoteCard, ...] = ()
    intro_text: str = ""  # plain text before the first section (code included)
    intro_prose: str = ""  # the same without code
    footnotes_text: str = ""
    links: tuple = ()  # the [[links]] and ![[embeds]] it makes (explorer.notes.md.wikilinks.OutLink), for backlinks

    @property
    def body(self) -> str:
        """The Markdown after the front matter."""
        lines = self.text.split("\n")
        return "\n".join(lines[self.doc.front_matter_lines :])

    def document(self) -> Doc:
        """The parse of the note's text: kept, or parsed again for a light note (see :func:`light`)."""
        return self.doc if self.doc.tokens else parse_document(self.text)

    @property
    def images(self) -> tuple[str, ...]:
        return self.doc.images

    @property
    def folder(self) -> str:
        """The note's folder relative to the notes folder ("" at the top)."""
        parent = PurePosixPath(self.path).parent.as_posix()
        return "" if parent == "." else parent

    def section(self, section_id: str | None) -> Section | None:
        if not section_id:
            return None
        for s in self.sections:
            if s.id == section_id:
                return s
        return None

    def subtree(self, section_id: str) -> tuple[Section, ...]:
        """The section and every section nested under it, in document order."""
        head = self.section(section_id)
        if head is None:
            return ()
        return tuple(s for s in self.sections if head.start <= s.start < head.stop)

    def ranges(self, section_id: str | None = None, part: str = "all") -> tuple[tuple[int, int], ...]:
        """Token ranges of a view: the whole note, ``part="intro"``, or a section (``"all"``: with its
        subsections, ``"own"``: alone).  An unknown section id gives the whole note."""
        if part == "intro" and not section_id:
            return self.intro_ranges
        head = self.section(section_id)
        if head is None:
            first = self.sections[0].start if self.sections else self.doc.body_end
            return (*self.intro_ranges, *(((first, self.doc.body_end),) if self.sections else ()))
        return ((head.start, head.end if part == "own" else head.stop),)

    def anchor_section(self, anchor: str) -> tuple[bool, str | None]:
        """(exists, section id holding it; None = before the first section)."""
        if anchor == self.title_heading:
            return True, None
        idx = self.doc.anchors.get(anchor)
        if idx is None:
            m = re.fullmatch(r"fn(?:ref)?(\d+)(?::\d+)?", anchor)
            return (bool(m), None)
        holder = None
        for s in self.sections:
            if s.start <= idx:
                holder = s.id
            else:
                break
        return True, holder


def _normalize_newlines(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def with_id(note: Note, new_id: str) -> Note:
    """The note under another id (card ids follow it)."""
    return replace(note, id=new_id, cards=cards_under_id(note.cards, new_id))


def parse_note(text: str, filename: str, *, source: str = "content", path: str | None = None) -> Note:
    """Parse one note.  Never raises for bad front matter (see :attr:`Note.notices`).

    ``filename`` is the file's name (or its path relative to the notes folder, as ``path``).
    """
    text = _normalize_newlines(text)
    rel = PurePosixPath((path or filename).replace("\\", "/"))
    doc = parse_document(text)
    fm = read_front_matter(doc.front_matter)
    if doc.front_matter is None and text.startswith("---\n"):
        fm.notices.append(NoteNotice("the file starts with `---` but the front matter is never closed by a second "
                                     "`---` line, so it is shown as text.", 1))
    lead = lead_heading(doc)
    title_heading = None
    if fm.title:
        title = fm.title
        if lead is not None and same_title(lead.title, title):
            title_heading = lead
    elif lead is not None and lead.title:
        title, title_heading = lead.title, lead
    else:
        title = rel.stem.replace("_", " ").replace("-", " ").strip() or "Untitled"
    skip = title_heading.index if title_heading else None
    sections = build_sections(doc, skip)
    first_start = sections[0].start if sections else doc.body_end
    if skip is not None:
        intro = ((doc.body_start, skip), (skip + 3, first_start))
    else:
        intro = ((doc.body_start, first_start),)
    intro = tuple((a, b) for a, b in intro if b > a)
    week = fm.week
    if week is None:
        for part in rel.parts[:-1]:
            m = _WEEK_DIR_RE.match(part)
            if m:
                week = int(m.group(1))
    note_id = fm.id or default_id(rel)
    return Note(
        id=note_id,
        title=title,
        text=text,
        doc=doc,
        week=week,
        order=fm.order if fm.order is not None else 10_000,
        tags=tuple(fm.tags),
        summary=fm.summary or "",
        date=fm.date or "",
        source=source,
        filename=rel.name,
        path=rel.as_posix(),
        meta=tuple(fm.meta),
        notices=tuple(fm.notices),
        sections=sections,
        intro_ranges=intro,
        title_heading=title_heading.id if title_heading else None,
        digest=hashlib.sha1(f"{source}\0{rel.as_posix()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest(),
        cards=note_cards(note_id, doc, sections),
        intro_text=" ".join(doc.text(a, b) for a, b in intro).strip(),
        intro_prose=" ".join(doc.text(a, b, keep_code=False) for a, b in intro).strip(),
        footnotes_text=doc.text(doc.body_end, len(doc.tokens)),
        links=tuple(doc.env.get("wikilinks", ())),
    )


def light(note: Note) -> Note:
    """The note without its tokens (a tenth of the memory): everything derived from them stays, and
    rendering parses the text again (deterministic, so token indexes still match).  Used for notes a
    visitor uploads, which live in the session's memory."""
    return replace(note, doc=replace(note.doc, tokens=(), env={}))

