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

import html
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

import yaml
from pydantic import ValidationError

from .schema import NoteMeta

_FENCE_RE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_ATX_RE = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_UNDERLINE_RE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_ATTR_LIST_RE = re.compile(r"[ \t]*\{:?[ \t]*([^{}]*)\}[ \t]*$")
_IMAGE_RE = re.compile(r"!\[([^\]]*)\]\(\s*(?:<([^>\n]+)>|([^)\s]+))(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_HTML_IMG_RE = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
# Block-level tags that make Python-Markdown keep a block as raw HTML (up to the matching close tag).
_HTML_BLOCK_TAGS = frozenset(
    "address article aside blockquote body canvas center colgroup dd details div dl dt fieldset figcaption "
    "figure footer form group h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li main map math menu nav "
    "noscript object ol option output p pre progress script section style summary table tbody td textarea "
    "tfoot th thead tr ul video".split()
)
_HTML_OPEN_RE = re.compile(r"^ {0,3}<([A-Za-z][A-Za-z0-9]*)(?=[\s/>]|$)")
_VOID_TAGS = frozenset({"hr"})


class NoteError(ValueError):
    """A note that cannot be read (bad front matter)."""


def slugify(text: str) -> str:
    """Lower-case ASCII slug: runs of anything not a letter or digit become one hyphen.

    Accented letters lose their accents; text with no ASCII letters at all
    (e.g. Japanese) keeps its own letters so that it still gets an id.
    """
    text = re.sub(r"<[^<>]{1,500}>", "", text)  # inline HTML in a heading
    text = re.sub(r"[`*~\[\]]", "", text)  # '_' separates words like any other punctuation
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
    text = _normalize_newlines(text.lstrip("\ufeff"))
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
            except RecursionError:
                raise NoteError("front matter is not valid: it is nested too deeply") from None
            except ValueError as exc:  # e.g. an integer of more than 4300 digits
                raise NoteError(f"front matter is not valid: {exc}") from None
            if data is None:
                data = {}
            if not isinstance(data, dict):
                raise NoteError("front matter must be a mapping of keys to values")
            return data, "\n".join(lines[i + 1 :]), i + 1
    return {}, text, 0  # an opening '---' without a closing one is a horizontal rule


def _split_attr_list(raw: str) -> tuple[str, str | None]:
    """Strip a trailing attribute list (``{#id .class}``) from heading text; return (text, explicit id)."""
    m = _ATTR_LIST_RE.search(raw)
    if not m or m.start() == 0:
        return raw, None
    ident = re.search(r"(?:^|\s)#([^\s#.{}]+)", m.group(1))
    return raw[: m.start()], (ident.group(1) if ident else None)


def _clean_heading(text: str) -> str:
    """Heading Markdown -> plain title (links, emphasis, code spans, inline HTML and escapes removed).

    Code spans keep their text verbatim (``## The `<img>` tag`` -> ``The <img> tag``).
    """
    codes: list[str] = []

    def keep(m: re.Match) -> str:
        codes.append(m.group(2).strip())
        return f"\x02{len(codes) - 1}\x03"

    # (repetitions are bounded so that a hostile 200 kB heading line stays linear)
    text = re.sub(r"(`+)([^`].{0,500}?)(?<!`)\1(?!`)", keep, text.replace("\x02", "").replace("\x03", ""))
    text = re.sub(r"<[^<>]{1,500}>", "", text)
    text = re.sub(r"!?\[([^\[\]]{0,300})\]\([^()]{0,500}\)", r"\1", text)  # [label](url) -> label
    text = re.sub(r"!?\[([^\[\]]{0,300})\]\[[^\[\]]{0,300}\]", r"\1", text)  # [label][ref] -> label
    text = re.sub(r"(\*{1,3})(?=\S)(.{1,300}?)(?<=\S)\1", r"\2", text)  # *em*, **strong**
    text = re.sub(r"(?<!\w)(_{1,3})(?=\S)(.{1,300}?)(?<=\S)\1(?!\w)", r"\2", text)  # _em_ (not snake_case)
    text = re.sub(r"~~(?=\S)(.{1,300}?)(?<=\S)~~", r"\1", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|<>~])", r"\1", text)  # backslash escapes
    text = html.unescape(text)
    return re.sub(r"\x02(\d+)\x03", lambda m: codes[int(m.group(1))], text).strip()


