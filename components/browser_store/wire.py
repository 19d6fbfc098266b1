"""The browser-store protocol's vocabulary, shared by both halves (``store.js`` keeps the same values):
its version, the statuses, reasons and notices a report may carry, the bounds of revisions and backups,
and the reading of the parts of a report (backups, optional strings, message numbers).

Plain Python, no Streamlit import; the wire format is described in ``components/browser_store/README.md``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from explorer.limits import LIMITS

PROTOCOL = 1

STATUSES = ("pending", "ready", "unavailable", "error")
"""``pending``: the browser has not answered yet (first run of a session).  ``ready``: the browser's
storage was read and writes go to it.  ``unavailable``: the browser refuses storage (site data
blocked, ``localStorage`` throws): keep everything in the session.  ``error``: reading failed in an
unexpected way; writes are still attempted."""

REASONS = ("restore", "conflict", "external", "cleared")
"""Why a snapshot came: the first read in this session, a write refused because another tab wrote
first, another tab changed the store, or the store was emptied ("Forget this browser", here or in
another tab)."""
REASON_RANK = {"external": 0, "conflict": 1, "restore": 2, "cleared": 3}
"""Several snapshots between two page runs report the strongest reason: a page that looks once per
run must never merge its session data into a store that was emptied in the meantime."""

NOTICE_MESSAGES: dict[str, str] = {
    "corrupt": "The progress saved in this browser could not be read (it was damaged or written by "
               "another program), so it was set aside; your next change replaces it, and a copy of it is kept "
               "under Study › Progress & files.",
    "backup-failed": "The progress saved in this browser could not be read in full, and this browser cannot keep "
                     "a copy of it (too long, or storage full), so it is left untouched and your changes are kept "
                     "for this session only.",
    "quota": "This browser's storage for this site is full, so your latest changes are kept for this "
             "session only.",
    "unavailable": "This browser does not let this site store data (private window or blocked site "
                   "data), so your progress is kept for this session only.",
    "blobs-unavailable": "This browser cannot store uploaded notes (IndexedDB is unavailable), so they are "
                         "kept for this session only.",
    "error": "Saving in this browser failed unexpectedly, so your progress is kept for this session only.",
    "too-large": f"The progress saved in this browser is larger than the {LIMITS.store_bytes / 1e6:g} MB this app "
                 "reads, so it was ignored; your next change replaces it.",
}
"""Machine-readable notice code -> one sentence a page can show as it is."""

MAX_REV_CHARS = 200
MAX_BLOB_CHARS = 200_000  # store.js sends no longer blob text (a note's limit, explorer.limits)
MAX_SENT_BLOB_CHARS = 4_400_000  # ... and no more together in one report: it names the rest in "omitted"
MAX_BACKUPS = 3
"""Backups of stored texts that could not be read in full, kept by ``store.js`` (the newest)."""
MAX_BACKUP_CHARS = 2_000_000
"""A text longer than this is not backed up, so ``store.js`` does not replace it (notice ``backup-failed``)."""
MAX_BACKUPS_TOTAL_CHARS = 2_500_000
"""All backups together: the oldest go first (with the 2 MB store this stays in a browser's 5 M-character
localStorage)."""


@dataclass(frozen=True)
class Backup:
    """A stored text kept by the browser before it was replaced (it could not be read in full)."""

    id: str
    at: str
    """When it was set aside (ISO 8601, UTC, from the browser's clock)."""
    text: str
    raw: bool
    """True when the storage entry itself was not this component's container: ``text`` is the entry as found."""


def parse_backups(value: object) -> tuple[Backup, ...]:
    """The browser's list of backups (newest last); malformed or oversized items are left out."""
    if not isinstance(value, list):
        return ()
    out = []
    for item in value[-MAX_BACKUPS:]:
        if not isinstance(item, Mapping):
            continue
        bid, at, text = item.get("id"), item.get("at"), item.get("text")
        if (isinstance(bid, str) and 0 < len(bid) <= MAX_REV_CHARS and isinstance(at, str) and len(at) <= 40
                and isinstance(text, str) and len(text) <= MAX_BACKUP_CHARS):
            out.append(Backup(bid, at, text, item.get("raw") is True))
    return tuple(out)


def opt_str(value: object, limit: int | None = None) -> str | None:
    """``value`` when it is None or a string (of at most ``limit`` characters); ValueError otherwise."""
    if value is None:
        return None
    if not isinstance(value, str) or (limit is not None and len(value) > limit):
        raise ValueError("not a string")
    return value


def is_int(value: object) -> bool:
    """An int and nothing else (not a bool, not a float): message numbers and sequence numbers."""
    return type(value) is int
