"""Load a module in the browser while the reader reads: Streamlit's Plotly bundle, from pages without charts.

The home page has no Plotly chart (its figures are generated images), so a visit that starts there
would load Streamlit's 4.7 MB Plotly bundle only when it opens its first chart page, which then
takes a second or more longer than when the home page had loaded it.  :func:`preload_module` mounts
an invisible Custom Components v2 element (no iframe) whose script waits until the page has been
drawn and the browser is idle, then imports the module: the browser fetches, compiles and runs it,
and the chart page finds it loaded.  Nothing is sent back to the server; a failed import is ignored
(the chart page then loads the module itself).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

__all__ = ["preload_module"]

_DIR = Path(__file__).resolve().parent

_component = st.components.v2.component(
    "preload",
    html="<span data-preload hidden></span>",
    css=(_DIR / "preload.css").read_text(encoding="utf-8"),
    js=(_DIR / "preload.js").read_text(encoding="utf-8"),
    isolate_styles=False,  # the CSS must reach the element container around the component to hide it
)


def preload_module(url: str, *, key: str = "preload") -> None:
    """Import the ES module at ``url`` (relative to the page) once the browser is idle, once per page load."""
    if not isinstance(url, str) or not url or "\n" in url:
        raise ValueError("preload_module needs a relative URL")
    _component(key=key, data={"url": url})
