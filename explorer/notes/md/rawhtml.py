"""Raw HTML in a note is balanced where it is written, so it cannot hide or take over what follows (issue 20).

A note may contain raw HTML (GitHub allows it; :mod:`.sanitize` cleans the result).  Sanitising the
whole note at once let one unbalanced piece take the rest of the note with it: an unclosed
``<style>``, ``<textarea>``, ``<title>``, ``<xmp>``, ``<plaintext>``, ``<iframe>`` or
``<math><mi><mglyph><style>`` turned everything after it into invisible or raw text.  This plugin
works on the tokens of the one parse, before anything is rendered:

* **HTML blocks** (``html_block``) are balanced each on their own: cleaned with the notes' allow-list
  (:data:`.sanitize.RAW_HTML_TAGS`: no form controls), which closes what the block left open and drops
  what may not be shown.  One GitHub habit is kept: a block that only *opens* a container (``<details>``,
  ``<div align="center">``, a table cell ...) wraps the Markdown that follows when a later top-level
  block closes it (:data:`WRAPPERS`); a container nobody closes is closed where its block ends.
* **Inline HTML** (``html_inline``) is balanced within its paragraph, heading or table cell: tags the
  allow-list refuses are dropped (a ``<script>`` or ``<style>`` closed in the same paragraph with what it
  holds), a closing tag that closes nothing opened there is dropped, and what is left open is closed at
  the paragraph's end.
* CommonMark lets ``<script``, ``<pre``, ``<style``, ``<textarea``, a comment, a processing instruction,
  a declaration or CDATA run to the end of the document when its end is missing, and ends the first
  four at a closing tag of any of them; here such a block ends at its own end, else at its first blank
  line, and a ``<script``, ``<style`` or ``<textarea`` (never shown) always by its first blank line, so a
  forgotten ``-->`` or ``</style>`` costs one paragraph, not the rest of the note.  (A ``<pre>`` or a
  comment closed pages later still holds everything up to its end, as in HTML.)

GitHub's own task-list checkboxes are made after this step (``github-tasklists``), so they are kept;
form controls written in a note are not.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_block.html_block import HTML_SEQUENCES
from markdown_it.rules_block.html_block import html_block as _html_block
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from explorer.notes.md.sanitize import RAW_HTML_ATTRS, RAW_HTML_TAGS, URL_SCHEMES

WRAPPERS = frozenset({
    "blockquote", "dd", "details", "div", "dl", "figure", "li", "ol", "section", "table", "tbody", "td",
    "tfoot", "th", "thead", "tr", "ul",
})
"""Containers a top-level HTML block may leave open for a later top-level block to close (GitHub's
``<details>`` ... Markdown ... ``</details>``)."""
_WRAPPER_ENDS = tuple(f"</{w}>" for w in WRAPPERS)
MAX_OPEN = 32  # wrappers open at once across blocks; more are closed where their block ends (bounds the work per block)
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})
DROP_WITH_CONTENT = frozenset({"script", "style"})  # as nh3 does: what they hold is never shown
_TAG_RE = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)")
_LEAD_CLOSE_RE = re.compile(r"\A\s*</([A-Za-z][A-Za-z0-9-]*)\s*>")
_CLOSE_RE = re.compile(r"</([a-z][a-z0-9-]*)>")
_UNTIL_END = HTML_SEQUENCES[:5]  # block kinds whose end is a closing sequence, not a blank line
_UNTIL_END_SECOND = frozenset("!?sSpPtT")  # the character after "<" that each of them starts with


@lru_cache(maxsize=1)
def _cleaner() -> nh3.Cleaner:
    """Balances one piece: the notes' tags and attributes (the final pass checks values, ids and URLs)."""
    return nh3.Cleaner(tags=set(RAW_HTML_TAGS), attributes={k: set(v) for k, v in RAW_HTML_ATTRS.items()},
                       url_schemes=set(URL_SCHEMES), strip_comments=True, link_rel=None)


