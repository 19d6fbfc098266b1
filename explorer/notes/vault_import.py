"""Bring the whole folder (issue #23): a folder or a ``.zip`` of notes with their images, checked, in memory only.

A learner adds a vault as a folder (the browser sends each file with its path inside the folder) or as one
``.zip``.  :func:`read_folder` and :func:`read_zip` return a :class:`VaultImport`: the notes (path, bytes)
to read as uploads (:func:`explorer.notes.uploads.read_upload`, which keeps each note's folder), the images
(path -> :class:`Image`) and every file refused, each with its reason (:class:`explorer.limits.Refusal`).
Nothing is written to disk, nothing is parsed here.

The limits (:data:`explorer.limits.LIMITS`): at most ``import_files`` files per import; at most
``import_bytes`` unpacked in all; one image at most ``image_bytes``; a ``.zip`` at most ``zip_bytes``.
A zip is refused as a whole when the sizes its directory declares add up to more than ``import_bytes``
(a zip bomb), and every member is read with a cap of what it declared: a member that unpacks to more is
a bomb too, and the whole zip is refused.  A path that is absolute, names a drive, or leaves the folder
(``..``) is refused; so is a second file whose path differs from one already taken only in case or
Unicode form.  Hidden files and folders (``.obsidian/``, ``.DS_Store``, ``__MACOSX/``) are left out
without a word: they are the tools' own, never the learner's notes.

SVG images are sanitised (:func:`clean_svg`): an allow-list of SVG elements and attributes, no scripts,
event handlers, ``foreignObject``, styles that load anything, or references outside the image.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from xml.etree import ElementTree as ET

from explorer.limits import (
    IMAGE_BLOB_PREFIX,
    LIMITS,
    NOTE_PATH_BLOB_CHARS,
    NOTE_PATH_BLOB_PREFIX,
    Limits,
    Refusal,
    image_blob_chars,
    kb,
    mb,
)

NOTE_SUFFIXES = (".md", ".markdown", ".txt")
IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}
MAX_LISTED = 40  # files named one by one in a refusal that groups many
MAX_PATH_CHARS = 190  # a note's path is its name in the learner's progress (at most 200 characters)


@dataclass(frozen=True)
class Image:
    path: str  # inside the imported folder, e.g. "Vault/Images/diagram.png"
    mime: str
    data: bytes  # an SVG as cleaned by clean_svg


@dataclass(frozen=True)
class VaultImport:
    notes: tuple[tuple[str, bytes], ...] = ()  # (path, bytes), in path order
    images: dict[str, Image] = field(default_factory=dict)  # path -> image
    refused: tuple[Refusal, ...] = ()

    @property
    def count(self) -> int:
        return len(self.notes) + len(self.images)


# --------------------------------------------------------------------------- paths
def clean_path(name: str) -> str | None:
    """The path of a file inside the imported folder (``/``-separated, NFC), or None when it is absolute,
    names a drive, leaves the folder or is empty."""
    raw = str(name or "").replace("\\", "/")
    if not raw or raw.startswith("/") or re.match(r"^[A-Za-z]:", raw) or "\x00" in raw:
        return None
    parts = [p for p in raw.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts) or any(re.search(r"[\x00-\x1f\x7f]", p) for p in parts):
        return None
    return unicodedata.normalize("NFC", "/".join(parts))


def _hidden(path: str) -> bool:
    return any(p.startswith(".") or p == "__MACOSX" for p in path.split("/"))


def _kind(path: str) -> str | None:
    suffix = PurePosixPath(path).suffix.lower()
    if suffix in NOTE_SUFFIXES:
        return "note"
    return "image" if suffix in IMAGE_TYPES else None


# --------------------------------------------------------------------------- SVG
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
SVG_ELEMENTS = frozenset({
    "svg", "g", "a", "defs", "symbol", "use", "title", "desc", "path", "rect", "circle", "ellipse", "line", "polyline",
    "polygon", "text", "tspan", "textPath", "linearGradient", "radialGradient", "stop", "clipPath", "mask", "pattern",
    "marker", "image", "switch", "metadata",
})
SVG_ATTRIBUTES = frozenset({
    "id", "class", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "dx", "dy", "d", "points", "width",
    "height", "viewBox", "preserveAspectRatio", "transform", "fill", "fill-opacity", "fill-rule", "stroke",
    "stroke-width", "stroke-opacity", "stroke-linecap", "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset",
    "stroke-miterlimit", "opacity", "font-family", "font-size", "font-weight", "font-style", "text-anchor",
    "dominant-baseline", "alignment-baseline", "letter-spacing", "gradientUnits", "gradientTransform", "offset",
    "stop-color", "stop-opacity", "clip-path", "clip-rule", "mask", "marker-start", "marker-mid", "marker-end",
    "markerWidth", "markerHeight", "refX", "refY", "orient", "markerUnits", "patternUnits", "patternTransform",
    "spreadMethod", "fx", "fy", "style", "visibility", "display", "color", "version", "role", "aria-label",
    "href", "lang", "xml:space", "vector-effect", "textLength", "lengthAdjust", "startOffset", "rotate",
})
_BAD_STYLE = re.compile(r"url\s*\(\s*['\"]?\s*(?!#)|@import|expression|javascript:|behavio(?:u)?r", re.IGNORECASE)
_DANGEROUS_MARKUP = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)


class SvgError(ValueError):
    pass


def _local(tag: str) -> tuple[str, str]:
    """(namespace, local name) of an ElementTree tag or attribute name."""
    if tag.startswith("{"):
        ns, _, name = tag[1:].partition("}")
        return ns, name
    return "", tag


def _clean_element(el: ET.Element) -> None:
    for child in list(el):
        if not isinstance(child.tag, str):
            el.remove(child)  # comments, processing instructions
            continue
        ns, name = _local(child.tag)
        if ns not in ("", SVG_NS) or name not in SVG_ELEMENTS:
            el.remove(child)  # script, style, foreignObject, anything not SVG
            continue
        _clean_element(child)
    for attr in list(el.attrib):
        ns, name = _local(attr)
        value = el.attrib[attr]
        keep = (ns in ("", XLINK_NS) or attr.startswith("{http://www.w3.org/XML/1998/namespace}")) and (
            name in SVG_ATTRIBUTES or attr == "{http://www.w3.org/XML/1998/namespace}space")
        if name == "href" and not value.strip().startswith("#"):
            keep = False  # no reference outside the image (files, addresses, data: URIs, javascript:)
        if keep and (_BAD_STYLE.search(value) or "javascript:" in value.lower()):
            keep = False
        if not keep:
            del el.attrib[attr]


def clean_svg(data: bytes) -> bytes:
    """An SVG reduced to an allow-list (see the module doc); raises :class:`SvgError` if it is not one.

    A document type or entity declaration is refused before parsing (no entity expansion at all)."""
    if _DANGEROUS_MARKUP.search(data):
        raise SvgError("it declares a document type or entities")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise SvgError(f"it is not well-formed SVG ({exc})") from None
    ns, name = _local(root.tag)
    if name != "svg" or ns not in ("", SVG_NS):
        raise SvgError("it is not an SVG image")
    _clean_element(root)
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", XLINK_NS)
    return ET.tostring(root, encoding="utf-8", xml_declaration=False)


# --------------------------------------------------------------------------- reading
class _Collector:
    """Accepts files in order under an import's limits, and names every refusal."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.notes: list[tuple[str, bytes]] = []
        self.images: dict[str, Image] = {}
        self.refused: list[Refusal] = []
        self.taken: dict[str, str] = {}  # folded path -> path
        self.files = 0
        self.total = 0
        self.over: list[str] = []  # files beyond import_files
        self.other: list[str] = []  # neither notes nor images

    def refuse(self, name: str, reason: str, message: str) -> None:
        self.refused.append(Refusal(name[:200], reason, message))

    def offer(self, name: str, size: int) -> str | None:
        """The cleaned path when a file of ``size`` bytes may be read; None when it is refused (named) or left out."""
        path = clean_path(name)
        if path is None:
            self.refuse(str(name)[:200] or "(unnamed file)", "outside",
                        "its path is absolute or leaves the imported folder, so it was not read.")
            return None
        if _hidden(path):
            return None
        if len(path) > MAX_PATH_CHARS:
            self.refuse(path, "too-long", f"its path is longer than {MAX_PATH_CHARS} characters.")
            return None
        kind = _kind(path)
        if kind is None:
            self.other.append(path)
            return None
        if self.files >= self.limits.import_files:
            self.over.append(path)
            return None
        folded = path.casefold()
        if folded in self.taken:
            self.refuse(path, "clash", f"another file of this import already has this name ({self.taken[folded]}).")
            return None
        cap = self.limits.note_bytes if kind == "note" else self.limits.image_bytes
        if size > cap:
            self.refuse(path, "too-big", f"it is {kb(size)}; {'a note' if kind == 'note' else 'an image'} may be at "
                                         f"most {kb(cap)}.")
            return None
        if self.total + size > self.limits.import_bytes:
            self.refuse(path, "session-full", f"the import would unpack to more than {mb(self.limits.import_bytes)}.")
            return None
        self.taken[folded] = path
        self.files += 1
        self.total += size
        return path

    def take(self, path: str, data: bytes) -> None:
        if _kind(path) == "note":
            self.notes.append((path, data))
            return
        mime = IMAGE_TYPES[PurePosixPath(path).suffix.lower()]
        if mime == "image/svg+xml":
            try:
                data = clean_svg(data)
            except SvgError as exc:
                self.refuse(path, "unreadable", f"{exc}, so it was not kept.")
                return
        self.images[path] = Image(path, mime, data)

    def result(self) -> VaultImport:
        if self.over:
            self.refuse(_names(self.over), "too-many", f"one import reads at most {self.limits.import_files} files.")
        if self.other:
            self.refuse(_names(self.other), "not-imported",
                        f"only notes ({', '.join(NOTE_SUFFIXES)}) and images "
                        f"({', '.join(s.lstrip('.') for s in IMAGE_TYPES)}) are imported.")
        return VaultImport(tuple(sorted(self.notes)), dict(sorted(self.images.items())), tuple(self.refused))


