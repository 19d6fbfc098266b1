"""A note's view with its formulas: slots that ``st.html`` keeps, typeset in the browser by ``components.note_math``.

Streamlit's ``st.html`` keeps no MathML (see :mod:`explorer.notes.md.math_slots`).  :func:`with_math` sets each
formula of a rendered view in a slot (its TeX, or hand-written MathML) and mounts the script that typesets them
in the visitor's browser (Temml), so the server does no typesetting; a view without formulas is passed through
untouched and mounts nothing.

The script (Temml included, ~180 kB) is mounted under one fixed key: Streamlit's message cache then sends it to
a browser once per page load and a rerun or another note's view sends only a reference to it (a key per view
would send it again for every note).  A page draws at most one note view per run (``ui.notes_view.show_note``).
"""

from __future__ import annotations

from components.note_math import note_math
from explorer.notes.md.math_slots import math_slots


def with_math(body: str) -> str:
    """``body`` ready for ``st.html``; mounts the math script when it holds a formula."""
    if "<math" not in body:
        return body
    out = math_slots(body)
    note_math(key="note-math")
    return out
