"""The card browser (#24) in the real app, in Chromium: a suspended card and a buried card stay so after a
reload (the learner's browser keeps the flags), the state filter in the URL finds them, and unsuspending
brings the card back."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e_util import STORE_KEY, expect, goto, new_context, wait_for_app

pytestmark = pytest.mark.browser
SUSPENDED = "term-def:feature-store"
BURIED = "term-name:feature-store"


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def open_card(page, url: str, card: str) -> None:
    goto(page, f"{url}/Study?tab=browse&card={card}")
    page.wait_for_timeout(400)  # the browser store's first report arrives one run after the first
    wait_for_app(page)


def saved(page, card: str, field: str, timeout: float = 20_000) -> None:
    """Wait until this browser's stored progress holds ``field`` for ``card`` (the save is debounced: a reload
    before it would test the debounce, not the flag)."""
    page.wait_for_function(
        """([key, card, field]) => {
             try {
               const store = JSON.parse(JSON.parse(localStorage.getItem(key) || "null").text);
               const flag = ((store || {}).card_flags || {})[card];
               return !!(flag && flag[field]);
             } catch (e) { return false; }
           }""", arg=[STORE_KEY, card, field], timeout=timeout, polling=50)


def shows_after_reload(page, url: str, card: str, text: str, timeout: float = 20) -> str:
    """Reload the card until it shows ``text`` (the save to the browser is debounced); the last text seen."""
    deadline, last = time.monotonic() + timeout, ""
    while time.monotonic() < deadline:
        open_card(page, url, card)
        last = main_text(page)
        if text in last:
            return last
        page.wait_for_timeout(500)
    return last


def test_suspension_and_burial_survive_a_reload(browser, app_server):
    url = app_server.url
    ctx = new_context(browser)
    page = ctx.new_page()
    try:
        open_card(page, url, SUSPENDED)
        assert "Glossary · New" in main_text(page)
        page.get_by_role("button", name="Suspend", exact=True).click()
        wait_for_app(page)
        # the click's run may start after wait_for_app's short sleep: wait for the new state, do not read it once
        expect()(page.get_by_test_id("stMain")).to_contain_text("Glossary · Suspended", timeout=20_000)
        expect()(page.get_by_role("button", name="Unsuspend")).to_be_visible()  # drawn after the caption, same run
        saved(page, SUSPENDED, "suspended")

        open_card(page, url, BURIED)
        page.get_by_role("button", name="Bury until tomorrow").click()
        wait_for_app(page)
        expect()(page.get_by_test_id("stMain")).to_contain_text("Glossary · Buried until tomorrow", timeout=20_000)
        saved(page, BURIED, "buried_until")

        text = shows_after_reload(page, url, SUSPENDED, "Glossary · Suspended")
        assert "Glossary · Suspended" in text, text[-800:]
        expect()(page.get_by_role("button", name="Unsuspend")).to_be_visible()
        text = shows_after_reload(page, url, BURIED, "Glossary · Buried until tomorrow")
        assert "Glossary · Buried until tomorrow" in text, text[-800:]

        goto(page, f"{url}/Study?tab=browse&state=suspended")
        # "0 of ... cards" until the browser's store arrives, on a busy machine later than any fixed wait (the element's
        # text runs the filter's label into the count: "Due1 of 181 cards")
        expect()(page.get_by_test_id("stMain")).to_contain_text(re.compile(r"(?<![\d,])1 of [\d,]+ cards"), timeout=20_000)

        open_card(page, url, SUSPENDED)
        page.get_by_role("button", name="Unsuspend").click()  # (shown once the browser's store has arrived)
        wait_for_app(page)
        expect()(page.get_by_test_id("stMain")).to_contain_text("Glossary · New", timeout=20_000)
    finally:
        ctx.close()


CLOZE_NOTE = """---
title: Cloze demo
week: 1
---

# Cloze demo

## Serving

A {{c1::feature store}} serves the same features for training and for {{c2::online inference::when?}}.

Written as code it is no cloze: `{{c1::code}}`.
"""


@pytest.fixture(scope="module")
def cloze_site(tmp_path_factory, _browser_available):
    """A server on a copy of the content with one note of cloze deletions."""
    import shutil

    from tests.e2e_util import ROOT, running_server

    content = tmp_path_factory.mktemp("cloze") / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "notes" / "cloze-demo.md").write_text(CLOZE_NOTE, encoding="utf-8")
    with running_server(env={"EXPLORER_CONTENT_DIR": str(content)}) as server:
        yield server


def test_clozes_read_as_marked_text_and_become_cards_in_the_browser(browser, cloze_site):
    ctx = new_context(browser)
    page = ctx.new_page()
    try:
        goto(page, f"{cloze_site.url}/Notes?note=cloze-demo")
        spans = page.locator("span.cloze")
        assert spans.count() == 2
        assert [spans.nth(i).inner_text() for i in range(2)] == ["feature store", "online inference"]
        assert spans.first.get_attribute("title") == "cloze c1"
        style = spans.first.evaluate("e => [getComputedStyle(e).textDecorationLine, getComputedStyle(e).textDecorationStyle]")
        assert style == ["underline", "dotted"]  # marked by a line, not by colour alone
        body = page.locator("[data-testid='stMain']").inner_text()
        assert "{{" not in body.replace("{{c1::code}}", "")  # only the code span keeps its braces

        goto(page, f"{cloze_site.url}/Study?tab=browse&deck=notes&text=feature%20store")
        page.wait_for_timeout(400)
        wait_for_app(page)
        assert re.search(r"\b2 of [\d,]+ cards", main_text(page)), main_text(page)[-800:]
    finally:
        ctx.close()
