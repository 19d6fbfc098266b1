"""Sources: every sourced part names an exact page or file and a check date, and the validator says so."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from explorer import CONTENT_DIR
from explorer.cli import main
from explorer.content.loader import load_content
from explorer.content.sources import SOURCED_FILES, weak_source


# --------------------------------------------------------------------------- the rule itself
@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/jabradf/MLops",
        "https://github.com/jabradf/MLops/",
        "https://www.github.com/mlrun/mlrun.git",
        "https://github.com/jabradf",
        "https://github.com/jabradf/MLops/tree/main",
        "https://github.com/jabradf/MLops/tree/main/",
        "https://gitlab.com/group/project",
        "https://docs.mlrun.org/",
        "https://docs.mlrun.org",
        "https://locusit.com/?p=8877",  # a front page with a post id is still the front page
        "https://www.coursera.org",
        "ftp://example.org/file.txt",
    ],
)
def test_weak_sources_are_named(url):
    assert weak_source(url) is not None


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/jabradf/MLops/blob/5ee01448b8d5581bfa59202066cdacdca5465c6f/02%20DevOps%20DataOps%20MLops/01%20Introduction%20to%20MLops/MLOps%20notes.md",
        "https://github.com/jabradf/MLops/tree/main/02%20DevOps%20DataOps%20MLops",  # a folder, not the repo home
        "https://docs.mlrun.org/en/stable/index.html",
        "https://www.skilr.com/tutorial/?p=1514",  # a path plus a query: a page
        "https://www.coursera.org/learn/devops-dataops-mlops-duke/lecture/vdlik/mlops-heavy-vs-light",
        "https://cloud.google.com/architecture/mlops-continuous-delivery-and-automation-pipelines-in-machine-learning",
    ],
)
def test_exact_sources_pass(url):
    assert weak_source(url) is None


def test_weak_source_reasons_differ():
    assert "bare domain" in weak_source("https://docs.mlrun.org/")
    assert "repository" in weak_source("https://github.com/mlrun/mlrun")
    assert "branch" in weak_source("https://github.com/mlrun/mlrun/tree/development")


# --------------------------------------------------------------------------- the shipped content
@pytest.fixture(scope="module")
def content():
    return load_content(CONTENT_DIR)


def _sourced(content):
    """(label, object) for everything that must carry an exact source and a check date."""
    out = []
    for v in content.vendors:
        out.append((f"vendor {v.id}", v))
        out += [(f"rung {lv.id}", lv) for lv in v.levels]
    out += [(f"certification {c.id}", c) for c in content.certifications]
    out += [(f"trend {t.id}", t) for t in content.trends.trends]
    out.append(("ml_test_score", content.ml_test_score))
    out += [(part, content.get(part)) for part in SOURCED_FILES]
    out += [(f"term {t.id}", t) for t in content.glossary]
    return out


def test_every_source_is_an_exact_page_with_a_date(content):
    items = _sourced(content)
    assert len(items) > 70  # 15 vendor entries, 12 certifications, 7 trends, 5 files, 46 terms ...
    bad = [(label, obj.source_url, weak_source(obj.source_url)) for label, obj in items if weak_source(obj.source_url)]
    assert bad == []
    undated = [label for label, obj in items if not isinstance(obj.last_verified, dt.date)]
    assert undated == []
    assert all(obj.last_verified <= dt.date(2026, 12, 31) for _, obj in items)


def test_student_notes_are_linked_as_files_not_the_repository(content):
    """The course facts from a student's notes point at the notes file or the slide image itself."""
    jab = [obj.source_url for _, obj in _sourced(content) if "github.com/jabradf/MLops" in obj.source_url]
    assert jab, "expected the student notes to be cited somewhere"
    assert all("/blob/" in u and (u.endswith(".md") or u.endswith(".png")) for u in jab), jab
    assert content.hierarchy.source_url.endswith("Needs.png")


def test_retired_certifications_cite_a_source_about_them(content):
    """A retired certification must not borrow its successor's page as its source."""
    by_id = {c.id: c for c in content.certifications}
    for c in content.certifications:
        if c.status == "retired":
            assert c.source_url != by_id[c.successor].source_url, c.id


# --------------------------------------------------------------------------- the validator enforces it
@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    return root


