"""``python -m explorer check-sources`` against a local HTTP server that serves every case (no internet).

The server on 127.0.0.1 answers: 200, a 301 with a relative Location, 404, 500, a HEAD that is
refused (405) while the GET works, a HEAD that fails (404) while the GET works, and a path that
never answers (the timeout case).
"""

from __future__ import annotations

import datetime as dt
import http.server
import json
import shutil
import threading
import time
from pathlib import Path

import pytest
import yaml

from explorer import CONTENT_DIR
from explorer.cli import main
from explorer.content import check_sources as cs
from explorer.content.loader import load_content

HANG_SECONDS = 5.0
TIMEOUT = 0.4


class _Handler(http.server.BaseHTTPRequestHandler):
    seen: list[tuple[str, str, str]] = []  # (method, path, user agent) of every request, in order

    def log_message(self, *args):  # keep pytest's output clean
        pass

    def _answer(self, body: bool) -> None:
        type(self).seen.append((self.command, self.path, self.headers.get("User-Agent", "")))
        path = self.path
        if path == "/hang":
            time.sleep(HANG_SECONDS)
            return
        if path == "/head-refused" and self.command == "HEAD":
            code = 405
        elif path == "/head-broken" and self.command == "HEAD":
            code = 404
        else:
            code = {"/ok": 200, "/head-refused": 200, "/head-broken": 200, "/moved": 301, "/gone": 404,
                    "/broken": 500, "/also-ok": 200}.get(path, 404)
        self.send_response(code)
        if code == 301:
            self.send_header("Location", "/ok")
        payload = b"hello" if code == 200 else b"no"
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if body:
            self.wfile.write(payload)

    def do_HEAD(self):  # noqa: N802 - http.server's naming
        self._answer(body=False)

    def do_GET(self):  # noqa: N802
        self._answer(body=True)


@pytest.fixture(scope="module")
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    srv.daemon_threads = True
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.fixture(autouse=True)
def _fresh_log():
    _Handler.seen = []


# --------------------------------------------------------------------------- one URL at a time
def test_each_case_is_sorted(server):
    got = {p: cs.fetch(server + p, timeout=TIMEOUT) for p in ("/ok", "/moved", "/gone", "/broken", "/hang")}
    assert (got["/ok"].status, got["/ok"].code, got["/ok"].method) == ("ok", 200, "HEAD")
    assert (got["/moved"].status, got["/moved"].code, got["/moved"].location) == ("moved", 301, server + "/ok")
    assert (got["/gone"].status, got["/gone"].code, got["/gone"].method) == ("dead", 404, "GET")  # HEAD, then GET
    assert (got["/broken"].status, got["/broken"].code) == ("dead", 500)
    assert got["/hang"].status == "unreachable" and got["/hang"].detail == f"no answer within {TIMEOUT:g} s"


def test_a_redirect_is_reported_not_followed(server):
    cs.fetch(server + "/moved", timeout=TIMEOUT)
    assert [(m, p) for m, p, _ in _Handler.seen] == [("HEAD", "/moved")]  # /ok was never asked for


@pytest.mark.parametrize("path", ["/head-refused", "/head-broken"])
def test_a_refused_head_falls_back_to_get(server, path):
    c = cs.fetch(server + path, timeout=TIMEOUT)
    assert (c.status, c.code, c.method) == ("ok", 200, "GET")
    assert [(m, p) for m, p, _ in _Handler.seen] == [("HEAD", path), ("GET", path)]
    assert all(ua == cs.USER_AGENT for _, _, ua in _Handler.seen)


def test_nothing_listening_is_unreachable():
    import socket

    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    c = cs.fetch(f"http://127.0.0.1:{port}/x", timeout=TIMEOUT)
    assert c.status == "unreachable" and c.code is None and c.detail


# --------------------------------------------------------------------------- politeness
def test_one_host_is_asked_one_url_at_a_time_with_the_delay_between():
    waits: list[float] = []
    order: list[str] = []

    def fake(url):
        order.append(url)
        return cs.Check(url, "ok", 200)

    urls = ["https://a.example/1", "https://a.example/2", "https://a.example/1", "https://a.example/3"]
    out = cs.check_urls(urls, delay=0.7, workers=4, fetcher=fake, sleep=waits.append)
    assert [c.url for c in out] == ["https://a.example/1", "https://a.example/2", "https://a.example/3"]  # once each
    assert order == [c.url for c in out]
    assert waits == [0.7, 0.7]  # between requests, not before the first


def test_at_most_workers_hosts_at_once():
    active = 0
    peak = 0
    lock = threading.Lock()

    def fake(url):
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.05)
        with lock:
            active -= 1
        return cs.Check(url, "ok", 200)

    urls = [f"https://h{i}.example/p" for i in range(8)]
    cs.check_urls(urls, delay=0, workers=3, fetcher=fake)
    assert peak <= 3


