"""Helpers for end-to-end tests and screenshots: start the real server, drive Debian's Chromium.

Used by ``tests/test_browser.py`` and ``tools/screenshots.py``.  Nothing here downloads a browser:
Chromium is Debian's ``/usr/bin/chromium`` (``apt-get install -y chromium``); ``CHROMIUM_PATH`` names another
one.  Never ``playwright install``.  (Debian's ``chromium-headless-shell`` costs about 5 % less CPU over the browser
tier, but with it a navigation to a 100 kB URL timed out in 2 of 4 full runs: not the default.)
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
VIEWPORT = {"width": 1400, "height": 900}

# Every page of the app: (URL path, short name used for screenshots).
PAGES: list[tuple[str, str]] = [
    ("/", "home"),
    ("/Notes", "notes"),
    ("/Search", "search"),
    ("/Glossary", "glossary"),
    ("/Breakdown", "breakdown"),
    ("/Maturity_Ladders", "maturity-ladders"),
    ("/Self_Assessment", "self-assessment"),
    ("/ML_Test_Score", "ml-test-score"),
    ("/Concepts", "concepts"),
    ("/Certifications", "certifications"),
    ("/Trends", "trends"),
    ("/Study", "study"),
    ("/Workshop", "workshop"),
]
# Pages that draw at least one Plotly chart without any interaction.  (The home page shows its two
# figures as generated images: a first visit there loads no Plotly.)
CHART_PAGES = {"/Breakdown", "/Maturity_Ladders", "/Concepts", "/Certifications"}
CHART_SVG = "[data-testid='stPlotlyChart'] .main-svg"


# --------------------------------------------------------------------------- browser availability
def chromium_missing_reason() -> str | None:
    """Why the browser tests cannot run here, or None when they can."""
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install -y chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the Python package 'playwright' is not installed (pip install -r requirements-dev.txt)"
    return None


def on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def require_browser() -> None:
    """Skip (locally) or fail (``CI=true``) when Chromium or playwright is missing."""
    import pytest

    reason = chromium_missing_reason()
    if reason is None:
        return
    if on_ci():
        pytest.fail(f"CI=true but browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set CI=true to make this a failure)")


# --------------------------------------------------------------------------- server
def stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM to the process group started with ``start_new_session=True``; SIGKILL after 10 s."""
    if proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    """A ``streamlit run app.py`` process in its own process group."""

    port: int
    proc: subprocess.Popen
    log_path: Path
    started_in: float = 0.0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> None:
        stop_process_group(self.proc)
        with contextlib.suppress(OSError):
            self.log_path.unlink()


class PortTaken(RuntimeError):
    """The server could not bind its port (another process took it first)."""


def start_server(timeout: float = 30.0, root: Path = ROOT, extra_args: list[str] | None = None,
                 env: dict[str, str] | None = None, app: str | Path = "app.py", port: int | None = None) -> Server:
    """Start ``app`` (default the app's ``app.py``; a path relative to ``root``, e.g.
    ``tests/apps/store_probe.py``) from the repository root on ``port`` (default: a free one; pass
    a stopped server's port to restart "the same site": browser storage is per origin, port
    included); return once ``/_stcore/health`` says ok.  ``env`` adds environment variables
    (e.g. ``EXPLORER_CONTENT_DIR``).

    Two pytest-xdist workers start servers at the same time: a free port picked here can be taken by the
    other worker's server before this one binds it, so a server given no port retries on another."""
    for attempt in range(3):
        try:
            return _start_server(timeout, root, extra_args, env, app, port or free_port())
        except PortTaken:
            if port or attempt == 2:
                raise
    raise AssertionError("unreachable")


