"""The notes as a folder tree (explorer.notes.tree): natural order, front matter order, landing notes, filter."""

from __future__ import annotations

import time

from explorer.notes.note import parse_note
from explorer.notes.tree import (
    UPLOADS_FOLDER,
    branch_of,
    breadcrumb,
    build_tree,
    filter_tree,
    folder_label,
    natural_key,
    ordered_notes,
)


def note(path: str, body: str = "", source: str = "content"):
    return parse_note(body or f"# {path.rsplit('/', 1)[-1].removesuffix('.md')}\n\ntext\n", path, path=path, source=source)


def names(folder):
    return [f.name for f in folder.folders]


def test_natural_order_compares_numbers_as_numbers():
    words = ["L1_10", "L1_2", "Week 10", "week_2", "Week 1", "L1_1", "l1_3"]
    assert sorted(words, key=natural_key) == ["L1_1", "L1_2", "l1_3", "L1_10", "Week 1", "week_2", "Week 10"]


def test_folders_and_notes_in_natural_order():
    notes = [note(p) for p in ["Lectures/10/a.md", "Lectures/2/L1_10.md", "Lectures/2/L1_2.md", "Lectures/2/L1_1.md",
                               "Week 10/x.md", "Week 2/y.md", "top.md"]]
    tree = build_tree(notes)
    assert names(tree) == ["Lectures", "Week 2", "Week 10"]
    assert names(tree.folders[0]) == ["2", "10"]
    assert [n.filename for n in tree.folders[0].folders[0].notes] == ["L1_1.md", "L1_2.md", "L1_10.md"]
    assert [n.filename for n in tree.notes] == ["top.md"]
    assert not any(f.week_group for f in tree.walk())  # "Week 2/" is a folder on disk
    assert tree.count == 7 and tree.folders[0].count == 4


def test_front_matter_order_and_its_aliases_come_first():
    notes = [note("w/a.md"), note("w/b.md", "---\nweight: 2\n---\n# B\n"), note("w/c.md", "---\nnav_order: 1\n---\n# C\n"),
             note("w/d.md", "---\norder: 3\n---\n# D\n")]
    assert [n.title for n in build_tree(notes).folders[0].notes] == ["C", "B", "D", "a"]


def test_shipped_notes_keep_their_week_and_order():
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    content = load_content(CONTENT_DIR)
    tree = build_tree(content.notes)
    assert names(tree) == ["Week 1"] and tree.folders[0].week_group
    assert [n.id for n in tree.folders[0].notes] == [n.id for n in content.notes]


def test_index_and_readme_are_landing_notes():
    notes = [note("Lectures/3/index.md"), note("Lectures/3/Quiz.md"), note("Lectures/README.md"),
             note("Lectures/3/Notes/readme.md"), note("Lectures/3/Notes/n1.md")]
    tree = build_tree(notes)
    lectures = tree.folders[0]
    assert lectures.landing.path == "Lectures/README.md" and lectures.notes == []
    three = lectures.folders[0]
    assert three.landing.path == "Lectures/3/index.md"
    assert [n.path for n in three.notes] == ["Lectures/3/Quiz.md"]
    assert three.folders[0].landing.path == "Lectures/3/Notes/readme.md"
    assert lectures.count == 5
    # the reading order starts each folder with its landing note
    assert [n.path for n in ordered_notes(tree)][:3] == ["Lectures/README.md", "Lectures/3/index.md", "Lectures/3/Quiz.md"]


def test_a_top_level_readme_is_a_plain_note():
    tree = build_tree([note("README.md"), note("b.md")])
    assert tree.landing is None and [n.path for n in tree.notes] == ["b.md", "README.md"]


def test_uploads_sit_in_their_own_folder_with_their_folders():
    notes = [note("a.md"), note("mine.md", source="upload"), note("vault/Week 3/q.md", source="upload")]
    tree = build_tree(notes)
    assert names(tree) == [UPLOADS_FOLDER]
    assert names(tree.folders[0]) == ["vault"] and tree.folders[0].count == 2
    assert folder_label(notes[2]) == f"{UPLOADS_FOLDER} › vault › Week 3"


