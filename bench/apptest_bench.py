"""Sections a (warm rerun of every page) and b (self-assessment) under Streamlit's AppTest.

AppTest runs the script in this process, so a rerun's time is the server-side script time
(plus AppTest's own bookkeeping, which the hello-world baseline measures too).
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .common import ROOT, Results, Row, ms_goal, quiet_streamlit, timed, timed_cpu

HELLO_SOURCE = 'import streamlit as st\nst.write("hi")\n'
PAGE_GOAL_MS = 40
RESULTS_GOAL_MS = 40
BASELINE = "pages/hello-world rerun"


def page_files() -> list[str]:
    """app.py and every page file, in the app's page order (number prefix)."""
    def order(p):
        m = re.match(r"(\d+)_", p.name)
        return (int(m.group(1)) if m else 10_000, p.name)

    return ["app.py", *(f"pages/{p.name}" for p in sorted((ROOT / "pages").glob("*.py"), key=order))]


def page_label(page: str) -> str:
    if page == "app.py":
        return "Home"
    return re.sub(r"^\d+_", "", page.rsplit("/", 1)[-1][:-3])


def open_page(page: str, params: dict[str, str] | None = None, timeout: float = 60):
    """AppTest started from app.py and switched to ``page`` (the tests' helper, with a longer timeout)."""
    from tests.apptest_util import open_page as _open

    return _open(page, params, timeout=timeout)


def exceptions(at) -> list[str]:
    return [str(e.value)[:200] for e in at.exception]


@dataclass
class Variant:
    page: str
    params: dict[str, str]
    label: str


def _content():
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    return load_content(CONTENT_DIR)


