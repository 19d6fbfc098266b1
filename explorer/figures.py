"""Static figures: ``python -m explorer figures [--check] [--force]``.

Renders PNG (1200 px wide, white background) and SVG images of the chart builders
in :mod:`explorer.charts` into ``figures/`` with kaleido (which drives the
installed Chromium), and writes ``figures/manifest.json``::

    {"generator": ...,
     "figures": {"aws_maturity_model.png": {"sources": {"maturity/aws.yaml": <sha256>},
                                            "code_sha256": <hash of the code that draws it>,
                                            "sha256": <sha256 of the image>,
                                            "description": <the figure's text alternative>,
                                            "width": 1200, "height": 680}, ...}}

A figure's code hash (:func:`code_hash`) covers what it is drawn from and nothing else: the
module of its builder and every explorer module that module imports, directly or through
others (for a ladder: ``charts/ladders.py``, ``charts/base.py``, ``ladders.py``, ``schema.py``),
plus the builder's name and options.  So editing one view re-renders only its figures, and
editing this command (or a package's ``__init__``, which only re-exports) re-renders none.

:func:`stale_figures` compares the manifest with the current YAML, code and image
files without rendering, so a test can detect a stale or missing figure cheaply.
By default only stale figures are re-rendered; ``--force`` renders all of them.

The app reads the manifest through :mod:`explorer.figure_files` (:func:`current_figure`: a figure it
may show as an image instead of drawing the chart, with its text alternative), which imports neither
this command's kaleido nor Plotly nor pandas; this module re-exports it.
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from explorer import CONTENT_DIR, FIGURES_DIR
from explorer.figure_files import MANIFEST, FigureFile, current_figure, read_manifest, sha256_file, sha256_text_file  # noqa: F401 (re-exported)

_sha256_file, _sha256_text_file = sha256_file, sha256_text_file  # short local names

FORMATS = ("png", "svg")
SMALL_WIDTH = 480  # px, the compact figures of the home page
GENERATOR = "python -m explorer figures"
PACKAGE_DIR = Path(__file__).resolve().parent  # explorer/


@dataclass(frozen=True)
class FigureSpec:
    name: str  # file stem inside figures/
    sources: tuple[str, ...]  # files relative to the content root ("maturity/*.yaml" globs a folder)
    parts: tuple[str, ...]  # content parts the builder needs
    builder: Callable  # a public builder of explorer.charts
    args: Callable  # (Content) -> the builder's positional arguments
    options: Mapping[str, object] = field(default_factory=dict)  # keyword arguments besides static=True
    formats: tuple[str, ...] = FORMATS

    def build(self, content) -> object:
        """The figure, drawn for export (``static=True``)."""
        return self.builder(*self.args(content), static=True, **self.options)


def _vendor(content, vendor_id: str):
    v = content.vendor(vendor_id)
    if v is None:
        raise LookupError(f"no vendor {vendor_id!r} in content/maturity")
    return v


def _specs() -> tuple[FigureSpec, ...]:
    from explorer import charts as ch

    def ladder(vid: str) -> FigureSpec:
        return FigureSpec(f"{vid}_maturity_model", (f"maturity/{vid}.yaml",), ("maturity",), ch.ladder_chart,
                          lambda c: ([_vendor(c, vid)],), {"taglines": True})

    return (
        FigureSpec("mlops_breakdown", ("breakdown.yaml",), ("breakdown",), ch.breakdown_donut, lambda c: (c.breakdown,)),
        # compact versions for the home page, which shows them in a column at about their own size
        FigureSpec("mlops_breakdown_small", ("breakdown.yaml",), ("breakdown",), ch.breakdown_donut,
                   lambda c: (c.breakdown,), {"width": SMALL_WIDTH}, formats=("svg",)),
        FigureSpec("hierarchy_of_needs_small", ("hierarchy.yaml",), ("hierarchy",), ch.hierarchy_pyramid,
                   lambda c: (c.hierarchy,), {"width": SMALL_WIDTH}, formats=("svg",)),
        ladder("aws"),
        ladder("azure"),
        ladder("google"),
        FigureSpec("maturity_ladders", ("maturity/*.yaml",), ("maturity",), ch.ladder_chart, lambda c: (c.vendors,)),
        FigureSpec("maturity_crosswalk", ("crosswalk.yaml", "maturity/*.yaml"), ("crosswalk", "maturity"),
                   ch.crosswalk_matrix, lambda c: (c.crosswalk, c.vendors)),
        FigureSpec("hierarchy_of_needs", ("hierarchy.yaml",), ("hierarchy",), ch.hierarchy_pyramid, lambda c: (c.hierarchy,)),
        FigureSpec("mlops_workflows", ("workflows.yaml",), ("workflows",), ch.workflows_diagram, lambda c: (c.workflows,)),
    )


def specs() -> tuple[FigureSpec, ...]:
    """Every figure this command generates."""
    return _specs()


def expected_files() -> list[str]:
    return [f"{s.name}.{fmt}" for s in specs() for fmt in s.formats]


# --------------------------------------------------------------------------- hashing
def _imported_modules(path: Path, package_dir: Path) -> list[Path]:
    """explorer modules a file imports (``from explorer.x import y``, ``import explorer.x``, relative imports)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [package_dir.joinpath(*a.name.split(".")[1:]) for a in node.names if a.name.startswith("explorer.")]
        elif isinstance(node, ast.ImportFrom) and node.level:
            base = path.parent
            for _ in range(node.level - 1):
                base = base.parent
            stems = [node.module] if node.module else [a.name for a in node.names]
            targets = [base.joinpath(*stem.split(".")) for stem in stems]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "explorer":
            base = package_dir.joinpath(*node.module.split(".")[1:])
            targets = [base, *(base / a.name for a in node.names)]  # the module, or modules of a package
        else:
            continue
        for target in targets:
            for cand in (target.with_suffix(".py"), target / "__init__.py"):
                if cand.is_file() and cand.resolve().is_relative_to(package_dir):
                    out.append(cand)
                    break
    return out


