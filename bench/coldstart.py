"""Section d: cold start, from ``streamlit run`` to the first page fully rendered in Chromium; then the
first visit of every page.

**Cold start**: our app and a hello-world app, side by side (interleaved).  The browser is launched
before the clock starts (it is not part of the app's cost); each repetition uses a fresh server on a
free port and a fresh browser context (empty cache, like a first visitor).  Goal: the home page fully
rendered within 1.3 times the hello-world app's time (median of the per-repetition ratios).

"Fully rendered" is Streamlit's own "app finished running" condition (connected, script not running,
no skeleton) plus the page's content drawn: for the hello-world app the text "hi", for our pages
every Plotly chart's SVG (``stPlotlyChart .main-svg``) and every image of the main area decoded.

**First visits**: one fresh server per app; every page of the route table opened by its URL in a
fresh browser context (empty cache: the page's own JavaScript, e.g. Plotly's bundle, is fetched
then), in table order, ``reps`` rounds (the first round also pays the server's first run of each
page).  Then, in one fresh context each: the home page, and from there the breakdown page through
the sidebar link (in-app navigation: the first chart of a session loads Plotly then).  Last, the
server's CPU for a new session of each page in one browser per app (static files cached, nothing
stored): the page's run and what the browser store's first report costs after it.

Like the Dockerfile (``python -m compileall``), the app's own modules are compiled to bytecode first,
so that no cold start compiles them (with ``PYTHONDONTWRITEBYTECODE=1`` in the environment every
start would, for about 0.3 s of CPU, and a hello-world app has nothing to compile).

``compare_root`` (``python -m bench --only coldstart --coldstart-compare PATH``) measures another
checkout of the app (e.g. a ``git worktree`` of main) the same way in the same run, interleaved,
for before/after numbers.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from .common import ROOT, Goal, Results, Row
from .load import cpu_seconds
from .server import HELLO_APP, Server

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
RATIO_GOAL = 1.3  # fully rendered home / fully rendered hello-world (issue 11)
LINGER_S = 1.0  # a first visit's page stays open this long after it was drawn: the store's report comes and is handled

_READY_JS = """
([expectCharts, expectText]) => {
  const app = document.querySelector("[data-testid='stApp']");
  if (!app) return false;
  if (app.getAttribute("data-test-connection-state") !== "CONNECTED") return false;
  if (app.getAttribute("data-test-script-state") !== "notRunning") return false;
  if (document.querySelector("[data-testid='stSkeleton']")) return false;
  if (document.querySelector("[data-testid='stException']")) return "exception";
  if (expectText) {
    const ok = [...document.querySelectorAll("[data-testid='stMarkdownContainer']")]
      .some(e => e.textContent.trim() === expectText);
    if (!ok) return false;
  }
  const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
  if (charts.length < expectCharts) return false;
  if (!charts.every(c => c.querySelector(".main-svg"))) return false;
  const images = [...document.querySelectorAll("[data-testid='stMain'] img")];
  if (!images.every(i => i.complete)) return false;
  return {charts: charts.length, images: images.length};
}
"""


_FIRST_JS = """
(expectText) => expectText
  ? [...document.querySelectorAll("[data-testid='stMarkdownContainer']")].some(e => e.textContent.trim() === expectText)
  : !!document.querySelector("[data-testid='stMain'] h1")
