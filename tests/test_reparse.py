"""Parsing only the changed sections of an edited note (#22, explorer.notes.md.reparse) gives exactly the whole
parse: the same tokens (types, lines, ids, content, children), the same sections, anchors, images, cards, tags
and [[links]], the same HTML.  Compared over random edits of real-shaped notes (GitHub, Jekyll, Obsidian, a
Chinese note, the shipped notes, an Obsidian vault, generated vault notes) and over edits made to break it
(an unclosed fence or formula, a repeated title, a footnote, a link reference, raw HTML, a setext underline)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from explorer.notes.md.document import parse_document
from explorer.notes.md.reparse import reparse
from explorer.notes.note import parse_count, parse_note, scan_note
from explorer.notes.render import render_note

ROOT = Path(__file__).resolve().parent.parent

# lines an edit inserts or writes over: plain text and every construct whose reach could cross a section
SNIPPETS = (
    "", "Plain words of an edited paragraph.", "Edit.", "# A new top heading", "## A new subheading", "# Setup",
    "## Setup", "Setup", "===", "---", "```", "```python", "~~~", "$$", "$$ x^2 $$", "```math", "%%", "%% hidden %%",
    "- a list item", "  - nested item", "1. first", "> a quote", "> [!tip] A callout", "> [!NOTE]",
    "| a | b |", "|---|---|", "Term :: its definition", "Question", "?", "An answer", "## A card #card",
    "The {{c1::answer}} is here", "#tag and #another-tag", "see [[Other note]] and [[Other note#Part|alias]]",
    "![[Embedded note]]", "text with a block id ^block-1", "<span id=\"here\">x</span>", "<div>", "</div>",
    "<details>", "[ref]: https://example.org", "a [ref] use", "a footnote[^1]", "[^1]: the footnote",
    "    indented code", "![alt](images/a.png)", "**bold *and* nested**", "<!-- a comment", "-->",
    "# Heading with `code` and *emphasis*", "Line with a trailing backslash\\", "    ",
)


def _corpus() -> list[tuple[str, str]]:
    files = [*sorted((ROOT / "content" / "notes").rglob("*.md")), *sorted((ROOT / "tests" / "fixtures" / "notes").glob("*.md")),
             *sorted((ROOT / "tests" / "fixtures" / "vault").rglob("*.md"))]
    out = [(f.relative_to(ROOT).as_posix(), f.read_text(encoding="utf-8")) for f in files]
    from explorer.notes.generated_vault import vault_files

    out += [(f"generated/{rel}", text) for rel, text in list(vault_files(40, seed=11))[:40]]
    return out


def _norm(x):
    """A comparable form of a token (recursively) or of what the parse records."""
    if hasattr(x, "type") and hasattr(x, "nesting"):
        return (x.type, x.tag, x.nesting, tuple(sorted((x.attrs or {}).items())), tuple(x.map) if x.map else None,
                x.level, x.content, x.markup, x.info, _norm(x.meta), x.block, x.hidden,
                tuple(_norm(c) for c in x.children) if x.children is not None else None)
    if isinstance(x, dict):
        return tuple(sorted((k, _norm(v)) for k, v in x.items()))
    if isinstance(x, (list, tuple)):
        return tuple(_norm(v) for v in x)
    return repr(x)


def _same(a, b) -> None:
    assert len(a.tokens) == len(b.tokens)
    for i, (x, y) in enumerate(zip(a.tokens, b.tokens)):
        assert _norm(x) == _norm(y), f"token {i}: {x.type} line {x.map}"
    for field in ("front_matter", "front_matter_lines", "body_start", "body_end", "headings", "anchors", "images"):
        assert getattr(a, field) == getattr(b, field), field
    for key in ("cards", "tags", "wikilinks"):
        assert _norm(a.env.get(key, [])) == _norm(b.env.get(key, [])), key
    assert set(a.env) - {"footnotes"} == set(b.env) - {"footnotes"}
    empty = {"refs": {}, "list": {}}
    assert (a.env.get("footnotes") or empty) == (b.env.get("footnotes") or empty)  # an empty record or none: the same


def _edit(rng: random.Random, text: str) -> str:
    lines = text.split("\n")
    i = rng.randrange(len(lines))
    op = rng.random()
    if op < 0.35:
        lines.insert(i, rng.choice(SNIPPETS))
    elif op < 0.55:
        lines[i] = rng.choice(SNIPPETS)
    elif op < 0.7 and len(lines) > 1:
        del lines[i]
    elif op < 0.85:
        lines[i] = lines[i] + " " + rng.choice(("more words", "#late-tag", "[[Late link]]", "`code`", "$x$"))
    else:
        lines[-1:-1] = [f"Edit {rng.randrange(100)}."]  # the bench's edit: a line added at the end
    return "\n".join(lines)


def _check(old_text: str, new_text: str) -> bool:
    """True when :func:`reparse` answered (and then it matched the whole parse)."""
    old = parse_document(old_text)
    got = reparse(old_text, old, new_text)
    if got is None:
        return False
    _same(got, parse_document(new_text))
    return True


@pytest.mark.parametrize("rounds", [4])
def test_a_reparse_is_the_whole_parse_over_random_edits(rounds):
    rng = random.Random(22)
    answered = total = 0
    for name, text in _corpus():
        for _ in range(rounds):
            new = text
            for _ in range(rng.randint(1, 3)):  # one to three changes at once
                new = _edit(rng, new)
            total += 1
            try:
                answered += _check(text, new)
            except AssertionError as exc:
                raise AssertionError(f"{name}: {exc}\n--- edit ---\n{_diff(text, new)}") from None
    assert answered >= total // 3, f"only {answered} of {total} edits were parsed in part"


def _diff(a: str, b: str) -> str:
    import difflib

    return "\n".join(list(difflib.unified_diff(a.split("\n"), b.split("\n"), lineterm="", n=1))[:40])


BASE = """---
title: Serving models
tags: [serving]
---
# Serving models

