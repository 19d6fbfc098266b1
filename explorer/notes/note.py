"""Markdown notes: the :class:`Note` a file becomes, read in two steps.

A note is a Markdown file (CommonMark + GitHub Flavored Markdown) with optional YAML front matter.

* **The head** (:mod:`explorer.notes.note_head`): the front matter and the first block only.  It gives
  everything a listing needs: the id, title, week, order, tags, summary, date, folder and the
  front matter's notices.  :func:`scan_note` reads only this (the loader does, for every file).
* **The body**: one parse with :mod:`explorer.notes.md` and everything derived from its tokens:
  the sections, the intro and footnote text, the cards, the images.  It is made once, on the first
  access of any of those attributes (thread-safe), or by :meth:`Note.document` when the note is first
  drawn (that parse is then also the one drawn).  A note the loader read keeps its body without the
  tokens (a tenth of the memory); :meth:`Note.document` parses the text again to draw it.
  :func:`parse_note` makes both at once and keeps the tokens (uploads then drop them, see :func:`light`).
* **An edit** of a shipped note parses only the sections it changed: the parses of the last few shipped
  notes drawn are kept by path (:data:`_RECENT_SIZE`, never an upload's), and the next parse of the same
  path starts from them (:mod:`explorer.notes.md.reparse`; the whole text when the parts depend on each other).

What the parts mean:

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
from collections import OrderedDict
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from threading import Lock

from explorer.notes.flashcards import NoteCard, cards_under_id, note_cards
from explorer.notes.front_matter import NoteNotice, read_front_matter
from explorer.notes.ids import default_id
from explorer.notes.md.document import Doc, parse_document
from explorer.notes.md.reparse import reparse
from explorer.notes.note_head import read_head
from explorer.notes.sections import Section, build_sections, lead_heading, same_title

_WEEK_DIR_RE = re.compile(r"^week[\s_-]*(\d{1,3})$", re.IGNORECASE)


class NoteError(ValueError):
    """A note that cannot be read at all (not text)."""


@dataclass(frozen=True)
class Body:
    """Everything derived from one parse of a note's text (``doc.tokens`` empty in a light body)."""

    doc: Doc
    sections: tuple[Section, ...]
    intro_ranges: tuple[tuple[int, int], ...]  # token ranges before the first section
    title_heading: str | None  # id of the leading heading that is the title (not a section)
    cards: tuple[NoteCard, ...]
    intro_text: str  # plain text before the first section (code included)
    intro_prose: str  # the same without code
    footnotes_text: str
    links: tuple = ()  # its [[links]] and ![[embeds]] (explorer.notes.md.wikilinks.OutLink), for backlinks


def _make_body(text: str, note_id: str, title: str, fm_title: bool, doc: Doc | None = None) -> Body:
    doc = parse_document(text) if doc is None else doc
    lead = lead_heading(doc)
    title_heading = None
    if lead is not None and (same_title(lead.title, title) if fm_title else bool(lead.title)):
        title_heading = lead
    skip = title_heading.index if title_heading else None
    sections = build_sections(doc, skip)
    first_start = sections[0].start if sections else doc.body_end
    if skip is not None:
        intro = ((doc.body_start, skip), (skip + 3, first_start))
    else:
        intro = ((doc.body_start, first_start),)
    intro = tuple((a, b) for a, b in intro if b > a)
    intro_text = " ".join(doc.text(a, b) for a, b in intro).strip()
    return Body(
        doc=doc, sections=sections, intro_ranges=intro, title_heading=title_heading.id if title_heading else None,
        cards=note_cards(note_id, doc, sections),
        intro_text=intro_text,
        intro_prose=_same(intro_text, " ".join(doc.text(a, b, keep_code=False) for a, b in intro).strip()),
        footnotes_text=doc.text(doc.body_end, len(doc.tokens)),
        links=tuple(doc.env.get("wikilinks", ())),
    )


def _same(a: str, b: str) -> str:
    """``b``, or ``a`` itself when they are equal (one string kept instead of two)."""
    return a if a == b else b


