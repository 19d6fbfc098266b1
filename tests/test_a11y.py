"""Usable by everyone (issue 11), in a real Chromium against the real server.

* axe-core (bundled by ``axe-playwright-python``; WCAG 2.1 A and AA rules) on every page of the route
  table, in the light and the dark theme, on a desktop (1400x900) and a phone-sized (390x844)
  viewport, all four in one page load (the theme and the window size changed on the open page),
  plus a few states worth checking (a selected rung, a glossary term, a note section, a tier, a
  quiz, a self-assessment result) on a touch phone and in a desktop-sized window, both in one page
  load: no serious or critical
  violation anywhere.  In the same page load, each page is checked to load cleanly (a title, charts
  drawn with no label cut off, the sidebar of page links, no error).
* Phone layouts: at 390 px the maturity ladders, the hierarchy pyramid and the home page's figures
  are written out as text (no text under 12 px, nothing wider than the screen); on a desktop the
  charts and images are there instead.
* Glossary previews in notes: shown on keyboard focus (desktop), opened by a tap on touch screens,
  announced as the link's description.
* The main journeys of the e2e suite with the keyboard alone (``page.keyboard`` only, no clicks),
  with a visible focus indicator wherever focus lands.

One server, as deployed: behind HAProxy with the security headers (every page and state above is also checked
for Content-Security-Policy violations); one browser context per viewport, reused.  Locally the module is skipped when
Debian's chromium is missing; with ``CI=true`` it fails instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import parse_qs, urlsplit

import pytest

from explorer.routes import PAGE_LIST
from tests.e2e_util import (
    WATCH_CSP,
    PageWatch,
    assert_page_loads_cleanly,
    csp_violations,
    goto,
    on_ci,
    switch_os_theme,
    wait_for_app,
)

browser_test = pytest.mark.browser

DESKTOP = {"viewport": {"width": 1400, "height": 900}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
THEMES = ("light", "dark")
COMBOS = [f"{viewport}-{theme}" for viewport in VIEWPORTS for theme in THEMES]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
               "resultTypes": ["violations"]}
BLOCKING = {"serious", "critical"}


def _share_code() -> str:
    from explorer import CONTENT_DIR
    from explorer.assess import sharecode
    from explorer.content.loader import load_content

    a = load_content(CONTENT_DIR).assessment
    return sharecode.encode(a, {q.id: (len(q.answers) - 1) // 2 for q in a.questions})


@lru_cache(maxsize=1)
def _content():
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    return load_content(CONTENT_DIR)


# Every page of the route table (a page added there is checked too), then states behind a click.
PAGE_PATHS = [p.path for p in PAGE_LIST]
STATES = [
    "/Maturity_Ladders?rung=azure-2",
    "/Glossary?term=feature-store",
    "/Notes?note=maturity-models&section=azure",
    f"/Concepts?tier={_content().hierarchy.tiers[1].id}",
    "/Study?tab=quiz&seed=7",
    "/Study?tab=course",
    "/Study?tab=browse&card=term-def:feature-store",
    "/Study?tab=memory",
    f"/Self_Assessment?a={_share_code()}",
]


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def _axe_available(_browser_available):
    try:
        import axe_playwright_python  # noqa: F401
    except ImportError:
        reason = "the Python package 'axe-playwright-python' is not installed (pip install -r requirements-dev.txt)"
        if on_ci():
            pytest.fail(f"CI=true but the accessibility tests cannot run: {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(scope="module")
def server(_axe_available, csp_site):
    """The app as deployed: behind HAProxy, with the security headers (``tests/conftest.py``): every page
    opened here is also checked for Content-Security-Policy violations."""
    return csp_site




class Tabs:
    """One page per theme and viewport, created on first use and reused (each goto is a new session)."""

    def __init__(self, browser, base_url: str):
        self.browser, self.base_url = browser, base_url
        self._open: dict[str, tuple] = {}

    def get(self, viewport: str):
        if viewport not in self._open:
            context = self.browser.new_context(**VIEWPORTS[viewport])
            context.set_default_timeout(20_000)
            context.add_init_script(WATCH_CSP)
            page = context.new_page()
            self._open[viewport] = (context, page, PageWatch().attach(page))
        return self._open[viewport][1:]

    def open(self, combo: str, path: str):
        """``combo`` is ``viewport-theme``: the page's context has the viewport, the theme is the OS
        preference (Streamlit follows it, also while the page is open: see :func:`switch_theme`)."""
        viewport, theme = combo.split("-")
        page, watch = self.get(viewport)
        watch.clear()
        page.set_viewport_size(VIEWPORTS[viewport]["viewport"])  # a test may have resized it
        page.emulate_media(color_scheme=theme)
        goto(page, self.base_url + path)
        _charts_drawn(page)
        return page, watch

    def close(self) -> None:
        for context, *_ in self._open.values():
            context.close()


def resize(page, viewport: str) -> None:
    """Give an open page another window size; the layout follows (CSS width queries, Plotly's resize).
    The one thing a narrow desktop window does not show is what only a touch screen gets (CSS
    ``hover: none``: the glossary's "?" buttons): the states below and the tap test use a touch phone."""
    size = VIEWPORTS[viewport]["viewport"]
    page.set_viewport_size(size)
    page.wait_for_function("w => window.innerWidth === w", arg=size["width"], polling=50)
    page.wait_for_timeout(300)  # charts redraw at the new width
    _charts_drawn(page)


def switch_theme(page, theme: str) -> None:
    """Change the OS colour preference of an open page; Streamlit redraws in that theme."""
    switch_os_theme(page, theme)
    _charts_drawn(page)


@pytest.fixture(scope="module")
def tabs(_axe_available, browser, server):
    t = Tabs(browser, server.url)
    yield t
    t.close()


def _charts_drawn(page) -> None:
    page.wait_for_function(
        """() => [...document.querySelectorAll("[data-testid='stPlotlyChart']")].every(c => c.querySelector('.main-svg'))
                 && [...document.querySelectorAll("[data-testid='stMain'] img")].every(i => i.complete)""", polling=50)


def expect():
    from playwright.sync_api import expect as _expect

    return _expect


# --------------------------------------------------------------------------- axe
def axe_violations(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().run(page, options=AXE_OPTIONS).response["violations"]


def _summary(violations: list[dict]) -> list[str]:
    out = []
    for v in violations:
        node = v["nodes"][0]
        why = " ".join(c["message"] for c in node.get("any", []) + node.get("all", []) + node.get("none", []))
        out.append(f"{v['id']} ({v['impact']}, {len(v['nodes'])} node(s)): {node['target']} {node['html'][:160]} -- {why[:240]}")
    return out


def _axe_here(page, watch, combo: str, path: str) -> None:
    # a late run (the browser store's report) fades the page while it runs: axe would read faded colours
    page.wait_for_function("""() => document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']")
                                  && !document.querySelector("[data-stale='true']")""", polling=50)
    errors = page.locator("[data-testid='stException']")
    assert errors.count() == 0, errors.first.inner_text()[:1500]
    blocking = [v for v in axe_violations(page) if v["impact"] in BLOCKING]
    assert blocking == [], f"{path} ({combo}):\n" + "\n".join(_summary(blocking))
    if combo.startswith("phone"):  # reflow: nothing makes the page scroll sideways at 390 px
        wide = page.evaluate("() => document.querySelector(\"[data-testid='stMain']\").scrollWidth")
        assert wide <= 390, f"{path} ({combo}) is {wide} px wide"
    assert watch.problems() == [], watch.problems()
    assert csp_violations(page) == [], f"{path} ({combo})"


@browser_test
@pytest.mark.parametrize("path", PAGE_PATHS)
def test_no_serious_axe_violation_on_any_page(tabs, path):
    """The four combinations in one page load: a desktop, light then dark; the same page at 390 px,
    dark then light (the theme and the window size switched on the open page).  First, that the page
    loads cleanly (a title, charts, the sidebar of page links, no error)."""
    page, watch = tabs.open("desktop-light", path)
    assert_page_loads_cleanly(page, path)
    _axe_here(page, watch, "desktop-light", path)
    switch_theme(page, "dark")
    _axe_here(page, watch, "desktop-dark", path)
    resize(page, "phone")
    _axe_here(page, watch, "phone-dark", path)
    switch_theme(page, "light")
    _axe_here(page, watch, "phone-light", path)


@browser_test
@pytest.mark.parametrize("path", STATES)
def test_no_serious_axe_violation_in_states_behind_a_click(tabs, path):
    """Both in one page load: on a touch phone in the dark theme, then the same page in a desktop-sized window
    in the light theme."""
    page, watch = tabs.open("phone-dark", path)
    _axe_here(page, watch, "phone-dark", path)
    resize(page, "desktop")
    switch_theme(page, "light")
    _axe_here(page, watch, "desktop-light", path)


# --------------------------------------------------------------------------- phone layouts
_SMALL_OR_CLIPPED = """(sel) => { const box = document.querySelector(sel); const out = [];
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const n = walker.currentNode; if (!n.textContent.trim()) continue;
    const el = n.parentElement, r = el.getBoundingClientRect(), size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 12 || r.right > innerWidth + 0.5 || r.left < -0.5 || el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow === 'hidden')
      out.push([n.textContent.trim().slice(0, 40), size, Math.round(r.left), Math.round(r.right)]);
  } return out; }"""


def _visible(page, selector: str) -> bool:
    loc = page.locator(selector)
    return loc.count() > 0 and loc.first.is_visible()


@browser_test
@pytest.mark.parametrize("path, pairs", [
    ("/Maturity_Ladders", [(".st-key-wide-only-ladder-chart", ".st-key-narrow-only-ladders")]),
    ("/Concepts", [(".st-key-wide-only-pyramid", ".st-key-narrow-only-pyramid")]),
    ("/", [(".st-key-fig-hierarchy-image", ".st-key-fig-hierarchy-text"), (".st-key-fig-breakdown-image", ".st-key-fig-breakdown-text")]),
], ids=["ladders", "pyramid", "home-figures"])
def test_charts_too_small_on_a_phone_are_written_out(tabs, path, pairs):
    """Each (chart, its text version) of the page: the text at 390 px, the chart on a desktop."""
    page, _ = tabs.open("phone-light", path)
    for chart, text in pairs:
        assert not _visible(page, chart), f"{chart} is still shown at 390 px"
        assert _visible(page, text), f"no text version of {chart} at 390 px"
        assert page.evaluate(_SMALL_OR_CLIPPED, text) == []
        assert page.locator(f"{text} li").count() >= 4
    page, _ = tabs.open("desktop-light", path)
    for chart, text in pairs:
        assert _visible(page, chart) and not _visible(page, text)


@browser_test
def test_phone_ladders_name_every_rung_and_mark_the_selected_one(tabs):
    content = _content()
    page, _ = tabs.open("phone-dark", "/Maturity_Ladders?rung=azure-2")
    text = page.locator(".st-key-narrow-only-ladders").inner_text()
    for v in content.vendors:
        assert v.name in text
        for lv in v.levels:
            assert lv.name in text, lv.id
    selected = page.locator(".st-key-narrow-only-ladders li", has_text="▶")
    expect()(selected).to_have_count(1)
    assert next(lv.name for v in content.vendors for lv in v.levels if lv.id == "azure-2") in selected.inner_text()


@browser_test
def test_home_figures_are_images_with_their_text_alternatives_on_a_desktop(tabs):
    from explorer import FIGURES_DIR
    from explorer.figure_files import read_manifest

    manifest = read_manifest(FIGURES_DIR)["figures"]
    page, _ = tabs.open("desktop-dark", "/")
    assert page.get_by_test_id("stPlotlyChart").count() == 0
    images = page.locator("img.figure-image")
    expect()(images).to_have_count(2)
    for img, name in zip(images.all(), ("mlops_breakdown_small.svg", "hierarchy_of_needs_small.svg")):
        assert img.evaluate("i => i.complete && i.naturalWidth === 480 && i.getBoundingClientRect().width >= 400")
        expect()(img).to_have_accessible_name(manifest[name]["description"])


# --------------------------------------------------------------------------- glossary previews
def _definition(term_id: str) -> str:
    return next(t.definition for t in _content().glossary if t.id == term_id)


@browser_test
def test_glossary_preview_opens_on_keyboard_focus_and_is_the_links_description(tabs):
    page, _ = tabs.open("desktop-light", "/Notes?note=kaizen")
    link = page.locator(".note-body a.gloss").first
    term = parse_qs(urlsplit(link.get_attribute("href")).query)["term"][0]
    tip = page.locator(f"#{link.get_attribute('aria-describedby')}")
    assert not tip.is_visible()
    assert not page.locator(".note-body .gloss-more").first.is_visible()  # the touch button: not with a mouse
    _tab_to(page, "e => e.classList.contains('gloss')")
    expect()(tip).to_be_visible()
    expect()(tip).to_have_text(_definition(term))
    expect()(tip).to_have_attribute("role", "tooltip")
    expect()(link).to_have_accessible_description(_definition(term))
    page.keyboard.press("Tab")
    expect()(tip).to_be_hidden()


@browser_test
def test_glossary_preview_opens_with_a_tap_on_a_touch_screen(tabs):
    page, _ = tabs.open("phone-dark", "/Notes?note=kaizen")
    link = page.locator(".note-body a.gloss").first
    term = parse_qs(urlsplit(link.get_attribute("href")).query)["term"][0]
    button = page.locator(".note-body .gloss-more").first
    expect()(button).to_be_visible()
    expect()(button).to_have_accessible_name(f"Definition of {link.inner_text()}")
    tip = page.locator(f"#{button.get_attribute('popovertarget')}")
    button.tap()
    expect()(tip).to_be_visible()
    expect()(tip).to_have_text(_definition(term))
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390 and box["y"] + box["height"] <= 844  # on screen
    assert float(tip.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 14
    page.get_by_role("heading", level=1).first.tap()  # a tap elsewhere closes it
    expect()(tip).to_be_hidden()
    assert page.url.endswith("/Notes?note=kaizen")  # the button opened the preview, it did not navigate


# --------------------------------------------------------------------------- keyboard only
_FOCUS_RING = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const drawn = x => { const cs = getComputedStyle(x);
    return (cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0) || (cs.boxShadow && cs.boxShadow !== 'none'); };
  // a text field or a select box shows focus on its frame: the border turns the theme's primary colour
  const primary = ['rgb(29, 78, 216)', 'rgb(96, 165, 250)'];
  let frame = false;
  for (let x = e.parentElement, i = 0; x && i < 4 && !frame; x = x.parentElement, i++)
    frame = primary.includes(getComputedStyle(x).borderTopColor) && parseFloat(getComputedStyle(x).borderTopWidth) > 0;
  return {ring: drawn(e) || frame, visible: e.matches(':focus-visible') || e.matches('input'), tag: e.tagName,
          text: (e.innerText || e.value || e.getAttribute('aria-label') || '').slice(0, 60)}; }"""


def _tab_to(page, predicate: str, *, limit: int = 120, backwards: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until ``predicate(document.activeElement)`` holds; the element must show a
    focus indicator (an outline or a box shadow, with :focus-visible)."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if page.evaluate(f"() => !!document.activeElement && ({predicate})(document.activeElement)"):
            page.wait_for_timeout(300)  # focus styles fade in (CSS transitions)
            state = page.evaluate(_FOCUS_RING)
            assert state and state["visible"] and state["ring"], f"no visible focus indicator on {state}"
            return state
    raise AssertionError(f"{predicate} never got the focus in {limit} presses of Tab")


def _sidebar_link(label: str) -> str:
    return (f"e => e.matches(\"[data-testid='stSidebar'] a\") && e.innerText.trim().split('\\n').pop().trim() === {label!r}")


@browser_test
def test_main_journeys_with_the_keyboard_alone(browser, server):
    """Sidebar navigation, a note section from the contents, a rung from the selectbox, a search from the
    sidebar and a hit opened, a flashcard graded with the keys, a self-assessment answered and submitted:
    Tab, Enter, arrows, typing, 1-4, space."""
    context = browser.new_context(**DESKTOP, color_scheme="light")
    context.set_default_timeout(20_000)
    page = context.new_page()
    watch = PageWatch().attach(page)
    content = _content()
    try:
        goto(page, server.url + "/")
        # 1. sidebar navigation: Tab to "Notes reader", Enter
        _tab_to(page, _sidebar_link("Notes reader"))
        page.keyboard.press("Enter")
        expect()(page).to_have_url(re.compile(r"/Notes$"))
        wait_for_app(page)
        # 2. a section of the open note from the contents
        note = content.notes[0]
        section = note.sections[1]
        _tab_to(page, f"e => !!e.closest('.st-key-toc') && e.innerText.trim().split('\\n').pop().trim() === {section.title!r}")
        page.keyboard.press("Enter")
        expect()(page).to_have_url(re.compile(rf"/Notes\?note={note.id}&section={section.id}$"))
        wait_for_app(page)
        expect()(page.locator(f".note-body #{section.id}")).to_be_visible()
        # 3. the maturity ladders, then a rung picked with the selectbox (type to filter, Enter)
        _tab_to(page, _sidebar_link("Maturity ladders"), backwards=True)
        page.keyboard.press("Enter")
        expect()(page).to_have_url(re.compile(r"/Maturity_Ladders$"))
        wait_for_app(page)
        _tab_to(page, "e => e.getAttribute('aria-label') === 'Rung' || (e.labels && [...e.labels].some(l => l.innerText.startsWith('Rung')))")
        page.keyboard.type("Azure · Level 2")
        page.keyboard.press("Enter")
        wait_for_app(page)
        expect()(page).to_have_url(re.compile(r"/Maturity_Ladders\?rung=azure-2$"))
        expect()(page.get_by_role("heading", name=re.compile(r"Level 2"))).to_be_visible()
        # 4. search from the sidebar, then open a hit that points at a note section
        _tab_to(page, "e => e.matches(\"[data-testid='stSidebar'] input\")", backwards=True)
        page.keyboard.type("kaizen")
        page.keyboard.press("Enter")
        expect()(page).to_have_url(re.compile(r"/Search\?q=kaizen$"))
        wait_for_app(page)
        hit = _tab_to(page, "e => e.matches(\"[data-testid='stMain'] a[href*='section=']\")")
        href = page.evaluate("() => document.activeElement.getAttribute('href')")
        page.keyboard.press("Enter")
        wait_for_app(page)
        wanted = parse_qs(urlsplit(href).query)
        assert parse_qs(urlsplit(page.url).query) == wanted, (hit, href, page.url)
        # 5. cards & quizzes: show the answer with space, grade it with 3 ("Good"), keys only
        _tab_to(page, _sidebar_link("Cards & quizzes"), backwards=True)
        page.keyboard.press("Enter")
        expect()(page).to_have_url(re.compile(r"/Study$"))
        wait_for_app(page)
        before = page.get_by_test_id("stMain").inner_text()
        page.keyboard.press("Space")
        wait_for_app(page)
        good = page.get_by_role("button", name=re.compile(r"^Good"))
        expect()(good).to_be_visible()
        page.keyboard.press("3")
        wait_for_app(page)
        expect()(good).to_be_hidden()
        assert page.get_by_test_id("stMain").inner_text() != before
        # 6. the self-assessment: answer a question with the keys, then "Show my result" with Enter
        _tab_to(page, _sidebar_link("Self-assessment"), backwards=True)
        page.keyboard.press("Enter")
        expect()(page).to_have_url(re.compile(r"/Self_Assessment$"))
        wait_for_app(page)
        _tab_to(page, "e => e.matches(\"[data-testid='stForm'] input[type=radio]\")")
        page.keyboard.press("Space")  # the first answer of the first question
        page.keyboard.press("ArrowDown")  # ...changed to the second
        first = content.assessment.questions[0]
        expect()(page.locator(f".st-key-q_{first.id} input[type=radio]:checked")).to_have_count(1)
        _tab_to(page, "e => e.matches('button') && e.innerText.includes('Show my result')")
        page.keyboard.press("Enter")
        expect()(page).to_have_url(re.compile(r"/Self_Assessment\?a=v[12]\."))
        wait_for_app(page)
        expect()(page.get_by_test_id("stMetric").filter(has_text="You stand on").first).to_be_visible()
        assert watch.problems() == [], watch.problems()
    finally:
        context.close()
