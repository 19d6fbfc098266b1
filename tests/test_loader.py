"""Loader, schema and validator: shipped content is clean; each kind of breakage gives its own message."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from explorer.content.loader import ContentUnavailable, load_content

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_content_is_valid(content):
    assert content.errors == [], "\n".join(map(str, content.errors))


def test_shipped_content_has_every_part(content):
    for part in ("breakdown", "maturity", "crosswalk", "certifications", "trends", "hierarchy", "workflows",
                 "analogy", "platforms", "glossary", "assessment", "ml_test_score"):
        assert content.ok(part), part
    assert [v.id for v in content.vendors] == ["aws", "azure", "google"]
    assert [len(v.levels) for v in content.vendors] == [4, 5, 3]
    assert [q.share for q in content.breakdown.quarters] == [25, 25, 25, 25]


def test_vendor_levels_carry_sources(content):
    for v in content.vendors:
        for lv in v.levels:
            assert lv.source_url.startswith("https://") and lv.last_verified


def test_notes_cover_every_seed_topic(content):
    import re

    text = re.sub(r"\s+", " ", "\n".join(n.body for n in content.notes).lower().replace("-", " ")).replace(">", "")
    for topic in ("kaizen", "25%", "roi", "reflection", "primary", "secondary", "lock in", "open source",
                  "nfs", "nfops", "kubeflow", "edge", "esg", "onnx", "flour", "frozen pizza", "pizza delivery",
                  "heavy", "light", "hierarchy", "aws", "azure", "google", "mlrun"):
        assert topic in text, topic


def test_notes_are_ordered_and_have_front_matter(content):
    assert content.notes, "no notes loaded"
    keys = [(n.week, n.order) for n in content.notes]
    assert keys == sorted(keys)
    for n in content.notes:
        assert n.title and n.week is not None and n.order < 10_000 and n.tags
        assert not n.body.lstrip().startswith("---"), "front matter leaked into the body"


def test_unconfirmed_facts_are_flagged(content):
    assert not content.analogy.confirmed and content.analogy.caveat
    trends_text = " ".join(t.caveat for t in content.trends.trends).lower()
    assert "nfops" in trends_text
    mlrun = [c for c in content.certifications if "mlrun" in c.id]
    assert mlrun and mlrun[0].kind == "framework" and mlrun[0].status == "not-a-certification"
    retired = [c for c in content.certifications if c.status == "retired"]
    assert retired and all(c.successor and c.retired_on for c in retired)


# ---------------------------------------------------------------- broken fixtures: each gives its own message
def _edit_yaml(path: Path, fn) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")


def _messages(root: Path) -> list[str]:
    return [str(p) for p in load_content(root).errors]


def test_malformed_yaml_names_file_and_line(content_copy: Path):
    (content_copy / "trends.yaml").write_text("intro: ok\ntrends:\n  - id: a\n    name: [unclosed\n", encoding="utf-8")
    msgs = _messages(content_copy)
    assert any(m.startswith("trends.yaml:") and "invalid YAML" in m and ":5:" in m or m.startswith("trends.yaml:4") for m in msgs), msgs


def test_unknown_key(content_copy: Path):
    _edit_yaml(content_copy / "maturity" / "aws.yaml", lambda d: d["levels"][1].update(colour="red"))
    msgs = _messages(content_copy)
    assert any(m.startswith("maturity/aws.yaml:") and "levels[1].colour" in m and "unknown key" in m for m in msgs), msgs


def test_missing_field(content_copy: Path):
    _edit_yaml(content_copy / "certifications.yaml", lambda d: d["certifications"][0].pop("source_url"))
    msgs = _messages(content_copy)
    assert any("certifications[0].source_url" in m and "required field is missing" in m for m in msgs), msgs


def test_wrong_type(content_copy: Path):
    _edit_yaml(content_copy / "breakdown.yaml", lambda d: d["quarters"][0].update(examples="just a string"))
    msgs = _messages(content_copy)
    assert any("quarters[0].examples" in m and "list" in m for m in msgs), msgs


def test_duplicate_id(content_copy: Path):
    def dup(d):
        d["terms"].append(dict(d["terms"][0]))
    _edit_yaml(content_copy / "glossary.yaml", dup)
    msgs = _messages(content_copy)
    assert any("glossary.yaml" in m and "duplicate term id" in m for m in msgs), msgs


def test_duplicate_yaml_key(content_copy: Path):
    p = content_copy / "analogy.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "\ntitle: again\n", encoding="utf-8")
    msgs = _messages(content_copy)
    assert any(m.startswith("analogy.yaml:") and "duplicate key 'title'" in m for m in msgs), msgs


def test_dangling_successor(content_copy: Path):
    def bad(d):
        for c in d["certifications"]:
            if c.get("successor"):
                c["successor"] = "no-such-cert"
                return
    _edit_yaml(content_copy / "certifications.yaml", bad)
    msgs = _messages(content_copy)
    assert any("successor" in m and "dangling successor 'no-such-cert'" in m for m in msgs), msgs


def test_dangling_note_reference(content_copy: Path):
    _edit_yaml(content_copy / "maturity" / "google.yaml", lambda d: d["levels"][0].update(notes=["maturity-models#no-such-heading"]))
    msgs = _messages(content_copy)
    assert any("maturity/google.yaml" in m and "has no section 'no-such-heading'" in m for m in msgs), msgs


def test_dangling_crosswalk_level(content_copy: Path):
    _edit_yaml(content_copy / "crosswalk.yaml", lambda d: d["rows"][0]["levels"].update(azure=["azure-9"]))
    msgs = _messages(content_copy)
    assert any("crosswalk.yaml" in m and "dangling level reference 'azure-9'" in m for m in msgs), msgs


def test_dangling_glossary_related(content_copy: Path):
    _edit_yaml(content_copy / "glossary.yaml", lambda d: d["terms"][0].update(related=["nope-nope"]))
    msgs = _messages(content_copy)
    assert any("terms[0].related[0]" in m and "dangling related term 'nope-nope'" in m for m in msgs), msgs


def test_requirement_on_unknown_question(content_copy: Path):
    _edit_yaml(content_copy / "maturity" / "azure.yaml", lambda d: d["levels"][2].update(requires=[{"question": "ghost", "at_least": 1}]))
    msgs = _messages(content_copy)
    assert any("levels[2].requires[0].question" in m and "'ghost'" in m for m in msgs), msgs


def test_empty_file(content_copy: Path):
    (content_copy / "platforms.yaml").write_text("", encoding="utf-8")
    assert "platforms.yaml: file is empty" in " ".join(_messages(content_copy))


def test_wrong_encoding(content_copy: Path):
    (content_copy / "hierarchy.yaml").write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert any("hierarchy.yaml" in m and "not UTF-8" in m for m in _messages(content_copy))


def test_missing_file(content_copy: Path):
    (content_copy / "workflows.yaml").unlink()
    assert "workflows.yaml: file is missing" in " ".join(_messages(content_copy))


def test_broken_part_is_isolated(content_copy: Path):
    (content_copy / "certifications.yaml").write_text("certifications: 3\n", encoding="utf-8")
    c = load_content(content_copy)
    assert not c.ok("certifications")
    with pytest.raises(ContentUnavailable) as err:
        c.need("certifications")
    assert "certifications.yaml" in str(err.value)
    assert c.ok("maturity") and c.ok("glossary") and c.notes


def test_bad_note_front_matter_keeps_the_note_with_a_warning(content_copy: Path):
    (content_copy / "notes" / "zz-bad.md").write_text("---\ntitle: [oops\n---\n# Body\n\ntext\n", encoding="utf-8")
    c = load_content(content_copy)
    assert not any(p.file == "notes/zz-bad.md" for p in c.errors)
    (warning,) = [p for p in c.warnings if p.file == "notes/zz-bad.md"]
    assert warning.line == 3 and "not valid YAML" in warning.message
    note = c.note("zz-bad")
    assert note is not None and note.title == "Body"
    assert c.ok("notes") and len(c.notes) >= 11


def test_missing_image_is_a_warning(content_copy: Path):
    (content_copy / "notes" / "zz-img.md").write_text("---\ntitle: X\nweek: 1\norder: 99\n---\n## A\n![x](figures/nope.png)\n", encoding="utf-8")
    c = load_content(content_copy)
    assert any("figures/nope.png" in str(p) for p in c.warnings)
    assert not any("figures/nope.png" in str(p) for p in c.errors)


def test_cli_validate_exit_codes(content_copy: Path):
    ok = subprocess.run([sys.executable, "-m", "explorer", "validate", str(ROOT / "content")], cwd=ROOT, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "0 error(s)" in ok.stdout
    (content_copy / "trends.yaml").write_text("intro: [\n", encoding="utf-8")
    _edit_yaml(content_copy / "maturity" / "aws.yaml", lambda d: d["levels"][0].update(rank="first"))
    bad = subprocess.run([sys.executable, "-m", "explorer", "validate", str(content_copy)], cwd=ROOT, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "trends.yaml" in bad.stdout and "maturity/aws.yaml" in bad.stdout and "levels[0].rank" in bad.stdout
