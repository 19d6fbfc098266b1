"""Markdown notes: tolerant front matter, sections and their text, all from one parse.

A note is a Markdown file (CommonMark + GitHub Flavored Markdown) with optional YAML front matter.
:func:`parse_note` parses it once with :mod:`explorer.notes.md` and derives everything from the tokens:

* **front matter** is tolerant: the known keys are typed (``id``, ``title``, ``week``, ``order``,
  ``tags``, ``summary``), common aliases map onto them (``tag``/``categories``/``keywords`` ->
  tags, ``description``/``excerpt`` -> summary, ``weight``/``nav_order`` -> order; ``date`` is
  kept and shown), every other key (Jekyll's ``layout``, Obsidian's ``aliases``, Hugo's ``toc``,
  ...) is kept as metadata.  Invalid YAML or a value of the wrong type never drops the note: the
  body loads and a :class:`NoteNotice` says which line to fix and how;
* **sections**: every top-level heading starts a section whose id is the heading's GitHub id
  (``## 1.1 First example`` -> ``11-first-example``), so links written for GitHub land on it;
  headings that skip levels nest under the nearest shallower one;
* **the title**: front matter ``title``, else a first-line ``# Heading``, else the file name.  A
  leading ``# Heading`` that *is* the title is not a section (it would repeat the title).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import PurePosixPath
from typing import Any

from explorer.notes.md.document import Doc, parse_document

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_WEEK_DIR_RE = re.compile(r"^week[\s_-]*(\d{1,3})$", re.IGNORECASE)
MAX_META_VALUE = 200

TAG_KEYS = ("tags", "tag", "categories", "category", "keywords")
SUMMARY_KEYS = ("summary", "description", "excerpt")
ORDER_KEYS = ("order", "weight", "nav_order")


class NoteError(ValueError):
    """A note that cannot be read at all (not text)."""


def slugify(text: str) -> str:
    """Lower-case ASCII slug for note ids: runs of anything not a letter or digit become one hyphen.

    Accented letters lose their accents; a name with no ASCII letters at all (e.g. Japanese) keeps
    its own letters so that it still gets an id.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not slug:
        slug = re.sub(r"[\W_]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug or "note"


@dataclass(frozen=True)
class NoteNotice:
    """Something about a note's front matter the writer may want to fix (the note still loads)."""

    message: str
    line: int | None = None  # line in the file (1-based)
    severity: str = "warning"  # "warning" (a value was ignored) or "info" (kept as metadata)

    def __str__(self) -> str:
        return (f"line {self.line}: " if self.line else "") + self.message


@dataclass(frozen=True)
class Section:
    id: str  # GitHub heading id, unique in the note
    title: str
    level: int  # 1-6 as written
    depth: int  # nesting depth in the contents (0 = top)
    parent: str | None
    line: int  # 1-based line of the heading in the file
    start: int  # token index of the heading
    end: int  # token index where the section's own text ends (next heading)
    stop: int  # token index where the section and its subsections end
    text: str  # plain text of the section's own part (code included)
    prose: str  # the same without code


@dataclass(frozen=True)
class NoteCard:
    """A flashcard written in a note (syntax: :func:`explorer.notes.md.note_cards.note_cards_plugin`)."""

    id: str  # stable while the question's text stays the same: "note:<note id>:<slug>-<hash>"
    front: str
    back: str
    section: str | None  # the section it sits in (None: before the first section)
    line: int  # 1-based line in the file
    kind: str  # "inline", "block" or "heading"


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


# --------------------------------------------------------------------------- front matter
def _normalize_newlines(text: str) -> str:
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _key_lines(node: Any, offset: int) -> dict[str, int]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + offset for k, _ in node.value}


