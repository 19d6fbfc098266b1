"""Codes a person may retype (issue 20): every single-character typo and every swap of two neighbouring
characters is found, tried exhaustively at every position of some codes of every kind.

* ``?plan=`` (``p2``): a CRC-32 check, so detection is guaranteed (:mod:`explorer.assess.codecheck`); old ``p1``
  links still open, with a notice that they could not be checked.
* ``?a=`` (``v1``/``v2``), ``?m=`` (``m1``) and ``?w=`` (``w1``): the share codes' own check (a truncated
  SHA-256, issue 4); every typo of the codes below is found too.
"""

from __future__ import annotations

import random
import re
import zlib

import pytest

from explorer import CONTENT_DIR
from explorer.assess import sharecode
from explorer.assess.codecheck import ALPHABET, CHECK_CHARS, checks_out, crc_check
from explorer.assess.plan_link import (
    DAMAGED,
    EDITS_PREFIX,
    MISTYPED,
    UNCHECKED,
    decode_edits,
    edits_notice,
    encode_edits,
    read_edits,
)
from explorer.content.loader import load_content

_C = load_content(CONTENT_DIR)
A = _C.assessment
MTS = _C.ml_test_score
CODE_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789."  # every character a share or plan code may contain


def substitutions(code: str, alphabet: str = CODE_CHARS):
    """Every code that differs from ``code`` in exactly one character (from ``alphabet``)."""
    for i, ch in enumerate(code):
        for other in alphabet:
            if other != ch:
                yield code[:i] + other + code[i + 1:]


def swaps(code: str):
    """Every code made by swapping two different neighbouring characters."""
    for i in range(len(code) - 1):
        if code[i] != code[i + 1]:
            yield code[:i] + code[i + 1] + code[i] + code[i + 2:]


def undetected(code: str, read, alphabet: str = CODE_CHARS) -> tuple[int, list[str]]:
    """(typos tried, the typos ``read`` accepted): ``read`` raises ValueError for a code it refuses."""
    tried, missed = 0, []
    for typo in [*substitutions(code, alphabet), *swaps(code)]:
        tried += 1
        try:
            read(typo)
        except ValueError:
            continue
        missed.append(typo)
    return tried, missed


# --------------------------------------------------------------------------- the check itself
def test_crc_check_is_seven_base32_characters_of_crc32():
    assert crc_check("") == "aaaaaaa"
    value = zlib.crc32(b"p2.abc")
    check = crc_check("p2.abc")
    assert len(check) == CHECK_CHARS and set(check) <= set(ALPHABET)
    assert sum(ALPHABET.index(c) << (5 * i) for i, c in enumerate(reversed(check))) == value
    assert checks_out("p2.abc", check) and not checks_out("p2.abd", check) and not checks_out("p2.abc", check[:-1])


@pytest.mark.parametrize("seed", range(3))
def test_crc_check_finds_every_substitution_and_swap_of_random_text(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET + ".") for _ in range(120))
    check = crc_check(text)
    assert not [t for t in [*substitutions(text, ALPHABET + "0189."), *swaps(text)] if crc_check(t) == check]


# --------------------------------------------------------------------------- ?plan= codes
EDITS = {"aws-3/code-ci": {"owner": "Ana", "target": "2027-03-31"}, "azure-2/environments": {"owner": "", "target": "2027-06-30"},
         "google-1/model-registry": {"owner": "Platform team (Bo)", "target": ""}}
# made by the encoder before issue 20 (no check characters): links like this one are already shared
OLD_LINK = "p1.vnleungsj7hfjmukkzzmys2u2jitemrqglltkmgwgu3fjcwvkffdfvbpjfg4ybkjyps4y5enbwkge2yb"
OLD_EDITS = {"a2/ci": {"owner": "Ana", "target": "2027-03-31"}, "b1/team": {"owner": "", "target": "2027-06-30"}}


def test_plan_links_are_version_2_with_a_check_and_round_trip():
    code = encode_edits(EDITS)
    assert code.startswith(EDITS_PREFIX + ".") and code.count(".") == 2 and len(code.rsplit(".", 1)[1]) == CHECK_CHARS
    link = read_edits(code)
    assert (link.version, link.checked, link.notice) == (2, True, "")
    assert link.edits == EDITS and decode_edits(code.upper()) == EDITS and edits_notice(code) == ""


