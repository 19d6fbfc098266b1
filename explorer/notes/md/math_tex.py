"""TeX -> MathML on the server (``latex2mathml``), bounded in cost and safe by construction: the study pack's formulas
(:mod:`.math_offline`) and ``explorer validate`` (:mod:`.math_check`); the app typesets in the browser (Temml).
:func:`check_tex` and :class:`Budget` bound every view's formulas, in the app too (:mod:`.math`).

:func:`typeset` turns one formula into a ``<math>`` element, or says why it cannot:

* **Bounded.**  A formula longer than :data:`MAX_TEX_CHARS` or nested deeper than :data:`MAX_DEPTH`
  (braces, ``\\left``, ``\\begin``) is refused before it is converted (latex2mathml's cost grows with the
  square of the nesting: 300 nested braces took 55 ms, 10,000 ran out of stack); so are unbalanced braces.
  A macro that expands forever (``\\def\\a{\\a}\\a``) is stopped by latex2mathml's own expansion limit
  and reported like any other error.  :class:`Budget` bounds what one rendered view typesets in all.
* **Safe.**  latex2mathml writes text unescaped (``\\text{<b>}`` came out as a ``<b>`` tag); here its
  element tree is written out by :func:`_write` with every text escaped, and only the MathML Core
  elements and attributes of :data:`.sanitize.MATHML_ATTRS` are kept (``\\href``'s ``href``, ``\\style``'s ``style``
  are dropped).  The sanitiser checks the result again with the same list (:mod:`.sanitize`).
* **Checked.**  What latex2mathml accepts silently but would draw wrongly is an error: an unknown
  command (``\\foo`` came out as the text "\\foo"), a fraction or script missing an argument (``\\frac{a}``),
  an ``&`` outside a table.
* **Drawn by Chromium.**  ``aligned``/``align``/``eqnarray`` are written as ``align*`` (a table, no
  equation numbers, as GitHub shows them); a line break ``\\\\`` outside a table (``gather``, ``multline``, a
  display formula on several lines) becomes a one-column table, since MathML Core has no line breaks.

The TeX is kept as an ``annotation`` (``application/x-tex``) for screen readers and copying.
"""

from __future__ import annotations

import html
import re
import time
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from explorer.notes.md.sanitize import MATH_VALUE_RE, MATHML_ATTRS

MAX_TEX_CHARS = 4000
"""Longest formula typeset (a 20x20 matrix is about 850 characters and takes ~15 ms)."""
MAX_DEPTH = 40
"""Deepest nesting of braces, ``\\left`` and ``\\begin`` typeset (40 levels take about 0.4 ms)."""
MAX_VIEW_TEX_CHARS = 40_000
"""TeX typeset per rendered view, in characters (about 0.4 s of CPU for the longest formulas)."""
MAX_VIEW_FORMULAS = 1000
"""Formulas typeset per rendered view (short ones cost 0.15-0.4 ms each)."""
MAX_VIEW_CPU_S = 0.4
"""CPU time (this thread's) after which the rest of a view's formulas are shown as TeX."""
MAX_NODES = 20_000
"""Elements in one formula's MathML (a macro expanded 100 times can grow large)."""

_ARITY = {"mfrac": 2, "msub": 2, "msup": 2, "msubsup": 3, "munder": 2, "mover": 2, "munderover": 3, "mroot": 2}
_BARS = frozenset({"\u2015", "\u00af", "\u203e", "_"})
_BAR_PARENTS = frozenset({"mover", "munder"})
_CHAR_REF_RE = re.compile(r"&#x([0-9A-Fa-f]{1,6});")
_UNKNOWN_RE = re.compile(r"^\\[A-Za-z]+\*?$")
_ALIGN_ENV_RE = re.compile(r"\\(begin|end)\{(aligned|align\*?|alignat\*?|alignedat|eqnarray\*?|flalign\*?)\}")
_DROPPED_RE = re.compile(r"\\label\{[^{}]{0,200}\}|\\nonumber\b|\\notag\b")  # numbering marks GitHub does not show
_DEPTH_OPEN_RE = re.compile(r"\\left\b|\\begin\b")
_DEPTH_CLOSE_RE = re.compile(r"\\right\b|\\end\b")


