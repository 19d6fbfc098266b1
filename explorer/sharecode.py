"""Compact, versioned, URL-safe share codes for an answer set (issue 4).

Format, version 1 (all characters are URL-safe, no escaping needed)::

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
  working.

Decoding is total: for *any* input it returns a :class:`Decoded` or raises
:class:`ShareCodeError` (a :class:`ValueError`) whose message can be shown to
the user as is and whose ``kind`` says which check failed.  Input is upper- or
lower-case and may carry surrounding whitespace; it is never longer than
:data:`MAX_CODE_LENGTH` characters.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from .schema import Assessment, MLTestScore

FORMAT_VERSION = 1
MAX_CODE_LENGTH = 200
QUERY_PARAM = "a"  # the page reads the code from ?a=...
CHECK_LENGTH = 4

_ANSWER_CHARS = "012345"
_UNANSWERED = "x"
_MARK_TO_CHAR = {0.0: "0", 0.5: "h", 1.0: "1"}
_CHAR_TO_MARK = {v: k for k, v in _MARK_TO_CHAR.items()}
_UNMARKED = "x"
_ALLOWED_RE = re.compile(r"^[a-z0-9.]+$")
_VERSION_RE = re.compile(r"^v(\d{1,6})$")
_CHECK_RE = re.compile(r"^[a-z2-7]+$")


class ShareCodeError(ValueError):
    """A share code that cannot be read.  ``str(err)`` is a message for the user.

    ``kind`` is one of: ``empty``, ``not-text``, ``oversized``, ``malformed``,
    ``truncated``, ``version``, ``count``, ``range``, ``checksum``, ``rubric``.
    """

    def __init__(self, kind: str, message: str):
        self.kind = kind
        super().__init__(message)


@dataclass(frozen=True)
class Decoded:
    answers: dict[str, int]  # only answered questions
    marks: dict[str, float] | None  # None when the code carries no ML Test Score part; unmarked tests omitted
    version: int = FORMAT_VERSION


# --------------------------------------------------------------------------- fingerprints
def questionnaire_fingerprint(assessment: Assessment) -> str:
    return ";".join(f"{q.id}:{len(q.answers)}" for q in assessment.questions)


def rubric_fingerprint(mts: MLTestScore) -> str:
    return ";".join(t.id for s in mts.sections for t in s.tests)


def _check(answers: str, assessment: Assessment, marks: str | None, mts: MLTestScore | None) -> str:
    text = f"v{FORMAT_VERSION}|{questionnaire_fingerprint(assessment)}|{answers}"
    if marks is not None and mts is not None:
        text += f"|{rubric_fingerprint(mts)}|{marks}"
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:CHECK_LENGTH]


def _tests(mts: MLTestScore) -> list[str]:
    return [t.id for s in mts.sections for t in s.tests]


# --------------------------------------------------------------------------- encode
def encode(
    assessment: Assessment,
    answers: Mapping[str, int],
    marks: Mapping[str, float] | None = None,
    mts: MLTestScore | None = None,
) -> str:
    """Share code for ``answers`` (and optionally ML Test Score ``marks``, which then needs ``mts``).

    Ids not in the questionnaire / rubric are ignored.  An index or mark out of
    range raises ValueError (a programming error, not user input).
    """
    chars = []
    for q in assessment.questions:
        value = answers.get(q.id)
        if value is None:
            chars.append(_UNANSWERED)
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(q.answers):
            raise ValueError(f"answer to {q.id!r} must be an index 0-{len(q.answers) - 1}, got {value!r}")
        chars.append(_ANSWER_CHARS[value])
    a_part = "".join(chars)
    parts = [f"v{FORMAT_VERSION}", a_part]
    m_part: str | None = None
    if marks is not None:
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
        m_part = "".join(mchars)
        parts.append(m_part)
    parts.append(_check(a_part, assessment, m_part, mts))
    code = ".".join(parts)
    if len(code) > MAX_CODE_LENGTH:  # pragma: no cover - needs > ~160 questions
        raise ValueError(f"share code would be {len(code)} characters, more than {MAX_CODE_LENGTH}")
    return code


# --------------------------------------------------------------------------- decode
def decode(code: object, assessment: Assessment, mts: MLTestScore | None = None) -> Decoded:
    """Read a share code.  Raises only :class:`ShareCodeError`, whatever ``code`` is."""
    try:
        return _decode(code, assessment, mts)
    except ShareCodeError:
        raise
    except Exception as exc:  # pragma: no cover - defensive: nothing else may escape
        raise ShareCodeError("malformed", "This share code could not be read.") from exc


def _decode(code: object, assessment: Assessment, mts: MLTestScore | None) -> Decoded:
    if isinstance(code, (bytes, bytearray)):
        if len(code) > MAX_CODE_LENGTH * 4:
            raise ShareCodeError("oversized", f"This share code is too long (the limit is {MAX_CODE_LENGTH} characters).")
        try:
            code = bytes(code).decode("ascii")
        except UnicodeDecodeError:
            raise ShareCodeError("not-text", "This share code contains characters that never appear in a share code.") from None
    if not isinstance(code, str):
        raise ShareCodeError("not-text", "The share code must be text.")
    if len(code) > MAX_CODE_LENGTH * 4:
        raise ShareCodeError("oversized", f"This share code is too long (the limit is {MAX_CODE_LENGTH} characters).")
    code = code.strip()
    if not code:
        raise ShareCodeError("empty", "The share code is empty.")
    if len(code) > MAX_CODE_LENGTH:
        raise ShareCodeError("oversized", f"This share code is too long ({len(code)} characters; the limit is {MAX_CODE_LENGTH}).")
    if not code.isascii() or not _ALLOWED_RE.match(code.lower()):
        raise ShareCodeError(
            "malformed", "This share code contains characters that never appear in a share code (only letters, digits and dots do)."
        )
    code = code.lower()
    parts = code.split(".")
    m = _VERSION_RE.match(parts[0])
    if m is None:
        raise ShareCodeError("malformed", "This is not a share code: it should start with a version such as 'v1.'.")
    version = int(m.group(1))
    if version != FORMAT_VERSION:
        raise ShareCodeError(
            "version",
            f"This share code uses format version {version}, which this app does not know (it reads version {FORMAT_VERSION}).",
        )
    if len(parts) < 3 or any(p == "" for p in parts[1:]):
        raise ShareCodeError("truncated", "This share code is incomplete; it may have been cut off when it was copied.")
    if len(parts) > 4:
        raise ShareCodeError("malformed", "This share code has too many parts separated by dots.")
    check = parts[-1]
    if not _CHECK_RE.match(check) or len(check) > CHECK_LENGTH:
        raise ShareCodeError("malformed", "The last part of this share code (its check characters) is not valid.")
    if len(check) < CHECK_LENGTH:
        raise ShareCodeError("truncated", "This share code is incomplete; it may have been cut off when it was copied.")

    a_part = parts[1]
    n = len(assessment.questions)
    if any(ch not in _ANSWER_CHARS + _UNANSWERED for ch in a_part):
        raise ShareCodeError("malformed", "The answers in this share code contain characters other than 0-5 and x.")
    if len(a_part) != n:
        raise ShareCodeError(
            "count",
            f"This share code was made for a questionnaire with {len(a_part)} questions; the current one has {n}. "
            "It probably comes from another version of the app.",
        )
    answers: dict[str, int] = {}
    for q, ch in zip(assessment.questions, a_part):
        if ch == _UNANSWERED:
            continue
        idx = int(ch)
        if idx >= len(q.answers):
            raise ShareCodeError(
                "range",
                f"This share code gives answer {idx + 1} to the question '{q.id}', which has only {len(q.answers)} answers.",
            )
        answers[q.id] = idx

    m_part: str | None = parts[2] if len(parts) == 4 else None
    marks: dict[str, float] | None = None
    if m_part is not None:
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
        marks = {tid: _CHAR_TO_MARK[ch] for tid, ch in zip(tests, m_part) if ch != _UNMARKED}

    if _check(a_part, assessment, m_part, mts) != check:
        raise ShareCodeError(
            "checksum",
            "This share code does not check out: it was probably mistyped or damaged, "
            "or it was made for a different set of questions.",
        )
    return Decoded(answers=answers, marks=marks, version=version)


# --------------------------------------------------------------------------- links
def share_url(base_url: str, code: str, param: str = QUERY_PARAM) -> str:
    """``base_url`` with ``?<param>=<code>`` set (other query parameters are kept, an old code is replaced)."""
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, code))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))
