"""Several app processes behind a real load balancer (Debian's HAProxy), on this machine.

One cluster for the module (``deploy/local_cluster.py``, the same code as
``python -m deploy.local_cluster``): two ``streamlit run app.py`` processes behind haproxy, with a
sticky front end (cookie ``SERVERID``) and, for comparison, a plain round-robin one over the same
processes.  What is shown here:

- the cookie pins a browser to one process (its value is opaque: no response names a process, as
  haproxy's own request log shows which one answered); websocket sessions spread over both processes;
- every response carries the security headers (``deploy/security_headers.py``);
- downloads (``/media/...``) and uploads (``/_stcore/upload_file/<session>/...``) work with the
  cookie and fail without it, deterministically (two requests in strict round robin reach both
  processes, and only the one holding the session has the file or knows the session);
- a process killed in the middle of a load: its sessions reconnect to the survivor, the error count
  is reported; in Chromium, a deep link and a share link reload on the survivor with the same view;
- uploading a note and downloading the study pack in Chromium through the balancer.

Timings decide nothing here (they are in ``python -m bench --only lb``).  Without haproxy the
module is skipped locally and fails with ``CI=true`` (``.ci/run`` installs it).
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest

from bench.lb import BalancedSession, Entry, cookie_header, parse_set_cookies, run_phase
from bench.load import Session, Visit
from deploy.local_cluster import (
    COOKIE,
    ROUNDROBIN_BACKEND,
    STICKY_BACKEND,
    check_config,
    haproxy_binary,
    haproxy_config,
    local_cluster,
    parse_show_stat,
)
from deploy.security_headers import HEADERS, REMOVED
from tests.e2e_util import click_download, new_context, on_ci, run_coroutine, wait_for_app

ROOT = Path(__file__).resolve().parent.parent
browser_test = pytest.mark.browser
XSRF = "_streamlit_xsrf"


def require_haproxy() -> None:
    if haproxy_binary() is not None:
        return
    reason = "haproxy is not installed (apt-get install -y haproxy; .ci/run does it)"
    if on_ci():
        pytest.fail(f"CI=true but {reason}", pytrace=False)
    pytest.skip(reason)


# --------------------------------------------------------------------------- configuration (no processes)
def test_haproxy_config_is_sticky_with_redispatch_and_websocket_timeouts():
    cfg = haproxy_config([("app1", 8001), ("app2", 8002)], port=9000, stats_socket="/tmp/x.sock", roundrobin_port=9001)
    sticky = cfg.split(f"backend {STICKY_BACKEND}\n", 1)[1].split("\n\n", 1)[0]
    plain = cfg.split(f"backend {ROUNDROBIN_BACKEND}\n", 1)[1]
    assert f"cookie {COOKIE} insert indirect nocache" in sticky
    values = [re.search(rf"^\s*server {n} 127\.0\.0\.1:800{i} check .* cookie ([0-9a-f]{{16}})$", sticky, re.M)
              for i, n in ((1, "app1"), (2, "app2"))]
    assert all(values) and values[0][1] != values[1][1], "each process gets its own opaque cookie value"
    assert "cookie" not in plain, "the round-robin back end must not be sticky"
    for section in (sticky, plain):
        assert "http-check send meth GET uri /_stcore/health" in section and "http-check expect string ok" in section
    assert re.search(r"^\s*option redispatch\b", cfg, re.M) and "retry-on all-retryable-errors" in cfg
    assert re.search(r"^\s*timeout tunnel 1h$", cfg, re.M), "websockets need a long tunnel timeout"
    assert "bind 127.0.0.1:9000" in cfg and "bind 127.0.0.1:9001" in cfg
    assert ROUNDROBIN_BACKEND not in haproxy_config([("a", 1)], port=2, stats_socket="s"), "no second front end unless asked"


def test_haproxy_config_sets_the_security_headers_on_every_front_end_and_names_no_process():
    cfg = haproxy_config([("app1", 8001), ("app2", 8002)], port=9000, stats_socket="/tmp/x.sock", roundrobin_port=9001)
    fronts = [cfg.split(f"frontend {f}\n", 1)[1].split("\n\n", 1)[0] for f in ("fe_sticky", "fe_roundrobin")]
    for front in fronts:
        for name, value in HEADERS.items():
            assert f'    http-response set-header {name} "{value}"' in front.splitlines()
        for name in REMOVED:
            assert f"    http-response del-header {name}" in front.splitlines()
    assert "srv_name" not in cfg and "X-Served-By %" not in cfg and not re.search(r"cookie app\d", cfg)
    a, b = (haproxy_config([("app1", 8001)], port=9000, stats_socket="s") for _ in range(2))
    assert a != b, "cookie values are random per configuration"


def test_haproxy_config_rejects_bad_backends():
    with pytest.raises(ValueError, match="opaque"):
        haproxy_config([("app1", 1)], port=3, stats_socket="s", cookies={"app1": "app1"})
    with pytest.raises(ValueError, match="opaque"):
        haproxy_config([("app1", 1), ("app2", 2)], port=3, stats_socket="s", cookies={"app1": "x1", "app2": "x1"})
    with pytest.raises(ValueError):
        haproxy_config([], port=1, stats_socket="s")
    with pytest.raises(ValueError):
        haproxy_config([("app1", 1), ("app1", 2)], port=3, stats_socket="s")
    with pytest.raises(ValueError):
        haproxy_config([("app 1", 1)], port=3, stats_socket="s")


def test_haproxy_accepts_the_generated_config_and_rejects_a_broken_one():
    require_haproxy()
    ok, out = check_config(haproxy_config([("app1", 8001), ("app2", 8002), ("app3", 8003)], port=9000,
                                          roundrobin_port=9001, stats_socket="/tmp/never-opened.sock"))
    assert ok, out
    ok, out = check_config("defaults\n    mode http\nbackend b\n    cookie SERVERID insert\n    server s 127.0.0.1:1 cookie\n")
    assert not ok, "haproxy -c must reject a server line with a missing cookie value"


def test_parse_show_stat_and_cookies():
    text = ("# pxname,svname,scur,stot,status,hrsp_1xx\n"
            "be_sticky,app1,3,10,UP,4\nbe_sticky,app2,0,7,DOWN,2\nbe_sticky,BACKEND,3,17,UP,6\n\n")
    rows = parse_show_stat(text)
    assert [(r["svname"], r["status"], r["hrsp_1xx"]) for r in rows] == [("app1", "UP", "4"), ("app2", "DOWN", "2"), ("BACKEND", "UP", "6")]
    assert parse_set_cookies(["SERVERID=app2; path=/; HttpOnly", "_streamlit_xsrf=2|ab|cd|17; Path=/; SameSite=Lax"]) == {
        "SERVERID": "app2", "_streamlit_xsrf": "2|ab|cd|17"}
    assert cookie_header({"a": "1", "b": "2"}) == "a=1; b=2"
    assert Entry("http://127.0.0.1:9").ws_url == "ws://127.0.0.1:9/_stcore/stream"


# --------------------------------------------------------------------------- the cluster
@pytest.fixture(scope="module")
def cluster():
    require_haproxy()
    with local_cluster(2, roundrobin=True, log_requests=True) as c:
        yield c


@pytest.fixture
def healthy(cluster):
    """Every test starts (and leaves) with both processes running and in rotation."""
    for n in cluster.names:
        cluster.revive(n)
    yield cluster
    for n in cluster.names:
        cluster.revive(n)


def _get(url: str, cookies: dict[str, str] | None = None, method: str = "GET", data: bytes | None = None,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """(status, headers with lower-case names plus "_set": the Set-Cookie values, body)."""
    h = dict(headers or {})
    if cookies:
        h["Cookie"] = cookie_header(cookies)
    req = urllib.request.Request(url, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, msg, body = r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        status, msg, body = e.code, e.headers, e.read()
    return status, {k.lower(): v for k, v in msg.items()} | {"_set": msg.get_all("Set-Cookie") or []}, body


def served(cluster, marker: str, n: int, timeout: float = 10.0, since: int = 0) -> list[tuple[str, str, int]]:
    """(front end, process, status) of the requests whose path contains ``marker``, from haproxy's own
    request log (the responses name no process) after its first ``since`` characters; waits until ``n``
    of them are logged."""
    pattern = re.compile(r" (fe_\w+) be_\w+/(\w+) \S+ (\d{3}) .*\"\w+ (\S+) HTTP")
    deadline = time.monotonic() + timeout
    while True:
        rows = [(m[1], m[2], int(m[3])) for m in pattern.finditer(cluster.haproxy_log()[since:]) if marker in m[4]]
        if len(rows) >= n or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


def test_cookie_pins_a_browser_to_one_process(healthy):
    c = healthy
    tag = uuid.uuid4().hex[:8]
    first = [_get(c.url + f"/?visit={tag}-{i}") for i in range(4)]
    given = [parse_set_cookies(h["_set"])[COOKIE] for _, h, _ in first]
    assert sorted(c.backend_of(v) for v in given) == ["app1", "app1", "app2", "app2"], given  # new visitors are spread
    assert [p for _, p, _ in served(c, f"visit={tag}", 4)] == [c.backend_of(v) for v in given], "the cookie says which process"
    for name in c.names:
        for i in range(4):
            _get(c.url + f"/Notes?pin={tag}-{name}-{i}", {COOKIE: c.cookie(name)})
        assert [p for _, p, _ in served(c, f"pin={tag}-{name}", 4)] == [name] * 4
    plain = [_get(c.roundrobin_url + f"/?plain={tag}-{i}") for i in range(4)]
    assert [p for _, p, _ in served(c, f"plain={tag}", 4)] in (["app1", "app2"] * 2, ["app2", "app1"] * 2)
    assert not any(COOKIE in parse_set_cookies(h["_set"]) for _, h, _ in plain)


def test_every_response_carries_the_security_headers_and_names_no_process(healthy):
    c = healthy
    paths = ["/", "/Notes?note=kaizen", "/_stcore/health", "/_stcore/host-config", "/favicon.png", "/nothing-here"]
    for base in (c.url, c.roundrobin_url):
        for path in paths:
            status, h, _ = _get(base + path)
            assert status == 200, (base, path, status)
            assert {k: h.get(k.lower()) for k in HEADERS} == HEADERS, (base, path)
            assert not any(k.lower() in h for k in REMOVED), (base, path, sorted(h))
            values = " ".join(h["_set"]) + " " + " ".join(v for k, v in h.items() if k != "_set")
            assert not re.search(r"\bapp\d\b", values), (base, path, values)  # nothing names a process
    direct = _get(c.backends["app1"].url + "/")[1]
    assert "content-security-policy" not in direct and direct.get("server"), "Streamlit alone sends neither"

    async def upgrade():
        s = BalancedSession(c.url, names=c.by_cookie)
        await s.connect()
        headers = {k.lower(): v for k, v in s.ws.response.headers.raw_items()}
        await s.close()
        return headers

    ws = run_coroutine(upgrade())
    assert ws.get("content-security-policy") == HEADERS["Content-Security-Policy"] and "server" not in ws


def test_the_same_front_end_serves_a_process_started_elsewhere_with_the_headers(healthy):
    """The container's documented run (Dockerfile): ``--backend-port`` fronts a process already running."""
    app1 = healthy.backends["app1"]
    with local_cluster(1, backend_ports=[app1.port]) as front:
        status, h, body = _get(front.url + "/Notes")
        assert status == 200 and b"<html" in body.lower()
        assert {k: h.get(k.lower()) for k in HEADERS} == HEADERS and "server" not in h
        assert front.backend_of(parse_set_cookies(h["_set"])[COOKIE]) == "app1"
    assert app1.alive(), "a process this module did not start is never stopped by it"


