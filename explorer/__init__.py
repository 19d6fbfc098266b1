"""Logic of the MLOps course-notes explorer: content model, parsing, scoring, charts, exports.

Nothing in this package imports Streamlit; the pages under ``pages/`` are thin views over it.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONTENT_DIR = ROOT / "content"
FIGURES_DIR = ROOT / "figures"

__all__ = ["ROOT", "CONTENT_DIR", "FIGURES_DIR"]
