"""Compact, versioned, URL-safe share codes (issues 4 and 12): one import for the pages, with a map of
the formats and the module that holds each.

::

    v1.<answers>[.<marks>].<check>               answers, ML Test Score marks       sharecode_v1
    v2.<answers>[.m<marks>][.t<text>].<check>    + "does not apply", notes, a name  sharecode_v2
    m1.<marks>.<check>                           ML Test Score marks alone (?m=)    sharecode_marks
    w1_<code>_<code>_..._<check>                 several answer sets (?w=)          sharecode_workshop

* :mod:`explorer.assess.sharecode_answers` writes an answer set in the shortest version that holds it
  (:func:`encode`, :func:`encode_full`) and reads either version (:func:`decode`);
* :mod:`explorer.assess.sharecode_parts` holds what every format shares: the alphabet (lower-case
  letters, digits, dots; underscores between a workshop code's members: URL-safe without escaping and
  readable case-insensitively), the answers and marks parts, the fingerprints and check characters
  that bind a code to the questionnaire and rubric it was made for, and :class:`ShareCodeError`;
* :mod:`explorer.assess.sharecode_links` puts a code into a link and takes it out of a pasted one.

Decoding is total: for *any* input a reader returns its value or raises :class:`ShareCodeError` (a
:class:`ValueError`) whose message can be shown to the user as is and whose ``kind`` says which check
failed.  Links already shared decode exactly as before: the formats are frozen, only new versions may
be added.
"""

from __future__ import annotations

from explorer.assess.sharecode_answers import FORMAT_VERSION, KNOWN_VERSIONS, decode, encode, encode_answer_set, encode_full
from explorer.assess.sharecode_links import QUERY_PARAM, extract_code, share_url
from explorer.assess.sharecode_marks import decode_marks, encode_marks
from explorer.assess.sharecode_parts import Decoded, Encoded, ShareCodeError
from explorer.assess.sharecode_v1 import MAX_CODE_LENGTH
from explorer.assess.sharecode_v2 import MAX_CODE_LENGTH_V2, MAX_TEXT_CHARS
from explorer.assess.sharecode_workshop import (
    MAX_MEMBERS,
    MAX_WORKSHOP_LENGTH,
    WORKSHOP_PARAM,
    decode_workshop,
    encode_workshop,
    is_workshop_code,
)

__all__ = [
    "FORMAT_VERSION", "KNOWN_VERSIONS", "MAX_CODE_LENGTH", "MAX_CODE_LENGTH_V2", "MAX_MEMBERS", "MAX_TEXT_CHARS",
    "MAX_WORKSHOP_LENGTH", "QUERY_PARAM", "WORKSHOP_PARAM",
    "Decoded", "Encoded", "ShareCodeError",
    "decode", "decode_marks", "decode_workshop", "encode", "encode_answer_set", "encode_full", "encode_marks",
    "encode_workshop", "extract_code", "is_workshop_code", "share_url",
]
