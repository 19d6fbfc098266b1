"""Study pack: one self-contained, script-free HTML file with contents, notes, figures and glossary."""

from __future__ import annotations

import base64
import html as html_lib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from explorer.cli import main
from explorer.content import schema
from explorer.content.loader import Content
from explorer.notes.export import build_study_pack
from explorer.notes.note import parse_note
from explorer.notes.render import ImageRoots, resolve_image
from explorer.notes.uploads import read_upload

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


class _Checker(HTMLParser):
    """Collects ids, hrefs, srcs and checks that elements nest properly."""

    VOID = {"meta", "img", "br", "hr", "input", "link", "wbr", "col", "source"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.srcs: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        if "href" in a:
            self.hrefs.append(a["href"])
        if "src" in a:
            self.srcs.append(a["src"])
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in self.VOID:
            return
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}> at {self.getpos()}, open: {self.stack[-3:]}")
        else:
            self.stack.pop()


def check(doc: str) -> _Checker:
    c = _Checker()
    c.feed(doc)
    c.close()
    assert not c.errors, c.errors[:3]
    assert not c.stack, c.stack
    return c


@pytest.fixture
def figures(tmp_path: Path) -> ImageRoots:
    d = tmp_path / "figures"
    d.mkdir()
    (d / "chart.png").write_bytes(PNG)
    (tmp_path / "content" / "notes").mkdir(parents=True)
    return ImageRoots.for_content(tmp_path / "content", d)


NOTE_A = parse_note(
    "---\nid: alpha\ntitle: Alpha & <Omega>\nweek: 1\ntags: [x]\nsummary: First note.\n---\nIntro uses CI daily.\n\n"
    "# Top\n### Skipped level\n## Setup\n![Chart](figures/chart.png)\n![Gone](figures/missing.png)\n"
    "![Remote](https://example.org/r.png)\n\n<script>alert(1)</script>\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\n# not a heading\nprint('<script>')\n```\n"
    "# Top again\n## Setup\nA feature store and CI again.\n",
    "alpha.md",
)
NOTE_B = parse_note("# 日本語\nCafé crème text.\n", "beta.md")


def make_content(notes=(NOTE_A, NOTE_B), glossary=True) -> Content:
    data = {}
    if glossary:
        data["glossary"] = schema.Glossary.model_validate({"terms": [
            {"id": "ci", "term": "CI", "definition": 'Continuous "integration" <checks>.', "related": ["feature-store"]},
            {"id": "feature-store", "term": "Feature store", "definition": "Stores features.", "related": []},
        ]})
    return Content(root=Path("."), data=data, notes=tuple(notes))


@pytest.fixture
def pack(figures) -> str:
    return build_study_pack(make_content(), roots=figures)


def test_pack_is_well_formed_html(pack):
    assert pack.startswith("<!DOCTYPE html>")
    check(pack)


def test_every_note_title_and_section_anchor_is_there(pack):
    c = check(pack)
    for note in (NOTE_A, NOTE_B):
        assert html_lib.escape(note.title) in pack
        assert f"note-{note.id}" in c.ids and f"#note-{note.id}" in c.hrefs
        for s in note.sections:
            anchor = f"{note.id}--{s.id}"
            assert anchor in c.ids, anchor
            assert f"#{anchor}" in c.hrefs, anchor
    assert len(c.ids) == len(set(c.ids))  # duplicate headings still get unique anchors
    assert {"alpha--setup", "alpha--setup-1"} <= set(c.ids)  # GitHub numbering
    assert all(h[1:] in c.ids for h in c.hrefs if h.startswith("#"))  # every internal link has a target


def test_contents_nest_like_the_headings(pack):
    toc = re.search(r'<nav class="toc".*?</nav>', pack, re.S).group(0)
    check(toc)
    assert re.search(r'href="#alpha--top">Top</a><ol><li><a href="#alpha--skipped-level">', toc)