# --------------------------------------------------------------------------- the command, on content that cites the server
@pytest.fixture()
def cited(tmp_path: Path, server) -> Path:
    """A content folder whose certifications cite the server's cases (other parts left out) and one
    note that links to it; CKAD's check date is old."""
    root = tmp_path / "content"
    root.mkdir()
    data = yaml.safe_load((CONTENT_DIR / "certifications.yaml").read_text(encoding="utf-8"))
    paths = ["/ok", "/moved", "/gone", "/broken", "/hang", "/head-refused"]
    for i, cert in enumerate(data["certifications"]):
        cert["source_url"] = server + paths[i % len(paths)]
        if cert["id"] == "ckad":
            cert["last_verified"] = dt.date(2025, 1, 31)
    (root / "certifications.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    (root / "notes").mkdir()
    (root / "notes" / "links.md").write_text(
        f"# Links\n\nSee [a page]({server}/also-ok), <{server}/gone> and ![chart]({server}/ok).\n"
        "A local figure ![f](figures/x.png) is not fetched.\n", encoding="utf-8")
    return root


def test_the_command_reports_every_case_and_fails_on_dead(cited: Path, server, capsys):
    code = main(["check-sources", "--content", str(cited), "--timeout", str(TIMEOUT), "--delay", "0",
                 "--today", "2026-12-06"])
    out = capsys.readouterr().out
    assert code == 1
    assert "checked 6 URL(s): 2 ok, 1 moved, 2 dead, 1 unreachable" in out
    assert f"404 Not Found: {server}/gone" in out and f"500 Internal Server Error: {server}/broken" in out
    assert f"301: {server}/moved\n    -> {server}/ok" in out
    assert f"no answer within {TIMEOUT:g} s: {server}/hang" in out
    assert f"404 Not Found: {server}/gone\n    cited in certifications.yaml: aip-c01; certifications.yaml: databricks-spark-associate" in out
    assert "1 fact(s) checked more than a year before 2026-12-06:\n  2025-01-31  certifications.yaml: ckad" in out


def test_the_command_edits_nothing(cited: Path):
    before = {p: p.read_bytes() for p in cited.rglob("*") if p.is_file()}
    main(["check-sources", "--content", str(cited), "--timeout", str(TIMEOUT), "--delay", "0"])
    assert {p: p.read_bytes() for p in cited.rglob("*") if p.is_file()} == before


def test_notes_links_and_images_on_request(cited: Path, server, capsys):
    main(["check-sources", "--content", str(cited), "--notes", "--timeout", str(TIMEOUT), "--delay", "0", "--json"])
    report = json.loads(capsys.readouterr().out)
    by_url = {c["url"]: c for c in report["checks"]}
    assert by_url[server + "/also-ok"]["status"] == "ok" and by_url[server + "/also-ok"]["where"] == ["notes/links.md"]
    assert "notes/links.md" in by_url[server + "/gone"]["where"]
    assert "notes/links.md" in by_url[server + "/ok"]["where"]  # the image
    assert not any("figures/x.png" in u for u in by_url)


def test_no_dead_source_exits_0(cited: Path, server, capsys):
    data = yaml.safe_load((cited / "certifications.yaml").read_text(encoding="utf-8"))
    for cert in data["certifications"]:
        cert["source_url"] = server + ("/moved" if cert["id"] == "ckad" else "/ok")
    (cited / "certifications.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    assert main(["check-sources", "--content", str(cited), "--timeout", str(TIMEOUT), "--delay", "0"]) == 0
    assert "1 moved, 0 dead" in capsys.readouterr().out


def test_stale_only_fetches_nothing(cited: Path, capsys):
    assert main(["check-sources", "--content", str(cited), "--stale-only", "--today", "2026-12-06"]) == 0
    out = capsys.readouterr().out
    assert _Handler.seen == [] and "checked" in out and "ckad" in out and "URL(s)" not in out


def test_bad_options_are_refused(capsys):
    for argv in (["check-sources", "--today", "yesterday"], ["check-sources", "--timeout", "-1"]):
        with pytest.raises(SystemExit):
            main(argv)
    assert "not a date" in capsys.readouterr().err


# --------------------------------------------------------------------------- the shipped content
def test_every_shipped_source_is_collected_once_per_place():
    c = load_content(CONTENT_DIR)
    items = cs.content_sources(c)
    places = [s.where for s in items]
    assert len(places) == len(set(places))
    assert "certifications.yaml: mls-c01" in places and "maturity/google.yaml: google-1" in places
    assert "glossary.yaml: ci" in places and "hierarchy.yaml" in places and "ml_test_score.yaml" in places
    assert len(items) == 3 + 12 + len(c.certifications) + len(c.trends.trends) + 1 + 5 + len(c.glossary)
    links = cs.note_links(c.notes)
    assert any(s.url.startswith("https://docs.cloud.google.com/architecture/") for s in links)
    assert all(s.url.startswith(("http://", "https://")) for s in links)


def test_copy_of_content_is_untouched_by_a_stale_only_run(tmp_path: Path, capsys):
    root = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, root)
    assert main(["check-sources", "--content", str(root), "--stale-only", "--today", "2026-12-06"]) == 0
    assert "0 fact(s) checked more than a year before 2026-12-06" in capsys.readouterr().out
