"""Markdown -> safe HTML: sanitising, code, tables, heading ids, figures and path traversal."""

from __future__ import annotations

import base64
import os
import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer import render
from explorer.notes import parse_note
from explorer.render import image_data_uri, render_markdown, render_note, sanitize_html

# a 1x1 transparent PNG
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


@pytest.fixture
def figures(tmp_path: Path) -> Path:
    d = tmp_path / "figures"
    d.mkdir()
    (d / "chart.png").write_bytes(PNG)
    (d / "diagram.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (d / "notes.txt").write_text("not an image", encoding="utf-8")
    (tmp_path / "secret.png").write_bytes(PNG)  # outside the figures folder
    image_data_uri.cache_clear()
    yield d
    image_data_uri.cache_clear()


def lower(html: str) -> str:
    return html.lower()


# --------------------------------------------------------------------------- sanitising
@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil/x.js></SCRIPT>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        "[x](javascript:alert(1))",
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        "<svg onload=alert(1)>",
        '<iframe src="https://evil"></iframe>',
        '<object data="x"></object><embed src="x">',
        "<style>body{display:none}</style>",
        '<form action="https://evil"><input name=a></form>',
        '<div onclick="alert(1)" onmouseover="x()">d</div>',
        '<span style="background-image:url(javascript:alert(1))">s</span>',
        '<meta http-equiv="refresh" content="0;url=https://evil">',
        '<link rel="stylesheet" href="https://evil/x.css">',
        "<base href='https://evil/'>",
    ],
)
def test_dangerous_html_is_removed(payload):
    html = lower(render_markdown(f"Intro\n\n{payload}\n\nAfter"))
    for bad in ("<script", "onerror", "onload", "onclick", "onmouseover", "javascript:", "<iframe", "<object",
                "<embed", "<style", "<form", "<input", "<meta", "<link", "<base", "url(", "data:text"):
        assert bad not in html, (payload, html)
    assert "after" in html


def test_harmless_tags_are_kept():
    text = ("<b>bold</b> <em>em</em> <kbd>Ctrl</kbd> <sub>2</sub> <mark>m</mark>\n\n"
            "<details><summary>More</summary>hidden</details>\n\n"
            '<span style="color: red; position: fixed">red</span> <abbr title="Continuous integration">CI</abbr>')
    html = render_markdown(text)
    for good in ("<b>bold</b>", "<em>em</em>", "<kbd>Ctrl</kbd>", "<sub>2</sub>", "<mark>m</mark>",
                 "<details>", "<summary>More</summary>", '<abbr title="Continuous integration">CI</abbr>'):
        assert good in html
    assert 'style="color:red' in html.replace(" ", "") and "position" not in html


def test_links_get_safe_rel_and_keep_http():
    html = render_markdown("[site](https://example.org) [mail](mailto:a@b.c)")
    assert 'href="https://example.org"' in html and 'href="mailto:a@b.c"' in html
    assert "noopener" in html


def test_script_inside_code_is_shown_escaped():
    html = render_markdown("Use `<script>` tags.\n\n```html\n<script>alert(1)</script>\n```\n")
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html


def test_sanitize_html_directly():
    assert sanitize_html('<p onclick="x">a</p><script>b</script>') == "<p>a</p>"


# --------------------------------------------------------------------------- code, tables, text
def test_code_block_is_highlighted_and_keeps_its_lines():
    html = render_markdown("```python\ndef f(x):\n    return x  # comment\n```\n")
    assert '<div class="codehilite">' in html
    assert "<pre" in html and "&#10;" in html  # newlines kept inside one HTML block
    assert re.search(r'<span style="color:\s*#[0-9A-Fa-f]{6}', html)  # token colours survive sanitising


def test_table():
    html = render_markdown("| Practice | Improved |\n|---|:---:|\n| DevOps | code |\n| DataOps | data |\n")
    assert "<table>" in html and "<th>Practice</th>" in html and "<td>DataOps</td>" in html


def test_output_is_one_markdown_safe_block():
    html = render_markdown("# A\n\ntext\n\n\n\n- x\n- y\n\n```\na\n\nb\n```\n")
    assert "\n\n" not in html
    assert not any(line.startswith((" ", "\t")) for line in html.split("\n"))


def test_non_ascii_text_is_kept():
    html = render_markdown("## Café\n\nNaïve façade — 日本語 — emoji 🚀")
    assert "Naïve façade — 日本語 — emoji 🚀" in html and 'id="cafe"' in html


def test_wrap_class_is_escaped():
    assert render_markdown("x", wrap_class='a" onclick="b').startswith('<div class="a&quot; onclick=&quot;b">')


