"""ML Test Score code: the marks alone, ``m1.<marks>.<check>`` (the ML Test Score page's ``?m=``).

It needs the rubric only, so the ML Test Score page works when the self-assessment questionnaire
cannot be loaded.  ``<marks>`` is the marks part of version 1 (:mod:`explorer.assess.sharecode_v1`);
``<check>`` is 4 base32 characters of a SHA-256 over ``m1``, the rubric fingerprint and the marks.
An older self-assessment code that carries marks is read too (that needs the questionnaire).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from explorer.assess.sharecode_answers import decode
from explorer.assess.sharecode_parts import CODE_RE, ShareCodeError, as_text, b32, marks_part, read_marks, rubric_fingerprint
from explorer.content.schema import Assessment, MLTestScore

MARKS_PREFIX = "m1"
CHECK_LENGTH_MARKS = 4


def _check_marks(m_part: str, mts: MLTestScore) -> str:
    return b32(hashlib.sha256(f"m1|{rubric_fingerprint(mts)}|{m_part}".encode()).digest(), CHECK_LENGTH_MARKS)


def encode_marks(mts: MLTestScore, marks: Mapping[str, float]) -> str:
    """A code for ML Test Score marks alone (``m1.<marks>.<check>``): it needs the rubric only, so the
    ML Test Score page works when the self-assessment questionnaire cannot be loaded."""
    m_part = marks_part(marks, mts)
    return f"{MARKS_PREFIX}.{m_part}.{_check_marks(m_part, mts)}"


def decode_marks(code: object, mts: MLTestScore, assessment: Assessment | None = None) -> dict[str, float]:
    """Marks from an ``m1`` code, or from an older self-assessment code that carries marks (that needs
    ``assessment``).  Raises :class:`ShareCodeError` with a message for the user."""
    text = as_text(code).lower()
    if not text.startswith(MARKS_PREFIX + "."):
        if assessment is None:
            raise ShareCodeError("rubric", "This older link also needs the self-assessment questions, which cannot be "
                                           "loaded right now.")
        decoded = decode(text, assessment, mts)
        if decoded.marks is None:
            raise ShareCodeError("rubric", "This link holds no ML Test Score marks (it is a self-assessment link).")
        return dict(decoded.marks)
    parts = text.split(".")
    if len(parts) != 3 or not CODE_RE.match(text):
        raise ShareCodeError("malformed", "This ML Test Score code should look like 'm1.<marks>.<check>'.")
    marks = read_marks(parts[1], mts)
    if _check_marks(parts[1], mts) != parts[2]:
        raise ShareCodeError("checksum", "This ML Test Score code does not check out: it was probably mistyped or "
                                         "damaged, or it was made for a different list of tests.")
    return marks
