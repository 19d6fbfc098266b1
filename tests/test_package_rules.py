"""Rules of the code's layout (issue 14, modules by idea), read from the source with ``ast``:

- no module imports another module's private (``_``-prefixed) name, nor reaches one through an
  imported module (``charts._figure``);
- there is one palette: colour literals live only in ``explorer/charts/base.py``;
- the chart views build on the shared base and never import each other;
- the app works with Streamlit's documented API only: no private Streamlit name (``streamlit.x._y``,
  ``from streamlit.runtime... import``), no frame inspection, no file read out of the installed package,
  no synthetic browser event in the components' scripts;
- a module holds one idea: at most :data:`MAX_MODULE_LINES` lines.

Each rule is a function over a folder, run against the real tree and against a small hand-made
tree that breaks it (so the scan is shown to catch what it is for).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from explorer import ROOT

OWN = ("explorer", "ui")  # first parts of the absolute imports that name this project's modules
COLOUR = re.compile(r"#(?:[0-9A-Fa-f]{3}|[0-9A-Fa-f]{6}|[0-9A-Fa-f]{8})\b|\brgba?\(\s*\d")
PALETTE_HOME = Path("explorer/charts/base.py")


def _python_files(root: Path) -> list[Path]:
    files = [*root.glob("explorer/**/*.py"), *root.glob("ui/**/*.py"), *root.glob("pages/*.py"), *root.glob("app.py")]
    return sorted(p for p in files if "__pycache__" not in p.parts)


def _by_place(found: list[tuple[str, int, str]]) -> list[str]:
    return [f"{rel}:{line}: {what}" for rel, line, what in sorted(found)]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_imports(root: Path) -> list[str]:
    """``file:line: name`` for every private name a module takes from another of this project's modules."""
    out: list[tuple[str, int, str]] = []
    for path in _python_files(root):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules: set[str] = set()  # local names bound to this project's modules (or their attributes)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                own = node.level > 0 or (node.module or "").split(".")[0] in OWN
                if not own:
                    continue
                if any(_private(part) for part in (node.module or "").split(".")):
                    out.append((rel, node.lineno, f"from {node.module}"))
                for alias in node.names:
                    if _private(alias.name):
                        out.append((rel, node.lineno, alias.name))
                    else:
                        modules.add(alias.asname or alias.name)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] in OWN:
                        if any(_private(p) for p in parts):
                            out.append((rel, node.lineno, f"import {alias.name}"))
                        modules.add(alias.asname or parts[0])
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in modules
                    and _private(node.attr)):
                out.append((rel, node.lineno, f"{node.value.id}.{node.attr}"))
    return _by_place(out)


def colour_literals(root: Path) -> list[str]:
    """``file:line: literal`` for every string constant holding a colour outside the palette module."""
    out: list[tuple[str, int, str]] = []
    for path in _python_files(root):
        rel = path.relative_to(root)
        if rel == PALETTE_HOME or rel.parts[0] != "explorer":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and COLOUR.search(node.value):
                out.append((rel.as_posix(), node.lineno, repr(node.value[:60])))
    return _by_place(out)


def view_imports(root: Path) -> dict[str, set[str]]:
    """explorer/charts view module -> the sibling chart modules it imports."""
    charts = root / "explorer" / "charts"
    siblings = {p.stem for p in charts.glob("*.py")} - {"__init__"}
    out: dict[str, set[str]] = {}
    for path in sorted(charts.glob("*.py")):
        if path.stem in ("__init__", "base"):
            continue
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                found |= {n.split(".")[0] for n in names if n.split(".")[0] in siblings}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("explorer.charts."):
                found.add(node.module.split(".")[2])
        out[path.stem] = found
    return out


