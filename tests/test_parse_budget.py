"""The parse budget (issue #20): real notes are parsed in full, hostile ones are shown as plain text with a notice.

Costs in time are measured in ``bench/`` (``notes`` and ``abuse``); here the decisions and what the reader sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.abuse_bench import SHAPES, hostile_note
from explorer.notes.md.document import parse_document
from explorer.notes.md.parse_budget import BUDGET, estimate, nesting
from explorer.notes.note import parse_note
from explorer.notes.render import render_note

ROOT = Path(__file__).resolve().parent.parent
REAL = sorted([*(ROOT / "content" / "notes").rglob("*.md"), *(ROOT / "tests" / "fixtures" / "notes").glob("*.md")])
NOTICE = "Shown as plain text"


def _rep(unit: str, size: int = 200_000) -> str:
    return (unit * (size // len(unit) + 1))[:size]


MORE_SHAPES = {
    "atx-headings": _rep("# a\n"),
    "setext-headings": _rep("a\n-\n"),
    "ordered": _rep("1. a\n"),
    "deflist": _rep("a\n: b\n\n"),
    "tasks": _rep("- [ ] a\n"),
    "autolinks": _rep("http://a.b "),
    "hard-breaks": _rep("a  \n"),
    "code-spans": _rep("`a` "),
    "strike": _rep("~~a~~ "),
    "footnote-refs": _rep("x[^1] ") + "\n\n[^1]: y\n",
    "entities": _rep("&amp; "),
    "tiny-paragraphs": _rep("lorem ipsum\n\n"),
}


@pytest.mark.parametrize("path", REAL, ids=lambda p: p.name)
def test_real_notes_are_parsed_in_full_with_room_to_spare(path):
    text = path.read_text(encoding="utf-8")
    est = estimate(text)
    assert est.cost < BUDGET / 4, (path.name, est.counts)
    doc = parse_document(text)
    assert doc.budget is None
    assert NOTICE not in render_note(parse_note(text, path.name))


def test_the_65_code_block_note_doubled_is_still_parsed():
    """A long real note (the 87 kB note with 65 code blocks, twice over: 174 kB) keeps its headings and code blocks."""
    text = (ROOT / "tests" / "fixtures" / "notes" / "docker-kubernetes-long.md").read_text(encoding="utf-8")
    doubled = text + "\n\n" + text
    doc = parse_document(doubled)
    assert doc.budget is None
    assert sum(t.type == "fence" for t in doc.tokens) >= 130


@pytest.mark.parametrize("shape", [*SHAPES, *MORE_SHAPES])
def test_hostile_notes_of_200_kb_are_over_the_budget(shape):
    text = hostile_note(shape).decode() if shape in SHAPES else MORE_SHAPES[shape]
    est = estimate(text)
    assert est.over, (shape, est.counts, est.cost)


@pytest.mark.parametrize("shape", SHAPES)
def test_a_small_note_of_the_same_shape_is_parsed(shape):
    text = hostile_note(shape, 2_000).decode()
    assert parse_document(text).budget is None


def test_a_note_over_the_budget_shows_a_notice_and_its_text_as_written():
    text = "---\ntitle: My long list\ntags: [big]\n---\n" + "- item <script>alert(1)</script>\n" * 20_000
    note = parse_note(text, "long-list.md", source="upload")
    assert note.title == "My long list"  # the front matter is still read
    assert note.tags == ("big",)
    doc = note.document()
    assert doc.budget is not None and doc.budget.over
    assert doc.front_matter is not None
    out = render_note(note)
    assert NOTICE in out
    assert "20,000 list items" in out  # says why
    assert "split it into several smaller notes" in out  # and how
    assert "<li>" not in out  # not laid out
    assert "- item &lt;script&gt;alert(1)&lt;/script&gt;" in out  # shown as written, inert
    assert "<script" not in out
    assert out.count("- item") == 20_000  # nothing of the text is lost
    assert "title: My long list" not in out  # the front matter is not part of the text shown


def test_the_notice_names_the_heaviest_part():
    est = estimate("|a" * 30_000 + "|\n")
    assert est.over
    assert est.main_cause() == "30,001 table cells"


def test_nesting_is_reported_for_deep_quotes_and_lists():
    deep = "".join("> " * 12 + "- a\n" for _ in range(40_000))
    assert estimate(deep).over and nesting(deep) >= 13


def test_rough_text_reads_the_words_without_a_parse():
    from explorer.notes.md.document import rough_text

    text = "# Drift\n\nWatch **data drift** with [a monitor](https://example.com) &amp; `kubectl`.\n\n| a | b |\n"
    assert rough_text(text) == "Drift Watch data drift with a monitor https://example.com & kubectl . a b"
