"""Chromium, against the real server: three people answer, the workshop combines their links; the
printable reports print to PDF with every section (issue 12).

Uses the fixtures of ``tests/test_browser.py`` (one server, one browser for the session).  The PDF
is made by Chromium's own print to PDF (``page.pdf()``) from the downloaded HTML opened as a file,
and read back with pypdf.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.test_browser import (  # noqa: F401  (pytest fixtures used by name)
    WARNING,
    Tab,
    _browser_available,
    browser,
    browser_test,
    content,
    expect,
    pw,
    server,
)

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
    expect()(metrics.first).to_be_visible()
    return [m.get_by_test_id("stMetricValue").inner_text().strip() for m in metrics.all()]


def _pick(page, qid: str, label: str) -> None:
    page.locator(f".st-key-q_{qid}").get_by_text(label, exact=True).click()


def _share_link(page) -> str:
    block = page.get_by_test_id("stCode").filter(has_text="a=")
    expect()(block).to_be_visible()
    return block.inner_text().strip()


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
    from explorer import sharecode
    from explorer.assessment import evaluate

    c = content()
    a, vendors = c.assessment, c.vendors
    q = {x.id: x for x in a.questions}
    links = []
    for answers, na, name, note in PEOPLE:
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
            tab.settle()
            link = _share_link(page)
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
        facilitator.settle()
        assert _metric_values(page, "Team consensus") == expected
        first = page.get_by_text(f"1. {q['code-ci'].text}", exact=True)
        expect()(first).to_be_visible()
        card = page.get_by_test_id("stVerticalBlock").filter(has=first).last
        expect()(card).to_contain_text(f"1 × {q['code-ci'].answers[0].label} (Ana)")
        expect()(card).to_contain_text("GitHub Actions on every push")
        expect()(page.get_by_text(f"2. {q['environments'].text}", exact=True)).to_be_visible()
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
        page.get_by_test_id("stCheckbox").filter(has_text="Facilitator view").click()
        facilitator.settle()
        assert parse_qs(urlsplit(page.url).query).get("view") == ["facilitator"]
        expect()(page.get_by_test_id("stSidebar")).to_be_hidden()
        size = page.get_by_test_id("stMetricValue").first.evaluate("e => parseFloat(getComputedStyle(e.querySelector('*') || e).fontSize)")
        assert size >= 48, size
        assert _metric_values(page, "Team consensus") == expected
        expect()(page.get_by_text(f"1. {q['code-ci'].text}", exact=True)).to_be_visible()
        page.get_by_role("button", name="Start over").click()
        facilitator.settle()
        params = parse_qs(urlsplit(page.url).query)
        assert "w" not in params and "view" not in params
        expect()(page.locator(".st-key-ws_paste textarea")).to_have_value("")
        expect()(page.get_by_test_id("stSidebar")).to_be_visible()
        facilitator.assert_healthy()
    finally:
        facilitator.close()


# --------------------------------------------------------------------------- result, plan, printed report
@browser_test
def test_result_with_plan_owner_prints_to_a_one_page_pdf_with_every_section(browser, server, tmp_path):
    from explorer import plan as plan_mod
    from explorer import sharecode
    from explorer.results_io import content_version

    c = content()
    a = c.assessment
    answers = {x.id: 2 for x in a.questions if x.id != "collaboration"}
    code = sharecode.encode(a, answers, na=["collaboration"], notes={"code-ci": "See https://example.com/ci"}, name="Ana")
    tab = Tab(browser, server.url)
    try:
        page = tab.open(f"/Self_Assessment?a={code}").page
        expect()(page.get_by_text("Your notes and “does not apply”")).to_be_visible()
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
        expect()(page).to_have_url(re.compile(r"[?&]plan=p1\."))
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
    today = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d")
    assert "See https://example.com/ci" in dom["text"]  # (the PDF's text breaks the link over two lines)
    for part in ("Where you stand", "What holds you back", "Improvement plan", "Evidence", "Does not apply to us",
                 "See https://example.com", "Owner: Ana Ops", "Answered by: Ana", version, today):
        assert part in flat, part
    for p in ("Amazon Web Services", "Microsoft Azure", "Google Cloud"):
        assert p in flat
    assert pages == 1, f"the typical result should fit one A4 page, printed on {pages}"