# --------------------------------------------------------------------------- heading ids
def test_render_note_ids_match_sections_also_for_one_section():
    note = parse_note("# A\n## Setup\ntext\n# B\n## Setup\nmore\n### Deep\n", "n.md")
    whole = render_note(note)
    assert re.findall(r'\bid="([^"]+)"', whole) == ["a", "setup", "b", "setup-2", "deep"]
    part = render_note(note, "setup-2")
    assert re.findall(r'\bid="([^"]+)"', part) == ["setup-2", "deep"]
    assert "text" not in part.replace("setup", "")
    prefixed = render_note(note, id_prefix="n--")
    assert re.findall(r'\bid="([^"]+)"', prefixed)[:2] == ["n--a", "n--setup"]
    assert render_note(note, "no-such-section") == whole


def test_render_note_parts_and_transform():
    note = parse_note("Intro text\n# A\nown a\n## Setup\nchild\n# B\n## Setup\nsecond\n", "n.md")
    intro = render_note(note, part="intro")
    assert "Intro text" in intro and "<h1" not in intro
    own = render_note(note, "setup-2", part="own")
    assert re.findall(r'\bid="([^"]+)"', own) == ["setup-2"] and "second" in own
    own_a = render_note(note, "a", part="own")
    assert "own a" in own_a and "child" not in own_a
    marked = render_note(note, "b", transform=lambda h: h.replace("second", "<mark>second</mark><script>x</script>"))
    assert "<mark>second</mark>" in marked and "<script" not in marked  # the transform's output is sanitised
    assert re.findall(r'\bid="([^"]+)"', marked) == ["b", "setup-2"]


def test_heading_ids_override_is_ignored_when_it_does_not_fit():
    html = render_markdown("# A\n# B\n", heading_ids=["only-one"])
    assert re.findall(r'\bid="([^"]+)"', html) == ["a", "b"]


# --------------------------------------------------------------------------- figures
def test_existing_figure_is_inlined_as_data_uri(figures):
    html = render_markdown("![Chart](figures/chart.png) ![D](figures/diagram.svg)", figures_dir=figures)
    assert 'src="data:image/png;base64,' in html
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'alt="Chart"' in html and "figures/chart.png" not in html


def test_html_img_tag_to_a_figure_is_inlined(figures):
    html = render_markdown('<img src="figures/chart.png" alt="c" onerror="x()">', figures_dir=figures)
    assert "data:image/png;base64," in html and "onerror" not in html


def test_missing_figure_shows_a_placeholder_naming_the_file(figures):
    html = render_markdown("![The pyramid](figures/pyramid.png)", figures_dir=figures)
    assert "missing-figure" in html and "figures/pyramid.png" in html and "The pyramid" in html
    assert "<img" not in html


@pytest.mark.parametrize(
    "src",
    [
        "figures/../../etc/passwd",
        "figures/../secret.png",
        "../secret.png",
        "/etc/passwd",
        "{secret}",  # absolute path of a real PNG outside the folder
        "figures/%2e%2e/secret.png",
        "figures/notes.txt",  # inside, but not an image type
        "file:///etc/passwd",
    ],
)
def test_image_paths_outside_the_figures_folder_are_never_read(figures, src, monkeypatch):
    src = src.replace("{secret}", str(figures.parent / "secret.png"))
    opened: list[str] = []
    real_read = Path.read_bytes

    def spy(self: Path) -> bytes:
        opened.append(str(self))
        return real_read(self)

    monkeypatch.setattr(Path, "read_bytes", spy)
    html = render_markdown(f"![x]({src})", figures_dir=figures)
    assert "data:" not in html
    assert not opened
    assert "missing-figure" in html or "<img" not in html


def test_symlink_escaping_the_figures_folder_is_not_followed(figures):
    link = figures / "escape.png"
    try:
        os.symlink(figures.parent / "secret.png", link)
    except (OSError, NotImplementedError):
        pytest.skip("symlinks not available")
    html = render_markdown("![x](figures/escape.png)", figures_dir=figures)
    assert "data:" not in html and "missing-figure" in html


def test_too_big_figure_is_not_inlined(figures, monkeypatch):
    monkeypatch.setattr(render, "MAX_IMAGE_BYTES", 10)
    image_data_uri.cache_clear()
    html = render_markdown("![x](figures/chart.png)", figures_dir=figures)
    assert "data:" not in html and "missing-figure" in html


def test_remote_images_are_left_as_links_to_the_web():
    html = render_markdown("![x](https://example.org/a.png)")
    assert 'src="https://example.org/a.png"' in html


