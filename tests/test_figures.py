"""Generated figures: present, referenced ones exist, none stale (checked through the manifest, no rendering)."""

from __future__ import annotations

import dataclasses
import json
import shutil

import pytest

from explorer import CONTENT_DIR, FIGURES_DIR, ROOT
from explorer import figures as fg
from explorer.cli import main
from explorer.content.loader import load_content

REQUIRED = {
    "mlops_workflows.png",
    "aws_maturity_model.png",
    "azure_maturity_model.png",
    "google_maturity_model.png",
    "mlops_breakdown.png",
    "hierarchy_of_needs.png",
}


def test_required_figures_are_generated():
    assert REQUIRED <= set(fg.expected_files())


def test_every_figure_the_notes_reference_exists():
    content = load_content(CONTENT_DIR)
    refs = [(n.filename, ref) for n in content.notes for ref in n.images if not ref.startswith(("http:", "https:", "data:"))]
    assert refs, "the notes reference no figures at all (expected at least the maturity and workflow figures)"
    manifest = fg.read_manifest(FIGURES_DIR) or {"figures": {}}
    for note, ref in refs:
        assert ref.startswith("figures/"), f"{note}: image {ref!r} is not under figures/"
        path = ROOT / ref
        assert path.is_file(), f"{note}: referenced figure {ref} is missing (run `python -m explorer figures`)"
        name = ref[len("figures/") :]
        if name in fg.expected_files():
            assert name in manifest["figures"], f"{note}: {ref} is not in figures/manifest.json"


def test_every_manifest_figure_exists():
    manifest = fg.read_manifest(FIGURES_DIR)
    assert manifest is not None, "figures/manifest.json is missing: run `python -m explorer figures`"
    assert set(manifest["figures"]) == set(fg.expected_files())
    for name, entry in manifest["figures"].items():
        path = FIGURES_DIR / name
        assert path.is_file(), f"{name} is in the manifest but missing"
        assert entry["sources"], name
        if name.endswith(".png"):
            assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n", name
            assert entry["width"] == 1200, name
        else:
            assert b"<svg" in path.read_bytes()[:500], name


def test_no_figure_is_stale():
    stale = fg.stale_figures(CONTENT_DIR, FIGURES_DIR)
    assert stale == [], "stale figures (run `python -m explorer figures`):\n" + "\n".join(stale)


def test_check_command_exit_code(capsys):
    assert main(["figures", "--check"]) == 0
    assert "up to date" in capsys.readouterr().out


# --------------------------------------------------------------------------- the staleness check itself
@pytest.fixture()
def copy(tmp_path):
    """A copy of content/ and figures/ whose manifest is made current for the copy
    (hashes only, no rendering), so these tests do not depend on the real figures being fresh."""
    content = tmp_path / "content"
    figures = tmp_path / "figures"
    shutil.copytree(CONTENT_DIR, content)
    figures.mkdir()
    entries = {}
    for spec in fg.specs():
        sources, missing = fg.source_files(spec, content)
        assert not missing, missing
        for fmt in spec.formats:
            name = f"{spec.name}.{fmt}"
            (figures / name).write_bytes(f"image {name}".encode())
            entries[name] = {"sources": sources, "code_sha256": fg.code_hash(spec), "sha256": fg._sha256_file(figures / name),
                             "description": f"text of {name}", "width": 480, "height": 360}
    (figures / "manifest.json").write_text(json.dumps({"figures": entries}))
    return content, figures


def test_stale_when_source_yaml_changes(copy):
    content, figures = copy
    assert fg.stale_figures(content, figures) == []
    p = content / "maturity" / "aws.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    stale = fg.stale_figures(content, figures)
    names = {line.split(":")[0] for line in stale}
    assert {"aws_maturity_model.png", "aws_maturity_model.svg", "maturity_ladders.png", "maturity_crosswalk.png"} <= names
    assert "azure_maturity_model.png" not in names
    assert any("maturity/aws.yaml" in line for line in stale)


def test_stale_when_a_vendor_file_is_added(copy):
    content, figures = copy
    shutil.copy(content / "maturity" / "aws.yaml", content / "maturity" / "zeta.yaml")
    names = {line.split(":")[0] for line in fg.stale_figures(content, figures)}
    assert "maturity_ladders.png" in names and "aws_maturity_model.png" not in names


def test_missing_figure_manifest_and_source(copy):
    content, figures = copy
    (figures / "hierarchy_of_needs.png").unlink()
    assert "hierarchy_of_needs.png: file is missing" in fg.stale_figures(content, figures)
    (figures / "mlops_breakdown.png").write_bytes(b"not the generated image")
    assert any(line.startswith("mlops_breakdown.png: file differs") for line in fg.stale_figures(content, figures))
    (content / "workflows.yaml").unlink()
    assert any(line.startswith("mlops_workflows.png: cannot be generated") for line in fg.stale_figures(content, figures))
    (figures / "manifest.json").unlink()
    (only,) = fg.stale_figures(content, figures)
    assert only.startswith("manifest.json")


def test_stale_without_a_text_alternative(copy):
    content, figures = copy
    data = json.loads((figures / "manifest.json").read_text())
    del data["figures"]["mlops_breakdown.svg"]["description"]
    data["figures"]["hierarchy_of_needs.png"]["description"] = "  "
    (figures / "manifest.json").write_text(json.dumps(data))
    assert sorted(fg.stale_figures(content, figures)) == [
        "hierarchy_of_needs.png: the manifest has no text alternative for it",
        "mlops_breakdown.svg: the manifest has no text alternative for it",
    ]


