"""components/browser_store without a browser: argument validation, the server-side protocol
(``Bridge``) with hand-worked reports, and the callback wiring under AppTest (a report injected as
the component's trigger, as the browser would send it).  Chromium journeys: tests/test_browser_store.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as hs

from components import compact_source
from components.browser_store import browser_store, storage_name, store_state
from components.browser_store.protocol import Bridge
from components.browser_store.state import StoreState
from components.browser_store.wire import NOTICE_MESSAGES, REASONS, STATUSES
from tests.apptest_util import store_report

ROOT = Path(__file__).resolve().parent.parent


def snap(n, *, rev="r1", text="T1", reason="restore", blobs=None, **extra):
    msg = {"kind": "snapshot", "n": n, "reason": reason, "rev": rev, "text": text, "external": False, "notice": None}
    if blobs is not None:
        msg["blobs"] = blobs
        msg["idb"] = True
    msg.update(extra)
    return msg


def report(bridge, *msgs, settled=0, instance="page1"):
    return {"sid": bridge.sid, "i": instance, "settled": settled, "msgs": list(msgs)}


# --------------------------------------------------------------------------- argument validation
@pytest.mark.parametrize("kwargs, error, words", [
    ({"key": ""}, ValueError, "key must be 1-40"),
    ({"key": "a/b"}, ValueError, "key must be 1-40"),
    ({"key": "x" * 41}, ValueError, "key must be 1-40"),
    ({"key": 3}, ValueError, "key must be 1-40"),
    ({"write": "text"}, TypeError, "(base_rev, text) tuple"),
    ({"write": ("r1",)}, TypeError, "(base_rev, text) tuple"),
    ({"write": ["r1", "t"]}, TypeError, "(base_rev, text) tuple"),
    ({"write": ("r1", b"bytes")}, TypeError, "text must be a str"),
    ({"write": ("r1", None)}, TypeError, "text must be a str"),
    ({"write": ("", "t")}, ValueError, "base_rev must be None or a revision"),
    ({"write": (5, "t")}, ValueError, "base_rev must be None or a revision"),
    ({"write": ("r" * 201, "t")}, ValueError, "base_rev must be None or a revision"),
    ({"put_blobs": [("a", "b")]}, TypeError, "put_blobs must be a mapping"),
    ({"put_blobs": {"a": 1}}, TypeError, "put_blobs['a'] must be a str"),
    ({"put_blobs": {"": "x"}}, ValueError, "put_blobs ids must be non-empty"),
    ({"put_blobs": {"a\nb": "x"}}, ValueError, "without control characters"),
    ({"put_blobs": {"i" * 201: "x"}}, ValueError, "at most 200 characters"),
    ({"delete_blobs": "note-1"}, TypeError, "delete_blobs must be a list of ids"),
    ({"delete_blobs": 7}, TypeError, "delete_blobs must be a list of ids"),
    ({"delete_blobs": [None]}, ValueError, "delete_blobs ids must be non-empty"),
    ({"put_blobs": {"a": "x"}, "delete_blobs": ["a"]}, ValueError, "both put and deleted"),
    ({"clear": "yes"}, TypeError, "clear must be True or False"),
    ({"clear": 1}, TypeError, "clear must be True or False"),
    ({"debounce_ms": -1}, ValueError, "debounce_ms must be an int from 0 to 5000"),
    ({"debounce_ms": 5001}, ValueError, "debounce_ms must be an int from 0 to 5000"),
    ({"debounce_ms": 1.5}, ValueError, "debounce_ms must be an int"),
    ({"debounce_ms": True}, ValueError, "debounce_ms must be an int"),
])
def test_browser_store_rejects_bad_arguments_with_a_clear_message(kwargs, error, words):
    with pytest.raises(error) as info:
        browser_store(**kwargs)
    assert words in str(info.value)


def test_store_state_validates_its_key_and_storage_name_is_namespaced():
    with pytest.raises(ValueError, match="key must be 1-40"):
        store_state("no spaces")
    assert storage_name() == "mlops-explorer/store"
    assert storage_name("probe-2") == "mlops-explorer/probe-2"


def test_compact_source_drops_comments_and_indentation_only():
    src = "/* a\n * b */\n.x {\n  color: red; /* kept: not a whole line */\n}\n// js comment\n  let a = 1; // trailing\n\n"
    assert compact_source(src) == ".x {\ncolor: red; /* kept: not a whole line */\n}\nlet a = 1; // trailing"


# --------------------------------------------------------------------------- the bridge, by hand
def test_a_new_bridge_is_pending_and_sends_only_its_session_id():
    b = Bridge(sid="s1")
    s = b.state()
    assert (s.status, s.text, s.rev, dict(s.blobs), s.snapshot_id, s.reason, s.notice, s.saving) == \
        ("pending", None, None, {}, 0, None, None, False)
    assert s.blobs_persistent is None and not s.persistent and s.notice_message is None
    assert b.frontend_data("mlops-explorer/store", 300) == {
        "v": 1, "ns": "mlops-explorer/store", "sid": "s1", "ops": [], "ack": None, "debounce": 300}


def test_restore_snapshot_makes_it_ready_once_and_is_acknowledged():
    b = Bridge(sid="s1")
    r = report(b, snap(1, rev="r1", text='{"a":1}', blobs={"n1": "note"}))
    assert b.receive(r) is True and b.rerun_wanted
    s = b.state()
    assert (s.status, s.rev, s.text, dict(s.blobs), s.snapshot_id, s.reason, s.external) == \
        ("ready", "r1", '{"a":1}', {"n1": "note"}, 1, "restore", False)
    assert s.blobs_persistent is True and s.persistent
    assert b.frontend_data("ns", 300)["ack"] == ["page1", 1]
    # the same report again (a resend) changes nothing
    b.rerun_wanted = False
    assert b.receive(r) is False and not b.rerun_wanted
    assert b.state().snapshot_id == 1


def _quiet(**kw) -> Bridge:
    b = Bridge(sid="s1", **kw)
    b.quiet_if_empty = True
    return b


def test_a_quiet_page_is_not_rerun_for_the_first_report_of_an_empty_browser():
    """A page that shows nothing different for an empty store (``quiet_if_empty``) waits for the first report
    in the fragment, and an empty, usable browser's first report asks for no page run; the page's next run
    takes it in as usual."""
    b = _quiet()
    assert b.mount_in_fragment  # awaiting the first report
    empty = snap(1, rev=None, text=None, blobs={})
    assert b.receive(report(b, empty)) is True and not b.rerun_wanted
    s = b.state()
    assert (s.status, s.text, s.rev, s.snapshot_id, s.reason, s.notice, s.blobs_persistent) == \
        ("ready", None, None, 1, "restore", None, True)
    assert not b.mount_in_fragment  # nothing queued, nothing awaited: a plain container again
    # a later report is no first report: another tab's change reruns the page
    assert b.receive(report(b, snap(2, rev="r2", text="T2", reason="external", external=True))) is True
    assert b.rerun_wanted


@pytest.mark.parametrize("first", [
    snap(1, rev="r1", text="T1"),  # something stored: the page must restore it
    snap(1, rev=None, text=None, blobs={"upload-a": "# A"}),  # an uploaded note's text
    snap(1, rev=None, text=None, notice="corrupt"),  # a damaged value: the page tells the learner
    snap(1, rev=None, text=None, blobs={}, idb=False),  # IndexedDB refused: uploads stay in this tab
    snap(1, rev=None, text=None, backups=[{"id": "b1", "at": "2026-12-01T00:00:00Z", "text": "old", "raw": False}]),
    {"kind": "status", "n": 1, "status": "unavailable"},  # storage disabled: the page says so
    {"kind": "status", "n": 1, "status": "error", "notice": "error"},
], ids=["stored", "blobs", "corrupt", "no-indexeddb", "backups", "unavailable", "error"])
def test_a_first_report_with_anything_to_show_reruns_even_a_quiet_page(first):
    b = _quiet()
    assert b.receive(report(b, first)) is True and b.rerun_wanted


def test_an_empty_first_report_reruns_a_page_that_is_not_quiet_or_has_a_write_queued():
    loud = Bridge(sid="s1")  # the default: every first report reruns the page
    assert not loud.mount_in_fragment
    assert loud.receive(report(loud, snap(1, rev=None, text=None, blobs={}))) is True and loud.rerun_wanted
    busy = _quiet()
    busy.queue_blobs({"upload-a": "# A"}, [])  # this session's upload awaits the browser
    assert busy.receive(report(busy, snap(1, rev=None, text=None, blobs={}))) is True and busy.rerun_wanted


def test_reports_for_another_session_or_malformed_are_ignored():
    b = Bridge(sid="s1")
    other = {"sid": "old-session", "i": "p", "settled": 0, "msgs": [snap(1)]}
    for bad in (None, "x", [], {"sid": "s1"}, {"sid": "s1", "i": 3, "msgs": []}, {"sid": "s1", "i": "p", "msgs": "no"}, other):
        assert b.receive(bad) is False
    assert b.state().status == "pending" and b.state().snapshot_id == 0
    # messages without a number, with a wrong kind or wrong field types change nothing
    assert b.receive(report(b, {"kind": "snapshot", "rev": "r"}, {"kind": "?", "n": 1},
                            snap(2, rev=5), snap(3, text=["x"]), snap(4, blobs="x"),
                            {"kind": "saved", "n": 5, "seq": "1", "rev": "r"},
                            {"kind": "status", "n": 6, "status": "weird"})) is False
    assert b.state().status == "pending"


def test_writes_are_deduplicated_replaced_and_confirmed():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="T1")))
    assert b.queue_write("r1", "T1") is False  # equal to the stored text
    assert b.queue_write("r1", "T2") is True
    assert b.queue_write("r1", "T2") is False  # equal to the queued text
    assert b.queue_write("r1", "T3") is True  # replaces the queued one
    assert b.ops == [{"seq": 2, "op": "write", "base": "r1", "text": "T3"}]
    assert b.state().saving
    # the browser wrote T3 as revision r3
    assert b.receive(report(b, {"kind": "saved", "n": 2, "seq": 2, "rev": "r3"}, settled=2)) is False
    s = b.state()
    assert (s.rev, s.text, s.saving, s.snapshot_id) == ("r3", "T3", False, 1)
    assert b.frontend_data("ns", 300)["ops"] == []


def test_saved_for_a_superseded_write_records_that_revision():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="T1")))
    b.queue_write("r1", "T2")  # seq 1, flushed by the browser ...
    b.queue_write("r1", "T3")  # seq 2, queued before the confirmation of seq 1 came back
    b.receive(report(b, {"kind": "saved", "n": 2, "seq": 1, "rev": "r2"}, settled=1))
    assert (b.state().rev, b.state().text, b.state().saving) == ("r2", "T2", True)
    assert [op["seq"] for op in b.ops] == [2]


def test_conflict_snapshot_drops_the_refused_write_and_asks_for_a_merge():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="mine")))
    b.page_seen()
    b.queue_write("r1", "mine+1")
    changed = b.receive(report(b, snap(2, rev="r9", text="theirs", reason="conflict", seq=1, external=True), settled=1))
    s = b.state()
    assert changed and (s.snapshot_id, s.reason, s.external, s.rev, s.text, s.saving) == (2, "conflict", True, "r9", "theirs", False)
    # the page merges and writes again on top of the other tab's revision
    assert b.queue_write("r9", "merged") is True
    assert b.ops == [{"seq": 2, "op": "write", "base": "r9", "text": "merged"}]


def test_messages_in_one_report_apply_in_order_of_their_number():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="T1")))
    b.queue_write("r1", "T2")
    # our write (n=3) came after another tab's change (n=2): listed out of order on purpose
    b.receive(report(b, {"kind": "saved", "n": 3, "seq": 1, "rev": "r3"}, snap(2, rev="r2", text="X", reason="external", external=True), settled=1))
    assert (b.state().rev, b.state().text, b.state().snapshot_id) == ("r3", "T2", 2)


def test_between_two_page_runs_the_strongest_reason_is_kept():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="T1")))
    b.page_seen()
    # the key was removed by another tab, then the blob signal changed: two snapshots, no page run between
    b.receive(report(b, snap(2, rev=None, text=None, reason="cleared", external=True)))
    b.receive(report(b, snap(3, rev=None, text=None, reason="external", external=True)))
    s = b.state()
    assert (s.snapshot_id, s.reason, s.external) == (3, "cleared", True)
    b.page_seen()
    b.receive(report(b, snap(4, rev="r5", text="T5", reason="external", external=True)))
    assert (b.state().reason, b.state().external) == ("external", True)
    b.receive(report(b, snap(5, rev="r6", text="T6", reason="conflict", external=False)))
    assert (b.state().reason, b.state().external) == ("conflict", True)  # conflict outranks external; external sticks
    b.page_seen()
    b.receive(report(b, snap(6, rev="r7", text="T7", reason="conflict")))
    assert (b.state().reason, b.state().external) == ("conflict", False)


def test_a_new_page_instance_starts_numbering_again():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(5, rev="r1"), instance="p1"))
    assert b.receive(report(b, snap(1, rev="r2", reason="restore"), instance="p2")) is True
    assert b.state().rev == "r2" and b.frontend_data("ns", 1)["ack"] == ["p2", 1]


def test_unavailable_storage_keeps_everything_in_the_session():
    b = Bridge(sid="s1")
    b.queue_write(None, "T1")
    assert b.receive(report(b, {"kind": "status", "n": 1, "status": "unavailable", "notice": "unavailable"}, settled=1)) is True
    s = b.state()
    assert (s.status, s.notice, s.saving, s.blobs_persistent, s.persistent) == ("unavailable", "unavailable", False, False, False)
    assert s.notice_message == NOTICE_MESSAGES["unavailable"]
    assert b.queue_write(None, "T2") is False
    assert b.queue_blobs({"n1": "note"}, []) is True
    assert dict(b.state().blobs) == {"n1": "note"} and b.ops == []
    b.queue_clear()
    assert dict(b.state().blobs) == {} and b.ops == []


def test_quota_and_error_notices_until_a_write_succeeds():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1)))
    b.queue_write("r1", "big")
    assert b.receive(report(b, {"kind": "status", "n": 2, "status": "ready", "notice": "quota", "seq": 1}, settled=1)) is True
    assert (b.state().notice, b.state().status, b.state().saving) == ("quota", "ready", False)
    # a snapshot from another tab does not hide that this session's changes were not saved
    b.receive(report(b, snap(3, rev="r5", reason="external", external=True)))
    assert b.state().notice == "quota"
    b.queue_write("r5", "small")
    b.receive(report(b, {"kind": "saved", "n": 4, "seq": 2, "rev": "r6"}, settled=2))
    assert b.state().notice is None
    # an unknown notice code from the browser is shown as a generic error
    b.receive(report(b, {"kind": "status", "n": 5, "status": "ready", "notice": "<b>x</b>"}))
    assert b.state().notice == "error"


def test_error_status_before_any_snapshot():
    b = Bridge(sid="s1")
    b.receive(report(b, {"kind": "status", "n": 1, "status": "error", "notice": "error"}))
    assert (b.state().status, b.state().notice) == ("error", "error")
    b.receive(report(b, snap(2)))
    assert (b.state().status, b.state().notice) == ("ready", None)


def test_corrupt_container_is_reported_and_replaced_by_the_next_write():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="!corrupt-9f", text=None, notice="corrupt")))
    s = b.state()
    assert (s.status, s.notice, s.text, s.rev) == ("ready", "corrupt", None, "!corrupt-9f")
    b.queue_write("!corrupt-9f", "fresh")
    b.receive(report(b, {"kind": "saved", "n": 2, "seq": 1, "rev": "r2"}, settled=1))
    assert (b.state().notice, b.state().text) == (None, "fresh")


def test_blob_changes_show_at_once_and_survive_a_snapshot_read_before_them():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, blobs={"a": "A", "b": "B"})))
    first = b.state()
    b.queue_blobs({"c": "C"}, ["a"])
    assert dict(b.state().blobs) == {"b": "B", "c": "C"}
    assert dict(first.blobs) == {"a": "A", "b": "B"}  # an earlier state is not changed behind the page's back
    assert b.ops == [{"seq": 1, "op": "blobs", "put": {"c": "C"}, "delete": ["a"]}]
    # another tab's snapshot, read before our change landed: our unsettled change is applied on top
    b.receive(report(b, snap(2, reason="external", blobs={"a": "A", "b": "B2", "z": "Z"}, external=True)))
    assert dict(b.state().blobs) == {"b": "B2", "c": "C", "z": "Z"}
    b.receive(report(b, {"kind": "done", "n": 3, "seq": 1}, settled=1))
    assert b.ops == [] and not b.state().saving
    # a snapshot without blobs leaves them as they are
    b.receive(report(b, snap(4, rev="r4", reason="external")))
    assert dict(b.state().blobs) == {"b": "B2", "c": "C", "z": "Z"}
    assert b.queue_blobs({}, []) is False


def test_a_stored_text_over_the_load_cap_is_not_kept_and_gives_a_notice():
    from explorer.limits import LIMITS

    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="x" * (LIMITS.store_bytes + 1))))
    s = b.state()
    assert (s.status, s.text, s.rev, s.notice) == ("ready", None, "r1", "too-large")
    assert "larger than the 5 MB this app reads" in s.notice_message
    b.queue_write("r1", "fresh")  # the learner's next change replaces it, as for a damaged value
    b.receive(report(b, {"kind": "saved", "n": 2, "seq": 1, "rev": "r2"}, settled=1))
    assert (b.state().notice, b.state().text) == (None, "fresh")
    b.receive(report(b, snap(3, rev="r3", text="y" * LIMITS.store_bytes, reason="external")))  # at the cap: kept
    assert b.state().notice is None and len(b.state().text) == LIMITS.store_bytes


def test_blobs_beyond_the_note_limits_are_not_kept_and_their_ids_are_named():
    import datetime as dt

    from explorer.limits import LIMITS
    from explorer.study import store as S

    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    store = S.empty()
    for i in range(30):  # added in reverse id order: n29 first
        store = S.add_note(store, f"n{29 - i:02d}", f"n{29 - i:02d}.md", 200_000, t0.replace(minute=i))
    big = {f"n{i:02d}": "x" * LIMITS.note_bytes for i in range(30)}
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, text=S.dump(store), blobs={**big, "huge": "y" * (LIMITS.note_bytes + 1)})))
    s = b.state()
    kept = sorted(s.blobs)
    assert kept == [f"n{i:02d}" for i in range(20, 30)]  # 2 MB of notes: the ten added first
    assert dict(s.refused_blobs) == {"huge": "too-big", **{f"n{i:02d}": "session-full" for i in range(20)}}
    # many small notes: at most 20, the first added kept (ids the progress does not list come last)
    small = {f"n{i:02d}": "small note" for i in range(30)}
    b.receive(report(b, snap(2, text=S.dump(store), reason="external", blobs={**small, "a-stray": "s"})))
    s = b.state()
    assert sorted(s.blobs) == [f"n{i:02d}" for i in range(10, 30)]
    assert set(s.refused_blobs) == {"a-stray", *(f"n{i:02d}" for i in range(10))}
    assert set(s.refused_blobs.values()) == {"too-many"}
    # within the limits nothing is refused, and this session's own queued notes are never refused
    b.queue_blobs({"mine": "z" * LIMITS.note_bytes}, [])
    b.receive(report(b, snap(3, text=S.dump(store), reason="external", blobs={"n00": "a"})))
    assert dict(b.state().blobs) == {"n00": "a", "mine": "z" * LIMITS.note_bytes} and not b.state().refused_blobs


def test_texts_the_browser_did_not_send_are_named_with_their_reason():
    """store.js keeps one report under the websocket limit: texts over a note's limit, and those beyond
    MAX_SENT_BLOB_CHARS together, are named in "omitted" (with their length, -1 for a value that is not text)."""
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, blobs={"a": "kept"}, omitted={"big": 300_000, "late": 1_000, "odd": -1, 5: 7, "x": "?"})))
    s = b.state()
    assert dict(s.blobs) == {"a": "kept"}
    assert dict(s.refused_blobs) == {"big": "too-big", "late": "session-full", "odd": "missing"}


def test_the_browser_sends_no_more_than_the_server_accepts():
    """store.js's bounds are wire.py's, which follow the note limits, and the largest report fits the
    websocket limit that .streamlit/config.toml sets (a larger message closes the connection)."""
    import re
    import tomllib

    from components.browser_store import wire
    from explorer.limits import LIMITS

    js = (ROOT / "components" / "browser_store" / "store.js").read_text(encoding="utf-8")
    for name, value in (("MAX_BLOB_CHARS", wire.MAX_BLOB_CHARS), ("MAX_SENT_BLOB_CHARS", wire.MAX_SENT_BLOB_CHARS)):
        assert re.search(rf"const {name} = (\d+);", js).group(1) == str(value)
    assert wire.MAX_BLOB_CHARS == LIMITS.note_bytes
    assert wire.MAX_SENT_BLOB_CHARS >= LIMITS.session_bytes
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # the progress text, the backups and the blob texts one report carries at most (characters of mostly ASCII text)
    assert LIMITS.store_bytes + wire.MAX_BACKUPS_TOTAL_CHARS + wire.MAX_SENT_BLOB_CHARS <= config["server"]["maxMessageSize"] * 10**6


def test_blobs_unavailable_notice():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1)))
    b.queue_blobs({"n": "x"}, [])
    b.receive(report(b, {"kind": "status", "n": 2, "status": "ready", "notice": "blobs-unavailable", "seq": 1}, settled=1))
    s = b.state()
    assert (s.blobs_persistent, s.notice, dict(s.blobs), s.saving) == (False, "blobs-unavailable", {"n": "x"}, False)


def test_clear_drops_queued_changes_and_empties_the_view():
    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="T1", blobs={"a": "A"})))
    b.queue_write("r1", "T2")
    b.queue_blobs({"b": "B"}, [])
    b.queue_clear()
    s = b.state()
    assert (s.text, s.rev, dict(s.blobs)) == (None, None, {})
    assert b.ops == [{"seq": 3, "op": "clear"}]
    b.receive(report(b, snap(2, rev=None, text=None, reason="cleared", blobs={}, seq=3), settled=3))
    s = b.state()
    assert (s.reason, s.snapshot_id, s.text, s.saving) == ("cleared", 2, None, False)
    # after forgetting, the first write starts from nothing
    assert b.queue_write(None, "T9") is True


def test_state_is_frozen_and_cached_until_something_changes():
    b = Bridge(sid="s1")
    s = b.state()
    assert b.state() is s
    with pytest.raises(AttributeError):
        s.status = "ready"  # type: ignore[misc]
    with pytest.raises(TypeError):
        s.blobs["x"] = "y"  # type: ignore[index]
    b.queue_write(None, "T")
    assert b.state() is not s and b.state().saving


def test_frontend_bytes_are_encoded_once_per_change():
    b = Bridge(sid="s1")
    d = b.frontend_bytes("ns", 300)
    assert json.loads(d) == b.frontend_data("ns", 300)
    assert b.frontend_bytes("ns", 300) is d  # nothing changed: the same object, nothing re-encoded
    assert b.frontend_bytes("ns", 100) is not d
    b.queue_write(None, "T \u00e9")
    d2 = b.frontend_bytes("ns", 100)
    assert json.loads(d2.decode("utf-8"))["ops"][0]["text"] == "T \u00e9"
    assert b.frontend_bytes("ns", 100) is d2


scalars = hs.none() | hs.booleans() | hs.integers(-3, 8) | hs.text(max_size=6) | hs.sampled_from(
    ["s1", "r1", "p", *REASONS, "ready", "error", "unavailable", "quota", "corrupt", "blobs-unavailable"])
json_values = hs.recursive(scalars, lambda inner: hs.lists(inner, max_size=3) | hs.dictionaries(hs.text(max_size=3), inner, max_size=3),
                           max_leaves=8)
# messages shaped like store.js's, with any field missing or of any type
messages = hs.fixed_dictionaries(
    {"kind": hs.sampled_from(["snapshot", "saved", "status", "done", "other"]), "n": hs.integers(-1, 12) | json_values},
    optional={k: json_values for k in ("rev", "text", "seq", "reason", "blobs", "status", "notice", "external", "idb")},
)
report_values = hs.fixed_dictionaries({"sid": hs.sampled_from(["s1", "s2"]), "i": hs.sampled_from(["p", "q"]),
                                 "settled": hs.integers(-1, 6) | json_values, "msgs": hs.lists(messages | json_values, max_size=5)})


@settings(max_examples=150, deadline=None)
@given(hs.lists(report_values | json_values, max_size=4))
def test_any_report_is_applied_or_ignored_without_an_exception(reports):
    b = Bridge(sid="s1")
    b.queue_write(None, "T")
    for r in reports:
        b.receive(r)
        s = b.state()
        assert s.status in STATUSES
        assert s.reason is None or s.reason in REASONS
        assert s.notice is None or s.notice in NOTICE_MESSAGES
        assert s.text is None or isinstance(s.text, str)
        assert s.rev is None or isinstance(s.rev, str)
        assert all(isinstance(k, str) and isinstance(v, str) for k, v in s.blobs.items())
        assert json.loads(b.frontend_bytes("ns", 300))["sid"] == "s1"  # always serialisable


def test_a_bridge_survives_pickling_for_serializable_session_state():
    import pickle

    b = Bridge(sid="s1")
    b.receive(report(b, snap(1, rev="r1", text="T1", blobs={"a": "A"})))
    b.queue_write("r1", "T2")
    b.state(), b.frontend_bytes("ns", 300)  # fill the caches (a MappingProxyType cannot be pickled)
    c = pickle.loads(pickle.dumps(b))
    assert c.state() == b.state() and c.frontend_bytes("ns", 300) == b.frontend_bytes("ns", 300)


def test_store_state_is_a_frozen_dataclass():
    assert StoreState.__dataclass_params__.frozen  # type: ignore[attr-defined]


# --------------------------------------------------------------------------- wiring under AppTest
APP = """
import streamlit as st
from components.browser_store import browser_store, store_state
top = store_state()
st.text(f"TOP {{top.status}} {{top.snapshot_id}} {{top.text}} {{top.rev}}")
w = st.session_state.get("w")
end = browser_store(write=w)
st.text(f"END {{end.status}} {{end.saving}}")
"""


def test_a_report_reaches_the_page_before_its_first_line(tmp_path):
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "app.py"
    script.write_text(APP.format(root=str(ROOT)))
    at = AppTest.from_file(str(script)).run()
    assert [t.value for t in at.text] == ["TOP pending 0 None None", "END pending False"]
    element = at.get("bidi_component")[0]
    data = json.loads(element.proto.bytes)
    assert data["ns"] == "mlops-explorer/store" and data["ops"] == [] and data["ack"] is None
    assert element.proto.js_content and "export default function" in element.proto.js_content
    store_report(at, value={"sid": data["sid"], "i": "p1", "settled": 0,
                 "msgs": [{"kind": "snapshot", "n": 1, "reason": "restore", "rev": "r1", "text": "hello", "blobs": {}, "idb": True}]})
    assert [t.value for t in at.text] == ["TOP ready 1 hello r1", "END ready False"]
    # a write is sent while unsettled, then no longer
    at.session_state["w"] = ("r1", "hello again")
    at.run()
    assert json.loads(at.get("bidi_component")[0].proto.bytes)["ops"] == [{"seq": 1, "op": "write", "base": "r1", "text": "hello again"}]
    assert [t.value for t in at.text][1] == "END ready True"
    store_report(at, value={"sid": data["sid"], "i": "p1", "settled": 1, "msgs": [{"kind": "saved", "n": 2, "seq": 1, "rev": "r2"}]})
    assert [t.value for t in at.text] == ["TOP ready 1 hello again r2", "END ready False"]
    assert json.loads(at.get("bidi_component")[0].proto.bytes)["ops"] == []
    assert not at.exception


MODE_APP = """
import streamlit as st
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from components.browser_store import browser_store, store_state
ctx = get_script_run_ctx()
end = browser_store(write=st.session_state.get("w"))
st.text(f"MODE {{'fragment' if ctx.shared.new_fragment_ids.snapshot() else 'plain'}} {{end.saving}}")
"""


def test_the_component_sits_in_a_fragment_only_while_the_browser_owes_a_confirmation(tmp_path):
    """A confirmation changes nothing a page shows, so it reruns only the fragment; with nothing queued
    every report must rerun the page anyway, and the component is drawn without the fragment's cost,
    in a plain container of the same shape (the browser keeps the element mounted across the switch)."""
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "app.py"
    script.write_text(MODE_APP.format(root=str(ROOT)))
    at = AppTest.from_file(str(script)).run()
    mode = lambda: next(t.value for t in at.text if t.value.startswith("MODE"))  # noqa: E731
    assert mode() == "MODE plain False"
    # both modes put the component alone in a vertical block at the same place
    assert len(at.main.children) == 2
    block = at.main.children[0]
    plain_block = block.proto
    assert [c.type for c in block.children.values()] == ["bidi_component"]
    sid = json.loads(at.get("bidi_component")[0].proto.bytes)["sid"]
    store_report(at, value={"sid": sid, "i": "p1", "settled": 0,
                 "msgs": [{"kind": "snapshot", "n": 1, "reason": "restore", "rev": "r1", "text": "t", "blobs": {}}]})
    assert mode() == "MODE plain False"  # the restore reran the page itself: no fragment run, no st.rerun
    at.session_state["w"] = ("r1", "t2")
    at.run()
    assert mode() == "MODE fragment True"
    block = at.main.children[0]
    assert block.proto == plain_block and [c.type for c in block.children.values()] == ["bidi_component"]
    at.run()
    assert mode() == "MODE fragment True"  # still unconfirmed: still in the fragment
    store_report(at, value={"sid": sid, "i": "p1", "settled": 1, "msgs": [{"kind": "saved", "n": 2, "seq": 1, "rev": "r2"}]})
    at.run()
    assert mode() == "MODE plain False" and not at.exception