def test_shipped_figures_referenced_by_notes_are_inlined(content):
    for note in content.notes:
        for ref in note.images:
            uri = image_data_uri(ref, str(render.FIGURES_DIR))
            html = render_markdown(f"![x]({ref})")
            assert (uri is not None) == ("data:image/" in html)


# --------------------------------------------------------------------------- properties
_ATTACKS = st.sampled_from([
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[a](javascript:alert(1))",
    "<iframe src=//x>", '<a href="vbscript:x">v</a>', "<svg/onload=alert(1)>", "<style>*{}</style>",
    "javascript:alert(1)", "`<script>`", "```\n<script>\n```",
])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_ATTACKS, st.text(max_size=40)), max_size=8))
def test_rendered_output_never_contains_active_content(parts):
    html = render_markdown("\n".join(parts)).lower()
    assert "<script" not in html and "<iframe" not in html and "<style" not in html
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html)  # no handler inside a real tag (escaped text is fine)
    assert not re.search(r'<[a-z][^>]*\b(?:href|src)="\s*(?:javascript|vbscript|data):', html)


def test_real_notes_render_with_their_section_ids(content):
    for note in content.notes:
        html = render_note(note)
        assert re.findall(r'<h[1-6][^>]*\bid="([^"]+)"', html) == [s.id for s in note.sections], note.id
        assert "<script" not in html.lower()


# --------------------------------------------------------------------------- glossary links (post-processing of rendered HTML)
from explorer import schema  # noqa: E402
from explorer.glossary_links import backlinks, build_matcher, is_acronym, link_terms, terms_in_text  # noqa: E402

TERMS = [
    schema.Term(id="ci", term="CI", aliases=["continuous integration"], definition='Merging "often" <always>.'),
    schema.Term(id="ci-cd", term="CI/CD", definition="Both."),
    schema.Term(id="cd", term="CD", definition="Delivery."),
    schema.Term(id="feature-store", term="Feature store", aliases=["feature stores"], definition="Features."),
    schema.Term(id="rd", term="R&D", definition="Research."),
    schema.Term(id="drift", term="Data drift", aliases=["drift"], definition="Change."),
]


def gloss(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="gloss" href="/Glossary\?term=([^"]+)"[^>]*>([^<]*)</a>', html)


def test_first_occurrence_of_each_term_is_linked_with_its_definition():
    html = render_markdown("Continuous integration (CI) runs often. CI again. A feature store, Feature Stores.")
    out = link_terms(html, TERMS)
    assert gloss(out) == [("ci", "Continuous integration"), ("feature-store", "feature store")]
    assert 'title="Merging &quot;often&quot; &lt;always&gt;."' in out and 'target="_self"' in out


def test_acronyms_are_case_sensitive_and_words_are_whole():
    out = link_terms(render_markdown("The cd command, a decision, CIRCLE, CI-friendly, then CD ships."), TERMS)
    assert gloss(out) == [("cd", "CD")]
    assert is_acronym("ESG") and is_acronym("CI/CD") and not is_acronym("MLOps") and not is_acronym("KUBERNETES")


def test_longest_form_wins_and_plurals_match():
    out = link_terms(render_markdown("Our CI/CD setup; data drifts."), TERMS)
    assert gloss(out) == [("ci-cd", "CI/CD"), ("drift", "data drifts")]


def test_never_inside_links_code_headings_or_abbr():
    text = ("# CI heading\n\n[CI link](https://x) `CI` <abbr title='x'>CI</abbr>\n\n```\nCI in code\n```\n\n"
            "<kbd>CI</kbd> and finally CI.")
    out = link_terms(render_markdown(text), TERMS)
    assert gloss(out) == [("ci", "CI")]
    assert out.rstrip().endswith("and finally " + re.search(r'<a class="gloss"[^>]*>CI</a>', out).group(0) + ".</p></div>")


def test_entities_in_text_are_matched_and_kept_escaped():
    out = link_terms(render_markdown("Spend on R&D if 1 < 2 & 3 > 2."), TERMS)
    assert gloss(out) == [("rd", "R&amp;D")] and "1 &lt; 2 &amp; 3 &gt; 2" in out


def test_seen_is_shared_between_sections_and_href_is_configurable():
    seen: set[str] = set()
    first = link_terms(render_markdown("CI once."), TERMS, seen=seen)
    second = link_terms(render_markdown("CI twice."), TERMS, seen=seen)
    assert gloss(first) == [("ci", "CI")] and gloss(second) == [] and seen == {"ci"}
    pack = link_terms("<p>CI</p>", TERMS, href="#term-{id}", target=None)
    assert pack == '<p><a class="gloss" href="#term-ci" title="Merging &quot;often&quot; &lt;always&gt;.">CI</a></p>'
    assert link_terms("<p>CI</p>", TERMS, exclude=["ci"]) == "<p>CI</p>"
    assert link_terms("<p>CI</p>", []) == "<p>CI</p>"


