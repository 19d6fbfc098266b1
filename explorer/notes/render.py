"""Notes -> safe HTML, from the tokens of the note's one parse.

:func:`render_note` renders a *view* of a note (the whole note, its intro, or a section with or
without its subsections) straight from the tokens :func:`explorer.notes.note.parse_note` produced, then
sanitises the result once (:mod:`explorer.notes.md.sanitize`).  The HTML is meant for ``st.html`` (no
second Markdown parse) and for the offline study pack.

Images: a relative path is resolved against the note's own folder (as on GitHub), and for notes
written for this app also against the repository's ``figures/`` folder (``figures/x.png``).  Only
image files inside the content or figures folders are shown; they are inlined as ``data:`` URIs
up to :data:`MAX_INLINE_BYTES` per rendered view (so a tiny note cannot reference one figure a
thousand times and blow up into megabytes).  A path that leaves those folders, or a missing file,
becomes a visible placeholder naming the file.  Remote images are shown with a fallback link, or
only as a link in offline documents.
"""

from __future__ import annotations

import base64
import hashlib
import html
import mimetypes
import os
import posixpath
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

import nh3

from explorer import CONTENT_DIR, FIGURES_DIR, ROOT
from explorer.notes.md.code_blocks import slot_markers
from explorer.notes.md.engine import parser
from explorer.notes.md.sanitize import sanitize
from explorer.notes.md.view_context import ImageResult, ViewContext
from explorer.notes.note import Note
from explorer.notes.note_links import LinkView

IMAGE_TYPES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp"}
MAX_IMAGE_BYTES = 5_000_000  # one image file
MAX_INLINE_BYTES = 8_000_000  # data: URIs per rendered view
UPLOAD_ID_PREFIX = "user-content-"
GLOSSARY_HREF = "/Glossary?term={id}"


@dataclass(frozen=True)
class ImageRoots:
    """Where note images may come from."""

    notes: Path = CONTENT_DIR / "notes"  # a note's folder is resolved under this
    allowed: tuple[Path, ...] = (CONTENT_DIR, FIGURES_DIR)  # images must live inside one of these
    figures: Path = FIGURES_DIR  # "figures/x.png" (this app's convention) resolves here too

    @classmethod
    def for_content(cls, content_dir: Path, figures_dir: Path | None = None) -> ImageRoots:
        content_dir = Path(content_dir)
        figures_dir = Path(figures_dir) if figures_dir is not None else content_dir.parent / "figures"
        return cls(content_dir / "notes", (content_dir, figures_dir), figures_dir)


DEFAULT_ROOTS = ImageRoots()


def _inside(path: Path, roots: tuple[Path, ...]) -> bool:
    return any(path == r or r in path.parents for r in roots)


