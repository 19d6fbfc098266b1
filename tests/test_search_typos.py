"""Search that forgives: typos widened to close vocabulary words, did you mean, AND and phrases still exact,
results grouped by folder, partial coverage while notes are being indexed (speed is in bench/)."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.content import schema
from explorer.content.loader import Content
from explorer.notes.note import parse_note
from explorer.notes.search import SearchIndex, group_hits, note_records, parse_query
from explorer.notes.search_records import Record
from explorer.notes.search_shard import Shard
from explorer.notes.search_typos import close_terms, max_edits, suggest, widen
from explorer.notes.uploads import read_upload


def note(text: str, path: str):
    return parse_note(text, path.rsplit("/", 1)[-1], path=path)


NOTES = (
    note("---\nid: k8s\ntitle: Containers\n---\n## Kubernetes basics\nKubernetes schedules containers on a cluster.\n\n"
         "## Model registry\nThe registry keeps model versions; promote a version after review.\n", "week-2/k8s.md"),
    note("---\nid: store\ntitle: Feature store\n---\n## Feature store\nA feature store serves features for training "
         "and serving.\n\n## Drift\nWatch model drift and data drift in production with monitoring.\n", "week-3/data/store.md"),
    note("---\nid: typo\ntitle: Old notes\n---\n## Scribbles\nThe modle was retrained on Monday.\n", "typo.md"),
    note("---\nid: apart\ntitle: Apart\n---\n## Words apart\nStore the data first; every feature comes later.\n",
         "apart.md"),
)


def make_content(notes=NOTES) -> Content:
    glossary = schema.Glossary.model_validate({"terms": [
        {"id": "registry", "term": "Model registry", "definition": "Where trained models and their versions are kept."},
        {"id": "kubernetes", "term": "Kubernetes", "definition": "A container orchestrator."},
    ]})
    return Content(root=Path("."), data={"glossary": glossary}, notes=tuple(notes))


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(make_content())


def keys(result) -> list[str]:
    return [h.key for h in result.hits]


# --------------------------------------------------------------------------- typos
@pytest.mark.parametrize(("typed", "meant", "key"), [
    ("kubernets", "kubernetes", "note:k8s#kubernetes-basics"),
    ("registy", "registry", "note:k8s#model-registry"),
    ("kuberentes", "kubernetes", "term:kubernetes"),  # two letters swapped: one edit
])
def test_a_typo_finds_its_term_and_says_which(index, typed, meant, key):
    res = index.search(typed)
    assert key in keys(res) and not res.partial
    assert res.corrections == ((typed, (meant,)),)
    hit = next(h for h in res.hits if h.key == key)
    assert f"<mark>{meant}</mark>" in (hit.title_html + hit.snippet_html).lower()  # the word found is marked


def test_featur_store_is_a_prefix_not_a_typo(index):
    res = index.search("featur store")
    assert res.corrections == ()  # the title and the heading "Feature store" rank first
    assert set(keys(res)[:2]) == {"note:store", "note:store#feature-store"}


def test_every_word_must_match_and_a_typo_word_too(index):
    assert keys(index.search("kubernets cluster")) == ["note:k8s#kubernetes-basics"]
    # "registy" widens to "registry", but no record holds it together with "drift": nothing in full
    res = index.search("registy monday")
    assert res.total > 0 and res.partial and res.corrections == (("registy", ("registry",)),)


def test_a_quoted_phrase_is_never_widened(index):
    assert index.search('"model registy"').total == 0
    assert index.search('"model registy"').corrections == ()
    assert set(keys(index.search('"feature store"'))) == {"note:store", "note:store#feature-store"}
    assert "note:apart#words-apart" not in keys(index.search('"feature store"'))
    assert "note:apart#words-apart" in keys(index.search("store feature"))


def test_short_words_numbers_and_correct_words_are_left_alone(index):
    assert max_edits("abc") == 0 and max_edits("drift") == 1 and max_edits("kubernets") == 2
    assert index.search("dta").corrections == ()  # three letters: never widened
    assert index.search("drift").corrections == ()
    assert close_terms("drift", index.shards) == []  # only other words, never the word itself
    q, corrections = widen(parse_query("scheduls 2025x"), index.shards)
    assert corrections == (("scheduls", ("schedules",)),) and q.needles[1].variants == ()


def test_no_close_word_means_nothing_and_no_suggestion(index):
    res = index.search("zqxjvw")
    assert (res.total, res.corrections, res.suggestion) == (0, (), None)


# --------------------------------------------------------------------------- did you mean
def test_did_you_mean_when_nothing_matches_in_full(index):
    # "modle" is a word of one note (a typo kept there), but not with "drift": the close query is offered
    res = index.search("modle drift")
    assert res.partial and res.suggestion == "model drift"
    assert index.search(res.suggestion).total > 0 and not index.search(res.suggestion).partial


def test_did_you_mean_keeps_phrases_and_is_none_when_the_query_matches(index):
    assert index.search("kubernets").suggestion is None
    assert index.search('"data drift" modle').suggestion == '"data drift" model'
    assert suggest(parse_query('"nothing like this"'), index.shards) is None


def test_did_you_mean_stays_bounded_with_many_words(index):
    res = index.search(" ".join(["modle", "registy", "kubernets", "drfit"] * 3))
    assert res.total >= 0  # twelve words with several spellings each: bounded combinations, no error


# --------------------------------------------------------------------------- grouping
def test_hits_are_grouped_by_folder_in_rank_order(index):
    res = index.search("model")
    groups = res.groups
    labels = [g.label for g in groups]
    assert len(labels) == len(set(labels))
    assert {"Notes › week-2", "Notes › week-3 › data", "Course content"} <= set(labels)
    order = [h.key for g in groups for h in g.hits]
    assert sorted(order) == sorted(keys(res))
    firsts = [res.hits.index(g.hits[0]) for g in groups]
    assert firsts == sorted(firsts)  # a group comes where its best hit ranks
    for g in groups:
        assert [res.hits.index(h) for h in g.hits] == sorted(res.hits.index(h) for h in g.hits)
    deep = next(g for g in index.search("drift").groups if g.kind == "notes")
    assert deep.label == "Notes › week-3 › data"
    assert "Notes" in [g.label for g in index.search("store").groups]  # a note at the top of the folder
    assert next(g for g in groups if g.key == "yaml").kind == "content"


def test_uploads_are_their_own_group(index):
    up = read_upload("mine.md", b"# Mine\n\n## Model notes\nMy model, my rules.\n")
    res = index.with_notes([up]).search("model rules")
    assert [(g.label, g.kind) for g in res.groups] == [("Your uploads", "uploads")]
    assert [g.label for g in group_hits([])] == []


# --------------------------------------------------------------------------- coverage
def test_coverage_travels_with_the_index_and_its_results():
    shards = [Shard.build(note_records(n)) for n in NOTES[:2]]
    partial = SearchIndex(tuple(shards), coverage=(2, 4))
    assert not partial.complete and partial.search("kubernetes").coverage == (2, 4)
    assert partial.search("").coverage == (2, 4)
    assert partial.with_notes([NOTES[3]]).coverage == (2, 4)
    assert "note:typo#scribbles" not in keys(partial.search("modle"))  # not indexed yet
    full = SearchIndex(tuple(shards) + (Shard.build([r for n in NOTES[2:] for r in note_records(n)]),), coverage=(4, 4))
    assert full.complete and "note:typo#scribbles" in keys(full.search("modle"))
    assert SearchIndex.build(make_content()).coverage is None and SearchIndex.build(make_content()).complete


def test_typos_look_across_every_shard():
    shards = (Shard.build(note_records(NOTES[0])), Shard.build(note_records(NOTES[1])))
    res = SearchIndex(shards).search("kubernets")
    assert res.corrections == (("kubernets", ("kubernetes",)),) and keys(res) == ["note:k8s#kubernetes-basics"]
    assert SearchIndex(shards).search("monitorng drfit").corrections == (
        ("monitorng", ("monitoring",)), ("drfit", ("drift",)))
    assert isinstance(shards[0].records[0], Record)


def test_a_word_in_use_is_replaced_only_by_a_much_commoner_one():
    notes = [note(f"---\nid: n{i}\n---\n## Part\n{text}\n", f"n{i}.md") for i, text in enumerate([
        "Learning rates.", "Learning curves.", "Deep learning.", "Adopting a warning.",
        "Kaizen daily.", "Kaizen weekly.", "Kaizen in teams.", "The old notes say kayzen.", "Adopting kaizen."])]
    idx = SearchIndex.build(make_content(notes))
    assert idx.search("adopting learning").suggestion is None  # "warning" is rarer than "learning"
    assert idx.search("adopting kayzen").suggestion == "adopting kaizen"  # "kayzen" once, "kaizen" four times
