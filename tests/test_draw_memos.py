"""What a note's draw keeps for the next draw (#22): highlighted code blocks and the glossary's matches of a text.

An edited note is drawn again with most of its text as it was; these two memos spare that draw the work its
unchanged code blocks and prose were (Pygments, the terms' pattern).  Each is bounded and gives exactly what
the work would give.
"""

from __future__ import annotations

import explorer.notes.md.code_blocks as C
from explorer.content.schema import Term
from explorer.notes.glossary_links import _Matches, build_matcher
from explorer.notes.note import parse_note
from explorer.notes.render import render_note

TERMS = [Term(id="ci", term="CI", definition="Continuous integration."),
         Term(id="feature-store", term="Feature store", aliases=["feature stores"], definition="Serves features.")]
NOTE = "# Note\n\nA feature store for CI.\n\n```python\nx = 1  # a comment\n```\n\n## Two\n\nFeature stores again.\n"


def test_a_code_block_is_highlighted_once_and_the_same_html_comes_back(monkeypatch):
    memo = C._Highlighted()
    monkeypatch.setattr(C, "HIGHLIGHTED", memo)
    made = []
    real = C._highlight
    monkeypatch.setattr(C, "_highlight", lambda code, lexer: made.append(code) or real(code, lexer))
    first = C.highlight_code("x = 1\n", "python", keep=True)
    assert 'class="tok-' in first and made == ["x = 1\n"]
    assert C.highlight_code("x = 1\n", "Python", keep=True) == first and len(made) == 1  # the lexer's name, any case
    assert C.highlight_code("x = 1\n", "bash", keep=True) != first and len(made) == 2  # another language: its own colours
    assert C.highlight_code("x = 2\n", "python", keep=True) != first and len(made) == 3
    assert C.highlight_code("plain", "no-such-language", keep=True) == "plain" and len(memo) == 3  # not highlighted
    assert C.highlight_code("y = 3\n", "python") == C.highlight_code("y = 3\n", "python", keep=True)
    assert len(made) == 5 and len(memo) == 4  # without keep: made, never kept


def test_highlighted_blocks_are_bounded_by_bytes_oldest_out_first(monkeypatch):
    memo = C._Highlighted()
    monkeypatch.setattr(memo, "MAX_BYTES", 3000)
    monkeypatch.setattr(memo, "MAX_BLOCK", 1500)
    for i in range(10):
        memo.get(f"code {i}", "python", lambda i=i: f"{i}" * 1000)
    assert len(memo) == 3 and memo._bytes <= 3000
    assert memo.get("code 9", "python", lambda: "made again") == "9" * 1000  # the newest kept
    assert memo.get("code 0", "python", lambda: "made again") == "made again"  # the oldest gone
    kept = list(memo._data.values())
    assert memo.get("huge", "python", lambda: "x" * 2000) == "x" * 2000
    assert list(memo._data.values()) == kept  # above MAX_BLOCK: never kept (it would push out the others)


def test_glossary_matches_are_kept_per_text_and_equal_finditer():
    m = build_matcher(TERMS)
    text = "A feature store for CI, and feature stores; not ci."
    assert m.matches(text) == tuple(m.finditer(text)) and len(m.matches(text)) == 3
    assert len(m.drawn) == 1 and m.matches(text) is m.matches(text)  # kept: no second search
    assert build_matcher([]).matches(text) == ()


def test_glossary_matches_are_bounded_by_characters(monkeypatch):
    memo = _Matches()
    monkeypatch.setattr(memo, "MAX_CHARS", 200)
    monkeypatch.setattr(memo, "ENTRY", 34)
    monkeypatch.setattr(memo, "MAX_TEXT", 40)
    for i in range(20):
        memo.get(f"text number {i:02d} " * 2, lambda t: [(0, 1, None)])  # 30 characters, counted as 64
    assert memo._chars <= 200 and len(memo) == 3
    assert memo.get("text number 19 " * 2, lambda t: []) == ((0, 1, None),)  # the newest kept
    memo.get("x" * 41, lambda t: [])
    assert "x" * 41 not in memo._data


def test_an_uploaded_note_never_enters_the_process_wide_memos(monkeypatch):
    """The memos are shared by every session: only shipped notes' text goes in (an upload stays in its session)."""
    memo = C._Highlighted()
    monkeypatch.setattr(C, "HIGHLIGHTED", memo)
    m = build_matcher(TERMS)
    upload = parse_note(NOTE.replace("x = 1", "secret = 42"), "mine.md", source="upload")
    html = render_note(upload, glossary=m)
    assert "secret" in html and 'class="gloss"' in html  # drawn as any note: highlighted, terms linked
    assert len(memo) == 0 and len(m.drawn) == 0
    render_note(parse_note(NOTE, "n.md"), glossary=m)
    assert len(memo) == 1 and len(m.drawn) > 0  # a shipped note's are kept


def test_a_note_drawn_again_with_both_memos_is_the_same_page():
    m = build_matcher(TERMS)
    note = parse_note(NOTE, "n.md")
    fresh = render_note(note, glossary=build_matcher(TERMS))
    assert render_note(note, glossary=m) == fresh
    assert render_note(parse_note(NOTE, "n.md"), glossary=m) == fresh  # from the memos this time
    assert fresh.count('class="gloss"') == 3  # first use per section: "feature store", "CI", then "Feature stores"
