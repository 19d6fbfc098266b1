"""Shared test fixtures, and the test tiers.

Every test carries the markers of what it needs (``pyproject.toml`` lists them).  A test module may mark
itself; otherwise :data:`TIERS` below does it by module, and :data:`SLOW` marks single tests by name:

    unit      nothing but Python (every test that needs nothing else)
    apptest   runs pages in Streamlit's AppTest (no server, no browser)
    server    starts a Streamlit server or another process
    browser   drives Chromium against a server
    lb        needs HAProxy in front of several servers
    slow      a long property run, a benchmark smoke run or a whole-suite scan
    quick     the quick loop: every test that is neither browser, server, lb nor slow

``python -m pytest -m quick`` is the loop to run while working (README, "Test it").
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# Keep bytecode caches (git-ignored ``__pycache__``) also where ``PYTHONDONTWRITEBYTECODE=1`` is set, as on
# this machine: otherwise every run, in every xdist worker, compiles the app's modules and assertion-rewrites
# every test module again (collection took 28 s instead of 4 s here).  Servers the tests start read them too.
sys.dont_write_bytecode = False


# --------------------------------------------------------------------------- tiers
TIERS: dict[str, tuple[str, ...]] = {
    "test_a11y.py": ("browser", "server"),
    "test_browser.py": ("browser", "server"),
    "test_browser_assess_links.py": ("browser", "server"),
    "test_browser_hardening.py": ("browser", "server"),
    "test_browser_limits.py": ("browser", "server"),
    "test_browser_recovery.py": ("browser", "server"),
    "test_browser_notes.py": ("browser", "server"),
    "test_browser_vault.py": ("browser", "server"),
    "test_browser_diagrams_tree.py": ("browser", "server"),
    "test_browser_progress.py": ("browser", "server"),
    "test_browser_store.py": ("browser", "server"),
    "test_browser_vault_import.py": ("browser", "server"),
    "test_first_paint.py": ("browser", "server"),
    "test_local_cluster.py": ("lb", "browser", "server"),
    "test_security_headers.py": ("lb", "server"),
    "test_bench_smoke.py": ("slow", "server"),
    "test_interactions.py": ("apptest",),
    "test_pages.py": ("apptest",),
    "test_workshop_pages.py": ("apptest",),
    "test_session_isolation.py": ("apptest",),
    "test_vault_sessions.py": ("apptest",),
    "test_hostile.py": ("apptest",),
    "test_deploy.py": ("apptest",),
    "test_ml_test_score.py": ("apptest",),
    "test_search_page.py": ("apptest",),
    "test_vault_app.py": ("apptest",),
    "test_note_tree_cache.py": ("apptest",),
    "test_relist_paths.py": ("apptest",),
    "test_browser_search.py": ("browser", "server"),
    "test_browser_study_browse.py": ("browser", "server"),
    "test_browser_study_memory.py": ("browser", "server"),
    "test_study_s1_memory_view.py": ("apptest",),
    "test_study_s1_bench_smoke.py": ("slow",),
    "test_browser_study_course.py": ("browser", "server"),
    "test_study_s2_apptest.py": ("apptest",),
    "test_study_time.py": ("apptest",),
}
"""Module -> the markers all of its tests get (modules not named here hold unit tests, or mark themselves)."""

SLOW: dict[str, str] = {
    "test_code_quality.py::": "runs ruff over the whole tree",
    "test_deploy.py::test_pages_write_nothing_to_disk": "every page under an audit hook",
    "test_hostile.py::test_every_page_degrades_to_a_notice_with_garbage_files": "every page with broken content",
    "test_hostile.py::test_hostile_links_on_every_page": "property run over every page",
    "test_sharecode_v2.py::test_near_valid_v2_codes_only_raise_sharecodeerror": "300 examples",
    "test_sharecode_v2.py::test_decode_workshop_raises_only_sharecodeerror": "300 examples",
    "test_figures.py::test_no_figure_is_stale": "builds every figure",
    "test_figures.py::test_check_command_exit_code": "builds every figure in a subprocess",
}
"""Single tests (``module::name`` prefixes) kept out of the quick loop, with why."""

_OUT_OF_QUICK = {"browser", "server", "lb", "slow"}

# --------------------------------------------------------------------------- both cores
GROUPS: dict[str, str] = {
    "test_browser_diagrams_tree.py": "the session's vault_site (below), and a server on a 1,000-note copy",
    "test_browser_hardening.py": "one server on a copy of the content with a hostile note",
    "test_browser_notes.py": "one server on a copy of the content with the fixture notes",
    "test_browser_store.py": "one server of the store probe app",
    "test_browser_vault.py": "the session's vault_site (below)",
    "test_local_cluster.py": "one HAProxy cluster of two processes",
    "test_security_headers.py": "the session's csp_site (below)",
    "test_a11y.py": "the session's csp_site (below)",
}
"""Modules whose tests share an expensive module-scoped fixture, with why.  The README's command runs
``-n 2 --dist loadgroup``: each of these modules is one ``xdist_group`` (all its tests on one worker, so the
fixture starts once); every other test is sent to whichever worker is free.  Browser tests that change
neither the content nor the server's environment use the session's :func:`app_server` (one per worker).
(The benchmark smoke runs are no group: each section writes logs of its own name and starts its own
servers on free ports, so they spread over both workers.)"""

SHARED_GROUPS: dict[str, str] = {
    "test_browser_vault.py": "vault_site",
    "test_browser_diagrams_tree.py": "vault_site",
    "test_security_headers.py": "csp_site",
    "test_a11y.py": "csp_site",
}
"""Modules of :data:`GROUPS` that share one session fixture between them: one ``xdist_group`` for all of
them (default: the module's own name), so the fixture starts once, on one worker."""


@pytest.hookimpl(tryfirst=True)  # before -m deselects by these markers
def pytest_collection_modifyitems(config, items):
    for item in items:
        module = item.nodeid.split("/")[-1]
        for name in TIERS.get(module.split("::", 1)[0], ()):
            item.add_marker(name)
        if any(module.startswith(prefix) for prefix in SLOW):
            item.add_marker("slow")
        group = module.split("::", 1)[0]
        if group in GROUPS:
            item.add_marker(pytest.mark.xdist_group(SHARED_GROUPS.get(group, group.removesuffix(".py"))))
        names = {m.name for m in item.iter_markers()}
        if not names & {"apptest", "server", "browser", "lb"}:
            item.add_marker("unit")
        if not names & _OUT_OF_QUICK:
            item.add_marker("quick")


@pytest.fixture(scope="session")
def content():
    """The shipped content, loaded once."""
    from explorer.content.loader import load_content

    return load_content(CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of content/ (and figures/ beside it) for tests that break things."""
    dst = tmp_path / "content"
    shutil.copytree(CONTENT, dst)
    if (ROOT / "figures").is_dir():
        shutil.copytree(ROOT / "figures", tmp_path / "figures")
    return dst


@pytest.fixture(scope="session", autouse=True)
def _error_details_in_tests():
    """The shipped config hides error details from visitors; AppTest failures should name their cause."""
    from streamlit import config

    config.set_option("client.showErrorDetails", "full")


@pytest.fixture(autouse=True)
def _clear_streamlit_caches():
    """st.cache_* are shared between AppTest instances in one process: start each test clean."""
    yield
    if "streamlit" in sys.modules:
        import streamlit as st

        st.cache_data.clear()
        st.cache_resource.clear()


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
    from tests.e2e_util import shared_browser

    b = shared_browser(pw)
    yield b
    b.close()


@pytest.fixture(scope="session")
def app_server(_browser_available):
    """One ``streamlit run app.py`` with the shipped content for every browser test that changes neither
    the content nor the server's environment (the server keeps nothing between sessions: README).  A test
    that needs a fresh server (a deep link as its first request, a restart) starts its own."""
    from tests.e2e_util import running_server

    with running_server() as s:
        yield s


@pytest.fixture(scope="session")
def csp_site(_browser_available, tmp_path_factory):
    """The app as a deployment serves it: one process behind the local HAProxy, which adds the security headers
    (``deploy/security_headers.py``: the Content-Security-Policy among them), reading the shipped content with
    the math fixture notes added (formulas typeset under the policy).  The accessibility and the security-header
    modules share it (``SHARED_GROUPS``: one worker), so every page the accessibility tests open is also
    checked for policy violations, in each theme and window size."""
    import os
    from unittest import mock

    from deploy.local_cluster import haproxy_binary, start_cluster
    from tests.e2e_util import on_ci

    if haproxy_binary() is None:
        if on_ci():
            pytest.fail("CI=true but haproxy is not installed", pytrace=False)
        pytest.skip("haproxy is not installed (apt-get install -y haproxy)")
    content = tmp_path_factory.mktemp("csp") / "content"
    shutil.copytree(CONTENT, content)
    shutil.copytree(ROOT / "tests" / "fixtures" / "math", content / "notes" / "math")
    with mock.patch.dict(os.environ, {"EXPLORER_CONTENT_DIR": str(content)}):  # for the process it starts only: the
        cluster = start_cluster(1)  # servers started later in this worker read the shipped content
    try:
        yield cluster
    finally:
        cluster.stop()


HUGE_DIAGRAM_NODES = 5000
"""The generated note ``notes/vault/Diagrams/Huge diagram.md`` of :func:`vault_site` holds a flowchart of
this many nodes (over the app's diagram limit: shown as source with a notice)."""


@pytest.fixture(scope="session")
def vault_site(_browser_available, tmp_path_factory):
    """One server for the vault and the diagram-and-tree browser modules (``SHARED_GROUPS``: one worker):
    a copy of content/ with tests/fixtures/vault under ``notes/vault/`` and one generated note holding a
    diagram of :data:`HUGE_DIAGRAM_NODES` nodes.  Their tests only read it."""
    from tests.e2e_util import running_server, vault_content

    content = vault_content(tmp_path_factory, "vault-site")
    huge = "flowchart TD\n" + "\n".join(f"  n{i} --> n{i + 1}" for i in range(HUGE_DIAGRAM_NODES))
    (content / "notes" / "vault" / "Diagrams" / "Huge diagram.md").write_text(
        f"# Huge diagram\n\nBefore the diagram.\n\n```mermaid\n{huge}\n```\n\nAfter the diagram.\n", encoding="utf-8")
    with running_server(env={"EXPLORER_CONTENT_DIR": str(content)}) as s:
        yield s
