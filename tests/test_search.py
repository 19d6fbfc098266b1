"""Search: ranking, phrases, highlighting (escaped), deep links, uploads, limits (speed is in bench/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.content import schema
from explorer.content.loader import Content
from explorer.notes.note import parse_note
from explorer.notes.search import (
    MAX_QUERY_CHARS,
    MAX_QUERY_TERMS,
    SearchIndex,
    fold,
    generate_notes,
    generated_content,
    highlight,
    make_snippet,
    note_records,
    parse_query,
)
from explorer.routes import PAGES, ROUTES, link, page_url

PAGE_FILES = {p.file for p in PAGES.values()}
from explorer.notes.uploads import read_upload

SRC = {"source_url": "https://example.org/x", "last_verified": "2026-01-01"}


def note(text: str, name: str, **kw):
    return parse_note(text, name, **kw)


NOTES = (
    note("---\nid: alpha\ntitle: Alpha note\n---\nIntro about pipelines.\n\n## Feature store basics\n"
         "A short section.\n\n## Monitoring\nWatch drift in production. The feature store is mentioned here too.\n",
         "alpha.md"),
    note("---\nid: beta\ntitle: Beta note\n---\n## Serving\nA model serving layer reads from the feature store "
         "and the online store. Deployment happens nightly.\n\n## Danger\nNever run `<script>alert(1)</script>` "
         "in a note; also <b>bold</b> text.\n\n## Café crème\nNaïve résumé of 日本語のテキスト here.\n",
         "beta.md"),
    note("---\nid: gamma\ntitle: Gamma\n---\n## Store feature\nThe words store and feature appear apart here, "
         "feature first then store much later.\n", "gamma.md"),
)


def make_content(notes=NOTES) -> Content:
    data = {
        "glossary": schema.Glossary.model_validate({"terms": [
            {"id": "feature-store", "term": "Feature store", "aliases": ["feature stores"],
             "definition": "A central place for <features> & their values."},
            {"id": "ci", "term": "CI", "definition": "Continuous integration."},
        ]}),
        "maturity": [schema.Vendor.model_validate({
            "id": "azure", "name": "Microsoft Azure", "model_name": "MLOps maturity model", "level_word": "Level",
            "color": "#0078D4", "summary": "Five levels.", **SRC,
            "levels": [
                {"id": "azure-0", "rank": 0, "name": "No MLOps", "summary": "Everything manual.",
                 "details": ["Manual training."], "automation": 0.0, **SRC},
                {"id": "azure-2", "rank": 2, "name": "Automated training", "summary": "Training is automated.",
                 "details": ["A feature store may exist."], "automation": 0.5, **SRC},
            ]})],
        "certifications": schema.Certifications.model_validate({"certifications": [
            {"id": "mls-c01", "name": "AWS ML Specialty", "course_name": "AWS ML", "issuer": "Amazon Web Services",
             "level": "Specialty", "domain": "ML", "status": "retired", "retired_on": "2026-03-31",
             "successor": "mla-c01", "summary": "Old exam.", "quarters": ["models"], "exam": {"code": "MLS-C01"}, **SRC},
            {"id": "mla-c01", "name": "AWS ML Engineer", "course_name": "AWS ML", "issuer": "Amazon Web Services",
             "level": "Associate", "domain": "ML", "status": "active", "summary": "New exam.", "quarters": ["models"],
             **SRC},
        ]}),
        "trends": schema.Trends.model_validate({"intro": "Trends.", "trends": [
            {"id": "edge-ml", "name": "Edge ML", "summary": "Models run on devices.", "why_it_matters": "Latency.",
             **SRC}]}),
        "breakdown": schema.Breakdown.model_validate({
            "title": "The 25% rule", "summary": "Four parts.", "attribution": "Course.",
            "quarters": [
                {"id": "devops", "name": "DevOps", "short": "DevOps", "share": 50, "color": "#111111",
                 "description": "Delivery.", "examples": ["CI pipelines"]},
                {"id": "models", "name": "Models", "short": "Models", "share": 50, "color": "#222222",
                 "description": "Modelling.", "examples": ["Training"]},
            ]}),
        "hierarchy": schema.Hierarchy.model_validate({
            "title": "Hierarchy", "summary": "Pyramid.", "source_url": "https://example.org/h",
            "tiers": [{"id": "devops", "name": "DevOps tier", "summary": "Base.", "examples": ["IaC"]},
                      {"id": "mlops", "name": "MLOps tier", "summary": "Top.", "examples": ["ROI"]}]}),
    }
    return Content(root=Path("."), data=data, notes=tuple(notes))


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return SearchIndex.build(make_content())


def keys(result) -> list[str]:
    return [h.key for h in result.hits]


# --------------------------------------------------------------------------- ranking
def test_heading_match_ranks_above_body_match(index):
    ks = keys(index.search("feature store"))
    assert ks.index("note:alpha#feature-store-basics") < ks.index("note:beta#serving")
    assert ks.index("note:alpha#feature-store-basics") < ks.index("note:alpha#monitoring")


def test_exact_title_ranks_first(index):
    assert index.search("feature store").hits[0].key == "term:feature-store"


def test_terms_are_anded(index):
    ks = keys(index.search("monitoring drift"))
    assert ks == ["note:alpha#monitoring"]


def test_more_matched_terms_rank_higher_in_partial_results(index):
    result = index.search("serving nightly zzzunknown")
    assert result.partial
    assert result.hits[0].key == "note:beta#serving" and result.hits[0].matched == 2
    assert all(a.matched >= b.matched for a, b in zip(result.hits, result.hits[1:]))


def test_ranking_is_stable(index):
    a = [h.key for h in index.search("store").hits]
    b = [h.key for h in index.search("store").hits]
    assert a == b
    scores = [h.score for h in index.search("store").hits]
    assert scores == sorted(scores)


# --------------------------------------------------------------------------- matching rules
def test_phrase_needs_the_words_together(index):
    ks = keys(index.search('"feature store"'))
    assert "note:alpha#feature-store-basics" in ks and "note:beta#serving" in ks
    assert "note:gamma#store-feature" not in ks
    assert "note:gamma#store-feature" in keys(index.search("feature store"))


def test_prefix_and_word_start(index):
    assert "note:beta#serving" in keys(index.search("deploy"))  # prefix of "Deployment"
    assert keys(index.search("ployme")) == []  # not in the middle of a word
    res = index.search("ployment")  # two letters short of "deployment": found as a typo, and said so
    assert "note:beta#serving" in keys(res) and res.corrections == (("ployment", ("deployment",)),)


def test_case_and_accent_insensitive(index):
    assert "note:beta#café-crème" in keys(index.search("CAFE resume"))
    assert "note:beta#café-crème" in keys(index.search("café"))


def test_cjk_matches_inside_text(index):
    assert "note:beta#café-crème" in keys(index.search("テキスト"))


def test_one_letter_terms_are_whole_words(index):
    assert parse_query("a").needles[0].phrase
    assert index.search("x").total == 0


def test_kinds_filter_and_limit(index):
    res = index.search("store", kinds=["term"])
    assert {h.kind for h in res.hits} == {"term"}
    assert len(index.search("store", limit=1).hits) == 1 and index.search("store", limit=1).total > 1


# --------------------------------------------------------------------------- highlighting and escaping
def test_snippet_is_escaped_and_marked(index):
    hit = next(h for h in index.search("script").hits if h.key == "note:beta#danger")
    assert "<script" not in hit.snippet_html.lower()
    assert "&lt;<mark>script</mark>&gt;" in hit.snippet_html
    assert "<script>alert(1)</script>" in hit.snippet_text
    assert re.sub(r"</?mark>", "", hit.snippet_html).count("<") == 0


def test_title_html_is_escaped():
    html = highlight("<b>Feature</b> & store", "feature")
    assert html == "&lt;b&gt;<mark>Feature</mark>&lt;/b&gt; &amp; store"


def test_snippet_window_and_plain_text():
    body = "word " * 100 + "the needle is here " + "tail " * 100
    html, text = make_snippet(body, "needle")
    assert "<mark>needle</mark>" in html and "needle" in text
    assert text.startswith("… ") and text.endswith(" …") and len(text) < 260
    html, text = make_snippet("short text", "absent")
    assert html == "short text" and text == "short text"


def test_highlight_overlapping_terms_merge():
    assert highlight("Deployment", "deploy deployment") == "<mark>Deployment</mark>"


def test_records_hold_the_text_of_the_one_parse():
    md = ("## Head\n> quote *em* **strong** _u_ snake_case\n\n- [link](http://x) ![alt](a.png)\n\n"
          "| a | b |\n|---|---|\n\n```\ncode line\n```\n\n<div>html</div>\n\n`inline` &amp; done\n\n---\n")
    rec = note_records(parse_note(md, "n.md"))[1]
    assert (rec.title, rec.body) == ("Head", "quote em strong u snake_case link alt a b code line html inline & done")


# --------------------------------------------------------------------------- deep links
def test_hits_link_to_their_page_and_item(index):
    def first(q, kind):
        return next(h for h in index.search(q).hits if h.kind == kind)

    h = first("monitoring", "note")
    assert (h.page, h.params) == ("pages/1_Notes.py", {"note": "alpha", "section": "monitoring"})
    assert h.url == "/Notes?note=alpha&section=monitoring"
    h = first("alpha note", "note")
    assert h.params == {"note": "alpha"}
    assert (first("automated training", "level").page, first("automated training", "level").params) == (
        "pages/5_Maturity_Ladders.py", {"rung": "azure-2"})
    assert first("MLS-C01", "certification").params == {"cert": "mls-c01"}
    assert first("MLS-C01", "certification").page == "pages/9_Certifications.py"
    assert (first("edge", "trend").page, first("edge", "trend").params) == ("pages/10_Trends.py", {"trend": "edge-ml"})
    assert (first("feature", "term").page, first("feature", "term").params) == (
        "pages/3_Glossary.py", {"term": "feature-store"})
    assert (first("modelling", "quarter").page, first("modelling", "quarter").params) == (
        "pages/4_Breakdown.py", {"quarter": "models"})
    assert (first("pyramid top", "tier").page, first("top", "tier").params) == ("pages/8_Concepts.py", {"tier": "mlops"})


def test_page_url_and_link_helpers():
    assert page_url("pages/3_Glossary.py", {"term": "a b"}) == "/Glossary?term=a+b"
    assert page_url("pages/10_Trends.py") == "/Trends"
    assert link("note", "x", section=None).params == {"note": "x"}
    assert set(ROUTES) >= {"note", "level", "certification", "trend", "term", "quarter", "tier"}


# --------------------------------------------------------------------------- uploads
def test_uploaded_notes_are_searchable_without_touching_the_base_index(index):
    up = read_upload("mine.md", b"# Mine\n\n## My upload\nA zebracorn appears in my own notes.\n")
    assert index.search("zebracorn").total == 0
    assert [h.key for h in index.with_notes([up]).search("zebracorn").hits] == ["note:upload-mine"]  # not opened yet
    assert up.sections  # opened: parsed, so its sections are found
    combined = index.with_notes([up])
    res = combined.search("zebracorn")
    assert [h.key for h in res.hits] == ["note:upload-mine#my-upload"]
    assert res.hits[0].source == "upload" and res.hits[0].params == {"note": "upload-mine", "section": "my-upload"}
    assert index.search("zebracorn").total == 0  # the shared index is unchanged
    assert SearchIndex.build(make_content(), extra_notes=[up]).search("zebracorn").total == 1
    assert combined.shards[0] is index.shards[0]  # cheap: the base shard is shared


# --------------------------------------------------------------------------- guards
def test_huge_query_is_truncated(index):
    q = "feature " * 200_000
    res = index.search(q)
    assert res.query.truncated and len(res.query.raw) <= MAX_QUERY_CHARS
    many = " ".join(f"w{i}" for i in range(100))
    parsed = parse_query(many)
    assert len(parsed.needles) == MAX_QUERY_TERMS and parsed.truncated


@pytest.mark.parametrize("q", ["", "   ", '""', '"', "((", ".*", "[a-z]+", "\\", "\x00", "?!", "🚀", '"unclosed phrase'])
def test_odd_queries_are_safe(index, q):
    res = index.search(q)
    assert res.total >= 0


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=120))
def test_any_query_never_raises_and_snippets_stay_escaped(q):
    res = _INDEX.search(q, limit=5)
    for h in res.hits:
        assert re.sub(r"</?mark>", "", h.snippet_html).count("<") == 0
        assert re.sub(r"</?mark>", "", h.title_html).count("<") == 0


_INDEX = SearchIndex.build(make_content())


def test_fold_keeps_length():
    for s in ["Café", "ﬁne", "İstanbul", "日本", "Straße", "ǅ"]:
        assert len(fold(s)) == len(s)
    assert fold("Crème Brûlée") == "creme brulee"


# --------------------------------------------------------------------------- generated notes and speed
def test_generate_notes_is_deterministic():
    a = generate_notes(3, seed=7)
    b = generate_notes(3, seed=7)
    assert [n.body for n in a] == [n.body for n in b]
    assert [n.body for n in generate_notes(3, seed=8)] != [n.body for n in a]
    assert all(len(n.sections) == 8 for n in a)


def test_generated_content_is_indexed_completely():
    idx = SearchIndex.build(generated_content(50, seed=1))
    assert idx.size == 50 * 9  # one record per note and per section (speed: python -m bench)


# --------------------------------------------------------------------------- the real content
def test_real_content_index(content):
    idx = SearchIndex.build(content)
    note_keys = {f"note:{n.id}#{s.id}" for n in content.notes for s in n.sections}
    all_keys = {r.key for sh in idx.shards for r in sh.records}
    assert note_keys <= all_keys
    assert len(all_keys) == idx.size  # keys are unique
    for part, kind in [("glossary", "term"), ("certifications", "certification"), ("trends", "trend"),
                       ("maturity", "level"), ("breakdown", "quarter"), ("hierarchy", "tier")]:
        if content.ok(part):
            assert any(k.startswith(kind + ":") for k in all_keys), part
    res = idx.search("kaizen")
    assert res.total > 0 and all(h.page in PAGE_FILES for h in res.hits)
    if content.ok("glossary"):
        t = content.glossary[0]
        assert idx.search(t.term).hits[0].key == f"term:{t.id}"
