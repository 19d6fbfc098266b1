"""The card browser (#24) in the real app, in Chromium: a suspended card and a buried card stay so after a
reload (the learner's browser keeps the flags), the state filter in the URL finds them, and unsuspending
brings the card back."""

from __future__ import annotations

import re
import time

import pytest

from tests.e2e_util import goto, new_context, wait_for_app

pytestmark = pytest.mark.browser
SUSPENDED = "term-def:feature-store"
BURIED = "term-name:feature-store"


def main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text()


def open_card(page, url: str, card: str) -> None:
    goto(page, f"{url}/Study?tab=browse&card={card}")
    page.wait_for_timeout(400)  # the browser store's first report arrives one run after the first
    wait_for_app(page)


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
        assert "Glossary · Suspended" in main_text(page)
        assert page.get_by_role("button", name="Unsuspend").is_visible()

        open_card(page, url, BURIED)
        page.get_by_role("button", name="Bury until tomorrow").click()
        wait_for_app(page)
        assert "Glossary · Buried until tomorrow" in main_text(page)

        text = shows_after_reload(page, url, SUSPENDED, "Glossary · Suspended")
        assert "Glossary · Suspended" in text, text[-800:]
        assert page.get_by_role("button", name="Unsuspend").is_visible()
        text = shows_after_reload(page, url, BURIED, "Glossary · Buried until tomorrow")
        assert "Glossary · Buried until tomorrow" in text, text[-800:]

        goto(page, f"{url}/Study?tab=browse&state=suspended")
        page.wait_for_timeout(400)
        wait_for_app(page)
        assert re.search(r"\b1 of [\d,]+ cards", main_text(page)), main_text(page)[-800:]

        open_card(page, url, SUSPENDED)
        page.get_by_role("button", name="Unsuspend").click()
        wait_for_app(page)
        assert "Glossary · New" in main_text(page)
    finally:
        ctx.close()
