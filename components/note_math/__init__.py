"""The notes' math: one invisible Custom Components v2 element (no iframe) that typesets the formula slots.

``st.html`` drops MathML (its DOMPurify uses the HTML profile only), so the app draws each formula as a slot
(:func:`explorer.notes.md.math_slots.math_slots`) and this component's script typesets it in the visitor's browser
with Temml (``temml.min.js``: Temml 0.13.5, MIT, ``TEMML-LICENSE``; TeX to MathML Core, made for Chromium's native
MathML), or puts hand-written MathML back; either is checked element by element against the sanitiser's
allow-list (:data:`explorer.notes.md.sanitize.MATHML_ATTRS`, :data:`~explorer.notes.md.sanitize.MATHML_STYLE_PROPS`)
before it is inserted (``math.js``).  Temml's own style rules for Chromium are in ``math.css``.
Mounted by :func:`ui.math_view.with_math`.
"""

from __future__ import annotations

import json
from pathlib import Path

import streamlit as st

from components import compact_source
from explorer.notes.md.math_tex import MAX_TEX_CHARS
from explorer.notes.md.sanitize import MATHML_ATTRS, MATHML_STYLE_PROPS

__all__ = ["note_math", "TEMML_VERSION"]

TEMML_VERSION = "0.13.5"
_DIR = Path(__file__).resolve().parent
_ALLOWED = json.dumps({tag: sorted(attrs) for tag, attrs in sorted(MATHML_ATTRS.items())}, separators=(",", ":"))
_SCRIPT = (compact_source((_DIR / "math.js").read_text(encoding="utf-8"))
           .replace("__ALLOWED__", _ALLOWED)
           .replace("__STYLE_PROPS__", json.dumps(sorted(MATHML_STYLE_PROPS), separators=(",", ":")))
           .replace("__MAX_TEX__", str(MAX_TEX_CHARS)))

_component = st.components.v2.component(
    "note_math",
    html="<span data-note-math hidden></span>",
    css=compact_source((_DIR / "math.css").read_text(encoding="utf-8")),
    # Temml's build defines one name, ``temml``, in this module's scope (no global is written)
    js=(_DIR / "temml.min.js").read_text(encoding="utf-8").strip() + "\n" + _SCRIPT,
    isolate_styles=False,  # the CSS must reach the element container around the component and the notes' formulas
)


def note_math(key: str) -> None:
    """Mount the (invisible) script that typesets the formula slots on the page; ``key`` unique in the run."""
    _component(key=key)
