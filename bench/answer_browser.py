"""Row of the ``assessment`` section measured in Chromium: what one answer costs the server.

The questionnaire is an ``st.form``: a browser sends nothing while the learner picks answers, so
the server does no work per answer; only "Show my result" reruns the page.  This counts the
websocket messages the page sends while ten questions are answered (after the page has settled:
the browser store's restore is done), which is the server's work per answer.
"""

from __future__ import annotations

import time

from .coldstart import CHROMIUM, chromium_available
from .common import Goal, Results, Row
from .server import Server

ANSWERS = 10
QUIET_S = 3.0  # no message for this long: the page has settled


def run_answers_in_browser(results: Results, *, quiet_s: float = QUIET_S) -> None:
    """``quiet_s``: how long without a message the page must stay before the answers (it has settled)."""
    name = f"one answer in Chromium: messages sent to the server while answering {ANSWERS} questions"
    if not chromium_available():
        results.add(Row("assessment", name, [], unit="messages", error=f"skipped: no Chromium at {CHROMIUM}"))
        return
    from playwright.sync_api import sync_playwright

    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    questions = load_content(CONTENT_DIR).assessment.questions[:ANSWERS]
    with Server(log_name="answers") as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            sent: list[float] = []  # when each websocket message left the page
            page.on("websocket", lambda ws: ws.on("framesent", lambda _frame: sent.append(time.monotonic())))
            page.goto(server.url + "/Self_Assessment", wait_until="domcontentloaded")
            page.get_by_role("button", name="Show my result").wait_for(timeout=60_000)
            # the page settles: the browser store reports what it restored (a rerun) once the first run is drawn
            start = time.monotonic()
            while time.monotonic() - start < 30 and (len(sent) < 2 or time.monotonic() - sent[-1] < quiet_s):
                page.wait_for_timeout(250)
            before = len(sent)
            for i, q in enumerate(questions):
                page.locator(f".st-key-q_{q.id}").get_by_text(q.answers[i % len(q.answers)].label, exact=True).click()
            page.wait_for_timeout(1000)
            count = len(sent) - before
            checked = page.locator("[data-testid='stForm'] input[type=radio]:checked").count()
        finally:
            browser.close()
    results.add(Row("assessment", name, unit="messages", value=float(count),
                    goal=Goal("value", "<=", 0, "0 messages (no server time per answer)"),
                    note=f"{checked} answers checked on the page; the form sends them with 'Show my result'",
                    error="" if checked == ANSWERS else f"only {checked} of {ANSWERS} answers were checked"))
