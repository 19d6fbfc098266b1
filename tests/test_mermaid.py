"""Mermaid diagrams in notes (explorer.notes.md.mermaid): kinds, the budget, split points, nested diagrams."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from explorer.notes.md import mermaid as M
from explorer.notes.note import parse_note
from explorer.notes.render import render_note

VAULT = Path(__file__).parent / "fixtures" / "vault" / "Diagrams"


def fence(src: str, indent: str = "") -> str:
    return "\n".join(indent + line for line in ["```mermaid", *src.split("\n"), "```"]) + "\n"


def view(text: str, name: str = "n.md") -> list[tuple[str, str]]:
    return M.split_view(render_note(parse_note(text, name)))


@pytest.mark.parametrize("first,kind", [("flowchart LR", "flowchart"), ("graph TD", "flowchart"),
                                        ("sequenceDiagram", "sequence"), ("classDiagram", "class"),
                                        ("stateDiagram-v2", "state"), ("gantt", "gantt"), ("pie title X", "pie"),
                                        ("erDiagram", "entity relationship"), ("journey", "user journey")])
def test_the_kind_comes_from_the_first_statement(first, kind):
    src = f"%% a comment\n\n{first}\n  a --> b\n"
    assert M.inspect(src).kind == kind and not M.inspect(src).problem
    assert M.inspect(f"---\ntitle: T\n---\n{first}\n").kind == kind  # after a front matter block


def test_an_unknown_type_or_an_empty_diagram_is_a_problem():
    assert "not a Mermaid diagram type" in M.inspect("flowchat LR\n a-->b").problem
    assert M.inspect("  \n%% only a comment\n").problem == "The diagram is empty."
    assert "&lt;b&gt;" in M.inspect("<b>x</b>").problem  # the word shown is escaped


def test_a_diagram_of_5000_nodes_is_over_the_budget():
    huge = "flowchart TD\n" + "\n".join(f"  n{i} --> n{i + 1}" for i in range(5000))
    assert "over the" in M.inspect(huge).too_big
    one_line = "flowchart LR\n" + "a-->" * 600 + "b"
    assert "links" in M.inspect(one_line).too_big
    assert "characters" in M.inspect("flowchart LR\n%%" + "x" * 30_000).too_big
    out = view(f"Before.\n\n{fence(huge)}\nAfter.\n")
    assert [k for k, _ in out] == ["html"]  # not drawn: one block, the source with a notice
    assert "is not drawn here" in out[0][1] and "n4999 --&gt; n5000" in out[0][1] and "After." in out[0][1]


def test_split_view_interleaves_text_and_diagrams_with_the_source_one_click_away():
    one, two = fence("flowchart LR\n  a --> b"), fence("sequenceDiagram\n  A->>B: hi")
    out = view(f"# T\n\nIntro.\n\n{one}\nMiddle.\n\n{two}\nEnd.\n")
    assert [k for k, _ in out] == ["html", "diagram", "source", "html", "diagram", "source", "html"]
    assert out[1][1] == "flowchart LR\n  a --> b\n" and out[4][1] == "sequenceDiagram\n  A->>B: hi\n"
    assert all(t.startswith('<div class="note-body">') and t.endswith("</div>") for k, t in out if k != "diagram")
    assert "<summary>Source of this diagram (Mermaid flowchart diagram)</summary>" in out[2][1]
    assert "a --&gt; b" in out[2][1] and "Middle." in out[3][1]
    assert not any(M.SECRET in t for _, t in out)  # no marker reaches the browser


def test_a_broken_diagram_is_drawn_with_its_source_open_and_a_notice():
    out = view(fence("flowchat LR\n  a --> b"))
    assert [k for k, _ in out] == ["diagram", "source"]
    assert '<details class="mermaid-source" open>' in out[1][1] and "Mermaid's own message is above" in out[1][1]


def test_a_diagram_in_a_list_item_is_drawn_there_and_the_list_goes_on():
    text = "1. one\n2. two\n\n" + fence("flowchart LR\n  a --> b", "   ") + "\n   still two\n3. three\n"
    out = view(text)
    assert [k for k, _ in out] == ["html", "diagram", "source", "html"]
    assert out[0][1].rstrip().endswith("</li></ol></div>")
    assert '<ol start="2"><li class="mermaid-cont">' in out[3][1] and "still two" in out[3][1]


def test_two_diagrams_in_one_list_keep_its_numbering():
    item = fence("flowchart LR\n  a --> b", "   ")
    out = view(f"1. one\n\n{item}\n2. two\n3. three\n\n{item.replace('a --> b', 'c --> d')}\n   after three\n4. four\n")
    htmls = [t for k, t in out if k == "html"]
    assert '<ol start="1"><li class="mermaid-cont">' in htmls[1] and '<ol start="3"><li class="mermaid-cont">' in htmls[2]


def test_many_diagrams_after_a_long_note_cost_one_walk():
    import time

    text = "".join(f"- item {i}\n" for i in range(3_000)) + "\n" + "".join(fence(f"pie\n  \"x{i}\" : 1") for i in range(40))
    note = parse_note(text, "long.md")
    t = time.process_time()
    out = M.split_view(render_note(note))
    assert sum(k == "diagram" for k, _ in out) == 40
    assert time.process_time() - t < 10  # a sanity bound: a walk per diagram took 40 times as long


def test_a_diagram_in_a_quote_is_drawn_between_its_parts():
    out = view("> Look:\n>\n" + fence("pie\n  \"a\" : 1", "> ") + ">\n> after\n")
    assert [k for k, _ in out] == ["html", "diagram", "source", "html"]
    assert "<blockquote>" in out[3][1] and "after" in out[3][1]


def test_text_in_a_note_cannot_pose_as_a_marker():
    fake = f'<div class="mermaid-slot" data-mermaid="{"0" * 16}-{"1" * 16}"></div>\n\nText.\n'
    assert [k for k, _ in view(fake)] == ["html"]
    # even with this process's secret, a marker needs the source that hashes to its key right after it
    forged = f'<div class="mermaid-slot" data-mermaid="{M.SECRET}-{"1" * 16}"></div>\n\nText.\n'
    assert [k for k, _ in view(forged)] == ["html"]


def test_more_diagrams_than_the_view_draws_show_their_source():
    text = "".join(fence(f"flowchart LR\n  a{i} --> b{i}") + "\n" for i in range(M.MAX_PER_VIEW + 3))
    out = view(text)
    assert sum(k == "diagram" for k, _ in out) == M.MAX_PER_VIEW
    assert out[-1][1].count("more than 40 diagrams") == 3


def test_the_offline_study_pack_shows_the_source():
    html = render_note(parse_note("# T\n\n" + fence("gantt\n  title Plan"), "t.md"), id_prefix="t--")
    assert '<details class="mermaid-source">' in html and "title Plan" in html
    assert re.search(r'<div class="mermaid-slot" data-mermaid="[0-9a-f-]+"></div>', html)  # empty: draws nothing


def test_the_study_pack_shows_each_diagram_open_as_source_with_a_note():
    from explorer.notes.export import build_study_pack

    note = parse_note("# T\n\n" + fence("gantt\n  title Plan") + "\n1. item\n\n" + fence("pie\n  \"a\" : 1", "   "), "t.md")
    pack = build_study_pack(None, notes=[note])
    assert pack.count('<details class="mermaid-source" open><summary>Mermaid gantt diagram: drawn in the app; '
                      "its Mermaid source</summary>") == 1
    assert "Mermaid pie diagram: drawn in the app" in pack and "title Plan" in pack
    assert "mermaid-slot" not in pack and M.SECRET not in pack


def test_the_fixture_vault_has_ten_diagrams_of_five_kinds_and_a_broken_one():
    found = []
    for path in sorted(VAULT.rglob("*.md")):
        note = parse_note(path.read_text(encoding="utf-8"), path.name)
        found += list(M.diagrams_in(note.document().tokens).values())
    kinds = {d.kind for d in found}
    assert len(found) >= 10 and {"flowchart", "sequence", "class", "state", "gantt"} <= kinds
    # the broken one has a known type; only Mermaid's parser finds its mistake (the browser test checks it)
    assert all(not d.problem and not d.too_big for d in found)
