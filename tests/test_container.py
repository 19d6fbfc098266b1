"""The Docker image and the Kubernetes manifests say what they claim (fast, no Docker engine, no cluster).

There is no Docker engine on these machines, so the ``Dockerfile`` is parsed: base image, user,
port, health check, what is installed and what is copied (every source exists, is not excluded by
``.dockerignore``, and covers everything the app imports and reads).  The manifests under
``deploy/k8s/`` are validated against the Kubernetes JSON schema bundled with ``kubernetes-validate``
(offline: the network is cut during validation), linted with ``yamllint`` (``.yamllint.yaml``), and
cross-checked: labels and selectors, ports by name, probe paths, the HPA's target, the Ingress's
cookie affinity.  The HEALTHCHECK command itself is run against a live process in
``tests/test_local_cluster.py``.
"""

from __future__ import annotations

import ast
import json
import re
import shlex
import socket
import tomllib
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = ROOT / "Dockerfile"
K8S = ROOT / "deploy" / "k8s"
HEALTH = "/_stcore/health"
# The Kubernetes versions the manifests must be valid for: an older one still in wide use, and the
# newest kubernetes-validate knows.
K8S_VERSIONS = ("1.29.0", None)


# --------------------------------------------------------------------------- Dockerfile parsing
def dockerfile_instructions(path: Path = DOCKERFILE) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs: comments dropped, backslash continuations joined."""
    out: list[tuple[str, str]] = []
    buf = ""
    for raw in path.read_text(encoding="utf-8").splitlines():
        s = raw.strip()
        if s.startswith("#") or (not s and not buf):
            continue
        if s.endswith("\\"):
            buf += s[:-1].strip() + " "
            continue
        buf += s
        ins, _, args = buf.strip().partition(" ")
        out.append((ins.upper(), args.strip()))
        buf = ""
    assert not buf, "the Dockerfile ends inside a continued line"
    return out


def exec_form(args: str) -> list[str]:
    """The JSON array of an exec-form CMD/HEALTHCHECK CMD (shell form is refused: no signal handling)."""
    assert args.lstrip().startswith("["), f"use the exec form (JSON array), not the shell form: {args[:80]}"
    value = json.loads(args)
    assert isinstance(value, list) and all(isinstance(x, str) for x in value)
    return value


def _only(instrs, name: str) -> list[str]:
    return [a for i, a in instrs if i == name]


def test_dockerfile_parser_on_a_known_text(tmp_path):
    f = tmp_path / "Dockerfile"
    f.write_text('# c\nFROM python:3.12-slim\n\nRUN a \\\n    && b\n# inside\nCMD ["x", "--y=1"]\n')
    assert dockerfile_instructions(f) == [("FROM", "python:3.12-slim"), ("RUN", "a && b"), ("CMD", '["x", "--y=1"]')]
    assert exec_form('["x", "--y=1"]') == ["x", "--y=1"]
    with pytest.raises(AssertionError):
        exec_form("streamlit run app.py")


@pytest.fixture(scope="module")
def instrs():
    return dockerfile_instructions()


def test_base_image_is_slim_python_3_12(instrs):
    froms = _only(instrs, "FROM")
    assert len(froms) == 1, froms
    assert re.fullmatch(r"python:3\.12(\.\d+)?-slim(-[a-z]+)?", froms[0]), froms[0]


def _flags(argv: list[str]) -> dict[str, str]:
    out, i = {}, 0
    while i < len(argv):
        a = argv[i]
        if a.startswith("--"):
            if "=" in a:
                k, v = a[2:].split("=", 1)
            else:
                k, v = a[2:], argv[i + 1]
                i += 1
            out[k] = v
        i += 1
    return out


def cmd_argv(instrs) -> list[str]:
    cmds = _only(instrs, "CMD")
    assert len(cmds) == 1 and not _only(instrs, "ENTRYPOINT")
    return exec_form(cmds[0])


def test_cmd_runs_the_app_with_server_flags_streamlit_knows(instrs):
    import streamlit.config as stconfig

    argv = cmd_argv(instrs)
    assert argv[:3] == ["streamlit", "run", "app.py"], argv
    flags = _flags(argv[3:])
    stconfig.get_config_options()
    unknown = sorted(set(flags) - set(stconfig._config_options or {}))
    assert not unknown, f"flags Streamlit does not know: {unknown}"
    assert flags["server.headless"] == "true"
    assert flags["browser.gatherUsageStats"] == "false"
    assert flags["server.fileWatcherType"] == "none"
    assert flags["server.address"] == "0.0.0.0", "inside a container the server must listen beyond loopback"


def _uid(user: str, instrs) -> int | None:
    name = user.split(":")[0]
    if name.isdigit():
        return int(name)
    m = re.search(rf"useradd\b[^&;]*--uid\s+(\d+)[^&;]*\b{re.escape(name)}\b", " ".join(_only(instrs, "RUN")))
    return int(m.group(1)) if m else None


def test_runs_as_a_non_root_user_created_in_the_image(instrs):
    users = _only(instrs, "USER")
    assert users, "no USER: the container would run as root"
    last = users[-1]
    assert last.split(":")[0] not in ("root", "0"), last
    uid = _uid(last, instrs)
    assert uid is not None and uid >= 1000, last
    runs = " ".join(_only(instrs, "RUN"))
    assert re.search(rf"useradd\b.*--uid {uid}\b", runs), "the USER's uid is created by useradd"
    # nothing runs after the switch that would need root
    after = [i for i, _ in instrs[[n for n, (i, _) in enumerate(instrs) if i == "USER"][-1]:]]
    assert "RUN" not in after and "COPY" not in after, after


def test_exposed_port_cmd_port_and_healthcheck_agree(instrs):
    exposed = [int(p.split("/")[0]) for a in _only(instrs, "EXPOSE") for p in a.split()]
    port = int(_flags(cmd_argv(instrs)[3:])["server.port"])
    assert exposed == [port], (exposed, port)
    hc = _only(instrs, "HEALTHCHECK")
    assert len(hc) == 1
    opts, sep, cmd = hc[0].partition(" CMD ")
    assert sep, hc
    text = " ".join(exec_form(cmd))
    assert f"http://127.0.0.1:{port}{HEALTH}" in text, text
    assert "== b'ok'" in text, "the check must look at the answer, not only the status"
    for opt in ("--interval=", "--timeout=", "--start-period=", "--retries="):
        assert opt in opts, opt


def test_installs_requirements_txt_only(instrs):
    runs = _only(instrs, "RUN")
    pip = [r for r in runs if re.search(r"\bpip\b.*\binstall\b", r)]
    assert len(pip) == 1, pip
    words = shlex.split(pip[0])
    args = words[words.index("install") + 1:]
    assert [a for a in args if not a.startswith("--")] == ["-r", "requirements.txt"], args
    assert not any(w in " ".join(runs) for w in ("requirements-dev", "apt-get install", "playwright", "kaleido"))


# --------------------------------------------------------------------------- what is copied
def copy_sources(instrs) -> list[str]:
    srcs = []
    for args in _only(instrs, "COPY") + _only(instrs, "ADD"):
        parts = [p for p in shlex.split(args) if not p.startswith("--")]
        assert len(parts) >= 2, args
        srcs += [s.rstrip("/") for s in parts[:-1]]
    return srcs


def dockerignore_patterns() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    return [s.strip() for s in lines if s.strip() and not s.strip().startswith("#")]


def _pattern_regex(p: str) -> re.Pattern:
    p = p.strip("/")
    out, i = "", 0
    while i < len(p):
        if p.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif p.startswith("**", i):
            out += ".*"
            i += 2
        elif p[i] == "*":
            out += "[^/]*"
            i += 1
        elif p[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(p[i])
            i += 1
    return re.compile(out)


def excluded_by_dockerignore(rel: str, patterns: list[str]) -> bool:
    """Docker's rule: the last pattern matching the path or one of its parent folders decides."""
    parts = rel.split("/")
    prefixes = ["/".join(parts[: k + 1]) for k in range(len(parts))]
    excluded = False
    for pat in patterns:
        neg = pat.startswith("!")
        rx = _pattern_regex(pat[1:] if neg else pat)
        if any(rx.fullmatch(p) for p in prefixes):
            excluded = not neg
    return excluded


