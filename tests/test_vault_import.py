"""Bring the whole folder (#23): a folder or a .zip of notes and images, under limits, each refusal named."""

from __future__ import annotations

import io
import struct
import zipfile
from dataclasses import replace

import pytest

from explorer.limits import LIMITS
from explorer.notes.uploads import read_upload
from explorer.notes.vault_import import SvgError, clean_path, clean_svg, read_folder, read_zip

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SVG = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
       b'<script>alert(1)</script><rect width="10" height="10" fill="red" onload="alert(2)" '
       b'style="fill: url(http://evil.example/x)"/><foreignObject><div xmlns="http://www.w3.org/1999/xhtml">x</div>'
       b'</foreignObject><use xlink:href="http://evil.example/a.svg#x"/><use href="#local"/>'
       b'<a href="javascript:alert(3)"><text x="1" y="9">hi</text></a></svg>')

VAULT = {
    "Course/Home.md": b"# Home\n\nSee [[Lecture 1]] and ![[diagram.png]].\n",
    "Course/Lectures/1/Lecture 1.md": b"# Lecture 1\n\n![](../../Images/diagram.png)\n",
    "Course/Lectures/1/Quiz/Quiz.md": b"# Quiz\n\nWhat is drift?\n",
    "Course/Images/diagram.png": PNG,
    "Course/Images/flow.svg": SVG,
    "Course/.obsidian/app.json": b"{}",
    "Course/.DS_Store": b"\x00\x01",
    "__MACOSX/Course/._Home.md": b"\x00",
    "Course/data.csv": b"a,b\n",
}


