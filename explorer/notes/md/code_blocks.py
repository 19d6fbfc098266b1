"""Plugin ``code_blocks``: fenced and indented code, highlighted by Pygments, with a language label.

Each block is ``<div class="code-block">`` holding the language label, a copy button (the page shell
copies the ``<code>`` text; the study pack hides it) and ``<pre><code>`` with Pygments spans (classes
:data:`CODE_CLASS_PREFIX` ``*``) or escaped text for an unknown language.

Code blocks are safe by construction and are most of a code-heavy note's HTML, so a view may set them
aside while the rest is sanitised (:func:`code_slot`, :func:`slot_markers`).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from functools import lru_cache
from threading import Lock

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml, unescapeAll

CODE_CLASS_PREFIX = "tok-"
_LANG_RE = re.compile(r"^[\w#+.-]{1,40}$")


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


class _Highlighted:
    """Highlighted code blocks of shipped notes by (language, digest of the code), the most recently used first out of
    :attr:`MAX_BYTES` of HTML.  An edited note is drawn again with its code blocks as they were: Pygments
    is about half the draw of a note with code, and an edit of its prose changes none of its blocks."""

    MAX_BYTES = 4_000_000
    MAX_BLOCK = 200_000  # a block's HTML larger than this is made each time (it would push out many others)

    def __init__(self) -> None:
        self._data: OrderedDict[tuple[str, bytes], str] = OrderedDict()
        self._bytes = 0
        self._lock = Lock()

    def get(self, code: str, lang: str, make) -> str:
        key = (lang, hashlib.blake2b(code.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        with self._lock:
            out = self._data.get(key)
            if out is not None:
                self._data.move_to_end(key)
                return out
        out = make()
        if len(out) <= self.MAX_BLOCK:
            with self._lock:
                if key not in self._data:
                    self._data[key] = out
                    self._bytes += len(out)
                    while self._bytes > self.MAX_BYTES:
                        self._bytes -= len(self._data.popitem(last=False)[1])
        return out

    def __len__(self) -> int:
        return len(self._data)


HIGHLIGHTED = _Highlighted()


def highlight_code(code: str, lang: str, keep: bool = False) -> str:
    """HTML of a code block's lines: Pygments spans (classes ``tok-*``) or escaped text.  ``keep``: a shipped
    note's block, kept in the process-wide :data:`HIGHLIGHTED` (an upload's code never is)."""
    lexer = _lexer(lang.lower()) if lang and _LANG_RE.match(lang) else None
    if lexer is None:
        return escapeHtml(code)
    if not keep:
        return _highlight(code, lexer)
    return HIGHLIGHTED.get(code, lang.lower(), lambda: _highlight(code, lexer))


def _highlight(code: str, lexer) -> str:
    from pygments import highlight

    out = highlight(code, lexer, _formatter())
    # Pygments may add a final newline; keep the code's own line count
    if not code.endswith("\n") and out.endswith("\n"):
        out = out[:-1]
    return out


def _code_html(code: str, lang: str, keep: bool = False) -> str:
    label = escapeHtml(lang) if lang else ""
    attrs = f' data-lang="{label}"' if label else ""
    head = f'<div class="code-lang" aria-hidden="true">{label}</div>' if label else ""
    lang_class = f' class="language-{label}"' if label and _LANG_RE.match(lang) else ""
    # the copy button works in the app (components/page_shell copies the <code> text); the study pack hides it
    copy = '<button type="button" class="code-copy" aria-label="Copy the code">Copy</button>'
    return (f'<div class="code-block"{attrs}>{head}{copy}<pre class="highlight" tabindex="0"><code{lang_class}>'
            f"{highlight_code(code, lang, keep)}</code></pre></div>\n")


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
    return code_slot(env, _code_html(tok.content, lang, _keep(env)))


def _render_code_block(self, tokens, idx, options, env) -> str:
    return code_slot(env, _code_html(tokens[idx].content, ""))


def _keep(env: dict) -> bool:
    ctx = env.get("view")
    return ctx is not None and ctx.keep


def code_blocks_plugin(md: MarkdownIt) -> None:
    """Render fenced (```` ```lang ````) and indented code blocks as highlighted, labelled blocks."""
    md.add_render_rule("fence", _render_fence)
    md.add_render_rule("code_block", _render_code_block)
