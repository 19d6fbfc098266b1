"""Progress that lost its listing of the uploads lists them again from the texts the browser keeps (#23): a
note imported with its folder comes back in that folder (its path is kept beside its text, a
``vault-path-`` blob), a path that leaves the folder is not trusted, and a note without one keeps its name.
AppTest, with the browser's report injected as the store component's trigger."""

from __future__ import annotations

import json

import pytest

from explorer.limits import LIMITS, NOTE_PATH_BLOB_PREFIX, check_blobs
from explorer.notes.vault_import import note_path_blob, read_note_path_blob
from explorer.study import card_state as cs
from explorer.study import store as S
from tests.apptest_util import store_report

APP = """
import json
import streamlit as st
from ui import progress
from ui.notes_view import uploaded_notes

progress.sync()
st.text("NOTICES " + json.dumps(progress.pop_notices()))
st.text("NAMES " + json.dumps({k: v.name for k, v in progress.kept_notes().items()}))
st.text("FOLDERS " + json.dumps({n.id: n.folder for n in uploaded_notes()}))
"""

CV = "upload-cross-validation"


def _text(at, prefix: str):
    return json.loads(next(t.value for t in at.text if t.value.startswith(prefix + " "))[len(prefix) + 1:])


@pytest.fixture
def app(tmp_path):
    from streamlit.testing.v1 import AppTest

    script = tmp_path / "app.py"
    script.write_text(APP)
    return AppTest.from_file(str(script)).run()


def _damaged() -> str:
    """A progress text with one invalid record and no listing of the uploads."""
    doc = json.loads(S.dump(S.mark_read(S.empty(), "kaizen", "what", True, cs.EARLIEST)))
    doc["reading"]["kaizen"]["bad"] = ["2026-01-01T00:00:00Z", "yes"]
    return json.dumps(doc)


def test_notes_listed_again_keep_the_folder_they_were_imported_in(app):
    blobs = {
        CV: "# Cross Validation\n\nFolds of the data.\n",
        NOTE_PATH_BLOB_PREFIX + CV: "Lectures/3/Notes/Cross Validation.md",
        "upload-plain": "# Plain\n\nAn upload of one file.\n",
        "upload-evil": "# Evil\n\nIts path leaves the folder.\n",
        NOTE_PATH_BLOB_PREFIX + "upload-evil": "../../outside/Evil.md",
    }
    store_report(app, [{"kind": "snapshot", "n": 1, "reason": "restore", "rev": "r1", "text": _damaged(), "blobs": blobs,
                   "idb": True, "backups": []}])
    assert not app.exception
    said = [n.replace("\\", "") for n in _text(app, "NOTICES")]  # made inert for Markdown
    assert any(n.startswith("3 uploaded note(s) whose listing was lost were listed again") for n in said), said
    assert _text(app, "NAMES") == {CV: "Lectures/3/Notes/Cross Validation.md", "upload-evil": "evil.md",
                                   "upload-plain": "plain.md"}
    assert _text(app, "FOLDERS") == {CV: "Lectures/3/Notes", "upload-evil": "", "upload-plain": ""}


def test_a_path_blob_is_checked_again_when_the_browser_gives_it_back():
    assert note_path_blob(CV, "Lectures/3/Notes/Cross Validation.md") == (
        NOTE_PATH_BLOB_PREFIX + CV, "Lectures/3/Notes/Cross Validation.md")
    assert read_note_path_blob("Lectures/3/Notes/Cross Validation.md") == "Lectures/3/Notes/Cross Validation.md"
    for bad in ("../x.md", "/abs/x.md", "C:/x.md", "a/.obsidian/x.md", "a/picture.png", "a/\x01.md", 42, None,
                "a/" * 150 + "x.md"):
        assert read_note_path_blob(bad) is None, bad


def test_path_blobs_take_no_room_from_the_notes():
    notes = {f"upload-n{i}": "# N\n" for i in range(LIMITS.notes)}
    paths = {NOTE_PATH_BLOB_PREFIX + k: f"F/{k}.md" for k in notes}
    kept, refused = check_blobs({**notes, **paths, NOTE_PATH_BLOB_PREFIX + "long": "a" * 5000}, [])
    assert set(kept) == set(notes) | set(paths)
    assert refused == {NOTE_PATH_BLOB_PREFIX + "long": "too-big"}

