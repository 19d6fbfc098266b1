"""End-to-end tests in a real Chromium against the real server (``streamlit run app.py``).

One server and one browser serve most tests; deep links get a freshly started server each, because
a shared link must work as the very first request a (just woken) server sees.  Every test fails on
a console error, an uncaught page error, a JavaScript dialog or a request to another host
(``tests/e2e_util.PageWatch``).  Locally the module is skipped when Debian's chromium is missing;
with ``CI=true`` it fails instead.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import json
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from tests.e2e_util import (
    CHART_SVG,
    ROOT,
    PageWatch,
    clipped_chart_text,
    goto,
    new_context,
    running_server,
    switch_os_theme,
    wait_for_app,
)

browser_test = pytest.mark.browser

MAIN = "[data-testid='stMain']"
EXCEPTION = "[data-testid='stException']"
WARNING = "[data-testid='stAlertContentWarning']"
ERROR = "[data-testid='stAlertContentError']"
# The app marks every "this link's value was not usable" notice with the link_off icon (ui.urlstate.notice);
# other warnings (retired certifications, unconfirmed trends) are content.
LINK_NOTICE = f"{WARNING}:has([data-testid='stAlertDynamicIcon']:text-is('link_off'))"


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def server(app_server):
    """The session's shared server (``tests/conftest.py``): these tests change neither content nor settings."""
    return app_server


class Tab:
    """A page in its own browser context, watched for console errors, dialogs and foreign requests."""

    def __init__(self, browser, base_url: str, *, dark: bool = False, fresh: bool = False):
        self.context = new_context(browser, dark=dark, fresh=fresh)
        self.context.set_default_timeout(20_000)
        self.page = self.context.new_page()
        self.watch = PageWatch().attach(self.page)
        self.base_url = base_url

    def open(self, path: str) -> Tab:
        goto(self.page, self.base_url + path)
        return self

    def settle(self) -> None:
        wait_for_app(self.page)

    @property
    def main(self):
        return self.page.locator(MAIN)

    def main_text(self) -> str:
        return self.main.inner_text()

    def assert_healthy(self) -> None:
        """No exception element, no traceback text, no browser-side problem."""
        assert self.page.locator(EXCEPTION).count() == 0, self.page.locator(EXCEPTION).first.inner_text()[:2000]
        body = self.page.locator("body").inner_text()
        assert "Traceback (most recent call last)" not in body
        assert self.watch.problems() == [], self.watch.problems()

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def _shared_tab(browser, server):
    t = Tab(browser, server.url)
    yield t
    t.close()


@pytest.fixture
def tab(_shared_tab):
    """One light-theme page reused by the tests (every test starts with a full navigation, which is a
    new Streamlit session and a new window object; the context's stored data is wiped after each test, so
    nothing carries over between tests: no uploaded note, no result history)."""
    _shared_tab.watch.clear()
    yield _shared_tab
    _shared_tab.page.goto("about:blank")  # end this test's session (closes its websocket)
    _shared_tab.context.set_storage_state({"cookies": [], "origins": []})  # localStorage, IndexedDB, cookies
    _shared_tab.watch.clear()


@functools.lru_cache(maxsize=1)
def content():
    """The shipped content (the oracle for titles, labels and expected results)."""
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    return load_content(CONTENT_DIR)


def expect():
    from playwright.sync_api import expect as _expect

    return _expect


# --------------------------------------------------------------------------- every page
# That every page loads cleanly (a title, its charts drawn with no label cut off, the sidebar of page links
# and not Streamlit's own page list, no error, no console error) is checked by tests/test_a11y.py, in the
# same page load as that page's axe checks (``e2e_util.assert_page_loads_cleanly``).


@browser_test
def test_sidebar_links_move_within_the_session_also_on_a_phone(tab, browser, server):
    """The sidebar is Streamlit's page links: a click is a same-session move (one websocket), Back returns,
    and on a phone the links are reachable once the sidebar is opened."""
    page = tab.page
    sockets: list[str] = []
    page.on("websocket", lambda ws: sockets.append(ws.url))
    tab.open("/")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("link", name="Maturity ladders", exact=True).click()
    tab.settle()
    expect()(page).to_have_url(re.compile(r"/Maturity_Ladders$"))
    expect()(page.locator("h1").first).to_have_text("Maturity ladders")
    page.go_back()
    tab.settle()
    expect()(page).to_have_url(re.compile(r"/$"))
    expect()(page.locator("h1").first).to_have_text("MLOps course-notes explorer")
    assert len(sockets) == 1, sockets  # never a new session
    tab.assert_healthy()

    phone = new_context(browser, viewport={"width": 390, "height": 844})
    try:
        p = phone.new_page()
        goto(p, server.url + "/Glossary")
        p.get_by_test_id("stExpandSidebarButton").click()
        link = p.get_by_test_id("stSidebar").get_by_role("link", name="Maturity ladders", exact=True)
        expect()(link).to_be_in_viewport()
        link.click()
        wait_for_app(p)
        expect()(p).to_have_url(re.compile(r"/Maturity_Ladders$"))
        expect()(p.locator("h1").first).to_have_text("Maturity ladders")
    finally:
        phone.close()


def _notes_with(pattern: str) -> list[str]:
    return [n.id for n in content().notes if re.search(pattern, n.body)]


RICH_NOTES = sorted(set(_notes_with(r"```|~~~") + _notes_with(r"!\[")))


@browser_test
@pytest.mark.parametrize("note_id", RICH_NOTES)
def test_note_code_blocks_and_figures_render(tab, note_id):
    """Notes with fenced code or figures: code shows as text, every figure is a loaded image."""
    note = content().note(note_id)
    tab.open(f"/Notes?note={note_id}")
    expect()(tab.main.get_by_role("heading", name=note.title, exact=True)).to_be_visible()
    body = tab.main.locator(".note-body")
    expect()(body.first).to_be_visible()
    text = tab.main_text()
    assert "[object Object]" not in text, "a code block is rendered as [object Object]"
    for block in re.findall(r"^(?:```|~~~)[^\n]*\n(.*?)^(?:```|~~~)", note.body, flags=re.M | re.S):
        first = next((ln.strip() for ln in block.splitlines() if ln.strip()), "")
        if first:
            assert first in text, f"code line {first!r} is not shown"
    images = body.locator("img")
    broken = [(img.get_attribute("alt"), (img.get_attribute("src") or "")[:40]) for img in images.all()
              if not img.evaluate("i => i.complete && i.naturalWidth > 0")]
    assert not broken, f"figures that do not render (alt, src): {broken}"
    assert images.count() == len(re.findall(r"!\[", note.body)) - body.locator(".missing-figure").count()
    tab.assert_healthy()