def test_branch_of_the_current_note():
    notes = [note("A/B/c.md"), note("A/d.md"), note("E/f.md")]
    tree = build_tree(notes)
    assert branch_of(tree, notes[0].id) == {("A",), ("A", "B")}
    assert branch_of(tree, "missing") == frozenset() and branch_of(tree, None) == frozenset()


def test_branch_of_every_note_is_the_folders_that_hold_it():
    """Landing notes, uploads with folders, week groups and top-level notes: each note's branch is the path of
    the one folder that lists it, and the lookup gives the same on every call."""
    notes = [note("Lectures/3/index.md"), note("Lectures/3/Quiz.md"), note("Lectures/README.md"), note("top.md"),
             note("Lectures/3/Notes/n1.md"), note("mine.md", source="upload"), note("vault/Week 3/q.md", source="upload"),
             note("w.md", "---\nweek: 2\n---\n# W\n")]
    tree = build_tree(notes)
    holder = {n.id: f.path for f in tree.walk() for n in ([f.landing] if f.landing else []) + f.notes}
    assert set(holder) == {n.id for n in notes}
    for n in notes:
        want = frozenset(holder[n.id][:i] for i in range(1, len(holder[n.id]) + 1))
        assert branch_of(tree, n.id) == want == branch_of(tree, n.id), n.path
    assert branch_of(tree, notes[3].id) == frozenset()  # a top-level note: no folder to open
    assert branch_of(tree, notes[0].id) == {("Lectures",), ("Lectures", "3")}


def test_breadcrumb_names_folders_and_their_landing_notes():
    notes = [note("Lectures/index.md"), note("Lectures/3/index.md"), note("Lectures/3/Quiz/q1.md")]
    tree = build_tree(notes)
    crumbs = breadcrumb(tree, notes[2])
    assert [(name, land.path if land else None) for name, land in crumbs] == [
        ("Lectures", "Lectures/index.md"), ("3", "Lectures/3/index.md"), ("Quiz", None)]
    assert [name for name, _ in breadcrumb(tree, notes[1])] == ["Lectures"]  # a landing note is its folder


def test_filter_by_title_and_path_keeps_matching_branches():
    notes = [note("Lectures/3/Quiz/q1.md", "# Bias and variance\n"), note("Lectures/3/Notes/n.md", "# Regularisation\n"),
             note("Lectures/4/other.md", "# Trees\n"), note("Lectures/4/index.md", "# Week four\n")]
    tree = build_tree(notes)
    hit = filter_tree(tree, "VARIANCE")
    assert [f.key for f in hit.walk()] == ["", "Lectures", "Lectures/3", "Lectures/3/Quiz"]
    assert hit.count == 1
    by_path = filter_tree(tree, "quiz lectures")  # every word, in the title or the path
    assert [n.title for f in by_path.walk() for n in f.notes] == ["Bias and variance"]
    assert filter_tree(tree, "nothing-like-this") is None
    assert filter_tree(tree, "  ") is tree
    four = filter_tree(tree, "four")  # a landing note that matches keeps its folder
    assert [f.key for f in four.walk()] == ["", "Lectures", "Lectures/4"] and four.folders[0].folders[0].notes == []


def test_a_thousand_notes_build_in_a_few_milliseconds():
    notes = [note(f"Course/Part {i // 100}/Lecture {i // 10}/L{i}.md") for i in range(1000)]
    t = time.perf_counter()
    tree = build_tree(notes)
    filter_tree(tree, "lecture 5")
    spent = time.perf_counter() - t
    assert tree.count == 1000 and len(ordered_notes(tree)) == 1000
    assert names(tree.folders[0])[:3] == ["Part 0", "Part 1", "Part 2"]
    assert spent < 5  # a sanity bound, not a timing test (bench/ has the numbers)