"""


def compile_app(root: Path) -> None:
    """Bytecode for the app's own modules, as the Dockerfile's ``python -m compileall`` makes it (git
    ignores ``__pycache__``).  The entry script and the pages are run from source by Streamlit anyway."""
    import compileall

    for folder in ("explorer", "ui", "components"):
        if (root / folder).is_dir():
            compileall.compile_dir(root / folder, quiet=1)


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def expected_home_charts() -> int:
    """How many Plotly charts the home page draws (AppTest, so the wait follows the app)."""
    from .apptest_bench import open_page

    return len(open_page("app.py").get("plotly_chart"))


def _ready(page, expect_charts: int, expect_text: str | None, timeout_s: float) -> dict | str:
    handle = page.wait_for_function(_READY_JS, arg=[expect_charts, expect_text], polling="raf", timeout=timeout_s * 1000)
    return handle.json_value()


def measure_once(browser, script: Path, expect_charts: int, expect_text: str | None, timeout_s: float = 90) -> dict:
    server = Server(script, log_name="coldstart", cwd=script.parent if script != HELLO_APP else None)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    console_errors: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    try:
        server.start()
        healthy = server.wait_healthy(timeout=timeout_s)
        t_goto = time.perf_counter()
        page.goto(server.url + "/", wait_until="commit", timeout=timeout_s * 1000)
        # 1. the first output of the script is visible (the page title, or the hello-world text)
        page.wait_for_function(_FIRST_JS, arg=expect_text, polling="raf", timeout=timeout_s * 1000)
        elements = time.perf_counter()
        # 2. every chart drawn by plotly.js, every image decoded
        state = _ready(page, expect_charts, expect_text, timeout_s)
        done = time.perf_counter()
        return {
            "server_cpu": cpu_seconds(server.pid) or 0.0,
            "healthy": healthy,
            "elements": elements - server.started_at,
            "rendered": done - server.started_at,
            "charts_drawn": done - elements,  # kept for the JSON dump
            "browser_only": done - t_goto,
            "exception": state == "exception",
            "console_errors": console_errors[:5],
        }
    finally:
        context.close()
        server.stop()


def _cold_starts(results: Results, browser, targets: list[tuple[str, Path, int, str | None]], reps: int) -> None:
    keys = ("healthy", "elements", "rendered", "charts_drawn", "browser_only", "server_cpu")
    data: dict[str, dict[str, list[float]]] = {t[0]: {k: [] for k in keys} for t in targets}
    paired: dict[str, list[tuple[float, float]]] = {t[0]: [] for t in targets}  # (app, hello) rendered, same rep
    problems: dict[str, list[str]] = {t[0]: [] for t in targets}
    hello = targets[0][0]
    for _rep in range(reps):  # interleave the apps so machine noise hits them alike
        got: dict[str, float] = {}
        for label, script, n_charts, text in targets:
            try:
                m = measure_once(browser, script, n_charts, text)
            except Exception as exc:
                problems[label].append(f"{type(exc).__name__}: {exc}"[:200])
                continue
            for k in keys:
                data[label][k].append(m[k])
            got[label] = m["rendered"]
            if m["exception"]:
                problems[label].append("stException on the page")
            if m["console_errors"]:
                results.notes.append(f"coldstart {label}: browser console errors: {m['console_errors']}")
        for label in got:
            if label != hello and hello in got:
                paired[label].append((got[label], got[hello]))

    for label, *_ in targets:
        err = "; ".join(problems[label])
        d = data[label]

        def base(what: str, label: str = label) -> str | None:
            return None if label == hello else f"coldstart/{hello}: {what}"

        results.add(Row("coldstart", f"{label}: server healthy", d["healthy"], baseline=base("server healthy"),
                        note="Popen to /_stcore/health ok", error=err if not d["healthy"] else ""))
        results.add(Row("coldstart", f"{label}: first content visible", d["elements"], baseline=base("first content visible"),
                        note="Popen to the page title (or 'hi') shown"))
        results.add(Row("coldstart", f"{label}: first page fully rendered", d["rendered"], baseline=base("first page fully rendered"),
                        note="Popen to app finished running, no skeleton, every chart drawn, every image decoded", error=err))
        results.add(Row("coldstart", f"{label}: page load in browser only", d["browser_only"], baseline=base("page load in browser only"),
                        note="goto to fully rendered"))
        results.add(Row("coldstart", f"{label}: server CPU until rendered", [], unit="s",
                        value=statistics.median(d["server_cpu"]) if d["server_cpu"] else None, n=len(d["server_cpu"]),
                        note="process start, imports, first run; robust to a busy machine"))
        if label != hello:
            ratios = [a / b for a, b in paired[label] if b]
            results.add(Row("coldstart", f"{label}: fully rendered / hello-world", [], unit="×",
                            value=statistics.median(ratios) if ratios else None, n=len(ratios),
                            lo=min(ratios) if ratios else None, hi=max(ratios) if ratios else None,
                            note="median of the per-repetition ratios (same repetition, interleaved)",
                            goal=Goal("value", "<=", RATIO_GOAL, f"<= {RATIO_GOAL}") if label.startswith("our app") else None,
                            error=err if not ratios else ""))


READ_S = 3.0  # seconds a visitor spends on the home page before opening the next page


def _visit(browser, url: str, *, click: str | None = None, timeout_s: float = 60) -> tuple[float, dict | str]:
    """Seconds from goto (or from the click on the sidebar link ``click``, ``READ_S`` after the page was
    drawn) to fully rendered, in a fresh context."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        t0 = time.perf_counter()
        page.goto(url, wait_until="commit", timeout=timeout_s * 1000)
        page.wait_for_timeout(210)  # Streamlit's own e2e wait: let the script state flip to running first
        state = _ready(page, 0, None, timeout_s)
        if click is not None:
            page.wait_for_timeout(READ_S * 1000)
            page.get_by_test_id("stSidebar").get_by_role("link", name=click).click()
            t0 = time.perf_counter()
            page.wait_for_timeout(210)
            page.wait_for_function("() => !!document.querySelector(\"[data-testid='stPlotlyChart'] .main-svg\")",
                                   polling="raf", timeout=timeout_s * 1000)
            state = _ready(page, 1, None, timeout_s)
        return time.perf_counter() - t0, state
    finally:
        context.close()


