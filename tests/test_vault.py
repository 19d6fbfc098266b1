"""A large vault (#22): lazy notes, a loader that re-reads one file, the background indexer, bounded memory.

Unit tests over a copy of the shipped content with a generated vault (:mod:`explorer.notes.generated_vault`)
under ``notes/vault``.  Parses are counted (:func:`explorer.notes.note.parse_count`) and file reads too
(``NOTE_FILES.reads``); the indexer is stepped in the test's thread (:meth:`Indexer.run_until_idle`).
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

import pytest

from explorer.content.loader import NOTE_FILES, load_content
from explorer.notes.generated_vault import vault_files, write_vault
from explorer.notes.indexer import Indexer
from explorer.notes.note import Note, parse_count, parse_note, scan_note

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def vault_root(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    write_vault(root / "notes" / "vault", 60, seed=3, avg_bytes=4_000)
    return root


def _touch(path: Path, text: str) -> None:
    """Write ``text`` and move the mtime forward (two writes in one clock tick must still differ)."""
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, max(st.st_mtime_ns, old + 1_000_000)))


def _vault(content) -> list[Note]:
    return [n for n in content.notes if n.path.startswith("vault/")]


HEADS = {
    "front matter title": "---\ntitle: Fm title\nweek: 3\ntags: [a, b]\norder: 2\n---\n# Fm title\n\nText.\n",
    "heading title": "# The *heading* title\n\nText.\n\n## A\n\nMore.\n",
    "setext heading": "Setext title\n============\n\nText.\n",
    "link definition first": "[ref]: https://example.org\n\n# After a definition\n\nText.\n",
    "reference in the heading": "# A [linked][r] title\n\nText.\n\n[r]: https://example.org\n",
    "unclosed front matter": "---\ntitle: never closed\n\n# Heading\n\nText.\n",
    "dots close front matter": "---\ntitle: Dots\n...\nBody text.\n",
    "paragraph first": "Intro line.\n# Not the title\n\nText.\n",
    "only front matter": "---\nid: bare\n---\n",
    "bad yaml": "---\ntitle: [oops\n---\n# Body\n\ntext\n",
    "code first": "```\n# not a heading\n\nstill code\n```\n\n# Later\n",
}


@pytest.mark.parametrize("name", sorted(HEADS))
def test_the_head_gives_what_the_full_parse_gives(name):
    text = HEADS[name]
    a, b = scan_note(text, "x.md", path="week-2/x.md"), parse_note(text, "x.md", path="week-2/x.md")
    assert a.parsed == (name == "reference in the heading")  # that one needs the rest of the note: parsed whole
    assert (a.id, a.title, a.week, a.order, a.tags, a.notices, a.front_matter_lines) == \
           (b.id, b.title, b.week, b.order, b.tags, b.notices, b.doc.front_matter_lines)
    assert a.sections == b.sections and a.title_heading == b.title_heading and a.intro_text == b.intro_text


def test_heads_of_shipped_and_generated_notes_match_their_full_parse():
    files = [(p.relative_to(ROOT / "content" / "notes").as_posix(), p.read_text(encoding="utf-8"))
             for p in sorted((ROOT / "content" / "notes").rglob("*.md"))]
    files += vault_files(150, seed=1, avg_bytes=3_000)
    for rel, text in files:
        a, b = scan_note(text, rel.rsplit("/", 1)[-1], path=rel), parse_note(text, rel.rsplit("/", 1)[-1], path=rel)
        assert (a.id, a.title, a.week, a.order, a.tags, a.notices) == (b.id, b.title, b.week, b.order, b.tags, b.notices), rel
        assert a.sections == b.sections and a.cards == b.cards and a.title_heading == b.title_heading, rel


def test_a_light_note_parses_once_on_first_use_and_drops_its_tokens():
    text = vault_files(1, seed=2)[0][1]
    note = scan_note(text, "a.md")
    before = parse_count()
    doc = note.document()  # the first draw: that parse is drawn and kept (light)
    assert doc.tokens and parse_count() == before + 1 and note.parsed
    assert note.doc.tokens == () and note.sections and parse_count() == before + 1
    assert note.document().tokens  # drawn again from the text


def test_listing_a_vault_parses_no_note(vault_root: Path):
    content = load_content(vault_root, parse_all=False)
    notes = _vault(content)
    assert len(notes) == 60
    listing = [(n.id, n.title, n.folder, n.week, n.order, n.tags, n.summary, n.known_sections()) for n in notes]
    assert all(title for _, title, *_ in listing)
    assert not any(n.parsed for n in notes), "reading titles, folders and front matter parsed a note"
    assert {n.folder for n in notes} >= {"vault/week-01", "vault/topics/serving"}


def test_edit_add_rename_and_delete_each_read_and_parse_one_file(vault_root: Path):
    ix = Indexer(group_size=8)
    content = load_content(vault_root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    assert ix.progress(content) == (len(content.notes), len(content.notes))
    folder = vault_root / "notes" / "vault"
    target = sorted(folder.rglob("*.md"))[5]
    rel = target.relative_to(vault_root / "notes").as_posix()
    shards_before = {id(s) for s in ix.search_index(content).shards}

    def next_run(expect_reads: int):
        reads, parses = NOTE_FILES.reads, parse_count()
        c = load_content(vault_root, parse_all=False)
        ix.follow(c)
        ix.run_until_idle()
        assert NOTE_FILES.reads - reads == expect_reads
        return c, parse_count() - parses

    # an edit: that file is read and parsed again, nothing else; search finds the new word
    _touch(target, target.read_text(encoding="utf-8") + "\nZanzibarquokka appears here.\n")
    content, parses = next_run(1)
    assert parses == 1
    hits = ix.search_index(content).search("zanzibarquokka").hits
    assert [h.key.split("#")[0] for h in hits] == [f"note:{content.notes[[n.path for n in content.notes].index(rel)].id}"]
    edited_key = hits[0].key.split("#")[0]
    new_shards = [s for s in ix.search_index(content).shards if id(s) not in shards_before]
    built = [s for s in new_shards if s.live is None]
    assert len(built) == 1 and {r.key.split("#")[0] for r in built[0].records} == {edited_key}, \
        "more than the edited note's records were indexed again"
    masked = [s for s in new_shards if s.live is not None]  # its group's shard, its old records masked out
    assert len(masked) == 1 and len(masked[0].records) - masked[0].live_count == len(built[0].records)  # same sections
    # an add
    new = folder / "week-01" / "zz-new.md"
    _touch(new, "---\ntitle: Brand new\n---\nQuokkaflux lives here.\n")
    content, parses = next_run(1)
    assert parses == 1 and content.note("zz-new").title == "Brand new"
    assert ix.search_index(content).search("quokkaflux").hits
    # a rename: the new path is read once, the old one is gone
    moved = folder / "week-02" / "zz-moved.md"
    new.rename(moved)
    content, parses = next_run(1)
    assert parses == 1 and [n.path for n in content.notes if n.id == "zz-moved"] == ["vault/week-02/zz-moved.md"]
    assert not any(n.path.endswith("zz-new.md") for n in content.notes)
    # a delete: nothing read or parsed; its entries are gone
    moved.unlink()
    content, parses = next_run(0)
    assert parses == 0 and content.note("zz-moved") is None
    assert not ix.search_index(content).search("quokkaflux").hits
    assert ix.held()["shards"] == ix.held()["groups"]


def test_the_indexer_serves_partial_results_while_it_runs(vault_root: Path):
    content = load_content(vault_root, parse_all=False)
    ix = Indexer(group_size=4, inline_bytes=0)  # readers never finish the work themselves here
    ix.follow(content)
    total = len(content.notes)
    seen = []
    while ix.step():
        done, all_ = ix.progress(content)
        seen.append(done)
        index = ix.search_index(content)
        if 0 < done < total:
            cover = index.coverage or (total, total)  # None: search has every note (it may be a group ahead)
            assert cover[1] == total and cover[0] >= done
            uses, cover = ix.glossary_backlinks(content)
            assert cover == (done, total)
            indexed = {n.id for n in ix.indexed_notes(content)[0]}
            assert len(indexed) == done and {nid for where in uses.values() for nid, _ in where} <= indexed
    assert seen == sorted(seen) and seen[-1] == total and len(set(seen)) > 3
    assert ix.search_index(content).coverage is None


def test_small_content_is_complete_on_the_first_read_and_a_changed_group_stays_found(tmp_path: Path):
    """The shipped notes are indexed by the first reader itself; after an edit, until the indexer has rebuilt
    the note's group, search still finds that group's notes (by their previous text) and says what it covers."""
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    content = load_content(root, parse_all=False)
    ix = Indexer()
    index = ix.search_index(content)
    assert index.coverage is None and ix.progress(content) == (len(content.notes), len(content.notes))
    note = content.notes[0]
    path = root / "notes" / note.path
    _touch(path, path.read_text(encoding="utf-8") + "\nMarmalade drift.\n")
    content = load_content(root, parse_all=False)
    index = ix.search_index(content)  # the thread's work now: this reader does not parse
    assert index.coverage is not None and index.coverage[0] < index.coverage[1]
    assert index.search(f'"{note.title}"').hits and not index.search("marmalade").hits
    ix.run_until_idle()
    index = ix.search_index(content)
    assert index.coverage is None and index.search("marmalade").hits


def test_memory_stays_bounded_after_1000_edits(tmp_path: Path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    write_vault(root / "notes" / "vault", 12, seed=4, avg_bytes=1_000)
    ix = Indexer(group_size=4)
    target = sorted((root / "notes" / "vault").rglob("*.md"))[0]
    base = target.read_text(encoding="utf-8")
    files = len(list((root / "notes").rglob("*.md")))
    counts = []
    for i in range(1000):
        _touch(target, base + f"\nEdit number {i}.\n")
        content = load_content(root, parse_all=False)
        ix.follow(content)
        ix.run_until_idle()
        if i in (99, 999):
            gc.collect()
            counts.append(sum(1 for o in gc.get_objects() if isinstance(o, Note)))
    assert len(NOTE_FILES.entries(root / "notes")) == files
    assert ix.held()["shards"] == ix.held()["groups"] == ix.held()["uses"] >= ix.held()["bases"]
    assert counts[1] <= counts[0], counts  # no note outlives its edit
    index = ix.search_index(content)
    assert index.search("\"edit number 999\"").hits and not index.search("\"edit number 998\"").hits
    assert len(index.shards) <= 2 * ix.held()["groups"] + 1  # a patched group: its shard and one of its changed notes


def test_a_page_that_reads_the_sections_then_draws_the_note_parses_it_once():
    note = scan_note(vault_files(1, seed=5)[0][1], "b.md")
    before = parse_count()
    assert note.sections  # the page's contents first
    assert note.document().tokens and parse_count() == before + 1  # then the draw: the same parse
    assert note.document().tokens and parse_count() == before + 1  # later draws parse the text only


def test_a_lazy_load_reuses_the_cross_checks_until_a_note_they_read_changes(vault_root: Path):
    content = load_content(vault_root, parse_all=False)
    assert not [p for p in content.errors]
    other = vault_root / "notes" / _vault(content)[0].path
    _touch(other, other.read_text(encoding="utf-8") + "\nMore.\n")
    again = load_content(vault_root, parse_all=False)
    assert [str(p) for p in again.problems] == [str(p) for p in content.problems]
    # a note the YAML points at loses its sections: the checks run again and name the dangling reference
    ref = content.note("maturity-models")
    path = vault_root / "notes" / ref.path
    _touch(path, path.read_text(encoding="utf-8").replace("\n#", "\nx#"))
    broken = load_content(vault_root, parse_all=False)
    assert any("has no section" in str(p) for p in broken.problems)


def test_an_edited_notes_old_words_are_gone_from_search_typos_and_suggestions(vault_root: Path):
    """The group's shard keeps the edited note's old records, masked: no query may find them again."""
    ix = Indexer(group_size=8)
    folder = vault_root / "notes" / "vault"
    target = sorted(folder.rglob("*.md"))[3]
    text = target.read_text(encoding="utf-8")
    _touch(target, text + "\nThe quokkatron calibrates everything.\n")
    content = load_content(vault_root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    index = ix.search_index(content)
    assert index.search("quokkatron").hits and index.search("quokkatrn").corrections  # a typo finds it too
    _touch(target, text + "\nThe zebrafinch sings instead.\n")
    content = load_content(vault_root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    index = ix.search_index(content)
    assert any(s.live is not None for s in index.shards), "the edit was not patched in (the group was built whole)"
    assert index.search("zebrafinch").hits
    gone = index.search("quokkatron")
    assert not gone.hits and not gone.partial
    assert not index.search("quokkatrn").corrections, "a typo was corrected to a word only a dead record has"
    assert index.search("quokkatron zebrafinch").suggestion is None
    assert not index.search('"quokkatron calibrates"').hits  # a phrase goes through the corpus, not the postings
    assert index.size == sum(len(s.records) for s in index.shards) - sum(1 for s in index.shards for x in (s.live if s.live is not None else []) if not x)


def test_a_group_is_built_whole_again_once_enough_of_its_notes_changed(vault_root: Path):
    """Patches stay bounded: past ``compact_at`` new notes in a group, its shard is built whole again."""
    ix = Indexer(group_size=8, compact_at=2)
    content = load_content(vault_root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    group = next(g for g in ix.plan_of(content).groups if g.key.startswith("vault/") and len(g.notes) >= 4)
    paths = [vault_root / "notes" / n.path for n in group.notes[:3]]

    for k, path in enumerate(paths):
        _touch(path, path.read_text(encoding="utf-8") + f"\nWord{k}xyzzy here.\n")
        content = load_content(vault_root, parse_all=False)
        ix.follow(content)
        ix.run_until_idle()
        masked = [s for s in ix.search_index(content).shards if s.live is not None]
        if k < 2:  # patched: the group's shard with the old records masked, and a shard of the changed notes
            assert ix.held()["patched"] == 1 and len(masked) == 1
        else:  # the third changed note: built whole, nothing masked
            assert ix.held()["patched"] == 0 and not masked
        for j in range(k + 1):
            assert ix.search_index(content).search(f"word{j}xyzzy").hits


def test_a_group_that_lost_many_notes_is_built_whole_again(vault_root: Path):
    """Dead records stay bounded too: deleting more than ``compact_at`` notes of a group rebuilds it."""
    ix = Indexer(group_size=64, compact_at=2)
    content = load_content(vault_root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    group = max((g for g in ix.plan_of(content).groups if g.key.startswith("vault/")), key=lambda g: len(g.notes))
    assert len(group.notes) >= 4
    doomed = [vault_root / "notes" / n.path for n in group.notes[:3]]
    doomed[0].unlink()
    content = load_content(vault_root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    assert ix.held()["patched"] == 1  # one note gone: masked out
    for path in doomed[1:]:
        path.unlink()
    content = load_content(vault_root, parse_all=False)
    ix.follow(content)
    ix.run_until_idle()
    assert ix.held()["patched"] == 0  # three gone (more than compact_at): built whole, no dead records kept
    assert all(s.live is None for s in ix.search_index(content).shards)
