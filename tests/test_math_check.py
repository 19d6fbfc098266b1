"""``python -m explorer validate`` names every formula that cannot be typeset: file, line and reason (issue #23)."""

from __future__ import annotations

import shutil
from pathlib import Path

from explorer.cli import main
from explorer.content.loader import load_content
from explorer.notes.md.math_check import math_problems
from explorer.notes.note import parse_note

ROOT = Path(__file__).resolve().parent.parent
NOTE = """---
title: Broken formulas
---
# Broken formulas

Fine: $x_0$ and $\\frac{1}{n}$, a price of $5 and $10.
A fraction short of an argument $\\frac{a}$
on the second line of a paragraph.

$$
\\begin{pmatrix} a & b \\end{pmatrix} + \\foo
$$

- an item with $a & b$ outside a table

```math
\\def\\a{\\a}\\a
```
"""


def test_each_formula_that_cannot_be_typeset_is_named_with_its_line_and_reason():
    found = list(math_problems([parse_note(NOTE, "week1/broken.md")]))
    assert [(path, line) for path, line, _ in found] == [("week1/broken.md", 7), ("week1/broken.md", 10),
                                                         ("week1/broken.md", 14), ("week1/broken.md", 16)]
    messages = [m for _, _, m in found]
    assert messages[0] == "formula $\\frac{a}$ is shown as TeX: a fraction, root or script is missing an argument"
    assert messages[1].startswith("formula $$\\begin{pmatrix} a & b \\end{pmatrix} + \\foo$$ is shown as TeX: unknown command")
    assert "'&' outside a table" in messages[2]
    assert "expand" in messages[3] or "macro" in messages[3]


def test_notes_without_math_are_not_parsed_for_it():
    class Plain:
        text = "# No formulas\n\nJust words.\n"
        path = "plain.md"

        def document(self):
            raise AssertionError("parsed")

    assert list(math_problems([Plain()])) == []


def test_validate_lists_them_as_warnings(tmp_path, capsys):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "notes" / "week1").mkdir()
    (content / "notes" / "week1" / "broken.md").write_text(NOTE, encoding="utf-8")
    warnings = [str(p) for p in load_content(content).warnings]
    assert any("notes/week1/broken.md" in w and ":7" in w and "missing an argument" in w for w in warnings), warnings
    assert main(["validate", str(content)]) == 0  # warnings: the notes are still shown
    out = capsys.readouterr().out
    assert "warning: notes/week1/broken.md:10: formula" in out and "unknown command \\foo" in out
    assert main(["validate", "--strict", str(content)]) == 1
