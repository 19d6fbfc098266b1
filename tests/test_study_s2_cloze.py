"""Cloze cards written in notes (``{{c1::answer}}``, ``{{c1::answer::hint}}``): the reader, the cards, Anki."""

from __future__ import annotations

import time

import pytest

from explorer.notes.md import cloze as cz
from explorer.notes.md.engine import parser
from explorer.notes.note import parse_note
from explorer.notes.render import render_note
from explorer.study.cards import anki_tsv, note_cards
from explorer.study.cloze import anki_cloze_tsv


def _cards(text: str) -> list:
    return note_cards([parse_note(text, "n.md")])


def _render(text: str) -> tuple[str, list]:
    env: dict = {}
    return parser().render(text, env), [c for c in env.get("cards", ()) if c.kind == "cloze"]


def test_two_numbers_make_two_cards_each_with_its_gap():
    cards = _cards("The capital of {{c1::France}} is {{c2::Paris::a city}}.\n")
    assert [(c.front, c.back) for c in cards] == [
        ("The capital of [...] is Paris.", "The capital of [France] is Paris."),
        ("The capital of France is [a city].", "The capital of France is [Paris]."),
    ]
    assert len({c.id for c in cards}) == 2 and all(c.category == "notes" for c in cards)


def test_the_same_number_twice_is_one_card_with_two_gaps():
    cards = _cards("{{c1::Kaizen}} means {{c1::continuous}} improvement.\n")
    assert [(c.front, c.back) for c in cards] == [("[...] means [...] improvement.",
                                                    "[Kaizen] means [continuous] improvement.")]


def test_the_reader_shows_the_answer_with_a_titled_mark_that_survives_sanitising():
    note = parse_note("# T\n\nThe capital of {{c1::France}} is here.\n", "n.md")
    html = render_note(note)
    assert '<span class="cloze" title="cloze c1">France</span>' in html
    assert "{{" not in html and "c1::" not in html


def test_nested_braces_stay_in_the_answer():
    html, cards = _render("Define {{c1::f(x)={x}}} here.")
    assert '<span class="cloze" title="cloze c1">f(x)={x}</span> here.' in html
    assert cards[0].back == "Define [f(x)={x}] here."


def test_no_cloze_in_code_spans_or_fenced_code():
    html, cards = _render("Write `{{c1::x}}` in Anki.\n\n```\n{{c1::y}}\n```\n")
    assert cards == [] and "<code>{{c1::x}}</code>" in html and "{{c1::y}}" in html


def test_double_braces_inside_a_formula_do_not_end_the_cloze():
    html, cards = _render("Half: {{c1::$\\frac{a}{b}}}$}} done.")
    assert cards[0].front == "Half: [...] done." and cards[0].back == "Half: [$\\frac{a}{b}}}$] done."
    _, cards = _render("Root: {{c1::$\\frac{1}{\\sqrt{x}}$}}.")
    assert cards[0].back == "Root: [$\\frac{1}{\\sqrt{x}}$]."
    _, cards = _render("Costs {{c1::$5}} or {{c2::$10}}.")  # dollars that are no formula
    assert [c.back for c in cards] == ["Costs [$5] or $10.", "Costs $5 or [$10]."]


@pytest.mark.parametrize("text", ["An unclosed {{c1::answer here.", "{{c0::zero}}", "{{c-1::minus}}",
                                  "{{c1000::big}}", "{{c01::lead}}", "{{c99999999999999999999::huge}}",
                                  "\\{{c1::escaped}}", "{{c1::}}", "{{c1::   }}", "{{ c1::space}}"])
def test_what_is_not_a_cloze_stays_text(text):
    html, cards = _render(text)
    assert cards == [] and 'class="cloze"' not in html
    assert text.lstrip("\\")[:6] in html  # shown as written


def test_numbers_up_to_the_limit_and_a_cloze_inside_a_cloze_stays_text():
    _, cards = _render("{{c999::top}}")
    assert [c.number for c in cards] == [999]
    html, cards = _render("{{c1::a {{c2::b}} c}}")
    assert [(c.number, c.back) for c in cards] == [(1, "[a {{c2::b}} c]")]


def test_existing_card_syntaxes_still_work_next_to_clozes_in_reading_order():
    cards = _cards("Term :: Definition\n\nA {{c1::gap}}.\n\nQuestion\n?\nAnswer\n")
    assert [c.front for c in cards] == ["Term", "A [...].", "Question"]


def test_anki_export_makes_one_cloze_note_per_paragraph_and_keeps_plain_cards_apart():
    cards = _cards("# Geo\n\n## Europe\n\nThe capital of {{c1::France}} is {{c2::Paris::city}}.\n\n"
                   "Root: {{c1::$\\frac{a}{b}}}$}}\n\nTerm :: Definition\n")
    plain = anki_tsv(cards).splitlines()
    assert plain[4:] == [plain[4]] and plain[4].startswith("Term\tDefinition\t")
    lines = anki_cloze_tsv(cards).splitlines()
    assert lines[:5] == ["#separator:tab", "#html:false", "#notetype:Cloze", "#columns:Text\tBack Extra\tTags",
                         "#tags column:3"]
    text, extra, tags = lines[5].split("\t")
    assert text == "The capital of {{c1::France}} is {{c2::Paris::city}}." and extra == "Geo › europe"
    assert "mlops-explorer" in tags
    assert lines[6].split("\t")[0] == "Root: {{c1::$\\frac{a}{b} } }$}}"  # Anki would end the cloze at "}}"
    assert len(lines) == 7


def test_hostile_openers_stay_cheap_against_the_same_text_without_the_plugin():
    md = parser()
    plain = parser.__wrapped__()
    plain.inline.ruler.disable("cloze")
    text = "{{c1::{$`[" * 5000
    t0 = time.perf_counter()
    md.parse(text, {})
    with_cloze = time.perf_counter() - t0
    t0 = time.perf_counter()
    plain.parse(text, {})
    without = time.perf_counter() - t0
    assert with_cloze < 5 * without + 0.5, (with_cloze, without)
    assert cz.MAX_SCAN_TOTAL <= 100_000
