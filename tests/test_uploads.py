"""Bring-your-own notes: limits, clear errors, no disk writes, sanitised rendering."""

from __future__ import annotations

import builtins
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.notes import Note
from explorer.render import render_note
from explorer.uploads import MAX_UPLOAD_BYTES, MAX_UPLOADS, UploadError, read_upload, read_uploads


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
