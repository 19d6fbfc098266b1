"""Math in notes (issue 23): what counts as math (GitHub's rules), typesetting to MathML, notices, budgets,
the sanitiser's MathML allow-list and the mutation-XSS shapes, the slots the app draws them in."""

from __future__ import annotations

import html
import re

import pytest

from explorer.notes.md.document import parse_document
from explorer.notes.md.math_offline import typeset_math
from explorer.notes.md.math_slots import math_slots
from explorer.notes.md.math_tex import MAX_DEPTH, MAX_VIEW_FORMULAS, Budget, check_tex, typeset
from explorer.notes.md.sanitize import sanitize
from explorer.notes.note import parse_note
from explorer.notes.render import render_note


def formulas(text: str) -> list[tuple[str, str]]:
    """(kind, TeX) of every formula the parse finds, in order."""
    out = []
    for tok in parse_document(text).tokens:
        if tok.type == "math_block":
            out.append(("block", tok.content.strip()))
        for child in tok.children or ():
            if child.type in ("math_inline", "math_inline_double"):
                out.append(("inline" if child.type == "math_inline" else "display", child.content))
    return out


def rendered(text: str) -> str:
    return render_note(parse_note(text, "m.md"))


def elements(fragment: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element an HTML parser finds in ``fragment``: (tag, attributes)."""
    from html.parser import HTMLParser

    found: list = []

    class _Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    _Collect().feed(fragment)
    return found


def visible_text(fragment: str) -> str:
    """Roughly what a reader sees: tags and TeX annotations removed, entities decoded."""
    fragment = re.sub(r"<annotation\b.*?</annotation>", "", fragment, flags=re.DOTALL)
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


# --------------------------------------------------------------------------- what counts as math
@pytest.mark.parametrize(("text", "expected"), [
    ("Inline $x_0$ here.", [("inline", "x_0")]),
    ("$x=y$! and ($x=y$) and foo$y$, bar.", [("inline", "x=y"), ("inline", "x=y"), ("inline", "y")]),
    ("A formula over lines $a +\nb$ is one.", [("inline", "a +\nb")]),
    ("Braces hold dollars: $\\text{a $b$ c}$.", [("inline", "\\text{a $b$ c}")]),
    ("An escaped dollar inside: $x = \\$5$.", [("inline", "x = \\$5")]),
    ("GitHub's backtick form $`a_b * c`$.", [("inline", "a_b * c")]),
    ("Display in a paragraph $$\\sum_i x_i$$ too.", [("display", "\\sum_i x_i")]),
    ("$$\nE = mc^2\n$$", [("block", "E = mc^2")]),
    ("$$E = mc^2$$", [("block", "E = mc^2")]),
    ("- item\n\n  $$\n  a_1\n  $$", [("block", "a_1")]),
    ("```math\n\\frac{a}{b}\n```", [("block", "\\frac{a}{b}")]),
    ("A price: $5 and $10, or $15 or $30.", []),
    ("It costs $5, and $x$ is math.", [("inline", "x")]),
    ("Shell: $HOME, echo $VAR and $OTHER, PATH=$PATH:$HOME/bin.", []),
    ("A literal \\$20 and \\$x\\$.", []),
    ("Spaces inside the dollars: $ x$, $x $.", []),
    ("Not balanced: $}{$.", []),
    ("Code keeps dollars: `$x_0$` and `echo $HOME`.", []),
    ("```bash\necho \"$HOME\" $x$\n```", []),
    ("    indented $x$ code", []),
    ("$$\nnot\n\nmath\n$$", []),
    ("A lone $ sign and one at the end$", []),
])
def test_what_counts_as_math(text, expected):
    assert formulas(text) == expected


def test_the_leftmost_of_a_code_span_and_a_formula_wins():
    assert formulas("$a `b$ c`") == [("inline", "a `b")]
    assert formulas("`c $d` e$") == []


# --------------------------------------------------------------------------- nothing inside is Markdown
def test_markdown_never_touches_the_inside_of_a_formula():
    out = rendered("_emphasis_ and $a_1 * b_2 * c_3$ and $\\{x\\}$ and $a<b>c$ and $[x](y)$ _end_\n")
    assert out.count("<em>") == 2  # the two outside the formulas
    for tex in ("a_1 * b_2 * c_3", "\\{x\\}", "a&lt;b&gt;c", "[x](y)"):
        assert f'<annotation encoding="application/x-tex">{tex}</annotation>' in out
    assert "<a " not in out


FORMULAS = ("$x_0$ $\\frac{a}{b}$ $\\hat{y}$ $\\sum_{i=1}^n \\int_0^1 \\alpha$\n\n"
            "$$\\underbrace{a+b}_{n}$$\n\n"
            "$$\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix} \\begin{bmatrix}a\\\\b\\end{bmatrix}$$\n\n"
            "$$\n\\begin{aligned}a&=b\\\\c&=d\\end{aligned}\n$$\n")


def test_the_apps_render_holds_each_formulas_tex_and_typesets_nothing(monkeypatch):
    from explorer.notes.md import math_tex

    def no_typesetting(*_a, **_k):
        raise AssertionError("the app's render typeset a formula on the server")

    monkeypatch.setattr(math_tex, "typeset", no_typesetting)
    out = rendered(FORMULAS)
    tex = re.findall(r'<math display="(inline|block)"><semantics><annotation encoding="application/x-tex">([^<]*)'
                     r"</annotation></semantics></math>", out)
    assert [d for d, _ in tex] == ["inline"] * 4 + ["block"] * 3
    assert html.unescape(tex[0][1]) == "x_0" and html.unescape(tex[-1][1]) == "\\begin{aligned}a&=b\\\\c&=d\\end{aligned}"
    assert "<msub>" not in out and "math-notice" not in out


def test_formulas_are_typeset_to_mathml():
    out = typeset_math(rendered(FORMULAS))  # the study pack's path (the app's browser typesets them with Temml)
    for tag in ("<msub>", "<mfrac>", '<mover accent="true">', "<msubsup>", "<munder>", "<mtable",
                '<mtd columnalign="right">', "α", "∑", "∫"):
        assert tag in out, tag
    assert out.count('<math display="inline">') == 4 and out.count('<math display="block">') == 3
    assert "$" not in visible_text(out)
    assert "(1)" not in out  # align is not numbered (as on GitHub)


def test_overline_and_underline_are_rules_the_width_of_their_base():
    out = typeset("\\overline{a+b} \\underline{x+y} \\bar{x}", display=False).html
    assert '<mrow class="math-overline"><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow></mrow>' in out
    assert '<mrow class="math-underline">' in out and "<mover>" in out  # \\bar{x} stays an accent
    assert sanitize(out) == out


def test_formulas_are_in_the_notes_text_as_tex():
    note = parse_note("Intro with $\\hat{f}(x_0)$.\n\n$$\nE = mc^2\n$$\n\n# One\n\nText.\n", "m.md")
    assert note.intro_text == "Intro with \\hat{f}(x_0). E = mc^2"


def test_a_line_break_outside_a_table_becomes_rows():
    out = typeset("a = b \\\\ c = d", display=True).html
    assert out.count("<mtr>") == 2 and "linebreak" not in out


# --------------------------------------------------------------------------- what cannot be typeset
@pytest.mark.parametrize(("tex", "reason"), [
    ("\\foo{x}", "unknown command \\foo"),
    ("\\frac{a}", "missing an argument"),
    ("x^2^3", "double superscripts"),
    ("\\mathrm{a&b}", "outside a table"),
    ("\\frac{a", "unbalanced"),
    ("\\left( x", "unbalanced"),
    ("\\def\\a{\\a}\\a", "never stops expanding"),
    ("\\newcommand{\\a}{\\a}\\a", "never stops expanding"),
    ("{" * (MAX_DEPTH + 1) + "x" + "}" * (MAX_DEPTH + 1), "nested too deeply"),
    ("{" * 10_000 + "x" + "}" * 10_000, "too long"),
    ("\\begin{pmatrix}" + "\\\\".join(["&".join(["1"] * 200)] * 200) + "\\end{pmatrix}", "too long"),
])
def test_tex_that_cannot_be_typeset_says_why(tex, reason):
    done = typeset(tex, display=True)
    assert done.html is None and reason in done.error


def test_a_formula_the_server_refuses_shows_its_source_with_a_notice_in_the_app():
    out = rendered("Before $\\left( x$ middle $x_1$.\n\nAfter.\n")
    assert '<code class="math-source">$\\left( x$</code>' in out
    assert "Formula not typeset: unbalanced braces" in out and out.count('class="math-notice"') == 1
    assert 'encoding="application/x-tex">x_1</annotation>' in out and "After" in out


def test_a_failed_formula_shows_its_source_with_a_notice_and_the_rest_of_the_note():
    out = typeset_math(rendered("Before $\\foo$ middle $x_1$.\n\n$$\n\\frac{a}\n$$\n\nAfter <b>$<i>$</b>.\n"))
    assert '<code class="math-source">$\\foo$</code>' in out
    assert out.count('class="math-notice"') == 2
    assert "Formula not typeset: unknown command \\foo." in out
    assert "<msub>" in out and "After" in out


@pytest.mark.parametrize("where", ["app", "pack"])
def test_text_in_a_formula_is_escaped(where):
    typeset_or_not = typeset_math if where == "pack" else (lambda body: body)
    out = typeset_or_not(rendered("$\\text{<img src=x onerror=alert(1)>} \\href{javascript:alert(1)}{x} \\style{color:red}{y}$\n"))
    assert "<img" not in out and "javascript:" not in out.split("<annotation")[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in out
    assert " href=" not in out and " style=" not in out


# --------------------------------------------------------------------------- budgets
def test_a_note_of_5000_formulas_typesets_within_the_budget_and_says_so_once():
    text = "\n\n".join(f"Step {i}: $x^{{{i}}} + y^{{{i}}}$ here." for i in range(5000))  # no "_": the parse budget counts them
    out = rendered(text)
    drawn = out.count("<math ")
    assert 0 < drawn <= MAX_VIEW_FORMULAS
    assert out.count('<code class="math-source">') == 5000 - drawn
    assert out.count("more math than is typeset at once") == 1


def test_a_formula_refused_for_its_length_costs_the_view_nothing_and_shows_its_start():
    matrix = "\\\\".join([" & ".join(["1"] * 100)] * 100)  # 200x200 would be over the parse budget (its "&"s)
    out = rendered(f"$$\n\\begin{{pmatrix}}{matrix}\\end{{pmatrix}}\n$$\n\nThen $x_1$ and $y_2$.\n")
    assert "too long to typeset here (39,926 characters" in out and "more characters)$$</code>" in out
    assert len(out) < 5000 and out.count("application/x-tex") == 2


def test_the_budget_counts_characters_and_formulas():
    b = Budget(chars=10, formulas=2, cpu_s=60)
    assert b.take(4) and b.take(4) and not b.take(1) and b.exhausted
    b = Budget(chars=10, formulas=5, cpu_s=60)
    assert b.take(6) and not b.take(6) and not b.take(1)


def test_a_paragraph_of_openers_is_parsed_without_formulas():
    text = "${" * 2000 + "\n\n" + "$a\\$" * 2000 + "\n\n" + "$\\{ a" * 2000 + "\n\nlast $x$\n"
    found = formulas(text)
    assert found[-1] == ("inline", "x")


def test_check_tex_accepts_balanced_escaped_braces():
    check_tex("\\{ \\left( a \\right) \\} \\begin{matrix}a\\end{matrix}")


# --------------------------------------------------------------------------- sanitiser
def test_typeset_mathml_passes_the_sanitiser_unchanged():
    for tex in ("x_0", "\\frac{a}{b}", "\\underbrace{a}_{b}", "\\begin{bmatrix}1&2\\end{bmatrix}", "\\color{red}{x}",
                "\\begin{aligned}a&=b\\\\c&=d\\end{aligned}", "\\sqrt[3]{x} \\quad \\binom{n}{k}"):
        mathml = typeset(tex, display=True).html
        assert sanitize(mathml) == mathml, tex


def test_hand_written_mathml_gets_the_same_allow_list():
    out = rendered('<math display="block" onclick="alert(1)"><mi href="javascript:alert(1)" style="color:red" '
                   'id="x">a</mi><maction actiontype="toggle"><mi>b</mi></maction><mglyph src="x"/>'
                   '<annotation encoding="text/html">t</annotation></math>\n\nrest\n')
    assert "<math display=\"block\"><mi>a</mi>" in out
    for gone in ("onclick", "href", "style", "maction", "mglyph", 'id="x"', "text/html"):
        assert gone not in out, gone
    assert "<p>rest</p>" in out


@pytest.mark.parametrize("shape", [
    "<math><mglyph><style><img src=x onerror=alert(1)>",
    "<math><mi><mglyph><style><img src=x onerror=alert(1)></style></mglyph></mi></math>",
    '<math><annotation-xml encoding="text/html"><style><img src=x onerror=alert(1)></style></annotation-xml></math>',
    '<svg></p><style><a id="</style><img src=1 onerror=alert(1)>"></svg>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
])
@pytest.mark.parametrize("where", ["block", "inline"])
def test_mutation_xss_shapes_stay_inert_and_keep_the_rest_of_the_note(shape, where):
    text = f"{shape}\n\nthe rest of the note\n" if where == "block" else f"A {shape} B\n\nthe rest of the note\n"
    out = rendered(text)
    slotted = math_slots(out)
    inner = [v for _, attrs in elements(slotted) for k, v in attrs if k == "data-mathml"]
    for body in (out, slotted, *inner):
        tags = elements(body)
        assert not [t for t, attrs in tags if t in ("style", "script", "annotation-xml", "mglyph", "svg")]
        assert not [a for _, attrs in tags for a, _v in attrs if a.startswith("on")]
        assert all(dict(attrs).get("src") in (None, "") for t, attrs in tags if t == "img")
    assert "<p>the rest of the note</p>" in out


# --------------------------------------------------------------------------- slots (the app) and the study pack
def test_math_slots_carry_the_tex_for_the_browser_to_typeset():
    out = rendered('A $x_0 < "y"$ and $$\\frac{a}{b}$$.\n')
    slotted = math_slots(out)
    assert "<math" not in slotted and "data-mathml" not in slotted
    slots = re.findall(r'<span class="math-slot"( data-display="block")? data-tex="([^"]*)">([^<]*)</span>', slotted)
    assert [(bool(b), html.unescape(a), html.unescape(t)) for b, a, t in slots] == [
        (False, 'x_0 < "y"', 'x_0 < "y"'), (True, "\\frac{a}{b}", "\\frac{a}{b}")]
    assert math_slots("<p>no math</p>") == "<p>no math</p>"


def test_hand_written_mathml_goes_to_the_browser_as_mathml():
    slotted = math_slots(rendered("Inline <math><msub><mi>x</mi><mn>0</mn></msub></math> here.\n"))
    found = [v for _, attrs in elements(slotted) for k, v in attrs if k == "data-mathml"]
    assert found == ["<math><msub><mi>x</mi><mn>0</mn></msub></math>"] and "data-tex" not in slotted


def test_nested_math_elements_make_one_slot():
    body = sanitize("<p>a <math><mrow><math><mi>x</mi></math></mrow></math> b</p>")
    assert math_slots(body).count('class="math-slot"') == 1


def test_the_study_packs_typesetting_keeps_to_one_views_budget_and_says_so_once():
    text = "\n\n".join(f"Step {i}: $x^{{{i}}} + y^{{{i}}}$ here." for i in range(800))  # under the view's 1,000
    out = typeset_math(rendered(text), Budget(chars=100_000, formulas=500, cpu_s=60))
    assert out.count("<msup>") == 2 * 500 and out.count('<code class="math-source">') == 300
    assert out.count("more math than is typeset at once") == 1 and "<semantics><annotation" not in out  # no TeX-only left


def test_the_study_pack_keeps_the_mathml():
    from explorer.notes.export import build_study_pack

    note = parse_note("# M\n\nA formula $x_0$.\n", "m.md")
    pack = build_study_pack(None, [note])
    assert "<msub><mi>x</mi><mn>0</mn></msub>" in pack


def test_the_vendored_temml_is_the_named_release_with_its_licence_and_no_trust():
    from pathlib import Path

    here = Path(__file__).resolve().parent.parent / "components" / "note_math"
    from components.note_math import TEMML_VERSION

    assert f'version:"{TEMML_VERSION}"' in (here / "temml.min.js").read_text(encoding="utf-8")
    licence = (here / "TEMML-LICENSE").read_text(encoding="utf-8")
    assert "The MIT License" in licence and "Ron Kok" in licence
    script = (here / "math.js").read_text(encoding="utf-8")
    assert "trust: false" in script and "maxExpand: 1000" in script