def _edit(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_validator_rejects_a_repository_home(copy: Path, capsys):
    _edit(copy / "hierarchy.yaml", lambda d: d.update(source_url="https://github.com/jabradf/MLops"))
    c = load_content(copy)
    msgs = [str(p) for p in c.errors]
    assert any(m.startswith("hierarchy.yaml:") and "source_url" in m and "repository" in m for m in msgs), msgs
    assert not c.ok("hierarchy")  # like a schema error, the part becomes unavailable
    assert main(["validate", str(copy)]) == 1
    assert "repository" in capsys.readouterr().out


def test_validator_rejects_a_bare_domain_on_a_rung(copy: Path):
    _edit(copy / "maturity" / "google.yaml", lambda d: d["levels"][1].update(source_url="https://cloud.google.com/"))
    msgs = [str(p) for p in load_content(copy).errors]
    assert any(m.startswith("maturity/google.yaml:") and "levels[1].source_url" in m and "bare domain" in m for m in msgs), msgs


def test_validator_requires_a_date_on_every_glossary_term(copy: Path):
    _edit(copy / "glossary.yaml", lambda d: d["terms"][3].pop("last_verified"))
    c = load_content(copy)
    msgs = [str(p) for p in c.errors]
    assert any("terms[3].last_verified" in m and "required field is missing" in m for m in msgs), msgs
    assert not c.ok("glossary")


@pytest.mark.parametrize("part", SOURCED_FILES)
def test_validator_requires_a_source_on_each_sourced_file(copy: Path, part: str):
    _edit(copy / f"{part}.yaml", lambda d: d.pop("source_url"))
    msgs = [str(p) for p in load_content(copy).errors]
    assert any(m.startswith(f"{part}.yaml:") and "source_url" in m and "required field is missing" in m for m in msgs), msgs


# --------------------------------------------------------------------------- fresh or maybe out of date (issue 25)
def test_a_year_to_the_day_is_still_fresh():
    from explorer.content.sources import checked_label, is_stale, year_before

    today = dt.date(2026, 12, 6)
    assert not is_stale(dt.date(2025, 12, 6), today)
    assert is_stale(dt.date(2025, 12, 5), today)
    assert not is_stale(None, today)
    assert year_before(dt.date(2028, 2, 29)) == dt.date(2027, 2, 28)
    assert is_stale(dt.date(2027, 2, 27), dt.date(2028, 2, 29)) and not is_stale(dt.date(2027, 2, 28), dt.date(2028, 2, 29))
    assert checked_label(dt.date(2026, 11, 29), today) == "checked 2026-11-29"
    assert checked_label(dt.date(2024, 3, 1), today) == "checked 2024-03-01, may be out of date"


def test_issue_25_sources_are_the_vendors_own(content):
    certs = {c.id: c for c in content.certifications}
    assert certs["mls-c01"].source_url.startswith("https://aws.amazon.com/blogs/training-and-certification/")
    assert "third-party" not in certs["mls-c01"].status_note
    gcp = certs["gcp-professional-ml-engineer"]
    assert gcp.source_url == "https://cloud.google.com/certification/practice-exam/machine-learning-engineer"
    assert "June 2026" in gcp.status_note and "third-party" not in gcp.status_note
    google = next(v for v in content.vendors if v.id == "google")
    assert all(x.source_url.startswith("https://docs.cloud.google.com/architecture/") for x in (google, *google.levels))
    hits = [p.name for p in CONTENT_DIR.rglob("*") if p.is_file() and "//cloud.google.com/architecture/" in p.read_text(encoding="utf-8")]
    assert hits == []


STALE_LINKS = [
    ("pages/9_Certifications.py", {"cert": "ckad"}, "certifications.yaml", lambda d: d["certifications"][10]),
    ("pages/10_Trends.py", {"trend": "edge-ml"}, "trends.yaml", lambda d: next(t for t in d["trends"] if t["id"] == "edge-ml")),
    ("pages/5_Maturity_Ladders.py", {"rung": "azure-2"}, "maturity/azure.yaml", lambda d: d["levels"][2]),
    ("pages/3_Glossary.py", {"term": "ci"}, "glossary.yaml", lambda d: next(t for t in d["terms"] if t["id"] == "ci")),
]


@pytest.mark.parametrize("page, params, file, pick", STALE_LINKS, ids=[s[0].split("_", 1)[1] for s in STALE_LINKS])
def test_an_old_check_says_may_be_out_of_date_beside_its_source(copy: Path, monkeypatch, page, params, file, pick):
    import explorer
    import ui.caches
    from tests.apptest_util import no_exception, open_page, texts

    monkeypatch.setattr(ui.caches, "CONTENT_DIR", copy)
    monkeypatch.setattr(explorer, "CONTENT_DIR", copy)
    today = dt.date.today()
    _edit(copy / file, lambda d: pick(d).update(last_verified=today))
    fresh = open_page(page, params)
    no_exception(fresh)
    assert f"checked {today.isoformat()}" in texts(fresh) and "may be out of date" not in texts(fresh)

    _edit(copy / file, lambda d: pick(d).update(last_verified=dt.date(2023, 5, 2)))
    old = open_page(page, params)
    no_exception(old)
    assert "checked 2023-05-02, may be out of date" in texts(old)


def test_certification_table_marks_old_checks(copy: Path, monkeypatch):
    import explorer
    import ui.caches
    from tests.apptest_util import no_exception, open_page

    def dates(d):
        d["certifications"][10]["last_verified"] = dt.date(2023, 5, 2)
        d["certifications"][0]["last_verified"] = dt.date.today()

    _edit(copy / "certifications.yaml", dates)
    monkeypatch.setattr(ui.caches, "CONTENT_DIR", copy)
    monkeypatch.setattr(explorer, "CONTENT_DIR", copy)
    at = open_page("pages/9_Certifications.py")
    no_exception(at)
    col = at.dataframe[0].value.set_index("Certification")["Last verified"]
    assert col["Certified Kubernetes Application Developer (CKAD)"] == "2023-05-02, may be out of date"
    assert col["AWS Certified Machine Learning – Specialty"] == dt.date.today().isoformat()