An intro with #serving and [[Kubernetes]].

## Batch or online

Term :: its definition

| mode | latency |
|---|---|
| batch | hours |

# Deploying

```python
print("deploy")
```

The {{c1::canary}} goes first.

## Rollback #card

Undo the release.

# Watching

See [[Monitoring#Drift|drift]] and ![](images/a.png).
"""


def _lines_with(text: str, line: int, new: str) -> str:
    lines = text.split("\n")
    lines.insert(line, new)
    return "\n".join(lines)


@pytest.mark.parametrize("inserted, answered", [
    ("More about batch jobs.", True),  # inside a section: parsed in part
    ("# A new chapter", True),
    ("```", False),  # an unclosed fence now runs into the next heading: the whole note
    ("$$", None),  # a formula left open ends at the paragraph's end: either way, the same as the whole parse
    ("## Batch or online", True),  # a title repeated in its own section: numbered within the part
    ("## Rollback", False),  # a title of a later section: the ids below it change
    ("[ref]: https://example.org", False),  # a link reference reaches every section
    ("A note[^1].\n\n[^1]: here", False),  # footnotes are numbered through the note
    ("<div>", False),  # raw HTML blocks are balanced through the note
])
def test_an_edit_that_reaches_other_sections_is_parsed_whole(inserted, answered):
    new = _lines_with(BASE, BASE.split("\n").index("| batch | hours |") + 2, inserted)
    got = _check(BASE, new)  # when answered, it matched the whole parse
    assert answered is None or got is answered


def test_a_setext_underline_or_a_changed_heading_line_is_still_the_whole_parse():
    lines = BASE.split("\n")
    at = lines.index("# Deploying")
    for change in ("===", "---", "Deploying", "# Deploying again", "    # Deploying"):
        new = lines.copy()
        new[at] = change
        assert isinstance(_check(BASE, "\n".join(new)), bool)  # answered or not, never different
        new = lines.copy()
        new[at - 1] = change  # the line just above the heading
        assert isinstance(_check(BASE, "\n".join(new)), bool)


def test_front_matter_edits_and_edits_at_either_end():
    for new in (BASE.replace("title: Serving models", "title: Serving"), "Top line\n" + BASE, BASE + "Last line.\n",
                BASE.replace("\n# Watching", "\n# Watching closely"), BASE[: BASE.index("# Watching")]):
        assert isinstance(_check(BASE, new), bool)


def test_a_note_edited_on_disk_is_parsed_in_part_and_drawn_the_same(monkeypatch):
    """A shipped note drawn, then edited: the next parse is of its changed section, and the HTML equals a whole
    parse's (also after a second edit, and for the note's sections)."""
    from explorer.notes import note as note_mod

    first = scan_note(BASE, "serving.md")
    render_note(first)  # drawn: its parse is kept for the next edit
    parts = []
    real = note_mod.reparse
    monkeypatch.setattr(note_mod, "reparse", lambda *a: parts.append(1) or real(*a))
    text = BASE
    for edit in ("More about batch jobs.", "A second paragraph about rollbacks."):
        text = text.replace("Undo the release.", f"Undo the release.\n\n{edit}")
        before = parse_count()
        edited = scan_note(text, "serving.md")
        html = render_note(edited)
        assert parse_count() == before + 1, "one parse of the edited note"
        assert html == render_note(parse_note(text, "serving.md"))
        for s in edited.sections:
            assert render_note(edited, s.id) == render_note(parse_note(text, "serving.md"), s.id)
    assert len(parts) == 2 and all(parts)


def test_vault_notes_with_diagrams_math_and_images_draw_the_same_after_an_edit():
    """The fixture vault's notes (Mermaid, formulas, images beside the notes, [[links]], callouts): a line added in the
    middle and one at the end, each drawn from the partial parse, is the HTML of a whole parse."""
    answered = 0
    for path in sorted((ROOT / "tests" / "fixtures" / "vault").rglob("*.md")):
        rel = path.relative_to(ROOT / "tests" / "fixtures" / "vault").as_posix()
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for new in ("\n".join([*lines[: len(lines) // 2], "An added line with a [[Home]] link.", *lines[len(lines) // 2:]]),
                    text + "\nA last line.\n"):
            render_note(scan_note(text, path.name, path=f"fixture-{rel}"))  # drawn: its parse is kept
            edited = scan_note(new, path.name, path=f"fixture-{rel}")
            doc = reparse(text, parse_document(text), new)
            answered += doc is not None
            assert render_note(edited) == render_note(parse_note(new, path.name, path=f"fixture-{rel}")), rel
    assert answered, "no vault note was parsed in part"


def test_an_upload_is_never_kept_for_a_later_parse():
    """What a visitor uploads stays in their session: its parse is not kept in the process-wide store."""
    from explorer.notes.note import recent_docs

    scan_note(BASE + "\nUploaded.\n", "mine.md", source="upload").lazy.get()
    assert all("Uploaded." not in text for text, _ in recent_docs().values())


def test_the_kept_parses_are_bounded():
    """At most four notes' parses are kept, and no more text than the limit unless one note alone is larger."""
    from explorer.notes import note as note_mod

    for i in range(12):
        render_note(scan_note(BASE + f"\nNote {i}.\n", f"bounded-{i}.md"))
    kept = note_mod.recent_docs()
    assert len(kept) <= note_mod._RECENT_SIZE
    assert len(kept) == 1 or sum(len(t) for t, _ in kept.values()) <= note_mod._RECENT_CHARS
    big = "# Big\n\n" + "A long paragraph of words. " * 30_000
    render_note(scan_note(big, "bounded-big.md"))
    assert list(note_mod.recent_docs()) == ["bounded-big.md"], "a note over the limit alone is kept alone"
