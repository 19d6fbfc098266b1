"""SM-2 against worked examples, due order, cards, quizzes and progress import/export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import schema, study
from explorer.loader import Content
from explorer.notes import parse_note
from explorer.routes import PAGES

PAGE_FILES = {p.file for p in PAGES.values()}
from explorer.study import (
    MAX_INTERVAL,
    CardState,
    Progress,
    ProgressImportError,
    due_cards,
    export_progress,
    generate_cards,
    generate_quiz,
    grade_quiz,
    import_progress,
    mark_read,
    next_ease,
    reading_progress,
    record_quiz,
    record_review,
    repeat_in_session,
    review,
)

D0 = dt.date(2026, 1, 1)


def run(grades: list[int], start: CardState | None = None) -> list[CardState]:
    out, state = [], start
    for q in grades:
        state = review(state, q, D0)
        out.append(state)
    return out


# --------------------------------------------------------------------------- SM-2 worked examples
def test_perfect_grades():
    states = run([5, 5, 5, 5])
    assert [s.interval for s in states] == [1, 6, 17, 48]
    assert [s.ease for s in states] == [2.6, 2.7, 2.8, 2.9]
    assert [s.repetitions for s in states] == [1, 2, 3, 4]
    assert [s.due for s in states] == [D0 + dt.timedelta(days=d) for d in (1, 6, 17, 48)]
    fifth = review(states[-1], 5, D0)
    assert fifth.interval == 140 and fifth.ease == 3.0  # ceil(48 * 2.9) = ceil(139.2)


def test_grade_four_keeps_ease_and_grade_three_lowers_it_by_014():
    assert [s.ease for s in run([4, 4, 4])] == [2.5, 2.5, 2.5]
    assert [s.interval for s in run([4, 4, 4])] == [1, 6, 15]  # 6 * 2.5 = 15 exactly, no float creep to 16
    states = run([3, 3, 3])
    assert [s.ease for s in states] == [2.36, 2.22, 2.08]
    assert [s.interval for s in states] == [1, 6, 14]  # ceil(6 * 2.22): the EF in force before the 3rd update


def test_ease_formula_for_every_grade():
    assert [next_ease(2.5, q) for q in range(6)] == [1.7, 1.96, 2.18, 2.36, 2.5, 2.6]


def test_ease_never_below_13():
    states = run([3] * 12)
    assert min(s.ease for s in states) == 1.3 and states[-1].ease == 1.3
    assert next_ease(1.3, 3) == 1.3 and next_ease(1.35, 3) == 1.3
    s = review(CardState(repetitions=5, interval=10, ease=1.3, due=D0), 3, D0)
    assert s.interval == 13 and s.ease == 1.3  # ceil(10 * 1.3) = 13


def test_failure_restarts_without_changing_ease():
    states = run([5, 5, 5, 2])
    failed = states[-1]
    assert (failed.repetitions, failed.interval, failed.ease, failed.lapses) == (0, 1, 2.8, 1)
    assert failed.due == D0 + dt.timedelta(days=1)
    again = run([5, 5, 5], start=failed)
    assert [s.interval for s in again] == [1, 6, 18]  # restart at 1, 6, then ceil(6 * 3.0)
    assert [s.ease for s in again] == [2.9, 3.0, 3.1]
    for q in (0, 1, 2):
        assert review(states[2], q, D0).ease == states[2].ease


def test_interval_is_capped():
    s = CardState(repetitions=10, interval=30_000, ease=3.0, due=D0)
    assert review(s, 5, D0).interval == MAX_INTERVAL


@pytest.mark.parametrize("bad", [-1, 6, 3.5, "4", None, True])
def test_quality_must_be_0_to_5(bad):
    with pytest.raises(ValueError):
        review(None, bad, D0)


def test_repeat_in_session_below_four():
    assert [repeat_in_session(q) for q in range(6)] == [True, True, True, True, False, False]


# --------------------------------------------------------------------------- due order
def test_due_cards_overdue_first_then_due_then_new():
    st_ = {
        "today": CardState(interval=1, due=D0, repetitions=1),
        "late": CardState(interval=1, due=D0 - dt.timedelta(days=5), repetitions=1),
        "later": CardState(interval=1, due=D0 - dt.timedelta(days=1), repetitions=1),
        "future": CardState(interval=1, due=D0 + dt.timedelta(days=1), repetitions=1),
        "gone": CardState(interval=1, due=D0 - dt.timedelta(days=9), repetitions=1),
    }
    deck = ["n1", "today", "late", "n2", "later", "future", "n3"]
    assert due_cards(st_, D0, deck) == ["late", "later", "today", "n1", "n2", "n3"]
    assert due_cards(st_, D0, deck, new_limit=1) == ["late", "later", "today", "n1"]
    assert due_cards(st_, D0) == ["gone", "late", "later", "today"]
    tie = {"b": CardState(due=D0), "a": CardState(due=D0)}
    assert due_cards(tie, D0) == ["a", "b"]


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
    assert {c.category for c in cards} == set(study.CATEGORIES)
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


# --------------------------------------------------------------------------- progress
def sample_progress() -> Progress:
    p = Progress()
    p = record_review(p, "term-def:ci", 5, D0)
    p = record_review(p, "term-def:ci", 4, D0 + dt.timedelta(days=1))
    p = record_review(p, "rung-next:azure-2", 1, D0)
    p = mark_read(p, "kaizen", "what-kaizen-means")
    p = mark_read(p, "kaizen", "sources")
    p = mark_read(p, "upload-日本", "日本語")
    qs = generate_quiz(make_content(), n=3, seed=1)
    return record_quiz(p, grade_quiz(qs, {qs[0].id: qs[0].answer}), D0, seed=1)


def test_progress_round_trip():
    p = sample_progress()
    text = export_progress(p)
    assert json.loads(text)["format"] == "mlops-explorer-progress"
    back = import_progress(text.encode("utf-8"))
    assert back == p
    assert import_progress("\ufeff" + text) == p
    assert back.cards["term-def:ci"].interval == 6 and back.quiz_history[0].score == 1


def test_updates_are_pure():
    p = Progress()
    q = mark_read(p, "n", "s")
    assert p.sections_read == {} and q.sections_read == {"n": ["s"]}
    assert mark_read(q, "n", "s").sections_read == {"n": ["s"]}  # idempotent
    assert mark_read(q, "n", "s", read=False).sections_read == {}
    r = record_review(q, "c", 5, D0)
    assert q.cards == {} and r.cards["c"].interval == 1


def test_quiz_history_is_bounded(monkeypatch):
    monkeypatch.setattr(study, "MAX_QUIZ_HISTORY", 3)
    p = Progress()
    res = grade_quiz([], {})
    for i in range(5):
        p = record_quiz(p, res, D0 + dt.timedelta(days=i))
    assert [r.taken_on.day for r in p.quiz_history] == [3, 4, 5]


def test_reading_progress():
    notes = [parse_note("## A\n### B\n## C\n", "one.md"), parse_note("## X\n", "two.md")]
    p = mark_read(mark_read(mark_read(Progress(), "one", "a"), "one", "c"), "one", "stale-id")
    r = reading_progress(p, notes)
    assert (r.of("one").read, r.of("one").total, r.of("two").read) == (2, 3, 0)
    assert (r.read, r.total, round(r.fraction, 2)) == (2, 4, 0.5)


GOOD = json.loads(export_progress(sample_progress()))


def bad(**change) -> str:
    data = json.loads(json.dumps(GOOD))
    for path, value in change.items():
        node = data
        *parents, last = path.split("__")
        for p in parents:
            node = node[p]
        node[last] = value
    return json.dumps(data)


@pytest.mark.parametrize(
    "data, fragment",
    [
        (b"", "empty"),
        (b"   ", "empty"),
        (b"{not json", "not valid JSON (line 1, column 2"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"[1, 2]", "JSON object, not list"),
        (b"null", "not null"),
        (b'{"cards": {}}', "not a progress file"),
        (b'{"format": "mlops-explorer-progress", "version": 9}', "newer version"),
        (bad(cards=[]), "cards"),
        (bad(cards__rung_x="soon"), "cards.rung_x"),
        (bad(sections_read={"n": "s"}), "sections_read.n"),
        (bad(quiz_history=[{"taken_on": "yesterday", "score": 1, "total": 1}]), "quiz_history.0.taken_on"),
        (bad(extra_key=1), "extra_key"),
        ('{"format": "mlops-explorer-progress", "cards": {"c": {"due": "2026-01-01", "ease": NaN}}}', "cards.c.ease"),
        ('{"format": "mlops-explorer-progress", "cards": {"c": {"due": "2026-01-01", "ease": 1.0}}}', "greater than"),
        ('{"format": "mlops-explorer-progress", "cards": {"c": {"due": "2026-01-01", "interval": -3}}}', "interval"),
        ('{"format": "mlops-explorer-progress", "cards": {"": {"due": "2026-01-01"}}}', "cards"),
        ('{"format": "mlops-explorer-progress", "sections_read": {"n": ["a\\u0000b"]}}', "control"),
        ("[" * 100_000 + "]" * 100_000, "not valid"),
        ('{"format": "mlops-explorer-progress", "sections_read": {"\\ud800": ["a"]}}', "control"),
        ('{"format": "mlops-explorer-progress", "cards": {"c": {"due": "2026-01-01", "interval": 1' + "0" * 5000 + "}}}",
         "not valid JSON"),
    ],
)
def test_bad_progress_files_raise_a_clear_error(data, fragment):
    before = sample_progress()
    with pytest.raises(ProgressImportError) as err:
        import_progress(data)
    assert fragment in str(err.value), str(err.value)
    assert str(err.value).startswith("the progress file") or "progress file" in str(err.value)
    assert before == sample_progress()  # the caller's progress is untouched


def test_oversized_progress_file_is_refused_before_parsing():
    big = b'{"format": "mlops-explorer-progress", "pad": "' + b"x" * (study.MAX_PROGRESS_BYTES + 10) + b'"}'
    with pytest.raises(ProgressImportError, match=r"limit is 2 MB"):
        import_progress(big)
    with pytest.raises(ProgressImportError, match="limit"):
        import_progress(export_progress(sample_progress()), max_bytes=50)


def test_progress_import_error_is_a_value_error():
    assert issubclass(ProgressImportError, ValueError)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_import_of_any_bytes_raises_only_its_error(data):
    try:
        import_progress(data)
    except ProgressImportError:
        pass


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from(["cards", "quiz_history", "sections_read", "version", "x"]), _JSON, max_size=4))
def test_import_of_any_json_raises_only_its_error(fields):
    doc = {"format": "mlops-explorer-progress", **fields}
    try:
        p = import_progress(json.dumps(doc))
    except ProgressImportError:
        return
    assert isinstance(p, Progress)
    assert import_progress(export_progress(p)) == p
