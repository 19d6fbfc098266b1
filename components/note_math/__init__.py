"""The notes' math: one invisible Custom Components v2 element (no iframe) that fills the formula slots.

``st.html`` drops MathML (its DOMPurify uses the HTML profile only), so the app draws each typeset formula
as a slot (:func:`explorer.notes.md.math_slots.math_slots`) and this component's script (``math.js``) puts
the MathML back in the browser, element by element against the sanitiser's allow-list
(:data:`explorer.notes.md.sanitize.MATHML_ATTRS`).  Mounted by :func:`ui.math_view.draw_math_view`.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from components import compact_source
from explorer.notes.md.sanitize import MATHML_ATTRS

__all__ = ["note_math"]

_DIR = Path(__file__).resolve().parent
_ALLOWED = json.dumps({tag: sorted(attrs) for tag, attrs in sorted(MATHML_ATTRS.items())}, separators=(",", ":"))

_component = st.components.v2.component(
    "note_math",
    html="<span data-note-math hidden></span>",
    css=compact_source((_DIR / "math.css").read_text(encoding="utf-8")),
    js=compact_source((_DIR / "math.js").read_text(encoding="utf-8")).replace("__ALLOWED__", _ALLOWED),
    isolate_styles=False,  # the CSS must reach the element container around the component to hide it
)


def note_math(key: str) -> None:
    """Mount the (invisible) script that fills the formula slots on the page; ``key`` unique in the run."""
    _component(key=key)
