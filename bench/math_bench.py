"""Section ``math``: formulas in notes (issue #23), typeset in the visitor's browser (Temml), not on the server.

* a note with 200 formulas (inline and display, 200 different ones: a course's notes, not one formula
  repeated) against markdown-it's plain CommonMark ``render()`` of the same text, timed alternately; what the
  server does for a view of it is parse + render (each formula's TeX checked and counted against the view's
  budget, no typesetting) + the slots ``st.html`` keeps (``ui.math_view``):
  - cold: an upload's first render, or any note's first (a fresh parse each sample); goal <= x3;
  - drawn again: the same parsed note rendered again; goal <= x3;
* what moved to the browser: the 200-formula note opened in Chromium (a fresh context per visit, warm server),
  the time the component spent typesetting and checking its slots (``performance.measure("note-math")``,
  read back from the page), in ms;
* what remains on the server for the offline study pack: the note's formulas typeset with latex2mathml
  (``explorer.notes.md.math_offline``), and one formula by kind;
* the worst cases at the shipped limits, CPU per render: a TeX macro loop, a 200x200 matrix, 10,000 nested
  braces, a note of 5,000 formulas (the view budget shows the rest as TeX), the largest note of formulas the
  parse budget lays out, and the study pack's typesetting of the 5,000-formula note; goal <= 1 s of CPU each.

Ratios and the worst cases are taken on this thread's CPU time (the machine may be shared).
"""

from __future__ import annotations

import statistics
import time

from .common import Goal, Results, Row, ms_goal

RATIO_GOAL = 3.0
WORST_GOAL_MS = 1000
KINDS = {
    "a letter with a subscript": "x_{%d}",
    "a fraction and a sum": r"\frac{1}{n}\sum_{i=1}^{%d} (y_i - \hat{y}_i)^2",
    "an underbrace": r"\underbrace{\mathrm{Var}(\hat{f})}_{\text{variance}} + \sigma^{%d}",
    "a 3x3 matrix": r"\begin{pmatrix} a & b & %d \\ c & d & e \\ f & g & h \end{pmatrix}",
    "an aligned pair": r"\begin{aligned} \theta_{t+1} &= \theta_t - \alpha \nabla J \\ J &= %d \end{aligned}",
}


def formula_note(n: int = 200) -> str:
    """A note of ``n`` different formulas: four inline per paragraph of prose, a display formula every fifth."""
    templates = list(KINDS.values())
    out = ["# Formulas\n"]
    for i in range(0, n, 5):
        inline = [f"${templates[(i + k) % 3] % (i + k)}$" for k in range(4)]
        out.append(f"The model at step {i} uses {inline[0]} and {inline[1]}; its error is {inline[2]}, "
                   f"and the update is {inline[3]} for every batch.\n")
        out.append(f"$$\n{templates[3 + (i // 5) % 2] % (i + 4)}\n$$\n")
    return "\n".join(out)


def _worst() -> dict[str, str]:
    matrix = "\\\\\n".join(" & ".join(["1"] * 200) for _ in range(200))
    many = "\n\n".join(f"Step {i}: $x^{{{i}}} + y^{{{i}}}$ here." for i in range(5000))
    return {
        "a TeX macro loop (\\def\\a{\\a}\\a)": "$\\def\\a{\\a}\\a$ and $\\newcommand{\\b}{\\b}\\b$\n",
        "a 200x200 matrix": f"$$\n\\begin{{pmatrix}}\n{matrix}\n\\end{{pmatrix}}\n$$\n",
        "10,000 nested braces": "$$\n" + "{" * 10_000 + "x" + "}" * 10_000 + "\n$$\n",
        "a note of 5,000 formulas": many,
    }


