"""The one Markdown engine: CommonMark + GitHub Flavored Markdown with markdown-it-py.

:func:`parser` returns the shared, configured :class:`~markdown_it.MarkdownIt` instance:

* CommonMark core, with raw HTML allowed (it is sanitised after rendering, see :mod:`.sanitize`);
* GFM through ``mdit_py_plugins.gfm``: tables with alignment, strikethrough, bare-URL autolinks,
  task lists, alerts (``> [!NOTE]``) and footnotes; plus YAML front matter and definition lists;
* our named plugins, registered here:

  - :func:`heading_ids_plugin` gives every heading (also those inside lists and quotes) the id
    GitHub gives it (:mod:`.slug`) and records headings and explicit HTML anchors (``<a name>``,
    ``id=``) in ``env`` -- sections, deep links and rendered ids all come from this one place;
  - :func:`note_html_plugin` renders code blocks (Pygments, language label), images (resolved by
    the caller's resolver), links (in-note ``#anchors`` resolved to the view or to the section that
    holds them) and glossary terms, reading the per-render context from ``env["view"]``.

Parsing is linear in practice on hostile input (``bench/`` gives the numbers); nesting deeper than
:data:`MAX_NESTING` is shown as text instead of recursing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll
from markdown_it.rules_core import StateCore
from markdown_it.token import Token
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.gfm import gfm_plugin
from mdit_py_plugins.gfm_autolink._match import match_any_email as _gfm_match_any_email
from mdit_py_plugins.gfm_autolink._match import match_http as _gfm_match_http
from mdit_py_plugins.gfm_autolink.index import _create_autolink as _gfm_create_autolink
from mdit_py_plugins.gfm_autolink.index import _email_rule as _gfm_email_rule
from mdit_py_plugins.gfm_autolink.index import _preceding_ok as _gfm_preceding_ok
from mdit_py_plugins.gfm_autolink.index import _www_inline_rule as _gfm_www_rule

from explorer.notes.md.rawhtml import raw_html_plugin
from explorer.notes.md.slug import Slugger

MAX_NESTING = 32
CODE_CLASS_PREFIX = "tok-"
_ANCHOR_ATTR_RE = re.compile(r"""<[A-Za-z][^<>]*?\b(?:id|name)\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_HTML_IMG_RE = re.compile(r"""<img\b[^<>]*?\bsrc\s*=\s*["']?([^"'\s>]+)""", re.IGNORECASE)
_LANG_RE = re.compile(r"^[\w#+.-]{1,40}$")


