"""Math in a real Chromium (issue 23): the server sends each formula's TeX and the browser typesets it (Temml);
formulas are drawn as MathML with a size, in lists, callouts and embeds too, no ``$`` is left, nothing inside a
formula is emphasised, prices and shell text stay text, axe finds nothing serious in either theme, a wide formula
scrolls on a phone, and hostile math (macro loops, a huge matrix, deep braces, a rule a city wide, mutation-XSS
shapes) gets notices while the rest of the note is shown and no script runs.

The server reads a copy of content/ with the notes of tests/fixtures/math/ added."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.e2e_util import ROOT, PageWatch, goto, new_context, require_browser, start_server, switch_os_theme, wait_for_app

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.xdist_group("test_browser_math")]
FIXTURES = Path(__file__).parent / "fixtures" / "math"
BODY = "[data-testid='stMain'] .note-body"
BLOCKING = {"serious", "critical"}

FACTS = """body => {
  const maths = [...body.querySelectorAll('math')];
  const paragraphs = [...body.querySelectorAll('p, li')].filter(p => p.querySelector('math'));
  return {
    count: maths.length,
    blocks: maths.filter(m => m.getAttribute('display') === 'block').length,
    unsized: maths.filter(m => { const r = m.getBoundingClientRect(); return !(r.width > 4 && r.height > 4); }).length,
    undrawn: body.querySelectorAll('.math-slot:not(.math-drawn)').length,
    in_lists: body.querySelectorAll('li math msup, li math mfrac msqrt').length,
    in_callouts: body.querySelectorAll('.callout math munderover, .callout math msubsup').length,
    em_inside: body.querySelectorAll('math em, math strong, math a, math code').length,
    tags: ['msub', 'msup', 'mfrac', 'munder', 'mover', 'mtable', 'msubsup'].filter(t => body.querySelector(t)),
    dollars: paragraphs.filter(p => p.innerText.includes('$')).map(p => p.innerText),
    text: body.innerText,
  };
}"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    require_browser()
    tmp = tmp_path_factory.mktemp("mathsite")
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(FIXTURES, content / "notes" / "math")
    server = start_server(env={"EXPLORER_CONTENT_DIR": str(content)})
    yield server
    server.stop()


def open_note(browser, site, note: str, *, dark: bool = False, width: int = 1280):
    ctx = new_context(browser, viewport={"width": width, "height": 900}, dark=dark)
    ctx.set_default_timeout(30_000)
    page = ctx.new_page()
    watch = PageWatch().attach(page)
    goto(page, f"{site.url}/Notes?note={note}")
    page.locator(BODY).first.wait_for()
    page.wait_for_function(f"() => document.querySelectorAll(\"{BODY} math\").length > 0", polling=50)
    page.wait_for_function(f"() => !document.querySelector(\"{BODY} .math-slot:is([data-mathml], [data-tex])\")", polling=50)  # every slot looked at
    return ctx, page, watch


def test_formulas_are_drawn_as_mathml_and_prices_and_shell_text_stay_text(browser, site):
    ctx, page, watch = open_note(browser, site, "bias-variance")
    try:
        facts = page.locator(BODY).first.evaluate(FACTS)
        assert facts["count"] == 20 and facts["blocks"] == 3
        assert facts["unsized"] == 0 and facts["undrawn"] == 0
        assert facts["in_lists"] >= 2 and facts["in_callouts"] >= 1
        assert facts["em_inside"] == 0
        assert set(facts["tags"]) >= {"msub", "msup", "mfrac", "munder", "mover", "mtable", "msubsup"}
        assert facts["dollars"] == []  # no $ left next to or inside a formula
        text = facts["text"]
        for kept in ("A GPU hour costs $5 and a TPU hour about $10, so a run of 3 hours is $15 or $30.",
                     "or run echo $VAR in a shell; $HOME stays as written", "A literal dollar: $20 per month.",
                     "export HF_HOME=$HOME/.cache", "cost = $x_1$", 'echo "$HOME/$USER" $1 $2'):
            assert kept in text, kept
        assert "Formula not typeset" not in text
        # typeset in this browser: the browser measured its work, and the TeX it typeset is what the note says
        assert page.evaluate("() => performance.getEntriesByName('note-math').length") >= 1
        hat = page.locator(f"{BODY} math", has=page.locator("annotation", has_text="\\widehat{\\theta}")).first
        assert hat.locator("mover").count() == 1 and hat.bounding_box()["height"] > 4
        # the TeX stays with each formula, for screen readers and copying, and is not drawn
        tex = page.locator(f"{BODY} math annotation").first
        assert tex.get_attribute("encoding") == "application/x-tex" and not tex.is_visible()
        assert watch.problems() == []
    finally:
        ctx.close()


