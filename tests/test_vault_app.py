"""A vault while the app runs (#22, AppTest): an edit, an add, a rename and a delete show on the next run of the
Notes page, and each reads one file and parses at most that one note (counted, with the indexer idle first).

The app's content folder is a copy of the shipped content with a small generated vault (``ui.caches.CONTENT_DIR``
pointed at it for the test); the process's indexer follows it and is run to idle in the test's thread first, so
the only parse left is the changed note's.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from explorer.content.loader import NOTE_FILES
from explorer.notes.generated_vault import write_vault
from explorer.notes.note import parse_count
from tests.apptest_util import html_bodies, open_page, texts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def live_vault(tmp_path: Path, monkeypatch):
    import ui.caches

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    write_vault(root / "notes" / "vault", 30, seed=9, avg_bytes=3_000)
    monkeypatch.setattr(ui.caches, "CONTENT_DIR", root)
    return root


def _write(path: Path, text: str) -> None:
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, max(st.st_mtime_ns, old + 1_000_000)))


def _shown(at) -> str:
    return texts(at) + "\n".join(html_bodies(at))


def _idle() -> None:
    from ui.caches import get_content, indexer

    indexer().follow(get_content())
    indexer().run_until_idle()


def test_edit_add_rename_and_delete_show_on_the_next_run_and_cost_one_file(live_vault: Path):
    notes_dir = live_vault / "notes"
    target = sorted((notes_dir / "vault").rglob("*.md"))[3]
    at = open_page("pages/1_Notes.py")
    _idle()
    from ui.caches import get_content

    note_id = next(n.id for n in get_content().notes if n.path == target.relative_to(notes_dir).as_posix())
    at.query_params["note"] = note_id
    at.run()
    assert not at.exception

    def next_run(expect_reads: int, **params) -> int:
        _idle_before = parse_count()
        reads = NOTE_FILES.reads
        for k, v in params.items():
            at.query_params[k] = v
        at.run()
        assert not at.exception, at.exception
        assert NOTE_FILES.reads - reads == expect_reads
        return parse_count() - _idle_before

    # an edit: the new sentence is on the page, one file read, that note parsed once
    _write(target, target.read_text(encoding="utf-8") + "\nZanzibarquokka swims here.\n")
    assert next_run(1) == 1
    assert "Zanzibarquokka swims here." in _shown(at)
    # an add: the new note opens on the next run
    new = notes_dir / "vault" / "week-01" / "zz-live.md"
    _write(new, "---\ntitle: Added while running\nid: zz-live\n---\nQuokkaflux lives here.\n")
    assert next_run(1, note="zz-live") <= 1
    shown = _shown(at)
    assert "Added while running" in shown and "Quokkaflux lives here." in shown
    # a rename: same id, new folder; the old path is gone from the loader
    moved = notes_dir / "vault" / "week-02" / "zz-live.md"
    new.rename(moved)
    assert next_run(1) <= 1
    assert "Quokkaflux lives here." in _shown(at)
    assert [n.path for n in get_content().notes if n.id == "zz-live"] == ["vault/week-02/zz-live.md"]
    # a delete: nothing read or parsed; the link now gets a notice instead of the note
    moved.unlink()
    assert next_run(0) == 0
    assert "Quokkaflux lives here." not in _shown(at)
    assert get_content().note("zz-live") is None
    _idle()