def test_dockerfile_healthcheck_command_reports_a_live_and_a_dead_server(healthy):
    """The HEALTHCHECK's own command (port 8501 swapped for a running process's port) exits 0 on a
    healthy server and non-zero when nothing answers."""
    from tests.test_container import dockerfile_instructions, exec_form

    hc = next(args for ins, args in dockerfile_instructions() if ins == "HEALTHCHECK")
    argv = exec_form(hc.split(" CMD ", 1)[1])
    live = [a.replace(":8501/", f":{healthy.backends['app1'].port}/") for a in argv]
    assert live != argv
    assert subprocess.run([sys.executable if a == "python" else a for a in live], timeout=30).returncode == 0
    from tests.e2e_util import free_port

    dead = [a.replace(":8501/", f":{free_port()}/") for a in argv]
    assert subprocess.run([sys.executable if a == "python" else a for a in dead], timeout=30,
                          capture_output=True).returncode != 0


VISITS = [Visit("Notes", {"note": "kaizen"}), Visit("Maturity_Ladders", {"rung": "azure-2"}), Visit("Study"), Visit("Glossary")]


def test_websocket_sessions_spread_over_the_processes(healthy):
    c = healthy

    async def go():
        before = {n: int(r["hrsp_1xx"]) for n, r in c.server_stats().items()}
        sessions = [BalancedSession(c.url, names=c.by_cookie) for _ in range(6)]
        for s in sessions:  # one after the other: strict round robin gives 3 + 3
            await s.connect()

        async def visit_all(s):
            return [await s.run(v) for v in VISITS[:2]]

        results = [r for rs in await asyncio.gather(*(visit_all(s) for s in sessions)) for r in rs]
        after = {n: int(r["hrsp_1xx"]) for n, r in c.server_stats().items()}
        for s in sessions:
            await s.close()
        return sessions, results, {n: after[n] - before[n] for n in after}

    sessions, results, upgrades = run_coroutine(go())
    assert [r.error for r in results if r.error] == []
    assert all(r.messages > 3 for r in results)
    where = [s.backend for s in sessions]
    assert sorted(where) == ["app1"] * 3 + ["app2"] * 3, where  # strict round robin over fresh visitors
    assert all(c.backend_of(s.cookies[COOKIE]) == s.backend for s in sessions)
    assert upgrades == {"app1": 3, "app2": 3}, "haproxy counted the websocket upgrades per process"


