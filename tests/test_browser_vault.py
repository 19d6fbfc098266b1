"""Obsidian links in a real Chromium (#23): a vault read as it was written.

The server reads a copy of content/ with tests/fixtures/vault added under notes/vault/, so what is asserted is
what a reader sees: the texts and targets of [[links]], a move that stays in the session and that Back
undoes, a missing note's tip on keyboard focus, a linked note's preview on hover and on focus, the
"Linked from" list with each sentence, callouts that fold, a tag that opens a search; axe finds nothing
serious on a vault note in either theme.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from tests.e2e_util import (
    VAULT_FIXTURE,
    expect,
    goto,
    new_context,
    switch_os_theme,
    wait_for_app,
    watched_page,
)
from tests.e2e_util import url_params as params

browser_test = pytest.mark.browser
VAULT = VAULT_FIXTURE
BODY = "[data-testid='stMain'] .note-body"


@pytest.fixture(scope="module")
def site(vault_site):
    """The session's vault site (tests/conftest.py), shared with the diagram-and-tree module."""
    return vault_site


@pytest.fixture
def page(browser):
    with watched_page(browser) as pg:
        yield pg




def open_note(page, site, query: str) -> None:
    goto(page, f"{site.url}/Notes?{query}")
    wait_for_app(page)
    page.locator(BODY).first.wait_for()


@browser_test
def test_links_show_their_text_and_go_to_the_note_in_the_session_and_back_returns(page, site):
    open_note(page, site, "note=home")
    body = page.locator(BODY).first
    links = body.locator("a.wikilink")
    got = {(a.inner_text(), a.get_attribute("href")) for a in links.all()}
    assert ("Bias and variance", "?note=bias-variance") in got
    assert ("bias variance › Decomposition", "?note=bias-variance&section=decomposition") in got
    assert ("Basic Examples", "?note=well-posed-problems") in got
    assert "[[" not in body.evaluate("e => { const c = e.cloneNode(true); c.querySelectorAll('code').forEach(x => x.remove()); "
                                     "return c.innerText; }")
    session = page.evaluate("() => performance.getEntriesByType('navigation').length")
    body.get_by_role("link", name="Basic Examples").click()
    expect()(page.get_by_role("heading", name="Well-posed problems", level=1)).to_be_visible()
    assert params(page.url) == {"note": "well-posed-problems"}
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == session  # no reload
    page.go_back()
    expect()(page.get_by_role("heading", name="Vault home", level=1)).to_be_visible()
    assert params(page.url) == {"note": "home"}
    page.locator(BODY).first.get_by_role("link", name="bias variance › Decomposition").click()
    expect()(page.get_by_role("heading", name="Decomposition")).to_be_visible()
    assert params(page.url) == {"note": "bias-variance", "section": "decomposition"}


@browser_test
def test_missing_note_is_dimmed_and_says_so_on_keyboard_focus(page, site):
    open_note(page, site, "note=home")
    missing = page.locator(f"{BODY} .wikilink-missing").first
    expect()(missing).to_have_text("Missing Note")
    tip = page.locator(f"#{missing.get_attribute('aria-describedby')}")
    expect()(tip).to_be_hidden()
    assert float(missing.evaluate("e => getComputedStyle(e).opacity")) < 0.8
    missing.focus()
    expect()(tip).to_be_visible()
    expect()(tip).to_have_text("“Missing Note” is not in your notes")
    expect()(missing).to_have_accessible_description("“Missing Note” is not in your notes")


@browser_test
def test_preview_on_hover_and_on_focus(page, site):
    open_note(page, site, "note=home")
    link = page.locator(f"{BODY} a.wikilink", has_text="Gradient Descent").first
    tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    expect()(tip).to_be_hidden()
    link.hover()
    expect()(tip).to_be_visible()
    expect()(tip.locator(".preview-title")).to_have_text("Gradient Descent")
    expect()(tip.locator(".preview-folder")).to_have_text("vault/Lectures/2/Notes")
    expect()(tip.locator(".preview-text")).to_contain_text("Gradient descent walks downhill on the loss")
    page.mouse.move(0, 0)
    expect()(tip).to_be_hidden()
    link.focus()
    expect()(tip).to_be_visible()


@browser_test
def test_linked_from_shows_each_note_with_its_sentence(page, site):
    open_note(page, site, "note=gradient-descent")
    box = page.locator("[data-testid='stMain'] .backlinks")
    expect()(box.get_by_role("heading", name="Linked from")).to_be_visible()
    item = box.locator("li", has=page.get_by_role("link", name="Week 2 quiz")).first
    expect()(item).to_contain_text("What does Gradient Descent mean?")
    expect()(box.locator("li", has=page.get_by_role("link", name="Vault home")).first).to_contain_text(
        "Start with Gradient Descent")
    item.get_by_role("link", name="Week 2 quiz").click()
    expect()(page.get_by_role("heading", name="Week 2 quiz", level=1)).to_be_visible()
    assert params(page.url) == {"note": "week-2-quiz"}


