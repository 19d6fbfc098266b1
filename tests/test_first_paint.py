"""A fast first paint (issue 11): the home page loads no Plotly; the bundle comes once the page is idle.

Timings are in ``python -m bench --only coldstart``; here only what must hold: which JavaScript the
browser fetched, and when (before or after the home page was drawn).
"""

from __future__ import annotations

import pytest

from tests.e2e_util import PageWatch, goto, new_context, require_browser, running_server, wait_for_app

browser_test = pytest.mark.browser

_PLOTLY = "() => performance.getEntriesByType('resource').filter(e => /PlotlyChart\\.[^/]*\\.js$/.test(e.name)).length"


def test_the_plotly_bundle_is_found_where_streamlit_serves_it():
    from ui.widgets import plotly_bundle

    bundle = plotly_bundle()
    assert bundle is not None and bundle.startswith("static/js/PlotlyChart.") and bundle.endswith(".js")
    from pathlib import Path

    import streamlit

    assert (Path(streamlit.__file__).parent / "static" / bundle).is_file()


def test_page_shell_refuses_a_preload_that_is_not_a_relative_url():
    from components.page_shell import page_shell

    for bad in ("", "a\nb", 3):
        with pytest.raises(ValueError):
            page_shell(bad)


def test_streamlits_direct_run_check_is_skipped_under_a_server(monkeypatch):
    """ui.frame marks Streamlit's once-per-process "use streamlit run" check as done when a server runs the
    app (the check walks the whole stack with inspect.stack(): about 0.1 s of a cold server's first run).
    If Streamlit renames its flag, this fails, rather than the saving silently going away."""
    import inspect

    import streamlit.delta_generator as dg
    from streamlit import runtime

    from ui.frame import skip_direct_run_check

    assert "_use_warning_has_been_displayed" in inspect.getsource(dg._maybe_print_use_warning)
    monkeypatch.setattr(dg, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: False)
    assert skip_direct_run_check() is False and dg._use_warning_has_been_displayed is False  # plain python: warn
    monkeypatch.setattr(runtime, "exists", lambda: True)
    assert skip_direct_run_check() is True and dg._use_warning_has_been_displayed is True


@pytest.fixture(scope="module")
def server(_browser_available):
    require_browser()
    with running_server() as s:
        yield s


@browser_test
def test_home_page_is_drawn_without_plotly_which_loads_when_idle_for_the_next_chart(browser, server):
    from playwright.sync_api import expect

    context = new_context(browser)
    try:
        page = context.new_page()
        watch = PageWatch().attach(page)
        goto(page, server.url + "/")
        page.wait_for_function("() => [...document.querySelectorAll('img.figure-image')].every(i => i.complete)")
        assert page.evaluate(_PLOTLY) == 0, "the home page fetched Plotly before it was drawn"
        assert page.get_by_test_id("stPlotlyChart").count() == 0
        from components.page_shell import ICON_URI

        icon = "() => document.querySelector(\"link[rel='shortcut icon']\").getAttribute('href')"
        page.wait_for_function(f"() => ({icon})() === {ICON_URI!r}")  # the app's own icon, no request
        assert page.locator("[data-page-shell]").count() == 1  # one shell element: links, icon, preload
        page.wait_for_function(_PLOTLY.replace(".length", ".length === 1"), timeout=20_000)  # idle: preloaded
        page.get_by_test_id("stSidebar").get_by_role("link", name="25/25/25/25 breakdown").click()
        wait_for_app(page)
        expect(page.locator("[data-testid='stPlotlyChart'] .main-svg").first).to_be_visible()
        assert page.evaluate(_PLOTLY) == 1, "the chart page fetched the bundle again"
        assert watch.problems() == [], watch.problems()
    finally:
        context.close()