def _names(paths: list[str]) -> str:
    shown = ", ".join(paths[:MAX_LISTED])
    return f"{len(paths)} file{'s' if len(paths) != 1 else ''} ({shown}{', …' if len(paths) > MAX_LISTED else ''})"


def read_folder(files: Iterable[tuple[str, bytes]], limits: Limits = LIMITS) -> VaultImport:
    """The files of a folder upload: ``(path inside the folder, bytes)``, as the browser sent them."""
    c = _Collector(limits)
    for name, data in files:
        path = c.offer(name, len(data))
        if path is not None:
            c.take(path, bytes(data))
    return c.result()


def _declared_entries(data: bytes) -> int | None:
    """How many files a zip's end record says it holds (read before its directory is parsed: a directory of
    100,000 empty entries fits in 5 MB); None when there is no end record to read (zipfile decides).  A ZIP64
    archive says 65,535, which is over the limits anyway."""
    at = data.rfind(b"PK\x05\x06", max(0, len(data) - 65_557))
    if at < 0 or at + 22 > len(data):
        return None
    return int.from_bytes(data[at + 10:at + 12], "little")


def read_zip(data: bytes, name: str = "notes.zip", limits: Limits = LIMITS) -> VaultImport:
    """The notes and images of a ``.zip`` (see the module doc for what is refused, and why)."""
    if len(data) > limits.zip_bytes:
        return VaultImport(refused=(Refusal(name, "too-big", f"it is {mb(len(data))}; a .zip may be at most "
                                                             f"{mb(limits.zip_bytes)}."),))
    entries = _declared_entries(data)
    if entries is not None and entries > limits.import_files * 4:
        return VaultImport(refused=(Refusal(name, "zip-bomb", f"it lists {entries:,} files; an import reads at most "
                                            f"{limits.import_files}, so nothing of it was read."),))
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return VaultImport(refused=(Refusal(name, "not-zip", "it is not a .zip file that can be read."),))
    members = [i for i in infos if not i.is_dir()]
    declared = sum(max(0, i.file_size) for i in members[: limits.import_files * 4])
    if len(members) > limits.import_files * 4 or declared > limits.import_bytes:
        return VaultImport(refused=(Refusal(name, "zip-bomb", f"its files would unpack to {mb(declared)} "
                                            f"({len(members)} file{'s' if len(members) != 1 else ''}); an import may unpack to at most "
                                            f"{mb(limits.import_bytes)} in {limits.import_files} files, so "
                                            "nothing of it was read."),))
    c = _Collector(limits)
    for info in members:
        path = c.offer(info.filename, info.file_size)
        if path is None:
            continue
        if info.flag_bits & 0x1:
            c.refuse(path, "unreadable", "it is encrypted.")
            continue
        try:
            with zf.open(info) as fh:
                body = fh.read(info.file_size + 1)  # never more than it declared, plus one byte to catch a lie
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError) as exc:
            c.refuse(path, "unreadable", f"it could not be unpacked ({type(exc).__name__}).")
            continue
        if len(body) > info.file_size:
            return VaultImport(refused=(Refusal(name, "zip-bomb", f"{path} unpacks to more than the "
                                                f"{kb(info.file_size)} it declares, so nothing of it was read."),))
        c.take(path, body)
    return c.result()


