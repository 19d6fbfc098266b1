"""Mermaid diagrams and the folder tree in a real Chromium (#23).

The server reads a copy of content/ with tests/fixtures/vault added under notes/vault/ and one generated note
holding a 5,000-node diagram.  What is asserted is what a reader sees: diagrams drawn as images of a size,
Mermaid's error with the source beside it for the broken one, the source one click away, the huge one as
source with a notice; the tree's open branch for the current note, its counts, a folder name that opens the
folder's landing note, a filter that keeps the matching branches open, tree links that stay in the session;
sideways scrolling on a phone; axe finds nothing serious on the tree and a diagram note in either theme.
"""

from __future__ import annotations

import shutil

import pytest

from tests.e2e_util import (
    ROOT,
    VAULT_FIXTURE,
    expect,
    goto,
    new_context,
    require_browser,
    start_server,
    switch_os_theme,
    wait_for_app,
    watched_page,
)
from tests.e2e_util import url_params as params

browser_test = pytest.mark.browser
VAULT = VAULT_FIXTURE
BODY = "[data-testid='stMain'] .note-body"
TREE = "[data-testid='stMain'] nav.note-tree"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
DRAWN = """() => [...document.querySelectorAll("[data-testid='stMermaidChart'] img")]
  .map(i => ({alt: i.alt, natural: i.naturalWidth, width: Math.round(i.getBoundingClientRect().width),
              height: Math.round(i.getBoundingClientRect().height), svg: i.src.startsWith('blob:')}))"""


@pytest.fixture(scope="module")
def site(vault_site):
    """The session's vault site (tests/conftest.py): the fixture vault and a generated note with a
    5,000-node diagram (``Huge diagram``), shared with the vault module."""
    return vault_site


@pytest.fixture
def page(browser):
    with watched_page(browser) as pg:
        yield pg




def open_note(page, site, note: str) -> None:
    goto(page, f"{site.url}/Notes?note={note}")
    page.locator(BODY).first.wait_for()


def drawn(page, n: int) -> list[dict]:
    page.wait_for_function(f"() => document.querySelectorAll(\"[data-testid='stMermaidChart'] img\").length >= {n}"
                           " && [...document.querySelectorAll(\"[data-testid='stMermaidChart'] img\")]"
                           ".every(i => i.complete && i.naturalWidth > 0)", polling=50)
    return page.evaluate(DRAWN)


@browser_test
def test_diagrams_are_drawn_between_the_text_with_their_source_one_click_away(page, site):
    open_note(page, site, "l1-2-training-pipeline")
    images = drawn(page, 3)
    assert len(images) == 3
    assert all(i["svg"] and i["width"] > 150 and i["height"] > 80 for i in images), images
    assert [i["alt"].split(" diagram")[0] for i in images] == ["Mermaid flowchart", "Mermaid sequence", "Mermaid state"]
    kinds = page.evaluate("""() => Promise.all([...document.querySelectorAll("[data-testid='stMermaidChart'] img")]
      .map(i => fetch(i.src).then(r => r.blob()).then(b => b.text().then(t => [b.type, t.slice(0, 200)]))))""")
    assert all(kind.startswith("image/svg+xml") and "<svg" in text for kind, text in kinds), kinds  # SVG drawings
    main = page.locator("[data-testid='stMain']")
    everything = page.locator(BODY).all_inner_texts()  # the note's text cut at its three diagrams, and their sources
    chunks = [c for c in everything if not c.startswith("Source of this diagram")]
    assert len(everything) == 7 and len(chunks) == 4 and "moves data through" in chunks[0] and "Who talks to whom" in chunks[1]
    assert "A model that is archived" in chunks[3]
    text = "\n".join(chunks)
    source = main.locator("details.mermaid-source").nth(1)
    code = source.locator("code")
    expect()(code).to_be_hidden()
    source.locator("summary").click()
    expect()(code).to_be_visible()
    assert code.inner_text().startswith("sequenceDiagram\n  participant S as Scheduler")
    assert "```" not in text


@browser_test
def test_a_broken_diagram_shows_mermaids_error_and_its_source(page, site):
    open_note(page, site, "broken-diagram")
    error = page.locator("[data-testid='stMermaidError']")
    expect()(error).to_be_visible()
    assert "Parse error" in error.inner_text()
    sources = page.locator("[data-testid='stMain'] details.mermaid-source")
    expect()(sources.first.locator("code")).to_be_visible()  # under the error without a click
    expect()(sources.first.locator("code")).to_contain_text("A[Start --> B{Missing bracket")
    expect()(sources.nth(1).locator("code")).to_be_hidden()  # a diagram that is drawn keeps it one click away
    arrow = "s => getComputedStyle(s).listStyleType"  # the toggle's arrow says what is shown
    assert sources.first.locator("summary").evaluate(arrow) == "disclosure-open"
    assert sources.nth(1).locator("summary").evaluate(arrow) == "disclosure-closed"
    images = drawn(page, 1)
    assert len(images) == 1 and images[0]["width"] > 100  # the diagram after it is drawn