# --------------------------------------------------------------------------- deep links on a fresh server
def _section_title(note_id: str, section_id: str) -> str:
    return content().note(note_id).section(section_id).title


def _check_notes_azure(t: Tab) -> None:
    c = content()
    note = c.note("maturity-models")
    main = t.main
    expect()(main.get_by_role("heading", name=note.title, exact=True)).to_be_visible()
    expect()(main.get_by_role("heading", name="Azure", exact=True)).to_be_visible()
    inside = [s.title for s in note.subtree("azure")]
    outside = [s.title for s in note.sections if s.id not in {x.id for x in note.subtree("azure")} and s.depth > 0]
    for title in inside:
        expect()(main.get_by_role("heading", name=title, exact=True)).to_be_visible()
    for title in outside:  # other vendors' rungs are not rendered as headings of the body
        assert main.locator("h2, h3, h4").filter(has_text=re.compile(rf"^{re.escape(title)}$")).count() == 0, title
    expect()(main.get_by_text(f"{note.title} › Azure")).to_be_visible()
    assert t.page.locator(WARNING).count() == 0


def _check_rung_azure_2(t: Tab) -> None:
    c = content()
    v = next(v for v in c.vendors if v.id == "azure")
    lv = next(lv for lv in v.levels if lv.id == "azure-2")
    heading = f"{v.name} · {v.level_word} {lv.rank}: {lv.name}"
    expect()(t.main.get_by_role("heading", name=heading)).to_be_visible()
    expect()(t.page.get_by_role("combobox", name="Rung", exact=True)).to_have_value(heading)
    assert t.page.locator(WARNING).count() == 0


def _check_term_feature_store(t: Tab) -> None:
    term = next(x for x in content().glossary if x.id == "feature-store")
    expect()(t.main.get_by_role("heading", name=term.term, exact=True)).to_be_visible()
    expect()(t.main.get_by_text(term.definition[:60]).first).to_be_visible()
    assert t.page.locator(WARNING).count() == 0


def _check_split_and_quarter(t: Tab) -> None:
    """Widgets filled from a link (ui.urlstate.widget: the link's value is their default): the quarter picked
    and the split's four inputs, not their defaults."""
    for q, v in zip(content().breakdown.quarters, (40, 30, 20, 10)):
        expect()(t.main.get_by_label(f"{q.short} %", exact=True)).to_have_value(f"{v:.2f}")
    expect()(t.main.get_by_test_id("stButtonGroup").locator("button[aria-checked='true']")).to_have_text("Data")
    expect()(t.main.get_by_role("heading", name=re.compile(r"^Data"))).to_be_visible()
    assert t.page.locator(WARNING).count() == 0


def _mlts_code() -> tuple[str, str]:
    from explorer.assess import sharecode

    mts = content().ml_test_score
    test = mts.sections[0].tests[0]
    return test.text, sharecode.encode_marks(mts, {test.id: 1.0})


def _check_mlts_marks(t: Tab) -> None:
    text, _ = _mlts_code()
    group = t.page.get_by_test_id("stRadio").filter(has_text=text[:40])
    expect()(group.get_by_role("radio", name="Automated, repeated")).to_be_checked()
    expect()(t.page.get_by_test_id("stMetric").filter(has_text="Points over all sections")).to_contain_text("1")
    assert t.page.locator(WARNING).filter(has_text="could not be read").count() == 0


DEEP_LINKS = {
    "/Notes?note=maturity-models&section=azure": _check_notes_azure,
    "/Maturity_Ladders?rung=azure-2": _check_rung_azure_2,
    "/Glossary?term=feature-store": _check_term_feature_store,
    "/Breakdown?quarter=data&split=40,30,20,10": _check_split_and_quarter,
    f"/ML_Test_Score?m={_mlts_code()[1]}": _check_mlts_marks,
}


@pytest.fixture(scope="module")
def deep_link_tabs(browser, _browser_available):
    """A fresh server whose first requests are every deep link at once, each in a browser context of its
    own (visitors arriving together at a server that has run nothing yet): one server for all of them."""
    with running_server() as fresh:
        tabs = {}
        try:
            for link in DEEP_LINKS:
                tabs[link] = Tab(browser, fresh.url)
                tabs[link].page.goto(fresh.url + link, wait_until="commit", timeout=30_000)
            yield tabs
        finally:
            for t in tabs.values():
                t.close()


@browser_test
@pytest.mark.xdist_group("test_browser_deep_links")  # one worker: the links share one fresh server
@pytest.mark.parametrize("link", list(DEEP_LINKS))
def test_deep_link_is_the_first_request_of_a_fresh_server(deep_link_tabs, link):
    t = deep_link_tabs[link]
    wait_for_app(t.page, 90_000)  # the first runs of a fresh server, every link's at once (one process)
    DEEP_LINKS[link](t)
    # the link survives the first run (the page does not rewrite it away)
    assert urlsplit(t.page.url).query == urlsplit(link).query
    t.assert_healthy()


# --------------------------------------------------------------------------- journeys
@browser_test
def test_back_and_forward_replay_choices_and_the_address_keeps_the_search(tab):
    """A choice is a history entry: Back and Forward show each entry's view in the address bar, the page and the
    widget (a rung picked in the selectbox, the glossary's filter); the search box, bound by Streamlit, keeps
    the address bar current."""
    page = tab.open("/Maturity_Ladders?rung=azure-2").page
    other = next(lv.id for v in content().vendors if v.id == "google" for lv in v.levels if lv.rank == 1)
    combo = page.get_by_role("combobox", name="Rung", exact=True)
    expect()(combo).to_have_value(_rung_heading("azure-2"))
    combo.click()
    combo.fill(_rung_heading(other))
    page.get_by_role("option", name=_rung_heading(other)).click()
    tab.settle()
    expect()(page).to_have_url(re.compile(rf"[?&]rung={other}\b"))
    page.go_back()
    tab.settle()
    expect()(page).to_have_url(re.compile(r"[?&]rung=azure-2\b"))
    expect()(tab.main.get_by_role("heading", name=_rung_heading("azure-2"))).to_be_visible()
    expect()(page.get_by_role("combobox", name="Rung", exact=True)).to_have_value(_rung_heading("azure-2"))
    page.go_forward()
    tab.settle()
    expect()(page).to_have_url(re.compile(rf"[?&]rung={other}\b"))
    expect()(page.get_by_role("combobox", name="Rung", exact=True)).to_have_value(_rung_heading(other))

    # the glossary's filter is a history entry too (Back clears it); the search box is a text input Streamlit
    # binds: it keeps the address bar current (replacing the entry), so reload keeps the query
    terms = len(content().glossary)
    tab.open("/Glossary")
    box = page.get_by_label("Filter terms")
    box.fill("drift")
    box.press("Enter")
    tab.settle()
    expect()(page).to_have_url(re.compile(r"/Glossary\?filter=drift$"))
    shown = tab.main.get_by_text(re.compile(rf"^\d+ of {terms} terms$"))
    expect()(shown).not_to_have_text(f"{terms} of {terms} terms")
    page.go_back()
    tab.settle()
    expect()(page).to_have_url(re.compile(r"/Glossary$"))
    expect()(page.get_by_label("Filter terms")).to_have_value("")
    expect()(shown).to_have_text(f"{terms} of {terms} terms")

    tab.open("/Search?q=drift")
    box = page.get_by_label("Search the notes, ladders, certifications, trends and glossary")
    box.fill("kubeflow")
    box.press("Enter")
    tab.settle()
    expect()(page).to_have_url(re.compile(r"/Search\?q=kubeflow$"))
    page.reload()
    tab.settle()
    expect()(page.get_by_label("Search the notes, ladders, certifications, trends and glossary")).to_have_value("kubeflow")
    expect()(tab.main.get_by_text(re.compile(r"result\(s\) for “kubeflow”"))).to_be_visible()
    tab.assert_healthy()


