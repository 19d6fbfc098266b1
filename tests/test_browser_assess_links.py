"""Deep links to the self-assessment, the team workshop and the study page as the first request of a fresh
server, in Chromium: the widgets show what the link says (issue #21: values come to the widgets as their
defaults, ``ui.urlstate.widget``), not only the page around them, and the link stays in the address bar.

On a fresh server the browser store's first report can start a run before the browser has drawn the first
one; a value put into ``st.session_state`` for a widget then never reaches the browser
(``ui/streamlit_facts.py``, fact 2): the facilitator view showed its toggle off, the workshop's paste box
came up empty, the study page's view control showed no view."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from explorer import CONTENT_DIR
from explorer.assess import plan as plan_mod
from explorer.assess import sharecode
from explorer.assess.scoring import evaluate
from explorer.content.loader import load_content
from tests.e2e_util import PageWatch, new_context, running_server, wait_for_app

pytestmark = pytest.mark.browser
WAIT = 30_000
COLD = 90_000  # the first runs of a fresh server, every link's at once (one process), on a busy machine
_C = load_content(CONTENT_DIR)
A, V = _C.assessment, _C.vendors
MEMBERS = [sharecode.encode(A, {q.id: (i + n) % len(q.answers) for n, q in enumerate(A.questions)}, name=name)
           for i, name in enumerate(("Ana", "", "Cy"))]
WORKSHOP = sharecode.encode_workshop(MEMBERS)
ANSWERS = {q.id: 1 for q in A.questions}
PLAN = plan_mod.encode_edits({plan_mod.build_plan(evaluate(A, V, ANSWERS), A, V).keys[0]: {"owner": "Ana", "target": ""}})


def _expect():
    from playwright.sync_api import expect

    return expect


def _facilitator(page) -> None:
    _expect()(page.get_by_role("switch", name="Facilitator view")).to_be_checked(timeout=WAIT)
    _expect()(page.get_by_test_id("stSidebar")).to_be_hidden(timeout=WAIT)
    _expect()(page.get_by_test_id("stMetric").filter(has_text="Team consensus")).to_have_count(3, timeout=WAIT)


def _paste_box(page) -> None:
    _expect()(page.get_by_role("textbox", name="Share links or codes, one per line")).to_have_value("\n".join(MEMBERS), timeout=WAIT)
    _expect()(page.get_by_text("The team: 3 answer sets")).to_be_visible(timeout=WAIT)
    _expect()(page.get_by_role("switch", name="Facilitator view")).not_to_be_checked(timeout=WAIT)


def _quiz(page) -> None:
    _expect()(page.get_by_test_id("stButtonGroup").first.locator("button[aria-checked='true']")).to_have_text("Quiz", timeout=WAIT)
    _expect()(page.get_by_text("Quiz #42 · ")).to_be_visible(timeout=WAIT)


def _plan_editor_open(page) -> None:
    _expect()(page.get_by_role("switch", name="Owners and target dates")).to_be_checked(timeout=WAIT)
    _expect()(page.locator("[class*='st-key-plan_editor_'] canvas").first).to_be_attached(timeout=WAIT)


LINKS = {
    f"/Workshop?w={WORKSHOP}&view=facilitator": _facilitator,
    f"/Workshop?w={WORKSHOP}": _paste_box,
    "/Study?tab=quiz&seed=42": _quiz,
    f"/Self_Assessment?a={sharecode.encode(A, ANSWERS)}&plan={PLAN}": _plan_editor_open,
}


@pytest.fixture(scope="module")
def fresh_pages(browser, _browser_available):
    """A fresh server whose first requests are all the links at once, each in a browser context of its own
    (visitors arriving together at a server that has run nothing yet): one server for all of them."""
    with running_server() as fresh:
        opened = {}
        try:
            for link in LINKS:
                ctx = new_context(browser)
                page = ctx.new_page()
                opened[link] = (ctx, page, PageWatch().attach(page))
                page.goto(fresh.url + link, wait_until="commit", timeout=WAIT)
            yield {link: (page, watch) for link, (_, page, watch) in opened.items()}
        finally:
            for ctx, *_ in opened.values():
                ctx.close()


@pytest.mark.xdist_group("test_browser_assess_links")  # one worker: the links share one fresh server
@pytest.mark.parametrize("link", list(LINKS), ids=["facilitator", "workshop", "quiz", "plan"])
def test_a_deep_link_fills_the_widgets_on_a_fresh_server(fresh_pages, link):
    page, watch = fresh_pages[link]
    wait_for_app(page, COLD)
    LINKS[link](page)
    page.wait_for_timeout(500)  # a later run (the browser store's report) keeps what the link says
    wait_for_app(page)
    LINKS[link](page)
    assert urlsplit(page.url).query == urlsplit(link).query
    assert page.get_by_test_id("stException").count() == 0
    assert watch.problems() == [], watch.problems()
