"""The folder tree's caches on the Notes page (#22, AppTest): the tree and its HTML are kept while nothing changed
(a run draws the same block without building it again), and an add, a retitle, a rename into another folder and a
delete each show in the tree on the next run; a read badge and another current note give another block."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from explorer.notes.generated_vault import write_vault
from tests.apptest_util import html_bodies, open_page

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def live_vault(tmp_path: Path, monkeypatch):
    import ui.caches

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    write_vault(root / "notes" / "vault", 30, seed=5, avg_bytes=2_000)
    monkeypatch.setattr(ui.caches, "CONTENT_DIR", root)
    return root


def _write(path: Path, text: str) -> None:
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, max(st.st_mtime_ns, old + 1_000_000)))


def _tree(at) -> str:
    trees = [b for b in html_bodies(at) if 'class="app-links reader-nav note-tree"' in b]
    assert len(trees) == 1, "one tree block"
    return trees[0]


def _run(at) -> str:
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return _tree(at)


def test_the_tree_is_kept_while_nothing_changes_and_follows_every_change(live_vault: Path, monkeypatch):
    import explorer.notes.tree as tree_mod
    import ui.note_tree_view as view

    builds, draws = [], []
    real_build, real_draw = tree_mod.build_tree, view.tree_html
    monkeypatch.setattr(view, "build_tree", lambda notes: builds.append(1) or real_build(notes))
    monkeypatch.setattr(view, "tree_html", lambda *a, **k: draws.append(1) or real_draw(*a, **k))

    notes_dir = live_vault / "notes"
    at = open_page("pages/1_Notes.py")
    first = _tree(at)
    assert 'aria-current="page"' in first
    b, d = len(builds), len(draws)
    assert _run(at) == first and _run(at) == first
    assert (len(builds), len(draws)) == (b, d), "nothing changed: the tree is neither built nor drawn again"

    # an add: the new note is in the tree on the next run (the tree is built again, once)
    new = notes_dir / "vault" / "week-01" / "zz-tree.md"
    _write(new, "---\ntitle: Gnuflower tree note\nid: zz-tree\n---\nBody.\n")
    tree = _run(at)
    assert "Gnuflower tree note" in tree and "note=zz-tree" in tree
    assert len(builds) == b + 1
    # a retitle (same file, same folder)
    _write(new, "---\ntitle: Quillwort tree note\nid: zz-tree\n---\nBody.\n")
    tree = _run(at)
    assert "Quillwort tree note" in tree and "Gnuflower tree note" not in tree
    # a rename into a new folder: the folder appears, holding the note
    moved = notes_dir / "vault" / "zz-new-folder" / "zz-tree.md"
    moved.parent.mkdir()
    new.rename(moved)
    tree = _run(at)
    assert "zz-new-folder" in tree and tree.count("note=zz-tree") == 1
    # opening it draws another block (its branch open, it is the current note), then the same one again
    at.query_params["note"] = "zz-tree"
    tree = _run(at)
    assert 'href="?note=zz-tree" aria-current="page"' in tree
    d = len(draws)
    assert _run(at) == tree and len(draws) == d
    # a delete: gone from the tree, its folder too
    moved.unlink()
    at.query_params["note"] = "certifications"
    tree = _run(at)
    assert "Quillwort tree note" not in tree and "zz-new-folder" not in tree


def test_read_badges_are_drawn_per_session(live_vault: Path):
    at = open_page("pages/1_Notes.py", {"note": "certifications"})
    plain = _tree(at)
    assert "nav-badge" not in plain
    mark = next(c for c in at.checkbox if c.key and c.key.startswith("read::certifications::"))
    mark.set_value(True)
    tree = _run(at)
    assert 'nav-badge">' in tree and "read</span>" in tree
    other = open_page("pages/1_Notes.py", {"note": "certifications"})  # another session: no badge of the first
    assert "nav-badge" not in _tree(other)