def _answer(page, question_text: str, answer_label: str) -> None:
    group = page.get_by_test_id("stRadio").filter(has_text=question_text)
    group.get_by_test_id("stRadioOption").filter(has=page.get_by_text(answer_label, exact=True)).click()


def _stand_on(page, n: int) -> list[str]:
    """The "You stand on" metrics, once all ``n`` (one per ladder) are drawn: they come one column at a time."""
    metrics = page.get_by_test_id("stMetric").filter(has_text="You stand on")
    expect()(metrics).to_have_count(n)
    return [m.get_by_test_id("stMetricValue").inner_text().strip() for m in metrics.all()]


@browser_test
def test_self_assessment_share_link_reproduces_the_result(browser, server, tab):
    from explorer.assess.scoring import evaluate

    c = content()
    a = c.assessment
    qs = {q.id: q for q in a.questions}
    chosen = {"code-ci": 2, "model-deployment": 2, "data-pipeline": 2, "model-registry": 2}  # Azure level 1

    def short(placements):  # the metric shows "Phase 2"; the rung's name is written under it
        return [f"{p.level_word} {p.current.rank}" for p in placements]

    expected = short(evaluate(a, c.vendors, chosen).placements)
    baseline = short(evaluate(a, c.vendors, {}).placements)
    assert expected != baseline, "pick answers that move at least one ladder"

    page = tab.open("/Self_Assessment").page
    for qid, idx in chosen.items():
        _answer(page, qs[qid].text, qs[qid].answers[idx].label)
    page.get_by_role("button", name="Show my result").click()
    tab.settle()
    assert _stand_on(page, len(expected)) == expected

    code_block = page.get_by_test_id("stCode").filter(has_text="a=")
    expect()(code_block).to_be_visible()
    link = code_block.inner_text().strip()
    assert link.startswith(f"{server.url}/Self_Assessment?"), link
    code = parse_qs(urlsplit(link).query)["a"][0]
    assert parse_qs(urlsplit(page.url).query).get("a") == [code], "the address bar holds the same share code"
    tab.assert_healthy()

    other = Tab(browser, server.url)  # a new browser context: no cookies, no session
    try:
        other.page.goto(link, wait_until="domcontentloaded")
        other.settle()
        assert _stand_on(other.page, len(expected)) == expected
        assert other.page.locator(WARNING).count() == 0
        other.assert_healthy()
    finally:
        other.close()