async def _study_session(base_url: str, sticky: bool, names: dict[str, str]) -> Session:
    s: Session = BalancedSession(base_url, names=names) if sticky else Session(Entry(base_url))
    await s.connect()
    r = await s.run(Visit("Study", {"tab": "progress"}))
    assert not r.error, r.error
    assert s.session_id and s.download_urls, "the Study page has download buttons"
    return s


def test_downloads_and_uploads_work_with_stickiness_and_fail_without(healthy):
    """Two requests in a row: with the cookie both reach the session's process; in strict round robin
    (no cookie) one of them reaches the other process, which has neither the file nor the session."""
    c = healthy
    since = len(c.haproxy_log())
    _, h, _ = _get(c.url + "/_stcore/health")  # Streamlit sets its XSRF cookie here (double submit)
    xsrf = parse_set_cookies(h["_set"])[XSRF]

    def put(base: str, url: str, cookies: dict[str, str]) -> tuple[int, bytes]:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"n.md\"\r\n"
                f"Content-Type: text/markdown\r\n\r\n# A note\r\n--{boundary}--\r\n").encode()
        status, _, text = _get(base + url, {**cookies, XSRF: xsrf}, "PUT", body,
                               {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf})
        return status, text

    async def go(base: str, sticky: bool):
        s = await _study_session(base, sticky, c.by_cookie)
        cookies = dict(getattr(s, "cookies", {}))
        pack = next(u for u in s.download_urls if u.endswith(".json"))  # the progress file (the pack is built on click)
        downloads = [_get(base + pack, cookies) for _ in range(2)]
        (_, up1), = await s.upload_urls(["n.md"])
        (_, up2), = await s.upload_urls(["n.md"])
        uploads = [put(base, up1, cookies), put(base, up2, cookies)]
        await s.close()
        return downloads, uploads

    # Round robin first: the progress file's media id is a hash of its content, the same in every
    # session, so once the sticky half has made it on one process, that process would serve it too.
    downloads, uploads = run_coroutine(go(c.roundrobin_url, sticky=False))
    assert sorted(d[0] for d in downloads) == [200, 404], [d[0] for d in downloads]
    spread = [(p, status) for f, p, status in served(c, "/media/", 2, since=since) if f == "fe_roundrobin"]
    assert sorted(status for _, status in spread) == [200, 404] and len({p for p, _ in spread}) == 2, spread
    assert sorted(u[0] for u in uploads) == [204, 400], [u[0] for u in uploads]
    refused = next(text for status, text in uploads if status == 400)
    assert b"sticky sessions" in refused, refused[:300]

    downloads, uploads = run_coroutine(go(c.url, sticky=True))
    assert [d[0] for d in downloads] == [200, 200]
    assert all(d[2].lstrip().startswith(b"{") for d in downloads)
    assert [u[0] for u in uploads] == [204, 204]
    pinned = [p for f, p, _ in served(c, "/media/", 4, since=since) if f == "fe_sticky"]
    assert len(pinned) == 2 and len(set(pinned)) == 1, pinned  # both downloads reached the session's process