def _start_server(timeout: float, root: Path, extra_args: list[str] | None, env: dict[str, str] | None,
                  app: str | Path, port: int) -> Server:
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--global.developmentMode", "false",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        *(extra_args or []),
    ]
    fd, log_name = tempfile.mkstemp(prefix="streamlit-e2e-", suffix=".log")
    log = os.fdopen(fd, "wb")
    # the app's own packages import from the repository root, also for apps under tests/apps/
    path = os.pathsep.join(x for x in (str(ROOT), os.environ.get("PYTHONPATH", "")) if x)
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "PYTHONPATH": path, **(env or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=root, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=env, start_new_session=True)
    log.close()
    server = Server(port=port, proc=proc, log_path=Path(log_name))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = server.log()
            server.stop()
            error = PortTaken if f"Port {port} is not available" in out else RuntimeError  # Streamlit's words
            raise error(f"streamlit exited with code {proc.returncode} before it was healthy:\n{out[-3000:]}")
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as r:
                if r.status == 200 and r.read().decode().strip() == "ok":
                    server.started_in = time.perf_counter() - t0
                    return server
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.1)
    out = server.log()
    server.stop()
    raise RuntimeError(f"streamlit was not healthy within {timeout:.0f} s:\n{out[-3000:]}")


@contextlib.contextmanager
def running_server(**kwargs) -> Iterator[Server]:
    server = start_server(**kwargs)
    try:
        yield server
    finally:
        server.stop()


# --------------------------------------------------------------------------- browser
def run_coroutine(coro):
    """``asyncio.run`` in a thread of its own. Once a test process has started the sync Playwright, the
    main thread has a running event loop (Playwright's), and ``asyncio.run`` refuses to start there."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def click_download(page, button, tries: int = 3, timeout: float = 15_000):
    """Click a download button and return the download. A rerun that lands during the click (the browser
    store answering on a fresh page) redraws the button and swallows the click, so click again."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(tries):
        wait_for_app(page)
        try:
            with page.expect_download(timeout=timeout) as info:
                button.click()
            return info.value
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
    raise AssertionError("unreachable")


@contextlib.contextmanager
def profile(pw, init_script: str | None = None, timeout_ms: float = 20_000):
    """A learner's own browser: a new context whose localStorage and IndexedDB start empty and last as long as
    it does (across reloads, tabs and server restarts), in this process's one Chromium (:func:`shared_browser`:
    no Chromium started per learner).  Not from the pool: with pooled contexts, a recovery test found the text it
    had put into IndexedDB gone after a reload in 2 of 4 full runs (likely the pool's wipe of the last test's
    database, held open and deleted late); ``init_script`` runs before every page's own scripts."""
    ctx = new_context(shared_browser(pw), fresh=True)  # storage is what these tests are about: none from the pool
    ctx.set_default_timeout(timeout_ms)
    if init_script:
        ctx.add_init_script(init_script)
    try:
        yield ctx
    finally:
        ctx.close()


_SHARED: dict[int, object] = {}  # id(playwright) -> its browser


def shared_browser(pw):
    """This process's Chromium (launched on first use; the session's ``browser`` fixture is the same one)."""
    b = _SHARED.get(id(pw))
    if b is None or not b.is_connected():
        b = _SHARED[id(pw)] = launch_browser(pw)
    return b


PLAYWRIGHT_DISABLED_FEATURES = (
    "AvoidUnnecessaryBeforeUnloadCheckSync", "DestroyProfileOnBrowserClose", "HttpsUpgrades",
    "HttpsFirstBalancedModeAutoEnable", "LensOverlay", "MediaRouter", "PaintHolding", "ThirdPartyStoragePartitioning",
    "AvoidCorsURLLoaderRestartOnRedirect", "OptimizationHints", "NetworkTimeServiceQuerying", "AimEnabled",
    "PreconnectToSearch")
"""The features Playwright itself turns off when it launches Chromium (its ``chromiumSwitches``).  Chromium keeps
only the last ``--disable-features`` of a command line, so a list of our own must repeat them, or it turns them
back on: painting held back until the page is ready, the media router, the optimization hints... (measured here:
10 new contexts cost the browser's processes 2.6 CPU-s with our list alone and 2.1 with both)."""

