"""The improvement plan's owners and target dates in a link (``?plan=``), with a check (issue 20).

Two versions are read; the encoder writes the newest:

``p2.<body>.<check>`` (since issue 20)
    ``<body>``: lower-case, unpadded base32 of raw-DEFLATE compressed compact JSON
    ``{"<step key>": ["<owner>", "<YYYY-MM-DD or empty>"], ...}``.  ``<check>``: 7 characters,
    :func:`explorer.assess.codecheck.crc_check` of ``p2.<body>``.  Every single-character typo and every
    swap of two neighbouring characters is found (see :mod:`explorer.assess.codecheck`), so a retyped link
    can no longer open with other owners, other dates or an empty plan: it gives a notice instead.

``p1.<body>`` (before issue 20; links already shared)
    The same body without a check.  Still read as before, and :attr:`EditsLink.checked` is False:
    the page says that the owners and dates could not be checked (:func:`edits_notice`).

:func:`read_edits` never raises anything but :class:`ValueError`, whose message is shown to the
user as is.  Entries that do not look like owners and dates are left out; the caller gives the
result to :func:`explorer.assess.plan.apply_edits`, which checks the dates and reports keys that are not
steps of the plan.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from explorer.assess import base32
from explorer.assess.codecheck import CHECK_CHARS, checks_out, crc_check
from explorer.assess.evidence import MAX_OWNER_CHARS, clean_text
from explorer.assess.plan_fields import EDITS_PARAM, MAX_EDITS, MAX_EDITS_LINK, parse_target

__all__ = ["EDITS_PARAM", "EditsLink", "decode_edits", "edits_notice", "encode_edits", "read_edits"]

EDITS_PREFIX = "p2"  # the version this module writes
OLD_PREFIX = "p1"  # links made before the check: read, with a notice
MAX_EDITS_BYTES = 32_000  # a decompressed value larger than this is refused
_KEY_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,80}/[a-z0-9][a-z0-9._-]{0,80}$")
_P1_RE = re.compile(r"^p1\.([a-z2-7]+)$")
_P2_RE = re.compile(rf"^p2\.([a-z2-7]+)\.([a-z2-7]{{{CHECK_CHARS}}})$")
_VERSION_RE = re.compile(r"^p(\d{1,6})\.")

DAMAGED = "The link's owners and target dates are damaged and were ignored."
MISTYPED = ("The link's owners and target dates do not check out: the link was probably mistyped or cut short. "
            "They were ignored; the plan below starts without them.")
UNCHECKED = ("This link's owners and target dates come from an older kind of link that carries no check, so a "
             "typo in it cannot be found: compare them with the person who sent it. Changing an owner or a date "
             "gives the link a check.")


@dataclass(frozen=True)
class EditsLink:
    """What a ``?plan=`` value holds."""

    edits: dict[str, dict[str, str]]  # step key -> {"owner": text, "target": "YYYY-MM-DD" or ""}
    version: int
    checked: bool  # False for a version-1 link (no check characters)

    @property
    def notice(self) -> str:
        return "" if self.checked else UNCHECKED


def _pack(items: list[tuple[str, list[str]]]) -> str:
    raw = json.dumps(dict(items), separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode("utf-8")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    return base64.b32encode(comp.compress(raw) + comp.flush()).decode("ascii").rstrip("=").lower()


def encode_edits(edits: Mapping[str, Mapping[str, object]]) -> str | None:
    """The owners and target dates of a plan as one URL-safe ``p2`` value, or None when there is nothing to keep.

    ``edits`` as :attr:`explorer.assess.plan.Plan.edits` (owner text, target ``YYYY-MM-DD`` or ""); owners are
    cleaned and bounded again, keys that are not step keys and dates that do not parse are left out.
    When the value would be longer than :data:`MAX_EDITS_LINK`, the last steps are left out (the caller
    can compare with :func:`decode_edits` to say so; the page does).
    """
    items: list[tuple[str, list[str]]] = []
    for key, edit in list(edits.items())[:MAX_EDITS]:
        if not isinstance(key, str) or not _KEY_RE.match(key) or not isinstance(edit, Mapping):
            continue
        owner = edit.get("owner") or ""
        owner = clean_text(owner, MAX_OWNER_CHARS)[0] if isinstance(owner, str) else ""
        try:
            day = parse_target(edit.get("target"))
        except ValueError:
            day = None
        if owner or day:
            items.append((key, [owner, day.isoformat() if day else ""]))
    while items:
        head = f"{EDITS_PREFIX}.{_pack(items)}"
        text = f"{head}.{crc_check(head)}"
        if len(text) <= MAX_EDITS_LINK:
            return text
        items.pop()
    return None


def _unpack(body: str) -> object:
    try:
        data = base32.decode(body)
        dec = zlib.decompressobj(-15)
        raw = dec.decompress(data, MAX_EDITS_BYTES)
        if dec.unconsumed_tail:
            raise ValueError(DAMAGED)
        return json.loads(raw.decode("utf-8"))
    except (zlib.error, UnicodeDecodeError, RecursionError, ValueError):
        raise ValueError(DAMAGED) from None


def _entries(obj: object) -> dict[str, dict[str, str]]:
    if not isinstance(obj, dict):
        raise ValueError(DAMAGED)
    out: dict[str, dict[str, str]] = {}
    for key, value in list(obj.items())[:MAX_EDITS]:
        if (isinstance(key, str) and _KEY_RE.match(key) and isinstance(value, list) and len(value) == 2
                and all(isinstance(v, str) and len(v) <= MAX_OWNER_CHARS * 8 for v in value)):
            out[key] = {"owner": clean_text(value[0], MAX_OWNER_CHARS)[0], "target": value[1][:10]}
    return out


def read_edits(text: object) -> EditsLink:
    """Read a ``?plan=`` value of either version.  Raises ValueError with a message for the user."""
    if not isinstance(text, str) or len(text) > MAX_EDITS_LINK:
        raise ValueError(DAMAGED)
    code = text.strip().lower()
    if (m := _P2_RE.match(code)) is not None:
        if not checks_out(code[: m.end(1)], m.group(2)):
            raise ValueError(MISTYPED)
        return EditsLink(_entries(_unpack(m.group(1))), 2, True)
    if (m := _P1_RE.match(code)) is not None:
        return EditsLink(_entries(_unpack(m.group(1))), 1, False)
    v = _VERSION_RE.match(code)
    if v is not None and v.group(1) not in ("1", "2"):
        raise ValueError(f"The link's owners and target dates use format p{v.group(1)}, which this app does not know; "
                         "they were ignored.")
    raise ValueError(MISTYPED if code.startswith(EDITS_PREFIX + ".") else DAMAGED)  # a p1 without a check: "damaged"


def decode_edits(text: object) -> dict[str, dict[str, str]]:
    """The owners and dates of a ``?plan=`` value (:func:`read_edits` without the version)."""
    return read_edits(text).edits


@lru_cache(maxsize=64)
def _notice(text: str) -> str:
    try:
        return read_edits(text).notice
    except ValueError:
        return ""  # a damaged value has its own notice (the page's link binder shows the error)


def edits_notice(text: object) -> str:
    """What to tell the reader about a ``?plan=`` value that was read but could not be checked (a ``p1``
    link), or "" (nothing, no value, or a value that cannot be read at all)."""
    return _notice(text) if isinstance(text, str) and text.strip().lower().startswith(OLD_PREFIX + ".") else ""
