"""Bring-your-own notes: limits, clear errors, no disk writes, sanitised rendering."""

from __future__ import annotations

import builtins
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.notes.note import Note
from explorer.notes.render import render_note
from explorer.notes.uploads import MAX_UPLOAD_BYTES, MAX_UPLOADS, UploadError, read_upload, read_uploads


def test_a_good_upload_becomes_a_prefixed_note():
    note = read_upload("Week 3 notes.md", "# Drift\nData drift happens.\n## Détails\nàéî\n".encode())
    assert isinstance(note, Note)
    assert note.id == "upload-week-3-notes" and note.source == "upload" and note.filename == "Week 3 notes.md"
    # the leading heading is the title (shown once), the others are sections with GitHub ids
    assert note.title == "Drift" and [s.id for s in note.sections] == ["détails"]


def test_front_matter_id_is_prefixed_once():
    note = read_upload("x.md", b"---\nid: kaizen\ntitle: Mine\n---\n# A\n")
    assert note.id == "upload-kaizen" and note.title == "Mine"  # never collides with the shipped 'kaizen'
    assert read_upload("y.md", b"---\nid: upload-mine\n---\ntext").id == "upload-mine"


def test_bom_crlf_and_other_extensions_are_fine():
    note = read_upload("n.markdown", b"\xef\xbb\xbf# T\r\ntext\r\n")
    assert note.title == "T" and "\ufeff" not in note.body and "\r" not in note.body
    assert read_upload("plain.TXT", b"just text").id == "upload-plain"


def test_folders_in_the_name_are_dropped():
    note = read_upload("../../etc/passwd.md", b"# x")
    assert note.filename == "passwd.md" and note.id == "upload-passwd"
    assert read_upload("C:\\Users\\me\\notes.md", b"# x").filename == "notes.md"


def test_too_big():
    with pytest.raises(UploadError) as err:
        read_upload("huge.md", b"a" * (MAX_UPLOAD_BYTES + 1))
    msg = str(err.value)
    assert msg.startswith("huge.md:") and "too big" in msg and "200 kB" in msg
    assert read_upload("edge.md", b"a" * MAX_UPLOAD_BYTES).id == "upload-edge"


def test_not_utf8():
    with pytest.raises(UploadError) as err:
        read_upload("latin1.md", "Café crème".encode("latin-1"))
    assert str(err.value).startswith("latin1.md:") and "not UTF-8" in str(err.value)
    with pytest.raises(UploadError, match="UTF-8"):
        read_upload("utf16.md", "# hi".encode("utf-16"))


@pytest.mark.parametrize("data", [b"%PDF-1.4\x00\x01\x02", b"# ok\x00", b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 5])
def test_binary_files_are_refused(data):
    with pytest.raises(UploadError, match="binary"):
        read_upload("sneaky.md", data)


@pytest.mark.parametrize("name", ["report.pdf", "page.html", "script.js", "notes", "notes.md.exe", "image.png", ""])
def test_wrong_extension(name):
    with pytest.raises(UploadError) as err:
        read_upload(name, b"# text")
    assert "not a Markdown file" in str(err.value) and ".md" in str(err.value)
    assert str(err.value).split(":")[0] == (name or "(unnamed file)")


def test_empty_file():
    with pytest.raises(UploadError, match="empty"):
        read_upload("e.md", b"  \n ")


def test_bad_front_matter_keeps_the_note_with_a_notice():
    note = read_upload("broken.md", b"---\ntitle: [oops\n---\nbody")
    assert note.id == "upload-broken" and "body" in render_note(note)
    assert any("not valid YAML" in n.message and n.line == 3 for n in note.notices)


def test_control_characters_in_the_name_are_not_echoed():
    with pytest.raises(UploadError) as err:
        read_upload("evil\x1b[31m.pdf", b"x")
    assert "\x1b" not in str(err.value)


def test_script_injection_in_an_upload_is_sanitised():
    data = (b"# Title <script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n"
            b"[click](javascript:alert(1))\n\n<iframe src=https://evil></iframe>\n\n<b>kept</b>\n")
    note = read_upload("attack.md", data)
    html = render_note(note).lower()
    assert "<script" not in html and "onerror" not in html and "<iframe" not in html
    assert not re.search(r'(?:href|src)="\s*javascript:', html)  # the link is shown as text, not followed
    assert "<b>kept</b>" in html