# --------------------------------------------------------------------------- kept in the browser
def image_blob(image: Image) -> tuple[str, str]:
    """(blob id, text) an image is kept under in the browser's IndexedDB (next to the uploaded notes' texts)."""
    blob_id = IMAGE_BLOB_PREFIX + hashlib.sha1(image.path.encode("utf-8")).hexdigest()[:24]
    return blob_id, json.dumps({"path": image.path, "mime": image.mime,
                                "data": base64.b64encode(image.data).decode("ascii")}, separators=(",", ":"))


def read_image_blob(text: object, limits: Limits = LIMITS) -> Image | None:
    """The image a blob the browser gave back holds, checked again as on import (anyone can edit what a browser
    keeps); None when it is not one."""
    if not isinstance(text, str) or len(text) > image_blob_chars(limits):
        return None
    try:
        value = json.loads(text)
        path = clean_path(value["path"]) if isinstance(value.get("path"), str) else None
        data = base64.b64decode(value["data"], validate=True)
    except (ValueError, KeyError, TypeError, AttributeError, binascii.Error, RecursionError):
        return None
    if path is None or _hidden(path) or _kind(path) != "image" or len(data) > limits.image_bytes:
        return None
    mime = IMAGE_TYPES[PurePosixPath(path).suffix.lower()]
    if mime == "image/svg+xml":
        try:
            data = clean_svg(data)
        except SvgError:
            return None
    return Image(path, mime, data)


def note_path_blob(note_id: str, path: str) -> tuple[str, str]:
    """(blob id, text) an imported note's path is kept under beside its text (whose blob id is the note's id):
    progress that lost its listing of the uploads still puts the note back in its folder."""
    return NOTE_PATH_BLOB_PREFIX + note_id, path


def read_note_path_blob(text: object) -> str | None:
    """The note path a blob the browser gave back holds, checked again as on import; None when it is not one."""
    if not isinstance(text, str) or len(text) > NOTE_PATH_BLOB_CHARS:
        return None
    path = clean_path(text)
    if path is None or len(path) > 200 or _hidden(path) or _kind(path) != "note":
        return None
    return path


__all__ = ["IMAGE_TYPES", "NOTE_SUFFIXES", "Image", "SvgError", "VaultImport", "clean_path", "clean_svg",
           "image_blob", "note_path_blob", "read_folder", "read_image_blob", "read_note_path_blob", "read_zip"]