CHROMIUM_ARGS = ["--disable-gpu",
                 "--disable-features=" + ",".join((*PLAYWRIGHT_DISABLED_FEATURES, "WebUIOmniboxPopup", "WebUIOmniboxAimPopup"))]
"""No GPU; and no omnibox popup: Chromium 156 preloads it (``chrome://omnibox-popup.top-chrome/`` and its AI-mode
page) in a renderer of its own for every window, also headless, where nothing can open it.  Measured here: 10 new
contexts cost the browser's processes 8.9 CPU-s with it and 2.3 without (5.5 of them in those renderers)."""


def launch_browser(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def new_context(browser, *, dark: bool = False, fresh: bool = False, **kwargs):
    """A browser context as a new visitor has it: no cookies, no localStorage, no IndexedDB.

    Contexts are reused between tests (:class:`PooledContext`): ``close()`` wipes its stored data and hands it to the
    next test asking for the same options, with its HTTP cache kept and one of its pages (emptied: ``about:blank``,
    the test's listeners and routes removed).  A new page costs Chromium about twice a page load in a page that
    already exists (a new renderer, 2.1-2.4 against 1.0 CPU-s on this machine): the pool made the browser tier's
    pages cheaper by that.  ``fresh=True``: a context never used before (a test about what a browser caches or stores)."""
    options = {"viewport": VIEWPORT, "color_scheme": "dark" if dark else "light", **kwargs}
    if fresh or set(options) - _POOLED_OPTIONS:
        return browser.new_context(**options)
    key = (id(browser), repr(sorted(options.items())))
    free = _POOL.get(key, [])
    while free:
        ctx, page = free.pop()
        if not _closed(ctx):
            return PooledContext(ctx, key, options, page)
    return PooledContext(browser.new_context(**options), key, options)


_POOLED_OPTIONS = {"viewport", "color_scheme", "is_mobile", "has_touch", "device_scale_factor", "reduced_motion"}
_POOL: dict[tuple, list] = {}  # options -> (context, kept page) handed back (this process's browser; at most _POOL_KEPT each)
_POOL_KEPT = 3
_TAINTING = {  # what a test may do to a context that wiping its storage does not undo: such a context is closed
    "add_init_script", "expose_binding", "expose_function", "route", "route_from_har", "route_web_socket",
    "set_offline", "set_extra_http_headers", "set_geolocation", "grant_permissions", "on", "once", "clock",
    "tracing", "new_cdp_session", "set_default_navigation_timeout", "request",
}
_PAGE_TAINTING = {  # the same for a page: such a page is closed, not kept
    "add_init_script", "expose_binding", "expose_function", "route_from_har", "route_web_socket", "set_extra_http_headers",
    "set_default_timeout", "set_default_navigation_timeout",
}


def _closed(ctx) -> bool:
    try:
        return ctx.is_closed()
    except Exception:  # its browser is gone
        return True


class _Lent:
    """What a test did to a lent page that giving it back must undo: its listeners (``on``/``once`` are recorded
    by wrapping them on the page object itself, so ``expect(page)`` still gets a real Playwright page), and
    whether it did something that cannot be undone (:data:`_PAGE_TAINTING`)."""

    def __init__(self, page) -> None:
        self.listeners: list[tuple[str, object]] = []
        self.tainted = False
        kind = type(page)

        def listen(method):
            def wrapper(event, f):
                self.listeners.append((event, f))
                return getattr(kind, method)(page, event, f)
            return wrapper

        def taint(name):
            def wrapper(*args, **kwargs):
                self.tainted = True
                return getattr(kind, name)(page, *args, **kwargs)
            return wrapper

        page.on, page.once = listen("on"), listen("once")
        for name in _PAGE_TAINTING:
            setattr(page, name, taint(name))
        page.pool_lent = self

    @staticmethod
    def undo(page, options: dict) -> bool:
        """Give ``page`` back as a new visitor's empty tab; False when it cannot be (then close it)."""
        lent = page.__dict__.pop("pool_lent", None)
        for name in ("on", "once", *_PAGE_TAINTING):
            page.__dict__.pop(name, None)
        if lent is None or lent.tainted or page.is_closed():
            return False
        if page.evaluate("() => history.length") > 20:  # a tab keeps at most 50 entries: tests count new ones
            return False
        for event, f in lent.listeners:
            page.remove_listener(event, f)
        page.unroute_all(behavior="ignoreErrors")
        with contextlib.suppress(Exception):  # this origin's sessionStorage lives in the tab
            page.evaluate("() => sessionStorage.clear()")
        page.goto("about:blank")  # ends the test's session on its server
        page.set_viewport_size(options["viewport"])
        page.emulate_media(media="null", color_scheme=options["color_scheme"], reduced_motion=options.get("reduced_motion", "null"))
        return True


class PooledContext:
    """A Playwright browser context lent to one test; ``close()`` gives it back (see :func:`new_context`).

    Every other attribute is the context's own.  A test that changed what wiping cannot undo (an init script,
    routes, permissions, listeners: ``_TAINTING``) gets it closed instead of reused.  ``new_page()`` first hands
    out the page kept from an earlier test."""

    def __init__(self, ctx, key: tuple, options: dict, page=None) -> None:
        self._ctx, self._key, self._options, self._tainted, self._kept = ctx, key, options, False, page

    def __getattr__(self, name: str):
        if name in _TAINTING:
            self._tainted = True
        return getattr(self._ctx, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def new_page(self):
        page, self._kept = self._kept, None
        if page is None or page.is_closed():
            page = self._ctx.new_page()
        _Lent(page)
        return page

    def close(self) -> None:
        ctx, self._ctx = self._ctx, None
        if ctx is None or _closed(ctx):
            return
        free = _POOL.setdefault(self._key, [])
        if self._tainted or len(free) >= _POOL_KEPT:
            ctx.close()
            return
        kept = self._kept if self._kept is not None and not self._kept.is_closed() else None  # not asked for: still empty
        try:
            for page in list(ctx.pages):
                if page is kept:
                    continue
                if kept is None and _Lent.undo(page, self._options):
                    kept = page
                else:
                    with contextlib.suppress(Exception):  # unload first: its IndexedDB connections close now
                        page.goto("about:blank")
                    page.close()
            ctx.set_default_timeout(30_000)  # Playwright's default
            ctx.set_storage_state({"cookies": [], "origins": []})  # cookies, localStorage, IndexedDB: all origins
        except Exception:
            with contextlib.suppress(Exception):
                ctx.close()
            return
        free.append((ctx, kept))


WATCH_CSP = """(() => { window.__csp = [];
  document.addEventListener('securitypolicyviolation',
    e => window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
})();"""
"""An init script: every Content-Security-Policy violation of the page is kept in ``window.__csp`` (read with
:func:`csp_violations`; the browser also writes each to the console, which :class:`PageWatch` records)."""


def csp_violations(page) -> list[str]:
    return page.evaluate("() => window.__csp || []")


def switch_os_theme(page, theme: str) -> None:
    """Change the OS colour preference of an open page ("light" or "dark") and wait until Streamlit redraws in
    that theme, and 300 ms more (its CSS transitions, and charts taking the theme's colours)."""
    page.emulate_media(color_scheme=theme)
    page.wait_for_function("t => getComputedStyle(document.querySelector('.stApp')).colorScheme === t", arg=theme, polling=50)
    page.wait_for_timeout(300)


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Streamlit's own "app finished running" wait: connected, script not running, no skeletons.

    The short sleep first lets a rerun that was just triggered flip the script state to running,
    so the wait does not pass on the state left by the previous run.
    """
    page.wait_for_timeout(210)
    page.wait_for_selector("[data-testid='stApp'][data-test-connection-state='CONNECTED']", timeout=timeout)
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=timeout)
    page.wait_for_function("() => document.querySelectorAll(\"[data-testid='stSkeleton']\").length === 0", timeout=timeout, polling=50)


def goto(page, url: str, timeout: float = 30_000) -> None:
    page.goto(url, wait_until="domcontentloaded", timeout=timeout)
    wait_for_app(page, timeout)


# --------------------------------------------------------------------------- what every page shows
_CLIPPED_CHART_TEXT = """el => { const out = [];
  for (const svg of el.querySelectorAll('.main-svg')) {
    const r = svg.getBoundingClientRect();
    if (r.width === 0) continue;  // a chart in a hidden tab
    for (const t of svg.querySelectorAll('text')) {
      const b = t.getBoundingClientRect();
      if (!t.textContent.trim() || b.width === 0) continue;
      if (b.left < r.left - 1 || b.right > r.right + 1 || b.top < r.top - 1 || b.bottom > r.bottom + 1)
        out.push(t.textContent.slice(0, 60));
    }
  } return out; }"""


def clipped_chart_text(page) -> list[str]:
    """Chart labels that stick out of their chart (the browser cuts them off)."""
    return page.locator("[data-testid='stMain']").evaluate(_CLIPPED_CHART_TEXT)


def assert_page_loads_cleanly(page, path: str) -> None:
    """A page of the app just opened at ``path`` on a desktop: a title; on a chart page its charts drawn
    with no label cut off; our sidebar of page links (Streamlit's own page list switched off); no error
    element and no traceback.  (Console errors: the caller's :class:`PageWatch`.)"""
    from playwright.sync_api import expect

    expect(page.locator("h1").first).to_be_visible()
    assert page.locator("h1").first.inner_text().strip()
    if path in CHART_PAGES:
        expect(page.locator(CHART_SVG).first).to_be_visible()
        assert clipped_chart_text(page) == []
    expect(page.get_by_test_id("stSidebar").get_by_text("Maturity ladders")).to_be_visible()
    assert page.get_by_test_id("stSidebarNav").count() == 0
    assert page.get_by_test_id("stException").count() == 0, page.get_by_test_id("stException").first.inner_text()[:2000]
    assert "Traceback (most recent call last)" not in page.locator("body").inner_text()


# Console noise that is not a fault of the app under test.  Each entry says why it is benign.
_PROBE_404 = re.compile(r"^https?://[^/]+/.+/_stcore/(health|host-config)$")
"""Opened at ``/Notes``, Streamlit's frontend does not know whether the server lives under a path
prefix, so it probes ``/Notes/_stcore/health`` and ``/Notes/_stcore/host-config`` (404) before
``/_stcore/...`` (200): its ``baseUriPartsList`` connection logic, not a fault of this app."""

_MATERIAL_SYMBOL_HOST = "fonts.gstatic.com"
"""``st.set_page_config(page_icon=":material/...:")`` makes Streamlit point the favicon at the Material
Symbols SVG on fonts.gstatic.com.  These machines have no internet, so the tests answer that one
request with a blank SVG instead of letting it fail (a deployed app loads the real icon)."""

_BLANK_SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"></svg>'
_EXTERNAL = re.compile(r"^(?!https?://(127\.0\.0\.1|localhost)[:/])(https?|wss?)://", re.I)


@dataclass
class PageWatch:
    """Console errors, uncaught page errors, JavaScript dialogs and external requests of one page.

    The app needs no network access (README), so any request to another host than the test server
    is recorded as a problem and blocked, except the favicon described above.
    """

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)

    def attach(self, page) -> PageWatch:
        def on_console(msg):
            if msg.type != "error":
                return
            url = (msg.location or {}).get("url", "")
            if "404" in msg.text and _PROBE_404.match(url):
                return
            self.console_errors.append(f"{msg.text} @ {url}")

        def on_dialog(dialog):
            self.dialogs.append(f"{dialog.type}: {dialog.message}")
            with contextlib.suppress(Exception):
                dialog.dismiss()

        def on_external(route):
            url = route.request.url
            if url.startswith(f"https://{_MATERIAL_SYMBOL_HOST}/") and url.endswith(".svg"):
                route.fulfill(status=200, content_type="image/svg+xml", body=_BLANK_SVG)
            else:
                self.external.append(url)
                route.abort()

        page.on("console", on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))
        page.on("dialog", on_dialog)
        page.route(_EXTERNAL, on_external)
        return self

    def problems(self) -> list[str]:
        return ([f"console error: {e}" for e in self.console_errors] + [f"page error: {e}" for e in self.page_errors]
                + [f"dialog: {d}" for d in self.dialogs] + [f"request to another host: {u}" for u in self.external])

    def clear(self) -> None:
        self.console_errors.clear()
        self.page_errors.clear()
        self.dialogs.clear()
        self.external.clear()


VAULT_FIXTURE = Path(__file__).parent / "fixtures" / "vault"


def vault_content(tmp_path_factory, name: str) -> Path:
    """A copy of ``content/`` with the fixture vault added under ``notes/vault`` (point EXPLORER_CONTENT_DIR at it)."""
    content = tmp_path_factory.mktemp(name) / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(VAULT_FIXTURE, content / "notes" / "vault")
    return content


@contextlib.contextmanager
def watched_page(browser, timeout_ms: float = 20_000):
    """A fresh page in its own context, watched (:class:`PageWatch`): leaving the block asserts nothing went wrong."""
    ctx = new_context(browser)
    ctx.set_default_timeout(timeout_ms)
    pg = ctx.new_page()
    watch = PageWatch().attach(pg)
    yield pg
    problems = watch.problems()
    ctx.close()
    assert problems == []


def url_params(url: str) -> dict[str, str]:
    """The query parameters of ``url``, one value each."""
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def expect():
    """Playwright's ``expect`` (imported when a browser test runs, not when the tests are collected)."""
    from playwright.sync_api import expect as _expect

    return _expect


# --------------------------------------------------------------------------- a learner's planted store
STORE_KEY = "mlops-explorer/store"  # the browser store's localStorage key (components/browser_store)


def plant_store(page, url: str, text: str) -> None:
    """Open the app once and put ``text`` in this browser's store, as if it had been saved earlier."""
    goto(page, f"{url}/")
    page.wait_for_timeout(300)
    page.evaluate("([k, v]) => localStorage.setItem(k, v)",
                  [STORE_KEY, json.dumps({"v": 1, "rev": "planted-1", "text": text})])


def wait_stored(page, text: str, timeout: float = 15_000) -> None:
    """Wait until this browser's stored progress holds ``text``.  A change reaches the server, comes back and is
    written, debounced: a full load (goto, reload, a new tab) typed sooner races it, and a busy machine lost one
    that way.  The stored value is the envelope ``{v, rev, text}``: ``text`` is looked for in the parsed ``text``,
    where quotes are not escaped (the raw localStorage value escapes them)."""
    page.wait_for_function("""([key, text]) => { try { return JSON.parse(localStorage.getItem(key)).text.includes(text); }
                                                catch (e) { return false; } }""",
                           arg=[STORE_KEY, text], polling=50, timeout=timeout)


def texts_shown(page, read, contains: tuple[str, ...], timeout: float, what: str) -> str:
    """``read(page)`` once it holds every one of ``contains``: a run's elements arrive one by one, and the browser
    store's report a run after the first, so a test waits for each text it reads, not for the first to come."""
    deadline = time.monotonic() + timeout
    text = ""
    while time.monotonic() < deadline:
        text = read(page)
        if all(c in text for c in contains):
            return text
        page.wait_for_timeout(200)
    missing = [c for c in contains if c not in text]
    main = page.get_by_test_id("stMain").inner_text()[-1500:]
    raise AssertionError(f"{missing!r} not in {what}: {text[-1500:]!r}; the page: {main!r}")


def main_text(page, *contains: str, timeout: float = 30.0) -> str:
    """The main column's text once it shows every one of ``contains``."""
    return texts_shown(page, lambda p: p.get_by_test_id("stMain").inner_text(), contains, timeout, "the main column")
