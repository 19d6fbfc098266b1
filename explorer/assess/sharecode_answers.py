"""The share code of one answer set (``?a=``): writing it in the shortest version that holds the
data, and reading either version (:mod:`explorer.assess.sharecode_v1`, :mod:`explorer.assess.sharecode_v2`).

A plain answer set still gets the short version-1 code (``version=None``), so every old link keeps
working; "does not apply", notes or a name need version 2.  Reading is total: for *any* input
:func:`decode` returns a :class:`Decoded` or raises :class:`ShareCodeError` whose message can be shown
to the user as is.  Input is upper- or lower-case and may carry surrounding whitespace.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypedDict, Unpack

from explorer.assess import sharecode_v1, sharecode_v2
from explorer.assess.evidence import MAX_NAME_CHARS, MAX_NOTE_CHARS, AnswerSet, clean_text
from explorer.assess.sharecode_parts import (
    CODE_RE,
    VERSION_RE,
    Decoded,
    Encoded,
    ShareCodeError,
    answers_part,
    as_text,
    marks_part,
)
from explorer.assess.sharecode_v1 import MAX_CODE_LENGTH
from explorer.assess.sharecode_v2 import MAX_CODE_LENGTH_V2
from explorer.content.schema import Assessment, MLTestScore

FORMAT_VERSION = 2  # the newest version written (version 1 is written when that is enough)
KNOWN_VERSIONS = (1, 2)


# --------------------------------------------------------------------------- encode
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

    a_part = answers_part(assessment, answers, na_set)
    m_part = marks_part(marks, mts) if marks is not None else None
    if version == 1:
        return sharecode_v1.write(assessment, a_part, m_part, mts)
    return sharecode_v2.write(assessment, a_part, m_part, mts, clean_notes, clean_nm)


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
    code = as_text(code)
    if len(code) > MAX_CODE_LENGTH_V2:
        raise ShareCodeError("oversized", f"This share code is too long ({len(code)} characters; the limit is {MAX_CODE_LENGTH_V2}).")
    if not code.isascii() or not CODE_RE.match(code.lower()):
        raise ShareCodeError(
            "malformed", "This share code contains characters that never appear in a share code (only letters, digits and dots do)."
        )
    code = code.lower()
    parts = code.split(".")
    m = VERSION_RE.match(parts[0])
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
        return sharecode_v1.read(parts, assessment, mts)
    return sharecode_v2.read(parts, assessment, mts)
