"""Flashcards from the content and from notes, quizzes, and the Anki export."""

from __future__ import annotations

from pathlib import Path

import pytest

from explorer.content import schema
from explorer.content.loader import Content
from explorer.notes.note import parse_note
from explorer.routes import PAGES
from explorer.study import cards as study
from explorer.study.cards import anki_tsv, generate_cards, note_cards
from explorer.study.quiz import generate_quiz, grade_quiz

PAGE_FILES = {p.file for p in PAGES.values()}


# --------------------------------------------------------------------------- cards and quizzes
SRC = {"source_url": "https://example.org/x", "last_verified": "2026-01-01"}


def lv(i: str, rank: int, name: str, tagline: str = "") -> dict:
    return {"id": i, "rank": rank, "name": name, "tagline": tagline, "summary": f"{name} summary.",
            "details": ["d"], "automation": rank / 10, "changes": [f"change to {name}"],
            "notes": [f"ladders#{i}"], **SRC}


def make_content() -> Content:
    data = {
        "maturity": [
            schema.Vendor.model_validate({
                "id": "azure", "name": "Microsoft Azure", "model_name": "MLOps maturity model", "level_word": "Level",
                "color": "#0078D4", "summary": "Five levels.", **SRC,
                "levels": [lv("azure-0", 0, "No MLOps", "Manual"), lv("azure-1", 1, "DevOps but no MLOps", "Apps"),
                           lv("azure-2", 2, "Automated training", "Training"), lv("azure-3", 3, "Automated deployment"),
                           lv("azure-4", 4, "Full automation", "Signals")]}),
            schema.Vendor.model_validate({
                "id": "google", "name": "Google Cloud", "model_name": "MLOps levels", "level_word": "Level",
                "color": "#4285F4", "summary": "Three levels.", **SRC,
                "levels": [lv("google-0", 0, "Manual process", "Notebooks"), lv("google-1", 1, "Pipeline automation"),
                           lv("google-2", 2, "CI/CD automation")]}),
        ],
        "certifications": schema.Certifications.model_validate({"certifications": [
            {"id": "mls-c01", "name": "AWS ML Specialty", "course_name": "AWS ML", "issuer": "Amazon Web Services",
             "level": "Specialty", "domain": "ML", "status": "retired", "retired_on": "2026-03-31",
             "successor": "mla-c01", "summary": "Old exam.", "quarters": ["models"], **SRC},
            {"id": "mla-c01", "name": "AWS ML Engineer", "course_name": "AWS ML", "issuer": "Amazon Web Services",
             "level": "Associate", "domain": "ML", "status": "active", "summary": "New exam.", "quarters": ["models"],
             **SRC},
            {"id": "ckad", "name": "CKAD", "course_name": "K8s", "issuer": "CNCF", "level": "x", "domain": "K8s",
             "status": "active", "summary": "Kubernetes.", "quarters": ["devops"], **SRC},
            {"id": "mlrun", "name": "MLRun", "course_name": "MLRun", "issuer": "Iguazio", "kind": "framework",
             "level": "n/a", "domain": "MLOps", "status": "not-a-certification", "summary": "A framework.",
             "quarters": ["models"], **SRC},
        ]}),
        "trends": schema.Trends.model_validate({"intro": "Trends.", "trends": [
            {"id": "edge-ml", "name": "Edge ML", "summary": "Models run on devices near the data.",
             "why_it_matters": "Latency.", "notes": ["trends#edge"], **SRC},
            {"id": "onnx", "name": "ONNX", "summary": "Models move between frameworks.", "why_it_matters": "Portability.",
             **SRC},
            {"id": "esg", "name": "ESG", "summary": "Sustainability matters.", "why_it_matters": "Cost.",
             "confirmed": False, "caveat": "Unverified.", **SRC},
        ]}),
        "breakdown": schema.Breakdown.model_validate({
            "title": "The 25% rule", "summary": "Four parts.", "attribution": "Course.",
            "quarters": [
                {"id": q, "name": q.title(), "short": q, "share": 25, "color": "#111111",
                 "description": f"{q} work.", "examples": [f"{q} example one", f"{q} example two"]}
                for q in ("devops", "data", "models", "business")]}),
        "hierarchy": schema.Hierarchy.model_validate({
            "title": "Hierarchy of needs", "summary": "Pyramid.", "source_url": "https://example.org/h",
            "tiers": [{"id": t, "name": t.title(), "summary": f"{t}.", "examples": ["e"]}
                      for t in ("devops", "dataops", "platform", "mlops")]}),
        "glossary": schema.Glossary.model_validate({"terms": [
            {"id": "ci", "term": "CI", "aliases": ["continuous integration"],
             "definition": "CI merges and checks changes often (continuous integration).", "related": ["cd"]},
            {"id": "cd", "term": "CD", "definition": "Always ready to release.", "related": ["ci"]},
            {"id": "ct", "term": "CT", "definition": "Retraining on a trigger."},
            {"id": "kaizen", "term": "Kaizen", "definition": "Small improvements every day.", "notes": ["kaizen#what"]},
        ]}),
    }
    return Content(root=Path("."), data=data, notes=())