def make_zip(files: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("reader", ["folder", "zip"])
def test_a_vault_comes_with_its_folders_and_images(reader):
    got = read_folder(VAULT.items()) if reader == "folder" else read_zip(make_zip(VAULT))
    assert [p for p, _ in got.notes] == ["Course/Home.md", "Course/Lectures/1/Lecture 1.md", "Course/Lectures/1/Quiz/Quiz.md"]
    assert sorted(got.images) == ["Course/Images/diagram.png", "Course/Images/flow.svg"]
    assert got.images["Course/Images/diagram.png"].data == PNG
    assert got.images["Course/Images/diagram.png"].mime == "image/png"
    # hidden files (.obsidian, .DS_Store, __MACOSX) are left out quietly; anything else is named
    assert [(r.name, r.reason) for r in got.refused] == [("1 file (Course/data.csv)", "not-imported")]


def test_an_imported_note_keeps_its_folder():
    got = read_folder(VAULT.items())
    path, data = got.notes[1]
    note = read_upload(path, data, path=path)
    assert note.folder == "Course/Lectures/1"
    assert note.title == "Lecture 1"
    assert note.source == "upload"


@pytest.mark.parametrize("name", ["../evil.md", "/etc/evil.md", "C:/Users/evil.md", "C:\\evil.md", "a/../../evil.md",
                                  "a/b/../../../evil.md", "\\\\server\\share\\evil.md"])
def test_paths_that_leave_the_folder_are_refused(name):
    assert clean_path(name) is None
    got = read_zip(make_zip({name: b"# Evil\n", "ok/fine.md": b"# Fine\n"}))
    assert [p for p, _ in got.notes] == ["ok/fine.md"]  # nothing else lost
    assert [r.reason for r in got.refused] == ["outside"]
    assert "leaves the imported folder" in got.refused[0].message


def test_a_dot_dot_inside_the_folder_is_normalised_only_when_it_stays_inside():
    assert clean_path("a/./b.md") == "a/b.md"
    assert clean_path("a/../b.md") is None  # never resolved: refused


def test_names_that_clash_keep_the_first():
    got = read_folder([("Notes/Drift.md", b"# One\n"), ("notes/drift.md", b"# Two\n"), ("Notes/Other.md", b"# Three\n")])
    assert [p for p, _ in got.notes] == ["Notes/Drift.md", "Notes/Other.md"]
    assert [(r.name, r.reason) for r in got.refused] == [("notes/drift.md", "clash")]
    assert "Notes/Drift.md" in got.refused[0].message


def test_a_zip_bomb_is_refused_by_its_declared_size_before_anything_is_read():
    bomb = make_zip({"bomb.md": b"0" * 60_000_000})
    assert len(bomb) < 200_000  # a small file ...
    got = read_zip(bomb, "bomb.zip")
    assert got.notes == () and got.images == {}  # ... nothing of it is read
    assert [(r.name, r.reason) for r in got.refused] == [("bomb.zip", "zip-bomb")]
    assert "would unpack to 60 MB" in got.refused[0].message


def test_a_zip_that_lies_about_its_sizes_is_read_no_further_than_it_declares():
    data = bytearray(make_zip({"small.md": b"# Small\n", "liar.md": b"x" * 100_000}))
    # shrink liar.md's uncompressed size in the central directory (and its local header) to 10 bytes
    for sig in (b"PK\x01\x02", b"PK\x03\x04"):
        start = 0
        while (at := data.find(sig, start)) >= 0:
            name_at = at + (46 if sig == b"PK\x01\x02" else 30)
            n = struct.unpack_from("<H", data, at + (28 if sig == b"PK\x01\x02" else 26))[0]
            if bytes(data[name_at:name_at + n]) == b"liar.md":
                struct.pack_into("<I", data, at + (24 if sig == b"PK\x01\x02" else 22), 10)
            start = at + 4
    got = read_zip(bytes(data), "liar.zip")
    assert all(p != "liar.md" for p, _ in got.notes)
    assert any(r.name in ("liar.md", "liar.zip") and r.reason in ("unreadable", "zip-bomb") for r in got.refused)


def test_too_many_files_and_too_big_images_are_named():
    limits = replace(LIMITS, import_files=3)
    files = [("img/big.png", b"\x89PNG" + b"0" * 200_000)] + [(f"n/{i}.md", b"# N\n") for i in range(5)]
    got = read_folder(files, limits)
    assert len(got.notes) == 3
    reasons = {r.reason: r for r in got.refused}
    assert "too-big" in reasons and reasons["too-big"].name == "img/big.png"
    assert "too-many" in reasons and "n/3.md" in reasons["too-many"].name and "at most 3 files" in reasons["too-many"].message


def test_the_unpacked_total_is_capped():
    limits = replace(LIMITS, import_bytes=250_000)
    got = read_folder([("a.md", b"a" * 150_000), ("b.md", b"b" * 150_000), ("c.md", b"c" * 50_000)], limits)
    assert [p for p, _ in got.notes] == ["a.md", "c.md"]
    assert [(r.name, r.reason) for r in got.refused] == [("b.md", "session-full")]


def test_a_zip_over_its_size_limit_or_not_a_zip_is_refused_with_a_reason():
    assert read_zip(b"not a zip at all", "x.zip").refused[0].reason == "not-zip"
    big = read_zip(b"0" * (LIMITS.zip_bytes + 1), "big.zip")
    assert big.refused[0].reason == "too-big" and big.notes == ()


def test_svg_is_reduced_to_an_allow_list():
    out = clean_svg(SVG).decode()
    for gone in ("script", "alert", "onload", "foreignObject", "evil.example", "javascript"):
        assert gone not in out, gone
    assert "<rect" in out and 'fill="red"' in out and 'href="#local"' in out and ">hi<" in out


def test_svg_with_entities_or_not_svg_is_refused():
    with pytest.raises(SvgError):
        clean_svg(b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>')
    with pytest.raises(SvgError):
        clean_svg(b"<html><script>alert(1)</script></html>")
    with pytest.raises(SvgError):
        clean_svg(b"<svg")
    got = read_folder([("img/bad.svg", b"<svg"), ("img/ok.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>')])
    assert list(got.images) == ["img/ok.svg"]
    assert [(r.name, r.reason) for r in got.refused] == [("img/bad.svg", "unreadable")]


def test_an_imported_note_shows_its_images_from_the_session():
    from explorer.notes.render import render_note

    got = read_folder(VAULT.items())
    path, data = got.notes[1]  # Course/Lectures/1/Lecture 1.md: ![](../../Images/diagram.png)
    note = read_upload(path, data, path=path)
    out = render_note(note, images=got.images)
    assert 'src="data:image/png;base64,' in out
    assert "missing-figure" not in out
    assert "missing-figure" in render_note(note)  # without the session's images: a placeholder, never a file read


def test_images_kept_in_the_browser_come_back_checked_again():
    from explorer.notes.vault_import import image_blob, read_image_blob

    img = read_folder(VAULT.items()).images["Course/Images/flow.svg"]
    blob_id, text = image_blob(img)
    assert blob_id.startswith("vault-img-")
    assert read_image_blob(text) == img
    assert read_image_blob(text.replace("Course/Images", "../../etc")) is None  # a path edited to leave the folder
    assert read_image_blob("{not json") is None
    evil = text.replace(img.path, "x/evil.svg")
    import base64
    import json
    value = json.loads(evil)
    value["data"] = base64.b64encode(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>').decode()
    assert b"onload" not in read_image_blob(json.dumps(value)).data  # cleaned again


def test_restored_images_are_kept_under_their_own_limits():
    from explorer.limits import check_blobs
    from explorer.notes.vault_import import Image, image_blob

    limits = replace(LIMITS, images=2)
    blobs = dict(image_blob(Image(f"i/{n}.png", "image/png", PNG)) for n in range(3))
    blobs["upload-note"] = "# A note\n"
    kept, refused = check_blobs(blobs, [], limits=limits)
    assert "upload-note" in kept  # notes are not counted with images
    assert sum(k.startswith("vault-img-") for k in kept) == 2
    assert list(refused.values()) == ["too-many"]


def test_a_zip_listing_too_many_files_is_refused_before_its_directory_is_read():
    many = make_zip({f"n/{i}.md": b"" for i in range(LIMITS.import_files * 4 + 1)}, zipfile.ZIP_STORED)
    got = read_zip(many, "many.zip")
    assert got.notes == () and [(r.name, r.reason) for r in got.refused] == [("many.zip", "zip-bomb")]
    assert f"it lists {LIMITS.import_files * 4 + 1:,} files" in got.refused[0].message
