"""Deploy readiness for Streamlit Community Cloud (fast, no browser).

Community Cloud runs ``streamlit run <entry>`` from the repository root, installs the one dependency
file it finds (``uv.lock``, ``Pipfile``, ``environment.yml``, ``pyproject.toml`` win over
``requirements.txt``), reads ``.streamlit/config.toml``, lets the owner pick Python 3.11-3.13 once,
and offers no durable disk.  Each test below checks one of those expectations against this repo.
"""

from __future__ import annotations

import ast
import os
import re
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APP_FILES = [ROOT / "app.py", *sorted((ROOT / "ui").glob("*.py")), *sorted((ROOT / "pages").glob("*.py")),
             *sorted((ROOT / "components").rglob("*.py"))]
EXPLORER_FILES = sorted((ROOT / "explorer").rglob("*.py"))
SUPPORTED_PYTHONS = ("3.11", "3.12", "3.13")


def _imports(path: Path) -> list[tuple[str, int, int]]:
    """(absolute module name, relative level, line) for every import in a file, lazy ones included."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(alias.name, 0, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = node.module or ""
                names = [f"{base}.{a.name}".strip(".") for a in node.names] if not base else [base]
                out += [(n, node.level, node.lineno) for n in names]
            else:
                out.append((node.module or "", 0, node.lineno))
                # `from explorer import charts` may name a submodule
                out += [(f"{node.module}.{a.name}", 0, node.lineno) for a in node.names if a.name != "*"]
    return out


def _requirements(name: str) -> dict[str, str]:
    """Normalised distribution name -> pinned version, following ``-r`` includes."""
    pins: dict[str, str] = {}
    for raw in (ROOT / name).read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("-r"):
            pins.update(_requirements(line[2:].strip()))
            continue
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*==\s*([A-Za-z0-9.+!-]+)", line)
        pins[_norm(m.group(1)) if m else f"UNPINNED: {line}"] = m.group(2) if m else ""
    return pins


def _norm(dist: str) -> str:
    return re.sub(r"[-_.]+", "-", dist).lower()


# --------------------------------------------------------------------------- layout
def test_entry_point_and_requirements_at_the_root():
    assert (ROOT / "app.py").is_file(), "Community Cloud's entry point app.py must be at the repo root"
    assert (ROOT / "requirements.txt").is_file()
    assert (ROOT / "pages").is_dir()
    # any .py in pages/ becomes a page: helpers must live elsewhere
    helpers = [p.name for p in (ROOT / "pages").glob("*.py") if not re.match(r"^\d+_[A-Z]", p.name)]
    assert not helpers, f"non-page Python files in pages/: {helpers}"
    assert not list((ROOT / "pages").glob("*/")), "sub-folders in pages/ are not pages"


def test_only_one_kind_of_dependency_file():
    rivals = [n for n in ("Pipfile", "Pipfile.lock", "environment.yml", "environment.yaml", "uv.lock", "poetry.lock",
                          "setup.py", "setup.cfg") if (ROOT / n).exists()]
    assert not rivals, f"Community Cloud would install from {rivals} instead of requirements.txt"
    pyproject = ROOT / "pyproject.toml"
    if pyproject.exists():
        data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        assert not data.get("project", {}).get("dependencies"), "pyproject.toml declares dependencies"
        assert not data.get("tool", {}).get("poetry", {}).get("dependencies"), "pyproject.toml declares poetry dependencies"
    subdirs = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("requirements*.txt")
               if p.parent != ROOT and not any(part.startswith(".") for part in p.relative_to(ROOT).parts)]
    assert not subdirs, f"requirements files outside the root: {subdirs}"


def test_requirements_are_pinned_and_match_what_the_tests_ran_with():
    for name in ("requirements.txt", "requirements-dev.txt"):
        pins = _requirements(name)
        unpinned = [k for k in pins if k.startswith("UNPINNED")]
        assert not unpinned, f"{name}: {unpinned}"
    mismatched = {}
    for dist, version in _requirements("requirements-dev.txt").items():
        try:
            installed = metadata.version(dist)
        except metadata.PackageNotFoundError:
            mismatched[dist] = (version, "not installed")
            continue
        if installed != version:
            mismatched[dist] = (version, installed)
    assert not mismatched, f"pinned vs installed: {mismatched}"


def test_pinned_packages_support_every_declared_python():
    from packaging.specifiers import SpecifierSet

    bad = {}
    for dist in _requirements("requirements.txt"):
        spec = metadata.metadata(dist).get("Requires-Python") or ""
        refused = [v for v in SUPPORTED_PYTHONS if spec and f"{v}.0" not in SpecifierSet(spec)]
        if refused:
            bad[dist] = (spec, refused)
    assert not bad, f"pinned packages that refuse a supported Python: {bad}"


# --------------------------------------------------------------------------- imports
def _own_modules() -> set[str]:
    return {p.stem for p in ROOT.glob("*.py")} | {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}


def _module_file(parts: list[str]) -> Path | None:
    base = ROOT.joinpath(*parts)
    for cand in (base.with_suffix(".py"), base / "__init__.py"):
        if cand.is_file():
            return cand
    return None


def _explorer_targets(f: Path, name: str, level: int) -> list[Path]:
    """explorer files an import in ``f`` may load (a name may be a module or an attribute of one)."""
    if level:
        if "explorer" not in f.relative_to(ROOT).parts:
            return []
        pkg = list(f.relative_to(ROOT).parent.parts)
        pkg = pkg[: len(pkg) - (level - 1)]
        parts = pkg + [p for p in name.split(".") if p]
    elif name.split(".")[0] == "explorer":
        parts = name.split(".")
    else:
        return []
    found = [m for m in (_module_file(parts), _module_file(parts[:-1]) if len(parts) > 1 else None) if m]
    return found[:1] + [ROOT / "explorer" / "__init__.py"]


def _runtime_explorer_files() -> set[Path]:
    """explorer files reachable from app.py, ui/ and the pages (lazy imports included)."""
    seen: set[Path] = set()
    todo = list(APP_FILES)
    while todo:
        f = todo.pop()
        for name, level, _ in _imports(f):
            for target in _explorer_targets(f, name, level):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
    return seen


def _runtime_explorer_modules() -> set[str]:
    return {p.relative_to(ROOT / "explorer").with_suffix("").as_posix().removesuffix("/__init__")
            for p in _runtime_explorer_files()}


def test_every_import_is_stdlib_own_code_or_a_listed_requirement():
    """Runtime code may import only what requirements.txt installs; CLI-only explorer modules
    (figures, export, cli, never imported by the app) may also use requirements-dev.txt."""
    runtime = _requirements("requirements.txt")
    dev = _requirements("requirements-dev.txt")
    dists_of = metadata.packages_distributions()
    own = _own_modules()
    runtime_explorer = _runtime_explorer_files()
    problems = []
    for f in APP_FILES + EXPLORER_FILES:
        at_runtime = f in APP_FILES or f in runtime_explorer
        allowed = runtime if at_runtime else dev
        for name, level, line in _imports(f):
            top = name.split(".")[0]
            if level or not top or top in sys.stdlib_module_names or top in own:
                continue
            dists = [_norm(d) for d in dists_of.get(top, [])]
            if not dists:
                problems.append(f"{f.relative_to(ROOT)}:{line}: {top} is not installed at all")
            elif not any(d in allowed for d in dists):
                where = "requirements.txt" if at_runtime else "requirements-dev.txt"
                problems.append(f"{f.relative_to(ROOT)}:{line}: imports {top} (distribution {dists[0]}) which {where} does not list")
    assert not problems, "\n".join(problems)


def test_runtime_reachability_scan_sees_the_app_modules():
    """Guard for the test above: the scan must find the modules the pages obviously use."""
    mods = _runtime_explorer_modules()
    assert {"content/loader", "notes/render", "charts", "notes/search", "assess/sharecode", "notes/md/engine",
            "notes/md/sanitize", "routes"} <= mods, mods
    views = {"base", "breakdown", "ladders", "crosswalk", "hierarchy", "workflows", "analogy", "certifications", "assessment",
             "study", "movement"}
    assert {f"charts/{v}" for v in views} | {"content/breakdown", "assess/ladders", "assess/movement"} <= mods, mods
    assert "figures" not in mods, "explorer.figures (kaleido) is reachable from the app"


def test_explorer_never_imports_streamlit():
    offenders = [f"{f.name}:{line}" for f in EXPLORER_FILES for name, level, line in _imports(f)
                 if not level and name.split(".")[0] == "streamlit"]
    assert not offenders, offenders


def test_no_st_navigation_with_a_pages_folder():
    """st.navigation together with pages/ breaks deep links on a fresh server (reference notes)."""
    offenders = [f.name for f in APP_FILES if re.search(r"\bst\.navigation\s*\(", f.read_text(encoding="utf-8"))]
    assert not offenders, offenders


REMOVED_AFTER_311 = {"distutils", "imp", "asynchat", "asyncore", "smtpd", "aifc", "audioop", "cgi", "cgitb", "chunk",
                     "crypt", "imghdr", "mailcap", "msilib", "nis", "nntplib", "ossaudiodev", "pipes", "sndhdr", "spwd",
                     "sunau", "telnetlib", "uu", "xdrlib", "lib2to3"}


def test_code_runs_on_every_supported_python():
    """Parses as Python 3.11 and uses no stdlib module that 3.12 or 3.13 removed."""
    problems = []
    for f in APP_FILES + EXPLORER_FILES:
        src = f.read_text(encoding="utf-8")
        try:
            ast.parse(src, filename=str(f), feature_version=(3, 11))
        except SyntaxError as exc:
            problems.append(f"{f.relative_to(ROOT)}: not Python 3.11 syntax: {exc}")
        problems += [f"{f.relative_to(ROOT)}:{line}: {name} is removed in Python 3.12/3.13"
                     for name, level, line in _imports(f) if not level and name.split(".")[0] in REMOVED_AFTER_311]
    assert not problems, "\n".join(problems)


def test_readme_declares_the_supported_python_range():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"Python 3\.11\b", readme), "README does not say Python 3.11"
    assert re.search(r"3\.11\s*(?:-|–|to)\s*3\.13|3\.11, 3\.12 (?:or|and) 3\.13", readme), "README does not give the 3.11-3.13 range"
    deploy = readme[readme.find("## Deploy"):]
    assert "## Deploy" in readme and "3.11" in deploy, "the deploy section does not tell which Python to pick"
    assert "app.py" in deploy, "the deploy section does not name the entry point"


# --------------------------------------------------------------------------- configuration and secrets
def test_streamlit_config_parses_and_every_key_is_a_streamlit_option():
    import streamlit.config as stconfig

    path = ROOT / ".streamlit" / "config.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    stconfig.get_config_options()
    known = set(stconfig._config_options or {})
    assert known, "could not read Streamlit's option names"

    def flat(d, prefix=""):
        for k, v in d.items():
            key = f"{prefix}{k}"
            if isinstance(v, dict):
                yield from flat(v, key + ".")
            else:
                yield key, v

    keys = dict(flat(data))
    unknown = sorted(k for k in keys if k not in known)
    assert not unknown, f"options Streamlit does not know: {unknown}"
    # every other .streamlit folder would be ignored on Community Cloud (one config at the root)
    others = [p.relative_to(ROOT).as_posix() for p in ROOT.rglob("config.toml")
              if p.parent.name == ".streamlit" and p != path and ".git" not in p.parts]
    assert not others, others


def test_config_upload_limit_is_above_the_apps_own_limit():
    from explorer.notes.uploads import MAX_UPLOAD_BYTES

    data = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    mb = data.get("server", {}).get("maxUploadSize", 200)
    assert mb * 1_000_000 >= MAX_UPLOAD_BYTES, "server.maxUploadSize rejects files the app accepts"


def test_no_secrets_needed():
    """No st.secrets, no committed secrets file, no environment variable the app code requires."""
    assert not (ROOT / ".streamlit" / "secrets.toml").exists(), "a secrets file is committed"
    uses = []
    runtime = [*APP_FILES, *sorted(_runtime_explorer_files())]
    for f in runtime:
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "secrets":
                uses.append(f"{f.relative_to(ROOT)}:{node.lineno}: .secrets")
            if (isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load)
                    and isinstance(node.value, ast.Attribute) and node.value.attr == "environ"):
                uses.append(f"{f.relative_to(ROOT)}:{node.lineno}: os.environ[...] (required environment variable)")
    assert not uses, uses


# --------------------------------------------------------------------------- nothing written to disk at run time
_WRITE_EVENTS = {"os.mkdir", "os.rename", "os.replace", "os.remove", "os.rmdir", "os.symlink", "os.link", "os.truncate",
                 "shutil.copyfile", "shutil.copymode", "shutil.copystat", "shutil.copytree", "shutil.move", "shutil.rmtree",
                 "tempfile.mkstemp", "tempfile.mkdtemp", "sqlite3.connect"}
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_AUDIT = {"on": False, "log": []}


def _audit(event: str, args) -> None:
    if not _AUDIT["on"]:
        return
    if event == "open":
        path, mode, flags = (list(args) + [None, None, None])[:3]
        writes = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & _WRITE_FLAGS)
        if not writes:
            return
        text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else repr(path)
        # Python's own bytecode cache for modules imported for the first time: the interpreter, not the app
        if text.endswith((".pyc", ".pyc.tmp")) or "__pycache__" in text or re.search(r"\.pyc\.\d+$", text):
            return
        _AUDIT["log"].append(f"open({text!r}, {mode!r})")
    elif event in _WRITE_EVENTS:
        _AUDIT["log"].append(f"{event}{tuple(str(a)[:120] for a in args)}")


_HOOKED = False


def _visits() -> list[tuple[str | None, dict[str, str]]]:
    from explorer import CONTENT_DIR
    from explorer.assess import sharecode
    from explorer.content.loader import load_content

    c = load_content(CONTENT_DIR)
    a, mts = c.assessment, c.ml_test_score
    code = sharecode.encode(a, {q.id: len(q.answers) - 1 for q in a.questions[::2]})
    marks = {t.id: 1.0 for s in mts.sections for t in s.tests[:3]}
    mcode = sharecode.encode(a, {}, marks=marks, mts=mts)
    note = c.notes[0]
    pages = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "pages").glob("*.py"))
    page = {re.sub(r"^pages/\d+_", "", p)[:-3]: p for p in pages}
    return [
        (None, {}),
        *[(p, {}) for p in pages],
        (page["Notes"], {"note": note.id, "section": note.sections[0].id}),
        (page["Search"], {"q": '"feature store" drift'}),
        (page["Glossary"], {"term": c.glossary[0].id}),
        (page["Breakdown"], {"quarter": c.breakdown.quarters[0].id, "split": "40,30,20,10"}),
        (page["Maturity_Ladders"], {"rung": c.vendors[0].levels[1].id}),
        (page["Maturity_Ladders"], {"compare": f"{c.vendors[0].levels[0].id},{c.vendors[1].levels[1].id}"}),
        (page["Self_Assessment"], {"a": code}),
        (page["ML_Test_Score"], {"m": mcode}),
        (page["Concepts"], {"view": "workflows"}),
        (page["Concepts"], {"view": "analogy"}),
        (page["Concepts"], {"view": "platforms"}),
        (page["Concepts"], {"tier": c.hierarchy.tiers[0].id}),
        (page["Certifications"], {"cert": c.certifications[0].id}),
        (page["Trends"], {"trend": c.trends.trends[0].id}),
        (page["Study"], {"tab": "quiz", "seed": "7"}),
        (page["Study"], {"tab": "progress"}),
    ]


def test_pages_write_nothing_to_disk_and_do_not_depend_on_the_working_directory(tmp_path, monkeypatch):
    """Every page (and the deep links that reach results, exports and the study pack) runs under
    AppTest with a Python audit hook recording every file opened for writing, every directory
    created and every file moved or deleted, from a working directory that is not the repo root."""
    global _HOOKED
    from tests.apptest_util import open_page

    visits = _visits()
    if not _HOOKED:
        sys.addaudithook(_audit)  # audit hooks cannot be removed; it is inert while _AUDIT["on"] is False
        _HOOKED = True
    monkeypatch.chdir(tmp_path)
    failures = []
    _AUDIT["log"].clear()
    _AUDIT["on"] = True
    try:
        for page, params in visits:
            at = open_page(page, params, timeout=60)
            label = f"{page or 'app.py'} {params}"
            if at.exception:
                failures.append(f"{label}: exception {at.exception[0].value[:300]}")
            if at.error:
                failures.append(f"{label}: error box {at.error[0].value[:300]}")
            if _AUDIT["log"]:
                failures.append(f"{label}: wrote to disk: {_AUDIT['log'][:5]}")
                _AUDIT["log"].clear()
    finally:
        _AUDIT["on"] = False
    assert list(tmp_path.iterdir()) == [], "files appeared in the working directory"
    assert not failures, "\n".join(failures)


def test_write_audit_detects_writes(tmp_path):
    """The oracle of the test above must see the kinds of writes it claims to catch."""
    global _HOOKED
    if not _HOOKED:
        sys.addaudithook(_audit)
        _HOOKED = True
    _AUDIT["log"].clear()
    _AUDIT["on"] = True
    try:
        (tmp_path / "a.txt").write_text("x")
        (tmp_path / "d").mkdir()
        import pandas as pd

        pd.DataFrame({"a": [1]}).to_csv(tmp_path / "b.csv")
        with open(tmp_path / "a.txt", encoding="utf-8") as fh:  # reading is fine
            fh.read()
    finally:
        _AUDIT["on"] = False
    log = list(_AUDIT["log"])
    _AUDIT["log"].clear()
    assert any("a.txt" in x for x in log) and any("os.mkdir" in x for x in log) and any("b.csv" in x for x in log), log
    assert sum("a.txt" in x for x in log) == 1, log


# --------------------------------------------------------------------------- hardening (issue 20)
def test_error_details_are_not_shown_to_visitors():
    import streamlit.config as stconfig

    data = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    value = data["client"]["showErrorDetails"]
    assert value == "none", "a visitor sees a generic message; the details go to the server log"
    assert value in {o.value for o in stconfig.ShowErrorDetailsConfigOptions}, "a value Streamlit 1.67 knows"


def test_an_uncaught_error_shows_no_detail_under_the_shipped_config(tmp_path, monkeypatch):
    """The config as shipped, read by Streamlit itself: an exception's message and traceback stay on the server."""
    from streamlit.testing.v1 import AppTest

    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "config.toml").write_text((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    script = tmp_path / "boom.py"
    script.write_text("raise RuntimeError('secret-detail-1234 at /srv/app/private.py')\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    import streamlit.config as stconfig

    stconfig.get_config_options(force_reparse=True)
    try:
        at = AppTest.from_file(str(script)).run()
        (err,) = at.exception
        shown = " ".join([err.value or "", err.message or "", " ".join(err.stack_trace or [])])
        assert "secret-detail-1234" not in shown and "private.py" not in shown, shown
    finally:
        monkeypatch.chdir(ROOT)
        stconfig.get_config_options(force_reparse=True)


def _customheaders_rules() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """ingress-nginx's checks of a custom-headers ConfigMap (internal/ingress/annotations/customheaders/main.go):
    a name or value outside these refuses the whole location (503)."""
    return (re.compile(r"^[a-zA-Z\d\-_]+$"), re.compile(r"^[a-zA-Z\d_ :;.,\\/\"'?!(){}\[\]@<>=\-+*#$&`|~^%]+$"))


def test_the_ingress_sets_the_security_headers_from_its_configmap():
    from deploy.security_headers import HEADERS
    from tests.test_container import manifests

    m = manifests()
    cm, ingress = m["ConfigMap"], m["Ingress"]
    assert cm["data"] == HEADERS, "deploy/k8s/configmap.yaml and deploy/security_headers.py differ"
    ann = ingress["metadata"]["annotations"]
    namespace = ingress["metadata"].get("namespace", "default")
    assert ann["nginx.ingress.kubernetes.io/custom-headers"] == f"{namespace}/{cm['metadata']['name']}"
    assert not [k for k in ann if k.endswith("-snippet")], "no snippet annotations (off by default in ingress-nginx)"
    name_ok, value_ok = _customheaders_rules()
    assert all(name_ok.match(k) and value_ok.match(v) for k, v in cm["data"].items())
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    allowed = re.search(r'global-allowed-response-headers: "([^"]+)"', readme)
    assert allowed and set(allowed[1].split(",")) == set(HEADERS), "deploy/README.md: the controller's allow-list"


def test_the_policy_keeps_frames_and_foreign_code_out():
    from deploy.security_headers import CSP_DIRECTIVES, HEADERS

    policy = dict(part.strip().split(" ", 1) for part in HEADERS["Content-Security-Policy"].split(";"))
    assert policy == CSP_DIRECTIVES
    assert policy["frame-ancestors"] == "'none'" and HEADERS["X-Frame-Options"] == "DENY"
    assert HEADERS["X-Content-Type-Options"] == "nosniff" and HEADERS["Referrer-Policy"] == "no-referrer"
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert "*" not in " ".join(policy.values()) and policy["object-src"] == "'none'"