@pytest.fixture(scope="module")
def content_fx() -> Content:
    return make_content()


def test_cards_cover_every_category_with_stable_unique_ids(content_fx):
    cards = generate_cards(content_fx)
    assert {c.category for c in cards} == set(study.CATEGORIES) - {"notes"}  # note cards come from notes
    assert len({c.id for c in cards}) == len(cards)
    assert [c.id for c in cards] == [c.id for c in generate_cards(make_content())]
    for c in cards:
        assert c.front and c.back and c.explanation
        assert c.source.page in PAGE_FILES and c.source.params
    assert {c.category for c in generate_cards(content_fx, ["glossary"])} == {"glossary"}


def test_rung_cards(content_fx):
    cards = {c.id: c for c in generate_cards(content_fx)}
    c = cards["rung-next:azure-2"]
    assert "after Level 2 (Automated training)" in c.front and c.back == "Level 3: Automated deployment"
    assert c.source.page == "pages/5_Maturity_Ladders.py" and c.source.params == {"rung": "azure-3"}
    assert c.note is not None and c.note.params == {"note": "ladders", "section": "azure-3"}
    assert "rung-next:azure-4" not in cards  # nothing after the top rung
    assert cards["rung-which:azure-2"].back == "Level 2: Automated training" and "“Training”" in cards[
        "rung-which:azure-2"].front
    assert cards["rung-order:google"].back == "0 Manual process → 1 Pipeline automation → 2 CI/CD automation"


def test_certification_cards(content_fx):
    cards = {c.id: c for c in generate_cards(content_fx)}
    assert cards["cert-issuer:mls-c01"].back == "Amazon Web Services"
    assert cards["cert-status:mls-c01"].back == "Retired; replaced by AWS ML Engineer"
    assert "2026-03-31" in cards["cert-status:mls-c01"].explanation
    assert cards["cert-status:mla-c01"].back == "Active"
    assert cards["cert-status:mlrun"].back.startswith("Not a certification")
    assert cards["cert-successor:mls-c01"].back == "AWS ML Engineer"
    assert cards["cert-issuer:mls-c01"].source.params == {"cert": "mls-c01"}


def test_other_cards(content_fx):
    cards = {c.id: c for c in generate_cards(content_fx)}
    assert cards["trend:esg"].back == "Sustainability matters." and "Unverified" in cards["trend:esg"].explanation
    assert cards["quarter-example:data:1"].back == "Data"
    assert cards["tier-foundation"].back == "Devops"
    assert cards["tier-above:dataops"].back == "Platform"
    assert cards["tier-order"].back == "Devops → Dataops → Platform → Mlops"
    assert cards["term-def:ci"].back.startswith("CI merges") and "continuous integration" in cards["term-def:ci"].explanation
    masked = cards["term-name:ci"].front
    assert "CI" not in masked.replace("Which", "") and "continuous integration" not in masked.lower()
    assert cards["term-name:kaizen"].note.params == {"note": "kaizen", "section": "what"}


def test_quiz_is_deterministic_and_well_formed(content_fx):
    a = generate_quiz(content_fx, n=12, seed=42)
    b = generate_quiz(content_fx, n=12, seed=42)
    assert a == b and len(a) == 12
    assert [q.id for q in generate_quiz(content_fx, n=12, seed=43)] != [q.id for q in a]
    cards = {c.id: c for c in generate_cards(content_fx)}
    for q in a:
        assert 3 <= len(q.options) <= 4 and len(set(q.options)) == len(q.options)
        assert 0 <= q.answer < len(q.options)
        assert q.explanation and q.source.page in PAGE_FILES
        assert q.id in cards and q.category == cards[q.id].category
    assert len({q.category for q in a}) >= 5  # spread over the categories
    assert len({q.id for q in a}) == len(a)


