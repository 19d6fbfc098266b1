"""The app's favicon (``assets/favicon.png``), set in the browser by an invisible Custom Components v2
element (no iframe) instead of ``st.set_page_config(page_icon=...)``.

Streamlit turns an image ``page_icon`` into a URL with ``image_to_url``, which imports numpy and PIL
first, whatever the image: about 0.2 s of CPU on a cold server's first run (plus a slower one-time
``inspect.stack()`` scan that Streamlit runs on the first element, which grows with every loaded
module), all before the first visitor's home page is complete (issue 11).  Here the icon travels
inside the component's script as a ``data:`` URI (685 bytes, no request, no network) and the
script points the page's ``link[rel="shortcut icon"]`` at it.  Streamlit's frontend sets its own
default icon only once, when the first session starts, before any element is drawn; it changes
the icon again only for a ``page_icon`` (none is given) or a page with an icon (none has one).
"""

from __future__ import annotations

import base64
from pathlib import Path

import streamlit as st

from components.browser_store import compact_source

__all__ = ["ICON_URI", "favicon"]

_DIR = Path(__file__).resolve().parent
ICON_URI = "data:image/png;base64," + base64.b64encode(
    (_DIR.parent.parent / "assets" / "favicon.png").read_bytes()).decode("ascii")

_component = st.components.v2.component(
    "favicon",
    html="<span data-favicon hidden></span>",
    css=compact_source((_DIR / "favicon.css").read_text(encoding="utf-8")),
    js=compact_source((_DIR / "favicon.js").read_text(encoding="utf-8").replace("__ICON_URI__", ICON_URI)),
    isolate_styles=False,  # the CSS must reach the element container around the component to hide it
)


def favicon() -> None:
    """Mount the (invisible) element that sets the favicon; call once per page run."""
    _component(key="favicon", data=b"1")
