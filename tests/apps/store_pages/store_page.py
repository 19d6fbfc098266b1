"""The one page body of the two-page store app (tests/test_browser_store.py): a number kept in the
browser store, a button, and a link to the other page.  ``STATE {json}`` is the last line."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

import streamlit as st

from components.browser_store import browser_store, store_state


def page(name: str, other: str, other_label: str) -> None:
    ss = st.session_state
    ss.setdefault("n", 0)
    state = store_state()
    if state.snapshot_id != ss.get("seen", 0):
        ss.seen = state.snapshot_id
        ss.n = max(ss.n, int(state.text or 0))
    if st.button("Add one"):
        ss.n += 1
    st.page_link(other, label=other_label)
    ready = state.status == "ready" and str(ss.n) != (state.text or "0")
    final = browser_store(write=(state.rev, str(ss.n)) if ready else None)
    st.text("STATE " + json.dumps({"page": name, "n": ss.n, "snapshot_id": final.snapshot_id, "status": final.status}))