@browser_test
def test_a_diagram_of_5000_nodes_shows_its_source_with_a_notice_and_the_page_keeps_working(page, site):
    open_note(page, site, "huge-diagram")
    main = page.locator("[data-testid='stMain']")
    expect()(main.locator(".mermaid-notice")).to_contain_text("is not drawn here")
    expect()(main.get_by_text("After the diagram.")).to_be_visible()
    assert page.locator("[data-testid='stMermaidChart']").count() == 0
    assert "n4999 --> n5000" in main.locator(".mermaid-block code").inner_text()
    page.locator(TREE).get_by_role("link", name="Broken diagram").click()  # and the reader goes on
    expect()(page.get_by_role("heading", name="Broken diagram", level=1)).to_be_visible()
    assert len(drawn(page, 1)) == 1


@browser_test
def test_a_diagram_in_a_list_or_a_callout_is_drawn_where_it_is_written(page, site):
    open_note(page, site, "project-plan")
    assert len(drawn(page, 3)) == 3
    text = page.locator("[data-testid='stMain']").inner_text()
    assert text.index("Build the first pipeline") < text.index("Keep it boring") < text.index("Add monitoring")
    assert page.locator("[data-testid='stMain'] li.mermaid-cont").count() == 1


@browser_test
def test_the_tree_opens_the_current_branch_and_its_links_stay_in_the_session(page, site):
    open_note(page, site, "l1-2-training-pipeline")
    tree = page.locator(TREE)
    opened = tree.evaluate("t => [...t.querySelectorAll('details')].filter(d => d.open)"
                           ".map(d => d.parentElement.innerText.split('\\n').slice(0, 2).join(' '))")
    notes = len(list(VAULT.rglob("*.md"))) + 1  # and the huge one
    assert opened == [f"vault {notes}", "Diagrams 6", "Pipelines 2", "Week 1 10"], opened  # and the shipped week
    current = tree.locator("a[aria-current='page']")
    expect()(current).to_have_text("Training pipeline")
    folders = tree.evaluate("t => [...t.querySelector('details').querySelectorAll(':scope > ul > li.tree-folder')]"
                            ".map(li => li.innerText.split(/\\s/)[0])")
    assert folders == ["Diagrams", "Examples", "Lectures", "Recursion"], folders  # Images/ holds no note
    left = "e => Math.round(e.getBoundingClientRect().left + parseFloat(getComputedStyle(e).paddingLeft))"
    # a folder's name behind a link (its landing note) starts where the other folders' names start
    assert tree.locator("a.tree-landing", has_text="Diagrams").evaluate(left) == \
        tree.locator("summary .tree-name", has_text="Examples").evaluate(left)
    session = page.evaluate("() => performance.getEntriesByType('navigation').length")
    tree.get_by_role("link", name="Serving").click()
    expect()(page.get_by_role("heading", name="Serving", level=1)).to_be_visible()
    assert params(page.url) == {"note": "l1-10-serving"}
    assert page.evaluate("() => performance.getEntriesByType('navigation').length") == session  # no reload
    page.go_back()
    expect()(page.get_by_role("heading", name="Training pipeline", level=1)).to_be_visible()


@browser_test
def test_a_folder_name_opens_its_landing_note_and_the_breadcrumb_names_the_folders(page, site):
    open_note(page, site, "l1-10-serving")
    crumbs = page.locator("[data-testid='stMain'] nav.note-crumbs")
    expect()(crumbs.locator("li")).to_have_text(["vault", "Diagrams", "Pipelines"])
    assert crumbs.get_by_role("link").all_inner_texts() == ["Diagrams"]  # the folder with a landing note
    page.locator(TREE).get_by_role("link", name="Diagrams", exact=True).click()
    expect()(page.get_by_role("heading", name="Diagrams", level=1)).to_be_visible()
    assert params(page.url) == {"note": "index"}
    expect()(page.locator(TREE).locator("a.tree-landing[aria-current='page']")).to_have_text("Diagrams")


