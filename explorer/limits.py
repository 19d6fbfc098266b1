"""One set of limits for everything a visitor sends the server, and one way to check them.

What arrives: uploaded notes, notes the browser gives back from IndexedDB (the restore), the
progress text from localStorage or from an imported file, the workshop's paste box, share links,
plan codes and search queries.  Every path checks the numbers of :data:`LIMITS` on the server and
names each refusal with a :class:`Refusal` (a reason code from :data:`REASONS` and a sentence for
the learner), so nothing is dropped without a word.

The numbers are sized so that one action at the limits costs the server well under a second of
CPU (``python -m bench --only abuse`` measures each one), and so that what a session holds stays
bounded: a parsed note takes about 15 times its size in memory, so 2 MB of notes is about 30 MB.
Streamlit's own walls follow from them (``.streamlit/config.toml``: :meth:`Limits.max_message_mb`,
:meth:`Limits.max_upload_mb`; ``tests/test_limits.py`` checks the file matches).

Nothing here imports Streamlit.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    """The shipped limits.  Sizes in bytes (UTF-8) unless the name says characters."""

    # notes a visitor brings: uploaded here, or given back by this browser (IndexedDB)
    note_bytes: int = 200_000  # one note; a long week of notes is 20-40 kB
    notes: int = 20  # notes held by one session
    session_bytes: int = 2_000_000  # all notes of one session together
    name_chars: int = 80  # a file name longer than this is shortened for display (never refused for it)
    # a folder or a .zip of notes with their images (explorer.notes.vault_import); its notes then count as notes above
    import_files: int = 300  # files one import reads (notes, images, and what it leaves out)
    import_bytes: int = 6_000_000  # what one import may unpack, all files together (a zip: declared and actual)
    zip_bytes: int = 5_000_000  # the .zip file itself (at most the progress file's cap: maxUploadSize stays 5 MiB)
    image_bytes: int = 145_000  # one image: its base64 text and path fit one browser-store blob (200,000 characters)
    images: int = 60  # images kept by one session
    images_bytes: int = 1_600_000  # all of a session's images together (the restore report carries them as text)
    # the learner's progress: the text in localStorage, or a progress file being imported
    store_bytes: int = 5_000_000  # explorer.study.store.MAX_LOAD_BYTES: localStorage holds about 5 M characters
    backup_chars: int = 2_500_000  # the browser store's backups of unreadable texts, all together
    # result files (self-assessment compare, workshop)
    result_file_bytes: int = 200_000  # explorer.assess.results_io.MAX_IMPORT_BYTES
    # links and codes
    share_code_chars: int = 1800  # explorer.assess.sharecode.MAX_CODE_LENGTH_V2
    workshop_code_chars: int = 8000  # explorer.assess.sharecode.MAX_WORKSHOP_LENGTH
    workshop_members: int = 60  # explorer.assess.sharecode.MAX_MEMBERS
    plan_code_chars: int = 2000  # explorer.assess.plan.MAX_EDITS_LINK
    url_param_chars: int = 2000  # ui.urlstate.MAX_PARAM_CHARS: any other query parameter
    query_chars: int = 200  # explorer.notes.search.MAX_QUERY_CHARS
    # the workshop's paste box: a 50-person workshop of long share links (notes, names) is ~75 kB
    paste_entries: int = 120  # twice the members: room for repeats and mistakes
    paste_chars: int = 240_000  # paste_entries links of share_code_chars plus their address

    # ---------------------------------------------------------------- Streamlit's walls
    def largest_message_bytes(self) -> int:
        """The largest websocket message the app legitimately receives: the browser store's restore
        report (the progress text, its backups and every kept note's text, each JSON-escaped inside the
        report) with the page's other widget values (the paste box) beside it."""
        return math.ceil((self.store_bytes + self.backup_chars) * STORE_JSON_GROWTH
                         + self.notes * self.note_bytes * NOTE_JSON_GROWTH + self.paste_chars + MESSAGE_ENVELOPE)
    # images ride in the same report as blob texts; store.js sends at most 4.4 M characters of blobs in all, which
    # the notes' term above already covers

    def max_message_mb(self) -> int:
        """``server.maxMessageSize`` (Streamlit counts it in units of 10^6 bytes)."""
        return math.ceil(self.largest_message_bytes() / 1_000_000)

    def max_upload_mb(self) -> int:
        """``server.maxUploadSize`` (units of 2^20 bytes, per file): the largest file any uploader takes,
        a progress file at the store's cap or a .zip at its cap; the notes uploader sets its own smaller wall
        (:meth:`note_upload_mb`)."""
        return math.ceil(max(self.store_bytes, self.note_bytes, self.result_file_bytes, self.zip_bytes) / 2**20)

    def import_upload_mb(self) -> int:
        """The folder / .zip uploader's ``max_upload_size`` (per file)."""
        return max(1, math.ceil(self.zip_bytes / 2**20))

    def note_upload_mb(self) -> int:
        """The notes uploader's ``max_upload_size``: the smallest whole MB above a note's limit."""
        return max(1, math.ceil(self.note_bytes / 2**20))


