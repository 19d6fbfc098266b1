"""A note's own HTML and its title in a real Chromium (issue 20).

The server reads a copy of content/ with one hostile note added: after each piece of unbalanced HTML
comes a paragraph that must still show; form controls written in the note must not; its front-matter
title and a section title hold Markdown images that must be shown as characters, with no request made,
wherever titles are drawn (the reader, the section links, search results, the reading list, the note
links of the glossary and the plan).
"""

from __future__ import annotations

import shutil

import pytest

from tests.e2e_util import ROOT, PageWatch, goto, new_context, require_browser, start_server

browser_test = pytest.mark.browser
BODY = "[data-testid='stMain'] .note-body"
IMAGE_HOST = "img.x.test"
TITLE = f"![]( http://{IMAGE_HOST}/title.png) Zebratitle ![x](http://{IMAGE_HOST}/t2.png)"
SECTION_TITLE = f"Second `![](http://{IMAGE_HOST}/section.png)` part"  # its text: the characters in the code span
UNBALANCED = [
    "<math><mi><mglyph><style>",
    "x <math><mglyph><style> y",
    "<style>\nbody { display: none }",
    "<textarea>",
    "<title>",
    "<noscript>",
    "<xmp>",
    "<plaintext>",
    "<iframe src=https://x.test/>",
    "<!--",
    "<div>",
    "<details><summary>More</summary>",
    "<table><tr><td>",
    "some <b>bold",
    '<select><option>pick</option></select><input value="typed"><button>Send</button><textarea>t</textarea>'
    '<form action="https://x.test/"><input type="submit"></form>',
]


def _note() -> str:
    cases = "\n\n".join(f"{raw}\n\nMarker {i} shows." for i, raw in enumerate(UNBALANCED))
    return (f'---\nid: hostile-html\ntitle: "{TITLE}"\nweek: 1\n---\n## First part\n\n- [x] done task\n- [ ] open task\n\n'
            f"{cases}\n\n## {SECTION_TITLE}\n\nThe end.\n")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_browser()
    content = tmp_path_factory.mktemp("site") / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "notes" / "hostile-html.md").write_text(_note(), encoding="utf-8")
    server = start_server(env={"EXPLORER_CONTENT_DIR": str(content)})
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    ctx = new_context(browser)
    ctx.set_default_timeout(20_000)
    pg = ctx.new_page()
    pg.requested = []
    pg.on("request", lambda r: pg.requested.append(r.url))
    watch = PageWatch().attach(pg)
    yield pg
    problems = [p for p in watch.problems() if IMAGE_HOST not in p]
    ctx.close()
    assert problems == []


def _expect():
    from playwright.sync_api import expect

    return expect


@browser_test
def test_unbalanced_html_in_a_note_hides_nothing_that_follows(site, page):
    goto(page, f"{site.url}/Notes?note=hostile-html&section=first-part")
    body = page.locator(BODY)
    for i in range(len(UNBALANCED)):
        _expect()(body.get_by_text(f"Marker {i} shows.", exact=True)).to_be_visible()
    facts = body.evaluate("""b => ({
        controls: [...b.querySelectorAll('input, button, select, textarea, form, option')]
            .filter(e => !e.matches('input.task-list-item-checkbox, button.gloss-more, button.code-copy')).map(e => e.outerHTML),
        boxes: [...b.querySelectorAll('input.task-list-item-checkbox')].map(e => [e.type, e.disabled, e.checked]),
        rawText: b.innerText.includes('<p>') || b.innerText.includes('</'),
    })""")
    assert facts["controls"] == []
    assert facts["boxes"] == [["checkbox", True, True], ["checkbox", True, False]]
    assert not facts["rawText"], "no HTML source shown as text"
    shot = body.get_by_text("Marker 14 shows.", exact=True)
    shot.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/hardening-unbalanced.png")


@browser_test
def test_a_title_with_markdown_images_is_shown_as_text_and_nothing_is_fetched(site, page):
    main = page.locator("[data-testid='stMain']")
    views = [
        ("/Notes?note=hostile-html", lambda: main.locator("h1").first),
        ("/Notes?note=hostile-html&section=first-part", lambda: main.get_by_role("link", name="Next: Second")),
        ("/Search?q=zebratitle", lambda: main.get_by_role("link", name="Zebratitle")),
        ("/Study?tab=progress", lambda: main.get_by_role("link", name="Zebratitle")),
    ]
    for path, element in views:
        goto(page, site.url + path)
        el = element()
        _expect()(el.first).to_be_visible()
        text = el.first.inner_text()
        assert f"http://{IMAGE_HOST}/" in text and "![" in text, (path, text)
        assert el.first.locator("img").count() == 0, path
    assert [u for u in page.requested if IMAGE_HOST in u] == []
    page.screenshot(path="/tmp/hardening-title.png")
