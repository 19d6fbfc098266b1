"""Improvement plan: one step per blocker with why, vendor guidance + source, notes, owner and date."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from explorer import CONTENT_DIR
from explorer.assess import results_io
from explorer.assess.plan import (
    DATE_MAX,
    apply_edits,
    build_plan,
    edits_from_json,
    edits_from_rows,
    note_resolver,
    parse_target,
    plan_dict,
    plan_markdown,
    plan_rows,
)
from explorer.assess.scoring import evaluate
from explorer.content.loader import load_content
from tests.assessment_fixtures import DAY, mini_assessment, mini_vendors

A = mini_assessment()
V = mini_vendors()
TITLES = {"notes-ci#section-ci": "CI notes › Section CI"}


@pytest.fixture()
def plan():
    # alpha: a2 needs ci >= 2 (1) and store >= 1 (N/A) -> on a1; beta: b1 needs team >= 2 (unanswered) -> on b0
    r = evaluate(A, V, {"ci": 1}, na=["store"])
    return build_plan(r, A, V, resolve=TITLES.get)


def test_one_step_per_blocker_in_plan_order(plan):
    assert plan.keys == ("a2/ci", "a2/store", "b1/team")  # next steps: ci and store (gap 1, questionnaire order), team (gap 2)
    ci, store, team = plan.steps
    assert (ci.vendor_id, ci.level_id, ci.level_label) == ("alpha", "a2", "Phase 2: Rung a2")
    assert (ci.current_label, ci.needed_label, ci.needed_description) == ("ci level 1", "ci level 2", "ci practice at level 2.")
    assert ci.why == (
        "It is one of 2 answers holding you back from Alpha Cloud Phase 2: Rung a2. "
        "Needed: 'ci level 2' or better (you are at 'ci level 1'): ci practice at level 2."
    )
    assert team.why.startswith("It is the only answer holding you back from Beta Cloud Level 1: Rung b1.")
    assert store.not_applicable and "marked this question as not applying" in store.why


def test_vendor_guidance_and_source_per_step(plan):
    g = plan.step("a2/ci").guidance
    assert (g.summary, g.changes, g.source_url, g.last_verified) == ("Summary of a2.", ("a2 adds something.",), "https://example.com/a2", DAY)
    assert plan.step("b1/team").source_url == "https://example.com/b1"


def test_learn_refs_question_first_then_rung_with_titles(plan):
    learn = plan.step("a2/ci").learn
    assert [(r.ref, r.title) for r in learn] == [
        ("notes-ci#section-ci", "CI notes › Section CI"),
        ("ladder-notes#a2", "ladder-notes#a2"),  # unknown to the resolver: the ref itself
    ]


def test_a_question_blocking_two_ladders_says_so():
    r = evaluate(A, V, {})  # ci 0 blocks alpha a2 (needs 2) and beta b1 (needs 1)
    p = build_plan(r, A, V)
    assert p.keys[:2] == ("a2/ci", "b1/ci")  # ci holds back both ladders: first
    assert "also holds back another ladder's next rung" in p.step("a2/ci").why


def test_top_of_every_ladder_means_no_step():
    r = evaluate(A, V, {"ci": 3, "deploy": 3, "store": 3, "monitor": 3, "team": 3})
    assert len(build_plan(r, A, V)) == 0


def test_note_resolver_on_shipped_content():
    c = load_content(CONTENT_DIR)
    resolve = note_resolver(c)
    note = c.notes[0]
    assert resolve(note.id) == note.title
    if note.sections:
        s = note.sections[-1]
        assert resolve(f"{note.id}#{s.id}") == f"{note.title} › {s.title}"
    assert resolve("no-such-note") is None and resolve(f"{note.id}#no-such-section") is None


# --------------------------------------------------------------------------- owners and dates
def test_parse_target():
    assert parse_target("2027-01-31") == dt.date(2027, 1, 31)
    assert parse_target(dt.datetime(2027, 1, 31, 12)) == dt.date(2027, 1, 31)
    assert parse_target("") is None and parse_target(None) is None
    for bad, words in [("2027-02-30", "not a real date"), ("31/01/2027", "YYYY-MM-DD"), ("1999-12-31", "outside"),
                       (20270131, "YYYY-MM-DD"), (DATE_MAX.replace(year=2101).isoformat(), "outside")]:
        with pytest.raises(ValueError, match=words):
            parse_target(bad)


def test_apply_edits_validates_each_field(plan):
    res = apply_edits(plan, {
        "a2/ci": {"owner": "  Ann\n<b>Lee</b> ", "target": "2027-02-30"},
        "b1/team": {"target": dt.date(2026, 1, 1)},
        "a2/store": "not a mapping",
        "gone/rung": {"owner": "x"},
    }, today=DAY)
    ci = res.plan.step("a2/ci")
    assert ci.owner == "Ann <b>Lee</b>" and ci.target is None  # the owner is cleaned (escaped on output), the bad date refused
    assert "not a real date" in res.errors["a2/ci"]
    assert res.plan.step("b1/team").target == dt.date(2026, 1, 1) and "already past" in res.warnings["b1/team"]
    assert res.plan.step("b1/team").overdue(DAY)
    assert "owner and/or a target" in res.errors["a2/store"]
    assert res.unknown == ("gone/rung",)
    assert res.plan.keys == plan.keys  # order never changes
    cleared = apply_edits(res.plan, {"a2/ci": {"owner": None}, "b1/team": {"target": ""}}).plan
    assert cleared.step("a2/ci").owner == "" and cleared.step("b1/team").target is None
    long = apply_edits(plan, {"a2/ci": {"owner": "x" * 500}})
    assert len(long.plan.step("a2/ci").owner) == 60 and "cut" in long.warnings["a2/ci"]
    assert "must be text" in apply_edits(plan, {"a2/ci": {"owner": 5}}).errors["a2/ci"]


def test_rows_for_an_editor_round_trip(plan):
    rows = plan_rows(plan)
    assert [r["key"] for r in rows] == list(plan.keys) and rows[0]["rung"] == "Alpha Cloud Phase 2: Rung a2"
    rows[2]["owner"], rows[2]["target"] = "Bo", dt.date(2027, 3, 1)
    edited = apply_edits(plan, edits_from_rows(rows)).plan
    assert edited.step("b1/team").owner == "Bo" and edited.edits == {"b1/team": {"owner": "Bo", "target": "2027-03-01"}}


# --------------------------------------------------------------------------- export and import
def test_plan_travels_in_the_json_export_and_comes_back(plan):
    plan = apply_edits(plan, {"a2/ci": {"owner": "Ann", "target": "2027-01-31"}}).plan
    r = evaluate(A, V, {"ci": 1}, na=["store"])
    text = results_io.export_json(r, A, V, plan=plan, when=dt.datetime(2026, 11, 26, tzinfo=dt.UTC))
    d = json.loads(text)
    assert [s["step"] for s in d["plan"]] == list(plan.keys)
    first = d["plan"][0]
    assert first["source_url"] == "https://example.com/a2" and first["owner"] == "Ann" and first["target"] == "2027-01-31"
    assert first["learn"] == ["notes-ci#section-ci", "ladder-notes#a2"] and first["why"].startswith("It is one of 2")
    assert d["plan"][1]["not_applicable"] is True
    back = results_io.import_json(text, A, V)
    assert back.plan_edits == {"a2/ci": {"owner": "Ann", "target": "2027-01-31"}}
    again = apply_edits(build_plan(r, A, V, resolve=TITLES.get), back.plan_edits).plan
    assert plan_dict(again) == plan_dict(plan)


def test_edits_from_json_is_lenient():
    edits, warnings = edits_from_json([{"step": "a/b", "owner": "x", "target": ""}, {"owner": "y"}, "junk", {"step": "c/d", "owner": 5}])
    assert edits == {"a/b": {"owner": "x", "target": ""}}
    assert len(warnings) == 3
    assert edits_from_json("nope")[1] and edits_from_json(None) == ({}, ())


def test_plan_markdown_escapes(plan):
    plan = apply_edits(plan, {"a2/ci": {"owner": "<script>x</script>|[a](b)"}}).plan
    lines = plan_markdown(plan, md_escape=results_io.md_escape)
    text = "\n".join(lines)
    assert lines[0] == "## Improvement plan"
    assert "\\<script\\>" in text and "<script>" not in text
    assert "<https://example.com/a2>" in text and "Why it matters:" in text and "`notes-ci#section-ci`" in text
    md = results_io.export_markdown(evaluate(A, V, {"ci": 1}, na=["store"]), A, V, plan=plan)
    assert "## Improvement plan" in md and "Does not apply to us (N/A)" in md


# --------------------------------------------------------------------------- owners and dates in a link
def test_edits_link_round_trip_keeps_owners_and_dates(plan):
    from explorer.assess.plan import decode_edits, encode_edits

    edited = apply_edits(plan, {"a2/ci": {"owner": "Ana", "target": "2027-03-31"}, "b1/team": {"owner": "", "target": "2027-06-30"}}).plan
    text = encode_edits(edited.edits)
    assert text.startswith("p2.") and text == text.lower()  # p2: with check characters (tests/test_codecheck.py)
    back = decode_edits(text)
    assert back == {"a2/ci": {"owner": "Ana", "target": "2027-03-31"}, "b1/team": {"owner": "", "target": "2027-06-30"}}
    assert apply_edits(plan, back).plan == edited


def test_edits_link_leaves_out_what_is_not_an_edit():
    from explorer.assess.plan import decode_edits, encode_edits

    assert encode_edits({}) is None
    assert encode_edits({"a2/ci": {"owner": "  ", "target": ""}}) is None  # nothing to keep
    text = encode_edits({"a2/ci": {"owner": "Bo\u202e\nb", "target": "2027-02-30"}, "not a key": {"owner": "x"},
                         "a2/store": "not a mapping"})
    assert decode_edits(text) == {"a2/ci": {"owner": "Bo b", "target": ""}}  # bidi/newline cleaned, impossible date dropped


@pytest.mark.parametrize("bad", ["", "p1.", "p2.abcd", "p1.ABC!", "p1.a", "x" * 3000, None, 5, "p1.aaaaaaaa"])
def test_edits_link_damaged_values_raise_a_readable_error(bad):
    from explorer.assess.plan import decode_edits

    with pytest.raises(ValueError, match="damaged|do not check out"):
        decode_edits(bad)


def test_edits_link_stays_within_its_limit_by_leaving_out_the_last_steps():
    import random

    from explorer.assess.plan import MAX_EDITS_LINK, decode_edits, encode_edits

    rng = random.Random(3)
    edits = {f"lv-{i}/q-{i}": {"owner": "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(60)), "target": "2027-01-01"}
             for i in range(60)}
    text = encode_edits(edits)
    assert len(text) <= MAX_EDITS_LINK
    back = decode_edits(text)
    assert 0 < len(back) < len(edits) and all(back[k]["owner"] == edits[k]["owner"] for k in back)
    assert set(back) == set(list(edits)[: len(back)])  # the first steps are kept, the last ones left out