STORE_JSON_GROWTH = 1.25  # the progress text is JSON: its quotes are escaped in the report (1.10 measured)
NOTE_JSON_GROWTH = 1.10  # notes: newlines, quotes and backslashes escaped (1.015 measured on long notes)
MESSAGE_ENVELOPE = 100_000  # the report's fields, the message's other widget states, protobuf framing

LIMITS = Limits()


# --------------------------------------------------------------------------- refusals
REASONS: dict[str, str] = {
    "too-big": "larger than the limit",
    "too-many": "more than the number allowed",
    "session-full": "over this session's total",
    "not-markdown": "not a Markdown or text file",
    "empty": "empty",
    "not-text": "not UTF-8 text",
    "binary": "a binary file",
    "unreadable": "could not be read as a note",
    "missing": "its text is not in this browser's storage",
    "unread": "beyond what one paste reads",
    "too-long": "longer than the limit",
    "zip-bomb": "unpacks to more than it may",
    "outside": "a path outside the imported folder",
    "clash": "a name another file already has",
    "not-imported": "not a note or an image",
    "not-zip": "not a readable .zip file",
}
"""Reason code -> a few words; :class:`Refusal` carries the full sentence."""


@dataclass(frozen=True)
class Refusal:
    """Something not accepted: what (a file or note name, entries of a paste) and why."""

    name: str
    reason: str  # a key of REASONS
    message: str  # the reason as a sentence for the learner, without the name
    key: str = ""  # the caller's id of the item (a file id, a note id), when it has one

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown refusal reason {self.reason!r}")

    def __str__(self) -> str:
        return f"{self.name}: {self.message}"


@dataclass(frozen=True)
class Checked(Generic[T]):
    """What a check accepted (in the order given) and what it refused (named, with reasons)."""

    accepted: tuple[T, ...] = ()
    refused: tuple[Refusal, ...] = ()


def kb(n: int) -> str:
    return f"{n / 1000:,.0f} kB" if n >= 1000 else f"{n} bytes"


def mb(n: int) -> str:
    return f"{n / 1_000_000:g} MB"


# --------------------------------------------------------------------------- notes (upload and restore)
@dataclass(frozen=True)
class NoteItem:
    """A note offered to a session: ``key`` (file id or note id), the ``name`` shown, its ``size`` in bytes."""

    key: str
    name: str
    size: int


def note_refusal(name: str, reason: str, size: int | None = None, limits: Limits = LIMITS, key: str = "") -> Refusal:
    """The standard sentence for a note refused for its size or the session's limits (``size`` in
    bytes when known), or for a text the browser did not give back."""
    total = f"this session's notes may take at most {mb(limits.session_bytes)} together."
    messages = {
        "too-big": (f"it is {kb(size)}; " if size is not None else "") + f"a note may be at most {kb(limits.note_bytes)}.",
        "too-many": f"a session holds at most {limits.notes} notes.",
        "session-full": (f"it is {kb(size)}, and " if size is not None else "") + total,
        "missing": "its text is not in this browser's storage (IndexedDB), or is not text.",
    }
    return Refusal(name, reason, messages[reason], key)


def check_notes(items: Iterable[NoteItem], *, held: int = 0, held_bytes: int = 0,
                limits: Limits = LIMITS) -> Checked[NoteItem]:
    """Accept notes in the order given while the session stays within its limits.

    ``held`` notes of ``held_bytes`` are in the session already.  A note over the size of one note
    is refused on its own; once the session holds :attr:`Limits.notes` notes every further one is
    refused; a note that would take the session over :attr:`Limits.session_bytes` is refused and a
    smaller one after it may still fit.
    """
    accepted: list[NoteItem] = []
    refused: list[Refusal] = []
    count, total = held, held_bytes
    for item in items:
        if item.size > limits.note_bytes:
            refused.append(note_refusal(item.name, "too-big", item.size, limits, item.key))
        elif count >= limits.notes:
            refused.append(note_refusal(item.name, "too-many", item.size, limits, item.key))
        elif total + item.size > limits.session_bytes:
            refused.append(note_refusal(item.name, "session-full", item.size, limits, item.key))
        else:
            accepted.append(item)
            count += 1
            total += item.size
    return Checked(tuple(accepted), tuple(refused))


