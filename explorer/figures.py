"""Static figures: ``python -m explorer figures [--check] [--force]``.

Renders PNG (1200 px wide, white background) and SVG images of the chart builders
in :mod:`explorer.charts` into ``figures/`` with kaleido (which drives the
installed Chromium), and writes ``figures/manifest.json``::

    {"generator": ..., "code_sha256": <hash of charts.py + figures.py>,
     "figures": {"aws_maturity_model.png": {"sources": {"maturity/aws.yaml": <sha256>},
                                            "code_sha256": ..., "sha256": <sha256 of the image>,
                                            "width": 1200, "height": 680}, ...}}

:func:`stale_figures` compares the manifest with the current YAML, code and image
files without rendering, so a test can detect a stale or missing figure cheaply.
By default only stale figures are re-rendered; ``--force`` renders all of them.
"""

from __future__ import annotations

import hashlib
import json
import os
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import CONTENT_DIR, FIGURES_DIR

MANIFEST = "manifest.json"
FORMATS = ("png", "svg")
GENERATOR = "python -m explorer figures"
_CODE_FILES = (Path(__file__).with_name("charts.py"), Path(__file__))


@dataclass(frozen=True)
class FigureSpec:
    name: str  # file stem inside figures/
    sources: tuple[str, ...]  # files relative to the content root ("maturity/*.yaml" globs a folder)
    parts: tuple[str, ...]  # content parts the builder needs
    build: Callable  # (Content) -> plotly Figure, built with static=True
    formats: tuple[str, ...] = FORMATS


def _vendor(content, vendor_id: str):
    v = content.vendor(vendor_id)
    if v is None:
        raise LookupError(f"no vendor {vendor_id!r} in content/maturity")
    return v


def _specs() -> tuple[FigureSpec, ...]:
    from . import charts as ch

    def ladder(vid: str) -> Callable:
        return lambda c: ch.ladder_chart([_vendor(c, vid)], static=True, taglines=True)

    return (
        FigureSpec("mlops_breakdown", ("breakdown.yaml",), ("breakdown",), lambda c: ch.breakdown_donut(c.breakdown, static=True)),
        FigureSpec("aws_maturity_model", ("maturity/aws.yaml",), ("maturity",), ladder("aws")),
        FigureSpec("azure_maturity_model", ("maturity/azure.yaml",), ("maturity",), ladder("azure")),
        FigureSpec("google_maturity_model", ("maturity/google.yaml",), ("maturity",), ladder("google")),
        FigureSpec("maturity_ladders", ("maturity/*.yaml",), ("maturity",), lambda c: ch.ladder_chart(c.vendors, static=True)),
        FigureSpec(
            "maturity_crosswalk", ("crosswalk.yaml", "maturity/*.yaml"), ("crosswalk", "maturity"),
            lambda c: ch.crosswalk_matrix(c.crosswalk, c.vendors, static=True),
        ),
        FigureSpec("hierarchy_of_needs", ("hierarchy.yaml",), ("hierarchy",), lambda c: ch.hierarchy_pyramid(c.hierarchy, static=True)),
        FigureSpec("mlops_workflows", ("workflows.yaml",), ("workflows",), lambda c: ch.workflows_diagram(c.workflows, static=True)),
    )


def specs() -> tuple[FigureSpec, ...]:
    """Every figure this command generates."""
    return _specs()


def expected_files() -> list[str]:
    return [f"{s.name}.{fmt}" for s in specs() for fmt in s.formats]


# --------------------------------------------------------------------------- hashing
def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    return _sha256_bytes(path.read_bytes())


def _sha256_text_file(path: Path) -> str:
    """Hash of a text file with line endings normalised (a CRLF checkout is not a change)."""
    return _sha256_bytes(path.read_bytes().replace(b"\r\n", b"\n"))