@dataclass(frozen=True)
class _Head:
    line: int  # index of the heading line (the title line for setext headings)
    level: int
    title: str  # plain text
    raw: str  # Markdown of the title (attribute list removed)
    explicit_id: str | None
    setext: bool


@dataclass
class _Scan:
    heads: list[_Head]
    kinds: list[str]  # per line: text, blank, fence, code, html, indented, atx, setext-title, setext-line


def _scan(body: str) -> _Scan:
    """Classify every line of a body: which lines are code, raw HTML, headings.

    Rules (CommonMark where Python-Markdown agrees, Python-Markdown where it must be mirrored):

    * fences: ``` or ~~~ (3 or more), indented up to 3 spaces; closed by a fence of the same
      character at least as long with nothing after it; an unclosed fence runs to the end;
    * raw HTML blocks (as Python-Markdown keeps them): a line starting with a block-level tag
      runs to the line that closes it (same tag, nesting counted); ``<!--`` runs to ``-->``;
    * indented code: 4 spaces or a tab after a blank line;
    * ATX headings ``#`` .. ``######`` followed by a space (``#tag`` is not a heading);
    * setext headings: a single-line paragraph underlined with ``===`` / ``---`` (not a list item,
      quote or table row).
    """
    lines = body.split("\n")
    kinds = ["text"] * len(lines)
    heads: list[_Head] = []
    closes_later = [False] * len(lines)  # does a "-->" occur on a later line?
    seen_close = False
    for j in range(len(lines) - 1, -1, -1):
        closes_later[j] = seen_close
        seen_close = seen_close or "-->" in lines[j]
    fence: str | None = None
    html_tag: str | None = None  # raw HTML block: its tag name
    html_depth = 0
    in_comment = False  # inside <!-- ... --> (wherever it started: it hides everything up to -->)
    prev_blank = True
    para_start: int | None = None
    for i, line in enumerate(lines):
        if fence is not None:
            m = _FENCE_RE.match(line)
            if m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence) and not m.group(3).strip():
                fence = None
                kinds[i] = "fence"
            else:
                kinds[i] = "code"
            prev_blank = False
            continue
        if in_comment:
            kinds[i] = "html"
            end = line.find("-->")
            if end >= 0:
                in_comment = False
                rest = line[end + 3 :]
                if html_tag is not None:
                    html_depth += _tag_balance(rest, html_tag)
                    if html_depth <= 0:
                        html_tag = None
                in_comment = _opens_comment(rest, closes_later[i])
            prev_blank = False
            para_start = None
            continue
        if html_tag is not None:
            kinds[i] = "html"
            html_depth += _tag_balance(line, html_tag)
            if html_depth <= 0:
                html_tag = None
            in_comment = _opens_comment(line, closes_later[i])
            prev_blank = not line.strip()
            para_start = None
            continue
        m = _FENCE_RE.match(line)
        if m and not (m.group(2)[0] == "`" and "`" in m.group(3)):
            fence = m.group(2)
            kinds[i] = "fence"
            para_start = None
            continue
        if not line.strip():
            kinds[i] = "blank"
            prev_blank = True
            para_start = None
            continue
        if line.startswith(("    ", "\t")) and prev_blank and para_start is None:
            kinds[i] = "indented"
            continue  # indented code block (prev_blank stays: the block continues)
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) <= 3 and stripped.startswith("<!--") and (
            "-->" in stripped[4:] or closes_later[i]
        ):
            kinds[i] = "html"  # (an unclosed comment is plain text for Python-Markdown)
            in_comment = _opens_comment(line, closes_later[i])
            para_start = None
            prev_blank = False
            continue
        m = _HTML_OPEN_RE.match(line)
        if m and m.group(1).lower() in _HTML_BLOCK_TAGS:
            kinds[i] = "html"
            tag = m.group(1).lower()
            if tag not in _VOID_TAGS:
                depth = _tag_balance(line, tag)
                if depth > 0:
                    html_tag, html_depth = tag, depth
            in_comment = _opens_comment(line, closes_later[i])
            para_start = None
            prev_blank = False
            continue
        m = _ATX_RE.match(line)
        if m:
            raw, explicit = _split_attr_list(m.group(2) or "")
            heads.append(_Head(i, len(m.group(1)), _clean_heading(raw), raw.strip(), explicit, False))
            kinds[i] = "atx"
            para_start = None
            prev_blank = False
            continue
        m = _SETEXT_RE.match(line)
        if m and para_start is not None and para_start == i - 1:
            prev = lines[i - 1].strip()
            raw, explicit = _split_attr_list(prev)
            title = _clean_heading(raw)
            if title and not re.match(r"^(?:[>|*+-]|\d{1,9}[.)](?:\s|$))", prev):
                heads.append(_Head(i - 1, 1 if m.group(1)[0] == "=" else 2, title, raw.strip(), explicit, True))
                kinds[i - 1], kinds[i] = "setext-title", "setext-line"
                para_start = None
                prev_blank = False
                continue
        if para_start is None:
            para_start = i
        prev_blank = False
    return _Scan(heads, kinds)


