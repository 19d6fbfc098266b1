"""The code passes the linter configured in pyproject.toml (pyflakes, pycodestyle, import order, bugbear, pyupgrade)."""

from __future__ import annotations

import subprocess
import sys

from tests.apptest_util import ROOT


def test_ruff_finds_nothing():
    out = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