def code_files(spec: FigureSpec, package_dir: Path = PACKAGE_DIR) -> list[Path]:
    """The files a figure is drawn from: its builder's module and every explorer module that module
    imports, directly or through others.  Package ``__init__`` files are not followed (they only
    re-export: following ``explorer.charts`` would pull in every view)."""
    module = spec.builder.__module__.split(".")
    first = package_dir.joinpath(*module[1:]).with_suffix(".py")
    seen: set[Path] = set()
    todo = [first]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        if path.name != "__init__.py":
            todo.extend(_imported_modules(path, package_dir))
    return sorted((p for p in seen if p.name != "__init__.py"), key=lambda p: p.relative_to(package_dir).as_posix())


def code_hash(spec: FigureSpec, package_dir: Path = PACKAGE_DIR) -> str:
    """Hash of what draws a figure: the builder's name and options and the text of its
    :func:`code_files` (line endings normalised)."""
    h = hashlib.sha256()
    call = {"builder": f"{spec.builder.__module__}.{spec.builder.__qualname__}", "options": dict(spec.options)}
    h.update(json.dumps(call, sort_keys=True, default=repr).encode() + b"\0")
    for p in code_files(spec, package_dir):
        h.update(p.relative_to(package_dir).as_posix().encode() + b"\0" + p.read_bytes().replace(b"\r\n", b"\n") + b"\0")
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
    out: list[str] = []
    for spec in specs():
        sources, missing = source_files(spec, content_root)
        code = code_hash(spec)
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
                drawn_by = ", ".join(p.relative_to(PACKAGE_DIR).as_posix() for p in code_files(spec))
                out.append(f"{name}: the code that draws it changed since it was generated ({drawn_by})")
            elif not isinstance(entry.get("description"), str) or not entry["description"].strip():
                out.append(f"{name}: the manifest has no text alternative for it")
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
    from explorer.content.loader import load_content

    content_root, figures_dir = Path(content_root), Path(figures_dir)
    figures_dir.mkdir(parents=True, exist_ok=True)
    content = load_content(content_root)
    manifest = read_manifest(figures_dir) or {"figures": {}}
    entries: dict = dict(manifest["figures"])
    stale = {line.split(":", 1)[0] for line in stale_figures(content_root, figures_dir)}
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
    from explorer.charts import describe

    for spec, fig in todo:
        sources, _missing = source_files(spec, content_root)
        for fmt in spec.formats:
            name = f"{spec.name}.{fmt}"
            w, h = sizes[name]
            entries[name] = {
                "sources": sources,
                "code_sha256": code_hash(spec),
                "sha256": _sha256_file(figures_dir / name),
                "description": describe(fig),
                "width": w,
                "height": h,
            }
    known = set(expected_files())
    for name in sorted(entries):
        if name not in known:  # a figure this command no longer makes: drop it and its file
            (figures_dir / name).unlink(missing_ok=True)
            del entries[name]
    new_manifest = {"generator": GENERATOR, "figures": dict(sorted(entries.items()))}
    (figures_dir / MANIFEST).write_text(json.dumps(new_manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return sorted(sizes), problems