def mask_code_spans(line: str) -> str:
    """``line`` with the inside of inline code spans replaced by spaces (same length)."""
    if "`" not in line:
        return line
    runs = [(m.start(), m.end() - m.start()) for m in re.finditer(r"`+", line)]
    next_same = [-1] * len(runs)
    seen: dict[int, int] = {}
    for k in range(len(runs) - 1, -1, -1):
        next_same[k] = seen.get(runs[k][1], -1)
        seen[runs[k][1]] = k
    chars = list(line)
    k = 0
    while k < len(runs):
        j = next_same[k]
        if j == -1:
            k += 1
            continue
        for x in range(runs[k][0], runs[j][0] + runs[j][1]):
            chars[x] = " "
        k = j + 1
    return "".join(chars)


def _opens_comment(line: str, closes_later: bool, raw: bool = True) -> bool:
    """Does ``line`` leave an HTML comment open (a ``<!--`` after its last ``-->``)?

    In raw HTML every ``<!--`` counts; in Markdown text (``raw=False``) not those inside code spans.
    """
    if "<!--" not in line:
        return False
    masked = line if raw else mask_code_spans(line)
    start = masked.rfind("<!--")
    if start < 0 or masked.find("-->", start + 4) >= 0:
        return False
    return closes_later


def _tag_balance(line: str, tag: str) -> int:
    opens = len(re.findall(rf"<{tag}(?=[\s/>]|$)", line, re.IGNORECASE))
    closes = len(re.findall(rf"</{tag}\s*>", line, re.IGNORECASE))
    return opens - closes


def scan_headings(body: str) -> list[tuple[int, int, str]]:
    """(line index, level, title) of every real heading; code blocks and raw HTML blocks are skipped."""
    return [(h.line, h.level, h.title) for h in _scan(body).heads]


def _unique_ids(heads: list[_Head]) -> list[str]:
    used: set[str] = set()
    out: list[str] = []
    for h in heads:
        base = slugify(h.explicit_id) if h.explicit_id else slugify(h.title)
        sid, k = base, 2
        while sid in used:
            sid, k = f"{base}-{k}", k + 1
        used.add(sid)
        out.append(sid)
    return out


def build_sections(body: str) -> tuple[str, tuple[Section, ...]]:
    """Split a body into (intro before the first heading, sections).

    Section ids are slugs of the heading text (or the heading's explicit ``{#id}``), made unique
    within the body by appending ``-2``, ``-3``, ...
    """
    body = _normalize_newlines(body)
    lines = body.split("\n")
    heads = [h for h in _scan(body).heads if h.title]
    if not heads:
        return body, ()
    intro = "\n".join(lines[: heads[0].line])
    sections: list[Section] = []
    stack: list[tuple[int, str, int]] = []  # (level, id, depth)
    for n, (head, sid) in enumerate(zip(heads, _unique_ids(heads))):
        while stack and stack[-1][0] >= head.level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        depth = stack[-1][2] + 1 if stack else 0
        end = heads[n + 1].line if n + 1 < len(heads) else len(lines)
        # a setext heading's underline belongs to the heading
        sections.append(
            Section(
                id=sid,
                title=head.title,
                level=head.level,
                depth=depth,
                parent=parent,
                line=head.line + 1,
                body="\n".join(lines[head.line : end]).rstrip() + "\n",
            )
        )
        stack.append((head.level, sid, depth))
    return intro, tuple(sections)


