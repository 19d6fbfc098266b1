"""An event costs the files it names (#22): the content watch stats only those (no walk), the lazy load re-reads
only them and keeps everything else (the other notes' objects, the YAML parts), the indexer's plan makes only the
edited note's group again, and each result equals what a full walk / a fresh load / a fresh plan gives."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from explorer.content import loader
from explorer.content.loader import NOTE_FILES, content_stamp, entry_digest, load_content, stamp_key
from explorer.content.watch import ContentWatch
from explorer.notes.indexer import Indexer, plan

ROOT = Path(__file__).resolve().parent.parent


def _folder(tmp_path: Path, n: int = 12) -> Path:
    import shutil

    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    deep = root / "notes" / "vault" / "deep"
    deep.mkdir(parents=True)
    for i in range(n):
        where = deep if i % 2 else deep.parent
        (where / f"n{i:02d}.md").write_text(f"# Note {i}\n\nBody of note {i}.\n\n## Part\n\nMore {i}.\n", encoding="utf-8")
    return root


def _touch(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))  # a new mtime even within one clock tick


@pytest.fixture
def watched(tmp_path: Path):
    root = _folder(tmp_path)
    w = ContentWatch(root, content_stamp, max_age=3600, events="inotify")
    assert w.start()
    w.stamp()
    yield root, w
    w.stop()


def _key(stamp) -> str:
    return stamp_key(sum(map(entry_digest, stamp)))


def test_each_file_event_stats_the_files_it_names_and_walks_nothing(watched):
    root, w = watched
    walks = w.walks
    notes = root / "notes" / "vault"

    def after(change, stats: int):
        before = w.stats
        change()
        stamp, key = w.current()
        assert w.stats - before == stats
        assert stamp == content_stamp(root), "the stamp kept by events is the walk's"
        assert key == _key(stamp), "the key kept by events is the walked stamp's"
        return stamp

    after(lambda: _touch(notes / "deep" / "n01.md", "# Note 1\n\nEdited.\n"), 1)  # an edit
    after(lambda: (notes / "new.md").write_text("# New\n", encoding="utf-8"), 1)  # an add
    stamp = after(lambda: (notes / "new.md").rename(notes / "deep" / "moved.md"), 2)  # a rename: both ends
    assert "notes/vault/deep/moved.md" in [p for p, _, _ in stamp]
    after(lambda: (notes / "deep" / "moved.md").unlink(), 1)  # a delete
    after(lambda: _touch(root / "glossary.yaml", (root / "glossary.yaml").read_text(encoding="utf-8") + "\n"), 1)
    assert w.walks == walks, "no file event walks the folder"
    # names the walk skips change nothing: an editor's swap file, a hidden file
    (notes / ".n01.md.swp").write_text("x", encoding="utf-8")
    (notes / "_draft.md").write_text("# Draft\n", encoding="utf-8")
    before = w.stats
    assert w.current()[0] == content_stamp(root) and w.stats == before and w.walks == walks
    # an editor's safe save: a hidden temporary file renamed over the note (one stat: the note's own name)
    tmp = notes / ".n03.md.tmp"
    tmp.write_text("# Note 3\n\nSaved safely.\n", encoding="utf-8")
    after(lambda: tmp.replace(notes / "deep" / "n03.md"), 1)
    assert w.walks == walks
    # a folder's event walks (a folder made, with its files)
    (notes / "more").mkdir()
    (notes / "more" / "x.md").write_text("# X\n", encoding="utf-8")
    assert "notes/vault/more/x.md" in [p for p, _, _ in w.stamp()] and w.walks == walks + 1


def test_the_key_of_a_stamp_does_not_depend_on_the_order_of_changes(tmp_path: Path):
    root = _folder(tmp_path)
    a = content_stamp(root)
    assert _key(a) == _key(tuple(reversed(a))) and _key(a) != _key(a[1:])


@pytest.fixture
def fresh_loads(monkeypatch):
    monkeypatch.setattr(loader, "_BASES", loader._Bases())


def _full(root: Path, stamp):
    """What a load from scratch gives for ``stamp`` (no base to start from)."""
    saved = loader._BASES
    loader._BASES = loader._Bases()
    try:
        return load_content(root, stamp, parse_all=False)
    finally:
        loader._BASES = saved


def _same(a, b) -> None:
    assert a.version == b.version
    assert a.file_versions == b.file_versions
    assert [(n.path, n.id, n.digest) for n in a.notes] == [(n.path, n.id, n.digest) for n in b.notes]
    assert [str(p) for p in a.problems] == [str(p) for p in b.problems]
    assert sorted(a.data) == sorted(b.data) and sorted(a.broken) == sorted(b.broken)


def test_a_lazy_load_after_an_edit_reads_that_file_and_keeps_everything_else(tmp_path: Path, fresh_loads, monkeypatch):
    root = _folder(tmp_path)
    first = load_content(root, content_stamp(root), parse_all=False)
    path = root / "notes" / "vault" / "deep" / "n03.md"
    _touch(path, "# Note 3\n\nEdited body.\n")
    reads = NOTE_FILES.reads
    stamp = content_stamp(root)

    def whole(*_a, **_k):
        raise AssertionError("an edit in place must not go over every note or YAML file again")

    with monkeypatch.context() as m:
        m.setattr(loader, "_load_notes", whole)
        m.setattr(loader, "_load_parts", whole)
        m.setattr(loader, "_assemble", whole)
        again = load_content(root, stamp, parse_all=False)
    assert NOTE_FILES.reads - reads == 1, "an edit re-reads exactly one file"
    changed = [b for a, b in zip(first.notes, again.notes) if a is not b]
    assert [n.path for n in changed] == ["vault/deep/n03.md"], "every other note is the same object"
    assert again.data["glossary"] is first.data["glossary"], "no YAML file changed: the parts are kept"
    _same(again, _full(root, stamp))


@pytest.mark.parametrize("change, reads", [
    ("add", 1), ("delete", 0), ("rename", 1), ("retitle", 1), ("yaml", 0), ("duplicate id", 1), ("no notes folder", 0),
])
def test_every_kind_of_change_gives_what_a_fresh_load_gives(tmp_path: Path, fresh_loads, change, reads):
    root = _folder(tmp_path)
    load_content(root, content_stamp(root), parse_all=False)
    notes = root / "notes" / "vault"
    if change == "add":
        (notes / "deep" / "added.md").write_text("# Added\n", encoding="utf-8")
    elif change == "delete":
        (notes / "n02.md").unlink()
    elif change == "rename":
        (notes / "n02.md").rename(notes / "deep" / "n02b.md")
    elif change == "retitle":
        _touch(notes / "n04.md", "---\nweek: 1\norder: 0\n---\n# Now first\n")
    elif change == "no notes folder":
        import shutil

        shutil.rmtree(root / "notes")
    elif change == "yaml":
        _touch(root / "glossary.yaml", (root / "glossary.yaml").read_text(encoding="utf-8") + "\n")
    else:
        _touch(notes / "n06.md", "---\nid: n-04\n---\n# Six, with four's id\n")
    stamp = content_stamp(root)
    before = NOTE_FILES.reads
    got = load_content(root, stamp, parse_all=False)
    assert NOTE_FILES.reads - before == reads
    _same(got, _full(root, stamp))
    assert len(NOTE_FILES.entries(root / "notes")) == sum(1 for p, _, _ in stamp if p.startswith("notes/"))


def test_the_plan_after_an_edit_makes_that_group_again_and_equals_a_fresh_plan(tmp_path: Path, fresh_loads):
    root = _folder(tmp_path, n=40)
    first = load_content(root, content_stamp(root), parse_all=False)
    p1 = plan(first, group_size=8)
    _touch(root / "notes" / "vault" / "deep" / "n05.md", "# Note 5\n\nEdited.\n")
    again = load_content(root, content_stamp(root), parse_all=False)
    p2 = plan(again, group_size=8, prev=p1)
    fresh = plan(again, group_size=8)
    assert [(g.key, g.signature) for g in p2.groups] == [(g.key, g.signature) for g in fresh.groups]
    assert (p2.yaml_key, p2.refs_key, p2.glossary_key, p2.total) == (fresh.yaml_key, fresh.refs_key, fresh.glossary_key,
                                                                     fresh.total)
    remade = [g.key for g, h in zip(p1.groups, p2.groups) if g is not h]
    assert remade == ["vault/deep#0"], "only the edited note's group is made again"
    # the indexer, following the edit, rebuilds that group only and serves the edit
    ix = Indexer(group_size=8)
    ix.follow(first)
    ix.run_until_idle()
    ix.follow(again)
    assert ix.run_until_idle() <= 8, "one note parsed, one shard, one group's backlinks"
    hits = ix.search_index(again).search("Edited")
    assert any(h.params.get("note") == "n05" or "n05" in h.key for h in hits.hits)
