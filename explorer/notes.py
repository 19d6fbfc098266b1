"""Markdown notes: front matter, headings, sections, image references.

A note is a Markdown file with optional YAML front matter between ``---``
lines.  Headings become sections with stable ids (slugs of their text, made
unique within the note).  The scanner understands fenced code blocks (a ``#``
line inside a fence is not a heading), indented code, ATX (``## x``) and
setext (``x`` underlined with ``===``/``---``) headings.  Headings that skip
levels nest under the nearest shallower heading.

Rendering to HTML lives in :mod:`explorer.render`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml
from pydantic import ValidationError

from .schema import NoteMeta

_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HTML_IMG_RE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)


class NoteError(ValueError):
    """A note that cannot be read (bad front matter)."""


def slugify(text: str) -> str:
    """Lower-case ASCII slug: runs of anything not a letter or digit become one hyphen.

    Accented letters lose their accents; text with no ASCII letters at all
    (e.g. Japanese) keeps its own letters so that it still gets an id.
    """
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML in a heading
    text = re.sub(r"[`*_~\[\]]", "", text)
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not slug:
        slug = re.sub(r"[\W_]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug or "section"


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    level: int  # 1-6 as written
    depth: int  # nesting depth in the table of contents (0 = top)
    parent: str | None
    line: int  # 1-based line of the heading in the body
    body: str  # Markdown from the heading line up to the next heading (any level)


@dataclass(frozen=True)
class Note:
    id: str
    title: str
    body: str  # Markdown without front matter
    week: int | None = None
    order: int = 10_000
    tags: tuple[str, ...] = ()
    summary: str = ""
    source: str = "content"  # "content" (shipped file) or "upload"
    filename: str = ""
    intro: str = ""  # Markdown before the first heading
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def section(self, section_id: str) -> Section | None:
        for s in self.sections:
            if s.id == section_id:
                return s
        return None

    def subtree(self, section_id: str) -> tuple[Section, ...]:
        """The section and every section nested under it, in document order."""
        out: list[Section] = []
        inside: set[str] = set()
        for s in self.sections:
            if s.id == section_id or s.parent in inside:
                inside.add(s.id)
                out.append(s)
        return tuple(out)

    def subtree_markdown(self, section_id: str) -> str:
        return "\n".join(s.body for s in self.subtree(section_id))

    @property
    def images(self) -> tuple[str, ...]:
        return image_refs(self.body)


def split_front_matter(text: str) -> tuple[dict, str, int]:
    """Return (front matter mapping, body, number of lines the front matter took)."""
    text = text.lstrip("\ufeff")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text, 0
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            raw = "\n".join(lines[1:i])
            try:
                data = yaml.safe_load(raw) if raw.strip() else {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" (line {mark.line + 2})" if mark is not None else ""
                raise NoteError(f"front matter is not valid YAML{where}: {getattr(exc, 'problem', exc)}") from None
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise NoteError("front matter must be a mapping of keys to values")
            return data, "\n".join(lines[i + 1 :]), i + 1
    return {}, text, 0  # an opening '---' without a closing one is a horizontal rule


def _clean_heading(text: str) -> str:
    text = re.sub(r"<[^>]+>", "", text)
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [label](url) -> label
    text = re.sub(r"[`*_]{1,3}([^`*_]+)[`*_]{1,3}", r"\1", text)
    return text.strip()


def scan_headings(body: str) -> list[tuple[int, int, str]]:
    """(line index, level, title) of every real heading; code blocks are skipped."""
    lines = body.split("\n")
    out: list[tuple[int, int, str]] = []
    fence: str | None = None
    prev_blank = True
    para_start: int | None = None
    for i, line in enumerate(lines):
        if fence is not None:
            m = _FENCE_RE.match(line)
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
                fence = None
            prev_blank = False
            continue
        m = _FENCE_RE.match(line)
        if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
            fence = m.group(1)
            para_start = None
            continue
        if not line.strip():
            prev_blank = True
            para_start = None
            continue
        if line.startswith(("    ", "\t")) and prev_blank and para_start is None:
            continue  # indented code block
        m = _ATX_RE.match(line)
        if m:
            out.append((i, len(m.group(1)), _clean_heading(m.group(2) or "")))
            para_start = None
            prev_blank = False
            continue
        m = _SETEXT_RE.match(line)
        if m and para_start is not None and para_start == i - 1:
            title = _clean_heading(lines[i - 1])
            if title and not lines[i - 1].lstrip().startswith((">", "-", "*", "+", "|")):
                out.append((i - 1, 1 if m.group(1)[0] == "=" else 2, title))
                para_start = None
                prev_blank = False
                continue
        if para_start is None:
            para_start = i
        prev_blank = False
    return out


def build_sections(body: str) -> tuple[str, tuple[Section, ...]]:
    """Split a body into (intro before the first heading, sections)."""
    lines = body.split("\n")
    heads = [h for h in scan_headings(body) if h[2]]
    if not heads:
        return body, ()
    intro = "\n".join(lines[: heads[0][0]])
    sections: list[Section] = []
    used: set[str] = set()
    stack: list[tuple[int, str, int]] = []  # (level, id, depth)
    for n, (idx, level, title) in enumerate(heads):
        base = slugify(title)
        sid, k = base, 2
        while sid in used:
            sid, k = f"{base}-{k}", k + 1
        used.add(sid)
        while stack and stack[-1][0] >= level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        depth = stack[-1][2] + 1 if stack else 0
        end = heads[n + 1][0] if n + 1 < len(heads) else len(lines)
        # a setext heading's underline belongs to the heading
        sections.append(
            Section(
                id=sid,
                title=title,
                level=level,
                depth=depth,
                parent=parent,
                line=idx + 1,
                body="\n".join(lines[idx:end]).rstrip() + "\n",
            )
        )
        stack.append((level, sid, depth))
    return intro, tuple(sections)


def _first_h1(sections: tuple[Section, ...]) -> str | None:
    for s in sections:
        if s.level == 1:
            return s.title
    return None


def parse_note(text: str, filename: str, *, source: str = "content") -> Note:
    """Parse one Markdown note.  Raises :class:`NoteError` on bad front matter."""
    meta_raw, body, _ = split_front_matter(text)
    try:
        meta = NoteMeta.model_validate(meta_raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'front matter'}: {e['msg']}" for e in exc.errors()
        )
        raise NoteError(f"front matter: {problems}") from None
    intro, sections = build_sections(body)
    stem = PurePath(filename).stem
    default_id = slugify(re.sub(r"^\d+[-_ ]*", "", stem)) or slugify(stem)
    title = meta.title or _first_h1(sections) or stem.replace("_", " ").replace("-", " ").strip() or "Untitled"
    return Note(
        id=meta.id or default_id,
        title=title,
        body=body,
        week=meta.week,
        order=meta.order if meta.order is not None else 10_000,
        tags=tuple(meta.tags),
        summary=meta.summary or "",
        source=source,
        filename=PurePath(filename).name,
        intro=intro,
        sections=sections,
    )


def image_refs(markdown_text: str) -> tuple[str, ...]:
    """Every image path a Markdown text references (Markdown and HTML syntax), in order, once."""
    found: list[str] = []
    for m in _IMAGE_RE.finditer(markdown_text):
        found.append(m.group(2))
    for m in _HTML_IMG_RE.finditer(markdown_text):
        found.append(m.group(1))
    return tuple(dict.fromkeys(found))


def toc(note: Note) -> list[tuple[int, str, str]]:
    """(depth, id, title) rows for a table of contents."""
    return [(s.depth, s.id, s.title) for s in note.sections]
