"""Formulas of a sanitised view set in slots that ``st.html`` keeps, for the app's math script to fill.

Streamlit's ``st.html`` passes what it draws through DOMPurify with the HTML profile only, which drops
every MathML element (the text of ``<math><msub><mi>x</mi><mn>0</mn></msub></math>`` came out as "x0").
So in the app, :func:`math_slots` replaces each top-level ``<math>`` element of a view's sanitised HTML by a
slot holding the formula's TeX as its text (what is shown until the browser has drawn it):

* a formula written in TeX (a ``<math>`` that holds only its TeX annotation, :func:`.math.tex_element`) becomes
  ``<span class="math-slot" data-tex="...">``: the browser half (``components/note_math``) typesets it with Temml;
* MathML written by hand in a note becomes ``<span class="math-slot" data-mathml="...">``: the browser puts it back.

Either way the browser checks each element and attribute against the sanitiser's allow-list
(:data:`.sanitize.MATHML_ATTRS`) before inserting it.  The study pack has its formulas typeset on the server
(:mod:`.math_offline`; no DOMPurify there).

The input is the sanitiser's output: tags are well formed and attribute values have ``<`` and ``>``
escaped, so a tag scan finds every ``<math>`` and its end; ``math-slot`` is no class a note can write.
"""

from __future__ import annotations

import html
import re

_MATH_TAG_RE = re.compile(r"<(/?)math\b[^>]*>")
_TEX_RE = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.DOTALL)
_TEX_ONLY_RE = re.compile(r'<math display="(?:block|inline)"><semantics><annotation encoding="application/x-tex">'
                          r"([^<]*)</annotation></semantics></math>")


def math_slots(body: str) -> str:
    """``body`` with every top-level ``<math>`` element replaced by a slot (see the module doc)."""
    if "<math" not in body:
        return body
    out: list[str] = []
    depth = start = last = 0
    for m in _MATH_TAG_RE.finditer(body):
        if m[1]:
            if depth == 0:
                continue
            depth -= 1
            if depth == 0:
                out += [body[last:start], slot(body[start:m.end()])]
                last = m.end()
        else:
            if depth == 0:
                start = m.start()
            depth += 1
    out.append(body[last:])
    return "".join(out)


def slot(mathml: str) -> str:
    """One formula as a slot (see the module doc): its TeX (or nothing) is the text shown until it is drawn."""
    block = ' data-display="block"' if mathml.startswith('<math display="block"') else ""
    tex_only = _TEX_ONLY_RE.fullmatch(mathml)
    if tex_only is not None:  # already escaped by the sanitiser; the attribute gets the same text
        return f'<span class="math-slot"{block} data-tex="{tex_only[1].replace(chr(34), "&quot;")}">{tex_only[1]}</span>'
    tex = _TEX_RE.search(mathml)
    shown = tex[1] if tex else ""
    return f'<span class="math-slot"{block} data-mathml="{html.escape(mathml, quote=True)}">{shown}</span>'

