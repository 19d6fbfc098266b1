"""A note's view drawn with its Mermaid diagrams: ``st.html`` for the text, ``st.mermaid_chart`` for each diagram.

:func:`explorer.notes.md.mermaid.split_view` cuts the note's sanitised HTML at its diagram markers; the
text is sent first and each diagram is drawn by Streamlit's Mermaid in the browser afterwards (its
bundle loads on demand), so a note's text is readable before its diagrams finish.  Each diagram sits in
a keyed container (``.st-key-mermaid-N``) with its source, one click away, from the note's own HTML.  On a
phone the container scrolls sideways instead of shrinking the diagram to a stamp; the source's toggle in
it is what a keyboard reaches the scrolled region by (axe's scrollable-region-focusable).  When Mermaid cannot
draw a diagram, Streamlit shows Mermaid's error in the box and ``ui/app.css`` shows the source under it
without a click (``:has()`` on the box).
"""

from __future__ import annotations

import streamlit as st

from explorer.notes.md.mermaid import inspect, split_view

from .widgets import html


def draw_view(body: str) -> None:
    """Draw a rendered view of a note (one ``st.html`` block when it has no diagram)."""
    pieces = split_view(body) if "mermaid-slot" in body else [("html", body)]
    n = 0
    box = None
    for kind, text in pieces:
        if kind == "diagram":
            d = inspect(text)
            n += 1
            box = st.container(key=f"mermaid-{n}")
            box.mermaid_chart(text, alt=None if d.has_title else d.alt)
        elif kind == "source" and box is not None:
            with box:  # in the diagram's box: on a phone the box scrolls sideways and holds a control (its source)
                html(text)
        else:
            html(text)
