"""Formulas of the content's notes typeset ahead by the indexer's thread (issue #23 bench goal): the first render
finds them, uploads never enter the shared cache, the cache and each step are bounded.  Times: ``bench/`` ``math``."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest

from explorer.content.loader import load_content
from explorer.notes.indexer import Indexer
from explorer.notes.md import math_cache, math_tex
from explorer.notes.md.math_warm import MathWarmer, warm
from explorer.notes.note import parse_note
from explorer.notes.render import render_note

ROOT = Path(__file__).resolve().parent.parent
LECTURE = """# Bias and variance

The error at $x_0$ splits in three parts:

$$
E[(y_0 - \\hat{f}(x_0))^2] = \\underbrace{\\mathrm{Var}(\\hat{f}(x_0))}_{\\text{variance}} + \\sigma^2
$$

A step of gradient descent is $\\theta_{t+1} = \\theta_t - \\alpha \\nabla J$, and it costs $5 and $10 of compute.

```math
\\begin{pmatrix} a & b \\\\ c & d \\end{pmatrix}
```
"""
KEYS = [("x_0", False), ("\\theta_{t+1} = \\theta_t - \\alpha \\nabla J", False)]


@pytest.fixture(autouse=True)
def _empty_cache():
    math_cache.clear()
    yield
    math_cache.clear()


@pytest.fixture
def typeset_calls(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = math_tex.typeset

    def counting(tex: str, display: bool):
        calls.append(tex)
        return real(tex, display)

    monkeypatch.setattr(math_tex, "typeset", counting)
    return calls


def _content_with_lecture(tmp_path: Path):
    root = tmp_path / "content"
    shutil.copytree(ROOT / "content", root)
    (root / "notes" / "lecture").mkdir()
    (root / "notes" / "lecture" / "bias.md").write_text(LECTURE, encoding="utf-8")
    return load_content(root, parse_all=False)


def test_the_indexer_typesets_a_content_notes_formulas_and_the_first_render_typesets_none(tmp_path, typeset_calls):
    content = _content_with_lecture(tmp_path)
    note = next(n for n in content.notes if n.path == "lecture/bias.md")
    cold = render_note(parse_note(LECTURE, "cold.md"))  # what a render typesetting itself shows
    assert cold.count("<math") == 4 and "$5 and $10" in cold
    typeset_calls.clear()
    ix = Indexer()
    ix.follow(content)
    ix.catch_up()  # the first reader indexes the small content itself: no formula is typeset in its run
    assert typeset_calls == [] and math_cache.held()[0] == 0 and ix.math.pending() >= 1
    while ix.math.step():  # the thread's steps
        pass
    assert len(typeset_calls) == 4 and all(math_cache.has(k) for k in KEYS)
    typeset_calls.clear()
    first = render_note(note)
    assert typeset_calls == [] and first.count("<math") == 4
    assert _formulas(first) == _formulas(cold)  # the same MathML as a render that typesets them itself


def _formulas(html: str) -> list[str]:
    return re.findall(r"<math.*?</math>", html, re.DOTALL)


def test_an_uploads_formulas_never_enter_the_shared_cache(typeset_calls):
    html = render_note(parse_note(LECTURE, "upload.md"))
    assert html.count("<math") == 4 and len(typeset_calls) == 4
    assert math_cache.held() == (0, 0) and not any(math_cache.has(k) for k in KEYS)


def test_an_upload_reads_a_formula_the_content_already_has(typeset_calls):
    warm("Only $x_0$ here.\n")
    typeset_calls.clear()
    html = render_note(parse_note("Again $x_0$ and $y_1$.\n", "upload.md"))
    assert typeset_calls == ["y_1"] and html.count("<math") == 2


def test_a_formula_that_cannot_be_typeset_is_kept_with_its_reason(typeset_calls):
    warm("Bad $\\frac{a}$ here.\n")
    assert math_cache.get(("\\frac{a}", False)).error
    typeset_calls.clear()
    html = render_note(parse_note("Bad $\\frac{a}$ here.\n", "n.md"))
    assert typeset_calls == [] and "Formula not typeset: a fraction, root or script is missing an argument" in html


def test_one_step_typesets_within_one_views_budget():
    many = "\n\n".join(f"Step {i}: $x^{{{i}}} + y^{{{i}}}$ here." for i in range(3000))
    assert warm(many) <= math_tex.MAX_VIEW_FORMULAS
    assert math_cache.held()[0] <= math_tex.MAX_VIEW_FORMULAS


def test_the_cache_is_bounded_and_drops_the_least_recently_used(monkeypatch):
    monkeypatch.setattr(math_cache, "MAX_ENTRIES", 3)
    done = math_tex.typeset("x", False)
    for tex in ("a", "b", "c"):
        math_cache.put((tex, False), done)
    assert math_cache.get(("a", False)) is done  # "a" used: "b" is now the oldest
    math_cache.put(("d", False), done)
    assert [math_cache.has((t, False)) for t in "abcd"] == [True, False, True, True]
    monkeypatch.setattr(math_cache, "MAX_CHARS", 2 * len(done.html) + 10)
    math_cache.put(("e", False), done)
    assert math_cache.held()[0] <= 2 and math_cache.held()[1] <= math_cache.MAX_CHARS


def test_the_warmer_skips_notes_without_math_and_its_queue_is_bounded(monkeypatch):
    w = MathWarmer()
    w.add("# Plain\n\nNo formulas.\n")
    assert w.pending() == 0 and not w.step()
    monkeypatch.setattr("explorer.notes.md.math_warm.MAX_QUEUE", 2)
    for i in range(5):
        w.add(f"${i}x$\n")
    assert w.pending() == 2
    assert w.step() and w.step() and not w.step()


def test_the_indexers_thread_typesets_them_in_the_background(tmp_path):
    content = _content_with_lecture(tmp_path)
    ix = Indexer()
    ix.follow(content)
    ix.catch_up()
    assert not any(math_cache.has(k) for k in KEYS)
    ix.start()
    for _ in range(200):  # the thread's first steps (it sleeps between them at its duty cycle); waits at most 20 s
        if all(math_cache.has(k) for k in KEYS):
            break
        time.sleep(0.1)
    assert all(math_cache.has(k) for k in KEYS) and ix.math.pending() == 0
