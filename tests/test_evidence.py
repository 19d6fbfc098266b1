"""Notes, names and "does not apply": cleaning, answer sets, and the JSON / Markdown exports."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.assess import results_io
from explorer.assess.evidence import (
    MAX_NAME_CHARS,
    MAX_NOTE_CHARS,
    AnswerSet,
    clean_text,
    make_answer_set,
    split_links,
    truncate,
)
from explorer.assess.scoring import evaluate
from tests.assessment_fixtures import mini_assessment, mini_vendors

A = mini_assessment()
V = mini_vendors()
WHEN = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


# --------------------------------------------------------------------------- cleaning
def test_clean_text_hand_worked():
    assert clean_text("  two\nlines\there ", 50) == ("two lines here", False)
    assert clean_text("a\u202eevil\u200b\x00b", 50) == ("a evil b", False)  # bidi override, zero width, NUL
    assert clean_text("e\u0301", 50) == ("é", False)  # NFC
    assert clean_text("abcdef", 4) == ("abc…", True)
    assert clean_text("", 4) == ("", False)
    assert clean_text("x" * 10_000, 10) == ("xxxxxxxxx…", True)
    assert clean_text(" " * 5000 + "late", 10)[1]  # only a bounded window is read; the cut is reported
    with pytest.raises(TypeError):
        clean_text(5, 10)  # type: ignore[arg-type]


@settings(max_examples=300)
@given(st.text(max_size=2000), st.integers(1, 300))
def test_clean_text_properties(text, limit):
    out, cut = clean_text(text, limit)
    assert len(out) <= limit
    assert "\n" not in out and "\r" not in out and "\u202e" not in out
    assert out == out.strip()
    assert clean_text(out, limit)[0] == out  # idempotent
    if not cut:
        assert " ".join(out.split()) == out


def test_truncate():
    assert truncate("hello world", 5) == "hell…"
    assert truncate("hi", 5) == "hi" and truncate("hi", 0) == ""


def test_split_links():
    parts = split_links("see https://a.example/x?y=1, then (http://b.example).")
    assert parts == [("see ", False), ("https://a.example/x?y=1", True), (", then (", False), ("http://b.example", True), (").", False)]
    assert split_links("javascript:alert(1) and ftp://x") == [("javascript:alert(1) and ftp://x", False)]
    assert split_links('https://a.example/"onmouseover="x') == [("https://a.example/", True), ('"onmouseover="x', False)]


def test_make_answer_set_turns_bad_input_into_warnings():
    aset, warnings = make_answer_set(
        A, {"ci": 2, "ghost": 1, "store": 1}, na=["store", "team", "ci", "nope"],
        notes={"ci": " uses  GitHub ", "deploy": "   ", "ghost": "x", "monitor": "m" * 400}, name="  Ann  ",
    )
    assert aset.answers == {"ci": 2, "store": 1}
    assert aset.na == frozenset({"team"})
    assert aset.notes == {"ci": "uses GitHub", "monitor": "m" * (MAX_NOTE_CHARS - 1) + "…"}
    assert aset.name == "Ann" and aset.has_extras
    joined = " | ".join(warnings)
    for part in ("'ghost'", "'store' was both answered", "'ci' cannot be marked", "'nope'", "note on 'monitor' was cut"):
        assert part in joined, part
    assert not AnswerSet({"ci": 1}).has_extras
    _, w = make_answer_set(A, {}, name="n" * 100)
    assert f"cut to {MAX_NAME_CHARS}" in w[0]


# --------------------------------------------------------------------------- exports carry N/A, notes and the name
NOTES = {"ci": "GitHub Actions on every push: https://ci.example.com", "store": "We train on raw images <b>only</b>"}


def _export(**kw):
    r = evaluate(A, V, {"ci": 2, "monitor": 1}, na=["store"])
    return r, results_io.export_json(r, A, V, when=WHEN, notes=NOTES, participant="Ann", **kw)


def test_json_carries_na_notes_and_participant():
    r, text = _export()
    d = json.loads(text)
    assert d["not_applicable"] == ["store"]
    assert d["notes"] == NOTES
    assert d["participant"] == "Ann"
    assert d["answers"] == {"ci": 2, "monitor": 1}
    assert "store" not in d["unanswered"]
    alpha = next(v for v in d["results"]["vendors"] if v["vendor"] == "alpha")
    assert {b["question"]: b["not_applicable"] for b in alpha["blockers"]} == {"store": True}
    assert d["results"]["scores"]["quarters"]["data"] is None  # the only data question does not apply
    back = results_io.import_json(text, A, V)
    assert back.na == frozenset({"store"}) and back.notes == NOTES and back.participant == "Ann"
    assert evaluate(A, V, back.answers, back.na) == r
    assert back.warnings == ()


def test_import_is_lenient_about_na_and_notes():
    _, text = _export()
    d = json.loads(text)
    d["answers"]["team"] = 1
    d["not_applicable"] = ["store", "ci", "ghost", "team"]  # ci: not allowed; ghost: unknown; team: also answered
    d["notes"]["ghost"] = "x"
    d["notes"]["deploy"] = "d" * 1000
    d["participant"] = "p" * 300
    back = results_io.import_json(json.dumps(d), A, V)
    assert back.na == frozenset({"store"})
    assert back.notes["deploy"].endswith("…") and len(back.notes["deploy"]) == MAX_NOTE_CHARS
    assert len(back.participant) == MAX_NAME_CHARS
    joined = " | ".join(back.warnings)
    for part in ("'ci' cannot be marked", "'ghost'", "'team' was both", "note on 'deploy' was cut", "participant name was cut"):
        assert part in joined, part


def test_files_from_before_issue_12_still_import():
    _, text = _export()
    d = json.loads(text)
    for k in ("not_applicable", "notes", "participant", "plan"):
        d.pop(k)
    back = results_io.import_json(json.dumps(d), A, V)
    assert back.na == frozenset() and back.notes == {} and back.participant == "" and back.plan_edits == {}


def test_wrong_types_in_new_fields_are_named():
    _, text = _export()
    d = json.loads(text)
    d["notes"] = {"ci": 5}
    with pytest.raises(results_io.ResultImportError, match="notes.ci"):
        results_io.import_json(json.dumps(d), A, V)


def test_markdown_shows_na_notes_and_escapes_them():
    r = evaluate(A, V, {"ci": 2, "monitor": 1}, na=["store"])
    md = results_io.export_markdown(r, A, V, when=WHEN, notes={**NOTES, "monitor": "<script>|x"}, participant="<Ann>")
    assert "- Answered by: \\<Ann\\>" in md
    assert "| Question | Answer | Note |" in md
    assert "Does not apply to us (N/A)" in md and "marked 'does not apply': store" in md
    assert "\\<script\\>\\|x" in md and "<script>" not in md
    assert "n/a (no question applies)" in md  # the data quarter has no question that applies
    assert "| 1 (1 N/A) |" in md