def test_a_process_killed_mid_load_its_sessions_reconnect_to_the_survivor(healthy):
    c = healthy
    ph = run_coroutine(run_phase(c, VISITS, "kill", sessions=6, seconds=4.0, kill="app2", kill_at=0.4, idle_wait=0.1))
    assert ph.sessions_per_backend == {"app1": 3, "app2": 3}
    c.wait_status({"app2": "DOWN"})
    moved = [(a, b) for _, _, a, b in ph.reconnects]
    assert moved == [("app2", "app1")] * 3, moved  # each session of the killed process, once, to the survivor
    failed = ph.failed
    # reported, not hidden: at most the runs in flight on app2 failed, and only there
    assert 1 <= len(failed) <= 3, [r.error for r in failed]
    assert all(b == "app2" for r, b in ph.runs if r.error)
    after = [r for r, b in ph.runs if r.started - ph.t_start > (ph.reconnects[-1][1])]
    assert after and all(not r.error for r in after), "runs after the reconnections all succeed"
    assert ph.connect_errors == [] and ph.reconnect_errors == [], c.haproxy_log()[-5000:]


# --------------------------------------------------------------------------- in Chromium
def _expect():
    from playwright.sync_api import expect

    return expect


def _content():
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content

    return load_content(CONTENT_DIR)


