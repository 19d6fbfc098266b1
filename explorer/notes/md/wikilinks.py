"""Plugin ``wikilinks``: Obsidian links between notes, ``[[note]]``, and embeds, ``![[note]]`` / ``![[image.png]]``.

Parse time (no other note is needed): ``[[target#Heading|alias]]`` becomes ``wikilink_open``, a ``text``
token (the alias, else the target as written with `` › `` before a heading) and ``wikilink_close``;
``![[target|300]]`` becomes one ``wikiembed`` token.  Every form is read: ``[[note]]``,
``[[folder/note]]``, ``[[note|alias]]``, ``[[note#Heading]]``, ``[[note#Heading|alias]]``,
``[[#Heading]]`` (this note), ``[[note^block]]`` and ``[[note#^block]]`` (the note itself), ``\\|`` for
the alias bar inside a table.  What CommonMark makes of brackets is kept: ``[[REF]](https://x)`` is a
link with the text ``[REF]``, and code spans and code blocks are never read.  Each link is recorded
in ``env["wikilinks"]`` as an :class:`OutLink` with its line and the sentence or list item around it
(backlinks, ``explorer validate``).

Render time: the view's ``links`` (:class:`explorer.notes.note_links.LinkView`) resolves each target
among the notes the reader shows; see :mod:`explorer.notes.note_links` for the HTML.  Without one,
links show as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline

from explorer.notes.md.code_blocks import code_slot
from explorer.notes.md.heading_ids import inline_text
from explorer.notes.md.view_context import view_context

MAX_INNER = 400  # characters between [[ and ]] (a longer run is text: the scan ahead stays bounded)
MAX_CONTEXT = 240  # characters of the sentence kept around a link
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")
_SIZE_RE = re.compile(r"^\s*(\d{1,4})(?:\s*x\s*(\d{1,4}))?\s*$")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])\s+")
_BLOCK_ID_RE = re.compile(r"\s+\^[A-Za-z0-9-]{1,64}$")


@dataclass(frozen=True)
class OutLink:
    """One link or embed a note makes (recorded at parse time)."""

    target: str  # as written ("" for [[#Heading]])
    heading: str | None  # the heading part (None: the note; a block reference falls back to the note)
    embed: bool
    line: int  # 1-based line in the file
    context: str  # the sentence or list item around the link, as plain text


def split_target(inner: str) -> tuple[str, str | None, str | None]:
    """``target#heading|alias`` -> (target, heading or None, alias or None); ``^block`` parts are dropped."""
    inner = inner.replace("\\|", "|")
    left, bar, alias = inner.partition("|")
    target, hash_, heading = left.partition("#")
    target = target.strip()
    if "^" in target:
        target = target.split("^", 1)[0].strip()
    heading = heading.strip() if hash_ else None
    if heading is not None and (heading.startswith("^") or not heading):
        heading = None
    return target, heading, (alias.strip() or None) if bar else None


def display_text(target: str, heading: str | None, alias: str | None) -> str:
    if alias:
        return alias
    if not target:
        return heading or ""
    return f"{target} › {heading}" if heading else target


def is_image(target: str) -> bool:
    return target.lower().endswith(IMAGE_SUFFIXES)


def _wikilink_rule(state: StateInline, silent: bool) -> bool:
    src, pos = state.src, state.pos
    embed = src.startswith("![[", pos)
    if not embed and not src.startswith("[[", pos):
        return False
    start = pos + (3 if embed else 2)
    end = src.find("]]", start, min(state.posMax, start + MAX_INNER))
    if end < 0:
        return False
    inner = src[start:end]
    if not inner.strip() or "\n" in inner or "[" in inner or "]" in inner:
        return False
    if src.startswith("(", end + 2):
        return False  # [[REF]](https://x): a CommonMark link whose text is [REF]
    target, heading, alias = split_target(inner)
    if not target and not heading:
        return False
    if not silent:
        meta = {"target": target, "heading": heading, "alias": alias, "offset": src.count("\n", 0, pos)}
        if embed:
            tok = state.push("wikiembed", "", 0)
            tok.meta = meta
            tok.content = inner
        else:
            tok = state.push("wikilink_open", "a", 1)
            tok.meta = meta
            text = state.push("text", "", 0)
            text.content = display_text(target, heading, alias)
            close = state.push("wikilink_close", "a", -1)
            close.meta = meta
    state.pos = end + 2
    return True