def test_nothing_is_written_to_disk(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("an upload must not touch the filesystem")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(os, "open", refuse)
    note = read_upload("mem.md", b"---\ntitle: In memory\n---\n# A\ntext ![f](figures/x.png)\n")
    assert note.title == "In memory"


def test_read_uploads_collects_errors_and_makes_ids_unique():
    files = [("a.md", b"# one"), ("A.md", b"# two"), ("bad.pdf", b"x"), ("kaizen.md", b"# k"), ("a.md", b"# three")]
    results = read_uploads(files, existing_ids=["kaizen", "upload-kaizen"])
    assert [r.id if not isinstance(r, UploadError) else r.filename for r in results] == [
        "upload-a", "upload-a-2", "bad.pdf", "upload-kaizen-2", "upload-a-3"]
    many = [(f"n{i}.md", b"# x") for i in range(MAX_UPLOADS + 2)]
    results = read_uploads(many)
    errors = [r for r in results if isinstance(r, UploadError)]
    assert len(results) - len(errors) == MAX_UPLOADS and len(errors) == 2 and "at most" in str(errors[0])


def test_upload_error_is_a_value_error_with_parts():
    err = UploadError("f.md", "reason")
    assert isinstance(err, ValueError) and err.filename == "f.md" and err.reason == "reason" and str(err) == "f.md: reason"


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.binary(max_size=600))
def test_any_upload_gives_a_note_or_an_upload_error(name, data):
    try:
        note = read_upload(name, data)
    except UploadError as exc:
        assert str(exc)
        return
    assert note.source == "upload" and note.id.startswith("upload-")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=500))
def test_any_markdown_text_gives_a_note_or_an_upload_error(text):
    try:
        note = read_upload("t.md", text.encode("utf-8", "surrogatepass"))
    except UploadError:
        return
    assert note.id.startswith("upload-")
    assert "<script" not in render_note(note).lower()


# --------------------------------------------------------------------------- notes this browser gives back (AppTest)
def _kept_in_browser(notes: dict[str, tuple[str, str]]):
    """A stored progress text listing ``notes`` (id -> (file name, text)) in the order given, and their texts."""
    import datetime as dt

    from explorer.study import store as S

    t0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    s = S.empty()
    for i, (nid, (name, text)) in enumerate(notes.items()):
        s = S.add_note(s, nid, name, len(text.encode("utf-8", "surrogatepass")), t0 + dt.timedelta(minutes=i))
    return S.dump(s), {nid: text for nid, (_, text) in notes.items()}


def _store_element(at):
    return next(e for e in at.get("bidi_component") if e.proto.component_name == "browser_store")


def _restore(at, text: str, blobs: dict[str, str]):
    """Rerun ``at`` as if store.js sent its first snapshot (the trigger value it sends, as the browser does)."""
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    element = _store_element(at)
    sid = json.loads(element.proto.bytes)["sid"]
    value = {"sid": sid, "i": "p1", "settled": 0, "msgs": [
        {"kind": "snapshot", "n": 1, "reason": "restore", "rev": "r1", "text": text, "notice": None,
         "external": False, "blobs": blobs, "idb": True}]}
    states = at._tree.get_widget_states()
    states.widgets.append(WidgetState(id=f"$$STREAMLIT_INTERNAL_KEY_{element.proto.id}__events",
                                      json_trigger_value=json.dumps([{"event": "report", "value": value}])))
    at._run(states)
    return at


def _restore_notice(at) -> str:
    return "\n".join(w.value for w in at.warning if "kept in this browser" in w.value).replace("\\", "")