def utf8_size(text: str) -> int:
    """Bytes of ``text`` as UTF-8 (lone surrogates count as the 3 bytes they are written with)."""
    return len(text) if text.isascii() else len(text.encode("utf-8", "surrogatepass"))


def _notes_object(store_text: str) -> Mapping | None:
    """The store's ``"notes"`` object read alone (the store writes it last but one, after the reading marks and
    cards that make a 5 MB text: decoding all of it took 0.11 s of a restore); None when the text is not laid
    out so (then the whole text is decoded).  Only an order is read from it: the limits hold either way."""
    at = store_text.rfind('"notes":{')
    if at < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(store_text, at + len('"notes":'))
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict) or not all(isinstance(v, dict) and "added" in v for v in value.values()):
        return None
    return value


def added_order(store_text: str | None) -> list[str]:
    """Uploaded notes' ids in the order they were added, read from a stored progress text
    (``explorer.study.store``'s ``"notes": {id: {"added": ...}}``); ``[]`` when it cannot be read."""
    if not store_text:
        return []
    notes = _notes_object(store_text)
    if notes is None:
        try:
            notes = json.loads(store_text).get("notes")
        except (ValueError, AttributeError, RecursionError):
            return []
    if not isinstance(notes, Mapping):
        return []
    dated = [(str(v.get("added", "")), k) for k, v in notes.items() if isinstance(v, Mapping) and isinstance(k, str)]
    return [k for _, k in sorted(dated)]


def check_blobs(blobs: Mapping[str, str], order: Sequence[str] | None = None, *,
                store_text: str | None = None, limits: Limits = LIMITS) -> tuple[dict[str, str], dict[str, str]]:
    """The note texts a browser gave back that a session keeps in memory, and the ids it does not keep
    (id -> reason code): at most :attr:`Limits.notes` texts of at most :attr:`Limits.note_bytes`, at
    most :attr:`Limits.session_bytes` together.  Over the limits, the first added are kept: ``order``,
    or the order read from ``store_text`` (:func:`added_order`, parsed only then); ids it does not
    list come after, by id."""
    paths = {k: v for k, v in blobs.items() if k.startswith(NOTE_PATH_BLOB_PREFIX)}
    if paths:  # imported notes' paths: a few hundred characters each, at most one per note
        kept, refused = check_blobs({k: v for k, v in blobs.items() if k not in paths}, order,
                                    store_text=store_text, limits=limits)
        n = 0
        for k in sorted(paths):
            if len(paths[k]) > NOTE_PATH_BLOB_CHARS:
                refused[k] = "too-big"
            elif n >= limits.notes:
                refused[k] = "too-many"
            else:
                kept[k] = paths[k]
                n += 1
        return kept, refused
    images = {k: v for k, v in blobs.items() if k.startswith(IMAGE_BLOB_PREFIX)}
    if images:  # an imported folder's images: under the images' limits, the rest under the notes' limits
        kept_images, refused_images = _check_image_blobs(images, limits)
        kept, refused = check_blobs({k: v for k, v in blobs.items() if k not in images}, order,
                                    store_text=store_text, limits=limits)
        return {**kept, **kept_images}, {**refused, **refused_images}
    sizes = {k: utf8_size(v) for k, v in blobs.items()}
    if len(blobs) <= limits.notes and sum(sizes.values()) <= limits.session_bytes and all(
            s <= limits.note_bytes for s in sizes.values()):
        return dict(blobs), {}
    if order is None:
        order = added_order(store_text)
    rank = {k: i for i, k in enumerate(order)}
    ids = sorted(blobs, key=lambda k: (rank.get(k, len(rank)), k))
    checked = check_notes((NoteItem(k, k, sizes[k]) for k in ids), limits=limits)
    kept = {i.key: blobs[i.key] for i in checked.accepted}
    return kept, {r.key: r.reason for r in checked.refused}


