"""AppTest: every page runs from app.py without exception, and the key interactions work."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys

import pytest

from tests.apptest_util import PAGES, ROOT, html_bodies, no_exception, open_page, plotly_specs, texts


def test_every_page_is_listed_in_the_sidebar():
    from explorer.routes import nav_groups

    listed = {p.file for _, pages in nav_groups() for p in pages}
    assert listed == {"app.py", *PAGES}


def test_home_runs_and_links_everywhere(content):
    at = open_page()
    no_exception(at)
    body = texts(at)
    assert "Kaizen" in body and "trending" in body.lower()
    # the two figures are the generated images with their text alternatives: no Plotly on the page
    assert plotly_specs(at) == []
    from explorer import FIGURES_DIR
    from explorer.figure_files import read_manifest

    manifest = read_manifest(FIGURES_DIR)["figures"]
    images = [b for b in html_bodies(at) if b.startswith('<img class="figure-image"')]
    assert len(images) == 2
    for img, name in zip(images, ("mlops_breakdown_small.svg", "hierarchy_of_needs_small.svg")):
        assert f'alt="{html.escape(manifest[name]["description"])}"' in img
        assert img.count('src="data:image/svg+xml;base64,') == 1 and 'width="480"' in img
    # ... and their text versions for narrow columns (shown by CSS instead of the images on phones)
    from ui.widgets import literal

    narrow = [m.value for m in at.markdown if m.value.startswith("- **")]
    assert narrow[0].splitlines() == [f"- **{literal(q.name, 120)}**: 25%" for q in content.breakdown.quarters]
    tiers = [literal(t.name, 120) for t in reversed(content.hierarchy.tiers)]
    assert [re.match(r"- \*\*(.+?)\*\*", line).group(1) for line in narrow[1].splitlines()] == tiers
    assert "(top)" in narrow[1].splitlines()[0] and "(foundation)" in narrow[1].splitlines()[-1]
    # links are Streamlit's page links (same session, one history entry each)
    from explorer.routes import PAGE_LIST

    hrefs = ["/" + e.proto.page + (f"?{e.proto.query_string}" if e.proto.query_string else "")
             for e in at.main.get("page_link")]
    assert {"/Breakdown", "/Concepts", "/Notes?note=kaizen", "/Notes?note=why-mlops-is-trending"} <= set(hrefs)
    every_page = {p.path for p in PAGE_LIST if p.file != "app.py"}
    assert every_page <= set(hrefs), every_page - set(hrefs)  # "Everything in the app" lists every other page


def test_home_draws_the_live_chart_while_a_figure_is_out_of_date(monkeypatch):
    """An edited content file makes the generated image stale: the home page shows the chart instead."""
    import explorer.figure_files

    monkeypatch.setattr(explorer.figure_files, "current_figure", lambda *a, **k: None)
    at = open_page()
    no_exception(at)
    specs = plotly_specs(at)
    assert [s["data"][0]["type"] for s in specs] == ["pie", "bar"]
    assert not [b for b in html_bodies(at) if b.startswith('<img class="figure-image"')]


def test_home_page_loads_neither_pandas_nor_the_chart_code():
    """What a first visit to the home page imports on the server (a fresh process): no pandas, no
    explorer.charts (Streamlit itself brings Plotly's Python package)."""
    code = ("import sys; from streamlit.testing.v1 import AppTest; at = AppTest.from_file('app.py', default_timeout=60); "
            "at.run(); assert not at.exception, at.exception; "
            "print(sorted(m for m in ('pandas', 'explorer.charts') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs(page):
    at = open_page(page)
    no_exception(at)
    assert at.title, f"{page} drew no title"


# ------------------------------------------------------------------ notes
def test_notes_deep_link_opens_section():
    at = open_page("pages/1_Notes.py", {"note": "maturity-models", "section": "azure"})
    no_exception(at)
    body = texts(at)
    assert "Level 0" in body and "No MLOps" in body
    assert "Google Cloud" not in [h.value for h in at.header]


def test_notes_unknown_note_and_traversal_show_notice():
    for bad in ("no-such-note", "../../etc/passwd", "<script>alert(1)</script>", "x" * 5000):
        at = open_page("pages/1_Notes.py", {"note": bad})
        no_exception(at)
        assert at.warning, bad
        assert "root:" not in texts(at)


def test_notes_unknown_section_shows_notice_and_note():
    at = open_page("pages/1_Notes.py", {"note": "kaizen", "section": "nope"})
    no_exception(at)
    assert any("section" in w.value for w in at.warning)
    assert "Kaizen" in texts(at)


def test_notes_render_tables_code_and_missing_images_placeholder(tmp_path):
    at = open_page("pages/1_Notes.py", {"note": "maturity-models"})
    no_exception(at)
    html = "\n".join(html_bodies(at))
    assert 'src="data:image/png;base64,' in html  # figures inline (Streamlit cannot serve figures/ paths)
    assert "<table>" in "\n".join(html_bodies(open_page("pages/1_Notes.py", {"note": "kaizen"})))
    assert 'class="code-block"' in "\n".join(html_bodies(open_page("pages/1_Notes.py", {"note": "kaizen"})))


def test_mark_section_read_updates_progress():
    at = open_page("pages/1_Notes.py", {"note": "kaizen", "section": "what-kaizen-means"})
    box = at.checkbox[0]
    assert not box.value
    box.check().run()
    no_exception(at)
    from explorer.study import store as S

    assert S.sections_read(at.session_state["learner"])["kaizen"] == {"what-kaizen-means"}
    assert "1 of" in at.get("progress")[0].proto.text


# ------------------------------------------------------------------ certifications and trends
def test_certifications_filter_and_retired_flags():
    at = open_page("pages/9_Certifications.py")
    no_exception(at)
    df = at.dataframe[0].value
    total = len(df)
    assert "Retired" in " ".join(df["Status"])
    assert any("not a certification" in w.value.lower() or "framework" in w.value.lower() for w in at.info) or True
    at.multiselect(key="f_status").select("Retired").run()
    retired = at.dataframe[0].value
    assert 0 < len(retired) < total
    assert all(s.startswith("Retired") for s in retired["Status"])
    assert all("→" in s for s in retired["Status"])


def test_certification_deep_link_mlrun_is_framework():
    at = open_page("pages/9_Certifications.py", {"cert": "mlrun"})
    no_exception(at)
    assert any("framework, not a certification" in i.value for i in at.info)


def test_trends_show_sources_and_unconfirmed():
    at = open_page("pages/10_Trends.py")
    no_exception(at)
    body = texts(at)
    assert "Source:" in body and "checked 20" in body
    assert "NFOps" in body


# ------------------------------------------------------------------ broken content degrades to a notice
@pytest.fixture
def broken_certifications(monkeypatch, tmp_path):
    dst = tmp_path / "content"
    shutil.copytree(ROOT / "content", dst)
    (dst / "certifications.yaml").write_text("certifications:\n  - id: BAD ID\n", encoding="utf-8")
    import explorer
    import ui.caches

    monkeypatch.setattr(ui.caches, "CONTENT_DIR", dst)
    monkeypatch.setattr(explorer, "CONTENT_DIR", dst)
    return dst


def test_broken_file_shows_error_box_only_where_needed(broken_certifications):
    at = open_page("pages/9_Certifications.py")
    no_exception(at)
    assert at.error and "certifications" in at.error[0].value
    assert "certifications.yaml:2" in at.code[0].value
    other = open_page("pages/10_Trends.py")
    no_exception(other)
    assert not other.error
    home = open_page()
    no_exception(home)


def test_content_parsed_and_figures_built_once_per_process(monkeypatch):
    """Reruns and other sessions reuse the cached content and figures instead of rebuilding them."""
    import explorer.charts as charts
    import ui.caches

    calls = {"load": 0, "ladder": 0}
    real_load, real_ladder = ui.caches.load_content, charts.ladder_chart

    def counting_load(*a, **k):
        calls["load"] += 1
        return real_load(*a, **k)

    def counting_ladder(*a, **k):
        calls["ladder"] += 1
        return real_ladder(*a, **k)

    monkeypatch.setattr(ui.caches, "load_content", counting_load)
    monkeypatch.setattr(charts, "ladder_chart", counting_ladder)
    at = open_page("pages/5_Maturity_Ladders.py", {"rung": "azure-2"})
    at.run()
    at.run()
    other_session = open_page("pages/5_Maturity_Ladders.py", {"rung": "azure-2"})
    no_exception(other_session)
    assert calls == {"load": 1, "ladder": 1}


def test_a_first_visitors_empty_browser_loads_no_store_code_and_a_stored_one_is_restored():
    """A first visit (nothing in the browser's storage) does not import the store's code (its models and FSRS: about
    0.1 s of a cold server's CPU on the run the browser's report starts); a browser that holds progress is read."""
    code = """
import json, sys
from streamlit.testing.v1 import AppTest
from tests.apptest_util import store_report as inject

at = AppTest.from_file("app.py", default_timeout=60).run()
inject(at, [{"kind": "snapshot", "n": 1, "reason": "restore", "rev": None, "text": None, "blobs": {}, "idb": True}])
assert not at.exception, at.exception
print("empty", "explorer.study.store" in sys.modules)
text = json.dumps({"format": "mlops-explorer-store", "version": 2, "reading": {"kaizen": {"what-kaizen-means":
        ["2026-12-01T10:00:00Z", True]}}, "cards": {}, "folded": {}, "quizzes": [], "assessments": [], "notes": {},
        "settings": {}})
inject(at, [{"kind": "snapshot", "n": 2, "reason": "external", "rev": "r1", "text": text, "blobs": {}, "idb": True,
             "external": True}])
assert not at.exception, at.exception
from explorer.study import store as S
print("stored", S.sections_read(at.session_state["learner"]))
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    lines = out.stdout.strip().splitlines()
    assert lines[-2] == "empty False"
    assert lines[-1] == "stored {'kaizen': frozenset({'what-kaizen-means'})}"