# --------------------------------------------------------------------------- parse-time plugin
def inline_text(children: Sequence[Token] | None) -> str:
    """Plain text of an inline token's children, as a browser's ``textContent`` would give it."""
    out: list[str] = []
    for child in children or ():
        if child.type in ("text", "code_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
    return "".join(out)


@dataclass(frozen=True)
class HeadingInfo:
    index: int  # token index of heading_open
    level: int  # 1-6
    title: str  # plain text
    id: str  # GitHub slug, unique in the document
    line: int  # 0-based line of the heading in the parsed text
    top: bool  # a top-level block (not inside a list, quote or alert): a section boundary


def _heading_ids(state: StateCore) -> None:
    tokens = state.tokens
    slugger = Slugger()
    headings: list[HeadingInfo] = []
    anchors: dict[str, int] = {}
    images: list[str] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            title = inline_text(tokens[i + 1].children).strip()
            hid = slugger.slug(title)
            tok.attrSet("id", hid)
            anchors.setdefault(hid, i)
            line = tok.map[0] if tok.map else 0
            headings.append(HeadingInfo(i, int(tok.tag[1]), title, hid, line, tok.level == 0))
        elif tok.type == "html_block":
            for m in _ANCHOR_ATTR_RE.finditer(tok.content):
                anchors.setdefault(html.unescape(m.group(1)), i)
            images.extend(html.unescape(m.group(1)) for m in _HTML_IMG_RE.finditer(tok.content))
        elif tok.type == "inline":
            for child in tok.children or ():
                if child.type == "html_inline":
                    for m in _ANCHOR_ATTR_RE.finditer(child.content):
                        anchors.setdefault(html.unescape(m.group(1)), i)
                    images.extend(html.unescape(m.group(1)) for m in _HTML_IMG_RE.finditer(child.content))
                elif child.type == "image":
                    images.append(child.attrGet("src") or "")
    state.env["headings"] = headings
    state.env["anchors"] = anchors
    state.env["images"] = images


def heading_ids_plugin(md: MarkdownIt) -> None:
    """GitHub heading ids on every heading; headings, anchors and images recorded in ``env``."""
    md.core.ruler.push("heading_ids", _heading_ids)


# --------------------------------------------------------------------------- flashcards written in notes
CARD_TAG = "#card"
CARD_SEPARATOR = " :: "
_QUESTION_MARK_LINE = "?"


@dataclass(frozen=True)
class CardInfo:
    """A flashcard written in a note (see :func:`note_cards_plugin`)."""

    front: str
    back: str
    index: int  # token index (the paragraph's inline token, or the heading's heading_open)
    line: int  # 0-based line in the parsed text
    kind: str  # "inline" (term :: definition), "block" (question / ? / answer), "heading" (#card)


def _lines(children: Sequence[Token]) -> list[str]:
    """The text lines of an inline token (soft and hard breaks split lines)."""
    lines = [""]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append("")
        elif child.type in ("text", "code_inline"):
            lines[-1] += child.content
    return [ln.strip() for ln in lines]


def _note_cards(state: StateCore) -> None:
    tokens = state.tokens
    cards: list[CardInfo] = []
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            inline = tokens[i + 1]
            kids = inline.children or []
            last = kids[-1] if kids else None
            if last is not None and last.type == "text" and last.content.rstrip().endswith(CARD_TAG):
                before = last.content.rstrip()[: -len(CARD_TAG)]
                if before == "" or before.endswith((" ", "\t")):
                    last.content = before.rstrip()  # the tag is not part of the heading's text
                    inline.content = inline.content.rstrip()[: -len(CARD_TAG)].rstrip()
                    front = inline_text(kids).strip()
                    if front:
                        cards.append(CardInfo(front, "", i, tok.map[0] if tok.map else 0, "heading"))
        elif tok.type == "inline" and i > 0 and tokens[i - 1].type == "paragraph_open":
            lines = _lines(tok.children or [])
            line0 = tok.map[0] if tok.map else 0
            if _QUESTION_MARK_LINE in lines:
                k = lines.index(_QUESTION_MARK_LINE)
                front, back = " ".join(lines[:k]).strip(), " ".join(lines[k + 1:]).strip()
                if front and back:
                    cards.append(CardInfo(front, back, i, line0, "block"))
                continue
            for n, line in enumerate(lines):
                front, sep, back = line.partition(CARD_SEPARATOR)
                if sep and front.strip() and back.strip():
                    cards.append(CardInfo(front.strip(), back.strip(), i, line0 + n, "inline"))
    state.env["cards"] = cards


def note_cards_plugin(md: MarkdownIt) -> None:
    """Flashcards written in a note, in the Obsidian spaced-repetition style:

    * ``Term :: Definition`` on a line of a paragraph (spaces around ``::``);
    * a paragraph ``Question`` / a line with only ``?`` / ``Answer``;
    * a heading ending with ``#card``: the heading is the question, its section's own text the
      answer (the tag itself is removed from the heading).

    Recorded in ``env["cards"]`` (:class:`CardInfo`); the note itself renders as written.
    """
    md.core.ruler.before("heading_ids", "note_cards", _note_cards)


# --------------------------------------------------------------------------- hostile input
MAX_OPENERS = 2000  # "[" or "<" in one paragraph beyond which they are plain text


def _guard(state, silent: bool) -> bool:
    """Inline rule run first: in a paragraph with more than :data:`MAX_OPENERS` ``[`` (or ``<``),
    those characters cannot start links (or tags) and are taken as text.

    markdown-it stays linear on such input, but every ``[`` scans ahead for its label: 200 kB of them
    cost seconds.  No real note has thousands of link openers in one paragraph; a hostile upload does.
    """
    src, pos = state.src, state.pos
    if src[pos] not in "[<!":
        return False
    heavy = getattr(state, "_heavy", None)
    if heavy is None:
        heavy = state._heavy = ("[" if src.count("[") > MAX_OPENERS else "") + ("<" if src.count("<") > MAX_OPENERS else "")
    if not heavy:
        return False
    plain = heavy + ("!" if "[" in heavy else "")
    end = pos
    while end < state.posMax and src[end] in plain:
        end += 1
    if end == pos or (src[pos] == "!" and end == pos + 1):
        return False
    if not silent:
        state.append_pending(src[pos:end])
    state.pos = end
    return True


AUTOLINK_WINDOW = 4096  # characters an autolink rule may look at ahead (a longer bare URL is cut there)
_PROTO_TAIL_RE = re.compile(r"(https?|mailto|xmpp)$")


def _bounded(rule):
    """Run an inline rule with its look-ahead limited to :data:`AUTOLINK_WINDOW` characters."""

    def wrapped(state, silent: bool) -> bool:
        saved = state.posMax
        state.posMax = min(saved, state.pos + AUTOLINK_WINDOW)
        try:
            return rule(state, silent)
        finally:
            state.posMax = saved

    return wrapped


def _protocol_rule(state, silent: bool) -> bool:
    """GFM ``http://`` / ``mailto:`` autolinks as ``mdit_py_plugins.gfm_autolink`` recognises them, but
    reading only the end of the pending text and a bounded window ahead: the plugin's own rule
    searches all pending text at every ``:``, which is quadratic on ``<http://`` repeated."""
    if state.linkLevel > 0:
        return False
    pos = state.pos
    remaining = state.src[pos:min(state.posMax, pos + AUTOLINK_WINDOW)]
    if len(remaining) < 4 or remaining[0] != ":":
        return False
    m = _PROTO_TAIL_RE.search(state.pending[-8:])
    if m is None:
        return False
    proto = m.group(1)
    if not _gfm_preceding_ok(state, len(proto)):
        return False
    combined = proto + remaining
    if proto in ("mailto", "xmpp"):
        result = _gfm_match_any_email(combined, len(proto) + 1, proto)
    else:
        result = _gfm_match_http(combined)
    if result is None or silent:
        return False
    full_url, total_len = result
    return _gfm_create_autolink(state, len(proto), total_len, full_url, combined[:total_len])


def hostile_input_plugin(md: MarkdownIt) -> None:
    """Keep pathological paragraphs cheap (see :func:`_guard` and :func:`_protocol_rule`)."""
    md.inline.ruler.before("text", "opener_guard", _guard)
    md.inline.ruler.at("gfm_autolink_protocol", _protocol_rule)
    md.inline.ruler.at("gfm_autolink_www", _bounded(_gfm_www_rule))
    md.inline.ruler.at("gfm_autolink_email", _bounded(_gfm_email_rule))


# --------------------------------------------------------------------------- render-time context
@dataclass
class ImageResult:
    """What to draw for one image reference."""

    kind: str  # "local" (src is a safe URL to use as is), "remote", "missing"
    src: str = ""
    reason: str = ""


@dataclass
class ViewContext:
    """Everything a render needs beyond the tokens (one per render call: it is mutated while rendering)."""

    in_view: frozenset[str] = frozenset()  # anchor ids present in the rendered range
    anchor_target: Callable[[str], str | None] = lambda frag: None  # URL for an anchor outside the view
    resolve_image: Callable[[str], ImageResult] = lambda src: ImageResult("remote" if re.match(r"https?://", src) else "missing", src)
    remote_images: str = "show"  # "show" (image + fallback link) or "link" (link only: offline documents)
    glossary: Any = None  # a glossary TermMatcher, or None
    glossary_href: str = "/Glossary?term={id}"
    glossary_id: str = "gloss"  # ids of definition previews: f"{glossary_id}-{n}" (unique in the page)
    glossary_seen: set[str] = field(default_factory=set)
    glossary_count: int = 0
    in_heading: bool = False
    in_link: int = 0
    # Code blocks set aside while the rest is sanitised (see :func:`code_slot`); None: written inline.
    code_slots: list[str] | None = None
    slot_nonce: str = ""


def _ctx(env: dict) -> ViewContext:
    ctx = env.get("view")
    if ctx is None:
        ctx = env["view"] = ViewContext()
    return ctx


# --------------------------------------------------------------------------- render rules
# Pygments is imported with the first code block to colour, not with the engine: its formatter module scans the
# installed packages for plugins (about 30 ms of a cold server's first page, which may have no code at all).
@lru_cache(maxsize=1)
def _formatter():
    from pygments.formatters import HtmlFormatter

    return HtmlFormatter(nowrap=True, classprefix=CODE_CLASS_PREFIX)


@lru_cache(maxsize=256)
def _lexer(lang: str):
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    try:
        return get_lexer_by_name(lang, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None


def highlight_code(code: str, lang: str) -> str:
    """HTML of a code block's lines: Pygments spans (classes ``tok-*``) or escaped text."""
    lexer = _lexer(lang.lower()) if lang and _LANG_RE.match(lang) else None
    if lexer is None:
        return escapeHtml(code)
    from pygments import highlight

    out = highlight(code, lexer, _formatter())
    # Pygments may add a final newline; keep the code's own line count
    if not code.endswith("\n") and out.endswith("\n"):
        out = out[:-1]
    return out


def _code_html(code: str, lang: str) -> str:
    label = escapeHtml(lang) if lang else ""
    attrs = f' data-lang="{label}"' if label else ""
    head = f'<div class="code-lang" aria-hidden="true">{label}</div>' if label else ""
    lang_class = f' class="language-{label}"' if label and _LANG_RE.match(lang) else ""
    # the copy button works in the app (components/page_shell copies the <code> text); the study pack hides it
    copy = '<button type="button" class="code-copy" aria-label="Copy the code">Copy</button>'
    return (f'<div class="code-block"{attrs}>{head}{copy}<pre class="highlight" tabindex="0"><code{lang_class}>'
            f"{highlight_code(code, lang)}</code></pre></div>\n")


def slot_marker(nonce: str, i: int | str) -> str:
    """What stands for code block ``i`` while a view is sanitised: an element the sanitiser keeps as it is.
    The nonce is random per render, so text a note contains can never be taken for a marker."""
    return f'<div class="code-block">{nonce}-{i}</div>'


def slot_markers(nonce: str) -> re.Pattern[str]:
    """Every marker of a render (group 1: the block's number)."""
    return re.compile(re.escape(slot_marker(nonce, "{i}")).replace(re.escape("{i}"), r"(\d+)"))


def code_slot(env: dict, block_html: str) -> str:
    """A code block's HTML, or its marker when the view sets code blocks aside.

    Code blocks are most of a code-heavy note's HTML (Pygments writes a span per token) and are safe by
    construction: the code is escaped, the language is escaped, classes come from a fixed set.  Sanitising
    the rest with markers in their place and putting the blocks back afterwards spares the sanitiser
    (and its per-attribute callback) that bulk; :func:`explorer.notes.render.render_note` puts them back only
    where a marker came through intact and sanitises the whole text otherwise."""
    ctx = env.get("view")
    if ctx is None or ctx.code_slots is None:
        return block_html
    ctx.code_slots.append(block_html.removesuffix("\n"))
    return slot_marker(ctx.slot_nonce, len(ctx.code_slots) - 1) + "\n"


def _render_fence(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    info = unescapeAll(tok.info).strip() if tok.info else ""
    lang = info.split(None, 1)[0].strip("{}.") if info else ""
    return code_slot(env, _code_html(tok.content, lang))


def _render_code_block(self, tokens, idx, options, env) -> str:
    return code_slot(env, _code_html(tokens[idx].content, ""))


def _render_image(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    ctx = _ctx(env)
    src = tok.attrGet("src") or ""
    alt = self.renderInlineAsText(tok.children, options, env)
    title = tok.attrGet("title")
    title_attr = f' title="{escapeHtml(title)}"' if title else ""
    res = ctx.resolve_image(src)
    if res.kind == "local":
        return f'<img src="{escapeHtml(res.src)}" alt="{escapeHtml(alt)}"{title_attr} class="note-figure">'
    if res.kind == "remote":
        link = (f'<a href="{escapeHtml(src)}" rel="noopener noreferrer">'
                f'{escapeHtml(alt or "image")}</a>')
        if ctx.remote_images == "link":
            return f'<span class="remote-figure">Online image (not included): {link}</span>'
        return (f'<span class="remote-figure"><img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} '
                f'loading="lazy" referrerpolicy="no-referrer"><span class="figure-fallback">Image from the web: '
                f"{link}</span></span>")
    why = f" ({escapeHtml(res.reason)})" if res.reason else ""
    return (f'<span class="missing-figure" role="img" aria-label="Figure not available: {escapeHtml(alt or src)}">'
            f"Figure not available: <code>{escapeHtml(src or '(no source)')}</code>{why}"
            + (f" — {escapeHtml(alt)}" if alt else "") + "</span>")


def _render_link_open(self, tokens, idx, options, env) -> str:
    tok = tokens[idx]
    ctx = _ctx(env)
    ctx.in_link += 1
    href = tok.attrGet("href") or ""
    attrs = dict(tok.attrs)
    if href.startswith("#") and len(href) > 1:
        frag = unquote(href[1:])
        if frag not in ctx.in_view:
            target = ctx.anchor_target(frag)
            if target is not None:
                attrs["href"] = target
            else:
                attrs["class"] = "dead-anchor"
                attrs["title"] = "This link points to a place that does not exist in this note"
    elif re.match(r"https?://", href):
        attrs["rel"] = "noopener noreferrer"
    out = "<a"
    for k, v in attrs.items():
        out += f' {k}="{escapeHtml(str(v))}"'
    return out + ">"


def _render_link_close(self, tokens, idx, options, env) -> str:
    ctx = _ctx(env)
    ctx.in_link = max(0, ctx.in_link - 1)
    return "</a>"


def _render_heading_open(self, tokens, idx, options, env) -> str:
    ctx = _ctx(env)
    ctx.in_heading = True
    if tokens[idx].level == 0:
        ctx.glossary_seen.clear()  # each section links its own first use of a term
    return self.renderToken(tokens, idx, options, env)


def _render_heading_close(self, tokens, idx, options, env) -> str:
    _ctx(env).in_heading = False
    return self.renderToken(tokens, idx, options, env)


def _glossary_anchor(term: Any, text: str, href_template: str, tip_id: str) -> str:
    """A glossary term: a link to its entry, described by a definition preview that is no tooltip
    attribute (``title`` cannot be opened by keyboard or touch).

    ``<span class="gloss-term">`` holds the link (``aria-describedby`` the preview, so screen readers
    read the definition after the term), the preview ``<span class="gloss-tip" role="tooltip"
    popover>`` (notes.css shows it while the term is hovered or the link has keyboard focus) and a
    ``<button class="gloss-more" popovertarget>`` that only touch screens show: tapping it opens the
    preview as a popover (HTML popover API: no script; Esc or a tap elsewhere closes it).
    """
    from urllib.parse import quote

    href = href_template.format(id=quote(term.id, safe=""))
    name = escapeHtml(text)
    return (f'<span class="gloss-term"><a class="gloss" href="{escapeHtml(href)}" aria-describedby="{tip_id}">{name}</a>'
            f'<span class="gloss-tip" id="{tip_id}" role="tooltip" popover="auto">{escapeHtml(term.definition)}</span>'
            f'<button type="button" class="gloss-more" popovertarget="{tip_id}" aria-label="Definition of {name}">'
            f"?</button></span>")


def _render_text(self, tokens, idx, options, env) -> str:
    content = tokens[idx].content
    ctx = env.get("view")
    if ctx is None or ctx.glossary is None or ctx.in_heading or ctx.in_link:
        return escapeHtml(content)
    pieces: list[str] = []
    pos = 0
    for start, end, term in ctx.glossary.finditer(content):
        if term.id in ctx.glossary_seen:
            continue
        ctx.glossary_seen.add(term.id)
        ctx.glossary_count += 1
        pieces.append(escapeHtml(content[pos:start]))
        pieces.append(_glossary_anchor(term, content[start:end], ctx.glossary_href, f"{ctx.glossary_id}-{ctx.glossary_count}"))
        pos = end
    if not pieces:
        return escapeHtml(content)
    pieces.append(escapeHtml(content[pos:]))
    return "".join(pieces)


def note_html_plugin(md: MarkdownIt) -> None:
    """Render rules for notes: code blocks, images, links, headings and glossary terms (see module doc)."""
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
    md.add_render_rule("image", _render_image)
    md.add_render_rule("link_open", _render_link_open)
    md.add_render_rule("link_close", _render_link_close)
    md.add_render_rule("heading_open", _render_heading_open)
    md.add_render_rule("heading_close", _render_heading_close)
    md.add_render_rule("text", _render_text)


# --------------------------------------------------------------------------- the parser
@lru_cache(maxsize=1)
def parser() -> MarkdownIt:
    """The shared engine (configured once; parsing and rendering never mutate it)."""
    md = MarkdownIt("commonmark", {"html": True, "maxNesting": MAX_NESTING})
    md.use(gfm_plugin, front_matter=True)
    md.use(deflist_plugin)
    md.use(raw_html_plugin)
    md.use(hostile_input_plugin)
    md.use(heading_ids_plugin)
    md.use(note_cards_plugin)
    md.use(note_html_plugin)
    return md


