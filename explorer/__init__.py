"""Logic of the MLOps course-notes explorer: content model, parsing, scoring, charts, exports.

Nothing in this package imports Streamlit; the pages under ``pages/`` are thin views over it.
"""

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# EXPLORER_CONTENT_DIR points the app (and the CLI's defaults) at another content folder, e.g. a
# folder of your own notes next to a copy of the YAML files; figures/ stays the repository's.
CONTENT_DIR = Path(os.environ.get("EXPLORER_CONTENT_DIR") or ROOT / "content").resolve()
FIGURES_DIR = ROOT / "figures"

__all__ = ["ROOT", "CONTENT_DIR", "FIGURES_DIR"]