def _resolve(src: str, folder: str, roots: ImageRoots) -> tuple[str, str, int]:
    """(kind, path or reason, size) for an image reference; kind is "local", "remote" or "missing"."""
    if re.match(r"^https?://", src, re.IGNORECASE):
        return "remote", src, 0
    if not src:
        return "missing", "no source given", 0
    if re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", src, re.IGNORECASE):
        return "missing", "only images in this repository or on http(s) addresses are shown", 0
    rel = unquote(src.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/")
    allowed = tuple(r.resolve() for r in roots.allowed)
    candidates = []
    if rel.startswith("/"):
        candidates.append((ROOT / rel.lstrip("/")).resolve())
    else:
        candidates.append((roots.notes / folder / rel).resolve())
        if rel.startswith("figures/"):
            candidates.append((roots.figures / rel[len("figures/"):]).resolve())
    outside = False
    for target in candidates:
        if not _inside(target, allowed):
            outside = True
            continue
        if target.suffix.lower() not in IMAGE_TYPES:
            return "missing", "not an image file (png, svg, jpg, gif, webp)", 0
        try:
            size = target.stat().st_size
        except OSError:
            continue
        if not target.is_file():
            continue
        if size > MAX_IMAGE_BYTES:
            return "missing", f"larger than {MAX_IMAGE_BYTES // 1_000_000} MB", 0
        return "local", str(target), size
    if outside:
        return "missing", "outside the content and figures folders", 0
    return "missing", "file not found", 0


def resolve_image(src: str, folder: str = "", roots: ImageRoots = DEFAULT_ROOTS) -> ImageResult:
    """Where an image reference in a note (in ``folder`` under the notes folder) points."""
    kind, value, _ = _resolve(src, folder, roots)
    if kind == "missing":
        return ImageResult("missing", src, value)
    return ImageResult(kind, value)


@lru_cache(maxsize=64)
def _data_uri(path: str, mtime_ns: int, size: int) -> str:
    p = Path(path)
    mime = "image/svg+xml" if p.suffix.lower() == ".svg" else (mimetypes.guess_type(p.name)[0] or "image/png")
    return f"data:{mime};base64,{base64.b64encode(p.read_bytes()).decode('ascii')}"


def data_uri(path: str) -> str | None:
    try:
        st = os.stat(path)
        return _data_uri(path, st.st_mtime_ns, st.st_size)
    except OSError:
        return None


@dataclass
class _Inliner:
    """Per-render image bookkeeping: the render rule reserves, the sanitiser inlines."""

    folder: str
    roots: ImageRoots
    budget: int = MAX_INLINE_BYTES
    reserved: dict[str, int] = field(default_factory=dict)
    memory: Mapping[str, Any] | None = None  # a session's own images by path (an imported folder's), see render_note

    def _in_memory(self, src: str):
        """The session's image a relative ``src`` names (resolved against the note's folder), or None."""
        if not self.memory or re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|/)", src, re.IGNORECASE):
            return None
        rel = unquote(src.split("?", 1)[0].split("#", 1)[0]).replace("\\", "/")
        return self.memory.get(posixpath.normpath(posixpath.join(self.folder, rel)))

    def check(self, src: str) -> ImageResult:
        mem = self._in_memory(src)
        if mem is not None:
            cost = len(mem.data) * 4 // 3 + 64
            if cost > self.budget:
                return ImageResult("missing", src, "too many images on this page to show them all")
            self.budget -= cost
            self.reserved[src] = self.reserved.get(src, 0) + 1
            return ImageResult("local", src)
        kind, value, size = _resolve(src, self.folder, self.roots)
        if kind == "remote":
            return ImageResult("remote", src)
        if kind == "missing":
            return ImageResult("missing", src, value)
        cost = size * 4 // 3 + 64
        if cost > self.budget:
            return ImageResult("missing", src, "too many images on this page to show them all")
        self.budget -= cost
        self.reserved[src] = self.reserved.get(src, 0) + 1
        return ImageResult("local", src)

    def src_for(self, value: str) -> str | None:
        """The ``src`` to keep for an ``<img>`` (called by the sanitiser for every image)."""
        if self.reserved.get(value, 0) > 0:
            self.reserved[value] -= 1
        else:  # an <img> written as raw HTML: same rules and budget
            res = self.check(value)
            if res.kind == "remote":
                return value
            if res.kind != "local":
                return None
            self.reserved[value] -= 1
        mem = self._in_memory(value)
        if mem is not None:
            return f"data:{mem.mime};base64,{base64.b64encode(mem.data).decode('ascii')}"
        kind, path, _ = _resolve(value, self.folder, self.roots)
        if kind == "remote":
            return value
        return data_uri(path) if kind == "local" else None


def note_url(note_id: str, section_id: str | None = None) -> str:
    params = {"note": note_id}
    if section_id:
        params["section"] = section_id
    return "?" + urlencode(params)


