"""Rules for the test suite and the benchmarks themselves, checked from their source.

* A ``wait_for_function`` says how often it polls.  Playwright's default polls on every animation frame,
  which keeps the page drawing frames while the test waits: measured on this machine, waiting 3 s on the
  Glossary page cost its renderer 0.20 CPU-s that way against 0.02 CPU-s polling every 100 ms, and the
  suite is CPU-bound (both cores busy 94% of a browser-tier run).  Tests poll every 50 ms; a benchmark
  that times the page from outside may poll each frame, and says so (``polling="raf"``).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FILES = sorted([*ROOT.glob("tests/*.py"), *ROOT.glob("bench/*.py")])


def _waits_without_polling(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [node.lineno for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "wait_for_function" and not any(k.arg == "polling" for k in node.keywords)]


def test_every_wait_for_function_says_how_often_it_polls():
    found = {f"{p.parent.name}/{p.name}": lines for p in FILES if (lines := _waits_without_polling(p))}
    assert found == {}, f"wait_for_function without polling= (file: lines; see this module's docstring): {found}"


def test_the_rule_finds_a_wait_without_polling(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("page.wait_for_function('() => true')\npage.wait_for_function('() => 1', polling=50)\n")
    assert _waits_without_polling(sample) == [1]
