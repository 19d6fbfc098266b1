"""Search in a real Chromium: a typo typed into the box finds its term, the URL keeps the query, a hit opens
its note and Back returns to the results; "did you mean" runs the close query and Back returns too."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.e2e_util import PageWatch, expect, goto, new_context, switch_os_theme, wait_for_app, watched_page

pytestmark = pytest.mark.browser

BOX = "Search the notes, ladders, certifications, trends and glossary"
MAIN = "[data-testid='stMain']"



@pytest.fixture
def page(browser):
    with watched_page(browser) as pg:
        yield pg


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def test_a_typo_finds_the_note_which_opens_and_back_returns(page, app_server):
    goto(page, f"{app_server.url}/Search")
    box = page.get_by_label(BOX)
    box.fill("kubernets")
    box.press("Enter")
    wait_for_app(page)
    main = page.locator(MAIN)
    expect()(main.get_by_text("No entry has “kubernets”: searched for kubernetes instead.")).to_be_visible()
    assert query(page) == {"q": ["kubernets"]}  # the URL keeps the query as typed
    expect()(main.get_by_role("heading", name=re.compile(r"Notes$"))).to_be_visible()  # the notes' group
    first = main.locator("a[href*='Notes?note=']").first
    expect()(first).to_be_visible()
    target = parse_qs(urlsplit(first.get_attribute("href")).query)
    expect()(main.locator("mark", has_text="Kubernetes").first).to_be_visible()
    first.click()
    wait_for_app(page)
    assert query(page) == target and urlsplit(page.url).path == "/Notes"
    expect()(main.locator(".note-body").first).to_contain_text("Kubernetes")  # the note itself, not the results
    expect()(page.get_by_label(BOX)).to_have_count(0)
    page.go_back()
    wait_for_app(page)
    assert urlsplit(page.url).path == "/Search" and query(page) == {"q": ["kubernets"]}
    expect()(page.get_by_label(BOX)).to_have_value("kubernets")
    expect()(main.get_by_text("No entry has “kubernets”: searched for kubernetes instead.")).to_be_visible()


def test_did_you_mean_runs_the_close_query_and_back_returns(page, app_server):
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content
    from explorer.notes.search import SearchIndex

    # the kaizen note keeps the old spelling "Kayzen" once; no entry has it together with "model"
    assert SearchIndex.build(load_content(CONTENT_DIR)).search("kayzen model").suggestion == "kaizen model"
    goto(page, f"{app_server.url}/Search?q=kayzen+model")
    main = page.locator(MAIN)
    mean = main.get_by_role("button", name=re.compile("Did you mean: kaizen model"))
    expect()(mean).to_be_visible()
    mean.click()
    wait_for_app(page)
    expect()(page).to_have_url(re.compile(r"[?&]q=kaizen\+model(&|$)"))  # the run the click started has ended
    assert query(page) == {"q": ["kaizen model"]}
    expect()(page.get_by_label(BOX)).to_have_value("kaizen model")
    expect()(main.get_by_text(re.compile(r"^\d+ result\(s\) for “kaizen model”"))).to_be_visible()
    expect()(mean).to_have_count(0)
    page.go_back()
    wait_for_app(page)
    expect()(page).to_have_url(re.compile(r"[?&]q=kayzen\+model(&|$)"))
    assert query(page) == {"q": ["kayzen model"]}
    expect()(page.get_by_label(BOX)).to_have_value("kayzen model")


def test_axe_finds_no_serious_problem_in_the_results(browser, app_server):
    """The results' own markup (grouped hit links, corrections, did you mean) on a desktop and a phone, each
    in the light and the dark theme in one page load (the OS preference switched on the open page)."""
    from axe_playwright_python.sync_playwright import Axe

    ctx = new_context(browser)
    try:
        page = ctx.new_page()
        watch = PageWatch().attach(page)
        for width, query in ((1400, "kayzen+model"), (390, "kubernets")):
            page.emulate_media(color_scheme="light")
            page.set_viewport_size({"width": width, "height": 900})
            goto(page, f"{app_server.url}/Search?q={query}")
            page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", polling=50)
            expect()(page.locator(".search-hit").first).to_be_visible()
            for theme in ("light", "dark"):
                switch_os_theme(page, theme)
                found = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
                blocking = [(v["id"], v["nodes"][0]["target"]) for v in found.response["violations"]
                            if v["impact"] in ("serious", "critical")]
                assert blocking == [], (width, query, theme)
            assert page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollWidth") <= width
        assert watch.problems() == []
    finally:
        ctx.close()
