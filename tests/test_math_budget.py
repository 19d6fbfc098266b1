"""The parse budget and math (issue #23): what sits inside formulas is not counted as markup, so a math-heavy note
is laid out; a note that only looks like math gains nothing, and the math budget still bounds the typesetting."""

from __future__ import annotations

import pytest

from explorer.notes.md.document import parse_document
from explorer.notes.md.math_scan import find
from explorer.notes.md.parse_budget import BUDGET, estimate
from explorer.notes.note import parse_note
from explorer.notes.render import render_note

NOTICE = "Shown as plain text"


def _rep(unit: str, size: int = 200_000) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def lecture_note(sections: int = 25, size: int = 14) -> str:
    """A math lecture in our own words: ~300 formulas, matrices, align blocks, cases, a price and shell text."""
    out = ["---\ntitle: Linear models, a lecture\n---\n# Linear models\n"]
    for s in range(sections):
        rows = " \\\\\n".join(" & ".join(f"x_{{{r},{c}}}" for c in range(size)) for r in range(size))
        out += [
            f"## Part {s + 1}\n",
            f"We fit $y_i = \\beta_0 + \\beta_1 x_{{i,{s}}} + \\varepsilon_i$ for each sample $i$, with noise "
            f"$\\varepsilon_i \\sim \\mathcal{{N}}(0, \\sigma^2)$. The loss is $L(\\beta) = \\frac{{1}}{{n}}"
            f"\\sum_{{i=1}}^{{n}} (y_i - \\hat{{y}}_i)^2$ and its gradient $\\nabla_\\beta L = -\\frac{{2}}{{n}} "
            f"X^\\top (y - X\\beta)$. A cloud run costs $5 and $10 per hour; `echo $HOME` prints a path.\n",
            "$$\n\\begin{aligned}\n\\hat{\\beta} &= (X^\\top X)^{-1} X^\\top y \\\\\n"
            f"\\mathrm{{Var}}(\\hat{{\\beta}}) &= \\sigma^2 (X^\\top X)^{{-1}} \\quad ({s})\n\\end{{aligned}}\n$$\n",
            f"The design matrix of part {s + 1}:\n\n$$\nX = \\begin{{pmatrix}}\n{rows}\n\\end{{pmatrix}}\n$$\n",
            "```math\nf(x) = \\begin{cases} x_1 & x_1 > 0 \\\\ 0 & \\text{otherwise} \\end{cases}\n```\n",
            f"- the bias $b_{{{s}}}$ and the weights $w_{{{s},j}}$ for $j = 1, \\dots, p$;\n"
            f"- the error $E[(y_0 - \\hat{{f}}(x_0))^2] = \\underbrace{{\\mathrm{{Var}}(\\hat{{f}})}}_{{\\text{{variance}}}}"
            f" + \\mathrm{{Bias}}^2 + \\sigma^2$.\n",
        ]
    return "\n".join(out)


def test_a_math_lecture_renders_in_full():
    text = lecture_note()
    assert len(text) > 60_000 and text.count("$") // 2 >= 300
    html = render_note(parse_note(text, "lecture.md"))
    assert NOTICE not in html and "math-notice" not in html
    assert html.count("<math") == 300  # every formula typeset (the prices and $HOME are text)
    assert "$5 and $10" in html and "<code>echo $HOME</code>" in html
    assert "<em>" not in html and html.count("<h2") == 25


MATH_HEAVY = {
    "a 200x200 matrix": "# A big matrix\n\nIt is written out in full.\n\n$$\n\\begin{pmatrix}\n"
                        + "\\\\\n".join(" & ".join(f"a_{{{i}{j}}}" for j in range(200)) for i in range(200))
                        + "\n\\end{pmatrix}\n$$\n\nAnd the text after it.\n",
    "the same in a math fence": "# A big matrix\n\n```math\n"
                                + "\\\\\n".join(" & ".join(["a_{ij}^*"] * 200) for _ in range(200)) + "\n```\n\nAfter.\n",
    "4,000 formulas of subscripts": "# Indices\n\n" + "\n\n".join(
        " ".join(f"$\\hat{{y}}_{{{i}}} = w_1 x_{{{i},1}} + w_2 x_{{{i},2}}$ and" for i in range(j, j + 10)) + " more."
        for j in range(0, 4_000, 10)),
}