def deep_link_variants(content) -> list[Variant]:
    """Pages opened on a selection (state), using ids from the shipped content."""
    out: list[Variant] = []
    files = set(page_files())

    def add(page: str, params: dict[str, str], label: str) -> None:
        if page in files:
            out.append(Variant(page, params, label))

    if content.notes:
        longest = max(content.notes, key=lambda n: len(n.body))
        add("pages/1_Notes.py", {"note": longest.id}, f"whole note '{longest.id}'")
        if longest.sections:
            add("pages/1_Notes.py", {"note": longest.id, "section": longest.sections[0].id}, "one section")
    add("pages/2_Search.py", {"q": "model registry"}, "q=model registry")
    add("pages/2_Search.py", {"q": "drift"}, "q=drift")
    if content.ok("glossary") and content.glossary:
        add("pages/3_Glossary.py", {"term": content.glossary[0].id}, f"term={content.glossary[0].id}")
    if content.ok("breakdown"):
        add("pages/4_Breakdown.py", {"quarter": content.breakdown.quarters[0].id}, f"quarter={content.breakdown.quarters[0].id}")
    if content.ok("maturity"):
        levels = [lv.id for v in content.vendors for lv in v.levels]
        add("pages/5_Maturity_Ladders.py", {"rung": levels[len(levels) // 2]}, f"rung={levels[len(levels) // 2]}")
        add("pages/5_Maturity_Ladders.py", {"compare": f"{levels[0]},{levels[-1]}"}, "compare two rungs")
        if content.ok("crosswalk"):
            add("pages/5_Maturity_Ladders.py", {"stage": content.crosswalk.rows[0].id}, "crosswalk view")
    if content.ok("hierarchy"):
        add("pages/8_Concepts.py", {"tier": content.hierarchy.tiers[0].id}, f"tier={content.hierarchy.tiers[0].id}")
    for view in ("workflows", "analogy", "platforms"):
        add("pages/8_Concepts.py", {"view": view}, f"view={view}")
    if content.ok("certifications") and content.certifications:
        add("pages/9_Certifications.py", {"cert": content.certifications[0].id}, f"cert={content.certifications[0].id}")
    add("pages/11_Study.py", {"tab": "quiz", "seed": "7"}, "quiz")
    add("pages/11_Study.py", {"tab": "progress"}, "progress")
    return out


class Paired:
    """A hello-world AppTest timed once before every sample of a page: a baseline under the same machine load."""

    def __init__(self, results: Results, reruns: int) -> None:
        from streamlit.testing.v1 import AppTest

        self.hello = AppTest.from_string(HELLO_SOURCE, default_timeout=30).run()
        samples, cpu, _ = timed_cpu(self.hello.run, max(reruns, 5), warmup=2)
        self.row = results.get(BASELINE) or results.add(Row("pages", "hello-world rerun", samples, cpu_samples=cpu, note="st.write('hi')"))
        self.last: list[float] = []

    def once(self) -> None:
        t0 = time.perf_counter()
        self.hello.run()
        dt = time.perf_counter() - t0
        self.last.append(dt)
        self.row.samples.append(dt)

    def take(self) -> list[float]:
        out, self.last = self.last, []
        return out


def _time_reruns(at, n: int, paired: Paired) -> tuple[list[float], list[float], list[float], list[str]]:
    errors = exceptions(at)
    paired.take()
    samples, cpu, _ = timed_cpu(at.run, n, warmup=1, between=paired.once)
    return samples, cpu, paired.take(), errors or exceptions(at)


# --------------------------------------------------------------------------- a. pages
def run_pages(results: Results, *, reruns: int = 20, variants: bool = True, pages: Iterable[str] | None = None) -> None:
    """Warm rerun of every page (and of pages opened on a selection) against a hello-world page.

    Each page sample is preceded by one hello-world rerun, so the ratio compares the two under
    the same machine load (the machines are shared and noisy).
    """
    quiet_streamlit()
    paired = Paired(results, reruns)

    todo: list[tuple[str, str, dict[str, str]]] = [(f"{page_label(p)} ({p})", p, {}) for p in (pages or page_files())]
    if variants:
        wanted = set(pages) if pages else None
        todo += [(f"{page_label(v.page)} ?{v.label}", v.page, v.params) for v in deep_link_variants(_content())
                 if wanted is None or v.page in wanted]
    for name, page, params in todo:
        try:
            at = open_page(page, params)
            samples, cpu, base, errors = _time_reruns(at, reruns, paired)
            results.add(Row("pages", name, samples, cpu_samples=cpu, base_samples=base, baseline=BASELINE,
                            goal=ms_goal(PAGE_GOAL_MS), error="; ".join(errors)[:200] if errors else ""))
        except Exception as exc:  # a page briefly broken by a concurrent edit must not stop the run
            results.add(Row("pages", name, [], baseline=BASELINE, goal=ms_goal(PAGE_GOAL_MS), error=f"{type(exc).__name__}: {exc}"[:200]))


# --------------------------------------------------------------------------- b. self-assessment
ASSESS_PAGE = "pages/6_Self_Assessment.py"
MLTS_PAGE = "pages/7_ML_Test_Score.py"


def _button(at, label: str):
    for b in at.button:
        if b.label == label:
            return b
    raise LookupError(f"no button {label!r}; buttons: {[b.label for b in at.button]}")


def _cycle_answer(at, questions, n: int, form_keys: Callable[[object], str], values: Callable[[object], list],
                  paired: Paired | None = None) -> tuple[list[float], list[float]]:
    """Time ``n`` reruns, each after changing one radio (a different question each time)."""
    samples, cpu = [], []
    for i in range(n):
        q = questions[i % len(questions)]
        radio = at.radio(key=form_keys(q))
        opts = values(q)
        current = radio.value
        nxt = opts[(opts.index(current) + 1) % len(opts)] if current in opts else opts[1 % len(opts)]
        radio.set_value(nxt)
        if paired is not None:
            paired.once()
        c0, t0 = time.process_time(), time.perf_counter()
        at.run()
        samples.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return samples, cpu


def random_answers(assessment, rng: random.Random, fill: float = 1.0) -> dict[str, int]:
    return {q.id: rng.randrange(len(q.answers)) for q in assessment.questions if rng.random() < fill}


def run_assessment(results: Results, *, reruns: int = 20, pure_samples: int = 30) -> None:
    """Self-assessment: one answer (form), the results view, a new answer set; pure scoring and share codes."""
    quiet_streamlit()
    from explorer.assess import sharecode
    from explorer.assess.scoring import evaluate, ml_test_score

    paired = Paired(results, reruns)  # reuses the pages baseline row when the pages section ran

    content = _content()
    A, vendors = content.assessment, content.vendors
    mts = content.ml_test_score if content.ok("ml_test_score") else None
    qs = list(A.questions)
    key = lambda q: f"q_{q.id}"  # noqa: E731
    vals = lambda q: list(range(len(q.answers)))  # noqa: E731

    def guarded(name: str, goal, fn: Callable[[], tuple[tuple[list[float], list[float]], list[str]]], note: str = "") -> None:
        try:
            paired.take()
            (samples, cpu), errors = fn()
            results.add(Row("assessment", name, samples, cpu_samples=cpu, base_samples=paired.take(), baseline=BASELINE,
                            goal=goal, note=note, error="; ".join(errors)[:200] if errors else ""))
        except Exception as exc:
            results.add(Row("assessment", name, [], baseline=BASELINE, goal=goal, note=note, error=f"{type(exc).__name__}: {exc}"[:200]))

    def reruns_of(at):
        s, c, _ = timed_cpu(at.run, reruns, warmup=1, between=paired.once)
        return s, c

    # one answer before any result: the form holds the answers, nothing is evaluated
    def one_answer_empty():
        at = open_page(ASSESS_PAGE)
        _cycle_answer(at, qs, 3, key, vals)  # warm
        return _cycle_answer(at, qs, reruns, key, vals, paired), exceptions(at)

    guarded("what-if: one answer if the form reran the page (AppTest, no result yet)", None, one_answer_empty,
            note="a browser sends nothing per answer: see the Chromium row")

    rng = random.Random(1)

    def submitted_page():
        at = open_page(ASSESS_PAGE)
        for q, v in random_answers(A, rng).items():
            at.radio(key=f"q_{q}").set_value(v)
        _button(at, "Show my result").click()
        at.run()
        assert any(m.label == "You stand on" for m in at.metric), "submit did not show a result"
        return at

    def one_answer_with_results():
        at = submitted_page()
        # with a result on screen the questionnaire is drawn on request: open it first
        at.toggle(key="edit_answers").set_value(True).run()
        _cycle_answer(at, qs, 3, key, vals)
        return _cycle_answer(at, qs, reruns, key, vals, paired), exceptions(at)

    guarded("what-if: one answer if the form reran the page (AppTest, result shown below)", None, one_answer_with_results)

    def results_view():
        at = submitted_page()
        return reruns_of(at), exceptions(at)

    guarded("results view rerun (answers submitted)", ms_goal(RESULTS_GOAL_MS), results_view)

    def share_link():
        code = sharecode.encode(A, random_answers(A, random.Random(7)))
        at = open_page(ASSESS_PAGE, {sharecode.QUERY_PARAM: code})
        assert any(m.label == "You stand on" for m in at.metric), "the share link did not show its result"
        return reruns_of(at), exceptions(at)

    guarded("results view rerun (opened from a share link)", ms_goal(RESULTS_GOAL_MS), share_link)

    def new_answer_set():
        at = submitted_page()
        samples, cpu = [], []
        for i in range(max(3, reruns // 2)):
            at.toggle(key="edit_answers").set_value(True).run()
            for q, v in random_answers(A, random.Random(1000 + i)).items():
                at.radio(key=f"q_{q}").set_value(v)
            _button(at, "Show my result").click()
            paired.once()
            c0, t0 = time.process_time(), time.perf_counter()
            at.run()
            samples.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        return (samples, cpu), exceptions(at)

    guarded("submit a new answer set (results recomputed)", None, new_answer_set, note="cache miss per distinct set")

    if (ROOT / MLTS_PAGE).exists() and mts is not None:
        tests = [t for s in mts.sections for t in s.tests]

        def one_mark():
            at = open_page(MLTS_PAGE)
            tk = lambda t: f"t_{t.id}"  # noqa: E731
            tv = lambda t: [0.0, 0.5, 1.0]  # noqa: E731
            _cycle_answer(at, tests, 3, tk, tv)
            return _cycle_answer(at, tests, reruns, tk, tv, paired), exceptions(at)

        guarded("what-if: ML Test Score, one mark if the form reran the page (AppTest)", None, one_mark)

    # ---- pure functions (no Streamlit), against a JSON round trip of the same answer set
    sets = [random_answers(A, random.Random(i), fill=0.9) for i in range(64)]
    codes = [sharecode.encode(A, s) for s in sets]
    it = {"i": 0}

    def nxt() -> int:
        it["i"] = (it["i"] + 1) % len(sets)
        return it["i"]

    base_name = "baseline: json round trip of an answer set"
    samples, k = timed(lambda: json.loads(json.dumps(sets[nxt()])), pure_samples, min_sample=0.005)
    results.add(Row("assessment", base_name, samples, note=f"mean of {k} calls per sample"))
    base_key = f"assessment/{base_name}"
    for name, fn in (
        ("evaluate() (placement, blockers, scores, plan)", lambda: evaluate(A, vendors, sets[nxt()])),
        ("sharecode.encode()", lambda: sharecode.encode(A, sets[nxt()])),
        ("sharecode.decode()", lambda: sharecode.decode(codes[nxt()], A, mts)),
        ("sharecode.decode() of garbage", lambda: _decode_garbage(sharecode, A, mts, nxt())),
    ):
        samples, k = timed(fn, pure_samples, min_sample=0.005)
        results.add(Row("assessment", name, samples, baseline=base_key, note=f"mean of {k} calls per sample"))
    if mts is not None:
        marks = [{t.id: random.Random(i).choice([0.0, 0.5, 1.0]) for t in (x for s in mts.sections for x in s.tests)} for i in range(16)]
        samples, k = timed(lambda: ml_test_score(mts, marks[nxt() % 16]), pure_samples, min_sample=0.005)
        results.add(Row("assessment", "ml_test_score()", samples, baseline=base_key, note=f"mean of {k} calls per sample"))


_GARBAGE = ["v1.zz", "v9.0000.abcd", "", "x" * 900, "v1.01x.%%%", "v1.0123.aaaa", "v1..", "../../etc"]


def _decode_garbage(sharecode, A, mts, i: int) -> None:
    try:
        sharecode.decode(_GARBAGE[i % len(_GARBAGE)], A, mts)
    except sharecode.ShareCodeError:
        pass