def test_restore_keeps_the_first_added_within_the_limits_names_the_rest_and_parses_once(monkeypatch):
    import json

    import ui.notes_view as nv
    from tests.apptest_util import no_exception, open_page

    body = "## Part\n\n" + "Notes about pipelines and drift. " * 6000
    notes = {f"upload-n{i:02d}": (f"n{i:02d}.md", f"# Note {i}\n\n" + body[: MAX_UPLOAD_BYTES - 20]) for i in range(30)}
    text, blobs = _kept_in_browser(notes)
    parsed = []
    real = nv.read_upload
    monkeypatch.setattr(nv, "read_upload", lambda name, data, path=None: parsed.append(name) or real(name, data, path=path))
    at = _restore(open_page("pages/1_Notes.py"), text, blobs)
    no_exception(at)
    restored = at.session_state["uploaded_notes"]
    assert sorted(restored) == [f"upload-n{i:02d}" for i in range(10)]  # 2 MB: the ten added first
    notice = _restore_notice(at)
    assert notice.startswith("20 notes kept in this browser were not restored. They stay in this browser, untouched")
    names = ", ".join(f"n{i:02d}.md" for i in range(10, 30))  # named, grouped by reason
    assert f"- {names}: this session's notes may take at most 2 MB together." in notice
    assert len(parsed) == 10
    at.run()
    at.query_params["note"] = "upload-n03"
    at.run()
    no_exception(at)
    assert len(parsed) == 10, "a rerun must not parse the notes again"
    assert _restore_notice(at), "the notice stays while notes are not restored"
    # nothing the browser keeps is deleted or rewritten: no blob operation goes to the browser
    ops = json.loads(_store_element(at).proto.bytes)["ops"]
    assert not [op for op in ops if op["op"] in ("blobs", "clear")], ops