@browser_test
def test_self_assessment_result_is_fully_readable(tab):
    """The result view at 1400 px: rung names in full (no ellipsis), no chart label cut off."""
    from explorer.assess import sharecode

    a = content().assessment
    code = sharecode.encode(a, {q.id: (len(q.answers) - 1) // 2 for q in a.questions})
    tab.open(f"/Self_Assessment?a={code}")
    expect()(tab.page.locator(CHART_SVG).nth(2)).to_be_visible()
    cut = tab.page.get_by_test_id("stMetric").filter(has_text="You stand on").evaluate_all(
        """ms => ms.flatMap(m => [...m.querySelectorAll('[data-testid=stMetricValue] *')]
              .filter(e => getComputedStyle(e).textOverflow === 'ellipsis' && e.scrollWidth > e.clientWidth)
              .map(e => e.innerText))"""
    )
    assert cut == [], f"'You stand on' values cut off with an ellipsis: {cut}"
    assert clipped_chart_text(tab.page) == [], "chart labels cut off at the chart's edge"
    tab.assert_healthy()


@browser_test
def test_search_from_the_sidebar_then_open_a_hit_lands_on_the_section(tab):
    page = tab.open("/").page
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("Search everything").fill("kaizen")
    sidebar.get_by_role("button", name="Search").click()
    tab.settle()
    expect()(page).to_have_url(re.compile(r"/Search\?q=kaizen$"))
    hits = tab.main.locator("a[href*='Notes?note=']")
    expect()(hits.first).to_be_visible()
    target = None
    for h in hits.all():
        q = parse_qs(urlsplit(h.get_attribute("href")).query)
        if "section" in q:
            target, params = h, q
            break
    assert target is not None, "no hit that points at a note section"
    note_id, section_id = params["note"][0], params["section"][0]
    target.click()
    tab.settle()
    assert parse_qs(urlsplit(page.url).query) == {"note": [note_id], "section": [section_id]}
    title = _section_title(note_id, section_id)
    expect()(tab.main.get_by_role("heading", name=title, exact=True)).to_be_visible()
    expect()(tab.main.get_by_text(re.compile(rf"› {re.escape(title)}$"))).to_be_visible()
    tab.assert_healthy()


@browser_test
def test_search_deep_link_lists_hits(tab):
    tab.open("/Search?q=" + quote('"feature store"'))
    expect()(tab.main.get_by_text(re.compile(r"^\d+ result\(s\) for"))).to_be_visible()
    assert tab.main.locator(".search-hit a[href]").count() > 0  # plain links the page shell keeps in the session
    assert tab.main.locator("mark").count() > 0  # matches highlighted in snippets
    tab.assert_healthy()


def _rung_heading(level_id: str) -> str:
    for v in content().vendors:
        for lv in v.levels:
            if lv.id == level_id:
                return f"{v.name} · {v.level_word} {lv.rank}: {lv.name}"
    raise KeyError(level_id)


@browser_test
def test_click_a_rung_in_the_ladder_chart_shows_its_details(tab):
    page = tab.open("/Maturity_Ladders").page
    chart = page.get_by_test_id("stPlotlyChart").first
    expect()(chart.locator(".main-svg").first).to_be_visible()
    # find the rung's marker from the figure data: trace index and point index of customdata "azure-2"
    where = chart.locator(".js-plotly-plot").evaluate(
        """gd => { for (const [i, t] of gd.data.entries()) {
                 const j = (t.customdata || []).findIndex(c => (Array.isArray(c) ? c[0] : c) === 'azure-2');
                 if (j >= 0) return [i, j]; } return null; }"""
    )
    assert where is not None, "the ladder chart has no point for azure-2"
    point = chart.locator(".scatterlayer .trace").nth(where[0]).locator("path.point").nth(where[1])
    point.scroll_into_view_if_needed()
    box = point.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    expect()(chart.locator(".hoverlayer .hovertext").first).to_contain_text("Automated Training", ignore_case=True)
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.settle()
    expect()(page).to_have_url(re.compile(r"[?&]rung=azure-2\b"))
    expect()(tab.main.get_by_role("heading", name=_rung_heading("azure-2"))).to_be_visible()

    # the selectbox is the keyboard/no-chart path to the same details
    other = next(lv.id for v in content().vendors if v.id == "google" for lv in v.levels if lv.rank == 1)
    combo = page.get_by_role("combobox", name="Rung", exact=True)
    expect()(combo).to_have_value(_rung_heading("azure-2"))
    combo.click()
    combo.fill(_rung_heading(other))  # the selectbox filters its (virtualised) option list as you type
    page.get_by_role("option", name=_rung_heading(other)).click()
    tab.settle()
    expect()(page).to_have_url(re.compile(rf"[?&]rung={other}\b"))
    expect()(tab.main.get_by_role("heading", name=_rung_heading(other))).to_be_visible()
    tab.assert_healthy()


@browser_test
def test_click_a_donut_slice_and_a_pyramid_tier(tab):
    """Plotly cannot select pie slices: the donut's invisible click targets must make a click select."""
    page = tab.open("/Breakdown").page
    chart = page.get_by_test_id("stPlotlyChart").first
    expect()(chart.locator(".main-svg").first).to_be_visible()
    slice_ = chart.locator("g.slice").nth(2)  # the third quarter (models), clockwise from 12 o'clock
    box = slice_.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.4, box["y"] + box["height"] * 0.6)
    tab.settle()
    expect()(page).to_have_url(re.compile(r"[?&]quarter=models\b"))
    expect()(tab.main.get_by_role("heading", name=re.compile("Model development"))).to_be_visible()

    page = tab.open("/Concepts").page
    chart = page.get_by_test_id("stPlotlyChart").first
    expect()(chart.locator(".main-svg").first).to_be_visible()
    bar = chart.locator(".barlayer .point").nth(1)  # second tier from the bottom
    box = bar.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tab.settle()
    expect()(page).to_have_url(re.compile(r"[?&]tier=dataops\b"))


# --------------------------------------------------------------------------- hostile input
MARK = "__pwned"
PAYLOAD = (
    '../../../../etc/passwd"\'><script>window.__pwned=1;alert("script")</script>'
    '<img src=x onerror="window.__pwned=1;alert(\'img\')">'
    '[click](javascript:window.__pwned=1) <svg onload="window.__pwned=1"></svg>'
    '<iframe src="javascript:window.__pwned=1"></iframe>'
)

# Which query parameters each page reads, in groups that one page run reads together (a parameter
# that is only read when another one has a valid value sits in its own group with that value).
READS: dict[str, list[tuple[list[str], dict[str, str]]]] = {
    "/Notes": [(["note"], {}), (["section"], {"note": "maturity-models"})],
    "/Search": [(["q"], {}), (["kinds"], {"q": "model"})],
    "/Glossary": [(["term", "filter"], {})],
    "/Breakdown": [(["quarter", "split"], {})],
    "/Maturity_Ladders": [(["rung", "vendor", "stage", "compare", "view"], {})],
    "/Self_Assessment": [(["a", "plan"], {})],
    "/ML_Test_Score": [(["m"], {})],
    "/Concepts": [(["view", "tier"], {}), (["workflow", "component"], {}), (["analogy"], {}), (["platform"], {})],
    "/Certifications": [(["cert", "issuer", "domain", "level", "status", "find"], {})],
    "/Trends": [(["trend", "focus"], {})],
    "/Study": [(["tab"], {}), (["seed"], {"tab": "quiz"}),
               (["card", "deck", "due", "notes_folder", "page", "state", "text"], {"tab": "browse"}),
               (["folder", "note"], {"tab": "cards"}), (["exam"], {"tab": "course"}), (["period", "group"], {"tab": "memory"})],
    "/Workshop": [(["w", "view", "plan"], {})],
}
# Parameters whose bad value is simply not applied: it needs no notice (a kinds filter falls back to all kinds).
NO_NOTICE = {"kinds"}
ALL_PARAMS = sorted({p for groups in READS.values() for names, _ in groups for p in names})


def params_of(path: str) -> set[str]:
    return {p for names, _ in READS.get(path, []) for p in names}


_DOM_SCAN = """mark => {
  const bad = [];
  for (const s of document.querySelectorAll('script'))
    if ((s.textContent || '').includes(mark) || (s.src || '').startsWith('javascript:')) bad.push('script: ' + s.outerHTML.slice(0, 200));
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      const name = a.name.toLowerCase(), value = (a.value || '').trim().toLowerCase();
      if (name.startsWith('on') && value.includes(mark)) bad.push('handler: ' + el.outerHTML.slice(0, 200));
      if (['href', 'src', 'action', 'formaction', 'xlink:href', 'data'].includes(name) && value.startsWith('javascript:'))
        bad.push('javascript url: ' + el.outerHTML.slice(0, 200));
      if (name === 'srcdoc') bad.push('srcdoc: ' + el.outerHTML.slice(0, 200));
    }
  }
  return bad;
}"""


def assert_not_pwned(t: Tab) -> None:
    page = t.page
    assert t.watch.dialogs == [], t.watch.dialogs
    assert page.evaluate("() => typeof window.__pwned") == "undefined"
    assert page.evaluate(_DOM_SCAN, MARK) == []
    assert "root:x:0:0" not in page.locator("body").inner_text()


def _url(path: str, params: dict[str, str]) -> str:
    return path + "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())


# One page load per page, with the payload in every parameter of its largest group.  Every group of every page
# (and random and huge values) runs in AppTest: tests/test_hostile.py::test_hostile_links_on_every_page, which
# also finds no value from the address in any HTML the page sends.  In Chromium, what only a browser can show:
# nothing runs, and the notices say what was refused.
HOSTILE_CASES = [(path, *max(groups, key=lambda g: len(g[0]))) for path, groups in READS.items()]


@browser_test
@pytest.mark.parametrize("path,names,extra", HOSTILE_CASES, ids=[f"{p}-{'+'.join(n)}" for p, n, _ in HOSTILE_CASES])
def test_hostile_query_parameters_are_inert(tab, path, names, extra):
    """Script payload (with a path-traversal prefix) in each parameter: never runs, at most a notice each."""
    tab.open(_url(path, {**extra, **{n: PAYLOAD for n in names}}))
    expect()(tab.page.locator("h1").first).to_be_visible()
    assert_not_pwned(tab)
    assert tab.page.locator(ERROR).count() == 0, tab.page.locator(ERROR).first.inner_text()
    notices = len([n for n in names if n not in NO_NOTICE])
    if notices:
        expect()(tab.page.locator(LINK_NOTICE)).to_have_count(notices)
    tab.assert_healthy()


@browser_test
def test_every_parameter_on_a_page_that_reads_none_is_inert(tab):
    """Home reads no parameter: all of them at once change nothing and show no notice.
    (That the other pages read only the parameters in READS is checked from their source below.)"""
    tab.open(_url("/", {p: PAYLOAD for p in ALL_PARAMS}))
    expect()(tab.page.locator("h1").first).to_be_visible()
    assert_not_pwned(tab)
    assert tab.page.locator(WARNING).count() == 0 and tab.page.locator(ERROR).count() == 0
    tab.assert_healthy()


@browser_test
def test_injection_detector_flags_injected_markup(browser, _browser_available):
    """The oracle of the hostile-input tests: it must flag what it is meant to flag."""
    page = browser.new_page()
    try:
        page.set_content('<p>ok</p>')
        t = type("T", (), {"page": page, "watch": PageWatch()})()
        assert_not_pwned(t)
        for bad in ('<img src="data:," onerror="window.__pwned=1">', '<a href=" JavaScript:alert(1)">x</a>',
                    '<script>var __pwned_marker = 1</script>', '<iframe srcdoc="hi"></iframe>'):
            page.set_content(bad)
            with pytest.raises(AssertionError):
                assert_not_pwned(t)
    finally:
        page.close()


@browser_test
def test_share_code_with_script_shows_a_notice(tab):
    tab.open(_url("/Self_Assessment", {"a": "v1.<script>window.__pwned=1;alert(1)</script>.abcd"}))
    expect()(tab.page.locator(WARNING).filter(has_text="could not be read")).to_be_visible()
    assert tab.page.get_by_test_id("stMetric").filter(has_text="You stand on").count() == 0
    assert_not_pwned(tab)
    tab.assert_healthy()


@browser_test
def test_path_traversal_in_note_shows_a_notice(tab):
    tab.open("/Notes?note=../../etc/passwd")
    expect()(tab.page.locator(WARNING).filter(has_text="does not exist")).to_be_visible()
    expect()(tab.main.get_by_role("heading", name=content().notes[0].title, exact=True)).to_be_visible()
    assert "root:" not in tab.main_text()
    tab.assert_healthy()


@pytest.fixture
def fresh_tab(browser, server):
    """A page in a new browser context, hence on new HTTP connections (see the test below)."""
    t = Tab(browser, server.url, fresh=True)
    yield t
    t.close()


# Every page with every parameter at 500 kB is run in AppTest (tests/test_hostile.py: a notice, not the value).
# Here the real path of a 100 kB address (Chromium, Streamlit's HTTP server and the frontend's query string),
# once per way a page reads its parameters: a note id looked up in the content, a share code checked by its
# binder, and six widgets bound to the address.
LONG_CASES = ["/Notes", "/Self_Assessment", "/Certifications"]


@browser_test
@pytest.mark.parametrize("path", LONG_CASES)
def test_absurdly_long_parameters_show_a_notice(fresh_tab, path):
    """A 100 kB value in the page's first parameter and 4 kB in its other ones.

    Below the app, Streamlit's HTTP server (uvicorn + h11) answers 400 to a request line over about
    128 kB, and resets a kept-alive connection that carries a second request over about 64 kB.  So
    the sizes stay under 128 kB, and each case uses a fresh browser context (fresh connections):
    what is tested is the app's handling of the value, not the server's connection reuse.
    """
    tab = fresh_tab
    names, extra = READS[path][0]
    params = {**extra, **{n: ("A" * 100_000 if i == 0 else "B" * 4_000) for i, n in enumerate(names)}}
    tab.open(_url(path, params))
    expect()(tab.page.locator("h1").first).to_be_visible()
    expect()(tab.page.locator(WARNING).first).to_be_visible()
    body = tab.page.locator("body").inner_text()
    assert "A" * 1000 not in body and "B" * 1000 not in body, "the page echoes the huge value"
    assert tab.page.locator(ERROR).count() == 0
    tab.assert_healthy()


HOSTILE_NOTE = """---
title: Hostile <script>window.__pwned=1;alert("title")</script> note
summary: Summary <img src=x onerror="window.__pwned=1;alert('summary')">
tags: [evil]
---
## Section one

Plain words to search for: zebraquokka.

<script>window.__pwned=1;alert("body script")</script>

<img src=x onerror="window.__pwned=1;alert('img')">

[markdown link](javascript:window.__pwned=1)

<a href="javascript:window.__pwned=1">raw link</a> <a href="JaVaScRiPt:window.__pwned=1">mixed case</a>

<iframe src="javascript:window.__pwned=1"></iframe><iframe srcdoc="<script>parent.__pwned=1</script>"></iframe>

<svg onload="window.__pwned=1"><circle r="4"/></svg>

<div onclick="window.__pwned=1" style="background:url(javascript:window.__pwned=1)">div with handler</div>

<form action="javascript:window.__pwned=1"><button formaction="javascript:window.__pwned=1">go</button></form>

<object data="javascript:window.__pwned=1"></object><embed src="javascript:window.__pwned=1">

<details open ontoggle="window.__pwned=1"><summary>toggle</summary>x</details>

## Section <img src=x onerror="window.__pwned=1"> two

More text.
"""


@browser_test
def test_script_injection_through_an_uploaded_note_never_runs(tab):
    page = tab.open("/Notes").page
    expander = page.get_by_test_id("stExpander").filter(has_text="Add your own notes")
    expander.locator("summary").click()
    uploader = expander.get_by_test_id("stFileUploaderDropzoneInput").first
    uploader.set_input_files(files=[{"name": "hostile.md", "mimeType": "text/markdown", "buffer": HOSTILE_NOTE.encode()}])
    tab.settle()
    link = tab.main.locator("a[href*='note=upload-']")
    expect()(link.first).to_be_visible()
    assert_not_pwned(tab)
    link.first.click()  # client-side navigation: same session, so the upload is still there
    tab.settle()
    expect()(tab.main.get_by_role("heading", name="Section one")).to_be_visible()
    expect()(tab.main.get_by_text("zebraquokka")).to_be_visible()
    page.mouse.move(10, 10)
    for el in tab.main.get_by_text("div with handler").all():
        el.click()  # an onclick that survived would fire here
    assert_not_pwned(tab)

    # the uploaded note is searchable in this session, and its snippet is inert too
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_label("Search everything").fill("zebraquokka")
    sidebar.get_by_role("button", name="Search").click()
    tab.settle()
    expect()(tab.main.locator("mark").filter(has_text="zebraquokka").first).to_be_visible()
    assert_not_pwned(tab)
    tab.assert_healthy()


@browser_test
def test_uploading_a_binary_file_as_a_note_shows_an_error_not_a_traceback(tab):
    page = tab.open("/Notes").page
    expander = page.get_by_test_id("stExpander").filter(has_text="Add your own notes")
    expander.locator("summary").click()
    expander.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
        files=[{"name": "broken.md", "mimeType": "text/markdown", "buffer": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50}])
    tab.settle()
    expect()(tab.page.locator(ERROR).filter(has_text="broken.md")).to_be_visible()
    tab.assert_healthy()


