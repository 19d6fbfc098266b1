"""Section d: cold start, from ``streamlit run`` to the first page fully rendered in Chromium.

For our app and for a hello-world app, side by side.  The browser is launched before the
clock starts (it is not part of the app's cost); each repetition uses a fresh server on a
free port and a fresh browser context (empty cache, like a first visitor).

"Fully rendered" is Streamlit's own "app finished running" condition (connected, script not
running, no skeleton) plus the page's content drawn: for the hello-world app the text "hi",
for our home page every Plotly chart's SVG (``stPlotlyChart .main-svg``).
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from .common import ROOT, Results, Row
from .server import HELLO_APP, Server

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")

_READY_JS = """
([expectCharts, expectText, needSvg]) => {
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
  if (expectCharts > 0) {
    const charts = [...document.querySelectorAll("[data-testid='stPlotlyChart']")];
    if (charts.length < expectCharts) return false;
    if (needSvg && !charts.every(c => c.querySelector(".main-svg"))) return false;
  }
  return true;
}
"""


_FIRST_JS = """
(expectText) => expectText
  ? [...document.querySelectorAll("[data-testid='stMarkdownContainer']")].some(e => e.textContent.trim() === expectText)
  : !!document.querySelector("[data-testid='stMain'] h1")
"""


def chromium_available() -> bool:
    return Path(CHROMIUM).exists()


def expected_home_charts() -> int:
    """How many Plotly charts the home page draws (AppTest, so the wait follows the app)."""
    from .apptest_bench import open_page

    return len(open_page("app.py").get("plotly_chart"))


def measure_once(browser, script: Path, expect_charts: int, expect_text: str | None, timeout_s: float = 90) -> dict:
    server = Server(script, log_name="coldstart")
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
        # 2. every chart drawn by plotly.js
        handle = page.wait_for_function(_READY_JS, arg=[expect_charts, expect_text, True], polling="raf", timeout=timeout_s * 1000)
        done = time.perf_counter()
        state = handle.json_value()
        from .load import cpu_seconds

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


def run_coldstart(results: Results, *, reps: int = 3) -> None:
    if not chromium_available():
        results.add(Row("coldstart", "skipped", [], error=f"no Chromium at {CHROMIUM}"))
        return
    from playwright.sync_api import sync_playwright

    charts = expected_home_charts()
    targets = [("hello-world", HELLO_APP, 0, "hi"), (f"our app (home, {charts} charts)", ROOT / "app.py", charts, None)]
    data: dict[str, dict[str, list[float]]] = {
        t[0]: {"healthy": [], "elements": [], "rendered": [], "charts_drawn": [], "browser_only": [], "server_cpu": []} for t in targets}
    problems: dict[str, list[str]] = {t[0]: [] for t in targets}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        try:
            for _rep in range(reps):  # interleave the two apps so machine noise hits both alike
                for label, script, n_charts, text in targets:
                    try:
                        m = measure_once(browser, script, n_charts, text)
                    except Exception as exc:
                        problems[label].append(f"{type(exc).__name__}: {exc}"[:200])
                        continue
                    for k in data[label]:
                        data[label][k].append(m[k])
                    if m["exception"]:
                        problems[label].append("stException on the page")
                    if m["console_errors"]:
                        results.notes.append(f"coldstart {label}: browser console errors: {m['console_errors']}")
        finally:
            browser.close()

    hello = targets[0][0]
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
                        note="Popen to app finished running, no skeleton, every chart drawn", error=err))
        results.add(Row("coldstart", f"{label}: page load in browser only", d["browser_only"], baseline=base("page load in browser only"),
                        note="goto to fully rendered"))
        results.add(Row("coldstart", f"{label}: server CPU until rendered", [], unit="s",
                        value=statistics.median(d["server_cpu"]) if d["server_cpu"] else None, n=len(d["server_cpu"]),
                        note="process start, imports, first run; robust to a busy machine"))