class Tab:
    """A browser context pinned to one process by setting haproxy's cookie before the first visit."""

    def __init__(self, browser, cluster, backend: str):
        self.cluster = cluster
        self.context = new_context(browser)
        self.context.set_default_timeout(30_000)
        self.context.add_cookies([{"name": COOKIE, "value": cluster.cookie(backend), "url": cluster.url}])
        self.page = self.context.new_page()
        self.websockets = []
        self.page.on("websocket", self._on_ws)  # the websockets the page opened
        self.errors: list[str] = []
        self.page.on("pageerror", lambda exc: self.errors.append(str(exc)))
        self.served: list[tuple[str, int]] = []  # (path, status) of media and upload requests
        self.page.on("response", self._on_response)

    def _on_ws(self, ws):
        self.websockets.append(ws)

    def _on_response(self, r):
        path = urllib.parse.urlsplit(r.url).path
        if path.startswith(("/media/", "/_stcore/upload_file/")):
            self.served.append((path, r.status))

    def cookie(self) -> str:
        """The process this tab's stickiness cookie stands for."""
        return self.cluster.backend_of(next((c["value"] for c in self.context.cookies() if c["name"] == COOKIE), ""))

    def close(self):
        self.context.close()


def _rung_heading() -> str:
    v = next(v for v in _content().vendors if v.id == "azure")
    lv = next(lv for lv in v.levels if lv.id == "azure-2")
    return f"{v.name} · {v.level_word} {lv.rank}: {lv.name}"


def _share_link_and_expected() -> tuple[str, list[str]]:
    from explorer.assess import sharecode
    from explorer.assess.scoring import evaluate

    c = _content()
    answers = {"code-ci": 3, "environments": 1, "training-pipeline": 2, "model-registry": 2}
    code = sharecode.encode(c.assessment, answers)
    expected = [f"{p.level_word} {p.current.rank}" for p in evaluate(c.assessment, c.vendors, answers).placements]
    return f"/Self_Assessment?{sharecode.QUERY_PARAM}={code}", expected


def _stand_on(page) -> list[str]:
    metrics = page.get_by_test_id("stMetric").filter(has_text="You stand on")
    _expect()(metrics.first).to_be_visible()
    return [m.get_by_test_id("stMetricValue").inner_text().strip() for m in metrics.all()]


# counts, from now on, the script runs a tab sees and the times it loses its connection (Streamlit
# flips these attributes of stApp while a script runs and while it is disconnected)
_WATCH = """() => { window.__runs = 0; window.__drops = 0; const app = document.querySelector("[data-testid='stApp']");
  new MutationObserver((records) => { for (const r of records) {
      const v = app.getAttribute(r.attributeName);
      if (r.attributeName === 'data-test-script-state' && v === 'running') window.__runs++;
      if (r.attributeName === 'data-test-connection-state' && v !== 'CONNECTED') window.__drops++; } })
    .observe(app, {attributes: true, attributeFilter: ['data-test-script-state', 'data-test-connection-state']}); }"""