def render_note(
    note: Note,
    section_id: str | None = None,
    *,
    part: str = "all",
    roots: ImageRoots = DEFAULT_ROOTS,
    glossary=None,
    glossary_href: str = GLOSSARY_HREF,
    id_prefix: str | None = None,
    remote_images: str = "show",
    section_url: Callable[[str, str | None], str] = note_url,
    wrap_class: str = "note-body",
    vault=None,
    embed_depth: int = 0,
    images: Mapping[str, Any] | None = None,
) -> str:
    """Sanitised HTML of one view of a note (see :meth:`explorer.notes.note.Note.ranges`).

    ``glossary`` (a :class:`explorer.notes.glossary_links.TermMatcher`) links the first use of each term in
    each section to ``glossary_href``.  ``id_prefix`` defaults to ``""`` for shipped notes and
    :data:`UPLOAD_ID_PREFIX` for uploads.  In-note ``#links`` point into the view when their target
    is shown, otherwise to ``section_url(note id, section id) + "#anchor"``; links to anchors that do
    not exist are marked ``dead-anchor``.  ``vault`` (an :class:`explorer.notes.vault_links.Vault`) resolves
    Obsidian ``[[links]]`` and ``![[embeds]]`` (:mod:`explorer.notes.note_links`); embedded notes are rendered
    with ``embed_depth=1`` (their own embeds become links) and a smaller image budget.  ``images``: the
    session's own images by path (an imported folder's, :mod:`explorer.notes.vault_import`; objects with ``mime``
    and ``data``), looked up first for relative sources, resolved against the note's folder.
    """
    doc = note.document()
    ranges = note.ranges(section_id, part)
    tokens = [t for a, b in ranges for t in doc.tokens[a:b]]
    footnotes = [n for a, b in ranges for n in doc.footnote_refs(a, b)]
    tokens += doc.footnote_tokens(footnotes)
    in_view = {anchor for anchor, idx in doc.anchors.items() if any(a <= idx < b for a, b in ranges)}
    for n in footnotes:
        in_view.update((f"fn{n + 1}", f"fnref{n + 1}"))
    if id_prefix is None:
        id_prefix = UPLOAD_ID_PREFIX if note.source == "upload" else ""
    inliner = _Inliner(note.folder, roots, MAX_INLINE_BYTES // (8 if embed_depth else 1), memory=images)

    def anchor_target(frag: str) -> str | None:
        exists, holder = note.anchor_section(frag)
        if not exists:
            return None
        return section_url(note.id, holder) + "#" + quote(frag, safe="")

    ctx = ViewContext(
        in_view=frozenset(in_view),
        anchor_target=anchor_target,
        resolve_image=inliner.check,
        remote_images=remote_images,
        glossary=glossary,
        glossary_href=glossary_href,
        glossary_id=glossary_id_base(note.id, section_id, part),
        code_slots=[],
        slot_nonce=secrets.token_hex(12),
        keep=note.source == "content",  # an upload's text never enters a process-wide memo
    )
    if vault is not None:
        def render_embed(other: Note, sec: str | None) -> str:
            return render_note(other, sec, roots=roots, glossary=glossary, glossary_href=glossary_href,
                               id_prefix=f"{id_prefix}embed-{len(ctx.code_slots or ())}-", remote_images=remote_images,
                               section_url=section_url, wrap_class="note-embed-body", vault=vault, embed_depth=1,
                               images=images)

        ctx.links = LinkView(vault, note, section_url, render_embed, depth=embed_depth)
    env = dict(doc.env)
    env["view"] = ctx
    md = parser()
    raw = md.renderer.render(tokens, md.options, env)
    local = frozenset(doc.anchors) | {f"fn{n + 1}" for n in range(len(doc.env.get("footnotes", {}).get("list", {})))} \
        | {f"fnref{n + 1}" for n in range(len(doc.env.get("footnotes", {}).get("list", {})))}

    def clean(text: str) -> str:
        return sanitize(text, id_prefix=id_prefix, image_src=inliner.src_for, local_anchors=local)

    return f'<div class="{html.escape(wrap_class)}">{_with_code_blocks(raw, ctx, clean)}</div>'


def _put_back(text: str, ctx: ViewContext) -> str:
    """``text`` with every code-block marker replaced by its block (:func:`.md.code_blocks.code_slot`)."""
    slots = ctx.code_slots or []
    return slot_markers(ctx.slot_nonce).sub(lambda m: slots[int(m[1])], text)


def _with_code_blocks(raw: str, ctx: ViewContext, clean: Callable[[str], str]) -> str:
    """Sanitise ``raw`` with its code blocks set aside (:func:`.md.code_blocks.code_slot`), then put them back.

    Each marker must come through the sanitiser once, in order, as the element it was; raw HTML in the
    note around it can swallow or move one (a comment, a script, an unclosed attribute, a table).  Then
    the blocks cannot be put back safely, and the whole text, blocks included, is sanitised as one."""
    out = clean(raw)
    found = [int(i) for i in slot_markers(ctx.slot_nonce).findall(out)]
    if found == list(range(len(ctx.code_slots or []))):
        return _put_back(out, ctx)
    return clean(_put_back(raw, ctx))


def glossary_id_base(note_id: str, section_id: str | None, part: str) -> str:
    """Prefix of the ids of a view's glossary previews: views of different notes or sections shown
    on one page (the home page shows two) never share an id."""
    digest = hashlib.sha1(f"{note_id}\0{section_id or ''}\0{part}".encode()).hexdigest()[:8]
    return f"gloss-{digest}"


def sanitize_snippet(fragment: str) -> str:
    """A search snippet: text and ``<mark>`` only."""
    return nh3.clean(fragment, tags={"mark"}, attributes={})


def escape(text: str) -> str:
    return html.escape(text, quote=True)
