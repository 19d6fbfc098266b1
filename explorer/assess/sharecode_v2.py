"""Share code version 2: version 1 plus "does not apply", notes and a name (issue 12).

::

    v2.<answers>[.m<marks>][.t<text>].<check>

* ``<answers>`` as in version 1 (:mod:`explorer.assess.sharecode_v1`), plus ``n`` for a question
  marked "does not apply".  A code that marks N/A on a question which (no longer) allows it is
  still read: that question counts as unanswered and :attr:`Decoded.warnings` says so.
* ``m<marks>``: the marks part of version 1 behind the tag ``m``.
* ``t<text>``: the tag ``t`` and lower-case, unpadded base32 of raw-DEFLATE
  compressed compact JSON ``{"n": name, "q": {"<question position>": note},
  "c": 1}`` (keys optional; ``c`` = some notes were cut or left out to fit).
  Notes and the name are cleaned (:mod:`explorer.assess.evidence`) when encoded and
  again when decoded.  The part is at most :data:`MAX_TEXT_CHARS` characters:
  when the notes do not fit, every note is cut to the same, largest length
  that fits (down to leaving all notes out), and ``c`` is set
  (:attr:`Decoded.notes_cut`).  The name is never cut by the budget.
  A text part that unpacks to more than :data:`MAX_TEXT_BYTES` is refused (no zip bombs).
* ``<check>``: 6 base32 characters of a SHA-256 over ``v2``, the questionnaire
  fingerprint, the answers, the marks part with the rubric fingerprint, and the
  text part.  At most :data:`MAX_CODE_LENGTH_V2` characters in all.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zlib
from collections.abc import Mapping

from explorer.assess import base32
from explorer.assess.evidence import MAX_NAME_CHARS, MAX_NOTE_CHARS, clean_text, truncate
from explorer.assess.sharecode_parts import (
    ANSWER_CHARS,
    NA,
    UNANSWERED,
    Decoded,
    Encoded,
    ShareCodeError,
    b32,
    questionnaire_fingerprint,
    read_answers,
    read_marks,
    rubric_fingerprint,
    split_check,
)
from explorer.content.schema import Assessment, MLTestScore

MAX_CODE_LENGTH_V2 = 1800  # short enough for any browser, chat tool or QR code reader
MAX_TEXT_CHARS = 1400  # the notes-and-name part (base32 characters)
MAX_TEXT_BYTES = 16_000  # a decompressed notes part larger than this is refused (no zip bombs)
CHECK_LENGTH_V2 = 6
_B32_RE = re.compile(r"^[a-z2-7]*$")
_DAMAGED = "The notes in this share code are damaged."


def check(answers: str, assessment: Assessment, marks: str | None, mts: MLTestScore | None, text_part: str | None) -> str:
    """Version-2 check characters."""
    body = f"v2|{questionnaire_fingerprint(assessment)}|{answers}"
    body += f"|m:{rubric_fingerprint(mts)}|{marks}" if marks is not None and mts is not None else "|m:"
    body += f"|t:{text_part or ''}"
    return b32(hashlib.sha256(body.encode("utf-8")).digest(), CHECK_LENGTH_V2)


# --------------------------------------------------------------------------- the notes part
def pack(payload: dict) -> str:
    """Compact JSON, raw DEFLATE, base32 without padding, lower case (the text part without its tag)."""
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode("utf-8")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = comp.compress(raw) + comp.flush()
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def unpack(text: str) -> object:
    """The JSON value :func:`pack` made, or :class:`ShareCodeError` (damaged, or unpacking to too much)."""
    if not _B32_RE.match(text):  # lower case only (base32.decode also reads upper case) and no padding
        raise ShareCodeError("malformed", _DAMAGED)
    try:
        data = base32.decode(text)  # refuses a length no whole number of bytes encodes to
    except ValueError:
        raise ShareCodeError("malformed", _DAMAGED) from None
    dec = zlib.decompressobj(-15)
    try:
        raw = dec.decompress(data, MAX_TEXT_BYTES)
    except zlib.error:
        raise ShareCodeError("malformed", _DAMAGED) from None
    if dec.unconsumed_tail:
        raise ShareCodeError("oversized", "The notes in this share code unpack to far more text than a share code may hold.")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ShareCodeError("malformed", _DAMAGED) from None


def text_part(
    assessment: Assessment, notes: Mapping[str, str], name: str, budget: int
) -> tuple[str | None, bool, int | None, int]:
    """(text part or None, notes_cut, note_limit, notes kept) for cleaned notes/name within ``budget`` characters."""
    pos = {q.id: i for i, q in enumerate(assessment.questions)}
    items = sorted(((pos[q], n) for q, n in notes.items() if q in pos and n), key=lambda x: x[0])

    def build(limit: int | None) -> tuple[str | None, int]:
        payload: dict = {}
        if name:
            payload["n"] = name
        kept = {str(i): (n if limit is None else truncate(n, limit)) for i, n in items}
        kept = {k: v for k, v in kept.items() if v}
        if kept:
            payload["q"] = kept
        if limit is not None:
            payload["c"] = 1
        return ("t" + pack(payload) if payload else None), len(kept)

    full, n = build(None)
    if full is None or len(full) <= budget:
        return full, False, None, n
    lo, hi = 0, max(len(x) for _, x in items)  # binary search the largest common note length that fits
    best, best_n = build(0)
    best_limit = 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        part, kept = build(mid)
        if part is None or len(part) <= budget:
            lo, best, best_n, best_limit = mid, part, kept, mid
        else:
            hi = mid - 1
    if best is not None and len(best) > budget:  # only the name is left and even it does not fit: impossible by limits
        raise ValueError("the name alone does not fit in a share code")
    return best, True, best_limit, best_n


def read_text_part(payload: object, assessment: Assessment) -> tuple[dict[str, str], str, bool]:
    """(notes by question id in questionnaire order, name, notes_cut) from an unpacked text part."""
    if not isinstance(payload, dict):
        raise ShareCodeError("malformed", _DAMAGED)
    raw_name = payload.get("n", "")
    raw_notes = payload.get("q", {})
    if not isinstance(raw_name, str) or not isinstance(raw_notes, dict):
        raise ShareCodeError("malformed", _DAMAGED)
    name = clean_text(raw_name, MAX_NAME_CHARS)[0]
    cut = payload.get("c") == 1
    qs = assessment.questions
    notes: dict[str, str] = {}
    for key, note in raw_notes.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) <= 4 and int(key) < len(qs) and isinstance(note, str)):
            raise ShareCodeError("malformed", _DAMAGED)
        text = clean_text(note, MAX_NOTE_CHARS)[0]
        if text:
            notes[qs[int(key)].id] = text
    order = {q.id: i for i, q in enumerate(qs)}
    return dict(sorted(notes.items(), key=lambda kv: order[kv[0]])), name, cut


# --------------------------------------------------------------------------- the code
def write(
    assessment: Assessment, a_part: str, m_part: str | None, mts: MLTestScore | None, notes: Mapping[str, str], name: str
) -> Encoded:
    """The version-2 code of an answers part (and a marks part) with cleaned ``notes`` and ``name``,
    the notes cut to fit when they must."""
    fixed = len("v2.") + len(a_part) + (len(m_part) + 2 if m_part is not None else 0) + 1 + CHECK_LENGTH_V2 + 1
    budget = min(MAX_TEXT_CHARS, MAX_CODE_LENGTH_V2 - fixed)
    t_part, cut, limit, kept = text_part(assessment, notes, name, budget)
    parts = ["v2", a_part]
    if m_part is not None:
        parts.append("m" + m_part)
    if t_part is not None:
        parts.append(t_part)
    parts.append(check(a_part, assessment, m_part, mts, t_part))
    code = ".".join(parts)
    if len(code) > MAX_CODE_LENGTH_V2:  # pragma: no cover - needs hundreds of questions
        raise ValueError(f"share code would be {len(code)} characters, more than {MAX_CODE_LENGTH_V2}")
    return Encoded(code, 2, cut, limit, kept)


def read(parts: list[str], assessment: Assessment, mts: MLTestScore | None) -> Decoded:
    """A version-2 code split at its dots (its first part, ``v2``, already read)."""
    check_chars = split_check(parts, 5, CHECK_LENGTH_V2)
    a_part = parts[1]
    m_part: str | None = None
    t_part: str | None = None
    for extra in parts[2:-1]:
        tag = extra[0]
        if tag == "m" and m_part is None and t_part is None:
            m_part = extra[1:]
        elif tag == "t" and t_part is None:
            t_part = extra
        else:
            raise ShareCodeError("malformed", "This share code has a part this app does not understand.")
    if m_part == "" or t_part == "t":
        raise ShareCodeError("truncated", "This share code is incomplete; it may have been cut off when it was copied.")
    if t_part is not None and len(t_part) - 1 > MAX_TEXT_CHARS:
        raise ShareCodeError("oversized", "The notes in this share code are longer than a share code may carry.")
    answers, na, warnings = read_answers(a_part, assessment, ANSWER_CHARS + UNANSWERED + NA)
    marks = read_marks(m_part, mts) if m_part is not None else None
    if check(a_part, assessment, m_part, mts, t_part) != check_chars:
        raise ShareCodeError(
            "checksum",
            "This share code does not check out: it was probably mistyped or damaged, "
            "or it was made for a different set of questions.",
        )
    notes: dict[str, str] = {}
    name = ""
    cut = False
    if t_part is not None:
        notes, name, cut = read_text_part(unpack(t_part[1:]), assessment)
    return Decoded(answers=answers, marks=marks, version=2, na=na, notes=notes, name=name, notes_cut=cut, warnings=warnings)
