"""Workshop code: several answer sets in one link (``?w=``, issue 12).

::

    w1_<member code>_<member code>_..._<check>

* each member is a version-1 or version-2 code (:mod:`explorer.assess.sharecode`), unchanged, so it
  decodes exactly as it would on its own; ``<check>`` is 6 base32 characters of a SHA-256 over ``w1``
  and the members.  At most :data:`MAX_MEMBERS` members and :data:`MAX_WORKSHOP_LENGTH` characters;
  :func:`encode_workshop` says by how much a link is too long instead of producing it.
* the check covers every member, so a damaged or cut-off workshop link fails as a whole.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from explorer.assess.sharecode_parts import CHECK_RE, CODE_RE, MAX_INPUT, VERSION_RE, ShareCodeError, as_text, b32

WORKSHOP_PARAM = "w"  # the workshop view reads a workshop code from ?w=...
WORKSHOP_PREFIX = "w1"
MAX_MEMBERS = 60
MAX_WORKSHOP_LENGTH = MAX_INPUT  # the longest code there is
CHECK_LENGTH_WORKSHOP = 6
_WORKSHOP_RE = re.compile(r"^[a-z0-9._]+$")


def _workshop_check(members: Sequence[str]) -> str:
    body = WORKSHOP_PREFIX + "|" + "_".join(members)
    return b32(hashlib.sha256(body.encode("ascii")).digest(), CHECK_LENGTH_WORKSHOP)


def encode_workshop(codes: Sequence[str]) -> str:
    """One code holding several member share codes (kept verbatim, lower-cased).

    Raises :class:`ShareCodeError` (kind ``oversized`` or ``members``) with a message saying by how
    much the limit is exceeded, and ValueError for a member that is not a share code at all
    (build members with :func:`explorer.assess.sharecode.encode`).
    """
    members = [c.strip().lower() for c in codes]
    if not members:
        raise ShareCodeError("members", "A workshop link needs at least one answer set.")
    for c in members:
        if not CODE_RE.match(c) or not VERSION_RE.match(c.split(".")[0]):
            raise ValueError(f"not a share code: {c[:40]!r}")
    if len(members) > MAX_MEMBERS:
        raise ShareCodeError("members", f"A workshop link holds at most {MAX_MEMBERS} answer sets; this one has {len(members)}.")
    code = "_".join([WORKSHOP_PREFIX, *members, _workshop_check(members)])
    if len(code) > MAX_WORKSHOP_LENGTH:
        raise ShareCodeError(
            "oversized",
            f"The workshop link would be {len(code):,} characters long; a link may carry at most {MAX_WORKSHOP_LENGTH:,}. "
            "Leave the notes out of the link (they stay in the downloaded report) or combine fewer answer sets.",
        )
    return code


def is_workshop_code(text: object) -> bool:
    return isinstance(text, str) and text.strip().lower().startswith(WORKSHOP_PREFIX + "_")


def decode_workshop(code: object) -> list[str]:
    """The member codes of a workshop code (not yet decoded: decode each with
    :func:`explorer.assess.sharecode.decode`).

    Raises only :class:`ShareCodeError`: a damaged or cut-off workshop link fails as a whole,
    because its check covers every member.
    """
    text = as_text(code, "workshop link")
    if len(text) > MAX_WORKSHOP_LENGTH:
        raise ShareCodeError("oversized", f"This workshop link is too long ({len(text):,} characters; the limit is {MAX_WORKSHOP_LENGTH:,}).")
    text = text.lower()
    if not text.isascii() or not _WORKSHOP_RE.match(text):
        raise ShareCodeError("malformed", "This workshop link contains characters that never appear in one (only letters, digits, dots and underscores do).")
    parts = text.split("_")
    if parts[0] != WORKSHOP_PREFIX:
        head = parts[0]
        if re.fullmatch(r"w\d{1,6}", head):
            raise ShareCodeError("version", f"This workshop link uses format {head}, which this app does not know (it reads {WORKSHOP_PREFIX}).")
        raise ShareCodeError("malformed", f"This is not a workshop link: it should start with '{WORKSHOP_PREFIX}_'.")
    if len(parts) < 3 or any(not p for p in parts[1:]):
        raise ShareCodeError("truncated", "This workshop link is incomplete; it may have been cut off when it was copied.")
    members, check = parts[1:-1], parts[-1]
    if len(members) > MAX_MEMBERS:
        raise ShareCodeError("members", f"A workshop link holds at most {MAX_MEMBERS} answer sets; this one has {len(members)}.")
    if not CHECK_RE.match(check) or len(check) != CHECK_LENGTH_WORKSHOP:
        raise ShareCodeError("truncated", "This workshop link is incomplete; it may have been cut off when it was copied.")
    if _workshop_check(members) != check:
        raise ShareCodeError("checksum", "This workshop link does not check out: it was probably cut off, mistyped or damaged.")
    return members
