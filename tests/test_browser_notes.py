"""Notes in a real Chromium: GitHub-style notes render as on GitHub, the URL follows the reader, notes are live.

The server reads a copy of content/ with the fixture notes of tests/fixtures/notes/ added (GitHub
README style, a Jekyll post, an Obsidian note, Chinese notes, an 87 kB note with 65 code blocks),
so the assertions are about what a reader sees: lines and fonts of code, list items, table cells,
link targets that exist, no literal fences; and the same in the study pack.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e_util import ROOT, PageWatch, goto, new_context, require_browser, start_server, switch_os_theme, wait_for_app

browser_test = pytest.mark.browser
FIXTURES = Path(__file__).parent / "fixtures" / "notes"
BODY = "[data-testid='stMain'] .note-body"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_browser()
    tmp = tmp_path_factory.mktemp("site")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(FIXTURES, content / "notes" / "fixtures")
    server = start_server(env={"EXPLORER_CONTENT_DIR": str(content)})
    yield server, content
    server.stop()


@pytest.fixture
def page(browser):
    ctx = new_context(browser)
    ctx.set_default_timeout(20_000)
    pg = ctx.new_page()
    watch = PageWatch().attach(pg)
    yield pg
    problems = [p for p in watch.problems() if "img.shields.io" not in p]  # the fixture's remote badge is blocked
    ctx.close()
    assert problems == []


def parsed(name: str):
    from explorer.notes.note import parse_note

    return parse_note((FIXTURES / name).read_text(encoding="utf-8"), name, path=f"fixtures/{name}")


CODE_FACTS = """root => [...root.querySelectorAll('pre')].map(pre => {
  const cs = getComputedStyle(pre), code = pre.querySelector('code') || pre;
  return {text: code.innerText, ws: cs.whiteSpace, font: getComputedStyle(code).fontFamily,
          overflow: cs.overflowX, lang: (pre.closest('.code-block') || {}).dataset ? pre.closest('.code-block').dataset.lang : null};
})"""

DEAD_LINKS = """root => [...root.querySelectorAll('a[href^="#"]')].map(a => decodeURIComponent(a.getAttribute('href').slice(1)))
  .filter(id => !document.getElementById(id) && !document.querySelector(`a[name="${CSS.escape(id)}"]`))"""


def source_blocks(note) -> list[str]:
    return [t.content for t in note.doc.tokens if t.type in ("fence", "code_block")]


def assert_code_blocks(root, note) -> None:
    facts = root.evaluate(CODE_FACTS)
    expected = source_blocks(note)
    assert len(facts) == len(expected)
    for got, want in zip(facts, expected):
        assert got["ws"] == "pre", got
        assert "monospace" in got["font"].lower() or "source code pro" in got["font"].lower(), got["font"]
        assert got["overflow"] == "auto"
        assert got["text"].rstrip("\n").split("\n") == want.rstrip("\n").split("\n")  # every line, as written


def open_fixture_note(page, site, name: str):
    """Open a fixture note in the reader; its code blocks must show as written. Returns (note, body)."""
    server, _ = site
    note = parsed(name)
    goto(page, f"{server.url}/Notes?note={note.id}")
    body = page.locator(BODY).first
    body.wait_for()
    assert_code_blocks(body, note)
    return note, body


@browser_test
def test_github_style_note_renders_as_on_github(site, page):
    note, body = open_fixture_note(page, site, "github-style.md")
    text = body.inner_text()
    assert "```" not in text and "as: -" not in text
    # the list right after "MLOps can be thought of as:" is a list; ordered lists too
    assert body.locator(":scope > ul").first.locator(":scope > li").count() == 4
    assert body.locator(":scope > ol").first.locator(":scope > li").count() == 3
    # the table keeps its alignment
    aligns = body.locator("table th").evaluate_all("ths => ths.map(th => getComputedStyle(th).textAlign)")
    assert aligns == ["left", "center", "right"]
    assert body.locator("table td").count() == 6
    # task lists, alerts, strikethrough, footnotes, bare links
    boxes = body.locator("input[type=checkbox]")
    assert boxes.count() == 3 and boxes.evaluate_all("bs => bs.map(b => [b.checked, b.disabled])") == [[True, True], [False, True], [False, True]]
    assert body.locator(".markdown-alert-title").all_inner_texts() == ["Note", "Warning", "Tip"]
    assert body.locator("s").inner_text() == "use a notebook in production"
    assert body.locator("a[href='https://github.com/mlflow/mlflow']").count() == 1
    # every in-page link has a target in the page (headings, <a name>, footnotes)
    assert body.evaluate(DEAD_LINKS) == []
    for s in note.sections:
        assert page.locator(f"[id='{s.id}']").count() == 1
    # the title is shown once: as the page title, not again as the note's first heading
    assert page.get_by_role("heading", name=note.title).count() == 1


@browser_test
def test_long_note_with_65_code_blocks(site, page):
    note, body = open_fixture_note(page, site, "docker-kubernetes-long.md")
    langs = body.locator(".code-lang").all_inner_texts()
    assert {"yaml", "bash", "dockerfile", "python", "console"} <= set(langs)
    # the contents list stays usable: subsections fold until their chapter is open
    toc = page.locator(".st-key-toc a")
    assert 12 <= toc.count() < len(note.sections)


@browser_test
def test_the_copy_button_copies_a_code_block_as_written(site, browser):
    server, _ = site
    note = parsed("docker-kubernetes-long.md")
    ctx = new_context(browser, permissions=["clipboard-read", "clipboard-write"])
    try:
        pg = ctx.new_page()
        goto(pg, f"{server.url}/Notes?note={note.id}")
        blocks = pg.locator(BODY).first.locator(".code-block")
        blocks.first.wait_for()
        assert blocks.count() == len(source_blocks(note))
        third = blocks.nth(2)
        third.scroll_into_view_if_needed()
        button = third.get_by_role("button", name="Copy the code")
        button.click()
        from playwright.sync_api import expect

        expect(button).to_have_text("Copied")
        copied = pg.evaluate("navigator.clipboard.readText()")
        assert copied.rstrip("\n").split("\n") == source_blocks(note)[2].rstrip("\n").split("\n")
        assert "Copy" not in third.locator("pre").inner_text()  # the button is not part of the code
        expect(button).to_have_text("Copy", timeout=5000)  # and says so again
    finally:
        ctx.close()


@browser_test
def test_jekyll_obsidian_and_chinese_notes(site, page):
    server, _ = site
    jekyll = parsed("jekyll-post.md")
    goto(page, f"{server.url}/Notes?note={jekyll.id}")
    main = page.locator("[data-testid='stMain']")
    assert "kept as metadata" in main.inner_text() and "layout" in main.inner_text()
    assert page.get_by_role("heading", name="Containers for ML: a week of notes").count() == 1
    chinese = parsed("chinese-notes.md")
    goto(page, f"{server.url}/Notes?note={chinese.id}")
    body = page.locator(BODY).first
    assert [h for h in body.locator("h2").evaluate_all("hs => hs.map(h => h.id)")] == [s.id for s in chinese.sections]
    assert body.evaluate(DEAD_LINKS) == []


def _query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


@browser_test
def test_the_address_bar_follows_the_reader(site, page):
    server, _ = site
    note = parsed("github-style.md")
    goto(page, f"{server.url}/Notes?note={note.id}")
    page.evaluate("window.__same_page = true")  # gone if a click reloaded the page (a new session)
    page.locator(".st-key-toc").get_by_text("1.1 First example").click()
    wait_for_app(page)
    assert _query(page) == {"note": note.id, "section": "11-first-example"}
    assert page.locator(BODY).locator("h3#\\31 1-first-example").count() == 1
    page.get_by_text("Next: Checklist").click()  # a page link: the address changes when its run starts
    page.wait_for_url(lambda u: parse_qs(urlsplit(u).query).get("section") == ["checklist"])
    wait_for_app(page)
    assert page.evaluate("window.__same_page") is True  # the contents and Next links stay in the session
    page.reload()
    wait_for_app(page)
    assert _query(page)["section"] == "checklist" and page.locator(BODY).locator("h2#checklist").count() == 1
    page.go_back()
    wait_for_app(page)
    assert _query(page) == {"note": note.id, "section": "11-first-example"}
    from playwright.sync_api import expect

    # the address changes at once, the view with the run that Back starts (maybe after wait_for_app's short sleep)
    expect(page.locator(BODY).locator("h2#checklist")).to_have_count(0)
    page.go_back()
    wait_for_app(page)
    assert _query(page) == {"note": note.id}
    page.go_forward()
    wait_for_app(page)
    assert _query(page)["section"] == "11-first-example"
    # another note from the list: a new history entry too, in the same session
    page.evaluate("window.__same_page = true")
    page.locator(".reader-nav").get_by_text("Kaizen and KaizenML").click()
    wait_for_app(page)
    assert _query(page) == {"note": "kaizen"} and page.evaluate("window.__same_page") is True
    # an in-note glossary link opens the glossary page in the same session, as one history entry
    entries = page.evaluate("history.length")
    page.locator(".note-body a.gloss").first.click()
    wait_for_app(page)
    assert urlsplit(page.url).path == "/Glossary" and "term" in _query(page)
    assert page.evaluate("window.__same_page") is True
    assert page.evaluate("history.length") == entries + 1
    page.go_back()
    wait_for_app(page)
    assert _query(page) == {"note": "kaizen"}
    page.go_back()
    wait_for_app(page)
    assert _query(page)["note"] == note.id


@browser_test
def test_a_note_written_while_the_server_runs_is_readable_on_the_next_load(site, page):
    server, content = site
    path = content / "notes" / "week-9" / "live.md"
    path.parent.mkdir(exist_ok=True)
    try:
        path.write_text("---\ntitle: Written just now\n---\n## Fresh section\n\nFirst version.\n", encoding="utf-8")
        goto(page, f"{server.url}/Notes?note=live")
        assert "First version." in page.locator(BODY).first.inner_text()
        assert "Week 9" in page.locator("[data-testid='stMain']").inner_text()  # the week comes from the folder
        path.write_text("---\ntitle: Written just now\n---\n## Fresh section\n\nSecond version.\n", encoding="utf-8")
        page.reload()
        wait_for_app(page)
        assert "Second version." in page.locator(BODY).first.inner_text()
    finally:
        path.unlink(missing_ok=True)
    page.reload()
    wait_for_app(page)
    assert "does not exist here" in page.locator("[data-testid='stAlertContentWarning']").first.inner_text()


TOKEN_CONTRAST = """root => { const lum = c => {  // "rgb(r, g, b)" or, from color-mix(), "color(srgb r g b)" with 0-1 channels
    const scale = c.startsWith('color(') ? 1 : 255;
    const [r, g, b] = c.match(/[\\d.]+/g).slice(0, 3).map(Number).map(v => {
    v /= scale; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const bg = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
  const out = {};
  for (const el of root.querySelectorAll('pre span[class^="tok-"], a:not(.gloss)')) {
    const fg = getComputedStyle(el).color, a = lum(fg), b = lum(bg);
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const key = el.tagName === 'A' ? 'link' : el.className;
    out[key] = Math.min(out[key] ?? 99, ratio);
  } return out; }"""


@browser_test
def test_code_and_links_are_readable_in_both_themes(site, browser):
    """Light, then the OS switched to dark on the open page (the note's code and links follow)."""
    server, _ = site
    ctx = new_context(browser)
    try:
        pg = ctx.new_page()
        goto(pg, f"{server.url}/Notes?note=docker-kubernetes-long")
        for theme in ("light", "dark"):
            if theme == "dark":
                switch_os_theme(pg, "dark")
            ratios = pg.locator(BODY).first.evaluate(TOKEN_CONTRAST)
            assert ratios and min(ratios.values()) >= 4.5, (theme, sorted(ratios.items(), key=lambda kv: kv[1])[:5])
    finally:
        ctx.close()


@browser_test
def test_the_study_pack_shows_the_same_notes(site, page):
    _, content = site
    from explorer.content.loader import load_content
    from explorer.notes.export import build_study_pack
    from explorer.notes.render import ImageRoots

    c = load_content(content)
    page.set_content(build_study_pack(c, roots=ImageRoots.for_content(content)))
    for name in ("github-style.md", "docker-kubernetes-long.md"):
        note = parsed(name)
        article = page.locator(f"article#note-{note.id}")
        assert_code_blocks(article, note)
        assert article.evaluate(DEAD_LINKS) == []
    assert page.locator("article#note-github-style ul.contains-task-list input[type=checkbox]").count() == 3