def test_dockerignore_matcher_on_known_cases():
    pats = ["*", "!app.py", "!content/", "**/__pycache__", "!keep/**/x.txt"]
    assert not excluded_by_dockerignore("app.py", pats)
    assert not excluded_by_dockerignore("content/notes/a.md", pats)
    assert excluded_by_dockerignore("content/__pycache__/a.pyc", pats)
    assert excluded_by_dockerignore("__pycache__/a.pyc", pats)
    assert excluded_by_dockerignore("tests/test_x.py", pats)
    assert excluded_by_dockerignore("keep/a/y.txt", pats) and not excluded_by_dockerignore("keep/a/b/x.txt", pats)


def _own_top_level_imports() -> set[str]:
    """Own top-level modules/packages the running app imports (from app.py, the pages, and
    transitively from our own modules), lazy imports included."""
    own = {p.stem for p in ROOT.glob("*.py")} | {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    own -= {"tests", "bench", "deploy", "tools"}
    found: set[str] = set()
    todo = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py"))]
    seen: set[Path] = set()
    while todo:
        f = todo.pop()
        if f in seen:
            continue
        seen.add(f)
        for node in ast.walk(ast.parse(f.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else \
                [node.module] if isinstance(node, ast.ImportFrom) and node.module and not node.level else []
            for n in names:
                top = n.split(".")[0]
                if top in own and top not in found:
                    found.add(top)
                    todo += [ROOT / f"{top}.py"] if (ROOT / f"{top}.py").is_file() else sorted((ROOT / top).rglob("*.py"))
    return found


def test_every_copied_source_exists_and_survives_dockerignore(instrs):
    pats = dockerignore_patterns()
    for src in copy_sources(instrs):
        path = ROOT / src
        assert path.exists(), f"COPY {src}: not in the repository"
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
        assert files, f"COPY {src}: empty"
        dropped = [p.relative_to(ROOT).as_posix() for p in files if excluded_by_dockerignore(p.relative_to(ROOT).as_posix(), pats)]
        assert not dropped, f".dockerignore removes files that COPY {src} needs: {dropped[:5]}"


def test_the_image_gets_everything_the_app_imports_and_reads_and_nothing_else(instrs):
    srcs = set(copy_sources(instrs))
    modules = _own_top_level_imports()
    assert {"ui", "explorer"} <= modules, modules  # guard: the scan sees the obvious ones
    for mod in modules:
        options = {f"{mod}.py", mod}
        assert srcs & options, (f"the app imports `{mod}` but the Dockerfile copies neither {mod}.py nor {mod}/ "
                                f"(COPY sources: {sorted(srcs)})")
    # data the app reads at run time: content, figures, the favicon, the Streamlit config
    assert {"app.py", "pages", "content", "figures", "assets", ".streamlit", "requirements.txt"} <= srcs, srcs
    if (ROOT / "static").is_dir():
        assert "static" in srcs, "static/ is served by Streamlit: copy it"
    assert not srcs & {"tests", "bench", "docs", "tools", "deploy", "requirements-dev.txt", "."}, srcs
    pats = dockerignore_patterns()
    for rel in ("tests/test_container.py", "bench/lb.py", "docs", ".git", "bench/out/x.log"):
        assert excluded_by_dockerignore(rel, pats), f"{rel} would be sent to the Docker build context"


def test_the_container_is_served_behind_haproxy_with_the_security_headers(instrs, capsys):
    """Streamlit sends no security headers and has no option to add them (issue 20): the Dockerfile says
    so, and its documented run puts the local cluster's HAProxy front end on the container's port."""
    from deploy.local_cluster import check_config, haproxy_binary, main
    from deploy.security_headers import HEADERS

    text = DOCKERFILE.read_text(encoding="utf-8")
    (port,) = [a.split("/")[0] for a in _only(instrs, "EXPOSE")]
    assert f"docker run --rm -p 127.0.0.1:{port}:{port} mlops-explorer" in text, "published on loopback only"
    assert f"python -m deploy.local_cluster --backend-port {port}" in text
    assert "no option to add response headers" in text
    assert main(["--print-config", "--backend-port", port, "--port", "8080"]) == 0
    config = capsys.readouterr().out
    assert re.search(rf"^\s*server app1 127\.0\.0\.1:{port} check .* cookie [0-9a-f]{{16}}$", config, re.M)
    assert all(f'http-response set-header {k} "{v}"' in config for k, v in HEADERS.items())
    assert "bind 127.0.0.1:8080" in config
    if haproxy_binary():
        ok, out = check_config(config)
        assert ok, out


# --------------------------------------------------------------------------- Kubernetes manifests
def manifests() -> dict[str, dict]:
    """kind -> the one object of that kind under deploy/k8s/ (each file holds one document)."""
    out: dict[str, dict] = {}
    for f in sorted(K8S.glob("*.yaml")):
        docs = [d for d in yaml.safe_load_all(f.read_text(encoding="utf-8")) if d]
        assert len(docs) == 1, f"{f.name}: one object per file"
        kind = docs[0]["kind"]
        assert kind not in out, f"two {kind} manifests"
        out[kind] = docs[0]
    return out


def test_the_expected_manifests_exist():
    assert set(manifests()) == {"Deployment", "Service", "Ingress", "HorizontalPodAutoscaler", "PodDisruptionBudget",
                                "ConfigMap"}


@pytest.mark.parametrize("version", K8S_VERSIONS, ids=lambda v: v or "latest")
def test_manifests_validate_against_the_kubernetes_schema_offline(version, monkeypatch):
    import kubernetes_validate
    from kubernetes_validate.utils import latest_version

    def no_network(*args, **kwargs):
        raise AssertionError("kubernetes-validate tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    v = version or latest_version()
    for kind, obj in manifests().items():
        assert kubernetes_validate.validate(obj, v, strict=True), kind


def test_schema_validation_catches_a_broken_manifest():
    import kubernetes_validate
    from kubernetes_validate.utils import latest_version

    bad = json.loads(json.dumps(manifests()["Deployment"]))
    bad["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "8501"  # a string
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, latest_version(), strict=True)
    typo = json.loads(json.dumps(manifests()["Service"]))
    typo["spec"]["selectr"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, latest_version(), strict=True)


def _lint(text: str, name: str = "x.yaml") -> list[str]:
    from yamllint import linter
    from yamllint.config import YamlLintConfig

    conf = YamlLintConfig(file=str(ROOT / ".yamllint.yaml"))
    return [f"{name}:{p.line}:{p.column} {p.level} {p.message} ({p.rule})" for p in linter.run(text, conf)]


def test_manifests_and_lint_config_pass_yamllint():
    files = sorted(K8S.glob("*.yaml")) + [ROOT / ".yamllint.yaml"]
    problems = [p for f in files for p in _lint(f.read_text(encoding="utf-8"), f.name)]
    assert not problems, "\n".join(problems)


def test_yamllint_config_catches_problems():
    assert _lint("---\nkey: value\n") == []
    found = " ".join(_lint("key: value   \nother:  [a,b]\n" + "x: " + "y" * 130 + "\n"))
    for rule in ("trailing-spaces", "document-start", "line-length", "commas"):
        assert rule in found, (rule, found)


def test_deployment_selector_labels_ports_and_probes_fit_together(instrs):
    m = manifests()
    dep, svc = m["Deployment"], m["Service"]
    tmpl = dep["spec"]["template"]
    labels = tmpl["metadata"]["labels"]
    sel = dep["spec"]["selector"]["matchLabels"]
    assert sel and sel.items() <= labels.items(), (sel, labels)
    assert svc["spec"]["selector"].items() <= labels.items()
    assert m["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == sel

    (container,) = tmpl["spec"]["containers"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    exposed = int(_only(instrs, "EXPOSE")[0].split("/")[0])
    assert ports == {"http": exposed}, (ports, exposed)
    (svc_port,) = svc["spec"]["ports"]
    assert svc_port["targetPort"] in ports, "the Service targets the container port by name"
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = container[probe]["httpGet"]
        assert get["path"] == HEALTH and get["port"] in ports, (probe, get)
    # the user the image declares is the one the pod must run as
    uid = _uid(_only(instrs, "USER")[-1], instrs)
    sc = tmpl["spec"]["securityContext"]
    assert sc["runAsNonRoot"] is True and sc["runAsUser"] == uid
    csc = container["securityContext"]
    assert csc["readOnlyRootFilesystem"] is True and csc["allowPrivilegeEscalation"] is False
    assert any(v["mountPath"] == "/tmp" for v in container["volumeMounts"]), "uploads may spool to /tmp"


def _cpu(q: str) -> float:
    return float(q[:-1]) / 1000 if q.endswith("m") else float(q)


def _mem(q: str) -> int:
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 10**3, "M": 10**6, "G": 10**9}
    m = re.fullmatch(r"(\d+)([KMG]i?)?", q)
    assert m, q
    return int(m.group(1)) * units.get(m.group(2) or "", 1)


def test_resources_requests_within_limits_and_sized_from_the_bench():
    assert _cpu("1500m") == 1.5 and _cpu("1") == 1.0 and _mem("256Mi") == 268435456 and _mem("1G") == 10**9
    (container,) = manifests()["Deployment"]["spec"]["template"]["spec"]["containers"]
    req, lim = container["resources"]["requests"], container["resources"]["limits"]
    assert _cpu(req["cpu"]) <= _cpu(lim["cpu"]) and _mem(req["memory"]) <= _mem(lim["memory"])
    # bench lb: one process is GIL-bound to about one core; 215 MB RSS peak with 50 busy sessions
    assert _cpu(req["cpu"]) == 1.0
    assert _mem(req["memory"]) >= 215 * 2**20
    readme = (ROOT / "deploy" / "README.md").read_text(encoding="utf-8")
    for q in (req["cpu"], req["memory"], lim["cpu"], lim["memory"]):
        assert f"`{q}`" in readme, f"deploy/README.md does not explain {q}"


def test_ingress_routes_to_the_service_with_cookie_affinity_and_websocket_timeouts():
    m = manifests()
    ing, svc = m["Ingress"], m["Service"]
    a = ing["metadata"]["annotations"]
    p = "nginx.ingress.kubernetes.io/"
    assert a[p + "affinity"] == "cookie"
    assert a[p + "affinity-mode"] == "persistent", "balanced mode moves existing browsers when pods are added"
    assert a[p + "session-cookie-name"]
    assert int(a[p + "proxy-read-timeout"]) >= 3600 and int(a[p + "proxy-send-timeout"]) >= 3600
    body = a[p + "proxy-body-size"]
    cfg = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert int(body.rstrip("m")) >= cfg["server"]["maxUploadSize"], "nginx would refuse uploads Streamlit accepts"
    assert all(isinstance(v, str) for v in a.values()), "annotation values must be strings"
    backends = [path["backend"]["service"] for rule in ing["spec"]["rules"] for path in rule["http"]["paths"]]
    assert backends and all(b["name"] == svc["metadata"]["name"] for b in backends)
    svc_ports = {p["name"] for p in svc["spec"]["ports"]}
    assert all(b["port"]["name"] in svc_ports for b in backends)


def test_hpa_scales_the_deployment_on_cpu():
    m = manifests()
    hpa, dep = m["HorizontalPodAutoscaler"], m["Deployment"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    ref = hpa["spec"]["scaleTargetRef"]
    assert (ref["apiVersion"], ref["kind"], ref["name"]) == (dep["apiVersion"], dep["kind"], dep["metadata"]["name"])
    assert 2 <= hpa["spec"]["minReplicas"] <= dep["spec"]["replicas"] <= hpa["spec"]["maxReplicas"]
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu" and 0 < metric["resource"]["target"]["averageUtilization"] < 100
    # Utilization is relative to the request: without a CPU request the HPA cannot compute it
    (container,) = dep["spec"]["template"]["spec"]["containers"]
    assert "cpu" in container["resources"]["requests"]


def test_every_object_carries_the_app_label_and_one_name():
    names = {(k, o["metadata"]["name"]) for k, o in manifests().items()}
    assert {n for _, n in names} == {"mlops-explorer"}
    for kind, obj in manifests().items():
        assert obj["metadata"]["labels"]["app.kubernetes.io/name"] == "mlops-explorer", kind