def _read_yaml(raw: str, offset: int) -> tuple[Any, dict[str, int], list[NoteNotice]]:
    """Parse front matter YAML: (data, key -> file line, notices).  Never raises."""
    if not raw.strip():
        return {}, {}, []
    import yaml  # with the first front matter to read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(raw)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
        lines = _key_lines(node, offset)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + offset if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        hint = ("Check that every line is `key: value`, that a value containing `: ` or starting with "
                "`[`, `{`, `*` or `@` is in quotes, and that lists are indented consistently.")
        return None, {}, [NoteNotice(f"the front matter is not valid YAML ({problem}); it was ignored and the "
                                     f"note's text is shown. {hint}", line)]
    except (RecursionError, ValueError, MemoryError, TypeError) as exc:
        why = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc).split("\n")[0][:200]
        return None, {}, [NoteNotice(f"the front matter could not be read ({why}); it was ignored.", offset)]
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, {}, [NoteNotice("the front matter should be `key: value` lines; it was ignored.", offset)]
    return data, lines, []


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 1_000_000 else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        return int(value)
    return None


def _as_tags(value: Any) -> list[str] | None:
    if isinstance(value, str):
        parts = re.split(r"[,\s]+", value) if "," not in value else value.split(",")
        return [p.strip().lstrip("#") for p in parts if p.strip().lstrip("#")]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            t = _as_text(v)
            if t is None:
                return None
            if t.lstrip("#"):
                out.append(t.lstrip("#"))
        return out
    return None