def formulas_under_budget() -> str:
    """The largest note of subscript-heavy formulas that the parse budget still lays out (what is inside a formula is
    not counted as markup: ``explorer.notes.md.math_scan``), found by bisection on the number of formulas."""
    from explorer.notes.md.parse_budget import estimate

    def note(n: int) -> str:
        return "# Indices\n\n" + "\n\n".join(
            " ".join(f"$\\hat{{y}}_{{{i}}} = w_1 x_{{{i},1}} + w_2 x_{{{i},2}}$ and" for i in range(j, min(n, j + 10))) + " more."
            for j in range(0, n, 10))

    lo, hi = 10, 20_000
    while hi - lo > 10:
        mid = (lo + hi) // 2
        lo, hi = (mid, hi) if not estimate(note(mid)).over else (lo, mid)
    return note(lo)


def paired(fn, base, n: int) -> tuple[list[float], list[float], list[float], list[float]]:
    """``fn`` and ``base`` timed alternately (same machine load); returns fn wall, fn CPU, base wall, base CPU
    (this thread's CPU time: the machine may be shared, so the ratios are taken on CPU)."""
    walls, cpus, bases, base_cpus = [], [], [], []
    fn()
    base()
    for _ in range(n):
        c0, t0 = time.thread_time(), time.perf_counter()
        base()
        bases.append(time.perf_counter() - t0)
        base_cpus.append(time.thread_time() - c0)
        c0, t0 = time.thread_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.thread_time() - c0)
    return walls, cpus, bases, base_cpus


def _median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def run_math(results: Results, *, n: int = 15, worst_n: int = 3, browser_reps: int | None = None) -> None:
    from markdown_it import MarkdownIt

    from explorer.notes.md.math_offline import typeset_math
    from explorer.notes.md.math_slots import math_slots
    from explorer.notes.md.math_tex import typeset
    from explorer.notes.note import parse_note
    from explorer.notes.render import render_note

    text = formula_note(200)
    plain = MarkdownIt("commonmark")

    def cold() -> None:
        math_slots(render_note(parse_note(text, "formulas.md")))

    walls, cpus, bases, base_cpus = paired(cold, lambda: plain.render(text), n)
    base = results.add(Row("math", "baseline: markdown-it CommonMark render of the 200-formula note", bases,
                           cpu_samples=base_cpus, note=f"{len(text) / 1000:.0f} kB"))
    results.add(Row("math", "cold render: 200 formulas (parse + render with each TeX checked + slots; no typesetting)",
                    walls, cpu_samples=cpus, baseline=base.key, base_samples=bases,
                    note="an upload's first render, or a content note's: fresh parse each sample"))
    results.add(Row("math", "  cold render / plain render, CPU", [], unit="x", value=round(_median(cpus) / _median(base_cpus), 2),
                    goal=Goal("value", "<=", RATIO_GOAL, f"<= x{RATIO_GOAL:g}")))
    note = parse_note(text, "formulas.md")
    walls, cpus, bases, base_cpus = paired(lambda: math_slots(render_note(note)), lambda: plain.render(text), n)
    results.add(Row("math", "drawn again: the same parsed note (render + slots)", walls, cpu_samples=cpus,
                    baseline=base.key, base_samples=bases))
    results.add(Row("math", "  drawn again / plain render, CPU", [], unit="x", value=round(_median(cpus) / _median(base_cpus), 2),
                    goal=Goal("value", "<=", RATIO_GOAL, f"<= x{RATIO_GOAL:g}")))
    run_browser_typesetting(results, text, reps=browser_reps or (1 if n < 5 else 2 if n < 10 else 5))
    rendered = render_note(note)
    walls, cpus, bases, base_cpus = paired(lambda: typeset_math(rendered), lambda: plain.render(text), n)
    results.add(Row("math", "study pack only: the 200 formulas typeset on the server (latex2mathml)", walls, cpu_samples=cpus,
                    baseline=base.key, base_samples=bases, note="the offline pack has no script; the app never pays this"))
    for kind, template in KINDS.items():
        tex = template % 7
        walls, cpus, _, _ = paired(lambda tex=tex: typeset(tex, display=True), lambda: None, n * 4)
        results.add(Row("math", f"study pack, one formula: {kind}", walls, cpu_samples=cpus, note=f"{len(tex)} characters of TeX"))
    for label, body in _worst().items():
        _, cpus, _, _ = paired(lambda body=body: math_slots(render_note(parse_note(body, "worst.md"))), lambda: None, worst_n)
        results.add(Row("math", f"worst case: {label}, CPU of parse + render + slots", cpus, cpu_samples=cpus,
                        goal=ms_goal(WORST_GOAL_MS), note="a notice names what is not typeset"))
    heavy = formulas_under_budget()
    _, cpus, _, _ = paired(lambda: math_slots(render_note(parse_note(heavy, "heavy.md"))), lambda: None, worst_n)
    results.add(Row("math", "worst case: the largest note of formulas the parse budget lays out, CPU of parse + render + slots",
                    cpus, cpu_samples=cpus, goal=ms_goal(WORST_GOAL_MS),
                    note=f"{heavy.count('$') // 2:,} formulas, {len(heavy) / 1000:.0f} kB; their insides are not counted as markup"))
    many = render_note(parse_note(_worst()["a note of 5,000 formulas"], "many.md"))
    _, cpus, _, _ = paired(lambda: typeset_math(many), lambda: None, worst_n)
    results.add(Row("math", "worst case: the study pack's typesetting of the note of 5,000 formulas, CPU", cpus, cpu_samples=cpus,
                    goal=ms_goal(WORST_GOAL_MS), note="one view's budget (formulas, characters, 0.4 s of CPU)"))


