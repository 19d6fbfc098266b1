"""A fast first paint (issue 11): the home page loads no Plotly; the bundle comes once the page is idle.

Timings are in ``python -m bench --only coldstart``; here only what must hold: which JavaScript the
browser fetched, and when (before or after the home page was drawn).
"""

from __future__ import annotations

import pytest

from tests.e2e_util import PageWatch, goto, launch_browser, new_context, require_browser, running_server, wait_for_app

browser_test = pytest.mark.browser

_PLOTLY = "() => performance.getEntriesByType('resource').filter(e => /PlotlyChart\\.[^/]*\\.js$/.test(e.name)).length"


def test_the_plotly_bundle_is_found_where_streamlit_serves_it():
    from ui.widgets import _plotly_bundle

    bundle = _plotly_bundle()
    assert bundle is not None and bundle.startswith("static/js/PlotlyChart.") and bundle.endswith(".js")
    from pathlib import Path

    import streamlit

    assert (Path(streamlit.__file__).parent / "static" / bundle).is_file()


def test_preload_module_refuses_what_is_not_a_relative_url():
    from components.preload import preload_module

    for bad in ("", None, "a\nb"):
        with pytest.raises(ValueError):
            preload_module(bad)


@pytest.fixture(scope="module")
def server():
    require_browser()
    with running_server() as s:
        yield s


@browser_test
def test_home_page_is_drawn_without_plotly_which_loads_when_idle_for_the_next_chart(server):
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = launch_browser(p)
        try:
            context = new_context(browser)
            page = context.new_page()
            watch = PageWatch().attach(page)
            goto(page, server.url + "/")
            page.wait_for_function("() => [...document.querySelectorAll('img.figure-image')].every(i => i.complete)")
            assert page.evaluate(_PLOTLY) == 0, "the home page fetched Plotly before it was drawn"
            assert page.get_by_test_id("stPlotlyChart").count() == 0
            page.wait_for_function(_PLOTLY.replace(".length", ".length === 1"), timeout=20_000)  # idle: preloaded
            page.get_by_test_id("stSidebar").get_by_role("link", name="25/25/25/25 breakdown").click()
            wait_for_app(page)
            expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible()
            assert page.evaluate(_PLOTLY) == 1, "the chart page fetched the bundle again"
            assert watch.problems() == [], watch.problems()
            context.close()
        finally:
            browser.close()
