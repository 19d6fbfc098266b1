"""#24 items 1-2 in Chromium: the learner's own FSRS parameters survive a reload (fitted in the page, kept in the
browser's store), and choosing a retention under "Help me decide" sets the desired retention."""

from __future__ import annotations

import datetime as dt
import json
import time

import pytest

from tests.e2e_util import goto, main_text, plant_store, url_params, wait_for_app, watched_page

pytestmark = pytest.mark.browser
LS_KEY = "mlops-explorer/store"


def _learner(now: dt.datetime) -> str:
    """The content's cards reviewed for 300 days by the synthetic learner (about 5,500 reviews)."""
    from explorer.content.loader import load_content
    from explorer.study import store as S
    from explorer.study import synthetic
    from explorer.study.cards import generate_cards
    from tests.conftest import CONTENT

    ids = [c.id for c in generate_cards(load_content(CONTENT))]
    return S.dump(synthetic.learner_store(len(ids), 300, ids=ids, start=now - dt.timedelta(days=300), seed=3))






def _stored(page) -> dict:
    raw = page.evaluate(f"localStorage.getItem({LS_KEY!r})") or "{}"
    return json.loads(json.loads(raw).get("text") or "{}")


def _wait_stored(page, check, what: str, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while not check(data := _stored(page)):
        assert time.monotonic() < deadline, f"{what} never reached the browser's store"
        page.wait_for_timeout(250)
    return data


def test_fitted_parameters_survive_a_reload_and_return_to_defaults(browser, app_server):
    with watched_page(browser) as page:
        plant_store(page, app_server.url, _learner(dt.datetime.now(dt.UTC)))
        goto(page, f"{app_server.url}/Study?tab=memory")
        main_text(page, "you have 5,")  # the learner's reviews have arrived from the browser
        page.get_by_role("button", name="Optimize my parameters").click()
        main_text(page, "your own parameters", timeout=60)
        main_text(page, "predict better")  # the outcome, with its table of log loss and RMSE before and after
        data = _wait_stored(page, lambda d: (d.get("fsrs") or {}).get("params"), "the fitted parameters")
        params = data["fsrs"]["params"]
        assert len(params) == 21
        page.reload(wait_until="domcontentloaded")
        wait_for_app(page)
        main_text(page, "your own parameters", "Return to defaults")  # the button comes after the sentence
        assert _stored(page)["fsrs"]["params"] == params  # kept exactly
        page.get_by_role("button", name="Return to defaults").click()
        wait_for_app(page)
        main_text(page, "its default parameters")
        _wait_stored(page, lambda d: d.get("fsrs") and "params" not in d["fsrs"], "the return to defaults")
        page.reload(wait_until="domcontentloaded")
        wait_for_app(page)
        # the first run, before the learner's progress arrives, shows the default parameters too: wait for the
        # progress (the review count, drawn after the parameters' sentence in the same run), then read that sentence
        text = main_text(page, "you have 5,")
        assert "its default parameters" in text and "your own parameters" not in text


def test_choosing_a_retention_sets_the_setting_and_the_period_is_in_the_url(browser, app_server):
    with watched_page(browser) as page:
        plant_store(page, app_server.url, _learner(dt.datetime.now(dt.UTC)))
        goto(page, f"{app_server.url}/Study?tab=memory")
        main_text(page, "you have 5,")
        page.get_by_test_id("stButtonGroup").filter(has_text="0.97").get_by_text("0.86", exact=True).click()
        wait_for_app(page)
        _wait_stored(page, lambda d: (d.get("settings") or {}).get("desired_retention", [0, 0])[1] == 0.86,
                     "the chosen retention")
        main_text(page, "86%")  # the target shown beside true retention
        page.get_by_test_id("stButtonGroup").get_by_text("All reviews", exact=True).click()
        wait_for_app(page)
        deadline = time.monotonic() + 10
        while url_params(page.url).get("period") != "all":
            assert time.monotonic() < deadline, page.url
            page.wait_for_timeout(200)
        assert url_params(page.url)["tab"] == "memory"