@pytest.mark.parametrize("name", sorted(MATH_HEAVY))
def test_a_math_heavy_note_is_laid_out_and_its_typesetting_stays_bounded(name):
    text = MATH_HEAVY[name]
    assert estimate(text, math=False).over and not estimate(text).over
    doc = parse_document(text)
    assert doc.budget is None and any(t.type == "math_block" or t.type == "inline" for t in doc.tokens)
    html = render_note(parse_note(text, "heavy.md"))
    assert NOTICE not in html and "<em>" not in html
    assert "<p>It is written out in full.</p>" in html or "<p>After.</p>" in html or "more.</p>" in html
    if "subscripts" in name:  # the view's math budget: a thousand typeset at most, then the rest as TeX, said once
        assert 0 < html.count("<math") <= 1000 and html.count("math-notice") == 1
    else:  # too long to typeset: its start as TeX with the reason
        assert "too long to typeset here" in html


def test_a_price_next_to_the_formulas_still_counts_as_text():
    formulas = MATH_HEAVY["4,000 formulas of subscripts"]
    text = formulas.replace("more.", "more, at $5 and $10.")
    assert estimate(text, math=False).cost > estimate(formulas, math=False).cost
    assert estimate(text).counts["emphasis"] == estimate(text, math=False).counts["emphasis"]  # no paragraph is sure
    assert not estimate(formulas.replace("more.", "more, at \\$5 and $ 10.")).over  # an escaped or spaced $ is sure
    assert find("A run costs $5 and $10.").formulas == 0


HOSTILE = {  # 200 kB that look like math but are read as Markdown: none may be discounted
    "a link destination takes the opener": _rep("[x](/$)" + "_a" * 80 + "$ "),
    "an autolink takes the opener": _rep("http://a.b/$a " + "_b" * 80 + "$ "),
    "a tag takes the opener": _rep('<span title="$">' + "_b" * 80 + "$ "),
    "a code span takes the opener": _rep("`$` " + "_b" * 80 + "$ "),
    "a comment takes the opener": _rep("%%a $%% " + "_b" * 80 + "$ "),
    "a wikilink takes the opener": _rep("[[a$]] " + "_b" * 80 + "$ "),
    "formulas across table cells": "| a | b |\n|---|---|\n" + _rep("| $a | b_c_d_e_f_g$ |\n"),
    "openers that exhaust the look-ahead": "${" * 3_000 + _rep(" $a_b_c_d_e_f$"),
    "a display block inside a fence that closes in it": _rep("```\n\n$$\n```\n" + "_a_ " * 200 + "\n$$\n\n"),
    "a display block after a comment that closes in it": _rep("<!--\n\n$$\n-->\n" + "_a_ " * 200 + "\n$$\n\n"),
    "a display block read as a table": _rep("\n\n$$\n|---|\n| " + "_a_ " * 200 + "|\n$$\n"),
    "a display block in a list item": _rep("- a\n\n  $$\n" + "_a_ " * 200 + "\n$$\n\n"),
    "a math fence inside an HTML block": _rep("\n\n<div>\n```math\n</div>\n\n" + "_a_ " * 200 + "\n```\n\n"),
    "a display block with a blank line": _rep("\n\n$$\na\n\n" + "_a_ " * 200 + "\n$$\n"),
    "an unclosed formula": "$" + _rep("a_b "),
    "escaped dollars": _rep("\\$a_b_c_d_e_f_g$ "),
    "$$ inside a paragraph": _rep("a $$b_c_d_e_f$$ "),
}


@pytest.mark.parametrize("shape", sorted(HOSTILE))
def test_text_that_only_looks_like_math_gains_nothing(shape):
    text = HOSTILE[shape]
    est = estimate(text)
    assert est.over, (shape, est.counts, est.cost)
    assert est.counts["emphasis"] == estimate(text, math=False).counts["emphasis"], shape


def test_what_the_scan_is_sure_of():
    assert find("Cost $x_1$ and $\\{a\\}$.").inline == "x_1\0\\{a\\}"
    assert find("$x_{1$ y}$").formulas == 0  # braces hold the first $: not paired as the engine pairs it
    assert find("$a$b").formulas == 0  # a closer before a letter closes nothing
    assert find("$ a$").formulas == 0 and find("$a $").formulas == 0
    assert find("\n\n$$\na_b\n$$\n").blocks == "$$\na_b\n$$"
    assert find("text\n$$\na_b\n$$\n").formulas == 0  # inside a paragraph (the inline rule's look-ahead applies)
    assert find("\n\n```math\na_b\n```\n").blocks == "```math\na_b\n```"
    assert find("\n\n```math\na_b\n~~~\n```\n").formulas == 0


def test_the_estimate_is_unchanged_under_the_budget():
    text = "Some $x_1$ and *emphasis*.\n"
    assert estimate(text).counts == estimate(text, math=False).counts and estimate(text).cost < BUDGET
