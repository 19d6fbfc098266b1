"""Markdown -> safe HTML for the reader, the search snippets and the study pack.

Pipeline: ``markdown`` (tables, fenced code with Pygments highlighting, heading
ids) -> ``nh3`` sanitiser (allow-list; scripts, event handlers, ``javascript:``
URLs and unknown tags are dropped) -> image references rewritten to inline
``data:`` URIs for files inside ``figures/``, or to a visible placeholder that
names the missing file.  The result is safe to hand to
``st.markdown(..., unsafe_allow_html=True)``: it is one HTML block with no blank
lines, so Streamlit's own Markdown parser leaves it alone.
"""

from __future__ import annotations

import base64
import html
import mimetypes
import re
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import markdown
import nh3

from . import FIGURES_DIR
from .notes import Note, _scan, canonical_markdown, slugify

_ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "div", "dl", "dt",
    "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
_ALLOWED_ATTRS = {
    "*": {"class", "id", "title"},
    "a": {"href", "target"},
    "img": {"src", "alt", "width", "height"},
    "td": {"align", "colspan", "rowspan"},
    "th": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "span": {"style"},
}
_STYLE_PROPS = {"color", "background-color", "font-weight", "font-style", "text-decoration"}
_IMG_TAG_RE = re.compile(r"<img\b([^>]*)>")
_SRC_RE = re.compile(r'\bsrc="([^"]*)"')
_ALT_RE = re.compile(r'\balt="([^"]*)"')
_PRE_RE = re.compile(r"<pre\b.*?</pre>", re.DOTALL)

IMAGE_TYPES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"}
MAX_IMAGE_BYTES = 5_000_000


