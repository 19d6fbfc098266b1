"""What a page knows about the browser's store in one run: :class:`StoreState`, an immutable view that
the session's :class:`~components.browser_store.protocol.Bridge` builds.  Plain Python, no Streamlit import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .wire import NOTICE_MESSAGES, Backup


@dataclass(frozen=True)
class StoreState:
    """What a page knows about the browser's store in this run (immutable)."""

    status: str
    """``pending`` | ``ready`` | ``unavailable`` | ``error`` (see :data:`~.wire.STATUSES`)."""
    text: str | None
    """The text stored at :attr:`rev`, as last read or written (None: nothing stored, or not known yet)."""
    rev: str | None
    """Revision of the stored text (None: nothing stored).  Pass it back as ``base_rev`` of a write."""
    blobs: Mapping[str, str]
    """Blob id -> text: what the browser holds, plus this session's not yet confirmed changes."""
    snapshot_id: int
    """Counts the snapshots the browser sent (0 before the first).  When it changes, merge :attr:`text`."""
    reason: str | None
    """Why the snapshots since the previous page run came (:data:`~.wire.REASONS`; of several, the strongest
    by :data:`~.wire.REASON_RANK`, so ``"cleared"`` is never hidden), None before the first."""
    external: bool
    """Those snapshots report a change made by another tab or window."""
    notice: str | None
    """Something the learner should be told (a key of :data:`~.wire.NOTICE_MESSAGES`), or None."""
    saving: bool
    """Operations are queued that the browser has not yet reported done."""
    blobs_persistent: bool | None
    """IndexedDB works (True), does not (False), or not known yet (None)."""
    backups: tuple[Backup, ...] = ()
    """Stored texts the browser kept before replacing them (newest last, at most :data:`~.wire.MAX_BACKUPS`)."""
    refused_blobs: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    """Blob ids the browser holds whose texts this session did not keep (id -> ``too-big``,
    ``too-many`` or ``session-full``: :func:`explorer.limits.check_blobs`); they stay in the browser."""

    @property
    def persistent(self) -> bool:
        """Changes are being kept in this browser (status ``ready``)."""
        return self.status == "ready"

    @property
    def notice_message(self) -> str | None:
        return NOTICE_MESSAGES.get(self.notice) if self.notice else None
