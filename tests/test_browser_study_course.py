"""The Study page's course view in real Chromium (#24 items 6 and 7): the weakest areas as links that study just
their cards, and an exam date kept in the learner's browser across a reload, with its plan."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest

from tests.e2e_util import goto, main_text, plant_store, url_params, wait_for_app, wait_stored, watched_page

pytestmark = pytest.mark.browser
LS_KEY = "mlops-explorer/store"


def _learner(now: dt.datetime) -> str:
    """A learner who knows every card of the content well (reviewed yesterday) but the trends' (failed weeks ago)."""
    from explorer.content.loader import load_content
    from explorer.study import store as S
    from explorer.study.cards import generate_cards
    from tests.conftest import CONTENT

    s = S.empty()
    for i, card in enumerate(generate_cards(load_content(CONTENT))):
        failed = card.category == "trends"
        t = now - dt.timedelta(days=20 if failed else 1)
        s = S.review(s, card.id, "again" if failed else "easy", t, review_id=f"r{i}")
    return S.dump(s)






def _set_date(page, label: str, day: dt.date) -> None:
    """Type a date into Streamlit's date input (year, month and day fields)."""
    for part, value in (("year", f"{day.year:04d}"), ("month", f"{day.month:02d}"), ("day", f"{day.day:02d}")):
        page.get_by_role("spinbutton", name=f"{part}, {label}").click()
        page.keyboard.type(value)


def test_the_weakest_areas_are_links_that_study_just_their_cards(browser, app_server):
    from playwright.sync_api import expect

    with watched_page(browser) as page:
        plant_store(page, app_server.url, _learner(dt.datetime.now(dt.UTC)))
        goto(page, f"{app_server.url}/Study?tab=course")
        notes = page.locator("section.course-weakest[aria-label='Weakest notes'] li")
        # the learner's progress has arrived from the browser: the weakest note says why (the page's explanation
        # above also names "failed reviews", so waiting for those words anywhere would not wait at all)
        expect(notes.first).to_contain_text("failed reviews", timeout=30_000)
        assert notes.count() == 3
        hrefs = [notes.nth(i).locator("a").get_attribute("href") for i in range(3)]
        assert all(h.startswith("/Study?tab=cards&note=") or h.startswith("/Notes?note=") for h in hrefs), hrefs
        assert hrefs[0] == "/Study?tab=cards&note=future-trends", hrefs  # the failed trends: the weakest note
        assert "failed reviews" in notes.first.inner_text()
        folder = page.locator("section.course-weakest[aria-label='Weakest folders'] li a").first
        assert folder.inner_text().startswith("Study Week 1")
        folder.click()
        wait_for_app(page)
        text = main_text(page, "Studying only the")
        assert "of folder “Week 1”" in text
        assert url_params(page.url) == {"tab": "cards", "folder": "Week 1"}
        assert urlsplit(page.url).path == "/Study"
        page.get_by_role("button", name="All cards").click()
        wait_for_app(page)
        # the click's run may start after wait_for_app's short sleep: wait for the filter to go, do not read it once
        expect(page.get_by_test_id("stMain")).not_to_contain_text("Studying only the", timeout=20_000)
        assert "folder" not in url_params(page.url)


def test_an_exam_date_survives_a_reload_and_plans_reviews(browser, app_server):
    from playwright.sync_api import expect

    exam = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=5)  # window: days 2-4, inside the 7-day forecast
    with watched_page(browser) as page:
        plant_store(page, app_server.url, _learner(dt.datetime.now(dt.UTC)))
        goto(page, f"{app_server.url}/Study?tab=course")
        # the learner's progress has arrived from the browser before the date is typed ("Exam dates", the section's
        # heading, is there from the first run: waiting for it would not wait for the progress)
        weakest = page.locator("section.course-weakest[aria-label='Weakest notes'] li").first
        expect(weakest).to_contain_text("failed reviews", timeout=30_000)
        _set_date(page, "Exam date", exam)
        page.get_by_role("button", name="Save the exam date").click()
        wait_for_app(page)
        line = f"Folder Week 1 · exam on {exam.isoformat()}"
        main_text(page, line, "the last 3 days before it")  # the caption comes after the line and its button
        assert url_params(page.url).get("exam") == "folder:Week 1"
        wait_stored(page, "folder:Week 1")  # the exam date is in the browser's store before the reload
        page.reload(wait_until="domcontentloaded")
        wait_for_app(page)
        main_text(page, line)
        text = main_text(page, "Reviews, next 7 days")  # the forecast up to the exam, with the plan (drawn a moment later)
        assert line in text
        # the flashcards' 7-day forecast shows the plan's exam reviews too
        goto(page, f"{app_server.url}/Study?tab=cards")
        text = main_text(page, "Reviews, next 7 days")
        assert "Exam review" in text and "Cards due in the next 7 days" not in text
        goto(page, f"{app_server.url}/Study?tab=course")
        main_text(page, line)
        page.get_by_role("button", name="Remove").first.click()
        wait_for_app(page)
        expect(page.get_by_test_id("stMain")).not_to_contain_text(line, timeout=20_000)  # not a fixed wait, then one read
