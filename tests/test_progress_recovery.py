"""ui.progress under AppTest, with the browser's reports injected as the store component's trigger:
what the session writes back over a stored value it could not read in full (a backup first, or
nothing at all), and the outcome of an import or a restore.  Chromium: tests/test_browser_recovery.py."""

from __future__ import annotations

import json

import pytest

from components.browser_store.wire import MAX_BACKUP_CHARS, Backup
from explorer.study import card_state as cs
from explorer.study import store as S
from explorer.study import store_model
from tests.apptest_util import store_report

APP = """
import streamlit as st
from explorer.study import store as S
from ui import progress

def _mark():
    progress.update(lambda s: S.mark_read(s, "kaizen", "extra", True, progress.now()))

st.button("mark", on_click=_mark)
st.button("import", on_click=lambda: progress.import_text(st.session_state["data"], "the file"))
st.button("restore", on_click=lambda: progress.restore_backup(st.session_state["backup_id"]))
st.text("NOTICE " + str(progress.storage_notice()))
progress.sync()
st.text("NOTICES " + json.dumps(progress.pop_notices()))
st.text("RESULT " + json.dumps(st.session_state.pop(progress.RESULT, None)))
st.text("READ " + json.dumps(sorted(f"{n}/{s}" for n, secs in S.sections_read(progress.learner()).items() for s in secs)))
"""


def _text(at, prefix: str):
    """The value after ``prefix`` on the app's line starting with it (JSON, except the storage notice)."""
    line = next(t.value for t in at.text if t.value.startswith(prefix + " "))[len(prefix) + 1:]
    return line if prefix == "NOTICE" else json.loads(line)


def _ops(at) -> list[dict]:
    return json.loads(at.get("bidi_component")[0].proto.bytes)["ops"]


@pytest.fixture
def app(tmp_path):
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "app.py"
    script.write_text("import json\n" + APP)
    return AppTest.from_file(str(script)).run()


def _restore(at, text, backups=()):
    store_report(at, [{"kind": "snapshot", "n": 1, "reason": "restore", "rev": "r1", "text": text, "blobs": {},
                  "idb": True, "backups": list(backups)}])


GOOD = S.mark_read(S.mark_read(S.empty(), "kaizen", "what", True, cs.EARLIEST), "kaizen", "why", True, cs.EARLIEST)


def _damaged() -> str:
    doc = json.loads(S.dump(GOOD))
    doc["reading"]["kaizen"]["bad"] = ["2026-01-01T00:00:00Z", "yes"]
    return json.dumps(doc)


def test_a_damaged_value_is_replaced_only_by_a_write_that_keeps_a_backup(app):
    _restore(app, _damaged())
    notices = " ".join(_text(app, "NOTICES"))
    assert "reading mark “kaizen” › “bad”" in notices and "dated backup" in notices
    assert _text(app, "READ") == ["kaizen/what", "kaizen/why"]
    (op,) = _ops(app)
    assert (op["op"], op["base"], op.get("backup")) == ("write", "r1", True)
    assert S.load(op["text"]).store == GOOD
    # once the browser confirms it, later writes no longer ask for a backup
    store_report(app, [{"kind": "saved", "n": 2, "seq": op["seq"], "rev": "r2"}], settled=op["seq"])
    app.button[0].click().run()
    (op2,) = _ops(app)
    assert op2["base"] == "r2" and "backup" not in op2


def test_a_text_that_cannot_be_read_at_all_is_not_written_over_until_there_is_something_to_save(app):
    _restore(app, S.dump(GOOD)[:40])
    assert "not valid JSON" in " ".join(_text(app, "NOTICES"))
    assert _ops(app) == []  # an empty session has nothing to put in its place
    app.button[0].click().run()
    (op,) = _ops(app)
    assert op.get("backup") is True and op["base"] == "r1"


def _newer() -> str:
    return json.dumps({**json.loads(S.dump(GOOD)), "streak": 3})


def _too_long_to_back_up() -> str:
    doc = json.loads(_damaged())  # damaged, so replacing it needs a backup, and longer than a backup may be
    doc["assessments"] = [{"id": "a", "at": "2026-01-01T00:00:00Z", "code": "v1.x", "label": "x" * MAX_BACKUP_CHARS}]
    return json.dumps(doc)