def test_glossary_is_included_and_linked(pack):
    c = check(pack)
    assert "term-ci" in c.ids and "term-feature-store" in c.ids
    assert 'class="gloss" href="#term-ci"' in pack
    # the definition is a preview the link is described by (keyboard, touch and screen readers reach it)
    tip = re.search(r'class="gloss" href="#term-ci" aria-describedby="([^"]+)".*?<span class="gloss-tip" id="([^"]+)"[^>]*>([^<]*)<', pack)
    assert tip and tip.group(1) == tip.group(2) and tip.group(1).startswith("alpha--gloss-")
    assert tip.group(3) == "Continuous \"integration\" &lt;checks&gt;."  # escaped as text
    assert 'href="#term-feature-store">Feature store</a>' in pack  # related term
    assert "Used in:" in pack and 'href="#note-alpha"' in pack  # the intro uses CI
    assert pack.count('class="gloss" href="#term-ci"') == 2  # first use per section: the intro and the last Setup


def test_figures_are_inline_and_nothing_external_is_loaded(pack):
    c = check(pack)
    assert any(s.startswith("data:image/png;base64,") for s in c.srcs)
    assert all(s.startswith("data:") for s in c.srcs)
    assert "figures/missing.png" in pack and "missing-figure" in pack
    assert 'href="https://example.org/r.png"' in pack  # a remote image becomes a link
    assert "link" not in c.tags and "script" not in c.tags and "iframe" not in c.tags
    lowered = pack.lower()
    assert "<script" not in lowered and "@import" not in lowered and "url(" not in lowered
    assert "&lt;script&gt;" in pack  # the code block shows it as text


def test_print_and_dark_styles(pack):
    assert "@media print" in pack and "prefers-color-scheme: dark" in pack
    assert '<meta charset="utf-8">' in pack


def test_tables_code_and_non_ascii(pack):
    assert "<table>" in pack and 'class="code-block"' in pack
    assert "日本語" in pack and "Café crème" in pack
    assert "# not a heading" in pack


def test_uploaded_notes_can_be_included(figures):
    up = read_upload("mine.md", b"# My own\ntext\n\n## Part\n")
    doc = build_study_pack(make_content(), notes=[NOTE_A, up], roots=figures)
    c = check(doc)
    assert "note-upload-mine" in c.ids and "upload-mine--part" in c.ids and "uploaded file mine.md" in doc
    assert doc.count(">My own</h1>") == 1  # the leading heading is the title, shown once
    assert "note-beta" not in c.ids


def test_without_glossary(figures):
    doc = build_study_pack(make_content(glossary=False), roots=figures)
    check(doc)
    assert "could not be loaded" in doc and 'class="gloss"' not in doc


def test_cli_export(tmp_path, capsys):
    out = tmp_path / "pack.html"
    assert main(["export", "-o", str(out)]) == 0
    doc = out.read_text(encoding="utf-8")
    assert doc.startswith("<!DOCTYPE html>") and "wrote" in capsys.readouterr().out
    assert main(["export", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("<!DOCTYPE html>")


def test_cli_export_without_notes_fails_clearly(tmp_path, capsys):
    assert main(["export", "--content-dir", str(tmp_path / "nowhere"), "-o", str(tmp_path / "x.html")]) == 1
    assert "no notes" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_real_content_pack(content):
    doc = build_study_pack(content)
    c = check(doc)
    for note in content.notes:
        assert html_lib.escape(note.title) in doc
        for s in note.sections:
            assert f"{note.id}--{s.id}" in c.ids
    if content.ok("glossary"):
        for t in content.glossary:
            assert f"term-{t.id}" in c.ids
    assert "<script" not in doc.lower()
    assert all(s.startswith("data:") for s in c.srcs)
    local = [ref for note in content.notes for ref in note.images if resolve_image(ref, note.folder).kind == "local"]
    assert doc.count("data:image/") >= len(set(local)) > 0