@browser_test
def test_the_filter_keeps_the_matching_branches_open(page, site):
    open_note(page, site, "kaizen")
    box = page.get_by_role("textbox", name="Filter the notes")
    box.fill("serving")
    box.press("Enter")
    wait_for_app(page)
    tree = page.locator(TREE)
    expect()(tree.get_by_role("link", name="Serving")).to_be_visible()
    links = tree.evaluate("t => [...t.querySelectorAll('li:not(.tree-folder) > a')].map(a => a.innerText)")
    assert links == ["Serving"], links
    assert tree.evaluate("t => [...t.querySelectorAll('details')].every(d => d.open)")
    box.fill("no note has this")
    box.press("Enter")
    expect()(page.get_by_text("No note has “no note has this” in its title or folder.")).to_be_visible()


@browser_test
def test_on_a_phone_a_wide_diagram_keeps_its_size_and_scrolls_sideways(browser, site):
    ctx = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    try:
        open_note(page, site, "l1-10-serving")
        drawn(page, 3)
        box = page.locator("[class*='st-key-mermaid-']").nth(1)  # the sequence diagram with its source
        wide = box.evaluate("b => ({scroll: b.scrollWidth, client: b.clientWidth, img: b.querySelector('img').width,"
                            " natural: b.querySelector('img').naturalWidth})")
        assert wide["img"] == wide["natural"] and wide["scroll"] > wide["client"], wide
        assert page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollWidth") <= 390
    finally:
        ctx.close()


@browser_test
def test_axe_finds_nothing_serious_on_the_tree_and_a_diagram_note(browser, site):
    """Three looks in one page load: a touch phone in the dark theme, then the window at desktop size, dark and
    then light (the diagram's source opened)."""
    from axe_playwright_python.sync_playwright import Axe

    ctx = new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, dark=True)
    page = ctx.new_page()
    try:
        open_note(page, site, "l1-10-serving")
        drawn(page, 3)
        page.locator("[data-testid='stMain'] details.mermaid-source summary").first.click()
        for look in ("phone-dark", "desktop-dark", "desktop-light"):
            if look == "desktop-dark":
                page.set_viewport_size({"width": 1400, "height": 900})
                page.wait_for_function("() => window.innerWidth === 1400", polling=50)
                page.wait_for_timeout(300)  # the diagrams redraw at the new width
            elif look == "desktop-light":
                switch_os_theme(page, "light")
            drawn(page, 3)
            violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
            blocking = [f"{v['id']}: {v['nodes'][0]['html'][:160]}" for v in violations if v["impact"] in ("serious", "critical")]
            assert blocking == [], look
    finally:
        ctx.close()


@pytest.fixture(scope="module")
def big_site(tmp_path_factory):
    require_browser()
    content = tmp_path_factory.mktemp("tree-site") / "content"
    shutil.copytree(ROOT / "content", content)
    for i in range(1000):
        folder = content / "notes" / "Course" / f"Part {i // 100}" / f"Lecture {i // 10}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"L{i}.md").write_text(f"# Note {i}\n\nText of note {i}.\n", encoding="utf-8")
    server = start_server(env={"EXPLORER_CONTENT_DIR": str(content)})
    yield server
    server.stop()


@browser_test
def test_a_thousand_notes_are_one_tree_block_with_the_branch_open_and_a_filter(page, big_site):
    open_note(page, big_site, "l555")
    tree = page.locator(TREE)
    assert tree.count() == 1 and tree.locator("li > a").count() >= 1000  # one block, every note in it
    opened = tree.evaluate("t => [...t.querySelectorAll('details')].filter(d => d.open)"
                           ".map(d => d.parentElement.innerText.split('\\n').slice(0, 2).join(' '))")
    assert opened == ["Course 1000", "Part 5 100", "Lecture 55 10", "Week 1 10"], opened
    expect()(tree.locator("a[aria-current='page']")).to_have_text("Note 555")
    names = tree.evaluate("t => [...t.querySelectorAll('details')].filter(d => d.open).pop()"
                          ".querySelectorAll('li > a').length")
    assert names == 10
    box = page.get_by_role("textbox", name="Filter the notes")
    box.fill("note 99")
    box.press("Enter")
    wait_for_app(page)
    wanted = sorted(f"Note {i}" for i in range(1000) if "99" in str(i))
    # the filter's run may start after wait_for_app's short sleep: wait for the tree to shrink, then read it
    expect()(tree.locator("li:not(.tree-folder) > a")).to_have_count(len(wanted), timeout=20_000)
    links = tree.evaluate("t => [...t.querySelectorAll('li:not(.tree-folder) > a')].map(a => a.innerText)")
    assert sorted(links) == wanted, links  # every word, anywhere
    tree.get_by_role("link", name="Note 993").click()
    expect()(page.get_by_role("heading", name="Note 993", level=1)).to_be_visible()
    assert params(page.url) == {"note": "l993"}
