"""The build-time content snapshot (explorer.snapshot): used only for exactly the files and code it was
made from, equal to a fresh load, never written at run time, and ignored when damaged."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from explorer import snapshot
from explorer.loader import content_stamp, load_content

ROOT = Path(__file__).resolve().parent.parent


def _same_content(a, b) -> None:
    """Equal loads: every part, problem and note (a note's parsed document field by field: ``Doc``
    compares by identity)."""
    assert a.data == b.data
    assert a.problems == b.problems and a.broken == b.broken
    assert a.version == b.version and a.file_versions == b.file_versions and a.root == b.root
    assert [n.id for n in a.notes] == [n.id for n in b.notes]
    for x, y in zip(a.notes, b.notes):
        for f in dataclasses.fields(x):
            if f.name != "doc":
                assert getattr(x, f.name) == getattr(y, f.name), (x.id, f.name)
        for f in dataclasses.fields(x.doc):
            assert getattr(x.doc, f.name) == getattr(y.doc, f.name), (x.id, "doc", f.name)


@pytest.fixture
def snap(content_copy: Path, tmp_path: Path) -> Path:
    path = tmp_path / "snap" / "content.pickle"
    snapshot.write(load_content(content_copy, snapshot_file=None), path)
    return path


def _no_parsing(monkeypatch) -> None:
    """Make any parse or YAML validation fail loudly: a load that still works came from the snapshot."""
    from explorer import loader, yamlio

    def boom(*_a, **_k):
        raise AssertionError("parsed although the snapshot matched")

    monkeypatch.setattr(loader, "read_note_file", boom)
    monkeypatch.setattr(yamlio, "load_model", boom)
    loader._CACHE._data.clear()


def test_the_committed_snapshot_is_up_to_date():
    """Made from the content and code as committed.  Made with other library versions, it is only unused
    on this machine (the app loads normally), so that alone does not fail here."""
    root = ROOT / "content"
    head = snapshot.header()
    assert head is not None, "snapshot/content.pickle is missing: run `python -m explorer snapshot` and commit it"
    fix = "; run `python -m explorer snapshot` and commit snapshot/content.pickle"
    assert head["content"] == snapshot.content_key(root, content_stamp(root)), "the content changed" + fix
    assert head["sources"] == snapshot.sources_key(), "the code under explorer/ changed" + fix
    if head["runtime"] == snapshot.runtime_key():
        assert snapshot.read(root, content_stamp(root)) is not None


def test_a_matching_snapshot_gives_the_same_content_without_parsing(content_copy: Path, snap: Path, monkeypatch):
    fresh = load_content(content_copy, snapshot_file=None)
    _no_parsing(monkeypatch)
    saved = load_content(content_copy, snapshot_file=snap)
    _same_content(saved, fresh)
    assert saved.notes and saved.ok("glossary") and saved.ok("maturity")


def test_content_with_problems_keeps_them(content_copy: Path, tmp_path: Path, monkeypatch):
    (content_copy / "trends.yaml").write_text("intro: [\n", encoding="utf-8")
    (content_copy / "notes" / "odd.md").write_text("---\ntitle: [unclosed\n---\n# Odd\n\ntext\n", encoding="utf-8")
    path = snapshot.write(load_content(content_copy, snapshot_file=None), tmp_path / "s.pickle")
    fresh = load_content(content_copy, snapshot_file=None)
    assert fresh.broken.get("trends") and fresh.note_problems()
    _no_parsing(monkeypatch)
    _same_content(load_content(content_copy, snapshot_file=path), fresh)


@pytest.mark.parametrize("change", ["edit a note", "edit a YAML file", "add a note", "remove a note", "rename a note",
                                    "touch only"])
def test_any_change_to_the_files_makes_it_stale(content_copy: Path, snap: Path, change: str):
    notes = content_copy / "notes"
    first = sorted(notes.glob("*.md"))[0]
    if change == "edit a note":
        first.write_text(first.read_text(encoding="utf-8") + "\nOne more line.\n", encoding="utf-8")
    elif change == "edit a YAML file":
        f = content_copy / "trends.yaml"
        f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    elif change == "add a note":
        (notes / "zz-new.md").write_text("# New\n\nA new note.\n", encoding="utf-8")
    elif change == "remove a note":
        first.unlink()
    elif change == "rename a note":
        first.rename(first.with_name("renamed-" + first.name))
    else:  # a new modification time, the same bytes: still the same content
        os.utime(first, (1, 1))
    stamp = content_stamp(content_copy)
    if change == "touch only":
        assert snapshot.read(content_copy, stamp, snap) is not None
        return
    assert snapshot.read(content_copy, stamp, snap) is None
    assert snapshot.stale_reason(content_copy, stamp, snap) == "the content changed since it was made"
    _same_content(load_content(content_copy, snapshot_file=snap), load_content(content_copy, snapshot_file=None))
    if change in ("edit a note", "add a note"):
        loaded = load_content(content_copy, snapshot_file=snap)
        assert any("One more line." in n.body or n.title == "New" for n in loaded.notes)


def test_a_code_or_library_change_makes_it_stale(content_copy: Path, snap: Path, monkeypatch):
    stamp = content_stamp(content_copy)
    assert snapshot.read(content_copy, stamp, snap) is not None
    with monkeypatch.context() as m:
        m.setattr(snapshot, "sources_key", lambda: "another version of the code")
        assert snapshot.read(content_copy, stamp, snap) is None
        assert snapshot.stale_reason(content_copy, stamp, snap) == "the code changed since it was made"
    with monkeypatch.context() as m:
        m.setattr(snapshot, "runtime_key", lambda: "python=3.99 pydantic=9")
        assert snapshot.read(content_copy, stamp, snap) is None
        assert "python=3.99" in snapshot.stale_reason(content_copy, stamp, snap)
    assert snapshot.read(content_copy, stamp, snap) is not None


def test_the_keys_cover_every_source_file_and_the_libraries(tmp_path: Path):
    key = snapshot.sources_key()
    assert len(key) == 64
    sources = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "explorer").rglob("*.py"))
    assert "explorer/md/engine.py" in sources and "explorer/schema.py" in sources
    runtime = snapshot.runtime_key()
    for name in ("python=", "pydantic=", "markdown_it=", "mdit_py_plugins=", "yaml=", "pygments=", "nh3="):
        assert name in runtime and "missing" not in runtime and "?" not in runtime
    # an edit anywhere in the package changes the sources key
    pkg = tmp_path / "explorer"
    import shutil
    shutil.copytree(ROOT / "explorer", pkg, ignore=shutil.ignore_patterns("__pycache__"))
    snapshot.sources_key.cache_clear()
    try:
        import unittest.mock as mock
        with mock.patch.object(snapshot, "_PACKAGE", pkg):
            same = snapshot.sources_key()
            snapshot.sources_key.cache_clear()
            (pkg / "md" / "slug.py").write_text((pkg / "md" / "slug.py").read_text() + "\n# edited\n")
            edited = snapshot.sources_key()
            snapshot.sources_key.cache_clear()
    finally:
        snapshot.sources_key.cache_clear()
    assert same == key and edited != key


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "no header", "other format", "bad payload",
                                    "wrong object"])
def test_a_damaged_snapshot_is_ignored(content_copy: Path, snap: Path, damage: str):
    raw = snap.read_bytes()
    head, _, payload = raw.partition(b"\n")
    import pickle
    import zlib
    snap.write_bytes({
        "truncated": raw[: len(raw) // 2],
        "garbage": os.urandom(2000),
        "empty": b"",
        "no header": payload,
        "other format": head.replace(snapshot.FORMAT.encode(), b"something-else") + b"\n" + payload,
        "bad payload": head + b"\n" + zlib.compress(b"not a pickle"),
        "wrong object": head + b"\n" + zlib.compress(pickle.dumps({"data": {}})),
    }[damage])
    assert snapshot.read(content_copy, content_stamp(content_copy), snap) is None
    _same_content(load_content(content_copy, snapshot_file=snap), load_content(content_copy, snapshot_file=None))


def test_loading_never_writes_it(content_copy: Path, tmp_path: Path):
    missing = tmp_path / "nowhere" / "content.pickle"
    load_content(content_copy, snapshot_file=missing)
    assert not missing.exists() and not missing.parent.exists()


def test_cli_snapshot_and_check(content_copy: Path, tmp_path: Path):
    out = tmp_path / "s" / "content.pickle"

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "explorer", "snapshot", "--content", str(content_copy),
                               "--out", str(out), *args], cwd=ROOT, capture_output=True, text=True)

    r = cli("--check")
    assert r.returncode == 1 and "stale" in r.stdout
    r = cli()
    assert r.returncode == 0 and "wrote" in r.stdout and out.is_file()
    assert cli("--check").returncode == 0
    assert "nothing to do" in cli().stdout
    (content_copy / "trends.yaml").write_text("intro: changed\n", encoding="utf-8")
    r = cli("--check")
    assert r.returncode == 1 and "content changed" in r.stdout
