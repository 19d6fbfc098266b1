"""components/browser_store without a browser: backups of stored texts that could not be read in full
(the ``backup`` write flag, the backups the browser reports, ``backup-failed``) and the fragment's
full-run flag that replaced Streamlit's private ``fragment_ids_this_run``.
Chromium journeys: tests/test_browser_recovery.py and tests/test_browser_store.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from components.browser_store import browser_store
from components.browser_store.protocol import Bridge
from components.browser_store.wire import MAX_BACKUP_CHARS, MAX_BACKUPS, NOTICE_MESSAGES, Backup, parse_backups

ROOT = Path(__file__).resolve().parent.parent


def report(bridge, *msgs, settled=0):
    return {"sid": bridge.sid, "i": "page1", "settled": settled, "msgs": list(msgs)}


def snap(n, **extra):
    return {"kind": "snapshot", "n": n, "reason": "restore", "rev": "r1", "text": "T", "external": False,
            "notice": None, **extra}


def item(i, text="old text", raw=False):
    return {"id": f"b{i}", "at": f"2026-03-0{i}T09:00:00.000Z", "rev": f"r{i}", "text": text, "raw": raw}


def test_a_write_asks_for_a_backup_only_when_told():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1)))
    b.queue_write("r1", "new")
    assert b.ops == [{"seq": 1, "op": "write", "base": "r1", "text": "new"}]
    b.queue_write("r1", "newer", backup=True)  # replaces the queued write, flag and all
    assert b.ops == [{"seq": 2, "op": "write", "base": "r1", "text": "newer", "backup": True}]
    assert json.loads(b.frontend_bytes("ns", 300))["ops"][0]["backup"] is True


def test_backups_come_with_snapshots_and_saved_reports_and_go_with_clear():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, backups=[item(1), item(2, "garbage", raw=True)])))
    assert b.state().backups == (Backup("b1", "2026-03-01T09:00:00.000Z", "old text", False),
                                 Backup("b2", "2026-03-02T09:00:00.000Z", "garbage", True))
    b.receive(report(b, snap(2, reason="external")))  # no "backups": unchanged
    assert len(b.state().backups) == 2
    b.queue_write("r1", "new", backup=True)
    b.receive(report(b, {"kind": "saved", "n": 3, "seq": 1, "rev": "r2", "backups": [item(1), item(2), item(3)]},
                     settled=1))
    assert [x.id for x in b.state().backups] == ["b1", "b2", "b3"] and b.state().text == "new"
    b.queue_write("r2", "newer")
    b.receive(report(b, {"kind": "saved", "n": 4, "seq": 2, "rev": "r3"}, settled=2))  # no backup made: unchanged
    assert len(b.state().backups) == 3
    b.queue_clear()
    assert b.state().backups == ()
    b.receive(report(b, snap(5, reason="cleared", rev=None, text=None, backups=[]), settled=3))
    assert b.state().backups == ()


def test_malformed_or_oversized_backups_are_left_out_and_at_most_the_newest_are_kept():
    many = [item(i) for i in range(1, 6)]
    assert [x.id for x in parse_backups(many)] == [f"b{i}" for i in range(6 - MAX_BACKUPS, 6)]
    bad = [None, "x", {"id": 5, "at": "t", "text": "x"}, {"id": "a", "at": "t"}, {"id": "", "at": "t", "text": "x"},
           {"id": "big", "at": "t", "text": "x" * (MAX_BACKUP_CHARS + 1)}, {"id": "ok", "at": "t", "text": "x"}]
    assert [x.id for x in parse_backups(bad)] == ["ok"]
    assert parse_backups("nope") == () and parse_backups(None) == ()


def test_a_backup_that_cannot_be_kept_gives_a_notice_until_a_write_succeeds():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1)))
    b.queue_write("r1", "new", backup=True)
    assert b.receive(report(b, {"kind": "status", "n": 2, "status": "ready", "notice": "backup-failed", "seq": 1},
                            settled=1)) is True
    s = b.state()
    assert (s.notice, s.text, s.rev, s.saving) == ("backup-failed", "T", "r1", False)  # nothing replaced
    assert s.notice_message == NOTICE_MESSAGES["backup-failed"] and "left untouched" in s.notice_message
    b.queue_write("r1", "new")
    b.receive(report(b, {"kind": "saved", "n": 3, "seq": 2, "rev": "r2"}, settled=2))
    assert b.state().notice is None


def test_keep_backup_must_be_a_bool():
    with pytest.raises(TypeError, match="keep_backup must be True or False"):
        browser_store(write=("r", "t"), keep_backup="yes")


def test_no_streamlit_internals_decide_the_fragment_rerun():
    source = (ROOT / "components" / "browser_store" / "__init__.py").read_text(encoding="utf-8")
    assert "fragment_ids_this_run" not in source and "script_run_context" not in source


FLAG_APP = """
import streamlit as st
from components.browser_store import browser_store
end = browser_store(write=st.session_state.get("w"))
st.text(f"SAVING {end.saving}")
"""


def test_the_full_run_flag_is_set_only_while_a_full_run_draws_the_fragment(tmp_path, monkeypatch):
    """_mount sets Bridge.full_run around its call of the fragment function and clears it after, so a
    fragment-only rerun (which Streamlit starts by calling the fragment function itself) finds it False."""
    from streamlit.testing.v1 import AppTest

    import components.browser_store as bs

    seen = []
    real = bs._draw
    monkeypatch.setattr(bs, "_draw", lambda key, debounce_ms, bridge: (seen.append(bridge.full_run),
                                                                       real(key, debounce_ms, bridge)))
    script = tmp_path / "app.py"
    script.write_text(FLAG_APP)
    at = AppTest.from_file(str(script)).run()
    at.session_state["w"] = (None, "t")
    at.run()  # a write is queued: the component is drawn in the fragment, from a full run
    assert [t.value for t in at.text] == ["SAVING True"] and not at.exception
    assert seen == [False, True]  # first run: a plain container; second: the fragment, inside a full run
    assert at.session_state["_browser_store_bridge_store"].full_run is False  # cleared after the call