def test_link_terms_survives_a_second_sanitising():
    out = sanitize_html(link_terms(render_markdown("CI."), TERMS))
    assert 'class="gloss"' in out and 'href="/Glossary?term=ci"' in out and "title=" in out


def test_backlinks_list_where_terms_occur():
    notes = [
        parse_note("CI in the intro.\n# Setup\nA feature store.\n```\nCD in code only\n```\n# CD heading\ntext\n", "one.md"),
        parse_note("# Other\nNo terms.\n", "two.md"),
    ]
    where = backlinks(notes, TERMS)
    assert set(where) == {t.id for t in TERMS}
    assert where["ci"] == [("one", None)]
    assert where["feature-store"] == [("one", "setup")]
    assert where["cd"] == [("one", "cd-heading")]  # headings count, code does not
    assert where["rd"] == []
    assert terms_in_text("CI and CD and CI", build_matcher(TERMS)) == ["ci", "cd"]


def test_glossary_links_on_the_real_notes(content):
    if not content.ok("glossary"):
        pytest.skip("glossary not available")
    matcher = build_matcher(content.glossary)
    for note in content.notes:
        out = render_note(note, transform=lambda h: link_terms(h, matcher))
        ids = [t for t, _ in gloss(out)]
        assert len(ids) == len(set(ids)), note.id  # once per note
        assert not re.search(r"<h[1-6][^>]*>(?:(?!</h[1-6]>).)*class=\"gloss\"", out, re.S)
        assert not re.search(r"<(code|pre)\b(?:(?!</\1>).)*class=\"gloss\"", out, re.S)


# --------------------------------------------------------------------------- hostile Markdown (uploads are outside input)
from explorer.render import defuse_markdown  # noqa: E402

_HOSTILE = {
    "unclosed brackets": "[" * 200_000,
    "unclosed images": "![" * 100_000,
    "links without targets": "[a](" * 50_000,
    "unclosed tags": "<a " * 66_000,
    "unclosed autolinks": "<http://" * 25_000,
    "deep list on one line": "- " * 100_000 + "x",
    "deep ordered list": "1. " * 66_000 + "x",
    "deep quote": "> " * 100_000 + "x",
    "many code spans": "`a` " * 50_000,
    "many escapes": "\\[" * 100_000,
    "many entities": "&amp; " * 33_000,
    "many emphasis": "*a* " * 50_000,
    "huge heading": "# " + "[" * 199_000,
    "nested list lines": "".join("  " * i + "- a\n" for i in range(440)),
    "unclosed comments": "<!--" * 50_000,
}


@pytest.mark.parametrize("name", sorted(_HOSTILE))
def test_hostile_markdown_renders_quickly_and_safely(name):
    text = _HOSTILE[name]
    start = time.perf_counter()
    note = parse_note(text, "h.md")
    html = render_note(note)
    elapsed = time.perf_counter() - start
    assert elapsed < 5, f"{name}: {elapsed:.1f} s"  # ~0.1-0.4 s here; Python-Markdown alone: minutes to hours
    assert "<script" not in html.lower()


def test_defusing_leaves_normal_markdown_alone():
    text = ("A [link](https://x.org/a_(b)) and ![img](figures/a.png) and [ref][r] and <b>bold</b>, a < b > c,\n"
            "`[unclosed` in code, `<a ` in code, \\[escaped.\n\n[r]: https://x.org\n\n```\n[ < unclosed in a fence\n```\n")
    assert defuse_markdown(text) == text
    html = render_markdown(text)
    assert 'href="https://x.org/a_(b)"' in html and "<b>bold</b>" in html and "<code>[unclosed</code>" in html


def test_defusing_escapes_only_what_cannot_be_a_link_or_tag():
    assert defuse_markdown("see [this and <that") == "see \\[this and &lt;that"
    assert defuse_markdown("[far](" + "x" * 3000) == "\\[far](" + "x" * 3000
    html = render_markdown("see [this and <that")
    assert "see [this and &lt;that" in html


def test_very_deep_nesting_falls_back_to_plain_text(monkeypatch):
    from explorer import render as r

    def boom(*a, **k):
        raise RecursionError

    monkeypatch.setattr(r, "markdown_to_html", boom)
    html = r.render_markdown("- - - x <script>")
    assert "plain text" in html and "&lt;script&gt;" in html and "<script" not in html