def _as_plain_text(text: str) -> str:
    """``text`` as one fenced code block (what a note the engine cannot read is shown as)."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}\n"


def _without_tokens(body: Body) -> Body:
    return body if not body.doc.tokens else replace(body, doc=replace(body.doc, tokens=(), env={}))


_FRESH: OrderedDict[int, tuple[_Lazy, Doc]] = OrderedDict()  # the last few parses' tokens, for the draw that follows
_FRESH_SIZE = 8
_FRESH_LOCK = Lock()


def _keep_fresh(lazy: _Lazy, doc: Doc) -> None:
    with _FRESH_LOCK:
        _FRESH[id(lazy)] = (lazy, doc)
        while len(_FRESH) > _FRESH_SIZE:
            _FRESH.popitem(last=False)


def _take_fresh(lazy: _Lazy) -> Doc | None:
    with _FRESH_LOCK:
        got = _FRESH.pop(id(lazy), None)
    return got[1] if got is not None and got[0] is lazy else None


_RECENT: OrderedDict[str, tuple[str, Doc]] = OrderedDict()  # a shipped note's path -> (text, parse): the last few
_RECENT_SIZE = 4
_RECENT_CHARS = 500_000  # texts kept together at most (their parses take 4-30 times that: ~1 MB for four 12 kB notes)
_RECENT_LOCK = Lock()


def _parse_text(text: str, recent_key: str | None, *, keep: bool = True) -> Doc:
    """The parse of ``text``: when the last parse of the same shipped note (``recent_key``, its path) is kept,
    only the sections an edit changed are parsed again (:mod:`explorer.notes.md.reparse`), else the whole text.
    The parse is kept for the next edit (``keep``; else only in place of a kept one: the indexer's parses do not
    push out the notes the pages draw)."""
    if recent_key is None:
        return parse_document(text)
    with _RECENT_LOCK:
        last = _RECENT.get(recent_key)
    if last is not None and last[0] == text:
        return last[1]
    doc = reparse(last[0], last[1], text) if last is not None else None
    if doc is None:
        doc = parse_document(text)
    with _RECENT_LOCK:
        if keep or recent_key in _RECENT:
            _RECENT[recent_key] = (text, doc)
            _RECENT.move_to_end(recent_key)
        while len(_RECENT) > _RECENT_SIZE or (len(_RECENT) > 1 and sum(len(t) for t, _ in _RECENT.values()) > _RECENT_CHARS):
            _RECENT.popitem(last=False)
    return doc


def recent_docs() -> dict[str, tuple[str, Doc]]:
    """The kept parses (path -> (text, parse)), for tests."""
    with _RECENT_LOCK:
        return dict(_RECENT)


class _Lazy:
    """A note's body, made once on first use (thread-safe); ``keep_tokens`` False keeps it light.

    A page that reads a light note's sections and then draws it parses it once: :meth:`Note.document` takes the
    parse kept by path for a shipped note (:data:`_RECENT`), and for an upload the tokens of the last few parses
    made for a page (not the indexer's, :data:`_FRESH_SIZE`)."""

    parses = 0  # full parses made by every _Lazy in this process (tests count them)

    def __init__(self, text: str, note_id: str, title: str, fm_title: bool, keep_tokens: bool,
                 body: Body | None = None, recent_key: str | None = None) -> None:
        self._args = (text, note_id, title, fm_title)
        self.keep_tokens = keep_tokens
        self.body = body
        self.recent_key = recent_key  # a shipped note's path: its parse is kept for the next edit (see _parse_text)
        self._lock = Lock()

    def _parse(self, keep: bool = True) -> tuple[Body, Doc]:
        text, note_id, title, fm_title = self._args
        _Lazy.parses += 1
        try:
            full = _make_body(text, note_id, title, fm_title, _parse_text(text, self.recent_key, keep=keep))
        except (RecursionError, ValueError):
            if self.keep_tokens:  # parse_note: the caller decides (uploads refuse the file)
                raise
            full = _make_body(_as_plain_text(text), note_id, title, fm_title)  # a file on disk: shown as text
        return full, full.doc

    def get(self, keep_fresh: bool = True) -> Body:
        body = self.body
        if body is None:
            with self._lock:
                if self.body is None:
                    full, doc = self._parse(keep=keep_fresh)
                    self.body = full if self.keep_tokens else _without_tokens(full)
                    if keep_fresh and not self.keep_tokens and self.recent_key is None:
                        _keep_fresh(self, doc)  # a shipped note's parse is kept by path already (_parse_text)
                body = self.body
        return body

    def first_doc(self) -> Doc | None:
        """The full parse when this call makes the body (it is drawn right away), else None."""
        if self.body is not None:
            return None
        with self._lock:
            if self.body is not None:
                return None
            full, doc = self._parse()
            self.body = full if self.keep_tokens else _without_tokens(full)
            return doc

    def renamed(self, new_id: str, body_map) -> _Lazy:
        """The same body for the note under another id (cards follow the id); parsed on demand."""
        twin = _Lazy(*self._args[:1], new_id, *self._args[2:], self.keep_tokens, recent_key=self.recent_key)
        if self.body is not None:
            twin.body = body_map(self.body)
        return twin


@dataclass(frozen=True, eq=False)
class Note:
    id: str
    title: str
    text: str  # the whole file (newlines normalised)
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
    digest: str = ""  # hash of the text: a cache key for everything derived from the note
    front_matter_lines: int = 0  # lines the front matter block takes (0 without one)
    lazy: _Lazy | None = field(default=None, repr=False)

    # ---- the body (parsed on first access)
    @property
    def parsed(self) -> bool:
        """Has the body been made?  Listings read only the head and never make it."""
        return self.lazy is not None and self.lazy.body is not None

    @property
    def doc(self) -> Doc:
        return self.lazy.get().doc

    @property
    def sections(self) -> tuple[Section, ...]:
        return self.lazy.get().sections

    @property
    def intro_ranges(self) -> tuple[tuple[int, int], ...]:
        return self.lazy.get().intro_ranges

    @property
    def title_heading(self) -> str | None:
        return self.lazy.get().title_heading

    @property
    def cards(self) -> tuple[NoteCard, ...]:
        return self.lazy.get().cards

    @property
    def intro_text(self) -> str:
        return self.lazy.get().intro_text

    @property
    def intro_prose(self) -> str:
        return self.lazy.get().intro_prose

    @property
    def footnotes_text(self) -> str:
        return self.lazy.get().footnotes_text

    @property
    def links(self) -> tuple:
        """The ``[[links]]`` and ``![[embeds]]`` the note makes (:class:`explorer.notes.md.wikilinks.OutLink`)."""
        return self.lazy.get().links

    def known_sections(self) -> tuple[Section, ...]:
        """The sections if the body is made, else () (for listings: never parses)."""
        return self.lazy.body.sections if self.parsed else ()

    @property
    def body(self) -> str:
        """The Markdown after the front matter."""
        lines = self.text.split("\n")
        return "\n".join(lines[self.front_matter_lines :])

    def document(self) -> Doc:
        """The parse of the note's text, with its tokens: kept, made now (once), or parsed again for a
        light note (see :func:`light`; deterministic, so token indexes still match)."""
        first = self.lazy.first_doc()
        if first is not None:
            return first
        fresh = _take_fresh(self.lazy)
        if fresh is not None:
            return fresh
        doc = self.lazy.get().doc
        if doc.tokens:
            return doc
        return _parse_text(self.text, self.lazy.recent_key)  # kept for the next edit of a shipped note

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
    return replace(note, id=new_id,
                   lazy=note.lazy.renamed(new_id, lambda b: replace(b, cards=cards_under_id(b.cards, new_id))))


def scan_note(text: str, filename: str, *, source: str = "content", path: str | None = None,
              keep_tokens: bool = False) -> Note:
    """Read a note's head only (front matter and first block); the body is parsed on first use.

    Never raises for bad front matter (see :attr:`Note.notices`).  ``filename`` is the file's name (or
    its path relative to the notes folder, as ``path``).  ``keep_tokens``: keep the body's tokens.
    """
    text = _normalize_newlines(text)
    rel = PurePosixPath((path or filename).replace("\\", "/"))
    head = read_head(text)
    fm = read_front_matter(head.front_matter)
    if head.front_matter is None and text.startswith("---\n"):
        fm.notices.append(NoteNotice("the file starts with `---` but the front matter is never closed by a second "
                                     "`---` line, so it is shown as text.", 1))
    if fm.title:
        title = fm.title
    elif head.lead is not None and head.lead.title:
        title = head.lead.title
    else:
        title = rel.stem.replace("_", " ").replace("-", " ").strip() or "Untitled"
    week = fm.week
    if week is None:
        for part in rel.parts[:-1]:
            m = _WEEK_DIR_RE.match(part)
            if m:
                week = int(m.group(1))
    note_id = fm.id or default_id(rel)
    lazy = _Lazy(text, note_id, title, bool(fm.title), keep_tokens, recent_key=rel.as_posix() if source == "content" and not keep_tokens else None)
    if head.doc is not None:  # the head needed the whole parse: keep it as the body
        _Lazy.parses += 1
        full = _make_body(text, note_id, title, bool(fm.title), head.doc)
        lazy.body = full if keep_tokens else _without_tokens(full)
    return Note(
        id=note_id,
        title=title,
        text=text,
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
        digest=hashlib.sha1(f"{source}\0{rel.as_posix()}\0{text}".encode("utf-8", "surrogatepass")).hexdigest(),
        front_matter_lines=head.front_matter_lines,
        lazy=lazy,
    )


def parse_note(text: str, filename: str, *, source: str = "content", path: str | None = None) -> Note:
    """Parse one note fully now, keeping its tokens.  Never raises for bad front matter."""
    note = scan_note(text, filename, source=source, path=path, keep_tokens=True)
    note.lazy.get()
    return note


def parse_count() -> int:
    """Full parses of note bodies made in this process so far (tests and the bench count them)."""
    return _Lazy.parses


def light(note: Note) -> Note:
    """The note without its tokens (a tenth of the memory): everything derived from them stays, and
    rendering parses the text again (deterministic, so token indexes still match).  Used for notes a
    visitor uploads, which live in the session's memory, and for every note the loader reads."""
    body = note.lazy.get()
    lazy = _Lazy(note.text, note.id, note.title, False, False, _without_tokens(body))
    return replace(note, lazy=lazy)