_READ_FILL = """() => {
  const pending = document.querySelector("[data-testid='stMain'] .math-slot:is([data-tex], [data-mathml])");
  const marks = performance.getEntriesByName('note-math');
  if (pending || !marks.length) return null;
  return {ms: marks.reduce((a, m) => a + m.duration, 0), formulas: marks.reduce((a, m) => a + m.detail.formulas, 0),
          drawn: document.querySelectorAll("[data-testid='stMain'] .math-slot.math-drawn").length};
}"""


def run_browser_typesetting(results: Results, text: str, *, reps: int = 5) -> None:
    """The 200-formula note opened in Chromium: the time the math component spent typesetting its slots (in a
    thread of its own: where a browser test ran first, this thread has an event loop that sync Playwright refuses);
    no row without Chromium."""
    import concurrent.futures
    import os

    from .diagrams_bench import CHROMIUM

    if not os.path.exists(CHROMIUM):
        return
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(_browser_typesetting, results, text, reps).result()


def _browser_typesetting(results: Results, text: str, reps: int) -> None:
    import os
    import shutil
    import tempfile
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    from .common import ROOT
    from .diagrams_bench import CHROMIUM
    from .server import Server

    tmp = Path(tempfile.mkdtemp(prefix="bench-math-"))
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "notes" / "two-hundred-formulas.md").write_text(text, encoding="utf-8")
    old = os.environ.get("EXPLORER_CONTENT_DIR")
    os.environ["EXPLORER_CONTENT_DIR"] = str(content)
    samples, seen = [], {}
    try:
        with Server(log_name="math") as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
            for i in range(reps + 1):  # the first visit warms the server
                ctx = browser.new_context(viewport={"width": 1400, "height": 900})
                try:
                    page = ctx.new_page()
                    page.goto(f"{server.url}/Notes?note=two-hundred-formulas", wait_until="domcontentloaded")
                    handle = page.wait_for_function(_READ_FILL, polling=100, timeout=60_000)  # the page times itself: no need to poll every frame
                    seen = handle.json_value()
                    if i:
                        samples.append(seen["ms"] / 1000)
                finally:
                    ctx.close()
            browser.close()
    finally:
        if old is None:
            os.environ.pop("EXPLORER_CONTENT_DIR", None)
        else:
            os.environ["EXPLORER_CONTENT_DIR"] = old
        shutil.rmtree(tmp, ignore_errors=True)
    results.add(Row("math", "in the browser: Chromium typesets the 200-formula note's slots (Temml + the allow-list check)",
                    samples, note=f"performance.measure around the fill, read from the page; {seen.get('drawn', 0)} of "
                                  f"{seen.get('formulas', 0)} slots drawn; fresh context per visit, warm server"))
