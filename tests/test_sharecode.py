"""Share codes: round trip (property-based), and every kind of bad input gives ShareCodeError only."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer import CONTENT_DIR
from explorer.assess import sharecode_v1
from explorer.assess.sharecode import (
    MAX_CODE_LENGTH,
    QUERY_PARAM,
    ShareCodeError,
    decode,
    encode,
    share_url,
)
from explorer.content.loader import load_content
from explorer.content.schema import Answer, Assessment, Question

_C = load_content(CONTENT_DIR)
A: Assessment = _C.assessment
MTS = _C.ml_test_score
TEST_IDS = [t.id for s in MTS.sections for t in s.tests]


# --------------------------------------------------------------------------- strategies
@st.composite
def answer_sets(draw) -> dict[str, int]:
    out = {}
    for q in A.questions:
        v = draw(st.one_of(st.none(), st.integers(0, len(q.answers) - 1)))
        if v is not None:
            out[q.id] = v
    return out


@st.composite
def mark_sets(draw) -> dict[str, float] | None:
    if draw(st.booleans()):
        return None
    out = {}
    for t in TEST_IDS:
        v = draw(st.sampled_from([None, 0.0, 0.5, 1.0]))
        if v is not None:
            out[t] = v
    return out


def kind_of(code, assessment=A, mts=MTS) -> str | None:
    try:
        decode(code, assessment, mts)
    except ShareCodeError as exc:
        assert str(exc), "the message must not be empty"
        return exc.kind
    return None


# --------------------------------------------------------------------------- round trip
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(answers=answer_sets(), marks=mark_sets())
def test_round_trip_is_identity(answers, marks):
    code = encode(A, answers, marks, MTS)
    assert len(code) <= MAX_CODE_LENGTH
    assert re.fullmatch(r"[a-z0-9.]+", code)
    assert quote(code, safe="") == code  # URL-safe without escaping
    got = decode(code, A, MTS)
    assert got.answers == answers
    assert got.marks == marks
    # case and surrounding whitespace do not matter
    assert decode(f"  {code.upper()}\n", A, MTS).answers == answers


@settings(max_examples=200)
@given(answers=answer_sets(), data=st.data())
def test_any_single_character_change_is_caught(answers, data):
    code = encode(A, answers)
    i = data.draw(st.integers(0, len(code) - 1))
    ch = data.draw(st.sampled_from("0123456789abcdefghijklmnopqrstuvwxyz.-_"))
    if ch == code[i]:
        return
    mutated = code[:i] + ch + code[i + 1 :]
    assert kind_of(mutated) is not None


# --------------------------------------------------------------------------- never anything but ShareCodeError
@settings(max_examples=500)
@given(st.text(max_size=400))
def test_random_text_only_raises_sharecodeerror(text):
    try:
        decode(text, A, MTS)
    except ShareCodeError:
        pass


@settings(max_examples=300)
@given(st.binary(max_size=400))
def test_random_bytes_only_raise_sharecodeerror(raw):
    try:
        decode(raw, A, MTS)
    except ShareCodeError:
        pass


@settings(max_examples=300)
@given(st.from_regex(r"\A[vV]\d{0,3}(\.[0-9a-zA-Z]{0,40}){0,5}\Z"))
def test_near_valid_codes_only_raise_sharecodeerror(text):
    for mts in (MTS, None):
        try:
            decode(text, A, mts)
        except ShareCodeError:
            pass


@pytest.mark.parametrize("value", [None, 42, 3.5, ["v1"], {"a": 1}, object()])
def test_non_text_inputs(value):
    assert kind_of(value) == "not-text"


# --------------------------------------------------------------------------- each failure has a clear kind and message
def test_empty_and_blank():
    assert kind_of("") == "empty"
    assert kind_of("   \n") == "empty"


def test_oversized():
    assert kind_of("v1." + "0" * 300 + ".abcd") == "oversized"
    assert kind_of("x" * 10_000) == "oversized"
    assert kind_of(b"0" * 10_000) == "oversized"


@pytest.mark.parametrize("code", ["hello", "v1<script>", "1.0000.abcd", "v.000.abcd", "v1.ab!c.abcd", "vé.0.abcd", "v1.00.00.00.00.abcd"])
def test_malformed(code):
    assert kind_of(code) == "malformed"


def test_truncated():
    code = encode(A, {"code-ci": 2})
    assert kind_of(code[:-1]) == "truncated"  # a check character lost
    assert kind_of(code[:-4]) == "truncated"  # the whole check part lost ("...x.")
    assert kind_of(code.rsplit(".", 1)[0]) == "truncated"  # "v1.<answers>"
    assert kind_of("v1.") == "truncated"
    assert kind_of("v1") == "truncated"


def test_unknown_version():
    # version 2 exists since issue 12 (see tests/test_sharecode_v2.py); version 9 does not
    code = encode(A, {"code-ci": 2})
    err = pytest.raises(ShareCodeError, decode, "v9" + code[2:], A, MTS).value
    assert err.kind == "version" and "version 9" in str(err)


def test_bad_checksum():
    code = encode(A, {"code-ci": 2})
    head, check = code.rsplit(".", 1)
    other = "aaaa" if check != "aaaa" else "bbbb"
    err = pytest.raises(ShareCodeError, decode, f"{head}.{other}", A, MTS).value
    assert err.kind == "checksum"
    # a changed answer with the old check is caught too
    changed = "v1.1" + code[4:]
    assert kind_of(changed) == "checksum"


def _mini(n_answers: list[int], ids: list[str] | None = None) -> Assessment:
    ids = ids or [f"q{i}" for i in range(len(n_answers))]
    return Assessment(
        version=1, title="t", intro="i",
        questions=[
            Question(id=i, quarter="devops", capability="c", text="?", answers=[Answer(label=f"a{j}", description="d") for j in range(n)])
            for i, n in zip(ids, n_answers)
        ],
    )


def test_code_for_a_different_question_count():
    small = _mini([4, 4, 4])
    code = encode(small, {"q0": 1})
    err = pytest.raises(ShareCodeError, decode, code, A, MTS).value
    assert err.kind == "count"
    assert "3 questions" in str(err) and f"{len(A.questions)}" in str(err)


def test_code_for_a_different_questionnaire_with_the_same_count():
    other = _mini([4] * len(A.questions))
    code = encode(other, {"q0": 1})
    assert kind_of(code) == "checksum"


def test_answer_index_out_of_range():
    # same ids, but the first question used to have 6 answers: answer 5 no longer exists
    wide = _mini([6, 4], ["alpha", "beta"])
    narrow = _mini([4, 4], ["alpha", "beta"])
    code = encode(wide, {"alpha": 5})
    err = pytest.raises(ShareCodeError, decode, code, narrow).value
    assert err.kind == "range" and "alpha" in str(err)
    # a hand-made code for the real questionnaire with a valid check but answer 5 on a 4-answer question
    a_part = "5" + "x" * (len(A.questions) - 1)
    forged = f"v1.{a_part}.{sharecode_v1.check(a_part, A, None, None)}"
    assert kind_of(forged) == "range"


def test_marks_need_the_rubric_and_the_right_count():
    code = encode(A, {}, {"rollback": 1.0}, MTS)
    assert kind_of(code, mts=None) == "rubric"
    parts = code.split(".")
    short = f"{parts[0]}.{parts[1]}.{parts[2][:-1]}.{parts[3]}"
    assert kind_of(short) == "count"
    bad = f"{parts[0]}.{parts[1]}.{'z' * 28}.{parts[3]}"
    assert kind_of(bad) == "malformed"


def test_encode_rejects_bad_input():
    with pytest.raises(ValueError):
        encode(A, {"code-ci": 9})
    with pytest.raises(ValueError):
        encode(A, {"code-ci": True})
    with pytest.raises(ValueError):
        encode(A, {}, {"rollback": 0.3}, MTS)
    with pytest.raises(ValueError):
        encode(A, {}, {"rollback": 1.0}, None)
    assert encode(A, {"unknown-id": 3}) == encode(A, {})  # unknown ids are ignored


def test_format_is_documented_shape():
    code = encode(A, {"code-ci": 2, "iac": 3})
    assert re.fullmatch(rf"v1\.23x{{{len(A.questions) - 2}}}\.[a-z2-7]{{4}}", code)
    with_marks = encode(A, {}, {TEST_IDS[0]: 1.0, TEST_IDS[1]: 0.5, TEST_IDS[2]: 0.0}, MTS)
    assert with_marks.split(".")[2] == "1h0" + "x" * 25


def test_share_url():
    code = encode(A, {"code-ci": 2})
    url = share_url("https://example.com/Self_assessment?theme=dark&a=old", code)
    parts = urlsplit(url)
    q = parse_qs(parts.query)
    assert q[QUERY_PARAM] == [code] and q["theme"] == ["dark"]
    assert parts.path == "/Self_assessment"
    assert decode(q[QUERY_PARAM][0], A, MTS).answers == {"code-ci": 2}
