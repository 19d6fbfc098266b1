"""Share code version 1: answers and ML Test Score marks (issue 4).  Every link made since then reads as before.

::

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
"""

from __future__ import annotations

import hashlib

from explorer.assess.sharecode_parts import (
    ANSWER_CHARS,
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

MAX_CODE_LENGTH = 200
CHECK_LENGTH = 4


def check(answers: str, assessment: Assessment, marks: str | None, mts: MLTestScore | None) -> str:
    """Version-1 check characters."""
    text = f"v1|{questionnaire_fingerprint(assessment)}|{answers}"
    if marks is not None and mts is not None:
        text += f"|{rubric_fingerprint(mts)}|{marks}"
    return b32(hashlib.sha256(text.encode("utf-8")).digest(), CHECK_LENGTH)


def write(assessment: Assessment, a_part: str, m_part: str | None, mts: MLTestScore | None) -> Encoded:
    """The version-1 code of an answers part (and a marks part)."""
    parts = ["v1", a_part] + ([m_part] if m_part is not None else [])
    parts.append(check(a_part, assessment, m_part, mts))
    code = ".".join(parts)
    if len(code) > MAX_CODE_LENGTH:  # pragma: no cover - needs > ~160 questions
        raise ValueError(f"share code would be {len(code)} characters, more than {MAX_CODE_LENGTH}")
    return Encoded(code, 1)


def read(parts: list[str], assessment: Assessment, mts: MLTestScore | None) -> Decoded:
    """A version-1 code split at its dots (its first part, ``v1``, already read)."""
    check_chars = split_check(parts, 4, CHECK_LENGTH)
    a_part = parts[1]
    answers, _, _ = read_answers(a_part, assessment, ANSWER_CHARS + UNANSWERED)
    m_part: str | None = parts[2] if len(parts) == 4 else None
    marks = read_marks(m_part, mts) if m_part is not None else None
    if check(a_part, assessment, m_part, mts) != check_chars:
        raise ShareCodeError(
            "checksum",
            "This share code does not check out: it was probably mistyped or damaged, "
            "or it was made for a different set of questions.",
        )
    return Decoded(answers=answers, marks=marks, version=1)