# --------------------------------------------------------------------------- theme
def _luminance(css_colour: str) -> float:
    nums = [float(x) for x in re.findall(r"[\d.]+", css_colour)[:3]]

    def lin(c: float) -> float:
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(x) for x in nums)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


@browser_test
def test_theme_follows_the_os_preference_and_chart_text_stays_readable(browser, server):
    """Light, then the OS switched to dark while the page is open: the app and its charts follow."""
    t = Tab(browser, server.url)
    try:
        t.open("/Maturity_Ladders")
        for dark in (False, True):
            if dark:
                switch_os_theme(t.page, "dark")
            expect()(t.page.locator(CHART_SVG).first).to_be_visible()
            bg = t.page.evaluate("getComputedStyle(document.querySelector(\"[data-testid='stApp']\")).backgroundColor")
            fg = t.page.evaluate("getComputedStyle(document.querySelector(\"[data-testid='stMain'] h1\")).color")
            assert (_luminance(bg) < 0.05) if dark else (_luminance(bg) > 0.9), bg
            assert _contrast(fg, bg) >= 7, (fg, bg)
            # chart titles, axis titles, tick labels and legends sit on the app background: they must be readable
            # (once the chart has redrawn in the theme: on a busy machine later than switch_os_theme's short wait)
            deadline = time.monotonic() + 10
            while True:
                fills = t.page.locator("[data-testid='stPlotlyChart']").first.evaluate(
                    """el => [...el.querySelectorAll('.gtitle, .xtitle, .ytitle, .xtick text, .ytick text, .legendtext')]
                             .map(n => [n.textContent, getComputedStyle(n).fill, getComputedStyle(n).opacity])"""
                )
                low = [(text, fill) for text, fill, op in fills if text.strip() and _contrast(fill, bg) < 3]
                if fills and not low or time.monotonic() > deadline:
                    break
                t.page.wait_for_timeout(200)
            assert fills, "no chart text found"
            assert not low, f"{'dark' if dark else 'light'}: chart text with contrast < 3 against {bg}: {low[:5]}"
        t.assert_healthy()
    finally:
        t.close()


