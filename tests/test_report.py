"""Printable report: every section present, hostile notes and names escaped, no script, no external resource."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest

from explorer import CONTENT_DIR
from explorer.assess import sharecode
from explorer.assess.plan import apply_edits, build_plan, note_resolver
from explorer.assess.report import TEMPLATE, TEMPLATE_DIR, ladder_svg, linkify, render_report, render_workshop_report
from explorer.assess.results_io import content_version
from explorer.assess.scoring import evaluate
from explorer.assess.workshop import compute_workshop, read_codes
from explorer.content.loader import load_content
from tests.assessment_fixtures import mini_assessment, mini_vendors

A = mini_assessment()
V = mini_vendors()
WHEN = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "<style>body{background:url(https://evil.example/x.png)}</style>",
    "javascript:alert(3)",
    "<a href='https://evil.example'>click</a>",
    "<!-- comment --><iframe src=https://evil.example></iframe>",
]


class Page(HTMLParser):
    """Collects what the assertions need: tags with attributes, ids, text, style text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.styles: list[str] = []
        self._in_style = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)

    @property
    def ids(self) -> set[str]:
        return {a["id"] for _, a in self.tags if a.get("id")}

    @property
    def names(self) -> set[str]:
        return {t for t, _ in self.tags}

    @property
    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def assert_self_contained(page: Page) -> None:
    assert not page.names & {"script", "link", "iframe", "object", "embed", "img", "frame", "base", "form", "input", "video", "audio", "source"}
    for tag, attrs in page.tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)  # no event handlers
            assert name not in {"src", "srcset", "background", "poster", "data", "action", "formaction"}, (tag, name)
            if name in {"href", "xlink:href"}:
                assert tag == "a" and re.match(r"^https?://", value or ""), (tag, value)
            if name == "style":
                assert "url(" not in (value or "")
    css = " ".join(page.styles)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    csp = [a for t, a in page.tags if t == "meta" and (a.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


def _single(notes=None, participant="", team="", plan_edits=None, share_link=None):
    r = evaluate(A, V, {"ci": 1, "monitor": 2}, na=["store"])
    plan = build_plan(r, A, V)
    if plan_edits:
        plan = apply_edits(plan, plan_edits).plan
    html = render_report(r, A, V, plan=plan, notes=notes or {}, participant=participant, team=team, when=WHEN, share_link=share_link)
    return r, plan, html


# --------------------------------------------------------------------------- sections
def test_every_section_of_the_single_report():
    r, plan, html = _single(notes={"ci": "GitHub Actions, see https://ci.example.com/runs"}, team="Data team")
    page = Page(html)
    assert {"report-header", "scores", "placements", "blockers", "plan", "evidence", "report-footer"} <= page.ids
    text = page.all_text
    assert "2026-11-26 09:30 UTC" in text
    assert content_version(A, V) in text
    assert "MLOps self-assessment: Data team" in text
    # the three placements... here two ladders: each named with its current rung, in the chart and the text
    for p in r.placements:
        assert p.vendor_name in text and p.current_label in text
    # blockers point at their plan steps; every plan step is printed with its vendor source link
    assert "held back by 2 answers: plan steps 1, 2 (N/A)." in text  # alpha a2: ci (step 1) and store (step 2, N/A)
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    for s in plan.steps:
        assert s.question in text and s.guidance.source_url in hrefs
    assert "Does not apply to us (N/A)" in text and "The models use raw inputs only." in text
    assert "https://ci.example.com/runs" in hrefs  # a link in a note is a link
    assert_self_contained(page)


def test_chart_is_inline_svg_with_every_ladder_and_the_current_rungs():
    r, _, html = _single()
    page = Page(html)
    groups = [a.get("data-vendor") for t, a in page.tags if t == "g" and a.get("class") == "ladder"]
    assert groups == ["alpha", "beta"]
    current = [a for t, a in page.tags if t == "rect" and a.get("class") == "rung current"]
    assert len(current) == 2  # a1 and b0
    assert sum(1 for t, a in page.tags if t == "rect") == 6  # 3 rungs per ladder
    assert "Phase 1: Rung a1" in page.all_text and "Level 0: Rung b0" in page.all_text


def test_svg_escapes_its_own_text():
    hostile_vendor = V[0].model_copy(update={"name": "<script>x</script>"})
    r = evaluate(A, [hostile_vendor, V[1]], {})
    svg = str(ladder_svg(r.placements, [hostile_vendor, V[1]]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg


# --------------------------------------------------------------------------- escaping
@pytest.mark.parametrize("evil", HOSTILE)
def test_hostile_notes_names_owners_and_team_are_escaped(evil):
    _, plan, html = _single(
        notes={"ci": evil, "monitor": f"see https://ok.example/ {evil}"}, participant=evil, team=evil,
        plan_edits={"a2/ci": {"owner": evil}}, share_link=evil,
    )
    page = Page(html)
    assert_self_contained(page)
    text = page.all_text
    cleaned = " ".join(evil.split())
    assert cleaned[:30] in text  # shown literally, as text
    assert "<script>" not in html.split("<style>")[0] + html.split("</style>")[1].replace("&lt;script&gt;", "")
    # a URL written in a note becomes a plain link to exactly that URL (a feature), never more: no quote,
    # angle bracket or space can end up inside an href, and the share link is not a URL here
    for t, a in page.tags:
        if t == "a":
            assert not re.search(r"[\s\"'<>]", a["href"]), a["href"]
    assert not any(t == "a" and "alert" in (a.get("href") or "") for t, a in page.tags)
    assert "Link to this result" not in text


def test_linkify_only_makes_http_links():
    out = str(linkify('go https://a.example/?q=<x>&y=1 or javascript:alert(1) "quoted"'))
    assert '<a href="https://a.example/?q=" rel="noopener noreferrer">https://a.example/?q=</a>' in out
    assert "&lt;x&gt;&amp;y=1" in out and "javascript:alert(1)" in out and "&#34;quoted&#34;" in out


def test_autoescape_is_on_in_the_template_environment():
    from explorer.assess.report import _env

    env = _env()
    assert env.autoescape is True
    assert (TEMPLATE_DIR / TEMPLATE).is_file()
    src = (TEMPLATE_DIR / TEMPLATE).read_text(encoding="utf-8")
    assert "|safe" not in src.replace(" ", "") and "autoescape false" not in src


# --------------------------------------------------------------------------- workshop variant
def test_workshop_report_sections_and_escaping():
    people = [
        sharecode.encode(A, {"ci": 3, "deploy": 3, "store": 1, "monitor": 2, "team": 2}, name="<b>Ann</b>"),
        sharecode.encode(A, {"ci": 2, "deploy": 0, "monitor": 3}, na=["store"]),
        sharecode.encode(A, {"ci": 0, "deploy": 3, "store": 3, "monitor": 2}, na=["team"], name="Bob"),
        sharecode.encode(A, {"ci": 2, "deploy": 1, "store": 0, "monitor": 1, "team": 3}, notes={"team": HOSTILE[1]}),
    ]
    w = compute_workshop(read_codes(people, A), A, V)
    plan = build_plan(w.result, A, V)
    html = render_workshop_report(w, A, V, plan=plan, team=HOSTILE[0], when=WHEN, top=3)
    page = Page(html)
    assert {"report-header", "placements", "blockers", "disagreements", "plan", "participants", "report-footer"} <= page.ids
    assert "evidence" not in page.ids
    assert_self_contained(page)
    text = page.all_text
    assert "4 answer sets (2 named)" in text
    assert "Consensus rung" in text and "Median of individual rungs" in text
    # the top three disagreements, most first (worked out by hand in tests/test_workshop.py)
    start = text.index("Where the team disagrees most")
    t, s, d = (text.index(f"How is {x} done?", start) for x in ("team", "store", "deploy"))
    assert t < s < d
    assert "…and 2 more question(s)" in text
    assert "<b>Ann</b>" in text and "Bob" in text  # names shown as text
    assert HOSTILE[1] in text  # the anonymous note, literal and unattributed
    # the beta ladder: consensus b1, median of individuals b0 -> marked as different
    assert "≠" in text
    assert len([a for t_, a in page.tags if t_ == "path" and a.get("class") == "second"]) == 2


def test_shipped_content_renders():
    c = load_content(CONTENT_DIR)
    a, vs = c.assessment, c.vendors
    r = evaluate(a, vs, {q.id: 1 for q in a.questions})
    plan = build_plan(r, a, vs, resolve=note_resolver(c))
    page = Page(render_report(r, a, vs, plan=plan, when=WHEN, mts=c.ml_test_score))
    assert_self_contained(page)
    assert len([x for t, x in page.tags if t == "g" and x.get("class") == "ladder"]) == len(vs)
    assert content_version(a, vs, c.ml_test_score) in page.all_text
