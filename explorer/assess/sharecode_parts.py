"""The pieces every share code is made of (:mod:`explorer.assess.sharecode` lists the formats).

* the alphabet: lower-case letters, digits and dots (underscores join a workshop code's members), so a
  code is URL-safe without escaping and readable case-insensitively;
* :class:`ShareCodeError`, the one error a reader raises, with a message for the user;
* what a code holds once read (:class:`Decoded`) and what writing one gives (:class:`Encoded`);
* the fingerprints of the questionnaire and of the ML Test Score rubric, and the check characters
  (base32 of a SHA-256) that bind a code to them;
* the answers part (one character per question) and the marks part (one per ML Test Score test),
  written and read the same way by every format that carries them;
* the first look at any input (:func:`as_text`) and at a dotted code's check (:func:`split_check`).
"""

from __future__ import annotations

import base64
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from explorer.assess.evidence import AnswerSet
from explorer.content.schema import Assessment, MLTestScore

MAX_INPUT = 8000  # nothing longer is even looked at: the longest code there is, a full workshop code

ANSWER_CHARS = "012345"
UNANSWERED = "x"
NA = "n"
MARK_TO_CHAR = {0.0: "0", 0.5: "h", 1.0: "1"}
CHAR_TO_MARK = {v: k for k, v in MARK_TO_CHAR.items()}
UNMARKED = "x"
CODE_RE = re.compile(r"^[a-z0-9.]+$")
VERSION_RE = re.compile(r"^v(\d{1,6})$")
CHECK_RE = re.compile(r"^[a-z2-7]+$")


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


# --------------------------------------------------------------------------- fingerprints and checks
def questionnaire_fingerprint(assessment: Assessment) -> str:
    """The question ids and answer counts a code is checked against (kept per questionnaire object: a workshop
    paste checks up to 120 codes against the same one)."""
    held = _FINGERPRINTS.get(id(assessment))
    if held is not None and held[0] is assessment:
        return held[1]
    text = ";".join(f"{q.id}:{len(q.answers)}" for q in assessment.questions)
    if len(_FINGERPRINTS) >= 8:
        _FINGERPRINTS.clear()
    _FINGERPRINTS[id(assessment)] = (assessment, text)
    return text


_FINGERPRINTS: dict[int, tuple[Assessment, str]] = {}  # id -> (the questionnaire, its fingerprint); at most 8


def rubric_fingerprint(mts: MLTestScore) -> str:
    return ";".join(t.id for s in mts.sections for t in s.tests)


def rubric_tests(mts: MLTestScore) -> list[str]:
    """The ML Test Score test ids in rubric order (the order of a marks part)."""
    return [t.id for s in mts.sections for t in s.tests]


def b32(digest: bytes, n: int) -> str:
    """The first ``n`` lower-case base32 characters of ``digest`` (check characters)."""
    return base64.b32encode(digest).decode("ascii").lower()[:n]


# --------------------------------------------------------------------------- writing the parts
def answers_part(assessment: Assessment, answers: Mapping[str, int], na: frozenset[str]) -> str:
    chars = []
    for q in assessment.questions:
        value = answers.get(q.id)
        if q.id in na:
            chars.append(NA)
            continue
        if value is None:
            chars.append(UNANSWERED)
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < len(q.answers):
            raise ValueError(f"answer to {q.id!r} must be an index 0-{len(q.answers) - 1}, got {value!r}")
        chars.append(ANSWER_CHARS[value])
    return "".join(chars)


def marks_part(marks: Mapping[str, float], mts: MLTestScore | None) -> str:
    if mts is None:
        raise ValueError("encoding ML Test Score marks needs the rubric (mts)")
    mchars = []
    for tid in rubric_tests(mts):
        value = marks.get(tid)
        if value is None:
            mchars.append(UNMARKED)
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)) or float(value) not in MARK_TO_CHAR:
            raise ValueError(f"mark for {tid!r} must be 0, 0.5 or 1, got {value!r}")
        mchars.append(MARK_TO_CHAR[float(value)])
    return "".join(mchars)


# --------------------------------------------------------------------------- reading
def as_text(code: object, what: str = "share code") -> str:
    """The input as stripped text, or :class:`ShareCodeError` (not text, empty, far too long)."""
    if isinstance(code, (bytes, bytearray)):
        if len(code) > MAX_INPUT:
            raise ShareCodeError("oversized", f"This {what} is too long (the limit is {MAX_INPUT} characters).")
        try:
            code = bytes(code).decode("ascii")
        except UnicodeDecodeError:
            raise ShareCodeError("not-text", f"This {what} contains characters that never appear in a {what}.") from None
    if not isinstance(code, str):
        raise ShareCodeError("not-text", f"The {what} must be text.")
    if len(code) > MAX_INPUT:
        raise ShareCodeError("oversized", f"This {what} is too long (the limit is {MAX_INPUT} characters).")
    code = code.strip()
    if not code:
        raise ShareCodeError("empty", f"The {what} is empty.")
    return code


def split_check(parts: list[str], max_parts: int, check_length: int) -> str:
    """The check characters of a dotted code split into ``parts`` (its last part), once the parts look whole."""
    if len(parts) < 3 or any(p == "" for p in parts[1:]):
        raise ShareCodeError("truncated", "This share code is incomplete; it may have been cut off when it was copied.")
    if len(parts) > max_parts:
        raise ShareCodeError("malformed", "This share code has too many parts separated by dots.")
    check = parts[-1]
    if not CHECK_RE.match(check) or len(check) > check_length:
        raise ShareCodeError("malformed", "The last part of this share code (its check characters) is not valid.")
    if len(check) < check_length:
        raise ShareCodeError("truncated", "This share code is incomplete; it may have been cut off when it was copied.")
    return check


def read_answers(a_part: str, assessment: Assessment, allowed: str) -> tuple[dict[str, int], frozenset[str], tuple[str, ...]]:
    """(answers, N/A question ids, warnings) from an answers part written with the characters ``allowed``."""
    n = len(assessment.questions)
    if any(ch not in allowed for ch in a_part):
        extra = " and n" if NA in allowed else ""
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
        if ch == UNANSWERED:
            continue
        if ch == NA:
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


def read_marks(m_part: str, mts: MLTestScore | None) -> dict[str, float]:
    """Marks by test id from a marks part (unmarked tests left out)."""
    if mts is None:
        raise ShareCodeError("rubric", "This share code carries ML Test Score marks, but the ML Test Score rubric is not available.")
    tests = rubric_tests(mts)
    if any(ch not in "0h1x" for ch in m_part):
        raise ShareCodeError("malformed", "The ML Test Score marks in this share code contain characters other than 0, h, 1 and x.")
    if len(m_part) != len(tests):
        raise ShareCodeError(
            "count",
            f"This share code carries marks for {len(m_part)} ML Test Score tests; the rubric has {len(tests)}.",
        )
    return {tid: CHAR_TO_MARK[ch] for tid, ch in zip(tests, m_part) if ch != UNMARKED}
