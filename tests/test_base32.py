"""explorer.assess.base32 reads exactly what the standard library reads, and refuses what it refuses."""

from __future__ import annotations

import base64
import binascii
import random
import string

import pytest

from explorer.assess import base32


def _stdlib(text: str) -> bytes:
    return base64.b32decode(text.upper() + "=" * (-len(text) % 8))


def test_round_trip_of_every_length_matches_the_standard_library():
    rng = random.Random(20)
    for n in range(0, 300):
        data = bytes(rng.randrange(256) for _ in range(n))
        text = base64.b32encode(data).decode("ascii").rstrip("=").lower()
        assert base32.decode(text) == data == _stdlib(text)
        assert base32.decode(text.upper()) == data


def test_unused_low_bits_are_ignored_as_the_standard_library_does():
    for text in ("ab", "ad", "az", "abcd", "abcdefg", "7777", "77777777777"):
        if len(text) % 8 in (1, 3, 6):
            continue
        assert base32.decode(text) == _stdlib(text)


@pytest.mark.parametrize("text", ["a", "abc", "abcdef", "abcdefgha", "a=", "ab cd", "ab\ncd", "ab======", "x4gw=", "a1", "ab_c", "+ab",
                                  "-ab", "ab0", "ab8", "ab9", "\u212ab", "ａb", "ab\u0131", "0x"])
def test_what_the_standard_library_refuses_is_refused(text):
    with pytest.raises(ValueError):
        base32.decode(text)
    if "=" not in text:  # share codes never carry padding: it is refused here, where the standard library pads
        with pytest.raises((binascii.Error, ValueError)):
            _stdlib(text)


def test_random_texts_agree_with_the_standard_library():
    rng = random.Random(21)
    alphabet = string.ascii_letters + string.digits + "_ -+"  # "=": refused here, padding to the standard library
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 20)))
        try:
            want = _stdlib(text) if text.isascii() else None
        except (binascii.Error, ValueError):
            want = None
        try:
            got = base32.decode(text)
        except ValueError:
            got = None
        assert got == want, text


def test_a_long_share_link_body_is_read_in_one_pass():
    data = bytes(range(256)) * 40
    text = base64.b32encode(data).decode("ascii").rstrip("=").lower()
    assert base32.decode(text) == data
