"""Check characters for codes a person may retype (issue 20): a typo is found, never read as other data.

:func:`crc_check` gives the 7 check characters (lower-case base32) of CRC-32 over a code's ASCII text.
A CRC of degree 32 detects every error confined to 32 consecutive bits of its input (a *burst*), so
over text, where each character is one byte:

* every **single-character substitution** changes one byte: always detected;
* every **transposition of two neighbouring characters** changes at most two consecutive bytes
  (16 bits): always detected;
* any other damage (a character left out, a link cut short and completed by hand) is missed with a
  probability of about 2**-32.

A code that carries these characters is ``<version>.<body>.<check>``: the check covers the version
and the body, and the fixed parts around them (the version, the dots, the check's length) make a
typo in them a malformed code.  ``tests/test_codecheck.py`` tries every substitution and every
neighbour swap at every position of some codes.

The result share codes (:mod:`explorer.assess.sharecode`: ``v1``/``v2``, ``m1``, ``w1``) carry a check of
their own since issue 4 (a truncated SHA-256: 20 or 30 bits); it finds a given typo except with a
probability of about one in a million (v1, m1) or a billion (v2, w1), and the tests try every
substitution and neighbour swap of some codes on those too.
"""

from __future__ import annotations

import zlib

ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"  # RFC 4648 base32, lower case
CHECK_CHARS = 7  # 35 bits: the 32 of the CRC, the first character carries the top 2 (so it is one of a-d)


def crc_check(text: str) -> str:
    """The 7 check characters of ``text`` (ASCII; callers lower-case a code before checking it)."""
    value = zlib.crc32(text.encode("ascii"))
    return "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(CHECK_CHARS)))


def checks_out(text: str, check: str) -> bool:
    """Whether ``check`` is the check of ``text`` (both as written in the code, lower case)."""
    return text.isascii() and len(check) == CHECK_CHARS and crc_check(text) == check
