"""Section ``math``: formulas in notes typeset to MathML on the server (issue #23).

* a note with 200 formulas (inline and display, 200 different ones: a course's notes, not one formula
  repeated) against markdown-it's plain CommonMark ``render()`` of the same text, timed alternately:
  - first render of a *content* note (``content/notes/``): its formulas were typeset ahead by the background
    indexer's thread (``explorer.notes.md.math_warm``) into the process-wide cache; what the visitor pays is
    parse + look-ups + HTML (a fresh parse each sample); goal <= x3;
  - the indexer's math step for that note (its thread pays, once per process, not a visitor);
  - cold render: nothing typeset before (an upload's first render, or a content note opened before the
    indexer reached it): the visitor pays every formula (the cache emptied before each sample); goal <= x3 too
    (not met: latex2mathml itself is about 70% of it);
* the same note drawn again (another view of it: each formula is typeset once per note and kept with it);
* what one formula costs (latex2mathml, the checks and the writer), by kind;
* the worst cases at the shipped limits, CPU per render: a TeX macro loop, a 200x200 matrix, 10,000 nested
  braces, a note of 5,000 formulas (the view budget shows the rest as TeX), the largest note of formulas the
  parse budget lays out, the indexer's math step; goal <= 1 s of CPU each.

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


def run_math(results: Results, *, n: int = 15, worst_n: int = 3) -> None:
    from markdown_it import MarkdownIt

    from explorer.notes.md import math_cache
    from explorer.notes.md.math_tex import typeset
    from explorer.notes.md.math_warm import warm
    from explorer.notes.note import parse_note
    from explorer.notes.render import render_note

    text = formula_note(200)
    plain = MarkdownIt("commonmark")
    math_cache.clear()
    warm(text)
    walls, cpus, bases, base_cpus = paired(lambda: render_note(parse_note(text, "formulas.md")), lambda: plain.render(text), n)
    base = results.add(Row("math", "baseline: markdown-it CommonMark render of the 200-formula note", bases,
                           cpu_samples=base_cpus, note=f"{len(text) / 1000:.0f} kB"))
    results.add(Row("math", "first render of a content note: 200 formulas typeset ahead by the indexer (parse + look-ups + HTML)",
                    walls, cpu_samples=cpus, baseline=base.key, base_samples=bases,
                    note="what the visitor pays; fresh parse each sample"))
    results.add(Row("math", "  first render of a content note / plain render, CPU", [], unit="x",
                    value=round(_median(cpus) / _median(base_cpus), 2), goal=Goal("value", "<=", RATIO_GOAL, f"<= x{RATIO_GOAL:g}")))

    def indexer_step() -> None:
        math_cache.clear()
        warm(text)

    walls, cpus, bases, base_cpus = paired(indexer_step, lambda: plain.render(text), n)
    results.add(Row("math", "the indexer's math step for that note (parse + typeset 200 formulas into the cache)", walls,
                    cpu_samples=cpus, baseline=base.key, base_samples=bases,
                    note="paid by the indexer's thread, once per process and note, not by a visitor"))

    def cold() -> None:
        math_cache.clear()
        render_note(parse_note(text, "formulas.md"))

    walls, cpus, bases, base_cpus = paired(cold, lambda: plain.render(text), n)
    results.add(Row("math", "cold render: 200 formulas, none typeset before (parse + typeset + HTML)", walls, cpu_samples=cpus,
                    baseline=base.key, base_samples=bases,
                    note="an upload's first render, or a content note opened before the indexer reached it: the visitor pays"))
    results.add(Row("math", "  cold render / plain render, CPU (an upload: it never enters the shared cache)", [], unit="x",
                    value=round(_median(cpus) / _median(base_cpus), 2), goal=Goal("value", "<=", RATIO_GOAL, f"<= x{RATIO_GOAL:g}")))
    note = parse_note(text, "formulas.md")
    doc = note.document()
    render_note(note)
    walls, cpus, bases, base_cpus = paired(lambda: render_note(note), lambda: plain.render(text), n)
    results.add(Row("math", "drawn again: the same note (formulas kept with it)", walls, cpu_samples=cpus,
                    baseline=base.key, base_samples=bases, note=f"memo {len(doc.env.get('math_memo', {}))} formulas"))
    results.add(Row("math", "  drawn again / plain render, CPU", [], unit="x", value=round(_median(cpus) / _median(base_cpus), 2),
                    goal=Goal("value", "<=", RATIO_GOAL, f"<= x{RATIO_GOAL:g}")))
    for kind, template in KINDS.items():
        tex = template % 7
        walls, cpus, _, _ = paired(lambda tex=tex: typeset(tex, display=True), lambda: None, n * 4)
        results.add(Row("math", f"one formula: {kind}", walls, cpu_samples=cpus, note=f"{len(tex)} characters of TeX"))
    for label, body in _worst().items():
        _, cpus, _, _ = paired(lambda body=body: (math_cache.clear(), render_note(parse_note(body, "worst.md"))), lambda: None, worst_n)
        results.add(Row("math", f"worst case: {label}, CPU of parse + render", cpus, cpu_samples=cpus,
                        goal=ms_goal(WORST_GOAL_MS), note="a notice names what is not typeset"))
    heavy = formulas_under_budget()
    _, cpus, _, _ = paired(lambda: (math_cache.clear(), render_note(parse_note(heavy, "heavy.md"))), lambda: None, worst_n)
    results.add(Row("math", "worst case: the largest note of formulas the parse budget lays out, CPU of parse + render", cpus,
                    cpu_samples=cpus, goal=ms_goal(WORST_GOAL_MS),
                    note=f"{heavy.count('$') // 2:,} formulas, {len(heavy) / 1000:.0f} kB; their insides are not counted as markup"))
    many = _worst()["a note of 5,000 formulas"]
    _, cpus, _, _ = paired(lambda: (math_cache.clear(), warm(many)), lambda: None, worst_n)
    results.add(Row("math", "worst case: the indexer's math step for the note of 5,000 formulas, CPU", cpus, cpu_samples=cpus,
                    goal=ms_goal(WORST_GOAL_MS), note="one view's budget per step; the indexer's thread"))
    math_cache.clear()