def canonical_markdown(body: str, heading_ids: list[str] | tuple[str, ...] | None = None) -> str:
    """Rewrite a body so that Python-Markdown renders exactly the headings :func:`build_sections` sees.

    * every heading becomes an ATX heading with an explicit id (``## Title {#id}``) -- the id is the
      section id (or the matching entry of ``heading_ids``, when its length fits);
    * fences become the plain form Python-Markdown understands (unindented, language only, closed
      by the same fence; an unclosed fence is closed at the end);
    * a heading is preceded by a blank line (so it also ends a table, as in CommonMark);
    * a fence line inside a raw HTML block or comment is indented by one space (Python-Markdown would
      otherwise start a code block there and swallow the headings after it), and a ``<!--`` that is
      never closed is escaped (the sanitiser would drop everything after it);
    * lines Python-Markdown would wrongly take for headings are neutralised: ``#tag`` is escaped and
      an underline under a list item / quote / table row gets a blank line before it (so it is a rule).
    """
    body = _normalize_newlines(body)
    lines = body.split("\n")
    scan = _scan(body)
    heads = [h for h in scan.heads if h.title]
    ids = _unique_ids(heads)
    if heading_ids is not None and len(heading_ids) == len(heads):
        ids = list(heading_ids)
    by_line = {h.line: (h, sid) for h, sid in zip(heads, ids)}
    last_close = body.rfind("-->")
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    out: list[str] = []
    fence: str | None = None
    indent = 0
    for i, line in enumerate(lines):
        kind = scan.kinds[i]
        if kind == "fence":
            m = _FENCE_RE.match(line)
            if fence is None and m:
                fence, indent = m.group(2), len(m.group(1))
                lang = re.match(r"\{?\s*\.?([\w#+.-]*)", m.group(3).strip())
                out.append(fence + (lang.group(1) if lang else ""))
            else:
                out.append(fence or line.strip())
                fence = None
            continue
        if kind == "code":
            out.append(re.sub(rf"^ {{0,{indent}}}", "", line))
            continue
        if kind in ("atx", "setext-title"):
            hit = by_line.get(i)
            if hit is None:  # an empty heading ("#" alone): keep it as text
                out.append("\\" + line.lstrip() if kind == "atx" else line)
                continue
            head, sid = hit
            if out and out[-1].strip():
                out.append("")  # a heading ends a table or paragraph (Python-Markdown needs the blank line)
            out.append(f"{'#' * head.level} {head.raw} {{#{sid}}}")
            continue
        if kind == "setext-line":
            out.append("")
            continue
        if kind == "text":
            if line.startswith("#"):
                line = "\\" + line  # Python-Markdown would make '#tag' a heading
            elif _UNDERLINE_RE.match(line) and out and out[-1].strip():
                out.append("")  # an underline that is not a setext heading here: a rule / text
        elif kind == "html" and line.startswith(("```", "~~~")):
            line = " " + line  # a fence inside raw HTML / a comment must not open a code block
        if "<!--" in line and kind not in ("code", "indented"):
            masked = line if kind == "html" else mask_code_spans(line)
            cut = masked.rfind("<!--")
            if cut >= 0 and offsets[i] + cut > last_close:
                # a comment that never closes would hide the rest of the note from the HTML sanitiser
                line = line[:cut] + "&lt;!--" + line[cut + 4 :]
        out.append(line)
    if fence is not None:
        out.append(fence)
    return "\n".join(out)


def _normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _first_h1(sections: tuple[Section, ...]) -> str | None:
    for s in sections:
        if s.level == 1:
            return s.title
    return None


def parse_note(text: str, filename: str, *, source: str = "content") -> Note:
    """Parse one Markdown note.  Raises :class:`NoteError` (and nothing else) on bad front matter.

    Line endings are normalised (CRLF / CR -> LF) and a byte-order mark is dropped.
    """
    meta_raw, body, _ = split_front_matter(text)
    try:
        meta = NoteMeta.model_validate(meta_raw)
    except RecursionError:
        raise NoteError("front matter is not valid: it is nested too deeply") from None
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
        found.append(m.group(2) or m.group(3))
    for m in _HTML_IMG_RE.finditer(markdown_text):
        found.append(m.group(1))
    return tuple(dict.fromkeys(found))


def toc(note: Note) -> list[tuple[int, str, str]]:
    """(depth, id, title) rows for a table of contents."""
    return [(s.depth, s.id, s.title) for s in note.sections]