# --------------------------------------------------------------------------- blocks without their end
def _html_block_bounded(state, start: int, end: int, silent: bool) -> bool:
    """CommonMark's HTML block rule, except for the kinds that end with a closing sequence (1-5): a
    ``<script``, ``<pre``, ``<style`` or ``<textarea`` block ends at its own closing tag (CommonMark takes
    any of the four: an unclosed ``<style>`` ran to a ``</pre>`` pages later), and a block without its end
    stops at its first blank line.

    Whether the end exists is learnt once per closing sequence and container: after a block found none
    before the container's end, a later block knows it without looking again (else ``"<!--\\n\\n" * 30000``
    would look to the end 30,000 times)."""
    pos = state.bMarks[start] + state.tShift[start]
    if silent or state.src[pos:pos + 1] != "<" or state.src[pos + 1:pos + 2] not in _UNTIL_END_SECOND:
        return _html_block(state, start, end, silent)
    first = state.src[pos:state.eMarks[start]]
    kind = next((k for k, seq in enumerate(_UNTIL_END) if seq[0].search(first)), None)
    if kind is None or state.is_code_block(start) or not state.md.options.get("html"):
        return _html_block(state, start, end, silent)
    if kind == 0:  # script, pre, style, textarea: its own closing tag
        name = _UNTIL_END[0][0].search(first).group(1).lower()
        closing, key = re.compile(rf"</{name}>", re.IGNORECASE), name
    else:
        closing, key = _UNTIL_END[kind][1], str(kind)
    if key in NEVER_SHOWN:  # never drawn, so never across a blank line: its end is in its own paragraph or nowhere
        end = _first_blank(state, start, end) + 1
    known: dict = state.__dict__.setdefault("_raw_html_no_end", {})  # (key, container end) -> a line from which none is found
    after = None if start >= known.get((key, end), end + 1) else _find_end(state, start, end, closing)
    if after is None:
        if (key, end) not in known or start < known[(key, end)]:
            known[(key, end)] = start
        after = _first_blank(state, start, end)
    state.line = after
    token = state.push("html_block", "", 0)
    token.map = [start, after]
    token.content = state.getLines(start, after, state.blkIndent, True)
    return True


NEVER_SHOWN = frozenset({"script", "style", "textarea"})
"""Blocks of these never reach the reader (script and style are dropped with what they hold, textarea is no
allowed tag): a missing closing tag costs the paragraph they start, never everything up to an unrelated one."""


def _find_end(state, start: int, end: int, closing: re.Pattern[str]) -> int | None:
    """The line after the one holding ``closing`` (from ``start``, within the container), or None."""
    line = start
    while line < end:
        if line > start and state.sCount[line] < state.blkIndent and not state.isEmpty(line):
            return None  # the container ends here (an outdented line)
        if closing.search(state.src[state.bMarks[line] + state.tShift[line]:state.eMarks[line]]):
            return line + 1
        line += 1
    return None


def _first_blank(state, start: int, end: int) -> int:
    line = start + 1
    while line < end and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        line += 1
    return line


# --------------------------------------------------------------------------- blocks
@dataclass
class _Open:
    tag: str
    kept: bool = False  # a later block closes it


@dataclass
class _Block:
    token: Token
    lead: list[_Open]  # wrappers of earlier blocks this block closes first (innermost first)
    body: str  # the balanced rest of the block, without the closing tags added at its end
    closes: list[str]  # the closing tags added at its end, innermost first
    opens: list[_Open]  # the wrappers it leaves open, outermost first (the last len(opens) of closes)