def test_old_plan_links_still_open_with_a_notice_that_they_were_not_checked():
    link = read_edits(OLD_LINK)
    assert link.edits == OLD_EDITS and (link.version, link.checked) == (1, False)
    assert link.notice == UNCHECKED and edits_notice(OLD_LINK) == UNCHECKED and edits_notice(f"  {OLD_LINK.upper()} ") == UNCHECKED
    assert "cannot be found" in UNCHECKED and "gives the link a check" in UNCHECKED
    assert edits_notice(None) == edits_notice("") == edits_notice("p1.!!") == edits_notice(encode_edits(EDITS)) == ""


@pytest.mark.parametrize("edits", [EDITS, {"a/b": {"owner": "x", "target": ""}},
                                   {f"lv-{i}/q-{i}": {"owner": f"owner {i}", "target": f"2027-01-{i + 1:02d}"} for i in range(12)}],
                         ids=["three-steps", "one-step", "twelve-steps"])
def test_every_single_typo_in_a_plan_link_is_found(edits):
    code = encode_edits(edits)
    tried, missed = undetected(code, read_edits)
    assert tried > len(code) * 30 and missed == []  # 100 %: substitutions and neighbour swaps
    with pytest.raises(ValueError, match="check out"):
        read_edits(code[:-1] + ("a" if code[-1] != "a" else "b"))


def test_the_old_format_is_why_a_check_was_needed():
    """Without a check, a typo opens silently as other data (the finding of issue 20): measured on p1."""
    tried, missed = undetected(OLD_LINK, read_edits)
    assert len(missed) > tried // 10, "p1 links accept many typos (hence the notice)"
    assert any(read_edits(m).edits != OLD_EDITS for m in missed)


@pytest.mark.parametrize("bad, message", [
    ("p2.", MISTYPED), ("p2.abcd", MISTYPED), ("p2.abcd.abcdefg", MISTYPED), ("p1.abcd.abcdefg", DAMAGED),
    ("p9.abc.abcdefg", "format p9"), ("q2.abc.abcdefg", DAMAGED), ("x" * 3000, DAMAGED), (None, DAMAGED), (5, DAMAGED),
])
def test_bad_plan_links_give_a_message_for_the_user(bad, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        read_edits(bad)


# --------------------------------------------------------------------------- the share codes' own checks
def _answers(seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    return {q.id: rng.randrange(len(q.answers)) for q in A.questions if rng.random() < 0.8}


def _marks(seed: int) -> dict[str, float]:
    rng = random.Random(seed)
    return {t.id: rng.choice([0.0, 0.5, 1.0]) for s in MTS.sections for t in s.tests if rng.random() < 0.7}


def test_every_single_typo_in_version_1_and_2_share_codes_is_found():
    na_ok = [q.id for q in A.questions if q.allow_na][:1]
    codes = [
        sharecode.encode(A, _answers(1)),
        sharecode.encode(A, _answers(2), _marks(2), MTS),
        sharecode.encode(A, {k: v for k, v in _answers(3).items() if k not in na_ok}, na=na_ok,
                         notes={A.questions[0].id: "We run CI on every push"}, name="Ana"),
    ]
    assert [c[:2] for c in codes] == ["v1", "v1", "v2"]
    for code in codes:
        tried, missed = undetected(code, lambda c: sharecode.decode(c, A, MTS))
        assert tried > len(code) * 30 and missed == [], code


def test_every_single_typo_in_ml_test_score_and_workshop_codes_is_found():
    marks = sharecode.encode_marks(MTS, _marks(4))
    tried, missed = undetected(marks, lambda c: sharecode.decode_marks(c, MTS))
    assert tried > len(marks) * 30 and missed == []
    workshop = sharecode.encode_workshop([sharecode.encode(A, _answers(s)) for s in (5, 6)])
    tried, missed = undetected(workshop, sharecode.decode_workshop, CODE_CHARS + "_")
    assert tried > len(workshop) * 30 and missed == []