STREAMLIT_PUBLIC = {"streamlit", "streamlit.errors", "streamlit.testing.v1", "streamlit.components.v2"}
"""The Streamlit modules the app may import (the documented ones); everything else is an internal."""
FORBIDDEN_TEXT = {
    "sys._getframe": "frame inspection",
    "inspect.stack": "frame inspection",
    "fragment_ids_this_run": "a private Streamlit attribute",
    "_use_warning_has_been_displayed": "a private Streamlit attribute",
    "static/static/js": "a file of the installed package",
    "PopStateEvent": "a synthetic browser event",
    "dispatchEvent(": "a synthetic browser event",
    ".click()": "a synthetic browser event",
}
MAX_MODULE_LINES = 450


def streamlit_internals(root: Path) -> list[str]:
    """``file:line: what`` for every use of Streamlit's internals in the app (Python and the components' JS)."""
    out: list[tuple[str, int, str]] = []
    for path in _python_files(root) + sorted((root / "components").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        st_names = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] == "streamlit":
                        if alias.name not in STREAMLIT_PUBLIC:
                            out.append((rel, node.lineno, f"import {alias.name}"))
                        st_names.add(alias.asname or alias.name.split(".")[0])
            elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "streamlit":
                if node.module not in STREAMLIT_PUBLIC or any(_private(a.name) for a in node.names):
                    out.append((rel, node.lineno, f"from {node.module} import {', '.join(a.name for a in node.names)}"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr):
                base = node.value
                while isinstance(base, ast.Attribute):
                    base = base.value
                if isinstance(base, ast.Name) and base.id in st_names:
                    out.append((rel, node.lineno, f"{base.id}....{node.attr}"))
    for path in _python_files(root) + sorted((root / "components").rglob("*.py")) + sorted((root / "components").rglob("*.js")):
        rel = path.relative_to(root).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//")[0] if path.suffix == ".js" else line.split("#")[0]
            out.extend((rel, n, why) for text, why in FORBIDDEN_TEXT.items() if text in code)
    return _by_place(out)


def big_modules(root: Path, limit: int = MAX_MODULE_LINES) -> list[str]:
    """``file: N lines`` for every module of the logic package, the view layer or the components over ``limit``."""
    files = [*root.glob("explorer/**/*.py"), *root.glob("ui/*.py"), *root.glob("components/**/*.py")]
    sizes = {p.relative_to(root).as_posix(): len(p.read_text(encoding="utf-8").splitlines())
             for p in files if "__pycache__" not in p.parts}
    return sorted(f"{rel}: {n} lines" for rel, n in sizes.items() if n > limit)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return tmp_path


# --------------------------------------------------------------------------- the real tree
def test_no_module_imports_a_private_name_of_another():
    assert private_imports(ROOT) == []


def test_one_palette_colours_only_in_charts_base():
    assert colour_literals(ROOT) == []
    base = (ROOT / PALETTE_HOME).read_text(encoding="utf-8")
    assert len(COLOUR.findall(base)) >= 10  # the palette really is there


def test_chart_views_build_on_base_and_not_on_each_other():
    imports = view_imports(ROOT)
    assert {"breakdown", "ladders", "crosswalk", "hierarchy", "workflows", "analogy", "certifications", "assessment",
            "study", "movement"} <= set(imports)
    for view, found in imports.items():
        assert found == {"base"}, f"charts/{view}.py imports {sorted(found)}"


def test_the_app_uses_no_streamlit_internals():
    assert streamlit_internals(ROOT) == []


SPLIT_PENDING: set[str] = set()
"""Modules still waiting for their split (a ratchet: each must still be big, and none may join it)."""


def test_every_module_holds_one_idea_within_the_size_limit():
    big = {line.split(":")[0] for line in big_modules(ROOT)}
    assert big - SPLIT_PENDING == set(), "over the limit"
    assert SPLIT_PENDING - big == set(), "split already: remove from SPLIT_PENDING"


def test_old_chart_modules_are_gone():
    gone = ["charts.py", "assessment_charts.py", "study_charts.py", "workshop_charts.py"]
    assert [n for n in gone if (ROOT / "explorer" / n).exists()] == []


# --------------------------------------------------------------------------- the scans catch what they are for
def test_internals_scan_catches_every_form(tmp_path):
    root = _tree(tmp_path, {
        "ui/a.py": "import sys\nimport streamlit as st\nimport streamlit.delta_generator as dg\n"
                   "dg._use_warning_has_been_displayed = True\nst.runtime._x\nf = sys._getframe(1)\n",
        "ui/b.py": "from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx\n"
                   "from streamlit import _private\nfrom streamlit.errors import StreamlitAPIException\n",
        "components/c/x.js": "// a comment about PopStateEvent is fine\nwindow.dispatchEvent(new PopStateEvent('popstate'));\n"
                             "button.click();\n",
        "app.py": "import streamlit as st\nst.page_link('app.py')\n",
    })
    found = streamlit_internals(root)
    assert found == [
        "components/c/x.js:2: a synthetic browser event",
        "components/c/x.js:2: a synthetic browser event",
        "components/c/x.js:3: a synthetic browser event",
        "ui/a.py:3: import streamlit.delta_generator",
        "ui/a.py:4: a private Streamlit attribute",
        "ui/a.py:4: dg...._use_warning_has_been_displayed",
        "ui/a.py:5: st...._x",
        "ui/a.py:6: frame inspection",
        "ui/b.py:1: from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx",
        "ui/b.py:2: from streamlit import _private",
    ]


def test_size_scan_names_the_big_modules(tmp_path):
    root = _tree(tmp_path, {"explorer/a.py": "x = 1\n" * 451, "explorer/b/c.py": "x = 1\n" * 450, "ui/d.py": "y = 2\n" * 500,
                            "pages/1_P.py": "z = 3\n" * 999})
    assert big_modules(root) == ["explorer/a.py: 451 lines", "ui/d.py: 500 lines"]


def test_private_import_scan_catches_every_form(tmp_path):
    root = _tree(tmp_path, {
        "explorer/a.py": "def _helper():\n    pass\n",
        "explorer/charts/b.py": "from ..a import _helper\nfrom . import base\nbase._figure\n",
        "explorer/c.py": "import explorer.a\nfrom explorer import a as alias\nalias._helper()\nfrom explorer._x import y\n",
        "pages/1_P.py": "from explorer.a import _helper, fine\n",
        "ui/w.py": "from os import _exit\nimport json\njson._default_decoder\nfrom explorer.a import __doc__\n",
    })
    found = private_imports(root)
    assert found == [
        "explorer/c.py:3: alias._helper",
        "explorer/c.py:4: from explorer._x",
        "explorer/charts/b.py:1: _helper",
        "explorer/charts/b.py:3: base._figure",
        "pages/1_P.py:1: _helper",
    ]


def test_colour_scan_catches_literals_outside_base(tmp_path):
    root = _tree(tmp_path, {
        "explorer/charts/base.py": 'RED = "#D62728"\n',
        "explorer/charts/x.py": 'A = "#d62728"\nB = {"line": "rgba(0,0,0,0)"}\nC = "#fff"\nD = "not #colour, issue #12"\n',
        "explorer/report.py": 'svg = f\'<path stroke="#1F2430"/>\'\n',
        "ui/w.py": 'X = "#000000"\n',  # outside explorer/: the app's CSS side is not this rule's
    })
    assert colour_literals(root) == [
        "explorer/charts/x.py:1: '#d62728'",
        "explorer/charts/x.py:2: 'rgba(0,0,0,0)'",
        "explorer/charts/x.py:3: '#fff'",
        "explorer/report.py:1: '<path stroke=\"#1F2430\"/>'",
    ]


def test_view_scan_catches_a_view_importing_another(tmp_path):
    root = _tree(tmp_path, {
        "explorer/charts/__init__.py": "",
        "explorer/charts/base.py": "",
        "explorer/charts/ladders.py": "from .base import axis\n",
        "explorer/charts/crosswalk.py": "from .base import axis\nfrom .ladders import ladder_chart\n",
        "explorer/charts/study.py": "from explorer.charts.ladders import ladder_chart\nfrom . import base\n",
    })
    assert view_imports(root) == {"crosswalk": {"base", "ladders"}, "ladders": {"base"}, "study": {"base", "ladders"}}