def _sentence(text: str, needle: str) -> str:
    """The sentence of ``text`` that holds ``needle`` (a list item or short paragraph is one), cut to size."""
    for sentence in _SENTENCE_END_RE.split(text):
        if needle and needle in sentence:
            text = sentence
            break
    return text if len(text) <= MAX_CONTEXT else text[: MAX_CONTEXT - 1] + "…"


def _record(state: StateCore) -> None:
    links: list[OutLink] = []
    tokens = state.tokens
    for i, tok in enumerate(tokens):
        if tok.type != "inline" or not tok.children:
            continue
        kid = tok.children[0]
        if (len(tok.children) == 1 and kid.type == "wikiembed" and not is_image(kid.meta["target"])
                and 0 < i < len(tokens) - 1 and tokens[i - 1].type == "paragraph_open"):
            tokens[i - 1].hidden = tokens[i + 1].hidden = True  # a note embedded on its own line is a block, not in a <p>
        last = tok.children[-1]
        if last.type == "text" and "^" in last.content:  # an Obsidian block id ("text ^id") is not shown
            last.content = _BLOCK_ID_RE.sub("", last.content)
        kids = [c for c in tok.children if c.type in ("wikilink_open", "wikiembed")]
        if not kids:
            continue
        text = " ".join(inline_text(tok.children).split())
        base = tok.map[0] if tok.map else 0
        for k in kids:
            m = k.meta
            shown = display_text(m["target"], m["heading"], m["alias"])
            links.append(OutLink(m["target"], m["heading"], k.type == "wikiembed", base + m["offset"] + 1,
                                 _sentence(text, shown)))
    state.env["wikilinks"] = links


# --------------------------------------------------------------------------- render
def _render_open(self, tokens, idx, options, env) -> str:
    ctx = view_context(env)
    ctx.in_link += 1
    m = tokens[idx].meta
    if ctx.links is None:
        ctx.link_tips.append("</span>")
        return '<span class="wikilink">'
    opening, closing = ctx.links.link_html(m["target"], m["heading"], ctx)
    ctx.link_tips.append(closing)
    return opening


def _render_close(self, tokens, idx, options, env) -> str:
    ctx = view_context(env)
    ctx.in_link = max(0, ctx.in_link - 1)
    return ctx.link_tips.pop() if ctx.link_tips else ""


def _render_embed(self, tokens, idx, options, env) -> str:
    ctx = view_context(env)
    m = tokens[idx].meta
    target, heading, alias = m["target"], m["heading"], m["alias"]
    if is_image(target):
        src = ctx.links.image(target) if ctx.links is not None else target
        res = ctx.resolve_image(src)
        size = _SIZE_RE.match(alias or "")
        alt = escapeHtml(alias if alias and not size else target.rsplit("/", 1)[-1])
        dims = ""
        if size:
            dims = f' width="{int(size.group(1))}"' + (f' height="{int(size.group(2))}"' if size.group(2) else "")
        if res.kind == "local":
            return f'<img src="{escapeHtml(res.src)}" alt="{alt}"{dims} class="note-figure">'
        return (f'<span class="missing-figure" role="img" aria-label="Figure not available: {alt}">'
                f"Figure not available: <code>{escapeHtml(target)}</code>"
                + (f" ({escapeHtml(res.reason)})" if res.reason else "") + "</span>")
    block = ctx.links.embed_html(target, heading, ctx) if ctx.links is not None else None
    if block is not None:
        return code_slot(env, block)
    # not embedded (missing, nested too deep, too many): a link instead
    text = escapeHtml(display_text(target, heading, alias))
    if ctx.links is None:
        return f'<span class="wikilink">{text}</span>'
    opening, closing = ctx.links.link_html(target, heading, ctx)
    return opening + text + closing


def wikilinks_plugin(md: MarkdownIt) -> None:
    """Read ``[[links]]`` and ``![[embeds]]`` (before CommonMark's links and images), record them in
    ``env["wikilinks"]``, and render them through the view's link resolver."""
    md.inline.ruler.before("link", "wikilink", _wikilink_rule)
    md.core.ruler.push("wikilinks_record", _record)
    md.add_render_rule("wikilink_open", _render_open)
    md.add_render_rule("wikilink_close", _render_close)
    md.add_render_rule("wikiembed", _render_embed)