def test_restore_names_unreadable_and_missing_notes_and_takes_long_names():
    from tests.apptest_util import no_exception, open_page

    long_name = "Week 4 " + "a very long file name " * 6 + "end.md"
    notes = {"upload-binary": ("binary.md", "\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 5),
             "upload-gone": ("gone.md", "never stored"),
             "upload-long": (long_name, "## Long\n\nkept\n"),
             "upload-fine": ("fine.md", "## Fine\n\nok\n")}
    text, blobs = _kept_in_browser(notes)
    del blobs["upload-gone"]  # listed in the progress, its text not in IndexedDB (or not text there)
    at = _restore(open_page("pages/1_Notes.py"), text, blobs)
    no_exception(at)
    assert sorted(at.session_state["uploaded_notes"]) == ["upload-fine", "upload-long"]
    notice = _restore_notice(at)
    assert notice.startswith("2 notes kept in this browser were not restored")
    assert "- binary.md: looks like a binary file" in notice
    assert "- gone.md: its text is not in this browser's storage (IndexedDB), or is not text." in notice
    assert "a very long file name" in "\n".join(e.proto.body for e in at.get("html"))  # listed in the reader


def test_an_upload_never_takes_the_id_of_a_kept_note_that_was_not_restored():
    import json

    from tests.apptest_util import no_exception, open_page

    notes = {f"upload-n{i:02d}": (f"n{i:02d}.md", f"## N{i}\n\ntext {i}\n") for i in range(MAX_UPLOADS + 1)}
    text, blobs = _kept_in_browser(notes)
    at = _restore(open_page("pages/1_Notes.py"), text, blobs)
    assert "upload-n20" not in at.session_state["uploaded_notes"]  # the 21st: not restored, kept in the browser
    at.run()
    at.query_params["note"] = "upload-n00"
    at.run()
    # room for one more: n20's text was not kept in this session's memory (the store keeps the limits), so the
    # room goes to a new upload of the same file name, which must not overwrite n20's text in the browser
    at.button(key="remove::upload-n00").click().run()
    at.file_uploader(key="note_uploads").set_value([("n20.md", b"## Another n20\n", "text/markdown")])
    at.run()
    no_exception(at)
    ops = json.loads(_store_element(at).proto.bytes)["ops"]
    put = {k for op in ops if op["op"] == "blobs" for k in op["put"]}
    assert put == {"upload-n20-2"} and "upload-n20-2" in at.session_state["uploaded_notes"]


def test_an_upload_reads_the_head_only_and_is_parsed_once_when_opened():
    """Issue #20: an upload (or a restore) reads front matter and title and checks the limits; the body is parsed
    when the note is first opened, once."""
    from explorer.notes.note import parse_count
    from explorer.notes.uploads import is_opened

    text = ("---\ntitle: Week 3 notes\ntags: [drift]\n---\n# Week 3 notes\n\n## Monitoring\n\nWatch for zebracorn drift.\n"
            + "\n".join(f"- item {i}" for i in range(500)) + "\n")
    before = parse_count()
    note = read_upload("week3.md", text.encode())
    assert (note.title, note.tags, note.id) == ("Week 3 notes", ("drift",), "upload-week3")
    assert parse_count() == before and not note.parsed and not is_opened(note)
    assert [s.title for s in note.sections] == ["Monitoring"]  # opened: parsed now
    assert parse_count() == before + 1 and is_opened(note)
    note.sections, note.cards, note.intro_text  # noqa: B018 - read again: no second parse
    assert parse_count() == before + 1


# --------------------------------------------------------------------------- heads of notes with a large first block
_TABLE = "| a | b |\n|---|---|\n" + "| *x* | [y](u) |\n" * 1500  # 25 kB of table, no blank line: one block
LARGE_FIRST_BLOCKS = {  # name -> (text, read from its first lines only)
    "table": (_TABLE, True),
    "list": ("- item *a*\n" * 3000, True),
    "paragraph": ("Prose about drift and *pipelines*.\n" * 800, True),
    "title then table": ("# Week 3\n" + _TABLE, True),
    "setext title then table": ("Week 3\n===\n" + _TABLE, True),
    "front matter then table": ("---\ntitle: Fm\n---\n" + _TABLE, True),
    "one long line": ("*a* " * 4000 + "\n\n# Later\n", True),
    "one long title line": ("# " + "word " * 2000 + "\n\nText.\n", True),
    "underline at the end": ("Prose line.\n" * 800 + "===\n\nText.\n", False),  # a 800-line setext title
    "definition first": ("[r]: https://example.org\n# Title\n" + _TABLE, True),
    "definition then a title using it": ("[r]: https://example.org\n# Title [r]\n" + _TABLE, False),
    "footnote first": ("[^1]: A note\n" + "more of it\n" * 40 + "# Title\n" + _TABLE, False),
    "reference in the title": ("# A [linked][r] title\n" + _TABLE + "\n[r]: https://example.org\n", False),
}


@pytest.mark.parametrize("name", sorted(LARGE_FIRST_BLOCKS))
def test_a_large_first_block_is_read_from_its_first_lines_with_the_full_parses_title(name, monkeypatch):
    """Issue #20: an upload or a restore reads each note's head; a note whose first block is 25 kB of table took a
    0.2 s parse of that block (20 of them: 3.5 s for one action).  The head reads a few lines when what follows
    cannot change the title, and gives what the full parse gives either way."""
    import explorer.notes.note_head as nh
    from explorer.notes.note import parse_note, scan_note

    text, cheap = LARGE_FIRST_BLOCKS[name]
    parsed: list[int] = []
    real = nh.parse_document
    monkeypatch.setattr(nh, "parse_document", lambda t: parsed.append(len(t)) or real(t))
    head = scan_note(text, "week-3.md")
    monkeypatch.undo()
    full = parse_note(text, "week-3.md")
    assert (head.title, head.title_heading, head.front_matter_lines) == (full.title, full.title_heading,
                                                                        full.doc.front_matter_lines)
    if cheap:
        assert sum(parsed) <= 2_000 + len(text.split("\n", 1)[0]) + 20, parsed  # its first lines only
    else:
        assert sum(parsed) >= len(text) // 2  # read as before: what follows may change the title


def test_a_restore_of_notes_with_large_first_blocks_parses_none_of_them():
    """Restoring (or uploading) the session's 20 notes, each a 25 kB table: no note is parsed until it is opened,
    and the heads read 20 x a few lines (a counted bound, not a timing)."""
    import explorer.notes.md.document as document
    from explorer.notes.note import parse_count

    calls: list[int] = []
    real = document.parse_document

    def counting(text):
        calls.append(len(text))
        return real(text)

    import explorer.notes.note_head as nh

    nh.parse_document, before = counting, parse_count()
    try:
        notes = read_uploads([(f"t{i:02d}.md", _TABLE.encode()) for i in range(MAX_UPLOADS)])
    finally:
        nh.parse_document = real
    assert all(isinstance(n, Note) and not n.parsed for n in notes)
    assert parse_count() == before
    assert sum(calls) <= MAX_UPLOADS * 2_000, f"{sum(calls):,} characters parsed for {len(notes)} heads"