def test_axe_finds_no_serious_problem_on_a_math_note(browser, site):
    """Light, then the OS switched to dark on the open page: no serious problem, and the formulas take the
    theme's text colour in both."""
    from axe_playwright_python.sync_playwright import Axe

    ctx, page, _ = open_note(browser, site, "bias-variance")
    try:
        for theme in ("light", "dark"):
            if theme == "dark":
                switch_os_theme(page, "dark")
            wait_for_app(page)  # a rerun (the browser store's first report) fades the page while it runs: axe saw that
            page.wait_for_function("() => !document.querySelector('[data-stale=\"true\"]')", polling=50)
            found = Axe().run(page, options={"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
            blocking = [(v["id"], v["nodes"][0]["target"]) for v in found.response["violations"] if v["impact"] in BLOCKING]
            assert blocking == [], theme
            colours = page.locator(BODY).first.evaluate(
                "b => [getComputedStyle(b).color, getComputedStyle(b.querySelector('math mi')).color]")
            assert colours[0] == colours[1], theme
    finally:
        ctx.close()


def test_a_wide_formula_scrolls_sideways_on_a_phone(browser, site):
    ctx, page, _ = open_note(browser, site, "bias-variance", width=390)
    try:
        widths = page.locator(BODY).first.evaluate("""b => {
          const box = b.querySelector('math[display="block"]');
          const main = document.querySelector("[data-testid='stMain']");
          return {box: box.scrollWidth > box.clientWidth, scrolls: getComputedStyle(box).overflowX,
                  page: main.scrollWidth <= main.clientWidth + 1};
        }""")
        assert widths == {"box": True, "scrolls": "auto", "page": True}
    finally:
        ctx.close()


def test_hostile_math_gets_notices_and_the_rest_of_the_note_is_shown(browser, site):
    ctx, page, watch = open_note(browser, site, "hostile-math")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        body = page.locator(BODY).first
        notices = body.locator(".math-notice")
        assert notices.count() == 6
        text = body.inner_text()
        for reason in ("never stops expanding", "unknown command \\foo", "too long to typeset here",
                       "a size too large to draw here"):
            assert reason in text, reason
        for shown in ("is still typeset", "The paragraph after the unclosed mglyph is shown.",
                      "hand-written MathML.", "The end of the note is shown."):
            assert body.get_by_text(shown).is_visible(), shown
        assert body.locator("p", has_text="is still typeset").locator("math msub").count() == 1
        assert body.locator("p", has_text="as wide as a city").locator("code.math-source").count() == 1
        assert body.locator(".note-embed-body math mtable").count() >= 2  # the embedded section's matrices
        assert page.evaluate("() => window.__xss === undefined") and dialogs == []
        handlers = body.evaluate("""b => [...b.querySelectorAll('*')].flatMap(e => [...e.attributes]
            .filter(a => a.name.startsWith('on') || a.name === 'href' && a.value.startsWith('javascript')).map(a => a.name))""")
        assert handlers == []
        assert body.locator("style, script, mglyph, annotation-xml, svg").count() == 0
        # a formula whose MathML holds anything but MathML (here an <img> the parser hoisted) is not drawn
        assert body.locator("math img").count() == 0
        assert watch.problems() == []
    finally:
        ctx.close()


KINDS = [r"\colorbox{yellow}{x}", r"\int\!\!\int_D f\,dA", r"\sideset{_a^b}{_c^d}\sum", r"\mathclap{x}",
         r"\mathrel{\mathop:}=", r"\boxed{x}", r"\cancel{y}", r"\xrightarrow[g]{h}", r"\color{red}{x}", r"\vec{v} \dot{x}",
         r"\begin{cases} 1 & x > 0 \\ 0 & \text{else} \end{cases}",
         r"\begin{array}{c|c} a & b \\ \hline c & d \end{array}",
         r"\begin{align} a &= b \label{e} \\ c &= d \end{align}", r"\operatorname{tr}(A) \binom{n}{k} \sqrt[3]{x}"]
"""Common TeX of course notes, each as Temml writes it, must pass the browser's check (the align is a display)."""


def test_the_browsers_own_check_refuses_what_the_allow_list_does_not_hold(browser, site):
    """Slots put straight into the page (as if the server had let them through): the browser inserts only MathML of
    the allow-list, with short token values, and typesets TeX with trust off."""
    ctx, page, watch = open_note(browser, site, "bias-variance")
    try:
        page.locator(BODY).first.evaluate("""(b, kinds) => {
          const add = (name, attr, value) => {
            const s = document.createElement('span');
            s.className = 'math-slot'; s.id = 'probe-' + name; s.setAttribute(attr, value); s.textContent = name;
            b.appendChild(s);
          };
          add('ok', 'data-mathml', '<math><msub><mi>x</mi><mn>0</mn></msub></math>');
          add('style', 'data-mathml', '<math><mi style="background:url(https://example.com/x)">a</mi></math>');
          add('handler', 'data-mathml', '<math><mi onclick="window.__xss=7">a</mi></math>');
          add('maction', 'data-mathml', '<math><maction actiontype="toggle"><mi>a</mi></maction></math>');
          add('html', 'data-mathml', '<math><mtext><img src=x onerror="window.__xss=8"></mtext></math>');
          add('href', 'data-tex', '\\\\href{javascript:alert(1)}{x}');
          add('tex', 'data-tex', '\\\\frac{a}{b}');
          kinds.forEach((tex, i) => { add('kind' + i, 'data-tex', tex); });
          document.getElementById('probe-kind12').setAttribute('data-display', 'block');
        }""", KINDS)
        page.wait_for_function("() => !document.querySelector('[id^=probe-]:is([data-mathml], [data-tex])')", polling=50)
        drawn = page.evaluate("() => Object.fromEntries([...document.querySelectorAll('[id^=probe-]')].map("
                              "s => [s.id.slice(6), s.querySelector('math') ? 'math' : s.innerText]))")
        assert drawn["ok"] == "math" and drawn["tex"] == "math"
        # what Temml writes for the common TeX of course notes passes the same check (nothing refused)
        assert {k: v for k, v in drawn.items() if k.startswith("kind") and v != "math"} == {}
        assert len([k for k in drawn if k.startswith("kind")]) == 14
        for refused in ("style", "handler", "maction", "html"):
            assert drawn[refused] == refused, refused  # left as the slot's text
        assert "Formula not typeset" in drawn["href"] and "\\href" in drawn["href"]
        assert page.evaluate("() => window.__xss === undefined")
        assert watch.problems() == []
    finally:
        ctx.close()


def test_moving_between_views_of_a_note_in_one_session_typesets_each_view(browser, site):
    """The math script is mounted once per page under one key (Streamlit's message cache then sends Temml once):
    a move inside the session (Next, Whole note: page links, no page load) still gets every formula typeset."""
    ctx, page, watch = open_note(browser, site, "bias-variance")
    try:
        sections = page.locator(".reader-toc a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
        first = next(h for h in sections if "section=" in h)
        frames: list[int] = []
        page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: frames.append(len(payload))))
        goto(page, f"{site.url}/Notes{first[first.index('?'):]}" if "?" in first else first)
        page.locator(BODY).first.wait_for()
        page.wait_for_function(f"() => !document.querySelector(\"{BODY} .math-slot:is([data-mathml], [data-tex])\")", polling=50)
        loads = page.evaluate("() => performance.getEntriesByType('navigation').length")
        assert max(frames) > 150_000  # the page load brought the script, Temml inside
        frames.clear()
        for label in ("Next:", "Whole note"):
            before = page.url
            page.get_by_role("link", name=label).first.click()
            page.wait_for_url(lambda u, before=before: u != before)  # a page link: the address changes as its run starts
            wait_for_app(page)
            page.wait_for_function(f"() => !document.querySelector(\"{BODY} .math-slot:is([data-mathml], [data-tex])\")", polling=50)
        facts = page.locator(BODY).first.evaluate(FACTS)
        assert facts["count"] == 20 and facts["unsized"] == 0 and facts["undrawn"] == 0
        assert page.evaluate("() => performance.getEntriesByType('navigation').length") == loads  # no page load
        assert frames and max(frames) < 100_000  # the moves sent the script again by reference only
        assert watch.problems() == []
    finally:
        ctx.close()
