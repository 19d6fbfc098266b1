"""Bring the whole folder (#23), in the real app and real Chromium.

- A .zip of a small vault (notes in three levels of folders, a PNG and an SVG in a sibling Images/ folder
  referenced with ``../``) is imported on the Notes page: the notes show in the tree under their folders,
  a note shows its images, and after a reload (a new session: what a server restart gives too) the notes
  and images come back from this browser's IndexedDB.
- A zip bomb and a path-traversal zip each get a notice naming the file and the reason, and the page keeps
  working (the next import still works).
"""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image as PILImage

from tests.e2e_util import PageWatch, goto, profile, wait_for_app, wait_stored

pytestmark = pytest.mark.browser

READ_IDB_KEYS = """async () => {
  const db = await new Promise((ok, bad) => { const r = indexedDB.open('mlops-explorer/store'); r.onsuccess = () => ok(r.result); r.onerror = () => bad(r.error); });
  const tx = db.transaction('blobs', 'readonly');
  const keys = await new Promise((ok) => { const q = tx.objectStore('blobs').getAllKeys(); q.onsuccess = () => ok(q.result); });
  db.close(); return keys;
}"""


@pytest.fixture(scope="module")
def server(app_server):
    return app_server


def _png(width: int, height: int) -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (width, height), (20, 120, 140)).save(buf, "PNG")
    return buf.getvalue()


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return buf.getvalue()


VAULT = {
    "Course/Home.md": b"# Course home\n\nStart with [[Lecture 1]].\n",
    "Course/Lectures/1/Lecture 1.md": b"# Lecture 1\n\nA picture:\n\n![The pipeline diagram](../../Images/pipeline.png)\n\n"
                                      b"![The flow](../../Images/flow.svg)\n",
    "Course/Lectures/1/Quiz/Quiz 1.md": b"# Quiz 1\n\nWhat is drift?\n",
    "Course/Images/pipeline.png": _png(120, 60),
    "Course/Images/flow.svg": b'<svg xmlns="http://www.w3.org/2000/svg" width="80" height="40"><script>alert(1)</script>'
                              b'<rect width="80" height="40" fill="teal" onload="alert(2)"/></svg>',
}


def _import(page, tmp_path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    expander = page.get_by_text("Add your own notes")
    if not page.get_by_text("A .zip of notes and images").is_visible():
        expander.click()
    uploader = page.get_by_test_id("stFileUploader").filter(has_text="A .zip of notes and images")
    uploader.locator("input[type=file]").set_input_files(str(path))
    wait_for_app(page)


def _open(page, folders: tuple[str, ...], title: str) -> None:
    """Open a note of the uploads' tree: unfold its folders (clicks on their toggles), then follow its link."""
    nav = page.locator(".note-tree")
    for label in ("Your uploads", *folders):
        summary = nav.locator(f"summary:has(span.tree-name:text-is('{label}'))").first
        if summary.locator("xpath=..").get_attribute("open") is None:
            summary.click()
    nav.get_by_role("link", name=title, exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name=title).first.wait_for()


def _open_lecture(page) -> None:
    _open(page, ("Course", "Lectures", "1"), "Lecture 1")


def _images(page) -> list[tuple[str, int]]:
    page.locator(".note-body img").first.wait_for(timeout=30_000)
    return page.locator(".note-body img").evaluate_all(
        "els => els.map(e => [e.alt, e.complete ? e.naturalWidth : -1, e.src.slice(0, 22)])")


def test_a_zip_of_a_vault_is_read_with_its_folders_and_images_and_comes_back_after_a_reload(pw, server, tmp_path):
    with profile(pw, timeout_ms=30_000) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        goto(page, f"{server.url}/Notes")
        _import(page, tmp_path, "course.zip", _zip(VAULT))
        page.get_by_text("Imported 3 notes and 2 images from course.zip.").wait_for()
        _open_lecture(page)
        # the breadcrumb names its folders (its caption is drawn after the title the test waited for)
        page.wait_for_function("t => document.querySelector(\"[data-testid='stMain']\").innerText.split(/\\s+/).join(' ')"
                               ".includes(t)", arg="Your uploads Course Lectures 1 Lecture 1 your upload", polling=100)
        images = _images(page)
        assert [(alt, width) for alt, width, _ in images] == [("The pipeline diagram", 120), ("The flow", 80)]
        assert [src for _, _, src in images] == ["data:image/png;base64,", "data:image/svg+xml;bas"]

        # the notes are listed in this browser's progress before the new tab loads (a debounced write: a fixed wait
        # can end before it on a busy machine); the texts and images went to IndexedDB before it, in order
        wait_stored(page, '"upload-quiz-1":', timeout=20_000)
        keys = page.evaluate(READ_IDB_KEYS)
        assert sum(k.startswith("vault-img-") for k in keys) == 2
        assert {"upload-home", "upload-lecture-1", "upload-quiz-1"} <= set(keys)

        tab = ctx.new_page()  # a new session of the same browser (as after a reload or a server restart)
        goto(tab, f"{server.url}/Notes")
        tab.locator(".note-tree").get_by_text("Your uploads").wait_for(timeout=30_000)
        _open_lecture(tab)
        assert [(alt, width) for alt, width, _ in _images(tab)] == [("The pipeline diagram", 120), ("The flow", 80)]
        assert "alert" not in tab.locator(".note-body").inner_html()
        assert not watch.problems(), watch.problems()


def test_a_zip_bomb_and_a_traversal_zip_get_a_notice_and_the_page_keeps_working(pw, server, tmp_path):
    with profile(pw, timeout_ms=30_000) as ctx:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        goto(page, f"{server.url}/Notes")

        _import(page, tmp_path, "bomb.zip", _zip({"bomb.md": b"0" * 60_000_000}))
        notice = page.get_by_test_id("stAlertContentWarning").filter(has_text="bomb.zip: nothing was imported")
        notice.wait_for()
        assert "would unpack to 60 MB" in notice.inner_text()

        _import(page, tmp_path, "escape.zip", _zip({"../../evil.md": b"# Evil\n", "fine/Fine note.md": b"# Fine note\n"}))
        page.get_by_text("Imported 1 note and 0 images from escape.zip.").wait_for()
        notice = page.get_by_test_id("stAlertContentWarning").filter(has_text="escape.zip: 1 file was left out")
        notice.wait_for()
        assert "../../evil.md: its path is absolute or leaves the imported folder" in notice.inner_text()
        # the tree of the import's run (drawn after its notices) has the fine note's folder, not the one left out
        page.locator(".note-tree summary:has(span.tree-name:text-is('fine'))").first.wait_for(state="attached")
        assert page.locator(".note-tree").get_by_text("Evil").count() == 0

        # the page keeps working: the note that was fine opens
        _open(page, ("fine",), "Fine note")
        assert page.get_by_test_id("stException").count() == 0
        assert not watch.problems(), watch.problems()
