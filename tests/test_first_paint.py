"""A fast first paint (issue 11): the home page loads no Plotly; a chart page loads it when it needs it.

Timings are in ``python -m bench --only coldstart``; here only what must hold: which JavaScript the
browser fetched, and when (before or after the home page was drawn).
"""

from __future__ import annotations

import pytest

from tests.e2e_util import PageWatch, goto, new_context, wait_for_app

browser_test = pytest.mark.browser

_PLOTLY = "() => performance.getEntriesByType('resource').filter(e => /PlotlyChart\\.[^/]*\\.js$/.test(e.name)).length"


@pytest.fixture(scope="module")
def server(app_server):
    """The session's shared server (``tests/conftest.py``): each check opens a fresh browser context (an empty
    cache), so what the browser fetched is this page load's."""
    return app_server


@browser_test
def test_home_page_is_drawn_without_plotly_which_a_chart_page_loads_once(browser, server):
    from playwright.sync_api import expect

    context = new_context(browser)
    try:
        page = context.new_page()
        watch = PageWatch().attach(page)
        goto(page, server.url + "/")
        page.wait_for_function("() => [...document.querySelectorAll('img.figure-image')].every(i => i.complete)", polling=50)
        assert page.evaluate(_PLOTLY) == 0, "the home page fetched Plotly before it was drawn"
        assert page.get_by_test_id("stPlotlyChart").count() == 0
        from components.page_shell import ICON_URI

        icon = "() => document.querySelector(\"link[rel='shortcut icon']\").getAttribute('href')"
        page.wait_for_function(f"() => ({icon})() === {ICON_URI!r}", polling=50)  # the app's own icon, no request
        assert page.locator("[data-page-shell]").count() == 1  # one shell element: links, copy buttons, icon
        page.get_by_test_id("stSidebar").get_by_role("link", name="25/25/25/25 breakdown").click()
        wait_for_app(page)
        expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible()
        assert page.evaluate(_PLOTLY) == 1, "the chart page fetched the bundle once"
        assert watch.problems() == [], watch.problems()
    finally:
        context.close()