def test_every_figure_has_the_description_its_builder_gives():
    from explorer import charts

    content = load_content(CONTENT_DIR)
    manifest = fg.read_manifest(FIGURES_DIR)
    for spec in fg.specs():
        for fmt in spec.formats:
            assert manifest["figures"][f"{spec.name}.{fmt}"]["description"] == charts.describe(spec.build(content))


# --------------------------------------------------------------------------- figures the app shows as images
def test_current_figure_is_the_generated_image_with_its_text_alternative():
    got = fg.current_figure("mlops_breakdown_small.svg")
    assert got is not None and got.path == FIGURES_DIR / "mlops_breakdown_small.svg"
    assert (got.width, got.height) == (fg.SMALL_WIDTH, 560)
    assert got.description.startswith("Donut chart of the 4 quarters of MLOps work: ")
    assert fg.current_figure("hierarchy_of_needs_small.svg").description.startswith("Pyramid of 4 tiers")
    assert fg.current_figure("no_such_figure.svg") is None


def test_current_figure_is_none_when_its_source_image_or_manifest_changed(copy):
    content, figures = copy
    assert fg.current_figure("hierarchy_of_needs_small.svg", content, figures).description == "text of hierarchy_of_needs_small.svg"
    p = content / "hierarchy.yaml"
    p.write_text(p.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert fg.current_figure("hierarchy_of_needs_small.svg", content, figures) is None  # the live chart, then
    assert fg.current_figure("mlops_breakdown_small.svg", content, figures) is not None  # other figures are unaffected
    (figures / "mlops_breakdown_small.svg").write_bytes(b"<svg>replaced by hand</svg>")
    assert fg.current_figure("mlops_breakdown_small.svg", content, figures) is None
    (content / "breakdown.yaml").unlink()
    assert fg.current_figure("mlops_breakdown.svg", content, figures) is None
    (figures / "manifest.json").write_text("{not json")
    assert fg.current_figure("mlops_workflows.svg", content, figures) is None


def test_current_figure_imports_no_chart_code():
    """The home page shows figures as images so that its first visit needs neither Plotly nor pandas."""
    import subprocess
    import sys

    code = ("import sys; from explorer import figure_files as ff; assert ff.current_figure('mlops_breakdown_small.svg'); "
            "print(sorted(m for m in ('pandas', 'plotly', 'kaleido', 'explorer.charts', 'explorer.figures') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_stale_when_code_hash_differs_or_entry_unknown(copy):
    content, figures = copy
    data = json.loads((figures / "manifest.json").read_text())
    data["figures"]["mlops_breakdown.png"]["code_sha256"] = "0" * 64
    data["figures"]["old_figure.png"] = {"sources": {}, "code_sha256": "", "sha256": ""}
    (figures / "manifest.json").write_text(json.dumps(data))
    stale = fg.stale_figures(content, figures)
    assert any(line.startswith("mlops_breakdown.png:") and "charts/breakdown.py" in line for line in stale)
    assert "old_figure.png: in the manifest but no longer generated" in stale


# --------------------------------------------------------------------------- what a figure's code hash covers
def _drawn_by(spec) -> set[str]:
    return {p.relative_to(fg.PACKAGE_DIR).as_posix() for p in fg.code_files(spec)}


def test_code_files_are_the_modules_a_figure_is_drawn_from():
    by_name = {s.name: s for s in fg.specs()}
    assert _drawn_by(by_name["aws_maturity_model"]) == {"charts/ladders.py", "charts/base.py", "assess/ladders.py", "content/schema.py"}
    assert _drawn_by(by_name["mlops_breakdown"]) == {"charts/breakdown.py", "charts/base.py", "content/breakdown.py", "content/schema.py"}
    assert _drawn_by(by_name["hierarchy_of_needs"]) == {"charts/hierarchy.py", "charts/base.py", "content/schema.py"}
    for spec in fg.specs():  # never the command itself, a package __init__ or a view the figure does not use
        files = _drawn_by(spec)
        assert "figures.py" not in files and not any(f.endswith("__init__.py") for f in files), spec.name
        assert "charts/study.py" not in files and "charts/assessment.py" not in files, spec.name


def test_code_hash_changes_only_for_the_figures_an_edit_touches(tmp_path):
    pkg = tmp_path / "explorer"
    shutil.copytree(fg.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    specs = fg.specs()

    def hashes():
        return {s.name: fg.code_hash(s, pkg) for s in specs}

    def edit(rel):
        p = pkg / rel
        p.write_text(p.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")

    before = hashes()
    assert before == {s.name: fg.code_hash(s) for s in specs}  # the copy hashes like the real package
    edit("figures.py")
    edit("cli.py")
    edit("charts/__init__.py")
    edit("charts/study.py")
    assert hashes() == before
    edit("charts/hierarchy.py")
    after = hashes()
    assert {n for n in before if before[n] != after[n]} == {"hierarchy_of_needs", "hierarchy_of_needs_small"}
    edit("assess/ladders.py")  # the rung labels: the ladders and the crosswalk
    again = hashes()
    assert {n for n in after if after[n] != again[n]} == {
        "aws_maturity_model", "azure_maturity_model", "google_maturity_model", "maturity_ladders", "maturity_crosswalk"}
    edit("charts/base.py")
    last = hashes()
    assert all(last[n] != again[n] for n in last)


def test_code_hash_covers_the_builder_options():
    (aws,) = [s for s in fg.specs() if s.name == "aws_maturity_model"]
    plain = dataclasses.replace(aws, options={})
    assert fg.code_hash(plain) != fg.code_hash(aws)  # taglines=True draws another figure
    assert fg.code_files(plain) == fg.code_files(aws)
