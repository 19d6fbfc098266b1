"""Compact, versioned, URL-safe share codes for an answer set (issues 4 and 12).

Every code uses only lower-case letters, digits, dots (and, in a workshop code, underscores):
URL-safe without escaping, and readable case-insensitively.  Two formats are read; the encoder
writes the shortest one that holds the data (``version=None``), so a plain answer set still gets
the short version-1 code and every old link keeps working.

Version 1 (answers and ML Test Score marks)::

    v1.<answers>.<check>                 answers only
    v1.<answers>.<marks>.<check>         answers and ML Test Score marks

* ``<answers>``: one character per question, in questionnaire order: the
  answer index ``0``-``5``, or ``x`` for an unanswered question.  Its length is
  the number of questions the code was made for.
* ``<marks>``: one character per ML Test Score test, in rubric order: ``0``
  (not done), ``h`` (manual, half a point), ``1`` (automated), ``x`` (not
  marked).
* ``<check>``: 4 characters (base32, lower case) of a SHA-256 over the format
  version, a fingerprint of the questionnaire (question ids and their answer
  counts, in order), the answers, and, when marks are present, a fingerprint
  of the rubric (test ids in order) and the marks.  A code made for another
  questionnaire with the same number of questions therefore fails the check
  instead of silently mapping answers onto the wrong questions.  Rewording
  questions or answers does not change the fingerprint, so old links keep
  working.  At most :data:`MAX_CODE_LENGTH` characters.

Version 2 (adds "does not apply", notes and a name; issue 12)::

    v2.<answers>[.m<marks>][.t<text>].<check>

* ``<answers>`` as in version 1, plus ``n`` for a question marked "does not
  apply".  A code that marks N/A on a question which (no longer) allows it is
  still read: that question counts as unanswered and :attr:`Decoded.warnings`
  says so.
* ``m<marks>``: the marks part of version 1 behind the tag ``m``.
* ``t<text>``: the tag ``t`` and lower-case, unpadded base32 of raw-DEFLATE
  compressed compact JSON ``{"n": name, "q": {"<question position>": note},
  "c": 1}`` (keys optional; ``c`` = some notes were cut or left out to fit).
  Notes and the name are cleaned (:mod:`explorer.assess.evidence`) when encoded and
  again when decoded.  The part is at most :data:`MAX_TEXT_CHARS` characters:
  when the notes do not fit, every note is cut to the same, largest length
  that fits (down to leaving all notes out), and ``c`` is set
  (:attr:`Decoded.notes_cut`).  The name is never cut by the budget.
* ``<check>``: 6 base32 characters of a SHA-256 over ``v2``, the questionnaire
  fingerprint, the answers, the marks part with the rubric fingerprint, and the
  text part.  At most :data:`MAX_CODE_LENGTH_V2` characters in all.

Workshop code (several answer sets in one link, ``?w=``)::

    w1_<member code>_<member code>_..._<check>

* each member is a version-1 or version-2 code, unchanged, so it decodes
  exactly as it would on its own; ``<check>`` is 6 base32 characters of a
  SHA-256 over ``w1`` and the members.  At most :data:`MAX_MEMBERS` members and
  :data:`MAX_WORKSHOP_LENGTH` characters; :func:`encode_workshop` says by how
  much a link is too long instead of producing it.

Decoding is total: for *any* input :func:`decode` returns a :class:`Decoded` or
raises :class:`ShareCodeError` (a :class:`ValueError`) whose message can be
shown to the user as is and whose ``kind`` says which check failed.  Input is
upper- or lower-case and may carry surrounding whitespace.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import zlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypedDict, Unpack
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from explorer.assess.evidence import MAX_NAME_CHARS, MAX_NOTE_CHARS, AnswerSet, clean_text, truncate
from explorer.content.schema import Assessment, MLTestScore

FORMAT_VERSION = 2  # the newest version this module writes (it writes 1 when that is enough)
KNOWN_VERSIONS = (1, 2)
MAX_CODE_LENGTH = 200  # version 1
MAX_CODE_LENGTH_V2 = 1800  # version 2: short enough for any browser, chat tool or QR code reader
MAX_TEXT_CHARS = 1400  # the notes-and-name part of a version-2 code (base32 characters)
MAX_TEXT_BYTES = 16_000  # a decompressed notes part larger than this is refused (no zip bombs)
QUERY_PARAM = "a"  # the page reads the code from ?a=...
WORKSHOP_PARAM = "w"  # the workshop view reads a workshop code from ?w=...
CHECK_LENGTH = 4  # version 1
CHECK_LENGTH_V2 = 6
WORKSHOP_PREFIX = "w1"
MAX_MEMBERS = 60
MAX_WORKSHOP_LENGTH = 8000
_MAX_INPUT = MAX_WORKSHOP_LENGTH  # nothing longer is even looked at

_ANSWER_CHARS = "012345"
_UNANSWERED = "x"
_NA = "n"
_MARK_TO_CHAR = {0.0: "0", 0.5: "h", 1.0: "1"}
_CHAR_TO_MARK = {v: k for k, v in _MARK_TO_CHAR.items()}
_UNMARKED = "x"
_ALLOWED_RE = re.compile(r"^[a-z0-9.]+$")
_WORKSHOP_RE = re.compile(r"^[a-z0-9._]+$")
_VERSION_RE = re.compile(r"^v(\d{1,6})$")
_CHECK_RE = re.compile(r"^[a-z2-7]+$")
_B32_RE = re.compile(r"^[a-z2-7]*$")


class ShareCodeError(ValueError):
    """A share code that cannot be read.  ``str(err)`` is a message for the user.

    ``kind`` is one of: ``empty``, ``not-text``, ``oversized``, ``malformed``,
    ``truncated``, ``version``, ``count``, ``range``, ``checksum``, ``rubric``
    (and, for workshop codes, ``members``).
    """

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


@dataclass(frozen=True)
class Decoded:
    answers: dict[str, int]  # only answered questions
    marks: dict[str, float] | None  # None when the code carries no ML Test Score part; unmarked tests omitted
    version: int = 1
    na: frozenset[str] = frozenset()  # questions marked "does not apply" (version 2)
    notes: dict[str, str] = field(default_factory=dict)  # question id -> note (version 2)
    name: str = ""  # the participant's name, if they chose to put one (version 2)
    notes_cut: bool = False  # some notes were cut or left out when the code was made
    warnings: tuple[str, ...] = ()  # things read leniently (e.g. N/A on a question that no longer allows it)

    @property
    def answer_set(self) -> AnswerSet:
        return AnswerSet(dict(self.answers), self.na, dict(self.notes), self.name)


@dataclass(frozen=True)
class Encoded:
    code: str
    version: int
    notes_cut: bool = False  # some notes were cut or left out to fit the size budget
    note_limit: int | None = None  # the length every note was cut to (None: not cut; 0: all left out)
    notes_kept: int = 0  # notes carried by the code


# --------------------------------------------------------------------------- fingerprints
def questionnaire_fingerprint(assessment: Assessment) -> str:
    return ";".join(f"{q.id}:{len(q.answers)}" for q in assessment.questions)


def rubric_fingerprint(mts: MLTestScore) -> str:
    return ";".join(t.id for s in mts.sections for t in s.tests)


def _b32(digest: bytes, n: int) -> str:
    return base64.b32encode(digest).decode("ascii").lower()[:n]


def _check(answers: str, assessment: Assessment, marks: str | None, mts: MLTestScore | None) -> str:
    """Version-1 check characters."""
    text = f"v1|{questionnaire_fingerprint(assessment)}|{answers}"
    if marks is not None and mts is not None:
        text += f"|{rubric_fingerprint(mts)}|{marks}"
    return _b32(hashlib.sha256(text.encode("utf-8")).digest(), CHECK_LENGTH)


def _check_v2(answers: str, assessment: Assessment, marks: str | None, mts: MLTestScore | None, text_part: str | None) -> str:
    body = f"v2|{questionnaire_fingerprint(assessment)}|{answers}"
    body += f"|m:{rubric_fingerprint(mts)}|{marks}" if marks is not None and mts is not None else "|m:"
    body += f"|t:{text_part or ''}"
    return _b32(hashlib.sha256(body.encode("utf-8")).digest(), CHECK_LENGTH_V2)


def _tests(mts: MLTestScore) -> list[str]:
    return [t.id for s in mts.sections for t in s.tests]


# --------------------------------------------------------------------------- notes part (version 2)
def _pack(payload: dict) -> str:
    raw = json.dumps(payload, separators=(",", ":"), ensure_ascii=False, sort_keys=True).encode("utf-8")
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = comp.compress(raw) + comp.flush()
    return base64.b32encode(data).decode("ascii").rstrip("=").lower()


def _unpack(text: str) -> object:
    if not _B32_RE.match(text) or len(text) % 8 in (1, 3, 6):
        raise ShareCodeError("malformed", "The notes in this share code are damaged.")
    try:
        data = base64.b32decode(text.upper() + "=" * (-len(text) % 8))
    except (binascii.Error, ValueError):
        raise ShareCodeError("malformed", "The notes in this share code are damaged.") from None
    dec = zlib.decompressobj(-15)
    try:
        raw = dec.decompress(data, MAX_TEXT_BYTES)
    except zlib.error:
        raise ShareCodeError("malformed", "The notes in this share code are damaged.") from None
    if dec.unconsumed_tail:
        raise ShareCodeError("oversized", "The notes in this share code unpack to far more text than a share code may hold.")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ShareCodeError("malformed", "The notes in this share code are damaged.") from None


def _text_part(
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
        return ("t" + _pack(payload) if payload else None), len(kept)

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


# --------------------------------------------------------------------------- encode
def _answers_part(assessment: Assessment, answers: Mapping[str, int], na: frozenset[str]) -> str:
    chars = []
    for q in assessment.questions:
        value = answers.get(q.id)
        if q.id in na:
            chars.append(_NA)
            continue
        if value is None:
            chars.append(_UNANSWERED)
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(q.answers):
            raise ValueError(f"answer to {q.id!r} must be an index 0-{len(q.answers) - 1}, got {value!r}")
        chars.append(_ANSWER_CHARS[value])
    return "".join(chars)


def _marks_part(marks: Mapping[str, float], mts: MLTestScore | None) -> str:
    if mts is None:
        raise ValueError("encoding ML Test Score marks needs the rubric (mts)")
    mchars = []
    for tid in _tests(mts):
        value = marks.get(tid)
        if value is None:
            mchars.append(_UNMARKED)
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in _MARK_TO_CHAR:
            raise ValueError(f"mark for {tid!r} must be 0, 0.5 or 1, got {value!r}")
        mchars.append(_MARK_TO_CHAR[float(value)])
    return "".join(mchars)


def _check_na(assessment: Assessment, na: Iterable[str], answers: Mapping[str, int]) -> frozenset[str]:
    if isinstance(na, str):
        raise ValueError("na must be a collection of question ids, not one string")
    qmap = {q.id: q for q in assessment.questions}
    out = set()
    for qid in na:
        q = qmap.get(qid)
        if q is None:
            continue  # unknown ids are ignored, like unknown answers
        if not q.allow_na:
            raise ValueError(f"question {qid!r} does not allow 'does not apply'")
        if answers.get(qid) is not None:
            raise ValueError(f"question {qid!r} is both answered and marked 'does not apply'")
        out.add(qid)
    return frozenset(out)


def encode_full(
    assessment: Assessment,
    answers: Mapping[str, int],
    marks: Mapping[str, float] | None = None,
    mts: MLTestScore | None = None,
    *,
    na: Iterable[str] = (),
    notes: Mapping[str, str] | None = None,
    name: str = "",
    version: int | None = None,
) -> Encoded:
    """Like :func:`encode`, and says whether notes had to be cut to fit (:class:`Encoded`)."""
    na_set = _check_na(assessment, na, answers)
    qids = {q.id for q in assessment.questions}
    clean_notes = {}
    for qid, note in (notes or {}).items():
        if qid in qids:
            text = clean_text(note, MAX_NOTE_CHARS)[0]
            if text:
                clean_notes[qid] = text
    clean_nm = clean_text(name, MAX_NAME_CHARS)[0]
    extras = bool(na_set or clean_notes or clean_nm)
    if version is None:
        version = 2 if extras else 1
    if version not in KNOWN_VERSIONS:
        raise ValueError(f"unknown share-code version {version!r}; known: {KNOWN_VERSIONS}")
    if version == 1 and extras:
        raise ValueError("a version-1 share code cannot carry 'does not apply', notes or a name; use version 2")

    a_part = _answers_part(assessment, answers, na_set)
    m_part = _marks_part(marks, mts) if marks is not None else None
    if version == 1:
        parts = ["v1", a_part] + ([m_part] if m_part is not None else [])
        parts.append(_check(a_part, assessment, m_part, mts))
        code = ".".join(parts)
        if len(code) > MAX_CODE_LENGTH:  # pragma: no cover - needs > ~160 questions
            raise ValueError(f"share code would be {len(code)} characters, more than {MAX_CODE_LENGTH}")
        return Encoded(code, 1)

    fixed = len("v2.") + len(a_part) + (len(m_part) + 2 if m_part is not None else 0) + 1 + CHECK_LENGTH_V2 + 1
    budget = min(MAX_TEXT_CHARS, MAX_CODE_LENGTH_V2 - fixed)
    t_part, cut, limit, kept = _text_part(assessment, clean_notes, clean_nm, budget)
    parts = ["v2", a_part]
    if m_part is not None:
        parts.append("m" + m_part)
    if t_part is not None:
        parts.append(t_part)
    parts.append(_check_v2(a_part, assessment, m_part, mts, t_part))
    code = ".".join(parts)
    if len(code) > MAX_CODE_LENGTH_V2:  # pragma: no cover - needs hundreds of questions
        raise ValueError(f"share code would be {len(code)} characters, more than {MAX_CODE_LENGTH_V2}")
    return Encoded(code, 2, cut, limit, kept)


class CodeExtras(TypedDict, total=False):
    """The keyword-only inputs of :func:`encode_full` besides answers and marks."""

    na: Iterable[str]
    notes: Mapping[str, str] | None
    name: str
    version: int | None


def encode(
    assessment: Assessment,
    answers: Mapping[str, int],
    marks: Mapping[str, float] | None = None,
    mts: MLTestScore | None = None,
    **extras: Unpack[CodeExtras],
) -> str:
    """Share code for ``answers`` (and optionally ML Test Score ``marks``, which then needs ``mts``).

    ``na`` (question ids marked "does not apply"), ``notes`` (question id -> note) and ``name`` need
    version 2; ``version=None`` picks version 1 when none of them is given, else version 2.
    Ids not in the questionnaire / rubric are ignored.  An index or mark out of range, N/A on a
    question that does not allow it, or a question both answered and N/A raises ValueError (a
    programming error, not user input: see :func:`explorer.assess.evidence.make_answer_set`).
    """
    return encode_full(assessment, answers, marks, mts, **extras).code


def encode_answer_set(
    assessment: Assessment,
    answer_set: AnswerSet,
    marks: Mapping[str, float] | None = None,
    mts: MLTestScore | None = None,
    *,
    version: int | None = None,
    with_notes: bool = True,
) -> Encoded:
    """Share code of an :class:`~explorer.assess.evidence.AnswerSet` (``with_notes=False`` leaves the notes out)."""
    return encode_full(
        assessment, answer_set.answers, marks, mts, na=answer_set.na,
        notes=answer_set.notes if with_notes else None, name=answer_set.name, version=version,
    )


# --------------------------------------------------------------------------- decode
def decode(code: object, assessment: Assessment, mts: MLTestScore | None = None) -> Decoded:
    """Read a share code.  Raises :class:`ShareCodeError` for any input that is not a valid code
    (property tests check that nothing else escapes: a bug is not disguised as a bad link)."""
    return _decode(code, assessment, mts)


# --------------------------------------------------------------------------- ML Test Score codes
MARKS_PREFIX = "m1"
CHECK_LENGTH_MARKS = 4


def _check_marks(m_part: str, mts: MLTestScore) -> str:
    return _b32(hashlib.sha256(f"m1|{rubric_fingerprint(mts)}|{m_part}".encode()).digest(), CHECK_LENGTH_MARKS)


def encode_marks(mts: MLTestScore, marks: Mapping[str, float]) -> str:
    """A code for ML Test Score marks alone (``m1.<marks>.<check>``): it needs the rubric only, so the
    ML Test Score page works when the self-assessment questionnaire cannot be loaded."""
    m_part = _marks_part(marks, mts)
    return f"{MARKS_PREFIX}.{m_part}.{_check_marks(m_part, mts)}"


def decode_marks(code: object, mts: MLTestScore, assessment: Assessment | None = None) -> dict[str, float]:
    """Marks from an ``m1`` code, or from an older self-assessment code that carries marks (that needs
    ``assessment``).  Raises :class:`ShareCodeError` with a message for the user."""
    text = _as_text(code).lower()
    if not text.startswith(MARKS_PREFIX + "."):
        if assessment is None:
            raise ShareCodeError("rubric", "This older link also needs the self-assessment questions, which cannot be "
                                           "loaded right now.")
        decoded = decode(text, assessment, mts)
        if decoded.marks is None:
            raise ShareCodeError("rubric", "This link holds no ML Test Score marks (it is a self-assessment link).")
        return dict(decoded.marks)
    parts = text.split(".")
    if len(parts) != 3 or not _ALLOWED_RE.match(text):
        raise ShareCodeError("malformed", "This ML Test Score code should look like 'm1.<marks>.<check>'.")
    marks = _read_marks(parts[1], mts)
    if _check_marks(parts[1], mts) != parts[2]:
        raise ShareCodeError("checksum", "This ML Test Score code does not check out: it was probably mistyped or "
                                         "damaged, or it was made for a different list of tests.")
    return marks


def _as_text(code: object, what: str = "share code") -> str:
    if isinstance(code, (bytes, bytearray)):
        if len(code) > _MAX_INPUT:
            raise ShareCodeError("oversized", f"This {what} is too long (the limit is {_MAX_INPUT} characters).")
        try:
            code = bytes(code).decode("ascii")
        except UnicodeDecodeError:
            raise ShareCodeError("not-text", f"This {what} contains characters that never appear in a {what}.") from None
    if not isinstance(code, str):
        raise ShareCodeError("not-text", f"The {what} must be text.")
    if len(code) > _MAX_INPUT:
        raise ShareCodeError("oversized", f"This {what} is too long (the limit is {_MAX_INPUT} characters).")
    code = code.strip()
    if not code:
        raise ShareCodeError("empty", f"The {what} is empty.")
    return code


def _decode(code: object, assessment: Assessment, mts: MLTestScore | None) -> Decoded:
    code = _as_text(code)
    if len(code) > MAX_CODE_LENGTH_V2:
        raise ShareCodeError("oversized", f"This share code is too long ({len(code)} characters; the limit is {MAX_CODE_LENGTH_V2}).")
    if not code.isascii() or not _ALLOWED_RE.match(code.lower()):
        raise ShareCodeError(
            "malformed", "This share code contains characters that never appear in a share code (only letters, digits and dots do)."
        )
    code = code.lower()
    parts = code.split(".")
    m = _VERSION_RE.match(parts[0])
    if m is None:
        raise ShareCodeError("malformed", "This is not a share code: it should start with a version such as 'v1.' or 'v2.'.")
    version = int(m.group(1))
    if version not in KNOWN_VERSIONS:
        raise ShareCodeError(
            "version",
            f"This share code uses format version {version}, which this app does not know "
            f"(it reads versions {', '.join(map(str, KNOWN_VERSIONS))}).",
        )
    if version == 1:
        if len(code) > MAX_CODE_LENGTH:
            raise ShareCodeError("oversized", f"This share code is too long ({len(code)} characters; the limit is {MAX_CODE_LENGTH}).")
        return _decode_v1(parts, assessment, mts)
    return _decode_v2(parts, assessment, mts)


def _split_check(parts: list[str], max_parts: int, check_length: int) -> str:
    if len(parts) < 3 or any(p == "" for p in parts[1:]):
        raise ShareCodeError("truncated", "This share code is incomplete; it may have been cut off when it was copied.")
    if len(parts) > max_parts:
        raise ShareCodeError("malformed", "This share code has too many parts separated by dots.")
    check = parts[-1]
    if not _CHECK_RE.match(check) or len(check) > check_length:
        raise ShareCodeError("malformed", "The last part of this share code (its check characters) is not valid.")
    if len(check) < check_length:
        raise ShareCodeError("truncated", "This share code is incomplete; it may have been cut off when it was copied.")
    return check


def _read_answers(a_part: str, assessment: Assessment, allowed: str) -> tuple[dict[str, int], frozenset[str], tuple[str, ...]]:
    n = len(assessment.questions)
    if any(ch not in allowed for ch in a_part):
        extra = " and n" if _NA in allowed else ""
        raise ShareCodeError("malformed", f"The answers in this share code contain characters other than 0-5, x{extra}.")
    if len(a_part) != n:
        raise ShareCodeError(
            "count",
            f"This share code was made for a questionnaire with {len(a_part)} questions; the current one has {n}. "
            "It probably comes from another version of the app.",
        )
    answers: dict[str, int] = {}
    na: set[str] = set()
    warnings: list[str] = []
    for q, ch in zip(assessment.questions, a_part):
        if ch == _UNANSWERED:
            continue
        if ch == _NA:
            if q.allow_na:
                na.add(q.id)
            else:
                warnings.append(f"The code marks '{q.id}' as not applying, which that question no longer allows; it counts as unanswered.")
            continue
        idx = int(ch)
        if idx >= len(q.answers):
            raise ShareCodeError(
                "range",
                f"This share code gives answer {idx + 1} to the question '{q.id}', which has only {len(q.answers)} answers.",
            )
        answers[q.id] = idx
    return answers, frozenset(na), tuple(warnings)


def _read_marks(m_part: str, mts: MLTestScore | None) -> dict[str, float]:
    if mts is None:
        raise ShareCodeError("rubric", "This share code carries ML Test Score marks, but the ML Test Score rubric is not available.")
    tests = _tests(mts)
    if any(ch not in "0h1x" for ch in m_part):
        raise ShareCodeError("malformed", "The ML Test Score marks in this share code contain characters other than 0, h, 1 and x.")
    if len(m_part) != len(tests):
        raise ShareCodeError(
            "count",
            f"This share code carries marks for {len(m_part)} ML Test Score tests; the rubric has {len(tests)}.",
        )
    return {tid: _CHAR_TO_MARK[ch] for tid, ch in zip(tests, m_part) if ch != _UNMARKED}


def _decode_v1(parts: list[str], assessment: Assessment, mts: MLTestScore | None) -> Decoded:
    check = _split_check(parts, 4, CHECK_LENGTH)
    a_part = parts[1]
    answers, _, _ = _read_answers(a_part, assessment, _ANSWER_CHARS + _UNANSWERED)
    m_part: str | None = parts[2] if len(parts) == 4 else None
    marks = _read_marks(m_part, mts) if m_part is not None else None
    if _check(a_part, assessment, m_part, mts) != check:
        raise ShareCodeError(
            "checksum",
            "This share code does not check out: it was probably mistyped or damaged, "
            "or it was made for a different set of questions.",
        )
    return Decoded(answers=answers, marks=marks, version=1)


def _decode_v2(parts: list[str], assessment: Assessment, mts: MLTestScore | None) -> Decoded:
    check = _split_check(parts, 5, CHECK_LENGTH_V2)
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
    answers, na, warnings = _read_answers(a_part, assessment, _ANSWER_CHARS + _UNANSWERED + _NA)
    marks = _read_marks(m_part, mts) if m_part is not None else None
    if _check_v2(a_part, assessment, m_part, mts, t_part) != check:
        raise ShareCodeError(
            "checksum",
            "This share code does not check out: it was probably mistyped or damaged, "
            "or it was made for a different set of questions.",
        )
    notes: dict[str, str] = {}
    name = ""
    cut = False
    if t_part is not None:
        payload = _unpack(t_part[1:])
        if not isinstance(payload, dict):
            raise ShareCodeError("malformed", "The notes in this share code are damaged.")
        raw_name = payload.get("n", "")
        raw_notes = payload.get("q", {})
        if not isinstance(raw_name, str) or not isinstance(raw_notes, dict):
            raise ShareCodeError("malformed", "The notes in this share code are damaged.")
        name = clean_text(raw_name, MAX_NAME_CHARS)[0]
        cut = payload.get("c") == 1
        qs = assessment.questions
        for key, note in raw_notes.items():
            if not (isinstance(key, str) and key.isdigit() and len(key) <= 4 and int(key) < len(qs) and isinstance(note, str)):
                raise ShareCodeError("malformed", "The notes in this share code are damaged.")
            text = clean_text(note, MAX_NOTE_CHARS)[0]
            if text:
                notes[qs[int(key)].id] = text
        order = {q.id: i for i, q in enumerate(qs)}
        notes = dict(sorted(notes.items(), key=lambda kv: order[kv[0]]))
    return Decoded(answers=answers, marks=marks, version=2, na=na, notes=notes, name=name, notes_cut=cut, warnings=warnings)


# --------------------------------------------------------------------------- links
def share_url(base_url: str, code: str, param: str = QUERY_PARAM) -> str:
    """``base_url`` with ``?<param>=<code>`` set (other query parameters are kept, an old code is replaced)."""
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, code))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def extract_code(text: str, params: Sequence[str] = (QUERY_PARAM, WORKSHOP_PARAM)) -> str:
    """The code inside a pasted share link (its ``?a=`` or ``?w=`` value), or the text itself, stripped.

    Never raises for text input; the result is what :func:`decode` / :func:`decode_workshop` should read.
    """
    text = text.strip()
    if "?" not in text and "://" not in text:
        return text
    try:
        query = parse_qs(urlsplit(text[:_MAX_INPUT * 2]).query, keep_blank_values=True, max_num_fields=50)
    except ValueError:
        return text
    for p in params:
        if query.get(p):
            return query[p][0].strip()
    return text


# --------------------------------------------------------------------------- workshop codes
def _workshop_check(members: Sequence[str]) -> str:
    body = WORKSHOP_PREFIX + "|" + "_".join(members)
    return _b32(hashlib.sha256(body.encode("ascii")).digest(), CHECK_LENGTH_V2)


def encode_workshop(codes: Sequence[str]) -> str:
    """One code holding several member share codes (kept verbatim, lower-cased).

    Raises :class:`ShareCodeError` (kind ``oversized`` or ``members``) with a message saying by how
    much the limit is exceeded, and ValueError for a member that is not a share code at all
    (build members with :func:`encode`).
    """
    members = [c.strip().lower() for c in codes]
    if not members:
        raise ShareCodeError("members", "A workshop link needs at least one answer set.")
    for c in members:
        if not _ALLOWED_RE.match(c) or not _VERSION_RE.match(c.split(".")[0]):
            raise ValueError(f"not a share code: {c[:40]!r}")
    if len(members) > MAX_MEMBERS:
        raise ShareCodeError("members", f"A workshop link holds at most {MAX_MEMBERS} answer sets; this one has {len(members)}.")
    code = "_".join([WORKSHOP_PREFIX, *members, _workshop_check(members)])
    if len(code) > MAX_WORKSHOP_LENGTH:
        raise ShareCodeError(
            "oversized",
            f"The workshop link would be {len(code):,} characters long; a link may carry at most {MAX_WORKSHOP_LENGTH:,}. "
            "Leave the notes out of the link (they stay in the downloaded report) or combine fewer answer sets.",
        )
    return code


def is_workshop_code(text: object) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(WORKSHOP_PREFIX + "_")


def decode_workshop(code: object) -> list[str]:
    """The member codes of a workshop code (not yet decoded: decode each with :func:`decode`).

    Raises only :class:`ShareCodeError`: a damaged or cut-off workshop link fails as a whole,
    because its check covers every member.
    """
    text = _as_text(code, "workshop link")
    if len(text) > MAX_WORKSHOP_LENGTH:
        raise ShareCodeError("oversized", f"This workshop link is too long ({len(text):,} characters; the limit is {MAX_WORKSHOP_LENGTH:,}).")
    text = text.lower()
    if not text.isascii() or not _WORKSHOP_RE.match(text):
        raise ShareCodeError("malformed", "This workshop link contains characters that never appear in one (only letters, digits, dots and underscores do).")
    parts = text.split("_")
    if parts[0] != WORKSHOP_PREFIX:
        head = parts[0]
        if re.fullmatch(r"w\d{1,6}", head):
            raise ShareCodeError("version", f"This workshop link uses format {head}, which this app does not know (it reads {WORKSHOP_PREFIX}).")
        raise ShareCodeError("malformed", f"This is not a workshop link: it should start with '{WORKSHOP_PREFIX}_'.")
    if len(parts) < 3 or any(not p for p in parts[1:]):
        raise ShareCodeError("truncated", "This workshop link is incomplete; it may have been cut off when it was copied.")
    members, check = parts[1:-1], parts[-1]
    if len(members) > MAX_MEMBERS:
        raise ShareCodeError("members", f"A workshop link holds at most {MAX_MEMBERS} answer sets; this one has {len(members)}.")
    if not _CHECK_RE.match(check) or len(check) != CHECK_LENGTH_V2:
        raise ShareCodeError("truncated", "This workshop link is incomplete; it may have been cut off when it was copied.")
    if _workshop_check(members) != check:
        raise ShareCodeError("checksum", "This workshop link does not check out: it was probably cut off, mistyped or damaged.")
    return members