def _short(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        text = ", ".join(_as_text(v) or str(v) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {_as_text(v) or v}" for k, v in value.items())
    else:
        text = _as_text(value) or str(value)
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return text if len(text) <= MAX_META_VALUE else text[: MAX_META_VALUE - 1] + "…"


@dataclass
class FrontMatter:
    id: str | None = None
    title: str | None = None
    week: int | None = None
    order: int | None = None
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    date: str | None = None
    meta: list[tuple[str, str]] = field(default_factory=list)
    notices: list[NoteNotice] = field(default_factory=list)


def read_front_matter(raw: str | None, first_line: int = 2) -> FrontMatter:
    """Typed front matter from raw YAML.  ``first_line``: the file line of the YAML's first line."""
    fm = FrontMatter()
    if raw is None:
        return fm
    data, lines, notices = _read_yaml(raw, first_line)
    fm.notices.extend(notices)
    if not data:
        return fm

    def bad(key: str, expected: str) -> None:
        fm.notices.append(NoteNotice(f"`{key}` should be {expected}; the value {_short(data[key])!s} was ignored.",
                                     lines.get(key)))

    for key, value in data.items():
        key_s = str(key)
        low = key_s.lower()
        if low == "id":
            text = _as_text(value)
            if text and _ID_RE.match(text):
                fm.id = text
            elif text and slugify(text) and _ID_RE.match(slugify(text)):
                fm.id = slugify(text)
                fm.notices.append(NoteNotice(f"`id` should use lower-case letters, digits and hyphens; "
                                             f"“{_short(text)}” is used as `{fm.id}`.", lines.get(key_s), "info"))
            else:
                bad(key_s, "lower-case letters, digits and hyphens, such as `week-2-containers`")
        elif low == "title":
            text = _as_text(value)
            if text:
                fm.title = text
            else:
                bad(key_s, "text, such as `title: Containers for ML`")
        elif low == "week" or low in ORDER_KEYS:
            name = "week" if low == "week" else "order"
            n = _as_int(value)
            if n is not None:
                setattr(fm, name, n)
            else:
                bad(key_s, f"a whole number, such as `{name}: {2 if name == 'week' else 3}`")
        elif low in TAG_KEYS:
            tags = _as_tags(value)
            if tags is not None:
                fm.tags.extend(t for t in tags if t not in fm.tags)
            else:
                bad(key_s, "a list, such as `tags: [docker, kubernetes]`")
        elif low in SUMMARY_KEYS:
            text = _as_text(value)
            if text is not None:
                fm.summary = fm.summary or text
            else:
                bad(key_s, "one line of text")
        elif low == "date":
            text = _as_text(value)
            if text is not None:
                m = re.match(r"\d{4}-\d{2}-\d{2}", text)
                fm.date = m.group(0) if m else text
            else:
                bad(key_s, "a date, such as `date: 2026-11-29`")
        else:
            fm.meta.append((key_s, _short(value)))
    if fm.meta:
        keys = ", ".join(f"`{k}`" for k, _ in fm.meta[:12]) + (" …" if len(fm.meta) > 12 else "")
        fm.notices.append(NoteNotice(f"kept as metadata (not used by the app): {keys}.",
                                     lines.get(fm.meta[0][0]), "info"))
    return fm


# --------------------------------------------------------------------------- sections
def _same_title(a: str, b: str) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip().casefold()

    return norm(a) == norm(b)


def _sections(doc: Doc, skip: int | None) -> tuple[Section, ...]:
    heads = [h for h in doc.headings if h.top and h.index != skip]
    out: list[Section] = []
    stack: list[tuple[int, str, int]] = []  # (level, id, depth)
    for n, h in enumerate(heads):
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        depth = stack[-1][2] + 1 if stack else 0
        end = heads[n + 1].index if n + 1 < len(heads) else doc.body_end
        stop = next((x.index for x in heads[n + 1 :] if x.level <= h.level), doc.body_end)
        out.append(Section(
            id=h.id, title=h.title, level=h.level, depth=depth, parent=parent, line=h.line + 1,
            start=h.index, end=end, stop=stop,
            text=doc.text(h.index, end), prose=doc.text(h.index, end, keep_code=False),
        ))
        stack.append((h.level, h.id, depth))
    return tuple(out)


MAX_CARD_TEXT = 600


def _clip(text: str) -> str:
    return text if len(text) <= MAX_CARD_TEXT else text[: MAX_CARD_TEXT - 1].rstrip() + "…"


def _cards(note_id: str, doc: Doc, sections: tuple[Section, ...]) -> tuple[NoteCard, ...]:
    out: list[NoteCard] = []
    seen: set[str] = set()
    for info in doc.env.get("cards", ()):
        holder = next((s for s in reversed(sections) if s.start <= info.index), None)
        back = info.back
        if info.kind == "heading":
            own = next((s for s in sections if s.start == info.index), None)
            back = own.text if own is not None else ""
            if not back:
                continue  # a question without an answer is not a card
        digest = hashlib.sha1(info.front.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        cid = f"note:{note_id}:{slugify(info.front)[:40].strip('-')}-{digest}"
        if cid in seen:
            continue
        seen.add(cid)
        out.append(NoteCard(cid, _clip(info.front), _clip(back), holder.id if holder else None, info.line + 1, info.kind))
    return tuple(out)


def with_id(note: Note, new_id: str) -> Note:
    """The note under another id (card ids follow it)."""
    cards = tuple(replace(c, id=f"note:{new_id}:{c.id.split(':', 2)[2]}") for c in note.cards)
    return replace(note, id=new_id, cards=cards)


def _default_id(path: PurePosixPath) -> str:
    stem = path.stem
    return slugify(re.sub(r"^\d+[-_ ]*", "", stem)) if re.sub(r"^\d+[-_ ]*", "", stem) else slugify(stem)


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
    first = doc.headings[0] if doc.headings else None
    lead = first if first is not None and first.top and first.level == 1 and not _text_before(doc, first.index) else None
    title_heading = None
    if fm.title:
        title = fm.title
        if lead is not None and _same_title(lead.title, title):
            title_heading = lead
    elif lead is not None and lead.title:
        title, title_heading = lead.title, lead
    else:
        title = rel.stem.replace("_", " ").replace("-", " ").strip() or "Untitled"
    skip = title_heading.index if title_heading else None
    sections = _sections(doc, skip)
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
    note_id = fm.id or _default_id(rel)
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
        cards=_cards(note_id, doc, sections),
        intro_text=" ".join(doc.text(a, b) for a, b in intro).strip(),
        intro_prose=" ".join(doc.text(a, b, keep_code=False) for a, b in intro).strip(),
        footnotes_text=doc.text(doc.body_end, len(doc.tokens)),
    )


def light(note: Note) -> Note:
    """The note without its tokens (a tenth of the memory): everything derived from them stays, and
    rendering parses the text again (deterministic, so token indexes still match).  Used for notes a
    visitor uploads, which live in the session's memory."""
    return replace(note, doc=replace(note.doc, tokens=(), env={}))


def _text_before(doc: Doc, index: int) -> bool:
    """Is there any content between the front matter and token ``index``?"""
    return any(t.type not in ("front_matter",) for t in doc.tokens[doc.body_start:index])


