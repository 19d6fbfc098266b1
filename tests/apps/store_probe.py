"""Probe app for components/browser_store (tests/test_browser_store.py drives it in Chromium).

A counter that never loses an increment across tabs: the stored text is ``{"counts": {tab: n}}``
(one slot per session, merged by taking the larger value per slot), plus one blob.  It follows the
page pattern of components/browser_store/README.md: read ``store_state()`` first, merge when the
snapshot changes, act, then call ``browser_store(...)`` once at the end.  Query parameters:
``debounce`` (ms, default 300), ``quiet=1`` (``quiet_if_empty`` while the session counted nothing).  The last line is ``STATE {json}`` for the tests to read.
"""

from __future__ import annotations

import json
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

import streamlit as st

from components.browser_store import browser_store, store_state

EMPTY = json.dumps({"counts": {}}, sort_keys=True)


def parse(text: str | None) -> dict[str, int]:
    try:
        counts = json.loads(text)["counts"] if text else {}
    except (ValueError, TypeError, KeyError):
        return {}
    return {k: v for k, v in counts.items() if isinstance(k, str) and type(v) is int} if isinstance(counts, dict) else {}


ss = st.session_state
if "me" not in ss:
    ss.me = secrets.token_hex(4)
    ss.counts = {}
    ss.seen = 0
    ss.conflicts = 0
    ss.externals = 0
    ss.runs = 0
ss.runs += 1

state = store_state()
if state.snapshot_id != ss.seen:  # new data from the browser: merge it into the session's copy
    ss.seen = state.snapshot_id
    if state.reason == "cleared":
        ss.counts = {}
    else:
        stored = parse(state.text)
        ss.counts = {k: max(ss.counts.get(k, 0), stored.get(k, 0)) for k in {*ss.counts, *stored}}
    ss.conflicts += state.reason == "conflict"
    ss.externals += state.external

st.title("Store probe")
put, delete, clear = None, None, False
c1, c2, c3, c4, c5 = st.columns(5)
if c1.button("Increment"):
    ss.counts = {**ss.counts, ss.me: ss.counts.get(ss.me, 0) + 1}
if c2.button("Put blob"):
    put = {"note-1": f"blob text {sum(ss.counts.values())} \u00e9\u4e2d"}
if c3.button("Delete blob"):
    delete = ["note-1"]
if c4.button("Forget this browser"):
    ss.counts = {}
    clear = True
c5.button("Rerun")  # a run that changes nothing

if state.notice_message:
    st.warning(state.notice_message)

text = json.dumps({"counts": ss.counts}, sort_keys=True)
write = None
if state.status in ("ready", "error") and text != (state.text or EMPTY):
    write = (state.rev, text)
debounce = int(st.query_params.get("debounce", "300"))
quiet = st.query_params.get("quiet") == "1" and not ss.counts  # nothing of its own to save: an empty store changes nothing
final = browser_store(write=write, put_blobs=put, delete_blobs=delete, clear=clear, debounce_ms=debounce,
                      quiet_if_empty=quiet)

view = {
    "status": final.status, "count": sum(ss.counts.values()), "rev": final.rev, "notice": final.notice,
    "blobs": dict(final.blobs), "saving": final.saving, "snapshot_id": final.snapshot_id, "reason": final.reason,
    "conflicts": ss.conflicts, "externals": ss.externals, "blobs_persistent": final.blobs_persistent, "runs": ss.runs,
    "backups": len(final.backups),
}
st.metric("Count", view["count"])
st.text("STATE " + json.dumps(view, sort_keys=True))
