"""A note's own HTML (issue 20): no form controls, and no unbalanced piece hides or takes over what follows.

What Chromium makes of it is in ``tests/test_browser_hardening.py``; here the sanitised HTML is read with
the standard library's parser.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from explorer.notes.md.sanitize import ALLOWED_TAGS, RAW_HTML_TAGS
from explorer.notes.note import parse_note
from explorer.notes.render import render_note

AFTER = "AFTER paragraph"


def html_of(text: str) -> str:
    return render_note(parse_note(text, "u.md", source="upload"))


class Elements(HTMLParser):
    """Start tags with attributes, and the text of each element, in document order."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.open: list[str] = []
        self.texts: list[tuple[tuple[str, ...], str]] = []  # (open elements, text)
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in ("br", "hr", "img", "input"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if data.strip():
            self.texts.append((tuple(self.open), data.strip()))

    def names(self) -> list[str]:
        return [t for t, _ in self.tags]


FORM_CONTROLS = ["form", "input", "button", "select", "option", "optgroup", "textarea", "label", "fieldset",
                 "legend", "datalist", "output", "meter", "progress"]


def test_the_notes_allow_list_has_no_form_control():
    assert not set(FORM_CONTROLS) & RAW_HTML_TAGS
    assert set(FORM_CONTROLS) & ALLOWED_TAGS == {"input", "button"}, "only the engine's own: checkboxes and buttons"


@pytest.mark.parametrize("where", ["block", "inline", "list", "table", "quote", "footnote"])
def test_form_controls_written_in_a_note_are_gone(where):
    controls = ('<form action="https://x.test/"><input name="q" value="typed"><input type="password">'
                '<input type="checkbox" checked><button type="submit" formaction="https://x.test/">Go</button>'
                "<select><optgroup label=g><option>one</option></optgroup></select><textarea>text</textarea>"
                "<label>lab</label><fieldset><legend>leg</legend></fieldset><output>o</output></form>")
    text = {
        "block": f"<div>\n{controls}\n</div>\n",
        "inline": f"Fill in {controls} please\n",
        "list": f"- item {controls}\n- [ ] task\n",
        "table": f"| a |\n|---|\n| {controls} |\n",
        "quote": f"> {controls}\n",
        "footnote": f"See[^1].\n\n[^1]: {controls}\n",
    }[where]
    html = html_of(text + f"\n{AFTER}\n")
    names = Elements(html).names()
    assert not set(names) & {"form", "select", "option", "optgroup", "textarea", "label", "fieldset", "legend", "output", "button"}
    inputs = [a for t, a in Elements(html).tags if t == "input"]
    assert all(a.get("class") == "task-list-item-checkbox" and a.get("type") == "checkbox" and "disabled" in a for a in inputs)
    assert len(inputs) == (1 if where == "list" else 0)
    assert "typed" not in html and "x.test" not in html and AFTER in html


def test_task_lists_keep_their_disabled_checkboxes():
    html = html_of("- [x] done\n- [ ] to do\n  - [X] nested\n")
    boxes = [a for t, a in Elements(html).tags if t == "input"]
    assert [("checked" in b) for b in boxes] == [True, False, True]
    assert all(b["type"] == "checkbox" and "disabled" in b and b["class"] == "task-list-item-checkbox" for b in boxes)


UNBALANCED = {
    "math mglyph style (block)": "<math><mi><mglyph><style>",
    "math mglyph style (inline)": "x <math><mglyph><style> y",
    "style": "<style>",
    "style with rules": "<style>\nbody { display: none }",
    "script": "<script>",
    "textarea": "<textarea>",
    "title": "<title>",
    "noscript": "<noscript>",
    "xmp": "<xmp>",
    "plaintext": "<plaintext>",
    "iframe": "<iframe src=https://x.test/>",
    "noembed": "<noembed>",
    "template": "<template>",
    "svg": "<svg><style>",
    "select": "<select><option>",
    "comment": "<!--",
    "processing instruction": "<?php",
    "cdata": "<![CDATA[",
    "div": "<div>",
    "details": "<details><summary>More</summary>",
    "table": "<table><tr><td>",
    "pre": "<pre>",
    "inline b": "some <b>bold",
    "inline a": 'a <a href="https://example.com">link',
    "attribute": '<div title="never closed',
    "stray close": "</div></details></table>",
}


@pytest.mark.parametrize("raw", UNBALANCED.values(), ids=UNBALANCED.keys())
def test_unbalanced_html_cannot_hide_or_take_over_what_follows(raw):
    html = html_of(f"# Note\n\nbefore\n\n{raw}\n\n{AFTER} with **bold**.\n\n## Next section\n\nlast words\n")
    dom = Elements(html)
    shown = {text: stack for stack, text in dom.texts}
    assert shown.get(AFTER + " with") == ("div", "p"), dom.texts  # a paragraph of the note, in nothing else
    assert shown.get("bold") == ("div", "p", "strong")
    assert shown.get("Next section") == ("div", "h2") and shown.get("last words") == ("div", "p")
    assert "&lt;p&gt;" not in html, "what follows is not turned into text"


def test_github_details_wrapping_markdown_still_work():
    text = "<details>\n<summary>Click</summary>\n\nHidden **text**.\n\n- a list\n\n</details>\n\nAfter.\n"
    dom = Elements(html_of(text))
    shown = {t: s for s, t in dom.texts}
    assert shown["Hidden"] == ("div", "details", "p") and shown["a list"] == ("div", "details", "ul", "li")
    assert shown["After."] == ("div", "p")
    centered = Elements(html_of('<div align="center">\n\n**Title**\n\n</div>\n\nAfter.\n'))
    assert {t: s for s, t in centered.texts}["Title"] == ("div", "div", "p", "strong")


def test_an_unclosed_details_is_closed_where_its_block_ends():
    dom = Elements(html_of("<details>\n<summary>More</summary>\n\nHidden?\n\n## Next\n\nafter\n"))
    shown = {t: s for s, t in dom.texts}
    assert shown["More"] == ("div", "details", "summary")
    assert shown["Hidden?"] == ("div", "p") and shown["after"] == ("div", "p")


def test_a_stray_closing_tag_in_a_paragraph_does_not_close_a_wrapper():
    dom = Elements(html_of("<details open>\n<summary>S</summary>\n\ntext </details> more\n\n</details>\n\nAfter.\n"))
    shown = {t.split()[0]: s for s, t in dom.texts}
    assert shown["text"] == ("div", "details", "p") and shown["After."] == ("div", "p")


def test_a_comment_closed_later_still_hides_only_what_it_holds():
    html = html_of("before\n\n<!--\n\nhidden\n\n-->\n\nafter\n")
    assert "hidden" not in html and "before" in html and "after" in html
    pre = html_of("<pre>\nline 1\n\nline 3\n</pre>\n\nafter\n")
    assert re.search(r"<pre>\s*line 1\s+line 3\s*</pre>", pre) and "<p>after</p>" in pre


def test_inline_script_and_style_go_with_what_they_hold():
    html = html_of("x <script>alert(1)</script> y <style>p{}</style> z\n")
    assert "alert" not in html and "p{}" not in html and re.search(r"x\s+y\s+z", html)