@browser_test
def test_callouts_fold_and_embeds_show_inline(page, site):
    open_note(page, site, "note=callouts")
    folded = page.locator(f"{BODY} details.callout-warning")
    body_text = folded.get_by_text("This body is hidden until the reader opens it.")
    expect()(body_text).to_be_hidden()
    folded.locator("summary").click()
    expect()(body_text).to_be_visible()
    expect()(page.locator(f"{BODY} details.callout-example").get_by_text("This one starts open.")).to_be_visible()
    expect()(page.locator(f"{BODY} .markdown-alert-note")).to_contain_text("A GitHub alert stays an alert.")
    open_note(page, site, "note=home")
    embed = page.get_by_role("region", name="Embedded: Gradient Descent › Update rule")
    expect()(embed).to_contain_text("Each step moves the weights against the gradient")
    width = page.locator(f"{BODY} img[width='300']").first.evaluate("e => e.getBoundingClientRect().width")
    assert round(width) == 300


@browser_test
def test_missing_note_says_so_with_a_tap_on_a_touch_screen(browser, site):
    ctx = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    try:
        open_note(pg, site, "note=home")
        missing = pg.locator(f"{BODY} .wikilink-missing").first
        button = missing.locator("xpath=..").locator(".gloss-more")
        tip = pg.locator(f"#{button.get_attribute('popovertarget')}")
        expect()(tip).to_be_hidden()
        button.tap()
        expect()(tip).to_be_visible()
        expect()(tip).to_have_text("“Missing Note” is not in your notes")
    finally:
        ctx.close()


@browser_test
def test_a_tag_opens_a_search_for_it(page, site):
    open_note(page, site, "note=home")
    page.locator(f"{BODY} a.note-tag", has_text="#mlops").click()
    expect()(page.get_by_label("Search the notes, ladders, certifications, trends and glossary")).to_have_value("#mlops")
    assert params(page.url).get("q") == "#mlops"
    hits = page.locator("[data-testid='stMain'] .search-hit")
    expect()(hits.filter(has_text="Home")).to_have_count(1)  # its text's tag: the section that holds it
    expect()(hits.filter(has_text="The MLOps 25% rule")).to_have_count(1)  # a shipped note's front matter tags
    for hit in hits.all():  # only places that carry the tag, never the word alone
        expect()(hit.locator("mark", has_text="#mlops").first).to_be_visible()


@browser_test
def test_a_tag_lists_the_places_that_carry_it_and_back_returns(page, site):
    """#lecture-5 closes a section of each of three notes: the search lists those sections, no other."""
    monitoring = "note=monitoring"
    open_note(page, site, monitoring)
    page.locator(f"{BODY} a.note-tag", has_text="#lecture-5").click()
    wait_for_app(page)
    assert params(page.url).get("q") == "#lecture-5"
    hits = page.locator("[data-testid='stMain'] .search-hit > a")
    expect()(hits).to_have_count(3)
    titles = sorted(hits.all_inner_texts())
    assert all("Details" in t for t in titles), titles
    for name in ("Data Drift", "Monitoring", "Retraining"):
        expect()(page.locator("[data-testid='stMain'] .search-hit", has_text=name)).to_have_count(1)
    page.go_back()
    wait_for_app(page)
    assert urlsplit(page.url).path == "/Notes" and params(page.url) == params("?" + monitoring)
    expect()(page.locator(BODY).first).to_contain_text("A short explanation of monitoring")


@browser_test
def test_no_serious_axe_violation_on_a_vault_note(browser, site):
    """The note's own HTML: links, a missing link, an open preview, callouts, embeds, tags and "Linked from";
    the light and the dark theme in one page load (the OS preference switched on the open page)."""
    from axe_playwright_python.sync_playwright import Axe

    ctx = new_context(browser)
    pg = ctx.new_page()
    try:
        open_note(pg, site, "note=home")
        # the note and its "Linked from" (the folder tree beside it is tests/test_note_tree.py's)
        pg.locator(f"{BODY} a.wikilink").first.focus()  # a preview open
        for theme in ("light", "dark"):
            switch_os_theme(pg, theme)
            violations = Axe().run(pg, context={"include": [["[data-testid='stMain'] .note-body"], [".backlinks"]]},
                                   options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
            blocking = [(v["id"], v["nodes"][0]["html"][:160]) for v in violations.response["violations"]
                        if v["impact"] in ("serious", "critical")]
            assert blocking == [], theme
    finally:
        ctx.close()