def _session_cpu(browser, servers: dict[str, Server], pages, reps: int) -> dict[str, list[float]]:
    """Server CPU of a new session of each page, in one browser context per app (its HTTP cache warm, its storage
    empty, as a new tab of a returning visitor who keeps nothing): the page's run and what follows the browser
    store's first report, which an empty browser sends too.  In a fresh context the static files the server sends
    (Streamlit's JavaScript) would take most of it."""
    cpu: dict[str, list[float]] = {}
    contexts = {label: browser.new_context(viewport={"width": 1280, "height": 900}) for label in servers}
    try:
        tabs = {label: ctx.new_page() for label, ctx in contexts.items()}
        for label, tab in tabs.items():  # the HTTP cache filled once
            tab.goto(servers[label].url + "/", wait_until="commit")
            _ready(tab, 0, None, 60)
        for _rep in range(reps):
            for page in pages:
                for label, tab in tabs.items():  # interleaved
                    c0 = cpu_seconds(servers[label].pid)
                    tab.goto(servers[label].url + page.path, wait_until="commit")
                    tab.wait_for_timeout(210)
                    _ready(tab, 0, None, 60)
                    tab.wait_for_timeout(LINGER_S * 1000)
                    c1 = cpu_seconds(servers[label].pid)
                    if c0 is not None and c1 is not None:
                        cpu.setdefault(label, []).append(c1 - c0)
    finally:
        for ctx in contexts.values():
            ctx.close()
    return cpu


def _first_visits(results: Results, browser, apps: list[tuple[str, Path]], reps: int, only: list[str] | None = None) -> None:
    from explorer.routes import PAGE_LIST, PAGES

    chart_page = PAGES["breakdown"]
    pages = [p for p in PAGE_LIST if only is None or p.path in only]
    servers = {label: Server(script, log_name=f"firstvisit-{i}", cwd=script.parent) for i, (label, script) in enumerate(apps)}
    times: dict[tuple[str, str], list[float]] = {}
    problems: dict[tuple[str, str], list[str]] = {}
    cpu: dict[str, list[float]] = {}
    try:
        for s in servers.values():
            s.start()
        for s in servers.values():
            s.wait_healthy(timeout=90)
        for _rep in range(reps):
            for page in [*pages, None]:
                for label, _ in apps:  # interleaved
                    name = page.path if page is not None else f"/ then {chart_page.path} (sidebar link)"
                    key = (label, name)
                    try:
                        if page is None:
                            dt, state = _visit(browser, servers[label].url + "/", click=chart_page.label)
                        else:
                            dt, state = _visit(browser, servers[label].url + page.path)
                    except Exception as exc:
                        problems.setdefault(key, []).append(f"{type(exc).__name__}: {exc}"[:160])
                        continue
                    if state == "exception":
                        problems.setdefault(key, []).append("stException on the page")
                    times.setdefault(key, []).append(dt)
        cpu = _session_cpu(browser, servers, pages, reps)
    finally:
        for s in servers.values():
            s.stop()
    before = apps[1][0] if len(apps) > 1 else None  # the compare app: our rows show after / before
    for page_name in dict.fromkeys(k[1] for k in [*times, *problems]):
        for label, _ in reversed(apps):
            key = (label, page_name)
            base = f"coldstart/first visit {page_name}: {before}" if before and label != before else None
            results.add(Row("coldstart", f"first visit {page_name}: {label}", times.get(key, []), baseline=base,
                            note="fresh browser context, goto to fully rendered" if "then" not in page_name
                            else f"click to fully rendered, {READ_S:g} s after the home page was drawn",
                            error="; ".join(problems.get(key, []))))
    for label, _ in reversed(apps):
        base = f"coldstart/first visits: server CPU per visit: {before}" if before and label != before else None
        samples = cpu.get(label, [])
        results.add(Row("coldstart", f"first visits: server CPU per visit: {label}", samples, baseline=base,
                        cpu_samples=samples, note=f"a new session of each page in one browser (static files cached, nothing "
                        f"stored), from goto until {LINGER_S:g} s after it was drawn: its run and the browser store's first "
                        "report (an empty browser: a fragment run)"))


def run_coldstart(results: Results, *, reps: int = 3, compare_root: Path | None = None,
                  first_visits: bool | list[str] = True) -> None:
    """``first_visits``: every page (True), none (False), or these URL paths (and the in-app visit)."""
    if not chromium_available():
        results.add(Row("coldstart", "skipped", [], error=f"no Chromium at {CHROMIUM}"))
        return
    from playwright.sync_api import sync_playwright

    charts = expected_home_charts()
    ours = (f"our app (home, {charts} charts)", ROOT / "app.py", charts, None)
    targets = [("hello-world", HELLO_APP, 0, "hi"), ours]
    apps = [("our app", ROOT / "app.py")]
    if compare_root is not None:
        other = Path(compare_root).resolve() / "app.py"
        if not other.is_file():
            results.add(Row("coldstart", f"compare app {compare_root}", [], error=f"no app.py in {compare_root}"))
        else:
            targets.append((f"compare app ({Path(compare_root).name})", other, 0, None))
            apps.append((f"compare app ({Path(compare_root).name})", other))
    for _label, script, *_ in targets[1:]:
        compile_app(script.parent)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        try:
            _cold_starts(results, browser, targets, reps)
            if first_visits:
                _first_visits(results, browser, apps, reps, None if first_visits is True else list(first_visits))
        finally:
            browser.close()
