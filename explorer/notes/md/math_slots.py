"""Formulas of a sanitised view set in slots that ``st.html`` keeps, for the app's math script to fill.

Streamlit's ``st.html`` passes what it draws through DOMPurify with the HTML profile only, which drops
every MathML element (the text of ``<math><msub><mi>x</mi><mn>0</mn></msub></math>`` came out as "x0").
So in the app, :func:`math_slots` replaces each top-level ``<math>`` element of a view's sanitised HTML by
``<span class="math-slot" data-mathml="...">`` holding the TeX source as its text; the browser half
(``components/note_math``) puts the MathML back, checking each element and attribute against the same
allow-list (:data:`.sanitize.MATHML_ATTRS`).  The study pack keeps the MathML inline (no DOMPurify there).

The input is the sanitiser's output: tags are well formed and attribute values have ``<`` and ``>``
escaped, so a tag scan finds every ``<math>`` and its end; ``math-slot`` is no class a note can write.
"""

from __future__ import annotations

import html
import re

_MATH_TAG_RE = re.compile(r"<(/?)math\b[^>]*>")
_TEX_RE = re.compile(r'<annotation encoding="application/x-tex">(.*?)</annotation>', re.DOTALL)


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
    """One formula as a slot: the MathML in an attribute, its TeX (or nothing) as the text shown until it is filled."""
    tex = _TEX_RE.search(mathml)
    shown = tex[1] if tex else ""
    block = ' data-display="block"' if mathml.startswith('<math display="block"') else ""
    return f'<span class="math-slot"{block} data-mathml="{html.escape(mathml, quote=True)}">{shown}</span>'