def _balance_blocks(tokens: list[Token]) -> None:
    mark = f"rawhtmlend{secrets.token_hex(8)}"
    clean = _cleaner().clean
    pending: list[_Block] = []  # blocks that close or leave open a container (written when every block is known)
    stack: list[_Open] = []
    for tok in tokens:
        if tok.type != "html_block":
            continue
        content, lead = tok.content, []
        while stack and tok.level == 0 and (m := _LEAD_CLOSE_RE.match(content)):
            name = m.group(1).lower()
            at = next((i for i in range(len(stack) - 1, -1, -1) if stack[i].tag == name), None)
            if at is None:
                break
            for entry in reversed(stack[at:]):  # closing an outer container closes the ones inside it
                entry.kept = True
                lead.append(entry)
            del stack[at:]
            content = content[m.end():]
        out = clean(content + mark)
        body, found, tail = out.rpartition(mark)
        if not found:  # the mark went with what was dropped (an unterminated tag, a script): nothing left open
            body, tail = out, ""
        opens: list[_Open] = []
        if tail and tok.level == 0 and tail.endswith(_WRAPPER_ENDS):
            closes = _CLOSE_RE.findall(tail)
            for name in list(reversed(closes))[:MAX_OPEN - len(stack)]:  # outermost first: a run of containers from the outside
                if name not in WRAPPERS:
                    break
                opens.append(_Open(name))
            stack.extend(opens)
        if lead or opens:
            pending.append(_Block(tok, lead, body, _CLOSE_RE.findall(tail), opens))
        else:
            tok.content = body + tail
    for b in pending:  # a container stays open only when every container around it stays open too
        for i, entry in enumerate(b.opens):
            entry.kept = entry.kept and all(o.kept for o in b.opens[:i])
    for b in pending:
        kept = sum(1 for o in b.opens if o.kept)
        closes = b.closes[:len(b.closes) - kept]
        b.token.content = ("".join(f"</{o.tag}>" for o in b.lead if o.kept) + b.body
                           + "".join(f"</{c}>" for c in closes))


# --------------------------------------------------------------------------- inline HTML
def _balance_inline(children: list[Token]) -> None:
    stack: list[str] = []
    i = 0
    while i < len(children):
        tok = children[i]
        i += 1
        if tok.type != "html_inline":
            continue
        m = _TAG_RE.match(tok.content)
        if m is None:
            continue  # a comment, a declaration, a processing instruction, CDATA: inert, the sanitiser drops them
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name not in RAW_HTML_TAGS:
            tok.content = ""
            if name in DROP_WITH_CONTENT and not closing:
                end = next((j for j in range(i, len(children)) if children[j].type == "html_inline"
                            and re.match(rf"</{name}\s*>", children[j].content, re.IGNORECASE)), None)
                if end is not None:
                    for t in children[i:end + 1]:
                        t.content = ""
                        t.children = None
                        if t.type not in ("html_inline", "text", "code_inline"):
                            t.type = "text"  # e.g. a link or emphasis inside the script: nothing of it is shown
                    i = end + 1
            continue
        if closing:
            if name in stack:
                while stack.pop() != name:
                    pass
            else:
                tok.content = ""  # it would close something outside this paragraph
        elif name not in VOID and not tok.content.rstrip().endswith("/>"):
            stack.append(name)
    for name in reversed(stack):
        close = Token("html_inline", "", 0)
        close.content = f"</{name}>"
        children.append(close)


def _balance(state: StateCore) -> None:
    tokens = state.tokens
    if any(t.type == "html_block" for t in tokens):
        _balance_blocks(tokens)
    for tok in tokens:
        if tok.type == "inline" and tok.children and any(c.type == "html_inline" for c in tok.children):
            _balance_inline(tok.children)


def raw_html_plugin(md: MarkdownIt) -> None:
    """Balance raw HTML where it is written (see the module doc).  Runs right after inline parsing, before
    the task-list checkboxes are made and before headings, anchors and images are recorded."""
    md.block.ruler.at("html_block", _html_block_bounded, {"alt": ["paragraph", "reference", "blockquote"]})
    md.core.ruler.after("inline", "raw_html_balance", _balance)
