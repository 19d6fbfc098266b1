"""The Search page in AppTest: typos forgiven and said, "did you mean" as a link that runs the close query,
hits grouped by folder, and "searched 420 of 1,000 notes" while the shared index is still being filled."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from explorer.notes.note import parse_note
from explorer.notes.search import SearchIndex, note_records
from explorer.notes.search_shard import Shard
from tests.apptest_util import html_bodies, no_exception, open_page, texts

PAGE = "pages/2_Search.py"


def _note(text: str, path: str):
    return parse_note(text, path.rsplit("/", 1)[-1], path=path)


VAULT = [
    _note("---\nid: v-k8s\ntitle: Containers\n---\n## Kubernetes basics\nKubernetes schedules containers. Lesson one: serve a model.\n",
          "week-2/k8s.md"),
    _note("---\nid: v-drift\ntitle: Watching a model\n---\n## Drift\nWatch model drift in production. Lesson two.\n",
          "week-3/monitoring/drift.md"),
    _note("---\nid: v-typo\ntitle: Scribbles\n---\n## Monday\nThe modle was retrained. Lesson three.\n", "scribbles.md"),
]


@pytest.fixture
def vault(monkeypatch):
    """The page searches a small vault instead of the shipped content; ``vault.set(n)``: only the first n
    notes are indexed so far (of all of them)."""
    import ui.search_view

    class Vault:
        def set(self, n: int | None) -> None:
            shards = tuple(Shard.build(note_records(x)) for x in VAULT[: n or len(VAULT)])
            cov = None if n is None else (n, len(VAULT))
            index = SearchIndex(shards, coverage=cov)
            monkeypatch.setattr(ui.search_view, "search_index", lambda content: index)

    v = Vault()
    v.set(None)
    return v


def links(at) -> list[tuple[str, dict]]:
    """(text, query parameters) of each hit's link, and of the "did you mean" button (its query as ``q``)."""
    out = [(re.sub(r"<[^>]+>", "", text), parse_qs(urlsplit(html.unescape(href)).query))
           for body in html_bodies(at) for href, text in HIT_LINK.findall(body)]
    out += [(b.label, {"q": [b.label.split("**")[1].replace("\\", "")]}) for b in at.main.get("button")
            if b.label.startswith("Did you mean")]
    return out


HIT_LINK = re.compile(r'<li class="search-hit"><a href="([^"]+)">.*?<span class="search-title">(.*?)</span></a>')


def test_a_typo_finds_the_term_and_the_page_says_what_it_searched(vault):
    at = open_page(PAGE, {"q": "kubernets"})
    no_exception(at)
    assert "No entry has “kubernets”: searched for **kubernetes** instead." in texts(at)
    assert links(at) == [("Kubernetes basics", {"note": ["v-k8s"], "section": ["kubernetes-basics"]})]
    assert any("<mark>Kubernetes</mark> schedules" in b for b in html_bodies(at))


def test_did_you_mean_runs_the_close_query_which_finds_it(vault):
    at = open_page(PAGE, {"q": "modle drift"})
    no_exception(at)
    assert "No single entry contains every word" in texts(at)
    mean = [(label, q) for label, q in links(at) if label.startswith("Did you mean")]
    assert mean == [("Did you mean: **model drift**", {"q": ["model drift"]})]
    at.main.get("button")[0].click().run()  # the button puts the close query into the box (and so the URL)
    no_exception(at)
    assert at.text_input(key="q").value == "model drift"
    assert [q for _, q in links(at) if "note" in q] == [{"note": ["v-drift"], "section": ["drift"]}]
    assert "No single entry contains every word" not in texts(at)
    assert not [label for label, _ in links(at) if label.startswith("Did you mean")]


def test_nothing_at_all_says_so_without_a_suggestion(vault):
    at = open_page(PAGE, {"q": "zqxjvw"})
    no_exception(at)
    assert "Nothing matched" in texts(at)
    assert not [label for label, _ in links(at) if label.startswith("Did you mean")]


def test_hits_are_grouped_by_folder(vault):
    at = open_page(PAGE, {"q": "lesson"})  # a word of every note
    no_exception(at)
    heads = [h.value for h in at.subheader]
    assert any(h.endswith("Notes › week\\-2") for h in heads), heads
    assert any(h.endswith("Notes › week\\-3 › monitoring") for h in heads), heads
    assert any(h.endswith(" Notes") for h in heads), heads


def test_partial_coverage_is_said_and_fills_in(vault):
    vault.set(1)
    at = open_page(PAGE, {"q": "watch"})
    no_exception(at)
    assert "Searched 1 of 3 notes so far" in texts(at)
    assert not [q for _, q in links(at) if "note" in q]  # the note about drift is not indexed yet
    vault.set(2)
    at.run()  # what the fragment's timer does in a browser (AppTest reruns the whole page)
    no_exception(at)
    assert "Searched 2 of 3 notes so far" in texts(at)
    assert {q["note"][0] for _, q in links(at) if "note" in q} == {"v-drift"}
    vault.set(None)
    at.run()
    no_exception(at)
    assert "Searched" not in texts(at)
    assert {q["note"][0] for _, q in links(at) if "note" in q} == {"v-drift"}


def test_coverage_counts_read_well_at_scale():
    from ui.search_view import coverage_text

    assert coverage_text((420, 1000)).startswith("Searched 420 of 1,000 notes so far")


def test_the_uploads_shard_is_built_once_while_the_shared_index_grows():
    from explorer.notes.uploads import read_upload
    from ui.search_view import SearchState

    up = read_upload("mine.md", b"# Mine\n\n## My part\nA zebracorn in my notes.\n")
    state = SearchState()
    first = SearchIndex((Shard.build(note_records(VAULT[0])),), coverage=(1, 3))
    later = SearchIndex((*first.shards, Shard.build(note_records(VAULT[1]))), coverage=(2, 3))
    a, b = state.index_for(first, [up]), state.index_for(later, [up])
    assert b.shards[-1] is a.shards[-1] and b.coverage == (2, 3)  # the indexer's progress reuses the uploads' shard
    assert [h.key for h in b.search("zebracorn").hits] == ["note:upload-mine"] and b.search("drift").total
    assert state.index_for(later, []) is later
