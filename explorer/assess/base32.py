"""Base32 (RFC 4648 alphabet) without padding, read in C: the text parts of share codes and plan codes.

The standard library's ``base64.b32decode`` works in Python, five bytes at a time: reading the 120 long
share links of one workshop paste spent ~25 ms there (a third of the paste's decoding).  Base 32 is a power
of two, so ``int(text, 32)`` reads it in linear time in C once the RFC alphabet is mapped onto the digits
``0-9a-v``; the result is the same bytes as ``base64.b32decode`` gives for every text it accepts (tested).
"""

from __future__ import annotations

import re

_RFC = "abcdefghijklmnopqrstuvwxyz234567"
_DIGITS = "0123456789abcdefghijklmnopqrstuv"
_TO_DIGITS = str.maketrans(_RFC, _DIGITS)
_TEXT = re.compile(r"[A-Za-z2-7]*")  # ASCII only: no other character folds into the alphabet


def decode(text: str) -> bytes:
    """The bytes of base32 ``text`` (either case, no padding); ValueError for any other text.

    A length that no whole number of bytes encodes to (8n + 1, 3 or 6 characters) is refused, as
    ``base64.b32decode`` refuses it once padded; the unused low bits of the last character are ignored, as there."""
    if not _TEXT.fullmatch(text) or len(text) % 8 in (1, 3, 6):
        raise ValueError("not base32 text")
    if not text:
        return b""
    bits = len(text) * 5
    size = bits // 8
    return (int(text.lower().translate(_TO_DIGITS), 32) >> (bits - size * 8)).to_bytes(size, "big")