def test_quiz_distractors_come_from_the_same_category(content_fx):
    qs = {q.id: q for q in generate_quiz(content_fx, n=200, seed=1)}
    q = qs["rung-next:azure-1"]
    assert q.correct_option == "Level 2: Automated training"
    assert all(o.startswith("Level ") for o in q.options)
    assert "Level 1: DevOps but no MLOps" not in q.options  # the rung asked about is not an option
    q = qs["cert-issuer:ckad"]
    assert q.correct_option == "CNCF" and set(q.options) <= {"CNCF", "Amazon Web Services", "Iguazio"}
    q = qs["quarter-example:models:0"]
    assert set(q.options) <= {"Devops", "Data", "Models", "Business"} and q.correct_option == "Models"
    q = qs["term-name:ci"]
    assert q.options[0] != q.options[1] and "CD" in q.options  # related term first
    assert generate_quiz(content_fx, n=5, seed=1, categories=["trends"])[0].category == "trends"


def test_grade_quiz(content_fx):
    qs = generate_quiz(content_fx, n=4, seed=3)
    perfect = grade_quiz(qs, {q.id: q.answer for q in qs})
    assert (perfect.score, perfect.total, perfect.percent, perfect.wrong_ids) == (4, 4, 100.0, [])
    answers = {qs[0].id: qs[0].answer, qs[1].id: (qs[1].answer + 1) % len(qs[1].options), qs[2].id: 99,
               qs[3].id: True}
    res = grade_quiz(qs, answers)
    assert res.score == 1 and res.wrong_ids == [qs[1].id, qs[2].id, qs[3].id]
    assert res.items[2].chosen is None
    assert grade_quiz(qs, {}).score == 0 and grade_quiz([], {}).percent == 0.0


def test_cards_and_quiz_from_the_real_content(content):
    cards = generate_cards(content)
    assert len({c.id for c in cards}) == len(cards)
    parts = {"maturity": "rungs", "certifications": "certifications", "trends": "trends", "breakdown": "quarters",
             "hierarchy": "hierarchy", "glossary": "glossary"}
    for part, cat in parts.items():
        if content.ok(part):
            assert any(c.category == cat for c in cards), cat
    for c in cards:
        if c.note is not None and content.ok("notes"):
            note = content.note(c.note.params["note"])
            assert note is not None, c.id
            if "section" in c.note.params:
                assert note.section(c.note.params["section"]) is not None, (c.id, c.note.params)
    quiz = generate_quiz(content, n=10, seed=0)
    assert len(quiz) == min(10, len(quiz)) and quiz == generate_quiz(content, n=10, seed=0)


# --------------------------------------------------------------------------- cards written in notes
NOTE = """---
title: Week 2
---
## Drift

Data drift :: the inputs change while the model stays the same.
Concept drift :: the relation between inputs and labels changes.

What does a feature store keep consistent?
?
Features between training and serving.

## What is a canary release? #card

A new model version gets a small share of the traffic first, then more.

Code like `std::vector` or a::b is not a card.

## Empty question #card
"""


def test_cards_written_in_notes_link_to_their_section():
    note = parse_note(NOTE, "week-2.md")
    cards = note_cards([note])
    assert [(c.front, c.back, c.note.params.get("section")) for c in cards] == [
        ("Data drift", "the inputs change while the model stays the same.", "drift"),
        ("Concept drift", "the relation between inputs and labels changes.", "drift"),
        ("What does a feature store keep consistent?", "Features between training and serving.", "drift"),
        ("What is a canary release?", "A new model version gets a small share of the traffic first, then more. "
         "Code like std::vector or a::b is not a card.", "what-is-a-canary-release"),
    ]
    assert all(c.category == "notes" and c.source.url.startswith("/Notes?note=week-2&section=") for c in cards)
    assert len({c.id for c in cards}) == 4
    # the #card tag is not part of the heading (nor of its GitHub id)
    assert [s.title for s in note.sections][1] == "What is a canary release?"


def test_note_card_ids_follow_the_question_not_the_position():
    a = note_cards([parse_note("## X\n\nTerm :: one\n", "n.md")])[0]
    b = note_cards([parse_note("Intro.\n\n## Y\n\nMore.\n\nTerm :: two\n", "n.md")])[0]
    assert a.id == b.id  # same question: the learner's review history stays with it


def test_anki_export_is_tab_separated_with_headers():
    cards = note_cards([parse_note("Tab\there\n?\nline one\nsecond\n", "n.md")])
    tsv = anki_tsv(cards)
    lines = tsv.splitlines()
    assert lines[:4] == ["#separator:tab", "#html:false", "#columns:Front\tBack\tTags", "#tags column:3"]
    front, back, tags = lines[4].split("\t")
    assert (front, back) == ("Tab here", "line one second") and "mlops-explorer" in tags and "notes" in tags
