"""The generated figures as the app sees them: ``figures/manifest.json`` and the image files.

Split from :mod:`explorer.figures` (the ``python -m explorer figures`` command, which needs kaleido
and the chart code) so that the app can show a generated image in place of a live chart -- the home
page, which then loads no Plotly -- without importing any of that.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from explorer import CONTENT_DIR, FIGURES_DIR

MANIFEST = "manifest.json"

__all__ = ["MANIFEST", "FigureFile", "current_figure", "read_manifest", "sha256_bytes", "sha256_file", "sha256_text_file"]


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    return sha256_bytes(path.read_bytes())


def sha256_text_file(path: Path) -> str:
    """Hash of a text file with line endings normalised (a CRLF checkout is not a change)."""
    return sha256_bytes(path.read_bytes().replace(b"\r\n", b"\n"))


def read_manifest(figures_dir: Path) -> dict | None:
    try:
        data = json.loads((figures_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("figures"), dict) else None


@dataclass(frozen=True)
class FigureFile:
    """A generated image the app can show, and its text alternative."""

    path: Path
    description: str
    width: int
    height: int


def current_figure(file_name: str, content_root: str | Path = CONTENT_DIR, figures_dir: str | Path = FIGURES_DIR) -> FigureFile | None:
    """The generated image ``file_name`` (e.g. ``"mlops_breakdown_small.svg"``) if the app may show it in
    place of the live chart, else None (the caller then draws the chart).

    It may when the manifest lists it with a text alternative, the file on disk is the one generated
    and every content file it was drawn from is unchanged (so an edited YAML file shows up at once,
    as the live chart, until the figures are regenerated).  Cheap (a few small files hashed) and
    free of chart code: a change to the code that draws it is :func:`stale_figures`' business (the
    tests), as is a file added to a folder it was drawn from.
    """
    content_root, figures_dir = Path(content_root), Path(figures_dir)
    manifest = read_manifest(figures_dir)
    entry = manifest["figures"].get(file_name) if manifest else None
    if not isinstance(entry, dict) or not isinstance(entry.get("sources"), dict) or not entry["sources"]:
        return None
    description = entry.get("description")
    if not isinstance(description, str) or not description.strip():
        return None
    path = figures_dir / file_name
    try:
        if entry.get("sha256") != sha256_file(path):
            return None
        for rel, digest in entry["sources"].items():
            if sha256_text_file(content_root / rel) != digest:
                return None
    except OSError:
        return None
    try:
        width, height = int(entry["width"]), int(entry["height"])
    except (KeyError, TypeError, ValueError):
        return None
    return FigureFile(path, description.strip(), width, height)
