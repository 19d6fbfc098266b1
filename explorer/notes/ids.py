"""Note ids: the slug rule that makes an id from any name, and the id a file gets by default.

An id is lower-case ASCII letters and digits in hyphen-separated runs (``week-2-containers``); a
name with no ASCII letters at all keeps its own letters.  Front matter ``id``, the file name, card
ids and uploads all go through :func:`slugify`.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePosixPath

_ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_NUMBER_PREFIX_RE = r"^\d+[-_ ]*"


def slugify(text: str) -> str:
    """Lower-case ASCII slug for note ids: runs of anything not a letter or digit become one hyphen.

    Accented letters lose their accents; a name with no ASCII letters at all (e.g. Japanese) keeps
    its own letters so that it still gets an id.
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not slug:
        slug = re.sub(r"[\W_]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug or "note"


def is_note_id(text: str) -> bool:
    """Is ``text`` already a well-formed id (lower-case letters, digits and single hyphens)?"""
    return bool(_ID_RE.match(text))


def default_id(path: PurePosixPath) -> str:
    """The id of a note without a front matter ``id``: its file name without a leading number
    (``01-intro.md`` -> ``intro``), slugified."""
    stem = path.stem
    return slugify(re.sub(_NUMBER_PREFIX_RE, "", stem)) if re.sub(_NUMBER_PREFIX_RE, "", stem) else slugify(stem)
