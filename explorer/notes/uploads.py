"""Bring your own notes: turn an uploaded file into a :class:`~explorer.notes.note.Note`, in memory only.

An upload or a restore reads a note's head only (front matter, title) and checks the limits; its body is
parsed when the note is first opened, once per session (:func:`explorer.notes.note.scan_note`), within the
parse budget (:mod:`explorer.notes.md.parse_budget`).  Until then search reads its words without a parse
(:func:`is_opened`, :func:`explorer.notes.md.document.rough_text`) and its cards are not in the deck.

Accepted: ``.md``, ``.markdown`` or ``.txt`` files up to :data:`MAX_UPLOAD_BYTES` (200 kB), UTF-8
text (a byte-order mark is fine), no NUL bytes or other signs of a binary file; a session holds at
most :data:`MAX_UPLOADS` notes of :data:`MAX_SESSION_BYTES` together (:mod:`explorer.limits`, the
same limits whether a note is uploaded or given back by the browser: :func:`restore_plan`).  A long
file name is shortened for display, never refused for its length.  Front matter works as in shipped
notes.  The note id is ``upload-<slug>`` so it never collides with a shipped note, and
``source`` is ``"upload"``.  Front matter is as tolerant as for shipped notes (problems become
notices on the note).  Raw HTML is sanitised when the note is rendered
(:func:`explorer.notes.render.render_note`), with the upload's ids prefixed.  Nothing is written to disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

from explorer.limits import LIMITS, Checked, NoteItem, Refusal, check_notes, kb, note_refusal, utf8_size
from explorer.notes.ids import slugify
from explorer.notes.note import Note, NoteError, scan_note, with_id

MAX_UPLOAD_BYTES = LIMITS.note_bytes  # 200 kB: a long week of notes is ~20-40 kB
MAX_UPLOADS = LIMITS.notes  # notes per session
MAX_SESSION_BYTES = LIMITS.session_bytes  # all notes of one session together (a parsed note takes ~15x its size in memory)
ALLOWED_EXTENSIONS = (".md", ".markdown", ".txt")
UPLOAD_PREFIX = "upload-"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")  # control characters other than \t \n \v \f \r


class UploadError(ValueError):
    """A file that cannot be used as a note; the message names the file and the reason.

    ``code`` names the reason (a key of :data:`explorer.limits.REASONS`)."""

    def __init__(self, filename: str, reason: str, code: str = "unreadable"):
        self.filename = filename
        self.reason = reason
        self.code = code
        super().__init__(f"{filename}: {reason}")

    @property
    def refusal(self) -> Refusal:
        return Refusal(self.filename, self.code, self.reason)


def _display_name(name: str) -> str:
    """The base name of an uploaded file, safe to show: no folders, no control characters, and at
    most :attr:`~explorer.limits.Limits.name_chars` characters (a long stem is cut, the extension kept)."""
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1]
    base = re.sub(r"[\x00-\x1f\x7f]", "?", base).strip() or "(unnamed file)"
    if len(base) <= LIMITS.name_chars:
        return base
    suffix = PurePosixPath(base).suffix
    if len(suffix) > 12:  # not an extension worth keeping whole
        suffix = ""
    return base[: LIMITS.name_chars - 1 - len(suffix)].rstrip() + "…" + suffix


def _suffix(name: str) -> str:
    base = str(name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return PurePosixPath(base).suffix.lower() if base else ""


def read_upload(name: str, data: bytes, path: str | None = None) -> Note:
    """Read one uploaded file: its checks and its head only (front matter, title); the body is parsed when the
    note is first opened (:func:`explorer.notes.note.scan_note`), within the parse budget.  ``path``: the
    file's path inside an imported folder (``Lectures/3/Notes.md``), which the note keeps as its folder.
    Raises :class:`UploadError` (and nothing else) for any bad file."""
    shown = _display_name(name)
    if _suffix(name) not in ALLOWED_EXTENSIONS:
        raise UploadError(
            shown, f"not a Markdown file: only {', '.join(ALLOWED_EXTENSIONS)} files can be uploaded", "not-markdown"
        )
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise UploadError(shown, "the upload has no readable content", "not-text")
    data = bytes(data)
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(shown, f"file is too big ({kb(len(data))}); the limit is {kb(MAX_UPLOAD_BYTES)} per file", "too-big")
    if not data or data.isspace():  # (no stripped copy of 200 kB)
        raise UploadError(shown, "file is empty", "empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadError(shown, "not UTF-8 text (it is UTF-16); save the file as UTF-8 and try again", "not-text")
    if b"\x00" in data:
        raise UploadError(shown, "looks like a binary file (it contains NUL bytes), not Markdown text", "binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UploadError(
            shown, f"not UTF-8 text (invalid byte at offset {exc.start}); save the file as UTF-8 and try again", "not-text"
        ) from None
    controls = len(_CONTROL_RE.findall(text))  # a regex: a loop in Python took 20 ms on 200 kB
    if controls > max(8, len(text) // 100):
        raise UploadError(shown, "looks like a binary file (many control characters), not Markdown text", "binary")
    try:
        note = scan_note(text, shown, source="upload", path=path)
    except NoteError as exc:
        raise UploadError(shown, str(exc)) from None
    except (RecursionError, ValueError, TypeError, OverflowError, MemoryError) as exc:
        raise UploadError(shown, f"could not be read as a note ({type(exc).__name__})") from None
    stem_slug = slugify(re.sub(r"^\d+[-_ ]*", "", PurePosixPath(shown).stem)) or "note"
    base = note.id if note.id else stem_slug
    if base.startswith(UPLOAD_PREFIX):
        base = base[len(UPLOAD_PREFIX):] or "note"
    base = base[:80].strip("-") or "note"
    return with_id(note, UPLOAD_PREFIX + base)


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
            out.append(UploadError(_display_name(name), f"not read: at most {MAX_UPLOADS} files can be uploaded", "too-many"))
            continue
        try:
            out.append(unique_note_id(read_upload(name, data), used))
        except UploadError as exc:
            out.append(exc)
    return out


# --------------------------------------------------------------------------- notes this browser gives back
def restore_plan(
    kept: Iterable[tuple[str, str]],
    texts: Mapping[str, str],
    refused: Mapping[str, str] | None = None,
    *,
    held: int = 0,
    held_bytes: int = 0,
) -> Checked[tuple[str, str, str]]:
    """Which of the notes this browser keeps a session takes back, under the upload limits.

    ``kept``: ``(note id, file name)`` in the order the notes were added; ``texts``: the texts the
    browser gave back (id -> text); ``refused``: ids whose text the browser store did not keep
    (id -> reason code, see ``components.browser_store``); ``held`` notes of ``held_bytes`` are in
    the session already.  Accepted: ``(note id, file name, text)`` to parse, the first added first;
    every other note is named with its reason.  Nothing here parses a note or changes the browser.
    """
    refused = refused or {}
    out: dict[str, Refusal] = {}
    offered: list[NoteItem] = []
    order: list[str] = []
    kept_list = list(kept)
    for nid, name in kept_list:
        shown = _display_name(name)
        order.append(nid)
        if nid in refused:
            reason = refused[nid] if refused[nid] in ("too-big", "too-many", "session-full") else "missing"
            out[nid] = note_refusal(shown, reason, key=nid)
        elif not isinstance(texts.get(nid), str):
            out[nid] = note_refusal(shown, "missing", key=nid)
        else:
            offered.append(NoteItem(nid, shown, utf8_size(texts[nid])))
    checked = check_notes(offered, held=held, held_bytes=held_bytes)
    out.update((r.key, r) for r in checked.refused)
    names = dict(kept_list)
    accepted = tuple((i.key, names[i.key], texts[i.key]) for i in checked.accepted)  # as listed: a folder's path too
    return Checked(accepted, tuple(out[nid] for nid in order if nid in out))


def is_opened(note: Note) -> bool:
    """Is the note's body made?  An upload's is made when it is first opened; until then listings, search,
    backlinks and the deck use only its head (a shipped note always counts as opened: its body is made on
    demand, by the process's indexer or its first reader)."""
    return note.source != "upload" or note.parsed