def sanitize_html(fragment: str) -> str:
    """Clean untrusted HTML with an allow-list (scripts and handlers never survive)."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRS,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        filter_style_properties=_STYLE_PROPS,
    )


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def _md() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "fenced_code", "codehilite", "toc", "sane_lists", "attr_list", "def_list"],
        extension_configs={
            "codehilite": {"noclasses": True, "guess_lang": False, "pygments_style": "friendly", "css_class": "codehilite"},
            "toc": {"slugify": lambda value, sep: slugify(value), "permalink": False},
        },
        output_format="html",
    )


@lru_cache(maxsize=64)
def image_data_uri(path_text: str, figures_dir: str) -> str | None:
    """``data:`` URI for an image inside the figures folder, or None (missing, outside, too big)."""
    base = Path(figures_dir).resolve()
    rel = path_text.split("?", 1)[0].split("#", 1)[0]
    rel = rel[len("figures/") :] if rel.startswith("figures/") else rel
    target = (base / rel).resolve()
    if base not in target.parents or target.suffix.lower() not in IMAGE_TYPES or not target.is_file():
        return None
    if target.stat().st_size > MAX_IMAGE_BYTES:
        return None
    mime = "image/svg+xml" if target.suffix.lower() == ".svg" else (mimetypes.guess_type(target.name)[0] or "image/png")
    return f"data:{mime};base64,{base64.b64encode(target.read_bytes()).decode('ascii')}"


def missing_image_html(src: str, alt: str) -> str:
    label = escape(alt or "figure")
    return (
        f'<span class="missing-figure" role="img" aria-label="Missing figure: {escape(src)}">'
        f"&#128444; Figure not available: <code>{escape(src)}</code> ({label})</span>"
    )


def _rewrite_images(clean_html: str, figures_dir: Path) -> str:
    def repl(m: re.Match) -> str:
        attrs = m.group(1)
        src_m = _SRC_RE.search(attrs)
        alt_m = _ALT_RE.search(attrs)
        src = html.unescape(src_m.group(1)) if src_m else ""
        alt = html.unescape(alt_m.group(1)) if alt_m else ""
        if src.startswith(("http://", "https://")):
            return m.group(0)
        uri = image_data_uri(src, str(figures_dir)) if src else None
        if uri is None:
            return missing_image_html(src or "(no source)", alt)
        return f'<img src="{uri}" alt="{escape(alt)}" class="note-figure">'

    return _IMG_TAG_RE.sub(repl, clean_html)


def _single_block(fragment: str) -> str:
    """Make HTML one block for Streamlit's Markdown parser: no blank lines, no indentation.

    Newlines inside ``<pre>`` become ``&#10;`` so code keeps its lines.
    """
    pres: list[str] = []

    def keep(m: re.Match) -> str:
        # Streamlit's Markdown renderer shows a <code> that has child elements inside <pre> as
        # "[object Object]": drop the <code> wrapper (the <pre> keeps whitespace on its own).
        block = re.sub(r"</?code\b[^>]*>", "", m.group(0))
        pres.append(block.replace("\r", "").replace("\n", "&#10;"))
        return f"\x00{len(pres) - 1}\x00"

    out = _PRE_RE.sub(keep, fragment)
    out = "\n".join(line.strip() for line in out.split("\n") if line.strip())
    return re.sub(r"\x00(\d+)\x00", lambda m: pres[int(m.group(1))], out)


# --------------------------------------------------------------------------- hostile input
# Python-Markdown is quadratic on some inputs: every '[' without a nearby ']' (or a link '(' without
# a nearby ')') and every '<' without a later '>' makes it scan to the end of the block.  200 kB of '['
# would take hours.  ``defuse_markdown`` escapes exactly those characters (they cannot start a link
# or a tag anyway, so the output looks the same) -- outside code, in linear time.
_LINK_REACH = 1000  # a '[' whose ']' is farther than this is not treated as a link
_PAREN_REACH = 2000  # nor one whose '(' target does not close within this
_TAG_REACH = 2000  # a '<' with no '>' within this is text


def _code_span_ranges(block: str) -> list[tuple[int, int]]:
    """(start, end) of inline code spans: a backtick run closed by the next run of the same length."""
    runs = [(m.start(), m.end() - m.start()) for m in re.finditer(r"`+", block)]
    nxt: dict[int, int] = {}
    next_same = [-1] * len(runs)
    for i in range(len(runs) - 1, -1, -1):
        next_same[i] = nxt.get(runs[i][1], -1)
        nxt[runs[i][1]] = i
    spans, i = [], 0
    while i < len(runs):
        j = next_same[i]
        if j == -1:
            i += 1
            continue
        spans.append((runs[i][0], runs[j][0] + runs[j][1]))
        i = j + 1
    return spans


def _defuse_block(block: str) -> str:
    if "[" not in block and "<" not in block:
        return block
    in_code = bytearray(len(block))
    for a, b in _code_span_ranges(block):
        in_code[a:b] = b"\x01" * (b - a)
    brackets: list[int] = []
    parens: list[int] = []
    bracket_match: dict[int, int] = {}
    paren_match: dict[int, int] = {}
    escape_at: set[int] = set()
    gt_after: list[int] = []  # positions of '<' to check against the next '>'
    n = len(block)
    i = 0
    for m in re.finditer(r"\\.|[\[\]()<>]", block, re.S):
        pos = m.start()
        ch = m.group(0)
        if len(ch) == 2 or in_code[pos]:
            continue
        if ch == "[":
            brackets.append(pos)
        elif ch == "]":
            if brackets:
                bracket_match[brackets.pop()] = pos
        elif ch == "(":
            parens.append(pos)
        elif ch == ")":
            if parens:
                paren_match[parens.pop()] = pos
        elif ch == "<":
            gt_after.append(pos)
    escape_at.update(brackets)  # never closed
    for open_pos, close_pos in bracket_match.items():
        if close_pos - open_pos > _LINK_REACH:
            escape_at.add(open_pos)
        elif close_pos + 1 < n and block[close_pos + 1] == "(":
            end = paren_match.get(close_pos + 1)
            if end is None or end - close_pos > _PAREN_REACH:
                escape_at.add(open_pos)
    lt_escape: set[int] = set()
    if gt_after:
        gts = [m.start() for m in re.finditer(">", block)]
        k = 0
        for pos in gt_after:
            while k < len(gts) and gts[k] < pos:
                k += 1
            if k == len(gts) or gts[k] - pos > _TAG_REACH:
                lt_escape.add(pos)
    if not escape_at and not lt_escape:
        return block
    out: list[str] = []
    last = 0
    for pos in sorted(escape_at | lt_escape):
        out.append(block[last:pos])
        out.append("\\[" if pos in escape_at else "&lt;")
        last = pos + 1
    out.append(block[last:])
    return "".join(out)


_SPECIALS_RE = re.compile(r"[\[\]`*_&\\<~!]")
_MAX_INLINE_SPECIALS = 3000  # inline markup characters in one block; beyond, the block is shown as plain text
_DEEP_NESTING_RE = re.compile(r"^[ \t]*(?:>[ \t]*|(?:[-*+]|\d{1,9}[.)])[ \t]+){17}")  # > 16 quotes / list levels on one line


def _as_plain_block(lines: list[str]) -> list[str]:
    longest = max((len(m.group(0)) for m in re.finditer(r"^ *~+", "\n".join(lines), re.M)), default=0)
    fence = "~" * max(3, longest + 3)
    return ["", fence, *lines, fence, ""]


def defuse_markdown(text: str) -> str:
    """Make hostile Markdown render in linear time; normal notes come out unchanged.

    * '[' / '<' that cannot start a link / tag (see :func:`_defuse_block`) are escaped;
    * a block with more than :data:`_MAX_INLINE_SPECIALS` inline markup characters, or nested more
      than 16 quotes / lists deep on one line, is shown as plain preformatted text (Python-Markdown is
      quadratic in the number of inline elements of a block and recursive in the nesting depth);
    * a heading with that much markup keeps its text without the markup characters.
    Code blocks are never touched.
    """
    lines = text.split("\n")
    kinds = _scan(text).kinds
    out: list[str] = []
    block: list[str] = []

    def flush() -> None:
        if not block:
            return
        raw = "\n".join(block)
        specials = sum(1 for _ in _SPECIALS_RE.finditer(raw))
        if specials > _MAX_INLINE_SPECIALS or any(_DEEP_NESTING_RE.match(line) for line in block):
            out.extend(_as_plain_block(block))
        else:
            out.extend(_defuse_block(raw).split("\n"))
        block.clear()

    for line, kind in zip(lines, kinds):
        if kind in ("text", "indented"):
            block.append(line)
            continue
        flush()
        if kind == "atx":
            m = re.match(r"^(#{1,6} )(.*?)( \{#[^{}]*\})?$", line)
            if m and sum(1 for _ in _SPECIALS_RE.finditer(m.group(2))) > _MAX_INLINE_SPECIALS:
                line = m.group(1) + _SPECIALS_RE.sub("", m.group(2)) + (m.group(3) or "")
            else:
                line = _defuse_block(line)
        out.append(line)
    flush()
    return "\n".join(out)


def markdown_to_html(text: str, *, heading_ids: list[str] | tuple[str, ...] | None = None) -> str:
    """Unsanitised HTML straight from the Markdown converter (internal use).

    The text first goes through :func:`explorer.notes.canonical_markdown`, so the headings (and
    their ids) are exactly the sections the note parser sees, and :func:`defuse_markdown`, so that
    hostile input renders in linear time.
    """
    return _md().convert(defuse_markdown(canonical_markdown(text, heading_ids)))


def _plain_fallback(text: str, why: str) -> str:
    return (f'<p class="render-note"><em>{escape(why)} It is shown as plain text.</em></p>'
            f"<pre>{escape(text)}</pre>")


def render_markdown(
    text: str,
    *,
    figures_dir: Path = FIGURES_DIR,
    wrap_class: str = "note-body",
    transform: Callable[[str], str] | None = None,
    heading_ids: list[str] | tuple[str, ...] | None = None,
) -> str:
    """Markdown -> sanitised, single-block HTML with images inlined or replaced by placeholders.

    ``transform`` (e.g. glossary linking) receives the sanitised HTML; its output is sanitised
    again before figures are inlined, so a transform can never smuggle in anything unsafe and the
    ``data:`` URIs of our own figures (which the sanitiser would drop) are added last.

    Headings get the section ids :func:`explorer.notes.build_sections` gives ``text``; pass
    ``heading_ids`` (one per heading, e.g. ``[s.id for s in note.subtree(sid)]``) to override them
    -- needed when ``text`` is only part of a note, so that ids match the whole note's (a second
    "Setup" heading is ``setup-2`` in the note but ``setup`` in its own section text).
    :func:`render_note` does this for you.
    """
    try:
        clean = sanitize_html(markdown_to_html(text, heading_ids=heading_ids))
    except RecursionError:  # e.g. a list nested 1,000 deep ("- - - - ... x")
        clean = _plain_fallback(text, "This text is nested too deeply to be formatted.")
    if transform is not None:
        clean = sanitize_html(transform(clean))
    clean = _rewrite_images(clean, figures_dir)
    return _single_block(f'<div class="{escape(wrap_class)}">{clean}</div>')


def render_note(
    note: Note,
    section_id: str | None = None,
    *,
    figures_dir: Path = FIGURES_DIR,
    wrap_class: str = "note-body",
    transform: Callable[[str], str] | None = None,
    id_prefix: str = "",
    part: str = "all",
) -> str:
    """Render a note: the whole body, or one section with everything nested under it.

    Heading ids are always the note's section ids (prefixed with ``id_prefix``), also when only a
    section is rendered.  ``part="own"`` renders only the section's own text (up to the next heading
    of any level); ``section_id=None`` with ``part="intro"`` renders the text before the first heading.
    An unknown ``section_id`` renders the whole note.
    """
    if section_id is None and part == "intro":
        return render_markdown(note.intro, figures_dir=figures_dir, wrap_class=wrap_class, transform=transform,
                               heading_ids=[])
    sections = note.subtree(section_id) if section_id else ()
    if sections and part == "own":
        sections = sections[:1]
    if sections:
        text = "\n".join(s.body for s in sections)
    else:
        text, sections = note.body, note.sections
    ids = [id_prefix + s.id for s in sections]
    return render_markdown(text, figures_dir=figures_dir, wrap_class=wrap_class, transform=transform, heading_ids=ids)
