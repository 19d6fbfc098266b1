"""The study pack inlines the images an uploaded note was imported with (a folder or a .zip: the session's
images), under the same byte budget per note as the app; without them each is a placeholder naming the file."""

from __future__ import annotations

from explorer.notes import render
from explorer.notes.export import build_study_pack
from explorer.notes.uploads import read_upload
from explorer.notes.vault_import import Image

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 600
NOTE = b"# Lecture 1\n\nThe curve:\n\n![Loss curve](../Images/loss.png)\n\nThe plan:\n\n![Plan](../Images/plan.png)\n"
IMAGES = {"Course/Images/loss.png": Image("Course/Images/loss.png", "image/png", PNG),
          "Course/Images/plan.png": Image("Course/Images/plan.png", "image/png", PNG + b"\x01")}


def _note():
    return read_upload("Course/Lectures/Lecture 1.md", NOTE, path="Course/Lectures/Lecture 1.md")


def test_an_imported_notes_images_are_inlined_in_the_pack():
    doc = build_study_pack(None, notes=[_note()], images=IMAGES)
    assert doc.count('src="data:image/png;base64,') == 2
    assert 'class="missing-figure"' not in doc
    assert "Loss curve" in doc and "Plan" in doc


def test_without_the_sessions_images_each_is_a_placeholder_naming_the_file():
    doc = build_study_pack(None, notes=[_note()])
    assert "data:image/png" not in doc
    assert doc.count('class="missing-figure"') == 2 and "../Images/loss.png" in doc


def test_the_images_share_the_apps_byte_budget_per_note(monkeypatch):
    monkeypatch.setattr(render, "MAX_INLINE_BYTES", 1000)  # room for one of the two (each ~870 as base64)
    doc = build_study_pack(None, notes=[_note()], images=IMAGES)
    assert doc.count('src="data:image/png;base64,') == 1
    assert "too many images on this page to show them all" in doc


def test_a_shipped_note_never_reads_the_sessions_images():
    from explorer.notes.note import parse_note

    shipped = parse_note(NOTE.decode(), "Lecture 1.md", path="Course/Lectures/Lecture 1.md")
    doc = build_study_pack(None, notes=[shipped], images=IMAGES)
    assert "data:image/png" not in doc


def test_an_obsidian_embed_finds_its_image_by_name():
    note = read_upload("Course/Lectures/Lecture 2.md", b"# Lecture 2\n\n![[loss.png]]\n\n![[plan.png|120]]\n\n![[gone.png]]\n",
                       path="Course/Lectures/Lecture 2.md")
    doc = build_study_pack(None, notes=[note], images=IMAGES)
    assert doc.count('src="data:image/png;base64,') == 2 and 'width="120"' in doc
    assert doc.count('class="missing-figure"') == 1 and "gone.png" in doc
