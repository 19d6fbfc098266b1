"""House rules for pages (issue #21, "a house that is cheap to change"), checked from the source.

* A page is a thin view: at most 150 lines; drawing helpers live in ``ui`` view modules by feature.
* A page imports what it uses from the ``ui`` module that owns it (no ``ui.<name>`` through the package).
* A page never touches ``st.session_state``: widgets return their values, the URL binder
  (``ui.urlstate``) and the view modules keep the rest.
* The route table (``explorer.routes``) is the one place for query parameter names: each page lists the
  parameters it reads, and a widget bound to the URL (``bind="query-params"``) has one of them as its key.

Pages not yet moved to these rules are listed in :data:`PENDING`; the list only shrinks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from explorer.routes import PAGE_LIST, ROUTES
from tests.apptest_util import ROOT

MAX_PAGE_LINES = 150
PENDING: set[str] = set()
"""Pages still to move to direct imports, no session state and (all but app.py) thin views (the lead migrates them)."""
TOO_LONG: set[str] = set()

PAGE_FILES = [p.file for p in PAGE_LIST]
MIGRATED = [f for f in PAGE_FILES if f not in PENDING]
CHOICE_WIDGETS = {"selectbox", "radio", "segmented_control", "pills", "multiselect", "select_slider"}
LINK_TARGETS = {"note", "section", "term"}
"""Parameters that links inside the app lead to (in-note links, the reader's lists, related terms)."""
SELF_LINKING = {"pages/1_Notes.py", "pages/3_Glossary.py", "pages/5_Maturity_Ladders.py"}
"""Pages with links to themselves (Previous/Next, related terms and "All terms", "Link to this comparison")."""


def _source(file: str) -> str:
    return (ROOT / file).read_text(encoding="utf-8")


def _view_modules(file: str) -> list[Path]:
    names = re.findall(r"^from ui(?: import |\.)(\w+_view)\b", _source(file), re.M)
    return [ROOT / "ui" / f"{n}.py" for n in names]


def _bound_widgets(path: Path) -> list[tuple[str, str]]:
    """(widget function, key) of every call with ``bind="query-params"``."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            kw = {k.arg: k.value for k in node.keywords}
            bind = kw.get("bind")
            if isinstance(bind, ast.Constant) and bind.value == "query-params":
                key = kw.get("key")
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "?")
                out.append((name, key.value if isinstance(key, ast.Constant) else "<not a literal>"))
    return out


_READS = re.compile(r"""(?:urlstate\.(?:follow|check|follow_list|raw)|\bbind)\(\s*["']([\w-]+)["']""")


def _params_read(file: str) -> set[str]:
    """Parameters a page (and its view modules) name in a binder call or as a bound widget's key."""
    paths = [ROOT / file, *_view_modules(file)]
    found = set()
    for path in paths:
        found |= set(_READS.findall(path.read_text(encoding="utf-8")))
        found |= {key for _, key in _bound_widgets(path)}
    return found


@pytest.mark.parametrize("file", PAGE_FILES)
def test_a_page_is_a_thin_view(file):
    lines = len(_source(file).splitlines())
    if file in PENDING:
        pytest.skip(f"{file} ({lines} lines) is still to be moved to a thin view")
    assert lines <= MAX_PAGE_LINES, f"{file} has {lines} lines: move drawing into a ui view module"


@pytest.mark.parametrize("file", MIGRATED)
def test_a_page_imports_from_the_module_that_owns_it(file):
    src = _source(file)
    assert not re.search(r"^import ui\b", src, re.M), f"{file}: import from the ui module that owns the name"
    assert not re.search(r"(?<![\w.])ui\.[a-z_]+\(", src), f"{file}: calls ui.<name>(...) through the package"


@pytest.mark.parametrize("file", MIGRATED)
def test_a_page_does_not_touch_session_state(file):
    """Widgets return their values; what the URL holds comes from ui.urlstate; the rest lives in view modules."""
    assert "session_state" not in _source(file), f"{file} uses st.session_state"


def test_the_ui_package_imports_no_view_module_itself():
    """``ui/__init__`` no longer re-exports the view layer: ``import ui`` imports none of its modules."""
    import subprocess
    import sys

    code = "import sys, ui; print(sorted(m for m in sys.modules if m.startswith('ui.')))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("file", PAGE_FILES)
def test_the_route_table_lists_every_parameter_a_page_reads(file):
    page = next(p for p in PAGE_LIST if p.file == file)
    assert _params_read(file) <= set(page.params), f"{file} reads parameters the route table does not list"
    for route in ROUTES.values():
        target = next(p for p in PAGE_LIST if p.key == route.page)
        assert route.param in target.params, f"the {route.kind} links use ?{route.param}=, which {target.file} does not list"


def test_a_bound_widget_is_a_text_input_keyed_by_a_parameter_of_its_own_page():
    """``bind="query-params"``: the key is the parameter's name, and Streamlit keeps a bound value across pages by
    that key, so the parameter belongs to one page.  Choice widgets stay unbound: Streamlit 1.67 writes their
    option *label* into the URL, not the id the route table's links carry (ui/urlstate.py).  Parameters
    that links inside the app lead to stay unbound (Streamlit refuses them in st.switch_page), and a page
    that links to itself binds nothing: such a link updates a bound widget but not the address bar."""
    owners: dict[str, set[str]] = {}
    for p in PAGE_LIST:
        for param in p.params:
            owners.setdefault(param, set()).add(p.file)
    bound = {}
    for file in PAGE_FILES:
        links_to_itself = file in SELF_LINKING
        for path in [ROOT / file, *_view_modules(file)]:
            for widget, key in _bound_widgets(path):
                assert widget not in CHOICE_WIDGETS, f"{path.name}: {widget} {key!r} is bound (its URL value would be a label)"
                assert key in next(p for p in PAGE_LIST if p.file == file).params, f"{path.name}: {key!r} is not a parameter of {file}"
                assert owners[key] == {file}, f"{key!r} is a parameter of several pages: {sorted(owners[key])}"
                assert key not in LINK_TARGETS, f"{key!r} is where links inside the app lead: it stays unbound"
                assert not links_to_itself, f"{file} links to itself: {key!r} stays unbound"
                bound[key] = file
    assert {"q", "find"} <= set(bound), bound