@pytest.mark.parametrize("make, notice", [(_newer, "saved by a newer version"), (_too_long_to_back_up, "too long")])
def test_a_value_that_must_not_be_overwritten_is_never_written_over(app, make, notice):
    _restore(app, make())
    app.button[0].click().run()  # a change in this session
    assert _ops(app) == [] and notice in _text(app, "NOTICE")
    assert "kaizen/extra" in _text(app, "READ")  # the session keeps working


def test_an_import_keeps_what_it_can_read_and_says_what_a_cap_left_out(app, monkeypatch):
    _restore(app, None)
    more, _ = S.mark_many(S.empty(), "other", ["s", "t", "u"], True, cs.EARLIEST)  # 3 more marks
    monkeypatch.setattr(store_model, "MAX_MARKS", 3)
    app.session_state["data"] = _damaged().encode()
    app.button[1].click().run()
    kind, message, notices = _text(app, "RESULT")
    assert kind == "success" and "Loaded the file (what could be read of it): merged" in message
    assert any("“kaizen” › “bad”" in n for n in notices)
    app.session_state["data"] = S.dump(more)  # with the 2 imported before: 5, of which 3 are kept
    app.button[1].click().run()
    kind, message, notices = _text(app, "RESULT")
    assert kind == "success" and notices == ["To stay within what this browser keeps, the oldest were left out: "
                                             "2 reading marks."]
    app.session_state["data"] = S.dump(GOOD)[:30]
    app.button[1].click().run()
    kind, message, _ = _text(app, "RESULT")
    assert kind == "error" and "not valid JSON" in message and "Your current progress is unchanged" in message


def test_restoring_a_backup_merges_what_can_be_read_of_it(app):
    backup = {"id": "b1", "at": "2026-03-02T09:15:00.000Z", "text": _damaged(), "raw": False}
    _restore(app, None, [backup])
    assert _text(app, "READ") == []
    app.session_state["backup_id"] = "b1"
    app.button[2].click().run()
    kind, message, notices = _text(app, "RESULT")
    assert kind == "success" and message.startswith("Loaded the backup of 2026-03-02 09:15 UTC (what could be read")
    assert _text(app, "READ") == ["kaizen/what", "kaizen/why"]
    app.session_state["backup_id"] = "gone"
    app.button[2].click().run()
    assert _text(app, "RESULT")[0] == "error"


def test_backup_labels_read_the_browsers_time():
    from ui.progress import backup_label

    assert backup_label(Backup("b", "2026-03-02T09:15:59.123Z", "", False)) == "2026-03-02 09:15 UTC"
    assert backup_label(Backup("b", "yesterday", "", False)) == "yesterday"


def test_a_clean_restore_is_the_sessions_progress_as_it_is_with_no_dump_and_no_write(app, monkeypatch):
    """Issue #20 (the restore at the 5 MB cap): a session's first restore of a text that reads cleanly takes that
    store as it is; dumping up to 5 MB again only to find the same text (about 0.1 s) is not done, nor a write."""
    dumps: list[int] = []
    real = S.dump
    monkeypatch.setattr(S, "dump", lambda store: dumps.append(1) or real(store))
    _restore(app, real(GOOD))
    assert _text(app, "READ") == ["kaizen/what", "kaizen/why"] and _text(app, "NOTICES") == []
    assert _ops(app) == [] and dumps == []
    app.button[0].click().run()  # the first change is dumped and written over the restored revision
    (op,) = _ops(app)
    assert op["base"] == "r1" and len(dumps) == 1
    assert S.sections_read(S.load(op["text"]).store)["kaizen"] == {"what", "why", "extra"}


def test_a_restore_into_a_session_with_changes_merges_and_writes_the_merge(app):
    app.button[0].click().run()  # a change before the browser answered
    _restore(app, S.dump(GOOD))
    assert _text(app, "READ") == ["kaizen/extra", "kaizen/what", "kaizen/why"]
    (op,) = _ops(app)
    assert op["base"] == "r1" and S.sections_read(S.load(op["text"]).store)["kaizen"] == {"what", "why", "extra"}
