"""Regenerate the README screenshots: every page, light and dark, full page, from the real app.

    python tools/screenshots.py                    # all pages, both themes -> docs/screenshots/
    python tools/screenshots.py --only notes home  # some pages
    python tools/screenshots.py --theme dark       # one theme

Starts ``streamlit run app.py`` on a free port, drives Debian's Chromium (``/usr/bin/chromium``;
never ``playwright install``) with the OS colour scheme set to light or dark (the app's theme
follows it), waits until each page has finished running and its charts are drawn, and saves
``docs/screenshots/<page>-<theme>.png`` at a 1400 px wide viewport.  Besides the plain pages it
shoots a few states worth seeing (a self-assessment result, a selected rung, a note section), and
the pages that have a phone layout at 390 px on a touch screen (``<page>-phone-<theme>.png``).
Exits 1 if a page shows an exception or a browser error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e_util import (  # noqa: E402
    CHART_PAGES,
    PAGES,
    VIEWPORT,
    PageWatch,
    chromium_missing_reason,
    goto,
    launch_browser,
    new_context,
    running_server,
    wait_for_app,
)

OUT = ROOT / "docs" / "screenshots"
MAX_HEIGHT = 16_000  # px; a taller page is cut (Chromium cannot capture arbitrarily tall surfaces)
PHONE = {"width": 390, "height": 844}
# Pages whose layout changes on a phone (charts written out as text, glossary "?" buttons): (stem, path).
PHONE_SHOTS = [
    ("home-phone", "/"),
    ("maturity-ladders-phone", "/Maturity_Ladders?rung=azure-2"),
    ("concepts-phone", "/Concepts"),
    ("notes-phone", "/Notes?note=kaizen"),
]


def example_share_code() -> str:
    """A self-assessment code for a mid-way team (every question at its middle answer)."""
    from explorer import CONTENT_DIR, sharecode
    from explorer.loader import load_content

    content = load_content(CONTENT_DIR)
    a = content.assessment
    answers = {q.id: (len(q.answers) - 1) // 2 for q in a.questions}
    return sharecode.encode(a, answers)


def shots() -> list[tuple[str, str, bool]]:
    """(file stem, URL path with query, draws charts)."""
    items = [(name, path, path in CHART_PAGES) for path, name in PAGES]
    items += [
        ("notes-section", "/Notes?note=maturity-models&section=azure", False),
        ("maturity-ladders-rung", "/Maturity_Ladders?rung=azure-2", True),
        ("self-assessment-result", f"/Self_Assessment?a={example_share_code()}", True),
        ("breakdown-split", "/Breakdown?quarter=data&split=40,30,20,10", True),
        ("glossary-term", "/Glossary?term=feature-store", False),
    ]
    return items


def full_height(page, sidebar: bool = True) -> int:
    """Height the page needs to show everything: Streamlit scrolls inside stMain, not the document.
    ``sidebar=False`` on a phone, where the sidebar is collapsed (its hidden content is very tall)."""
    return int(page.evaluate(
        """(ids) => Math.max(
            document.documentElement.scrollHeight,
            ...ids.map(id => {
                const e = document.querySelector(`[data-testid='${id}']`);
                return e ? e.scrollHeight : 0;
            }))""", ["stMain", "stSidebarContent"] if sidebar else ["stMain"]
    ))


def shoot(page, base_url: str, stem: str, path: str, charts: bool, theme: str, out: Path,
          viewport: dict = VIEWPORT) -> list[str]:
    problems: list[str] = []
    page.set_viewport_size(viewport)
    goto(page, base_url + path)
    if charts:
        page.locator("[data-testid='stPlotlyChart'] .main-svg").first.wait_for(state="visible", timeout=20_000)
    if page.locator("[data-testid='stException']").count():
        problems.append(f"{stem}: the page shows an exception")
    height = min(full_height(page, sidebar=viewport["width"] >= 640), MAX_HEIGHT)
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    page.wait_for_timeout(400)  # let Plotly re-layout and Streamlit's transitions settle
    wait_for_app(page)
    target = out / f"{stem}-{theme}.png"
    page.screenshot(path=str(target), full_page=True, animations="disabled")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", help="file stems to shoot (e.g. home notes self-assessment-result)")
    ap.add_argument("--theme", choices=["light", "dark", "both"], default="both")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    reason = chromium_missing_reason()
    if reason:
        print(f"cannot take screenshots: {reason}", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    todo = [s for s in shots() if not args.only or s[0] in args.only]
    phone_todo = [s for s in PHONE_SHOTS if not args.only or s[0] in args.only]
    themes = ["light", "dark"] if args.theme == "both" else [args.theme]
    problems: list[str] = []
    t0 = time.perf_counter()
    with running_server() as server, sync_playwright() as p:
        browser = launch_browser(p)
        try:
            for theme in themes:
                context = new_context(browser, dark=theme == "dark")
                page = context.new_page()
                watch = PageWatch().attach(page)
                for stem, path, charts in todo:
                    problems += shoot(page, server.url, stem, path, charts, theme, args.out)
                    problems += [f"{stem}-{theme}: {x}" for x in watch.problems()]
                    watch.clear()
                    print(f"  {stem}-{theme}.png", flush=True)
                context.close()
                if not phone_todo:
                    continue
                context = browser.new_context(viewport=PHONE, color_scheme=theme, is_mobile=True, has_touch=True)
                page = context.new_page()
                watch = PageWatch().attach(page)
                for stem, path in phone_todo:
                    problems += shoot(page, server.url, stem, path, False, theme, args.out, PHONE)
                    problems += [f"{stem}-{theme}: {x}" for x in watch.problems()]
                    watch.clear()
                    print(f"  {stem}-{theme}.png", flush=True)
                context.close()
        finally:
            browser.close()
    print(f"{(len(todo) + len(phone_todo)) * len(themes)} screenshots in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
          f"({time.perf_counter() - t0:.0f} s)")
    for x in problems:
        print("PROBLEM:", x, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
