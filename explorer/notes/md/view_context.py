"""The per-render context the render plugins read: ``env["view"]``, a :class:`ViewContext`.

A render of one view of a note (:func:`explorer.notes.render.render_note`) makes one context and puts
it in the renderer's ``env``; the render plugins (:mod:`.code_blocks`, :mod:`.images`, :mod:`.links`,
:mod:`.glossary_terms`) read it and keep their running state in it (inside a link or a heading, the
glossary terms already linked, the code blocks set aside).  Rendering without one uses the defaults.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImageResult:
    """What to draw for one image reference."""

    kind: str  # "local" (src is a safe URL to use as is), "remote", "missing"
    src: str = ""
    reason: str = ""


@dataclass
class ViewContext:
    """Everything a render needs beyond the tokens (one per render call: it is mutated while rendering)."""

    in_view: frozenset[str] = frozenset()  # anchor ids present in the rendered range
    anchor_target: Callable[[str], str | None] = lambda frag: None  # URL for an anchor outside the view
    resolve_image: Callable[[str], ImageResult] = lambda src: ImageResult("remote" if re.match(r"https?://", src) else "missing", src)
    remote_images: str = "show"  # "show" (image + fallback link) or "link" (link only: offline documents)
    glossary: Any = None  # a glossary TermMatcher, or None
    glossary_href: str = "/Glossary?term={id}"
    glossary_id: str = "gloss"  # ids of definition previews: f"{glossary_id}-{n}" (unique in the page)
    glossary_seen: set[str] = field(default_factory=set)
    glossary_count: int = 0
    in_heading: bool = False
    in_link: int = 0
    # Code blocks set aside while the rest is sanitised (see :func:`.code_blocks.code_slot`); None: written inline.
    code_slots: list[str] | None = None
    slot_nonce: str = ""
    # Obsidian links (:mod:`.wikilinks`): a :class:`explorer.notes.note_links.LinkView`, or None (links show as text)
    links: Any = None
    link_tips: list[str] = field(default_factory=list)  # what closes each open wikilink (its preview)
    # a shipped note's view: its code blocks and texts may be kept in the process-wide memos for the next draw
    # (:mod:`.code_blocks`, :meth:`explorer.notes.glossary_links.TermMatcher.matches`); never an upload's
    keep: bool = False


def view_context(env: dict) -> ViewContext:
    """The render's context (a default one is made and kept when the caller gave none)."""
    ctx = env.get("view")
    if ctx is None:
        ctx = env["view"] = ViewContext()
    return ctx
