"""Keep the learner's data in their own browser: localStorage + IndexedDB through a Streamlit
Custom Components v2 component (no iframe, no third-party package).

Two calls, one per page run (README.md has the protocol, the page pattern and the pitfalls)::

    from components.browser_store import browser_store, store_state

    state = store_state()                 # anywhere in the run, e.g. first thing on the page
    ...                                   # merge state.text when state.snapshot_id changed; edit
    browser_store(write=(base_rev, text)) # exactly once per run, AFTER the page's changes

The browser's answers (a restored snapshot, a confirmed write, a conflict with another tab, a quota
or disabled-storage notice) arrive as a trigger handled in a widget callback, i.e. before the page
script runs, so :func:`store_state` is current from the first line of the page.  While the browser
owes a confirmation, the component lives in a fragment: the confirmation reruns only that fragment
(about a millisecond), and only a change a page must see (new snapshot, status, notice) reruns the
page.  So does the first report of a page that passes ``quiet_if_empty=True``, when it finds the
browser's store empty (a first visitor's page runs once, not twice).  Otherwise every report is one a
page must see, so the component is drawn in a plain container of the same shape and spares every
rerun the fragment's cost.

Texts stay in this session's memory and in the browser; nothing is written to the server's disk
and nothing here logs.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path

import streamlit as st

from components import compact_source

from .arguments import (
    validate_debounce,
    validate_delete_blobs,
    validate_flag,
    validate_key,
    validate_put_blobs,
    validate_write,
)
from .protocol import Bridge
from .state import StoreState
from .wire import MAX_BACKUP_CHARS, MAX_BACKUPS, NOTICE_MESSAGES, REASONS, STATUSES, Backup

__all__ = [
    "DEFAULT_KEY", "MAX_BACKUPS", "MAX_BACKUP_CHARS", "NOTICE_MESSAGES", "PREFIX", "REASONS", "STATUSES", "Backup",
    "StoreState", "browser_store", "storage_name", "store_state",
]

PREFIX = "mlops-explorer"
"""Storage names are ``<PREFIX>/<key>``: localStorage key, IndexedDB database, Web Lock."""
DEFAULT_KEY = "store"
DEFAULT_DEBOUNCE_MS = 300

_DIR = Path(__file__).resolve().parent
_HTML = '<span data-browser-store hidden></span>'


_component = st.components.v2.component(
    "browser_store",
    html=_HTML,
    css=compact_source((_DIR / "store.css").read_text(encoding="utf-8")),
    js=compact_source((_DIR / "store.js").read_text(encoding="utf-8")),
    isolate_styles=False,  # the CSS must reach the element container around the component to hide it
)


def storage_name(key: str = DEFAULT_KEY) -> str:
    """``mlops-explorer/<key>``: the localStorage key and IndexedDB database of this store."""
    return f"{PREFIX}/{validate_key(key)}"


def _widget_key(key: str) -> str:
    return f"browser_store_{key}"


def _bridge(key: str) -> Bridge:
    name = f"_browser_store_bridge_{key}"
    state = st.session_state
    bridge = state.get(name)
    if not isinstance(bridge, Bridge):
        bridge = Bridge()
        state[name] = bridge
    return bridge


def store_state(key: str = DEFAULT_KEY) -> StoreState:
    """The store as this session knows it now (cheap; callable anywhere, any number of times)."""
    return _bridge(validate_key(key)).state()


def _on_report(key: str) -> None:
    """Widget callback: runs before the script (or fragment) when ``store.js`` sent a report."""
    events = st.session_state.get(_widget_key(key))
    report = events.get("report") if isinstance(events, Mapping) else None
    if report is not None:
        _bridge(key).receive(report)


def _draw(key: str, debounce_ms: int, bridge: Bridge) -> None:
    _component(
        key=_widget_key(key),
        data=bridge.frontend_bytes(f"{PREFIX}/{key}", debounce_ms),
        on_report_change=functools.partial(_on_report, key),
    )


@st.fragment
def _mount_in_fragment(key: str, debounce_ms: int) -> None:
    """The component while the browser owes a confirmation: its report reruns only this fragment."""
    bridge = _bridge(key)
    _draw(key, debounce_ms, bridge)
    if bridge.rerun_wanted:
        bridge.rerun_wanted = False
        # A full page run calls this function from _mount, which sets full_run around the call; a
        # fragment-only rerun calls it directly (Streamlit's documented fragment behaviour), so the flag is
        # False there.  Only then does the page still have to see the new snapshot / status / notice.
        if not bridge.full_run:
            st.rerun()


def _mount(key: str, debounce_ms: int, bridge: Bridge) -> None:
    """Mount the component, in a fragment only while a report may need no page run
    (:attr:`Bridge.mount_in_fragment`: an operation awaits the browser's confirmation, or a page that
    shows nothing different for an empty store awaits the first report).

    A confirmation changes nothing a page shows, so it should rerun only the fragment (about a
    millisecond) rather than the page.  Every other report (the restore, another tab's change, a
    conflict, a storage notice) must rerun the page anyway, and ``st.fragment`` costs about half a
    millisecond per call, so with nothing queued the component is drawn in a plain container: the
    same block shape at the same place, which the browser keeps mounted when the mode changes
    (checked in Chromium); its trigger then reruns the page directly."""
    if bridge.mount_in_fragment:
        bridge.full_run = True
        try:
            _mount_in_fragment(key, debounce_ms)
        finally:
            bridge.full_run = False
        return
    bridge.rerun_wanted = False  # a report that arrived before this (full) run: the page is seeing it
    with st.container():
        _draw(key, debounce_ms, bridge)


def browser_store(
    key: str = DEFAULT_KEY,
    *,
    write: tuple[str | None, str] | None = None,
    put_blobs: Mapping[str, str] | None = None,
    delete_blobs: Iterable[str] | None = None,
    clear: bool = False,
    debounce_ms: int = DEFAULT_DEBOUNCE_MS,
    keep_backup: bool = False,
    quiet_if_empty: bool = False,
) -> StoreState:
    """Mount the store's (invisible) component and queue changes; return the state after queuing.

    Call it exactly once per page run, after the page has made this run's changes (the component's
    ``data`` is sent when it is called).  Not inside ``st.form`` (triggers are ignored there) nor
    inside another fragment.

    - ``write=(base_rev, text)``: store ``text`` (opaque str) if the browser still holds revision
      ``base_rev`` (``StoreState.rev`` of the snapshot the text was merged from; None if nothing
      was stored).  If another tab wrote since, nothing is overwritten: a snapshot with reason
      ``"conflict"`` arrives instead, to merge and write again.  A text equal to the one stored or
      queued is not sent again, so passing the current text on every run is cheap.  Written after
      ``debounce_ms`` without a newer write (at most every 2 s during a burst, and at once when the
      tab is hidden or closed).
    - ``keep_backup=True`` (with ``write``): the text stored at ``base_rev`` could not be read in full.
      The browser keeps it as a dated backup (``StoreState.backups``: the newest :data:`MAX_BACKUPS`,
      each at most :data:`MAX_BACKUP_CHARS`) before replacing it; when it cannot keep one (too long,
      storage full) it does not replace it and reports notice ``"backup-failed"``.  A storage entry
      that is not this component's container is always backed up before it is replaced.
    - ``put_blobs={id: text}`` / ``delete_blobs=[id, ...]``: IndexedDB blobs (uploaded notes).
    - ``clear=True``: "Forget this browser": empty the localStorage key and the blob store; queued
      writes and blob changes from before are dropped.  Order within one call: clear, blobs, write.
    - ``quiet_if_empty=True``: this run's page shows exactly the same once it knows the browser's store is
      empty and usable (a first visitor's, with nothing of this session's own to save): the session's first
      report, when it says just that, reruns only the component, not the page.  The next page run sees it
      (``snapshot_id`` 1, status ``ready``) as usual.  Any other first report (stored text, blobs, a
      notice, storage unavailable) reruns the page.
    """
    key = validate_key(key)
    write = validate_write(write)
    puts = validate_put_blobs(put_blobs)
    deletes = validate_delete_blobs(delete_blobs)
    both = set(puts) & set(deletes)
    if both:
        raise ValueError(f"blob ids both put and deleted in one call: {sorted(both)[:5]}")
    clear = validate_flag(clear)
    keep_backup = validate_flag(keep_backup, "keep_backup")
    debounce_ms = validate_debounce(debounce_ms)
    bridge = _bridge(key)
    bridge.quiet_if_empty = validate_flag(quiet_if_empty, "quiet_if_empty")
    if clear:
        bridge.queue_clear()
    if puts or deletes:
        bridge.queue_blobs(puts, deletes)
    if write is not None:
        bridge.queue_write(*write, backup=keep_backup)
    _mount(key, debounce_ms, bridge)
    state = bridge.state()
    bridge.page_seen()
    return state