# --------------------------------------------------------------------------- no browser needed
@pytest.mark.parametrize("ci", ["true", "", "false"])
def test_skip_rule_without_chromium(monkeypatch, tmp_path, ci):
    """Without chromium: skipped locally, a failure with CI=true (never a silent skip on CI)."""
    import tests.e2e_util as eu

    monkeypatch.setattr(eu, "CHROMIUM", str(tmp_path / "no-chromium"))
    monkeypatch.setenv("CI", ci)
    expected = pytest.fail.Exception if ci == "true" else pytest.skip.Exception
    with pytest.raises(expected, match="chromium"):
        eu.require_browser()



def _params_read_by(path: Path) -> set[str]:
    """Query parameter names a file reads: ``st.query_params.get("x")``, ``urlstate.follow("x", ...)`` (and
    ``check``, ``follow_list``, ``raw``, the older ``bind``), a widget with ``key="x", bind="query-params"``,
    ``st.query_params["x"]``, and names looped over in ``for key, ... in (("x", ...), ...): st.query_params.get(key)``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    consts: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            for tgt in node.targets:
                if isinstance(tgt, ast.Name):
                    consts[tgt.id] = node.value.value
    loops: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.For) and isinstance(node.iter, (ast.Tuple, ast.List)):
            first = node.target.elts[0] if isinstance(node.target, ast.Tuple) else node.target
            if isinstance(first, ast.Name):
                vals = set()
                for elt in node.iter.elts:
                    e = elt.elts[0] if isinstance(elt, (ast.Tuple, ast.List)) else elt
                    if isinstance(e, ast.Constant) and isinstance(e.value, str):
                        vals.add(e.value)
                loops.setdefault(first.id, set()).update(vals)

    def resolve(arg) -> set[str]:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return {arg.value}
        if isinstance(arg, ast.Name):
            if arg.id in consts:
                return {consts[arg.id]}
            return loops.get(arg.id, set())
        if isinstance(arg, ast.Attribute) and isinstance(arg.value, ast.Name) and arg.value.id == "sharecode":
            from explorer.assess import sharecode

            return {getattr(sharecode, arg.attr)}
        return set()

    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and node.args:
            f = node.func
            name = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
            on_qp = isinstance(f, ast.Attribute) and isinstance(f.value, ast.Attribute) and f.value.attr == "query_params"
            if (on_qp and name in {"get", "get_all"}) or name in {"param", "state_from_param", "bind", "follow", "check",
                                                                   "follow_list", "raw"}:
                found |= resolve(node.args[0])
        if isinstance(node, ast.Call):
            kw = {k.arg: k.value for k in node.keywords}
            if isinstance(kw.get("bind"), ast.Constant) and kw["bind"].value == "query-params" and "key" in kw:
                found |= resolve(kw["key"])
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            if isinstance(node.value, ast.Attribute) and node.value.attr == "query_params":
                found |= resolve(node.slice)
    return found


def _view_modules_of(path: Path) -> list[Path]:
    """The ``ui`` view modules a page imports (``from ui import x_view``, ``from ui.x_view import ...``)."""
    names = re.findall(r"^from ui(?: import |\.)(\w+_view)\b", path.read_text(encoding="utf-8"), re.M)
    return [ROOT / "ui" / f"{n}.py" for n in names]


def test_hostile_tests_cover_every_parameter_the_pages_read():
    from explorer.routes import PAGE_LIST

    documented = {p.path: set(p.params) for p in PAGE_LIST}
    missing = {}
    for f in sorted((ROOT / "pages").glob("*.py")):
        url = "/" + re.sub(r"^\d+_", "", f.stem)
        read = _params_read_by(f).union(*(_params_read_by(m) for m in _view_modules_of(f))) | documented.get(url, set())
        lacking = read - params_of(url)
        if lacking:
            missing[f.name] = sorted(lacking)
    assert _params_read_by(ROOT / "app.py") == set(), "app.py reads query parameters: add them to READS"
    assert not missing, f"pages read parameters that the hostile-input tests do not send: {missing}"
    brief = {"note", "section", "q", "term", "rung", "compare", "quarter", "split", "tier", "view", "cert", "trend",
             "a", "m", "tab", "seed", "vendor", "stage"}
    assert brief <= set(ALL_PARAMS)


# --------------------------------------------------------------------------- issue 12: workshop, plan, printed report
# Three people answer in their own browser contexts; the workshop combines their links; the
# printable reports print to PDF (Chromium's own print to PDF, ``page.pdf()``, from the downloaded
# HTML opened as a file) and are read back with pypdf.
WAIT = 30_000  # ms: these pages are heavy on a loaded 2-core machine

# Three people, hand-worked (only these questions answered; unanswered ones stay out of the statistics):
#   code-ci       Ana 0, Bo 3, Cy 2     -> lower median 2, range 3 of 3 answer steps: the top disagreement
#   environments  Ana 2, Bo 3, Cy 2     -> median 2, range 1/3
#   feature-store Ana 0, Bo 0, Cy N/A   -> median 0, range 1/3 (N/A counts one below the first answer)
PEOPLE = [
    ({"code-ci": 0, "environments": 2, "feature-store": 0}, (), "Ana", ""),
    ({"code-ci": 3, "environments": 3, "feature-store": 0}, (), "", ""),
    ({"code-ci": 2, "environments": 2}, ("feature-store",), "", "GitHub Actions on every push"),
]
CONSENSUS = {"code-ci": 2, "environments": 2, "feature-store": 0}


def _short(result) -> list[str]:
    return [f"{p.level_word} {p.current.rank}" if p.current else "Below the first rung" for p in result.placements]


def _metric_values(page, label: str) -> list[str]:
    metrics = page.get_by_test_id("stMetric").filter(has_text=label)
    expect()(metrics.first).to_be_visible(timeout=WAIT)
    return [m.get_by_test_id("stMetricValue").inner_text().strip() for m in metrics.all()]


def _pick(page, qid: str, label: str) -> None:
    page.locator(f".st-key-q_{qid}").get_by_text(label, exact=True).click()


def _pdf_text(pdf: bytes) -> tuple[int, str]:
    import io

    import pypdf

    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def _print(chromium, html_path) -> tuple[dict, int, str]:
    """Open a downloaded report as a file, read its sections from the DOM, print it to PDF (A4)."""
    ctx = chromium.new_context()
    try:
        page = ctx.new_page()
        page.goto(html_path.as_uri())
        dom = page.evaluate("""() => ({
            sections: [...document.querySelectorAll('section[id]')].map(s => s.id),
            svg: document.querySelectorAll('section#placements svg.ladders rect.rung').length,
            scripts: document.querySelectorAll('script').length,
            text: document.body.innerText })""")
        pages, text = _pdf_text(page.pdf(format="A4", print_background=True))
        return dom, pages, text
    finally:
        ctx.close()


def _squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


# --------------------------------------------------------------------------- three people, one workshop
@browser_test
def test_three_people_answer_and_the_workshop_shows_the_median_and_the_top_disagreement(browser, server, tmp_path):
    from explorer.assess import sharecode
    from explorer.assess.scoring import evaluate

    c = content()
    a, vendors = c.assessment, c.vendors
    q = {x.id: x for x in a.questions}
    links = []
    for answers, na, name, note in PEOPLE:
        if not (na or name or note):  # plain answers: their share link is what the page makes (tested above)
            links.append(f"{server.url}/Self_Assessment?a={sharecode.encode(a, answers)}")
            continue
        tab = Tab(browser, server.url)  # each person in their own browser context
        try:
            page = tab.open("/Self_Assessment").page
            sent: list[object] = []
            page.on("websocket", lambda ws, sent=sent: ws.on("framesent", sent.append))
            for qid, idx in answers.items():
                _pick(page, qid, q[qid].answers[idx].label)
            for qid in na:
                _pick(page, qid, "Does not apply to us")
            if name:
                page.locator(".st-key-participant_name input").fill(name)
            page.wait_for_timeout(300)
            # answers and the name are collected in a form: choosing them costs the server nothing
            assert sent == [], f"answering sent {len(sent)} message(s) to the server"
            if note:
                page.get_by_text("Add a note under each answer").click()
                tab.settle()
                assert page.locator(".st-key-q_code-ci input[type=radio]:checked").count() == 1, "the pending answer survives"
                page.locator(".st-key-note_code-ci input").fill(note)
            page.get_by_role("button", name="Show my result").click()
            # the share link is the address bar (the page shows the same link): no need to wait for the charts
            expect()(page).to_have_url(re.compile(r"[?&]a=v[12]\."), timeout=WAIT)
            link = page.url
            d = sharecode.decode(parse_qs(urlsplit(link).query)["a"][0], a)
            assert (d.answers, d.na, d.name, d.notes.get("code-ci", "")) == (answers, frozenset(na), name, note)
            links.append(link)
            tab.assert_healthy()
        finally:
            tab.close()

    expected = _short(evaluate(a, vendors, CONSENSUS))
    facilitator = Tab(browser, server.url)
    try:
        page = facilitator.open("/Workshop").page
        page.locator(".st-key-ws_paste textarea").fill("\n".join(links))
        page.get_by_role("button", name="Combine").click()
        expect()(page).to_have_url(re.compile(r"[?&]w=w1_"), timeout=WAIT)
        expect()(page.get_by_test_id("stMetric").filter(has_text="Team consensus")).to_have_count(len(expected), timeout=WAIT)
        assert _metric_values(page, "Team consensus") == expected
        first = page.get_by_text(f"1. {q['code-ci'].text}", exact=True)
        expect()(first).to_be_visible(timeout=WAIT)
        card = page.get_by_test_id("stVerticalBlock").filter(has=first).last
        expect()(card).to_contain_text(f"1 × {q['code-ci'].answers[0].label} (Ana)", timeout=WAIT)
        expect()(card).to_contain_text("GitHub Actions on every push", timeout=WAIT)
        expect()(page.get_by_text(f"2. {q['environments'].text}", exact=True)).to_be_visible(timeout=WAIT)
        assert page.locator(WARNING).count() == 0
        code = parse_qs(urlsplit(page.url).query)["w"][0]
        assert [sharecode.decode(m, a).answers for m in sharecode.decode_workshop(code)] == [p[0] for p in PEOPLE]

        # the workshop report, printed by Chromium
        with page.expect_download() as dl:
            page.get_by_role("button", name="Printable workshop report (HTML → PDF)").click()
        report = tmp_path / "workshop.html"
        dl.value.save_as(report)
        dom, pages, text = _print(browser, report)
        assert dom["sections"] == ["placements", "blockers", "disagreements", "plan", "participants"]
        assert dom["svg"] > 0 and dom["scripts"] == 0
        flat = _squash(text)
        for part in ("Where the team stands (consensus)", "What holds the team back", "Where the team disagrees most",
                     "Improvement plan", "Participants", q["code-ci"].text, "Ana", "Content version"):
            assert part in flat, part
        assert pages <= 2

        # full screen for the room: no sidebar, large type, the view in the link; "Start over" clears it all
        # (that the w link alone reproduces the view in a new session is tested with AppTest)
        # the toggle's run writes the address when it starts, and draws the large view after its style (which hides
        # the sidebar): wait for each, not for the first that comes
        page.get_by_test_id("stCheckbox").filter(has_text="Facilitator view").click()
        expect()(page).to_have_url(re.compile(r"[?&]view=facilitator\b"), timeout=WAIT)
        facilitator.settle()
        expect()(page.get_by_test_id("stSidebar")).to_be_hidden(timeout=WAIT)
        large = page.locator(".st-key-facilitator [data-testid='stMetricValue']").first
        expect()(large).to_be_visible(timeout=WAIT)
        size = large.evaluate("e => parseFloat(getComputedStyle(e.querySelector('*') || e).fontSize)")
        assert size >= 48, size
        assert _metric_values(page, "Team consensus") == expected
        expect()(page.get_by_text(f"1. {q['code-ci'].text}", exact=True)).to_be_visible(timeout=WAIT)
        page.get_by_role("button", name="Start over").click()
        expect()(page).not_to_have_url(re.compile(r"[?&](w|view)="), timeout=WAIT)
        facilitator.settle()
        expect()(page.get_by_role("textbox", name="Share links or codes, one per line")).to_have_value("", timeout=WAIT)
        expect()(page.get_by_test_id("stSidebar")).to_be_visible(timeout=WAIT)
        facilitator.assert_healthy()
    finally:
        facilitator.close()


# --------------------------------------------------------------------------- result, plan, printed report
@browser_test
def test_result_with_plan_owner_prints_to_a_one_page_pdf_with_every_section(browser, server, tmp_path):
    from explorer.assess import plan as plan_mod
    from explorer.assess import sharecode
    from explorer.assess.results_io import content_version

    c = content()
    a = c.assessment
    answers = {x.id: 2 for x in a.questions if x.id != "collaboration"}
    code = sharecode.encode(a, answers, na=["collaboration"], notes={"code-ci": "See https://example.com/ci"}, name="Ana")
    tab = Tab(browser, server.url)
    try:
        page = tab.open(f"/Self_Assessment?a={code}").page
        expect()(page.get_by_text("Your notes and “does not apply”")).to_be_visible(timeout=WAIT)
        # owner of the first plan step, typed into the editor's cell
        page.get_by_test_id("stCheckbox").filter(has_text="Owners and target dates").click()
        tab.settle()
        grid = page.locator("[class*='st-key-plan_editor_'] canvas").first
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        page.mouse.dblclick(box["x"] + 90, box["y"] + 52)
        page.wait_for_timeout(300)
        page.keyboard.type("Ana Ops", delay=30)
        page.keyboard.press("Enter")
        tab.settle()
        expect()(page).to_have_url(re.compile(r"[?&]plan=p2\."), timeout=WAIT)
        edits = plan_mod.decode_edits(parse_qs(urlsplit(page.url).query)["plan"][0])
        assert [e["owner"] for e in edits.values()] == ["Ana Ops"]

        with page.expect_download() as dl:
            page.get_by_role("button", name="Printable report (HTML → PDF)").click()
        assert dl.value.suggested_filename.endswith(".html")
        report = tmp_path / "report.html"
        dl.value.save_as(report)
        # the JSON and Markdown downloads carry the same N/A, note, name and owner
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download result (JSON)").click()
        data = json.loads(Path(dl.value.path()).read_text(encoding="utf-8"))
        assert data["not_applicable"] == ["collaboration"] and data["participant"] == "Ana"
        assert data["notes"] == {"code-ci": "See https://example.com/ci"} and data["share_code"] == code
        assert [s["owner"] for s in data["plan"] if s["owner"]] == ["Ana Ops"]
        with page.expect_download() as dl:
            page.get_by_role("button", name="Download report (Markdown)").click()
        md = Path(dl.value.path()).read_text(encoding="utf-8")
        assert "Answered by: Ana" in md and "owner: Ana Ops" in md and "Does not apply to us (N/A)" in md
        tab.assert_healthy()
    finally:
        tab.close()

    dom, pages, text = _print(browser, report)
    assert dom["sections"] == ["placements", "blockers", "plan", "evidence"]
    assert dom["svg"] > 0 and dom["scripts"] == 0
    flat = _squash(text)
    version = content_version(a, c.vendors, c.ml_test_score)
    today = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d")
    assert "See https://example.com/ci" in dom["text"]  # (the PDF's text breaks the link over two lines)
    for part in ("Where you stand", "What holds you back", "Improvement plan", "Evidence", "Does not apply to us",
                 "See https://example.com", "Owner: Ana Ops", "Answered by: Ana", version, today):
        assert part in flat, part
    for p in ("Amazon Web Services", "Microsoft Azure", "Google Cloud"):
        assert p in flat
    assert pages == 1, f"the typical result should fit one A4 page, printed on {pages}"
