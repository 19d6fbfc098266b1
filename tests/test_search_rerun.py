"""A rerun of the same search costs no search (#22, the load test's Search page): the indexer hands out the same
index object while nothing changed, and a session keeps its own last result for that index and query."""

from __future__ import annotations

import shutil
from pathlib import Path

from explorer.content.loader import load_content
from explorer.notes.indexer import Indexer
from explorer.notes.search import SearchIndex
from ui.search_view import SearchState

ROOT = Path(__file__).resolve().parent.parent


def test_the_same_index_while_nothing_changed_and_a_new_one_after_an_edit(tmp_path: Path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    content = load_content(root, parse_all=False)
    ix = Indexer()
    ix.follow(content)
    ix.run_until_idle()
    first = ix.search_index(content)
    assert ix.search_index(content) is first
    note = root / "notes" / content.notes[0].path
    note.write_text(note.read_text(encoding="utf-8") + "\n\nZebrafinch.\n", encoding="utf-8")
    edited = load_content(root, parse_all=False)
    ix.follow(edited)
    ix.run_until_idle()
    again = ix.search_index(edited)
    assert again is not first and again.search("zebrafinch").hits, "the edit is found in the new index"


def test_a_session_searches_once_per_index_and_query(monkeypatch):
    calls: list[str] = []
    real = SearchIndex.search

    def counted(self, query, limit=20, kinds=None):
        calls.append(query)
        return real(self, query, limit, kinds)

    monkeypatch.setattr(SearchIndex, "search", counted)
    content = load_content(ROOT / "content", parse_all=False)
    ix = Indexer()
    ix.follow(content)
    ix.run_until_idle()
    index, state = ix.search_index(content), SearchState()
    a = state.search(index, "model registry", 60)
    assert state.search(index, "model registry", 60) is a and calls == ["model registry"]
    state.search(index, "drift", 60)
    state.search(SearchIndex(index.shards, index.coverage), "drift", 60)  # another index: searched again
    assert calls == ["model registry", "drift", "drift"]
    assert [h.key for h in a.hits] == [h.key for h in real(index, "model registry", 60).hits]
