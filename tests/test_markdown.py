"""The Markdown engine: one CommonMark + GFM parse per note, from which sections, ids, text and HTML come.

Inputs are shaped like real notes (GitHub READMEs, Jekyll posts, Obsidian vaults, Chinese notes, an
87 kB Docker/Kubernetes note with 65 code blocks) in ``tests/fixtures/notes/``.
"""

from __future__ import annotations

import base64
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.content.schema import Term
from explorer.notes.front_matter import read_front_matter
from explorer.notes.glossary_links import backlinks, build_matcher
from explorer.notes.md.slug import Slugger, github_slug
from explorer.notes.note import parse_note
from explorer.notes.render import ImageRoots, render_note, resolve_image

FIXTURES = Path(__file__).parent / "fixtures" / "notes"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def fixture(name: str):
    return parse_note((FIXTURES / name).read_text(encoding="utf-8"), name)


def html_of(text: str, **kw) -> str:
    return render_note(parse_note(text, "n.md"), **kw)


class Dom(HTMLParser):
    """A tiny DOM summary: tags with attributes, and the text inside <pre>."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.pre: list[str] = []
        self._in_pre = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "pre":
            self._in_pre += 1
            self.pre.append("")

    def handle_endtag(self, tag):
        if tag == "pre":
            self._in_pre -= 1

    def handle_data(self, data):
        if self._in_pre:
            self.pre[-1] += data

    def all(self, tag: str) -> list[dict]:
        return [a for t, a in self.tags if t == tag]

    def ids(self) -> list[str]:
        return [a["id"] for _, a in self.tags if "id" in a]


# --------------------------------------------------------------------------- GitHub ids
@pytest.mark.parametrize("text, slug", [
    ("1.1 First example", "11-first-example"),
    ("What's new?", "whats-new"),
    ("Phase 1 — Initial", "phase-1--initial"),
    ("CI/CD pipeline automation", "cicd-pipeline-automation"),
    ("snake_case stays", "snake_case-stays"),
    ("Ünïcödé Héading", "ünïcödé-héading"),
    ("数据 管道", "数据-管道"),
    ("`code` in a heading", "code-in-a-heading"),
    ("🚀 Launch", "-launch"),
])
def test_github_slugs(text, slug):
    assert github_slug(text) == slug


def test_repeated_slugs_count_like_github():
    s = Slugger()
    assert [s.slug(x) for x in ["Setup", "Setup", "Setup", "Setup-1", "🚀"]] == ["setup", "setup-1", "setup-2", "setup-1-1", "section"]


# --------------------------------------------------------------------------- CommonMark / GFM structure
def test_list_right_after_a_line_of_text_is_a_list():
    html = html_of("MLOps can be thought of as:\n- 25% DevOps\n- 25% data\n\nSteps:\n1. Train\n2. Deploy\n")
    dom = Dom(html)
    assert len(dom.all("ul")) == 1 and len(dom.all("ol")) == 1
    assert len(dom.all("li")) == 4
    assert "as: -" not in html


def test_fenced_code_inside_a_list_item_keeps_its_lines_and_is_not_a_heading():
    note = parse_note("## Real\n\n- Docker:\n  ```bash\n  # not a heading\n  docker run x\n  ```\n- next\n", "n.md")
    assert [s.title for s in note.sections] == ["Real"]
    dom = Dom(render_note(note))
    assert dom.pre == ["# not a heading\ndocker run x\n"]
    assert "```" not in render_note(note)


def test_hash_lines_in_fences_and_indented_code_are_not_headings():
    text = "# Title\n\n```python\n# comment\n## also\n```\n\n    # indented code\n\n~~~\n# tilde fence\n~~~\n\n## Real heading\n"
    note = parse_note(text, "n.md")
    assert [s.title for s in note.sections] == ["Real heading"]


def test_setext_headings_and_skipped_levels_nest():
    note = parse_note("Top\n===\n\n#### Deep\n\nSub\n---\n\n### Mid\n", "n.md")
    # "Top" is the title (first-line H1): the others are the sections
    assert note.title == "Top"
    assert [(s.title, s.level, s.depth, s.parent) for s in note.sections] == [
        ("Deep", 4, 0, None), ("Sub", 2, 0, None), ("Mid", 3, 1, "sub")]


def test_headings_inside_quotes_get_ids_but_are_not_sections():
    note = parse_note("## Outside\n\n> ## Quoted\n> text\n", "n.md")
    assert [s.id for s in note.sections] == ["outside"]
    assert "quoted" in Dom(render_note(note)).ids()


def test_gfm_constructs_render_as_on_github():
    note = fixture("github-style.md")
    html = render_note(note)
    dom = Dom(html)
    # task lists, strikethrough, alerts, autolinks, footnotes, definition lists, details
    boxes = dom.all("input")
    assert [("checked" in b) for b in boxes] == [True, False, False] and all(b["type"] == "checkbox" for b in boxes)
    assert "<s>use a notebook in production</s>" in html
    assert [a["class"] for a in dom.all("div") if "markdown-alert" in a.get("class", "")] == [
        "markdown-alert markdown-alert-note", "markdown-alert markdown-alert-warning", "markdown-alert markdown-alert-tip"]
    hrefs = [a.get("href") for a in dom.all("a")]
    assert "https://github.com/mlflow/mlflow" in hrefs and "http://www.kubeflow.org" in hrefs
    assert "#fn1" in hrefs and "#fnref1" in hrefs and "fn1" in dom.ids()
    assert dom.all("dl") and dom.all("details") and dom.all("summary")
    # table alignment survives sanitising
    aligns = [a.get("style") for a in dom.all("th")]
    assert aligns == ["text-align:left", "text-align:center", "text-align:right"]
    assert "a comment that must not show" not in html


def test_code_blocks_are_highlighted_labelled_and_keep_every_line():
    note = fixture("docker-kubernetes-long.md")
    html = render_note(note)
    dom = Dom(html)
    source_blocks = [t for t in note.doc.tokens if t.type == "fence"]
    assert len(source_blocks) == 65 == len(dom.pre)
    for tok, text in zip(source_blocks, dom.pre):
        assert text == tok.content  # every line, every space
    assert {a.get("data-lang") for a in dom.all("div") if a.get("class") == "code-block"} >= {"yaml", "bash", "dockerfile", "python"}
    assert 'class="tok-' in html  # Pygments classes (themed by notes.css), never inline colours
    buttons = [a for _, a in dom.tags if a.get("class") == "code-copy"]  # one copy button per block
    assert len(buttons) == 65 and all(b.get("type") == "button" and b.get("aria-label") for b in buttons)
    assert "style=" not in re.sub(r'<t[hd] style="text-align:\w+"', "", html)


def _code_blocks_sanitised_inline(monkeypatch) -> None:
    """Render as before code blocks were set aside: blocks written in place, the whole text sanitised."""
    import explorer.notes.render as R

    monkeypatch.setattr(R, "_with_code_blocks", lambda raw, ctx, clean: clean(R._put_back(raw, ctx)))


def test_code_blocks_set_aside_while_sanitising_give_the_same_html(monkeypatch):
    """Code blocks skip the sanitiser (they are safe by construction) and are put back: the page is the same
    as when everything went through it, for every fixture and every shipped note."""
    from explorer import CONTENT_DIR
    from explorer.notes.md.sanitize import sanitize

    paths = sorted(FIXTURES.rglob("*.md")) + sorted(CONTENT_DIR.rglob("*.md"))
    fast = {p: render_note(parse_note(p.read_text(encoding="utf-8"), p.name)) for p in paths}
    _code_blocks_sanitised_inline(monkeypatch)
    for p in paths:
        slow = render_note(parse_note(p.read_text(encoding="utf-8"), p.name))
        assert sanitize(fast[p]) == sanitize(slow), p  # equal up to how entities are written
        assert not re.search(r"[0-9a-f]{24}-\d", fast[p]), p  # no marker left behind
    assert sum(h.count('class="code-block"') for h in fast.values()) > 65


@pytest.mark.parametrize("around", [
    '<div title="x\n\n```python\nprint(1)\n```\n',  # an unclosed attribute swallows the marker
    '<table><tr><td>\n\n```sh\nls\n```\n\n</td></tr></table>\n',  # kept as it is: inside a cell
    "<textarea>\n\n```\n<b>x</b>\n```\n\n</textarea>\n",  # text-only element: the marker is escaped
    "<script>\n\n```js\nalert(1)\n```\n\n</script>\n",
])
def test_a_code_block_inside_raw_html_is_still_safe(around, monkeypatch):
    """Raw HTML around a code block can swallow its marker; then everything is sanitised as one text."""
    note = parse_note(f"# T\n\ntext\n\n{around}\nafter onmouseover=alert(2)\n", "t.md")
    html = render_note(note)
    assert not re.search(r"[0-9a-f]{24}-\d", html)
    assert "<script" not in html and "<textarea" not in html
    assert not re.search(r"<[^>]*\son\w+=", html), html  # no event handler attribute anywhere
    _code_blocks_sanitised_inline(monkeypatch)
    from explorer.notes.md.sanitize import sanitize

    assert sanitize(html) == sanitize(render_note(note))


def test_every_fixture_renders_its_headings_with_their_section_ids():
    for path in sorted(FIXTURES.glob("*.md")):
        note = fixture(path.name)
        ids = Dom(render_note(note)).ids()
        for s in note.sections:
            assert s.id in ids, (path.name, s.id)


# --------------------------------------------------------------------------- sections, title, text
def test_title_heading_is_not_repeated():
    note = parse_note("# My notes\n\nIntro text.\n\n## First\n\nBody.\n", "n.md")
    assert note.title == "My notes" and note.title_heading == "my-notes"
    assert [s.id for s in note.sections] == ["first"]
    html = render_note(note)
    assert "<h1" not in html and "Intro text." in html
    assert note.intro_text == "Intro text."


def test_front_matter_title_equal_to_first_heading_is_shown_once():
    note = parse_note("---\ntitle: Containers\n---\n# Containers\n\n## Images\n", "n.md")
    assert note.title_heading == "containers" and [s.id for s in note.sections] == ["images"]
    other = parse_note("---\ntitle: Week 2\n---\n# Containers\n\n## Images\n", "n.md")
    assert other.title_heading is None and [s.id for s in other.sections] == ["containers", "images"]


def test_section_text_comes_from_the_tokens():
    note = parse_note("## Setup\n\nRun **`pip install x`** and see [the docs](https://x.org).\n\n```bash\nmake test\n```\n\n"
                      "## Next\n\n| a | b |\n|---|---|\n| c | d |\n", "n.md")
    first, second = note.sections
    assert first.text == "Run pip install x and see the docs. make test"
    assert first.prose == "Run and see the docs."
    assert second.text == "a b c d"


def test_section_views_and_subtrees():
    note = parse_note("## A\n\na\n\n### A1\n\na1\n\n## B\n\nb\n", "n.md")
    assert [s.id for s in note.subtree("a")] == ["a", "a1"]
    own = render_note(note, "a", part="own")
    full = render_note(note, "a")
    assert "a1" not in own and "a1" in full and ">b<" not in full


def test_windows_line_endings_and_bom():
    note = parse_note("\ufeff---\r\ntitle: T\r\n---\r\n## One\r\n\r\nText\r\n", "n.md")
    assert note.title == "T" and [s.id for s in note.sections] == ["one"]


# --------------------------------------------------------------------------- front matter: tolerant
def test_jekyll_front_matter_is_kept_and_typed():
    note = fixture("jekyll-post.md")
    assert note.title == "Containers for ML: a week of notes"
    assert note.tags == ("mlops", "docker", "containers")  # categories + tag merged
    assert note.date == "2026-02-14"
    assert note.summary == "How images, registries and orchestration fit together."  # excerpt
    assert dict(note.meta)["layout"] == "post" and "header" in dict(note.meta)
    assert all(n.severity == "info" for n in note.notices)
    assert [s.id for s in note.sections] == ["why-containers", "building-an-image", "orchestration"]


def test_obsidian_front_matter_and_syntax_render_as_text_where_github_does():
    note = fixture("obsidian-note.md")
    assert note.tags == ("mlops", "data") and dict(note.meta)["aliases"] == "Feature stores, FS"
    html = render_note(note)
    assert "[[" not in html and '<span class="wikilink">Data pipelines</span>' in html  # #23: Obsidian's links, never brackets
    assert Dom(html).pre == ["SELECT user_id, avg(amount) AS avg_amount\nFROM transactions\nGROUP BY user_id;\n"]


@pytest.mark.parametrize("front, fragment", [
    ("week: two", "`week` should be a whole number"),
    ("tags: {a: 1}", "`tags` should be a list"),
    ("title: [a, b]\nweek: 3", "`title` should be text"),
    ("id: Not An Id!", "used as `not-an-id`"),
])
def test_wrong_types_are_notices_and_the_note_still_loads(front, fragment):
    note = parse_note(f"---\n{front}\n---\n## Body\n\ntext\n", "n.md")
    assert [s.id for s in note.sections] == ["body"]
    assert any(fragment in n.message for n in note.notices), note.notices


def test_invalid_yaml_names_the_line_and_keeps_the_body():
    note = parse_note("---\ntitle: ok\nweek: 2\nbad: [unclosed\n---\n## Body\n\ntext\n", "week-2.md")
    assert note.sections[0].id == "body"
    (notice,) = note.notices
    assert notice.line == 5 and "not valid YAML" in notice.message and "quotes" in notice.message
    assert note.title == "week 2"  # from the file name: the front matter was ignored


def test_unclosed_front_matter_is_shown_as_text_with_a_notice():
    note = parse_note("---\ntitle: x\n\n## Body\n", "n.md")
    assert any("never closed" in n.message for n in note.notices)
    assert "title: x" in render_note(note)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=300))
def test_any_front_matter_never_raises(front):
    fm = read_front_matter(front)
    assert all(isinstance(n.message, str) for n in fm.notices)


def test_week_comes_from_a_week_folder():
    note = parse_note("## A\n", "x.md", path="week-3/x.md")
    assert note.week == 3 and note.folder == "week-3"


def test_cjk_notes_get_ids_and_links():
    note = fixture("chinese-notes.md")
    assert [s.id for s in note.sections] == ["什么是-mlops", "数据管道", "模型部署"]
    html = render_note(note, "模型部署")
    links = [a["href"] for a in Dom(html).all("a")]
    assert links == ["?note=chinese-notes&section=%E6%95%B0%E6%8D%AE%E7%AE%A1%E9%81%93#%E6%95%B0%E6%8D%AE%E7%AE%A1%E9%81%93"]


# --------------------------------------------------------------------------- in-note anchors
def test_anchor_links_resolve_in_the_view_across_views_or_are_marked_dead():
    note = fixture("github-style.md")
    whole = Dom(render_note(note))
    intro_links = {a.get("href") for a in whole.all("a")}
    assert {"#11-first-example", "#checklist", "#raw-anchor"} <= intro_links
    ids = whole.ids()
    names = [a.get("name") for a in whole.all("a") if a.get("name")]
    assert "11-first-example" in ids and "checklist" in ids and names == ["raw-anchor"]
    # the same links in a view that does not contain their targets lead to the section holding them
    intro = Dom(render_note(note, part="intro"))
    assert "?note=github-style&section=11-first-example#11-first-example" in {a.get("href") for a in intro.all("a")}
    dead = Dom(html_of("[nowhere](#no-such-place)\n"))
    assert dead.all("a")[0].get("class") == "dead-anchor"


def test_footnotes_follow_the_section_that_cites_them():
    note = parse_note("## A\n\nClaim.[^1]\n\n## B\n\nOther.[^2]\n\n[^1]: First.\n[^2]: Second.\n", "n.md")
    a = render_note(note, "a")
    assert "First." in a and "Second." not in a and 'id="fn1"' in a


# --------------------------------------------------------------------------- images
@pytest.fixture
def roots(tmp_path: Path) -> ImageRoots:
    content = tmp_path / "content"
    (content / "notes" / "week-2" / "img").mkdir(parents=True)
    figures = tmp_path / "figures"
    figures.mkdir()
    (figures / "chart.png").write_bytes(PNG)
    (content / "notes" / "week-2" / "img" / "local.png").write_bytes(PNG)
    (tmp_path / "secret.png").write_bytes(PNG)
    (figures / "notes.txt").write_text("not an image")
    return ImageRoots.for_content(content, figures)


def test_images_resolve_beside_the_note_and_in_figures(roots):
    note = parse_note("![here](img/local.png) ![fig](../../../figures/chart.png) ![legacy](figures/chart.png)\n",
                      "n.md", path="week-2/n.md")
    imgs = Dom(render_note(note, roots=roots)).all("img")
    assert len(imgs) == 3 and all(i["src"].startswith("data:image/png;base64,") for i in imgs)


@pytest.mark.parametrize("src", ["../../../secret.png", "/etc/passwd", "figures/../../secret.png", "file:///etc/passwd",
                                 "figures/notes.txt", "img/%2e%2e/%2e%2e/%2e%2e/%2e%2e/secret.png", "missing.png"])
def test_unsafe_or_missing_images_are_placeholders_and_never_read(roots, src, monkeypatch):
    opened: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: opened.append(str(self)) or real(self))
    note = parse_note(f"![x]({src})\n", "n.md", path="week-2/n.md")
    html = render_note(note, roots=roots)
    assert "data:" not in html and not opened
    assert "missing-figure" in html or "<img" not in html  # (markdown-it itself refuses file: links)
    assert resolve_image(src, "week-2", roots).kind == "missing"


def test_symlink_out_of_the_folders_is_not_followed(roots, tmp_path):
    link = roots.figures / "escape.png"
    try:
        os.symlink(tmp_path / "secret.png", link)
    except OSError:
        pytest.skip("symlinks not available")
    assert "data:" not in html_of("![x](figures/escape.png)", roots=roots)


def test_one_figure_repeated_cannot_blow_up_a_page(roots, monkeypatch):
    from explorer.notes import render

    monkeypatch.setattr(render, "MAX_INLINE_BYTES", 1000)  # room for a few copies of a 70-byte PNG
    html = html_of("![x](figures/chart.png)\n" * 200, roots=roots)
    assert 5 < html.count("data:image/png") < 20 and "too many images" in html


def test_remote_images_show_with_a_fallback_link_or_as_a_link_offline():
    online = Dom(html_of("![badge](https://img.example.org/b.svg)"))
    assert online.all("img")[0]["src"] == "https://img.example.org/b.svg"
    assert online.all("a")[0]["href"] == "https://img.example.org/b.svg"
    offline = Dom(html_of("![badge](https://img.example.org/b.svg)", remote_images="link"))
    assert not offline.all("img") and offline.all("a")[0]["href"] == "https://img.example.org/b.svg"


# --------------------------------------------------------------------------- safety
@pytest.mark.parametrize("payload", [
    "<script>alert(1)</script>", '<img src="x" onerror="alert(1)">', '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))", '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>', "<svg onload=alert(1)>",
    '<iframe src="https://evil"></iframe>', "<style>body{display:none}</style>", '<form action="x"><input name=a></form>',
    '<div onclick="alert(1)">d</div>', '<span style="background:url(javascript:alert(1))">s</span>',
    '<meta http-equiv="refresh" content="0;url=https://evil">', "<base href='https://evil/'>",
    '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
])
def test_dangerous_html_never_survives(payload):
    html = html_of(f"text\n\n{payload}\n\nmore {payload}").lower()
    assert "<script" not in html and "<iframe" not in html and "<style" not in html and "<form" not in html
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html)
    assert not re.search(r'<[a-z][^>]*\b(?:href|src)="\s*(?:javascript|vbscript|data):', html)
    assert "<meta" not in html and "<base" not in html


def test_uploaded_code_blocks_keep_their_copy_button_but_not_a_hand_written_one():
    text = "```bash\necho hi\n```\n\n<button class=\"code-copy\" type=\"submit\" onclick=\"x()\">Copy</button>\n"
    html = render_note(parse_note(text, "u.md", source="upload"))
    dom = Dom(html)
    buttons = [a for t, a in dom.tags if t == "button"]
    assert len(buttons) == 1 and buttons[0]["type"] == "button"  # the engine's; a note's own button is dropped (issue 20)
    assert "onclick" not in html


def test_uploads_cannot_restyle_the_app_or_clobber_anchors():
    text = '<div class="stApp hidden" id="root">x</div>\n\n## Setup\n\n[go](#setup) <a name="top"></a>'
    note = parse_note(text, "u.md", source="upload")
    dom = Dom(render_note(note))
    assert all("stApp" not in a.get("class", "") for _, a in dom.tags)
    assert set(dom.ids()) == {"user-content-root", "user-content-setup"}
    assert [a.get("href") for a in dom.all("a") if a.get("href")] == ["#user-content-setup"]
    assert [a.get("name") for a in dom.all("a") if a.get("name")] == ["user-content-top"]


_ATTACKS = st.sampled_from([
    "<script>alert(1)</script>", '<img src=x onerror="alert(1)">', "[a](javascript:alert(1))", "<iframe src=//x>",
    '<a href="vbscript:x">v</a>', "<svg/onload=alert(1)>", "<style>*{}</style>", "`<script>`", "```\n<script>\n```",
    "> [!NOTE]\n> <script>", "- [ ] <img src=x onerror=y>", "[^1]: <script>", "<details open><summary onclick=x>",
])


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_ATTACKS, st.text(max_size=40)), max_size=8))
def test_rendered_output_never_contains_active_content(parts):
    html = html_of("\n".join(parts)).lower()
    assert "<script" not in html and "<iframe" not in html and "<style" not in html
    assert not re.search(r"<[a-z][^>]*\son[a-z]+\s*=", html)
    assert not re.search(r'<[a-z][^>]*\b(?:href|src)="\s*(?:javascript|vbscript|data):', html)


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_and_renders(text):
    note = parse_note(text, "n.md")
    html = render_note(note)
    assert html.startswith('<div class="note-body">')
    ids = Dom(html).ids()
    for s in note.sections:
        assert s.id in ids


HOSTILE = {
    "unclosed brackets": "[" * 200_000,
    "unclosed images": "![" * 100_000,
    "links without targets": "[a](" * 50_000,
    "unclosed tags": "<a " * 66_000,
    "unclosed autolinks": "<http://" * 25_000,
    "deep list on one line": "- " * 100_000 + "x",
    "deep quote": "> " * 100_000 + "x",
    "many code spans": "`a` " * 50_000,
    "many emphasis": "*a* " * 50_000,
    "huge heading": "# " + "[" * 199_000,
    "nested list lines": "".join("  " * i + "- a\n" for i in range(440)),
    "unclosed comments": "<!--" * 50_000,
    "html block of unclosed tags": "<div\n" + "<a id=x " * 25_000,
    "html block of unclosed images": "<div\n" + "<img src=x " * 18_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_markdown_renders_safely(name):
    """Timings of these inputs are in ``python -m bench`` (linear in size); here: no crash, nothing active."""
    note = parse_note(HOSTILE[name], "h.md")
    html = render_note(note)
    assert "<script" not in html.lower() and html.startswith('<div class="note-body">')


# --------------------------------------------------------------------------- glossary
TERMS = [
    Term(id="ci", term="CI", definition="Continuous integration."),
    Term(id="feature-store", term="Feature store", aliases=["feature stores"], definition="Serves features."),
    Term(id="mlops", term="MLOps", definition="ML operations."),
]


def test_glossary_links_the_first_use_per_section_never_in_code_links_or_headings():
    matcher = build_matcher(TERMS)
    text = ("## MLOps and CI\n\nMLOps needs CI. MLOps again, and cd is not CD.\n\n`MLOps` in code, [MLOps](https://x.org).\n\n"
            "## Next\n\nA feature store here, and MLOps again.\n")
    html = html_of(text, glossary=matcher)
    gloss = glossary_terms(html)
    assert [(g["href"], g["text"]) for g in gloss] == [
        ("/Glossary?term=mlops", "MLOps"), ("/Glossary?term=ci", "CI"),
        ("/Glossary?term=feature-store", "feature store"), ("/Glossary?term=mlops", "MLOps")]
    assert [g["definition"] for g in gloss] == ["ML operations.", "Continuous integration.", "Serves features.", "ML operations."]
    assert '<h2 id="mlops-and-ci">MLOps and CI</h2>' in html


_GLOSS_RE = re.compile(
    r'<span class="gloss-term"><a class="gloss" href="(?P<href>[^"]+)" aria-describedby="(?P<described>[^"]+)"[^>]*>'
    r'(?P<text>[^<]+)</a><span class="gloss-tip" id="(?P<tip>[^"]+)" role="tooltip" popover="auto">(?P<definition>[^<]+)'
    r'</span><button type="button" class="gloss-more" popovertarget="(?P<target>[^"]+)" aria-label="(?P<label>[^"]+)">\?'
    r"</button></span>")


def glossary_terms(html: str) -> list[dict[str, str]]:
    """Every glossary term in rendered HTML, as the engine writes it (the test fails on any other shape)."""
    found = [m.groupdict() for m in _GLOSS_RE.finditer(html)]
    assert len(found) == html.count('class="gloss-term"') == html.count('class="gloss"'), "a glossary term of another shape"
    return found


def test_glossary_definitions_are_previews_for_keyboard_touch_and_screen_readers_not_title_tooltips():
    """The link names the term and is described by its definition (aria-describedby -> a role=tooltip
    element); a type=button opens the same element as a popover (touch screens); ids are unique."""
    matcher = build_matcher(TERMS)
    html = html_of("## One\n\nMLOps needs CI.\n\n## Two\n\nMLOps again.\n", glossary=matcher)
    gloss = glossary_terms(html)
    assert [g["text"] for g in gloss] == ["MLOps", "CI", "MLOps"]
    for g in gloss:
        assert g["described"] == g["tip"] == g["target"]
        assert g["label"] == f"Definition of {g['text']}"
    assert gloss[1]["definition"] == "Continuous integration."
    assert len({g["tip"] for g in gloss}) == 3  # one id per preview, also for a term used again in a later section
    assert "title=" not in html
    assert len(Dom(html).ids()) == len(set(Dom(html).ids()))


def test_glossary_preview_ids_differ_between_views_shown_on_one_page():
    """The home page shows the first section of two notes: their previews must not share an id."""
    matcher = build_matcher(TERMS)
    a = parse_note("Intro on MLOps.\n\n## Next\n\nMLOps and CI.\n", "a.md")
    b = parse_note("Intro on MLOps.\n\n## Next\n\nMLOps and CI.\n", "b.md")
    views = [render_note(a, glossary=matcher), render_note(b, glossary=matcher),
             render_note(a, "next", glossary=matcher), render_note(a, "next", part="own", glossary=matcher)]
    ids = [g["tip"] for v in views for g in glossary_terms(v)]
    assert len(ids) == 3 + 3 + 2 + 2 and len(set(ids)) == len(ids)  # intro + each section link their first uses
    assert render_note(a, glossary=matcher) == views[0]  # the same view renders the same ids (cached HTML)


def test_uploaded_notes_keep_their_previews_wired_up_under_the_id_prefix():
    note = parse_note("MLOps needs CI.\n", "u.md", source="upload")
    gloss = glossary_terms(render_note(note, glossary=build_matcher(TERMS)))
    assert len(gloss) == 2
    for g in gloss:
        assert g["tip"].startswith("user-content-gloss-") and g["described"] == g["tip"] == g["target"]


@pytest.mark.parametrize("payload, kept, gone", [
    ('<button type="submit" formaction="https://evil" onclick="x()">b</button>', '<button type="button">b</button>',
     ["formaction", "onclick", "submit"]),
    ('<span popover="manual" id="p" class="gloss-tip gloss-evil stApp">t</span>',
     '<span popover="auto" id="user-content-p" class="gloss-tip">t</span>', ["manual", "gloss-evil", "stApp"]),
    ('<a href="/x" aria-describedby="p q">a</a><button popovertarget="p">b</button>',
     'aria-describedby="user-content-p user-content-q"', ['popovertarget="p"']),
])
def test_sanitiser_allows_glossary_previews_and_nothing_more(payload, kept, gone):
    from explorer.notes.md.sanitize import sanitize

    html = sanitize(payload, id_prefix="user-content-")
    assert kept in html
    for g in gone:
        assert g not in html
    assert 'popovertarget="user-content-p"' in sanitize('<button popovertarget="p">b</button>', id_prefix="user-content-")


def test_backlinks_use_section_prose():
    note = parse_note("Intro about MLOps.\n\n## Data\n\nA feature store.\n\n```\nCI in code\n```\n", "n.md")
    where = backlinks([note], TERMS)
    assert where == {"ci": [], "feature-store": [("n", "data")], "mlops": [("n", None)]}
