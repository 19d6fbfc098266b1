"""Shared test fixtures."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"


@pytest.fixture(scope="session")
def content():
    """The shipped content, loaded once."""
    from explorer.loader import load_content

    return load_content(CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/ (and figures/ beside it) for tests that break things."""
    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    if (ROOT / "figures").is_dir():
        shutil.copytree(ROOT / "figures", tmp_path / "figures")
    return dst


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """st.cache_* are shared between AppTest instances in one process: start each test clean."""
    yield
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()
    if "ui.caches" in sys.modules:
        sys.modules["ui.caches"].clear_figures()


# --------------------------------------------------------------------------- one Playwright for every browser test
@pytest.fixture(scope="session")
def _browser_available():
    from tests.e2e_util import require_browser

    require_browser()


@pytest.fixture(scope="session")
def pw(_browser_available):
    """Playwright's sync API may run only once per process: every browser test module shares it."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(pw):
    from tests.e2e_util import launch_browser

    b = launch_browser(pw)
    yield b
    b.close()