class TexError(ValueError):
    """A formula that is not typeset, with the reason a reader is shown."""


@dataclass(frozen=True)
class Typeset:
    """One formula: its MathML, or why it is shown as TeX."""

    html: str | None
    error: str | None = None


@dataclass
class Budget:
    """What one rendered view may still typeset; :meth:`take` says whether a formula of ``n`` characters may."""

    chars: int = MAX_VIEW_TEX_CHARS
    formulas: int = MAX_VIEW_FORMULAS
    cpu_s: float = MAX_VIEW_CPU_S
    started: float = field(default_factory=time.thread_time)
    exhausted: bool = False

    def take(self, n: int) -> bool:
        if not self.exhausted and (n > self.chars or self.formulas <= 0
                                   or time.thread_time() - self.started > self.cpu_s):
            self.exhausted = True
        if self.exhausted:
            return False
        self.chars -= n
        self.formulas -= 1
        return True


def check_tex(tex: str) -> None:
    """Refuse what would cost too much or cannot be right, before it is converted (raises :class:`TexError`)."""
    if len(tex) > MAX_TEX_CHARS:
        raise TexError(f"too long to typeset here ({len(tex):,} characters; at most {MAX_TEX_CHARS:,})")
    depth = deepest = 0
    i, n = 0, len(tex)
    while i < n:
        c = tex[i]
        if c == "\\":
            m = _DEPTH_OPEN_RE.match(tex, i) or _DEPTH_CLOSE_RE.match(tex, i)
            if m is not None:
                depth += 1 if m.re is _DEPTH_OPEN_RE else -1
                i = m.end()
            else:
                i += 2
        else:
            if c == "{":
                depth += 1
            elif c == "}":
                depth -= 1
            i += 1
        if depth < 0:
            raise TexError("unbalanced braces, \\left/\\right or \\begin/\\end")
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            raise TexError(f"nested too deeply to typeset here (more than {MAX_DEPTH} levels)")
    if depth != 0:
        raise TexError("unbalanced braces, \\left/\\right or \\begin/\\end")


def _prepare(tex: str) -> str:
    """TeX as latex2mathml draws it best in Chromium: the align family as ``align*`` (see the module doc),
    without ``\\label``/``\\nonumber`` (equations are not numbered)."""
    return _DROPPED_RE.sub("", _ALIGN_ENV_RE.sub(lambda m: f"\\{m[1]}{{align*}}", tex))


def _text(s: str | None) -> str:
    """Text of an element: latex2mathml writes symbols as ``&#x...;`` inside the text; the rest is literal."""
    if not s:
        return ""
    if "&" in s:
        s = _CHAR_REF_RE.sub(lambda m: _char(m[1]), s)
    return html.escape(s, quote=False) if "&" in s or "<" in s or ">" in s else s


def _char(hexdigits: str) -> str:
    cp = int(hexdigits, 16)
    return chr(cp) if 0 < cp < 0x110000 and not 0xD800 <= cp < 0xE000 else "\ufffd"


def _is_break(el: Element) -> bool:
    return el.tag == "mspace" and el.get("linebreak") == "newline"


def _bar_line(tag: str, children: list[Element]) -> str | None:
    """"overline" or "underline" for latex2mathml's ``\\overline``/``\\underline`` (a base and an accent bar)."""
    if tag not in ("mover", "munder") or len(children) != 2:
        return None
    bar = children[1]
    if bar.tag != "mo" or _text(bar.text) not in _BARS or bar.get("accent") != "true":
        return None
    return "overline" if tag == "mover" else "underline"


