"""Note parser on tricky Markdown: fences, headings, front matter, non-ASCII text."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.notes import (
    NoteError,
    build_sections,
    canonical_markdown,
    image_refs,
    parse_note,
    scan_headings,
    slugify,
    split_front_matter,
    toc,
)
from explorer.render import render_markdown


def ids(text: str) -> list[str]:
    return [s.id for s in parse_note(text, "n.md").sections]


def titles(text: str) -> list[str]:
    return [s.title for s in parse_note(text, "n.md").sections]


def rendered_ids(html: str) -> list[str]:
    return re.findall(r'<h[1-6][^>]*\bid="([^"]*)"', html)


# --------------------------------------------------------------------------- code fences
@pytest.mark.parametrize(
    "text",
    [
        "# A\n```\n# not a heading\n```\n## B\n",
        "# A\n~~~\n# not a heading\n~~~\n## B\n",
        "# A\n```python\n# a comment\nx = 1\n```\n## B\n",
        "# A\n````md\n```\n# not a heading\n```\n````\n## B\n",  # a longer fence holds a shorter one
        "# A\n~~~~\n~~~\n# not a heading\n~~~\n~~~~\n## B\n",
        "# A\n  ```\n# not a heading\n  ```\n## B\n",  # fence indented up to 3 spaces
        '# A\n```python title="x.py"\n# not a heading\n```\n## B\n',  # info string with attributes
        "# A\n```\n# not a heading\n`````\n## B\n",  # closed by a longer fence
    ],
)
def test_hash_lines_inside_fences_are_not_headings(text):
    assert titles(text) == ["A", "B"]
    html = render_markdown(text)
    assert rendered_ids(html) == ["a", "b"]
    assert "not a heading" in html or "a comment" in html


def test_fence_needs_same_character_to_close():
    text = "# A\n```\n~~~\n# inside\n```\n## B\n"
    assert titles(text) == ["A", "B"]


def test_unclosed_fence_runs_to_the_end_in_parser_and_renderer():
    text = "# A\n```\n# inside\n## also inside\n"
    assert titles(text) == ["A"]
    html = render_markdown(text)
    assert rendered_ids(html) == ["a"]
    assert "also inside" in html and "<pre" in html


def test_backtick_fence_with_backtick_in_info_is_not_a_fence():
    assert titles("```a`b\n# real\n") == ["real"]


def test_indented_code_is_not_a_heading():
    text = "# A\n\n    # indented code\n\n## B\n"
    assert titles(text) == ["A", "B"]
    html = render_markdown(text)
    assert "# indented code" in html and rendered_ids(html) == ["a", "b"]


def test_html_blocks_and_comments_hide_headings_like_python_markdown():
    text = "<div>\n# in html\n</div>\n\n<!--\n# in comment\n-->\n\n<details>\n<summary>s</summary>\n\n## in details\n\n</details>\n\n# real\n"
    assert titles(text) == ["real"]
    assert rendered_ids(render_markdown(text)) == ["real"]


def test_hashtag_is_not_a_heading_anywhere():
    text = "#tag #other\n\n####### seven\n\n# Real\n"
    assert titles(text) == ["Real"]
    html = render_markdown(text)
    assert rendered_ids(html) == ["real"]
    assert "#tag" in html


# --------------------------------------------------------------------------- headings
def test_atx_headings_with_closing_hashes_and_indent():
    assert titles("## Foo ##\n   ### Bar\n#### Learn C#\n") == ["Foo", "Bar", "Learn C#"]


def test_skipped_levels_nest_under_the_nearest_shallower_heading():
    note = parse_note("# A\n### C\n## B\n#### D\n# E\n###### F\n", "n.md")
    rows = [(s.id, s.depth, s.parent) for s in note.sections]
    assert rows == [("a", 0, None), ("c", 1, "a"), ("b", 1, "a"), ("d", 2, "b"), ("e", 0, None), ("f", 1, "e")]
    assert toc(note) == [(0, "a", "A"), (1, "c", "C"), (1, "b", "B"), (2, "d", "D"), (0, "e", "E"), (1, "f", "F")]


def test_starting_below_level_one():
    note = parse_note("### deep first\n## then two\n### three\n", "n.md")
    assert [(s.depth, s.parent) for s in note.sections] == [(0, None), (0, None), (1, "then-two")]


def test_setext_headings():
    note = parse_note("Title\n=====\n\nintro\n\nSub title\n---\ntext\n", "n.md")
    assert [(s.id, s.level) for s in note.sections] == [("title", 1), ("sub-title", 2)]
    assert note.sections[1].body.startswith("Sub title\n---")
    assert rendered_ids(render_markdown(note.body)) == ["title", "sub-title"]


@pytest.mark.parametrize(
    "text",
    [
        "- item\n---\n",  # list item then a rule (Python-Markdown alone would make an h2 "- item")
        "> quote\n---\n",
        "| a | b |\n---\n",
        "1. first\n---\n",
        "line one\nline two\n---\n",  # a two-line paragraph is not a setext heading here
        "para\n\n---\n",  # a rule after a blank line
    ],
)
def test_underlines_that_are_not_setext_headings(text):
    assert titles(text) == []
    assert rendered_ids(render_markdown(text)) == []


def test_duplicate_titles_get_unique_ids_that_the_renderer_uses_too():
    text = "# A\n## Setup\n# B\n## Setup\n# C\n## Setup\n## Setup 2\n"
    expected = ["a", "setup", "b", "setup-2", "c", "setup-3", "setup-2-2"]
    assert ids(text) == expected
    assert rendered_ids(render_markdown(text)) == expected


def test_explicit_heading_id_and_attribute_list():
    note = parse_note("## Foo {#bar}\n## Baz {: .cls }\n", "n.md")
    assert [(s.id, s.title) for s in note.sections] == [("bar", "Foo"), ("baz", "Baz")]
    assert rendered_ids(render_markdown(note.body)) == ["bar", "baz"]


def test_heading_markup_is_stripped_from_titles():
    text = ("## *Emphasis* and `code` and [a link](http://x) and **bold**\n## snake_case_name stays\n## A &amp; B\n"
            "## The `<img>` tag and `*stars*`\n")
    assert titles(text) == ["Emphasis and code and a link and bold", "snake_case_name stays", "A & B",
                            "The <img> tag and *stars*"]
    assert ids(text) == ["emphasis-and-code-and-a-link-and-bold", "snake-case-name-stays", "a-b", "the-tag-and-stars"]


def test_empty_heading_is_ignored():
    assert titles("#\n# Real\n") == ["Real"]


def test_section_bodies_and_subtree():
    text = "intro line\n\n# A\na text\n## A1\na1 text\n# B\nb text\n"
    note = parse_note(text, "n.md")
    assert note.intro.strip() == "intro line"
    assert note.section("a").body == "# A\na text\n"
    assert [s.id for s in note.subtree("a")] == ["a", "a1"]
    assert "a1 text" in note.subtree_markdown("a") and "b text" not in note.subtree_markdown("a")
    assert note.section("missing") is None
    assert [s.line for s in note.sections] == [3, 5, 7]


def test_scan_headings_reports_line_indexes():
    assert scan_headings("x\n# A\n```\n# no\n```\nB\n-\n") == [(1, 1, "A"), (5, 2, "B")]


def test_windows_line_endings():
    text = "---\r\ntitle: T\r\n---\r\n# A\r\ntext\r\n\r\nSub\r\n---\r\n"
    note = parse_note(text, "n.md")
    assert note.title == "T"
    assert [s.id for s in note.sections] == ["a", "sub"]
    assert "\r" not in note.body


# --------------------------------------------------------------------------- front matter
def test_front_matter_is_parsed_and_never_in_the_body():
    text = "\ufeff---\nid: week-1\ntitle: Week one\nweek: 1\norder: 2\ntags: [a, b]\nsummary: S\n---\n# Heading\nBody\n"
    note = parse_note(text, "01-whatever.md")
    assert (note.id, note.title, note.week, note.order, note.tags, note.summary) == (
        "week-1", "Week one", 1, 2, ("a", "b"), "S")
    assert "title:" not in note.body and "---" not in note.body
    assert "title:" not in render_markdown(note.body)


def test_empty_front_matter():
    note = parse_note("---\n---\n# A\n", "x.md")
    assert note.title == "A" and note.body.strip() == "# A"


def test_unclosed_front_matter_is_a_rule_not_metadata():
    data, body, n = split_front_matter("---\ntitle: x\n")
    assert data == {} and n == 0 and "title: x" in body


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("---\ntitle: [unclosed\n---\nbody\n", "not valid YAML"),
        ("---\n- a\n- b\n---\nbody\n", "mapping"),
        ("---\ntitle: T\nunknown_key: 1\n---\n", "unknown_key"),
        ("---\nweek: soon\n---\n", "week"),
        ("---\nid: Not A Slug\n---\n", "id"),
        ("---\ntitle: !!python/object:os.system x\n---\n", "not valid YAML"),
    ],
)
def test_bad_front_matter_raises_note_error(text, fragment):
    with pytest.raises(NoteError) as err:
        parse_note(text, "bad.md")
    assert fragment in str(err.value)


def test_title_and_id_fallbacks():
    assert parse_note("# The Title\ntext", "03_week_1.md").title == "The Title"
    note = parse_note("no headings", "03_week_1.md")
    assert note.id == "week-1" and note.title == "03 week 1"
    assert note.sections == () and note.intro == "no headings"


# --------------------------------------------------------------------------- non-ASCII
def test_non_ascii_headings_get_ids():
    text = "# Café crème\n# 日本語の見出し\n# Ωmega and ß\n# 🚀🚀\n# 日本語の見出し\n"
    assert ids(text) == ["cafe-creme", "日本語の見出し", "mega-and", "section", "日本語の見出し-2"]
    html = render_markdown(text)
    assert rendered_ids(html) == ids(text)
    assert "Café crème" in html and "日本語の見出し" in html


def test_slugify():
    assert slugify("Hello, World!") == "hello-world"
    assert slugify("<b>Bold</b> `code`") == "bold-code"
    assert slugify("Ünïcödé") == "unicode"
    assert slugify("中文 标题") == "中文-标题"
    assert slugify("***") == "section"
    assert slugify("feature_store") == "feature-store"


# --------------------------------------------------------------------------- images
def test_image_refs():
    text = ('![a](figures/a.png) ![b](<figures/b c.png> "t") <img src="figures/c.svg"> '
            "![a](figures/a.png) ![d](figures/d.png 'title')\n```\n```")
    assert image_refs(text) == ("figures/a.png", "figures/b c.png", "figures/d.png", "figures/c.svg")


# --------------------------------------------------------------------------- parser and renderer agree
_LINES = st.sampled_from(
    [
        "# Title", "## Setup", "### Deep", "###### Six", "Para text", "", "", "```", "~~~", "````", "```python",
        "    indented", "- item", "> quote", "---", "===", "Setext", "#tag", "<div>", "</div>", "<!--", "-->",
        "| a | b |", "|---|---|", "## Café", "# 日本", "## Setup {#custom}", "  ## indented heading", "#",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_LINES, max_size=25))
def test_rendered_heading_ids_are_the_section_ids(lines):
    text = "intro\n\n" + "\n".join(lines)  # (a leading '---' would start front matter)
    note = parse_note(text, "prop.md")
    got = rendered_ids(render_markdown(note.body))
    want = [s.id for s in note.sections]
    # every section is a rendered heading, in order (the renderer may add headings inside quotes/lists)
    it = iter(got)
    assert all(any(g == w for g in it) for w in want), (text, got, want)
    assert len(set(want)) == len(want)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_parser_never_crashes_on_any_text(text):
    try:
        note = parse_note(text, "any.md")
    except NoteError:
        return
    canonical_markdown(note.body)
    intro, sections = build_sections(note.body)
    assert len({s.id for s in sections}) == len(sections)


@pytest.mark.parametrize("front", ["x: " + "[" * 3000, "week: " + "9" * 5000, "tags: " + "[" * 200 + "]" * 200],
                         ids=["nested", "huge-int", "nested-tags"])
def test_hostile_front_matter_raises_note_error_only(front):
    with pytest.raises(NoteError, match="front matter"):
        parse_note(f"---\n{front}\n---\n# a\n", "x.md")
