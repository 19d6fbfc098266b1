"""The server half of the browser-store protocol, as plain Python (no Streamlit import).

One :class:`Bridge` lives in each Streamlit session (``st.session_state``) per store key.  It keeps
what the browser last reported (status, stored revision and text, blobs), queues the operations the
page asked for (write, blob changes, clear) until the browser reports them settled, and builds the
small JSON ``data`` the component sends to ``store.js``.  The wire format is described in
``components/browser_store/README.md``; its vocabulary (statuses, reasons, notices, bounds, the reading of
a report's parts) is :mod:`.wire`, the view a page gets is :mod:`.state` (:class:`StoreState`), and the
checks of a page's arguments are :mod:`.arguments`.  Everything here is deterministic and unit-tested
without a browser (``tests/test_browser_store_protocol.py``).

Nothing here logs, and nothing is written to disk: the texts live in this session's memory only.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from explorer.limits import check_blobs, check_store_text

from .state import StoreState
from .wire import (
    MAX_BLOB_CHARS,
    MAX_REV_CHARS,
    NOTICE_MESSAGES,
    PROTOCOL,
    REASON_RANK,
    REASONS,
    Backup,
    is_int,
    opt_str,
    parse_backups,
)

_INFLIGHT_WRITES = 8  # texts of the latest writes, to know what a "saved" report refers to


# --------------------------------------------------------------------------- the per-session bridge
@dataclass
class Bridge:
    """Server-side state of one store in one Streamlit session.

    Page-facing: :meth:`state`, :meth:`queue_write`, :meth:`queue_blobs`, :meth:`queue_clear`.
    Component-facing: :meth:`frontend_data` (what ``store.js`` receives) and :meth:`receive`
    (a report from ``store.js``; returns True when what a page shows may have changed, and asks for a page
    rerun through :attr:`rerun_wanted` unless the page said it shows nothing different: ``quiet_if_empty``).
    """

    sid: str = field(default_factory=lambda: secrets.token_hex(8))
    status: str = "pending"
    text: str | None = None
    rev: str | None = None
    snapshot_id: int = 0
    reason: str | None = None
    external: bool = False
    notice: str | None = None
    blobs_persistent: bool | None = None
    rerun_wanted: bool = False  # set by receive(); the component wrapper turns it into one app rerun
    quiet_if_empty: bool = False  # the page's choice in its last run: see :attr:`mount_in_fragment`
    full_run: bool = False  # set by the component wrapper while a full page run draws the component
    backups: tuple[Backup, ...] = ()  # what the browser last reported
    refused_blobs: dict[str, str] = field(default_factory=dict)  # blob id -> why its text was not kept
    _blobs: dict[str, str] = field(default_factory=dict)  # replaced, never mutated: old views stay valid
    _seq: int = 0
    _ops: list[dict[str, Any]] = field(default_factory=list)  # unsettled ops, ascending seq, <= 1 write
    _inflight: dict[int, str] = field(default_factory=dict)  # write seq -> text
    _last_i: str | None = None  # page instance of the last report (store.js module load)
    _last_n: int = 0  # last message number processed from that instance
    _fresh: bool = True  # the page has run since the last snapshot: the next one sets reason anew
    _state: StoreState | None = None
    _data: bytes | None = None
    _data_args: tuple[str, int] | None = None

    def __getstate__(self) -> dict[str, Any]:
        """Picklable (``runner.enforceSerializableSessionState``): the caches are rebuilt on demand."""
        return {**self.__dict__, "_state": None, "_data": None, "_data_args": None}

    # ------------------------------------------------------------------ page-facing
    def state(self) -> StoreState:
        if self._state is None:
            self._state = StoreState(
                status=self.status, text=self.text, rev=self.rev, blobs=MappingProxyType(self._blobs),
                snapshot_id=self.snapshot_id, reason=self.reason, external=self.external, notice=self.notice,
                saving=bool(self._ops), blobs_persistent=self.blobs_persistent, backups=self.backups,
                refused_blobs=MappingProxyType(self.refused_blobs),
            )
        return self._state

    @property
    def awaiting_confirmation(self) -> bool:
        """An operation was sent that the browser has not confirmed yet."""
        return bool(self._ops)

    @property
    def mount_in_fragment(self) -> bool:
        """Whether the component's next report should rerun only its fragment, the page only when it must see
        what came.  So while an operation awaits the browser's confirmation (a confirmation changes nothing a
        page shows), and while the first report is awaited by a page that said (``quiet_if_empty``) it shows
        nothing different once the browser's store turns out empty and usable: a first visitor's page then
        runs once, not twice."""
        return self.awaiting_confirmation or (self.quiet_if_empty and self.status == "pending")

    def _empty(self) -> bool:
        """The browser's store as reported is empty, usable, with nothing to say."""
        return (self.status == "ready" and self.text is None and self.rev is None
                and not self._blobs and not self.refused_blobs and not self.backups and self.notice is None
                and self.blobs_persistent is not False and not self.awaiting_confirmation)

    @property
    def ops(self) -> list[dict[str, Any]]:
        """The unsettled operations (a copy), for tests and diagnostics."""
        return [dict(op) for op in self._ops]

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def _changed(self) -> None:
        self._state = None
        self._data = None

    def _pending_write(self) -> dict[str, Any] | None:
        for op in self._ops:
            if op["op"] == "write":
                return op
        return None

    def queue_write(self, base: str | None, text: str, backup: bool = False) -> bool:
        """Queue ``text`` to be stored if the stored revision is still ``base`` (compare-and-swap).

        ``backup``: the text stored at ``base`` could not be read in full; the browser keeps it as a
        dated backup before replacing it, and does not replace it when it cannot.
        A text equal to the one already queued, or (nothing queued) to the one stored, is not sent
        again.  Returns whether a write was queued.  With storage unavailable nothing is queued.
        """
        if self.status == "unavailable":
            return False
        pending = self._pending_write()
        if text == (pending["text"] if pending is not None else self.text) and (pending is not None or self.rev is not None):
            return False
        seq = self._next_seq()
        self._ops = [op for op in self._ops if op["op"] != "write"]
        self._ops.append({"seq": seq, "op": "write", "base": base, "text": text, **({"backup": True} if backup else {})})
        self._inflight[seq] = text
        while len(self._inflight) > _INFLIGHT_WRITES:
            del self._inflight[min(self._inflight)]
        self._changed()
        return True

    def queue_blobs(self, put: Mapping[str, str], delete: Iterable[str]) -> bool:
        """Queue blob puts and deletes (deletes apply first).  The session's view changes at once."""
        put, delete = dict(put), [d for d in delete if d not in put]
        if not put and not delete:
            return False
        view = {k: v for k, v in self._blobs.items() if k not in delete}
        view.update(put)
        self._blobs = view
        if self.status != "unavailable":
            self._ops.append({"seq": self._next_seq(), "op": "blobs", "put": put, "delete": delete})
        self._changed()
        return True

    def queue_clear(self) -> None:
        """Empty the store ("Forget this browser").  Queued writes and blob changes are dropped."""
        self._blobs = {}
        self.text = None
        self.rev = None
        self.backups = ()
        self._ops = [] if self.status == "unavailable" else [{"seq": self._next_seq(), "op": "clear"}]
        self._inflight.clear()
        self._changed()

    # ------------------------------------------------------------------ component-facing
    def frontend_data(self, namespace: str, debounce_ms: int) -> dict[str, Any]:
        """What ``store.js`` receives: small unless an operation is queued."""
        return {
            "v": PROTOCOL, "ns": namespace, "sid": self.sid, "ops": [dict(op) for op in self._ops],
            "ack": [self._last_i, self._last_n] if self._last_i is not None else None,
            "debounce": debounce_ms,
        }

    def frontend_bytes(self, namespace: str, debounce_ms: int) -> bytes:
        """:meth:`frontend_data` as UTF-8 JSON, built once per change.

        The component gets bytes rather than a dict: Streamlit then neither scans the dict for
        dataframes nor serialises it twice (once for the message, once sorted for the element's
        identity) on every rerun; a queued 300 kB write is encoded once, not on every rerun.
        """
        args = (namespace, debounce_ms)
        if self._data is None or self._data_args != args:
            self._data = json.dumps(self.frontend_data(namespace, debounce_ms), separators=(",", ":")).encode()
            self._data_args = args
        return self._data

    def page_seen(self) -> None:
        """The page has run with the current state (called by ``browser_store()`` at the end of a run):
        the next snapshot's reason replaces :attr:`reason` instead of being combined with it."""
        self._fresh = True

    def _visible(self) -> tuple:
        return self.status, self.notice, self.snapshot_id, self.blobs_persistent

    def receive(self, report: object) -> bool:
        """Apply one report from ``store.js``.  Malformed parts are ignored; returns True when the
        status, notice, blob availability or snapshot changed (the page should run again)."""
        if not isinstance(report, Mapping) or report.get("sid") != self.sid:
            return False
        instance, msgs = report.get("i"), report.get("msgs")
        if not isinstance(instance, str) or not isinstance(msgs, list):
            return False
        if instance != self._last_i:
            self._last_i, self._last_n = instance, 0
        before = self._visible()
        numbered = sorted((m for m in msgs if isinstance(m, Mapping) and is_int(m.get("n"))), key=lambda m: m["n"])
        processed = False
        for msg in numbered:
            if msg["n"] <= self._last_n:
                continue
            self._last_n = msg["n"]
            processed = True
            try:
                kind = msg.get("kind")
                if kind == "snapshot":
                    self._apply_snapshot(msg)
                elif kind == "saved":
                    self._apply_saved(msg)
                elif kind == "status":
                    self._apply_status(msg)
            except (TypeError, ValueError):
                continue  # a malformed message changes nothing
        settled = report.get("settled")
        if is_int(settled) and self._ops and self._ops[0]["seq"] <= settled:
            self._ops = [op for op in self._ops if op["seq"] > settled]
            processed = True
        if processed:
            self._changed()
        changed = self._visible() != before
        first = before[0] == "pending"  # the session's first report
        if changed and not (self.quiet_if_empty and first and self._empty()):
            self.rerun_wanted = True
        return changed

    def _apply_snapshot(self, msg: Mapping[str, Any]) -> None:
        rev = opt_str(msg.get("rev"), MAX_REV_CHARS)
        text = opt_str(msg.get("text"))
        reason = msg.get("reason") if msg.get("reason") in REASONS else "external"
        blobs = msg.get("blobs")
        if blobs is not None and not isinstance(blobs, Mapping):
            raise ValueError("blobs")
        idb = msg.get("idb")
        self.status = "ready"
        too_large = check_store_text(text) is not None
        self.rev, self.text = rev, (None if too_large else text)  # a text over the cap is not kept in memory
        external = msg.get("external") is True
        if self._fresh or self.reason is None or REASON_RANK[reason] >= REASON_RANK[self.reason]:
            self.reason = reason
        self.external = external if self._fresh else (self.external or external)
        self._fresh = False
        self.snapshot_id += 1
        if msg.get("notice") == "corrupt":
            self.notice = "corrupt"
        elif too_large:
            self.notice = "too-large"
        elif self.notice != "quota":
            self.notice = None
        if isinstance(idb, bool):
            self.blobs_persistent = idb
        if "backups" in msg:
            self.backups = parse_backups(msg["backups"])
        if blobs is not None:
            view = {k: v for k, v in blobs.items() if isinstance(k, str) and isinstance(v, str)}
            view, self.refused_blobs = check_blobs(view, store_text=self.text)  # within the session's note limits
            omitted = msg.get("omitted")
            if isinstance(omitted, Mapping):  # texts store.js did not send (see wire.MAX_SENT_BLOB_CHARS)
                for blob_id, size in list(omitted.items())[:10_000]:
                    if isinstance(blob_id, str) and is_int(size):
                        self.refused_blobs[blob_id] = ("missing" if size < 0 else "too-big" if size > MAX_BLOB_CHARS
                                                       else "session-full")
            for op in self._ops:  # this session's changes the browser has not confirmed yet
                if op["op"] == "blobs":
                    for blob_id in op["delete"]:
                        view.pop(blob_id, None)
                    view.update(op["put"])
                elif op["op"] == "clear":
                    view = {}
            self._blobs = view

    def _apply_saved(self, msg: Mapping[str, Any]) -> None:
        seq, rev = msg.get("seq"), opt_str(msg.get("rev"), MAX_REV_CHARS)
        if not is_int(seq) or rev is None:
            raise ValueError("saved")
        text = self._inflight.get(seq)
        if text is not None:
            self.rev, self.text = rev, text
        for old in [s for s in self._inflight if s <= seq]:
            del self._inflight[old]
        if self.status in ("pending", "error"):
            self.status = "ready"
        if self.notice in ("quota", "corrupt", "error", "backup-failed", "too-large"):
            self.notice = None
        if "backups" in msg:
            self.backups = parse_backups(msg["backups"])

    def _apply_status(self, msg: Mapping[str, Any]) -> None:
        status, notice = msg.get("status"), msg.get("notice")
        if notice is not None and notice not in NOTICE_MESSAGES:
            notice = "error"
        if status == "unavailable":
            self.status, self.notice, self.blobs_persistent = "unavailable", "unavailable", False
            self._ops = []
            self._inflight.clear()
        elif status == "error":
            if self.status == "pending":
                self.status = "error"
            self.notice = notice or "error"
        elif status == "ready":
            if notice == "blobs-unavailable":
                self.blobs_persistent = False
            if notice is not None:
                self.notice = notice
        else:
            raise ValueError("status")

