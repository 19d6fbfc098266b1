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
The views of a vault (issue #23: a note with formulas, a note with Mermaid diagrams, the folder tree) are shot
from a copy of the content with the fixture vault and math notes added, on a desktop and a phone, once their
formulas are typeset and their diagrams drawn (``python tools/screenshots.py --only notes-math``).
Exits 1 if a page shows an exception or a browser error.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

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
    from explorer import CONTENT_DIR
    from explorer.assess import sharecode
    from explorer.content.loader import load_content

    content = load_content(CONTENT_DIR)
    a = content.assessment
    answers = {q.id: (len(q.answers) - 1) // 2 for q in a.questions}
    return sharecode.encode(a, answers)


def _content():
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    return load_content(CONTENT_DIR)


def example_team_codes() -> list[str]:
    """Five people of one team (two named), answering around the middle, a few notes and one N/A."""
    from explorer.assess import sharecode

    a = _content().assessment
    people = []
    for i, shift in enumerate([-1, 0, 0, 1, 2]):
        answers = {q.id: max(0, min(len(q.answers) - 1, len(q.answers) // 2 + ((shift + j) % 3 - 1)))
                   for j, q in enumerate(a.questions)}
        na = ["feature-store"] if i == 4 else []
        for qid in na:
            answers.pop(qid)
        notes = {"code-ci": "GitHub Actions on every push; see https://wiki.example.com/ci"} if i == 1 else {}
        people.append(sharecode.encode(a, answers, na=na, notes=notes, name=["Ana", "", "Bo", "", ""][i]))
    return people


def example_result_with_plan() -> str:
    """Query string of a result with "does not apply", notes, a name and two plan steps owned and dated."""
    from urllib.parse import urlencode

    from explorer.assess import plan as plan_mod
    from explorer.assess import sharecode
    from explorer.assess.scoring import evaluate

    c = _content()
    a = c.assessment
    answers = {q.id: len(q.answers) // 2 for q in a.questions if q.id != "collaboration"}
    notes = {"code-ci": "Builds and tests run on every push (https://wiki.example.com/ci)",
             "monitoring": "Dashboards exist, nobody is paged yet"}
    code = sharecode.encode(a, answers, na=["collaboration"], notes=notes, name="Ana")
    steps = plan_mod.build_plan(evaluate(a, c.vendors, answers, ["collaboration"]), a, c.vendors).steps
    edits = {steps[0].key: {"owner": "Ana", "target": "2027-03-31"}, steps[1].key: {"owner": "Platform team", "target": "2027-06-30"}}
    return urlencode({"a": code, "plan": plan_mod.encode_edits(edits)})


def report_html(kind: str) -> str:
    """The printable report the pages offer for the examples above ("single" or "workshop")."""
    import datetime as dt
    from urllib.parse import parse_qs

    from explorer.assess import plan as plan_mod
    from explorer.assess import report, sharecode, workshop
    from explorer.assess.scoring import evaluate

    c = _content()
    a, v = c.assessment, c.vendors
    when = dt.datetime(2026, 11, 29, 9, 30, tzinfo=dt.UTC)
    qnames = {q.id: q.short for q in c.breakdown.quarters}
    if kind == "workshop":
        ws = workshop.compute_workshop(workshop.read_codes(example_team_codes(), a), a, v)
        plan = plan_mod.build_plan(ws.result, a, v, resolve=plan_mod.note_resolver(c))
        return report.render_workshop_report(ws, a, v, plan=plan, team="Platform team", when=when, mts=c.ml_test_score,
                                             quarter_names=qnames)
    q = parse_qs(example_result_with_plan())
    d = sharecode.decode(q["a"][0], a)
    result = evaluate(a, v, d.answers, d.na)
    plan = plan_mod.build_plan(result, a, v, resolve=plan_mod.note_resolver(c))
    plan = plan_mod.apply_edits(plan, plan_mod.decode_edits(q["plan"][0])).plan
    return report.render_report(result, a, v, plan=plan, notes=d.notes, participant=d.name, team="Platform team",
                                when=when, mts=c.ml_test_score, quarter_names=qnames)


REPORTS = {"report-print": "single", "workshop-report-print": "workshop"}
# a code-heavy note as people keep them on GitHub (65 code blocks), served from a copy of the content
# with the test fixture added to it (EXPLORER_CONTENT_DIR): (file stem, fixture file, URL path)
FIXTURE_SHOTS = [("notes-code-heavy", "docker-kubernetes-long.md",
                  "/Notes?note=docker-kubernetes-long&section=11-the-model-server-service")]  # stems shot from the report HTML, print media


# the vault's views (#23), served from a copy of the content with tests/fixtures/vault under notes/vault and
# tests/fixtures/math under notes/math: (file stem, URL path, what must be on the page before the shot)
_MATH_READY = ("document.querySelectorAll(\"[data-testid='stMain'] .note-body math\").length > 0"
               " && !document.querySelector(\"[data-testid='stMain'] .math-slot:is([data-mathml], [data-tex])\")")
_DIAGRAMS_READY = ("[...document.querySelectorAll(\"[data-testid='stMermaidChart'] img\")].filter("
                   "i => i.complete && i.naturalWidth > 0).length >= 2")
VAULT_SHOTS = [
    ("notes-math", "/Notes?note=bias-variance", _MATH_READY),
    ("notes-diagrams", "/Notes?note=l1-2-training-pipeline", _DIAGRAMS_READY),
    ("notes-diagram-error", "/Notes?note=broken-diagram",
     "!!document.querySelector(\"[data-testid='stMermaidError']\") && " + _DIAGRAMS_READY.replace(">= 2", ">= 1")),
    ("notes-tree", "/Notes?note=cross-validation", "!!document.querySelector(\"[data-testid='stMain'] nav.note-tree\")"),
]


def shots() -> list[tuple[str, str, bool]]:
    """(file stem, URL path with query, draws charts)."""
    items = [(name, path, path in CHART_PAGES) for path, name in PAGES]
    items += [
        ("notes-section", "/Notes?note=maturity-models&section=azure", False),
        ("notes-code", "/Notes?note=kaizen&section=a-tiny-example", False),  # code blocks: monospace, lines kept
        ("maturity-ladders-rung", "/Maturity_Ladders?rung=azure-2", True),
        ("self-assessment-result", f"/Self_Assessment?a={example_share_code()}", True),
        ("breakdown-split", "/Breakdown?quarter=data&split=40,30,20,10", True),
        ("glossary-term", "/Glossary?term=feature-store", False),
        ("self-assessment-plan", f"/Self_Assessment?{example_result_with_plan()}", True),
        ("workshop-team", f"/Workshop?w={_workshop_code()}", True),
        ("workshop-facilitator", f"/Workshop?w={_workshop_code()}&view=facilitator", True),
    ]
    items += [(stem, "", False) for stem in REPORTS]
    return items


def _workshop_code() -> str:
    from explorer.assess import sharecode

    return sharecode.encode_workshop(example_team_codes())


def shoot_report(page, stem: str, theme: str, out: Path) -> list[str]:
    """The printable report as the browser prints it (print media, A4 width at 96 dpi)."""
    page.set_viewport_size({"width": 794, "height": 1123})
    page.set_content(report_html(REPORTS[stem]))
    page.emulate_media(media="print")
    page.screenshot(path=str(out / f"{stem}-{theme}.png"), full_page=True, animations="disabled")
    page.emulate_media(media=None)
    return []


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


def _shoot_items(browser, base_url: str, items, theme: str, out: Path, viewport: dict | None = None) -> list[str]:
    """Shoot (stem, path, draws charts) items in one new page of ``theme`` (a phone when ``viewport`` is
    given); the problems seen, each named by its shot."""
    if viewport is None:
        context = new_context(browser, dark=theme == "dark")
    else:
        context = browser.new_context(viewport=viewport, color_scheme=theme, is_mobile=True, has_touch=True)
    page = context.new_page()
    watch = PageWatch().attach(page)
    problems: list[str] = []
    try:
        for stem, path, charts in items:
            if stem in REPORTS:
                problems += shoot_report(page, stem, theme, out)
            else:
                problems += shoot(page, base_url, stem, path, charts, theme, out, *([viewport] if viewport else []))
            problems += [f"{stem}-{theme}: {x}" for x in watch.problems()]
            watch.clear()
            print(f"  {stem}-{theme}.png", flush=True)
    finally:
        context.close()
    return problems


def shoot_fixture_notes(todo: list[tuple[str, str, str]], themes: list[str], out: Path) -> list[str]:
    """Notes from tests/fixtures/notes, served from a temporary copy of the content with them added."""
    import shutil
    import tempfile

    from playwright.sync_api import sync_playwright

    from explorer import CONTENT_DIR

    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(CONTENT_DIR, content)
        for _, name, _ in todo:
            shutil.copy(ROOT / "tests" / "fixtures" / "notes" / name, content / "notes" / name)
        with running_server(env={"EXPLORER_CONTENT_DIR": str(content)}) as server, sync_playwright() as p:
            browser = launch_browser(p)
            try:
                for theme in themes:
                    problems += _shoot_items(browser, server.url, [(stem, path, False) for stem, _, path in todo], theme, out)
            finally:
                browser.close()
    return problems


def _shoot_vault_view(page, base_url: str, stem: str, path: str, ready: str, theme: str, out: Path,
                      viewport: dict) -> list[str]:
    page.set_viewport_size(viewport)
    goto(page, base_url + path)
    page.wait_for_function(f"() => {ready}", timeout=60_000)
    problems = [f"{stem}: the page shows an exception"] if page.locator("[data-testid='stException']").count() else []
    height = min(full_height(page, sidebar=viewport["width"] >= 640), MAX_HEIGHT)
    page.set_viewport_size({"width": viewport["width"], "height": max(height, viewport["height"])})
    page.wait_for_function(f"() => {ready}", timeout=60_000)  # a resize may draw the diagrams again
    page.wait_for_timeout(600)
    wait_for_app(page)
    page.screenshot(path=str(out / f"{stem}-{theme}.png"), full_page=True, animations="disabled")
    return problems


def shoot_vault_views(todo: list[tuple[str, str, str]], themes: list[str], out: Path) -> list[str]:
    """The vault's views (:data:`VAULT_SHOTS`) on a desktop (``<stem>-<theme>.png``) and a 390 px touch phone
    (``<stem>-phone-<theme>.png``), served from a copy of the content with the fixture vault and math added."""
    import shutil
    import tempfile

    from playwright.sync_api import sync_playwright

    from explorer import CONTENT_DIR

    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(CONTENT_DIR, content)
        shutil.copytree(ROOT / "tests" / "fixtures" / "vault", content / "notes" / "vault")
        shutil.copytree(ROOT / "tests" / "fixtures" / "math", content / "notes" / "math",
                        ignore=shutil.ignore_patterns("hostile-*"))
        with running_server(env={"EXPLORER_CONTENT_DIR": str(content)}) as server, sync_playwright() as p:
            browser = launch_browser(p)
            try:
                for theme in themes:
                    for phone in (False, True):
                        if phone:
                            context = browser.new_context(viewport=PHONE, color_scheme=theme, is_mobile=True,
                                                          has_touch=True)
                        else:
                            context = new_context(browser, dark=theme == "dark")
                        page = context.new_page()
                        watch = PageWatch().attach(page)
                        try:
                            for stem, path, ready in todo:
                                name = f"{stem}-phone" if phone else stem
                                problems += _shoot_vault_view(page, server.url, name, path, ready, theme, out,
                                                              PHONE if phone else VIEWPORT)
                                problems += [f"{name}-{theme}: {x}" for x in watch.problems()]
                                watch.clear()
                                print(f"  {name}-{theme}.png", flush=True)
                        finally:
                            context.close()
            finally:
                browser.close()
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
    vault_todo = [s for s in VAULT_SHOTS if args.only is None or s[0] in args.only]
    if args.only is not None and vault_todo and not [s for s in shots() + PHONE_SHOTS + FIXTURE_SHOTS
                                                     if s[0] in args.only]:
        problems = shoot_vault_views(vault_todo, ["light", "dark"] if args.theme == "both" else [args.theme], args.out)
        for x in problems:
            print("PROBLEM:", x, file=sys.stderr)
        return 1 if problems else 0
    todo = [s for s in shots() if not args.only or s[0] in args.only]
    phone_todo = [s for s in PHONE_SHOTS if not args.only or s[0] in args.only]
    themes = ["light", "dark"] if args.theme == "both" else [args.theme]
    problems: list[str] = []
    t0 = time.perf_counter()
    with running_server() as server, sync_playwright() as p:
        browser = launch_browser(p)
        try:
            for theme in themes:
                problems += _shoot_items(browser, server.url, todo, theme, args.out)
                if phone_todo:
                    problems += _shoot_items(browser, server.url, [(stem, path, False) for stem, path in phone_todo], theme,
                                             args.out, PHONE)
        finally:
            browser.close()
    fixture_todo = [s for s in FIXTURE_SHOTS if not args.only or s[0] in args.only]
    if fixture_todo:
        problems += shoot_fixture_notes(fixture_todo, themes, args.out)
    if vault_todo:
        problems += shoot_vault_views(vault_todo, themes, args.out)
    print(f"{(len(todo) + len(phone_todo) + len(fixture_todo) + 2 * len(vault_todo)) * len(themes)} screenshots in {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out} "
          f"({time.perf_counter() - t0:.0f} s)")
    for x in problems:
        print("PROBLEM:", x, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