@browser_test
def test_browser_reconnects_to_the_survivor_with_the_same_view(healthy, browser):
    """A deep link and a share link open in two tabs on app2; app2 is killed.  Both tabs reconnect to
    app1 by themselves (haproxy redispatches and sets a new cookie) and keep showing the view, with the
    URL and the browser's storage unchanged; the next script run (Streamlit's rerun key, as any
    interaction would) happens on app1, in a new session built from the URL, and draws the same view.

    Streamlit's frontend does not rerun by itself after a reconnect when its last run had finished:
    it expects the same server to still hold the session (``server.disconnectedSessionTTL``).  On
    another process the page stays as drawn until the next interaction, which reruns it there."""
    c = healthy
    share, expected = _share_link_and_expected()
    links = ["/Maturity_Ladders?rung=azure-2", share]
    tabs = [Tab(browser, c, "app2") for _ in links]

    def same_view(t: Tab, link: str) -> None:
        if link.startswith("/Maturity_Ladders"):
            _expect()(t.page.get_by_role("heading", name=_rung_heading())).to_be_visible()
            _expect()(t.page.get_by_role("combobox", name="Rung", exact=True)).to_have_value(_rung_heading())
        else:
            assert _stand_on(t.page) == expected
        assert t.page.url == c.url + link, "the address bar keeps the link"
        assert t.page.get_by_test_id("stException").count() == 0
        assert t.errors == []

    try:
        for t, link in zip(tabs, links):
            t.page.goto(c.url + link, wait_until="domcontentloaded")
        for t, link in zip(tabs, links):
            wait_for_app(t.page)
            same_view(t, link)
            t.page.evaluate("localStorage.setItem('kept', 'yes'); sessionStorage.setItem('kept', 'yes')")
            t.page.evaluate(_WATCH)
        assert [t.cookie() for t in tabs] == ["app2", "app2"] and all(len(t.websockets) == 1 for t in tabs)

        c.kill("app2")
        for t, link in zip(tabs, links):
            t.page.wait_for_function("() => window.__drops > 0", timeout=15_000, polling=50)  # it noticed
            wait_for_app(t.page)  # connected again
            assert t.cookie() == "app1", "haproxy moved the browser to the survivor"
            assert len(t.websockets) == 2, "the frontend opened a new websocket"
            assert t.page.evaluate("[localStorage.getItem('kept'), sessionStorage.getItem('kept')]") == ["yes", "yes"]
            same_view(t, link)  # still drawn
        assert int(c.server_stats()["app1"]["scur"]) >= 2, "both tabs' websockets are on app1 now"

        for t, link in zip(tabs, links):
            t.page.locator("[data-testid='stMain'] h1").first.click()  # focus the app, not an input
            t.page.keyboard.press("r")  # Streamlit's "Rerun" shortcut
            # the page ran again, on app1 (waited for: the run can start after wait_for_app's short sleep)
            t.page.wait_for_function("() => window.__runs >= 1", timeout=15_000, polling=50)
            wait_for_app(t.page)
            same_view(t, link)
            assert t.cookie() == "app1"
    finally:
        for t in tabs:
            t.close()


NOTE = b"""---
title: Balancer test note
---
## Through haproxy

Uploaded through the load balancer.
"""


@browser_test
def test_upload_and_download_in_the_browser_through_the_balancer(healthy, browser):
    c = healthy
    since = len(c.haproxy_log())
    t = Tab(browser, c, "app1")
    try:
        page = t.page
        page.goto(c.url + "/Notes", wait_until="domcontentloaded")
        wait_for_app(page)
        expander = page.get_by_test_id("stExpander").filter(has_text="Add your own notes")
        expander.locator("summary").click()
        expander.get_by_test_id("stFileUploaderDropzoneInput").first.set_input_files(
            files=[{"name": "balancer.md", "mimeType": "text/markdown", "buffer": NOTE}])
        wait_for_app(page)
        # the uploaded note is listed (the process that got the file ran the page with it)
        _expect()(page.locator("[data-testid='stMain'] a[href*='note=upload-']").filter(has_text="Balancer test note").first).to_be_visible()
        assert page.get_by_text("Added “Balancer test note”").count() >= 1  # the success notice (in the expander)

        page.goto(c.url + "/Study?tab=progress", wait_until="domcontentloaded")
        wait_for_app(page)
        download = click_download(page, page.get_by_role("button", name="Download study pack (HTML)"))
        assert download.failure() is None
        html = Path(download.path()).read_text(encoding="utf-8")
        assert download.suggested_filename == "mlops-study-pack.html" and "<html" in html.lower()
        assert _content().notes[0].title in html

        uploads = [s for s in t.served if s[0].startswith("/_stcore/upload_file/")]
        media = [s for s in t.served if s[0].startswith("/media/")]
        assert uploads and media, t.served
        assert all(200 <= status < 300 for _, status in uploads + media), t.served
        logged = [row for path in {path for path, _ in uploads + media} for row in served(c, path, 1, since=since)]
        assert logged and {p for f, p, _ in logged} == {"app1"}, logged  # haproxy's own log: all on app1
        assert t.cookie() == "app1" and t.errors == []
    finally:
        t.close()