IMAGE_BLOB_PREFIX = "vault-img-"  # blob ids of an imported folder's images (explorer.notes.vault_import)
NOTE_PATH_BLOB_PREFIX = "vault-path-"  # + a note's id: an imported note's path in its folder (explorer.notes.vault_import)
NOTE_PATH_BLOB_CHARS = 400  # a path blob's longest text (a progress record's name holds at most 200 characters)


def image_blob_chars(limits: Limits = LIMITS) -> int:
    """The longest text an image's blob may be: its bytes in base64, and its path and type around them."""
    return math.ceil(limits.image_bytes * 4 / 3) + 600


def _check_image_blobs(blobs: Mapping[str, str], limits: Limits) -> tuple[dict[str, str], dict[str, str]]:
    """Images a browser gave back that a session keeps: at most :attr:`Limits.images`, each at most
    :func:`image_blob_chars`, at most :attr:`Limits.images_bytes` (as base64) together, by id."""
    kept: dict[str, str] = {}
    refused: dict[str, str] = {}
    total, cap = 0, math.ceil(limits.images_bytes * 4 / 3) + 600 * limits.images
    for k in sorted(blobs):
        size = len(blobs[k])
        if size > image_blob_chars(limits):
            refused[k] = "too-big"
        elif len(kept) >= limits.images:
            refused[k] = "too-many"
        elif total + size > cap:
            refused[k] = "session-full"
        else:
            kept[k] = blobs[k]
            total += size
    return kept, refused


def check_store_text(text: str | bytes | None, limits: Limits = LIMITS) -> Refusal | None:
    """A progress text (from localStorage or a file) over :attr:`Limits.store_bytes` is not read."""
    if text is None:
        return None
    if isinstance(text, (bytes, bytearray)) or len(text) > limits.store_bytes:
        size = len(text)
    else:
        size = utf8_size(text)
    if size > limits.store_bytes:
        return Refusal("The saved progress", "too-big",
                       f"it is {size / 1e6:.1f} MB, more than the {mb(limits.store_bytes)} this app reads.")
    return None


# --------------------------------------------------------------------------- the workshop's paste box
@dataclass(frozen=True)
class Paste:
    """A pasted block split into entries: those read now, and the rest left in the box."""

    entries: tuple[str, ...]
    rest: str  # the text from the first entry not read on, as pasted ("" when everything was read)
    unread: int  # entries in ``rest``
    refusal: Refusal | None = None  # says how many were not read and why


_ENTRY = re.compile(r"[^\s,;]+")  # entries are separated by whitespace, commas or semicolons


def check_paste(text: object, limits: Limits = LIMITS) -> Paste:
    """Entries in a pasted block (separated by whitespace, commas or semicolons), at most
    :attr:`Limits.paste_entries` of them within :attr:`Limits.paste_chars` characters; the rest is
    returned as pasted, so the box can keep it and a second Combine reads it."""
    if not isinstance(text, str):
        return Paste((), "", 0)
    entries: list[str] = []
    used = 0
    rest_at = None
    for m in _ENTRY.finditer(text):
        size = m.end() - m.start()
        if len(entries) >= limits.paste_entries or used + size > limits.paste_chars:
            rest_at = m.start()
            break
        entries.append(m.group())
        used += size
    if rest_at is None:
        return Paste(tuple(entries), "", 0)
    rest = text[rest_at:]
    unread = sum(1 for _ in _ENTRY.finditer(rest))
    why = (f"one paste reads at most {limits.paste_entries} entries" if len(entries) >= limits.paste_entries
           else f"one paste reads at most {limits.paste_chars:,} characters")
    refusal = Refusal(f"{unread} more entr{'y' if unread == 1 else 'ies'}", "unread",
                      f"not read yet: {why}. They are still in the box: press Combine again to add them.")
    return Paste(tuple(entries), rest, unread, refusal)


# --------------------------------------------------------------------------- links and codes
def check_length(text: str, limit: int, what: str) -> Refusal | None:
    """A link, code or query longer than ``limit`` characters is refused before it is read."""
    if len(text) > limit:
        return Refusal(what, "too-long", f"it is {len(text):,} characters; the limit is {limit:,}.")
    return None


__all__ = [
    "IMAGE_BLOB_PREFIX", "NOTE_PATH_BLOB_CHARS", "NOTE_PATH_BLOB_PREFIX", "LIMITS", "REASONS", "Checked", "Limits", "NoteItem", "Paste", "Refusal", "added_order", "check_blobs",
    "check_length", "check_notes", "check_paste", "check_store_text", "image_blob_chars", "note_refusal",
    "utf8_size",
]
