"""The security headers in a real Chromium, through the local HAProxy front end (issue 20).

``deploy/security_headers.py`` is what every front end sets (Streamlit sends none).  Here, through
``deploy/local_cluster.py``'s HAProxy: every page and the states behind a click load with no
Content-Security-Policy violation (``securitypolicyviolation`` events and console messages), their
charts draw, the browser store keeps a section marked read across a reload; and a page on another
origin that frames the app gets a blank frame, while the same page framing the process directly
(no headers) shows the app, so the test can tell the difference.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import re
import threading
import time
import urllib.request
from functools import lru_cache

import pytest

from deploy.security_headers import CSP_DIRECTIVES, HEADERS, STREAMLIT_INLINE_SCRIPT_HASH
from explorer.routes import PAGE_LIST
from tests.e2e_util import WATCH_CSP, PageWatch, free_port, goto, new_context, wait_for_app, wait_stored

browser_test = pytest.mark.browser


@lru_cache(maxsize=1)
def _share_code() -> str:
    from explorer import CONTENT_DIR
    from explorer.assess import sharecode
    from explorer.content.loader import load_content

    a = load_content(CONTENT_DIR).assessment
    return sharecode.encode(a, {q.id: (len(q.answers) - 1) // 2 for q in a.questions})


def _workshop_code() -> str:
    from explorer import CONTENT_DIR
    from explorer.assess import sharecode
    from explorer.content.loader import load_content

    a = load_content(CONTENT_DIR).assessment
    return sharecode.encode_workshop([_share_code(), sharecode.encode(a, {q.id: len(q.answers) - 1 for q in a.questions})])


MATH_VIEW = "/Notes?note=bias-variance"
CHARTS_AT_LEAST = 3  # the compare view, the workshop's placements, the workflow view (the pages' own: tests/test_a11y.py)
WALKERS = 3  # pages loaded together: the server and Chromium wait less in turn


def _views() -> list[str]:
    """The views the accessibility tests do not open.  They open every page of the route table and the states of
    ``tests/test_a11y.py`` through this same site, in both themes and window sizes, and check each for policy
    violations (``csp_site`` in ``tests/conftest.py``); :func:`test_every_view_is_opened_under_the_policy` holds
    the two lists together."""
    return ["/Maturity_Ladders?view=compare&compare=aws-2,azure-2", "/Search?q=feature+store", "/Study?tab=progress",
            f"/Workshop?w={_workshop_code()}", "/Concepts?view=workflows", "/Concepts?view=analogy", "/Study?tab=browse",
            MATH_VIEW]


@pytest.fixture(scope="module")
def cluster(csp_site):
    """One app process behind HAProxy, reading the shipped content with the math fixture notes added
    (``tests/conftest.py``: the accessibility tests load every page through it too)."""
    return csp_site


def _watched_page(browser):
    """A page in a context of its own that records CSP violations (events and console) and page problems."""
    ctx = new_context(browser)
    ctx.set_default_timeout(30_000)
    pg = ctx.new_page()
    pg.add_init_script(WATCH_CSP)  # on the page: the context goes back to the pool (Streamlit's scripts stay cached)
    pg.csp_console = []
    pg.on("console", lambda m: pg.csp_console.append(m.text) if "Content Security Policy" in m.text else None)
    pg.watch = PageWatch().attach(pg)
    return pg


@pytest.fixture
def page(browser):
    pg = _watched_page(browser)
    yield pg
    pg.context.close()


def test_the_hash_in_the_policy_is_the_one_inline_script_streamlit_serves(cluster):
    with urllib.request.urlopen(cluster.url + "/") as r:
        html, csp = r.read().decode("utf-8"), r.headers["Content-Security-Policy"]
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, re.S)
    hashes = ["sha256-" + base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in scripts]
    assert hashes == [STREAMLIT_INLINE_SCRIPT_HASH], f"Streamlit's inline scripts changed: put {hashes} in deploy/security_headers.py"
    assert csp == HEADERS["Content-Security-Policy"] and f"'{STREAMLIT_INLINE_SCRIPT_HASH}'" in CSP_DIRECTIVES["script-src"]


@browser_test
def test_every_page_loads_with_no_csp_violation_and_draws_its_charts(cluster, browser):
    """Every page and the views behind its links, three at a time (one browser context each, loaded together)."""
    charts_seen, problems, failed = 0, [], []
    pages = [_watched_page(browser) for _ in range(WALKERS)]
    try:
        views = _views()
        for start in range(0, len(views), WALKERS):
            batch = list(zip(pages, views[start:start + WALKERS]))
            for page, view in batch:
                page.goto(cluster.url + view, wait_until="domcontentloaded")
            for page, view in batch:
                wait_for_app(page)
                page.wait_for_timeout(300)  # late work: the store's first report, a lazily loaded chart bundle
                wait_for_app(page)
                charts = page.locator("[data-testid='stMain'] [data-testid='stPlotlyChart']")
                if charts.count():
                    page.wait_for_function("""() => [...document.querySelectorAll("[data-testid='stMain'] [data-testid='stPlotlyChart']")]
                        .every(c => c.querySelector('.main-svg'))""", timeout=20_000, polling=50)
                    charts_seen += charts.count()
                if view == MATH_VIEW:  # formulas typeset in the browser (Temml) under the policy
                    page.wait_for_function("() => document.querySelectorAll('.note-body math').length > 0"
                                           " && !document.querySelector('.note-body .math-slot[data-tex]')", timeout=20_000, polling=50)
                violations = page.evaluate("window.__csp")
                problems += [f"{view}: {v}" for v in violations] + [f"{view}: console: {m}" for m in page.csp_console]
                page.csp_console.clear()
                if page.get_by_test_id("stException").count():
                    failed.append(view)
        assert problems == []
        assert failed == [], "pages that raised (showErrorDetails is 'none': see the server's log)"
        assert charts_seen >= CHARTS_AT_LEAST, "the views with charts drew them"
        for page in pages:
            assert [p for p in page.watch.problems() if "fonts.gstatic.com" not in p] == []
    finally:
        for page in pages:
            page.context.close()


def test_every_view_is_opened_under_the_policy():
    """Every page of the route table is opened through the site with the policy by the accessibility tests, with
    their states; the walk above opens other views, none twice."""
    from tests import test_a11y

    assert test_a11y.PAGE_PATHS == [p.path for p in PAGE_LIST]
    assert not set(_views()) & set(test_a11y.STATES) and not set(_views()) & set(test_a11y.PAGE_PATHS)


@browser_test
def test_the_browser_store_keeps_progress_under_the_policy(cluster, page):
    from tests.test_browser_progress import summary

    goto(page, f"{cluster.url}/Notes?note=kaizen&section=what-kaizen-means")
    page.wait_for_timeout(500)
    wait_for_app(page)
    page.get_by_text("Mark this section as read").click()
    wait_for_app(page)
    wait_stored(page, "what-kaizen-means")
    page.reload()
    # the panel shows all 0 before the browser's store arrives: wait for the section read, not a fixed time
    assert summary(page, cluster.url, (1, 0, 0, 0, 0, 0))[0] == 1, "after a reload the section is still read"
    assert page.evaluate("window.__csp") == [] and page.csp_console == []


class _Framer(http.server.BaseHTTPRequestHandler):
    """Another site: one page that frames a URL given in its path (?src=...)."""

    def do_GET(self):  # noqa: N802 - the standard library's name
        src = self.path.split("src=", 1)[1] if "src=" in self.path else ""
        body = (f'<!doctype html><title>Another site</title><h1>Another site</h1>'
                f'<iframe id="app" src="{src}" width="900" height="600"></iframe>').encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def other_site():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", free_port()), _Framer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://localhost:{server.server_address[1]}"  # "localhost" vs "127.0.0.1": another origin
    server.shutdown()


def _frame_shows_the_app(page, url: str, timeout: float = 8.0) -> bool:
    """Open ``url`` (a page of another site with the app in an iframe ``#app``): True once the app is drawn in
    the frame, False once the browser reports that the policy's ``frame-ancestors`` blocked it (or neither
    happened within ``timeout``)."""
    page.goto(url, wait_until="load")
    drawn = page.frame_locator("#app").locator("[data-testid='stApp']")
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if drawn.count():
            return True
        if any("frame-ancestors" in m for m in page.csp_console):
            return False
        page.wait_for_timeout(100)
    return False


@browser_test
def test_another_site_cannot_frame_the_app(cluster, page, other_site):
    assert _frame_shows_the_app(page, f"{other_site}/?src={cluster.backends['app1'].url}/"), \
        "control: without the headers (the process itself) the frame shows the app"
    page.csp_console.clear()
    assert not _frame_shows_the_app(page, f"{other_site}/?src={cluster.url}/"), "through HAProxy the frame stays blank"
    frame = page.frame(url=lambda u: u.startswith(cluster.url)) or next(f for f in page.frames if f != page.main_frame)
    assert frame.evaluate("document.querySelectorAll('button, a, input').length") == 0, "nothing in it to click"
    assert any("frame-ancestors" in m for m in page.csp_console), page.csp_console
    page.screenshot(path="/tmp/hardening-framed.png")
