"""Bring your own notes: turn an uploaded file into a :class:`~explorer.notes.Note`, in memory only.

Accepted: ``.md``, ``.markdown`` or ``.txt`` files up to :data:`MAX_UPLOAD_BYTES` (200 kB), UTF-8
text (a byte-order mark is fine), no NUL bytes or other signs of a binary file.  Front matter works
as in shipped notes.  The note id is ``upload-<slug>`` so it never collides with a shipped note, and
``source`` is ``"upload"``.  Front matter is as tolerant as for shipped notes (problems become
notices on the note).  Raw HTML is sanitised when the note is rendered
(:func:`explorer.render.render_note`), with the upload's ids prefixed.  Nothing is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePosixPath

from .notes import Note, NoteError, light, parse_note, slugify, with_id

MAX_UPLOAD_BYTES = 200_000  # 200 kB: a long week of notes is ~20-40 kB
MAX_UPLOADS = 20  # notes per session
MAX_SESSION_BYTES = 2_000_000  # all uploads of one session together (a parsed note takes ~15x its size in memory)
ALLOWED_EXTENSIONS = (".md", ".markdown", ".txt")
UPLOAD_PREFIX = "upload-"


class UploadError(ValueError):
    """A file that cannot be used as a note; the message names the file and the reason."""

    def __init__(self, filename: str, reason: str):
        self.filename = filename
        self.reason = reason
        super().__init__(f"{filename}: {reason}")


def _display_name(name: str) -> str:
    """The base name of an uploaded file, safe to show (no folders, no control characters, not too long)."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "?", base).strip() or "(unnamed file)"
    return base if len(base) <= 80 else base[:77] + "..."


def read_upload(name: str, data: bytes) -> Note:
    """Parse one uploaded file.  Raises :class:`UploadError` (and nothing else) for any bad file."""
    shown = _display_name(name)
    suffix = PurePosixPath(shown).suffix.lower()
    if suffix not in ALLOWED_EXTENSIONS:
        raise UploadError(
            shown, f"not a Markdown file: only {', '.join(ALLOWED_EXTENSIONS)} files can be uploaded"
        )
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise UploadError(shown, "the upload has no readable content")
    data = bytes(data)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            shown, f"file is too big ({len(data) / 1000:.0f} kB); the limit is {MAX_UPLOAD_BYTES // 1000} kB per file"
        )
    if not data.strip():
        raise UploadError(shown, "file is empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadError(shown, "not UTF-8 text (it is UTF-16); save the file as UTF-8 and try again")
    if b"\x00" in data:
        raise UploadError(shown, "looks like a binary file (it contains NUL bytes), not Markdown text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(
            shown, f"not UTF-8 text (invalid byte at offset {exc.start}); save the file as UTF-8 and try again"
        ) from None
    controls = sum(1 for c in text if (ord(c) < 32 and c not in "\t\n\r\f\v") or ord(c) == 127)
    if controls > max(8, len(text) // 100):
        raise UploadError(shown, "looks like a binary file (many control characters), not Markdown text")
    try:
        note = parse_note(text, shown, source="upload")
    except NoteError as exc:
        raise UploadError(shown, str(exc)) from None
    except (RecursionError, ValueError, TypeError, OverflowError, MemoryError) as exc:
        raise UploadError(shown, f"could not be read as a note ({type(exc).__name__})") from None
    stem_slug = slugify(re.sub(r"^\d+[-_ ]*", "", PurePosixPath(shown).stem)) or "note"
    base = note.id if note.id else stem_slug
    if base.startswith(UPLOAD_PREFIX):
        base = base[len(UPLOAD_PREFIX):] or "note"
    base = base[:80].strip("-") or "note"
    return light(with_id(note, UPLOAD_PREFIX + base))


def unique_note_id(note: Note, used: set[str]) -> Note:
    """``note`` with an id not in ``used`` (``upload-x``, ``upload-x-2``, ...); the id is added to ``used``."""
    nid, k = note.id, 2
    while nid in used:
        nid, k = f"{note.id}-{k}", k + 1
    used.add(nid)
    return note if nid == note.id else with_id(note, nid)


def read_uploads(
    files: Iterable[tuple[str, bytes]], existing_ids: Iterable[str] = ()
) -> list[Note | UploadError]:
    """Read several uploads, one result per file in order (a note, or the error that names the file).

    Ids are made unique among themselves and against ``existing_ids``; files beyond
    :data:`MAX_UPLOADS` are refused.
    """
    used = set(existing_ids)
    out: list[Note | UploadError] = []
    for n, (name, data) in enumerate(files):
        if n >= MAX_UPLOADS:
            out.append(UploadError(_display_name(name), f"not read: at most {MAX_UPLOADS} files can be uploaded"))
            continue
        try:
            out.append(unique_note_id(read_upload(name, data), used))
        except UploadError as exc:
            out.append(exc)
    return out