def code_hash() -> str:
    """Hash of the chart code: charts.py and figures.py (line endings normalised)."""
    h = hashlib.sha256()
    for p in _CODE_FILES:
        h.update(p.name.encode() + b"\0" + p.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return h.hexdigest()


def source_files(spec: FigureSpec, content_root: Path) -> tuple[dict[str, str], list[str]]:
    """(relative path -> sha256 of every existing source file, missing sources)."""
    found: dict[str, str] = {}
    missing: list[str] = []
    for pattern in spec.sources:
        if "*" in pattern:
            matches = sorted(p for p in content_root.glob(pattern) if p.is_file())
            if not matches:
                missing.append(pattern)
            for p in matches:
                found[p.relative_to(content_root).as_posix()] = _sha256_text_file(p)
        else:
            p = content_root / pattern
            if p.is_file():
                found[pattern] = _sha256_text_file(p)
            else:
                missing.append(pattern)
    return dict(sorted(found.items())), missing


def read_manifest(figures_dir: Path) -> dict | None:
    try:
        data = json.loads((figures_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("figures"), dict) else None


# --------------------------------------------------------------------------- staleness
def stale_figures(content_root: str | Path = CONTENT_DIR, figures_dir: str | Path = FIGURES_DIR) -> list[str]:
    """Every generated figure that is missing or out of date, as ``"<file>: <reason>"``.

    Checks, without rendering: the manifest exists; each expected file is in it and
    on disk with the recorded image hash; the chart code hash matches; the set and
    hashes of its source YAML files match.  Files in the manifest that are no longer
    generated are reported too.
    """
    content_root, figures_dir = Path(content_root), Path(figures_dir)
    manifest = read_manifest(figures_dir)
    if manifest is None:
        return [f"{MANIFEST}: missing or unreadable in {figures_dir} (run `{GENERATOR}`)"]
    entries: dict = manifest["figures"]
    code = code_hash()
    out: list[str] = []
    for spec in specs():
        sources, missing = source_files(spec, content_root)
        for fmt in spec.formats:
            name = f"{spec.name}.{fmt}"
            entry = entries.get(name)
            path = figures_dir / name
            if missing:
                out.append(f"{name}: cannot be generated, source missing: {', '.join(missing)}")
                continue
            if not isinstance(entry, dict):
                out.append(f"{name}: not in the manifest (never generated)")
                continue
            if not path.is_file():
                out.append(f"{name}: file is missing")
                continue
            if entry.get("sha256") != _sha256_file(path):
                out.append(f"{name}: file differs from the generated one (edited or replaced by hand?)")
                continue
            old_sources = entry.get("sources") or {}
            changed = sorted(k for k in sources if k in old_sources and old_sources[k] != sources[k])
            added = sorted(k for k in sources if k not in old_sources)
            removed = sorted(k for k in old_sources if k not in sources)
            if changed:
                out.append(f"{name}: source changed since it was generated: {', '.join(changed)}")
            elif added or removed:
                out.append(f"{name}: source files changed (added: {', '.join(added) or '-'}; removed: {', '.join(removed) or '-'})")
            elif entry.get("code_sha256") != code:
                out.append(f"{name}: explorer/charts.py or explorer/figures.py changed since it was generated")
    known = set(expected_files())
    for name in sorted(entries):
        if name not in known:
            out.append(f"{name}: in the manifest but no longer generated")
    return out


# --------------------------------------------------------------------------- rendering
def _render(figs: list[tuple[FigureSpec, object]], figures_dir: Path) -> dict[str, tuple[int, int]]:
    import kaleido
    import plotly.io as pio

    if "BROWSER_PATH" not in os.environ and Path("/usr/bin/chromium").exists():
        os.environ["BROWSER_PATH"] = "/usr/bin/chromium"
    sizes: dict[str, tuple[int, int]] = {}
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="The kopts argument is ignored")
        kaleido.start_sync_server(silence_warnings=True)
        try:
            for spec, fig in figs:
                width = int(fig.layout.width or 1200)
                height = int(fig.layout.height or 700)
                for fmt in spec.formats:
                    data = pio.to_image(fig, format=fmt, width=width, height=height, scale=1)
                    if fmt == "svg":
                        data = data.replace(b"\r\n", b"\n")
                    (figures_dir / f"{spec.name}.{fmt}").write_bytes(data)
                    sizes[f"{spec.name}.{fmt}"] = (width, height)
        finally:
            kaleido.stop_sync_server(silence_warnings=True)
    return sizes


def generate(
    content_root: str | Path = CONTENT_DIR, figures_dir: str | Path = FIGURES_DIR, *, force: bool = False, only: list[str] | None = None
) -> tuple[list[str], list[str]]:
    """Render stale (or, with ``force``, all) figures and rewrite the manifest.

    Returns (files written, problems).
    """
    from .loader import load_content

    content_root, figures_dir = Path(content_root), Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    content = load_content(content_root)
    manifest = read_manifest(figures_dir) or {"figures": {}}
    entries: dict = dict(manifest["figures"])
    stale = {line.split(":", 1)[0] for line in stale_figures(content_root, figures_dir)}
    code = code_hash()
    problems: list[str] = []
    todo: list[tuple[FigureSpec, object]] = []
    for spec in specs():
        if only and spec.name not in only:
            continue
        names = [f"{spec.name}.{fmt}" for fmt in spec.formats]
        if not force and not any(n in stale for n in names) and MANIFEST not in stale:
            continue
        bad = [p for p in spec.parts if not content.ok(p)]
        if bad:
            why = "; ".join(str(pr) for p in bad for pr in content.broken.get(p, [])) or f"missing content: {', '.join(bad)}"
            problems.append(f"{spec.name}: not generated ({why})")
            continue
        try:
            fig = spec.build(content)
        except Exception as exc:  # a content problem the loader did not catch
            problems.append(f"{spec.name}: not generated ({type(exc).__name__}: {exc})")
            continue
        todo.append((spec, fig))
    try:
        sizes = _render(todo, figures_dir) if todo else {}
    except Exception as exc:  # kaleido could not start or drive the browser
        problems.append(
            f"rendering failed ({type(exc).__name__}: {exc}); kaleido needs Chrome/Chromium "
            "(Debian: apt-get install chromium, or set BROWSER_PATH)"
        )
        return [], problems
    for spec, _ in todo:
        sources, _missing = source_files(spec, content_root)
        for fmt in spec.formats:
            name = f"{spec.name}.{fmt}"
            w, h = sizes[name]
            entries[name] = {
                "sources": sources,
                "code_sha256": code,
                "sha256": _sha256_file(figures_dir / name),
                "width": w,
                "height": h,
            }
    known = set(expected_files())
    for name in sorted(entries):
        if name not in known:  # a figure this command no longer makes: drop it and its file
            (figures_dir / name).unlink(missing_ok=True)
            del entries[name]
    new_manifest = {"generator": GENERATOR, "code_sha256": code, "figures": dict(sorted(entries.items()))}
    (figures_dir / MANIFEST).write_text(json.dumps(new_manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return sorted(sizes), problems