class _Writer:
    def __init__(self) -> None:
        self.out: list[str] = []
        self.nodes = 0

    def write(self, el: Element) -> None:
        tag = el.tag
        allowed = MATHML_ATTRS.get(tag)
        if allowed is None:
            raise TexError(f"uses <{tag}>, which is not drawn here")
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TexError("too large to typeset here")
        children = list(el)
        if tag in _ARITY and len(children) != _ARITY[tag]:
            raise TexError("a fraction, root or script is missing an argument")
        if tag in ("mi", "mo", "mtext") and el.text:
            if el.text == "&" and tag == "mi":
                raise TexError("'&' outside a table (use aligned, cases or a matrix)")
            if _UNKNOWN_RE.match(el.text):
                raise TexError(f"unknown command {el.text}")
        if children and any(c.tag == "mspace" and _is_break(c) for c in children):
            self._lines(tag, el, children)
            return
        line = _bar_line(tag, children) if tag in _BAR_PARENTS else None
        if line is not None:  # \overline, \underline: a rule the width of the base (the font has no long bar)
            self.out.append(f'<mrow class="math-{line}">')
            self.write(children[0])
            self.out.append("</mrow>")
            return
        attrs = "".join(f' {k}="{html.escape(v)}"' for k, v in el.attrib.items()
                        if k in allowed and MATH_VALUE_RE.match(v)) if el.attrib else ""
        self.out.append(f"<{tag}{attrs}>{_text(el.text)}")
        for child in children:
            self.write(child)
        self.out.append(f"</{tag}>")

    def _lines(self, tag: str, el: Element, children: list[Element]) -> None:
        """An element whose children hold line breaks: one table row per line (MathML Core has no breaks)."""
        lines: list[list[Element]] = [[]]
        for child in children:
            if _is_break(child):
                lines.append([])
            else:
                lines[-1].append(child)
        self.out.append(f"<{tag}>{_text(el.text)}<mtable>")
        for line in lines:
            self.out.append("<mtr><mtd><mrow>")
            for child in line:
                self.write(child)
            self.out.append("</mrow></mtd></mtr>")
        self.out.append(f"</mtable></{tag}>")


def typeset(tex: str, display: bool) -> Typeset:
    """``tex`` as a ``<math>`` element (``display="block"`` for display math), or the reason it is not."""
    from latex2mathml.converter import convert_to_element  # imported with the first formula, not with the engine

    body = tex.strip()
    try:
        check_tex(body)
        root = convert_to_element(_prepare(body), display="block" if display else "inline")
        writer = _Writer()
        for child in root:
            writer.write(child)
    except TexError as exc:
        return Typeset(None, str(exc))
    except RecursionError:
        return Typeset(None, "a macro that never stops expanding, or nesting too deep to typeset here")
    except Exception as exc:  # latex2mathml's own errors (double superscripts, missing arguments, ...)
        name = re.sub(r"(?<!^)(?=[A-Z])", " ", type(exc).__name__.removesuffix("Error")).lower()
        return Typeset(None, f"{name}: {exc}"[:160].rstrip(": ") if str(exc) else name)
    mode = "block" if display else "inline"
    return Typeset(
        f'<math display="{mode}"><semantics><mrow>{"".join(writer.out)}</mrow>'
        f'<annotation encoding="application/x-tex">{html.escape(body, quote=False)}</annotation></semantics></math>'
    )


def typeset_within(tex: str, display: bool, budget: Budget, memo: dict) -> Typeset | None:
    """:func:`typeset` through a note's ``memo`` (formula -> result) and a view's ``budget``; None past the budget."""
    key = (tex, display)
    done = memo.get(key)
    if done is not None:
        return done
    if not budget.take(min(len(tex), MAX_TEX_CHARS)):  # a longer one is refused before any work
        return None
    done = memo[key] = typeset(tex, display)
    return done
