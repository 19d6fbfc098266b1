"""A real load balancer in front of several app processes, on this machine.

    python -m deploy.local_cluster --replicas 2            # prints the URL; Ctrl-C stops everything
    python -m deploy.local_cluster --replicas 3 --port 8080 --roundrobin-port 8081

Debian's ``haproxy`` (``apt-get install -y haproxy``) listens on one port and spreads browsers over
N ``streamlit run app.py`` processes (each started by ``tests/e2e_util.start_server`` on a free
loopback port), or over processes already running (``--backend-port``, e.g. the container published
on 127.0.0.1:8501).  The first response sets a ``SERVERID`` cookie with an opaque value that stands
for the process (a random token per configuration, never its name); the browser sends it back on
every request, so its websocket, its uploads (``PUT /_stcore/upload_file/<session>/...``) and its
downloads (``GET /media/<id>``) all reach the process that holds its session.  When that process
dies, haproxy's health check marks it down and ``option redispatch`` sends the cookie's owner to a
survivor, which answers with a new cookie; the browser reconnects and reruns the page from its URL.

Every response carries the security headers of :mod:`deploy.security_headers` (Streamlit sends none),
and none says which process answered (no ``Server``, no ``X-Served-By``).

``--roundrobin-port`` adds a second front end over the same processes *without* the cookie (plain
round robin), to show what breaks without stickiness.  The test fixture (``tests/test_local_cluster.py``)
and the benchmark section ``python -m bench --only lb`` use :func:`local_cluster` from here.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import csv
import io
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from deploy.security_headers import HEADERS, REMOVED  # noqa: E402
from tests.e2e_util import Server, free_port, start_server, stop_process_group  # noqa: E402

COOKIE = "SERVERID"
STICKY_BACKEND = "be_sticky"
ROUNDROBIN_BACKEND = "be_roundrobin"
HEALTH_PATH = "/_stcore/health"

# Health checks every second (4 per second while a server changes state); 2 failures mark it down,
# 1 success marks it up again.  A refused connection from real traffic marks the server down at once
# (`observe layer4 error-limit 1 on-error mark-down`), and `option redispatch 1` retries the request on
# another server, so a browser pinned to a dead process is moved without waiting for the next check.
CHECK = "check inter 1s fastinter 250ms downinter 500ms fall 2 rise 1 observe layer4 error-limit 1 on-error mark-down"


def haproxy_binary() -> str | None:
    """Path of Debian's haproxy, or None (it lives in /usr/sbin, which a non-root PATH may lack)."""
    return shutil.which("haproxy") or next((p for p in ("/usr/sbin/haproxy", "/usr/local/sbin/haproxy") if os.access(p, os.X_OK)), None)


def cookie_values(names: list[str]) -> dict[str, str]:
    """An opaque stickiness cookie value per process (random, so it names nothing)."""
    return {n: secrets.token_hex(8) for n in names}


def _quoted(value: str) -> str:
    if '"' in value or "\\" in value or "\n" in value:
        raise ValueError(f"a header value haproxy cannot quote as is: {value[:60]!r}")
    return f'"{value}"'


def header_lines() -> list[str]:
    """haproxy ``http-response`` lines: the security headers set, the headers that name software or a process removed."""
    return ([f"    http-response set-header {k} {_quoted(v)}" for k, v in HEADERS.items()]
            + [f"    http-response del-header {k}" for k in REMOVED])


def haproxy_config(backends: list[tuple[str, int]], *, port: int, stats_socket: Path | str,
                   roundrobin_port: int | None = None, address: str = "127.0.0.1", log_requests: bool = False,
                   cookies: Mapping[str, str] | None = None) -> str:
    """The haproxy configuration: a sticky front end (cookie ``SERVERID``) over ``backends``
    ((name, port) pairs on ``address``), optionally a plain round-robin one, and an admin socket.
    ``cookies``: the stickiness cookie's value per process (default :func:`cookie_values`: opaque
    tokens).  ``log_requests`` writes one line per request to haproxy's standard output."""
    if not backends:
        raise ValueError("at least one backend is needed")
    names = [n for n, _ in backends]
    if len(set(names)) != len(names) or not all(n.isidentifier() for n in names):
        raise ValueError(f"backend names must be unique identifiers: {names}")
    cookies = dict(cookies) if cookies is not None else cookie_values(names)
    if set(cookies) != set(names) or len(set(cookies.values())) != len(names) or not all(
            v.isalnum() and v not in names for v in cookies.values()):
        raise ValueError("each process needs its own opaque cookie value (letters and digits, not its name)")

    def servers(cookie: bool) -> list[str]:
        return [f"    server {n} {address}:{p} {CHECK}" + (f" cookie {cookies[n]}" if cookie else "") for n, p in backends]

    health = [
        "    option httpchk",
        f"    http-check send meth GET uri {HEALTH_PATH}",
        "    http-check expect string ok",
    ]
    lines = [
        "# Generated by deploy/local_cluster.py: haproxy in front of several `streamlit run app.py` processes.",
        "global",
        f"    stats socket {stats_socket} mode 600 level admin",
        "    maxconn 4096",
        *(["    log stdout format raw local0"] if log_requests else []),
        "",
        "defaults",
        "    mode http",
        *(["    log global", "    option httplog"] if log_requests else []),
        "    option dontlognull",
        "    timeout connect 2s",
        "    timeout client 60s",
        "    timeout server 60s",
        "    timeout http-request 10s",
        "    timeout http-keep-alive 10s",
        "    timeout queue 30s",
        "    # Streamlit keeps one websocket per browser tab open for the whole visit: once upgraded,",
        "    # the connection is a tunnel and only this timeout applies (an idle reader is not cut off).",
        "    timeout tunnel 1h",
        "    timeout client-fin 10s",
        "    timeout server-fin 10s",
        "    # a refused connection (process gone), or one it accepted and dropped while dying, is",
        "    # retried on another server (only idempotent requests such as GET are retried after sending)",
        "    retries 3",
        "    retry-on all-retryable-errors",
        "    option redispatch 1",
        "",
        "frontend fe_sticky",
        f"    bind {address}:{port}",
        "    # Streamlit sends no security headers: they are set here (deploy/security_headers.py)",
        *header_lines(),
        f"    default_backend {STICKY_BACKEND}",
        "",
        f"backend {STICKY_BACKEND}",
        "    balance roundrobin",
        "    # Stickiness: the first response gives the browser a cookie whose opaque value stands for the",
        "    # process; its websocket, uploads and downloads then reach the process holding its session.",
        f"    cookie {COOKIE} insert indirect nocache httponly attr SameSite=Lax",
        *health,
        *servers(cookie=True),
    ]
    if roundrobin_port is not None:
        lines += [
            "",
            "# Demonstration only: the same processes WITHOUT stickiness (each request to the next server).",
            "frontend fe_roundrobin",
            f"    bind {address}:{roundrobin_port}",
            *header_lines(),
            f"    default_backend {ROUNDROBIN_BACKEND}",
            "",
            f"backend {ROUNDROBIN_BACKEND}",
            "    balance roundrobin",
            *health,
            *servers(cookie=False),
        ]
    return "\n".join(lines) + "\n"


def check_config(config: str) -> tuple[bool, str]:
    """``haproxy -c`` on a configuration text: (valid, haproxy's output)."""
    exe = haproxy_binary()
    if exe is None:
        raise FileNotFoundError("haproxy is not installed (apt-get install -y haproxy)")
    with tempfile.TemporaryDirectory(prefix="haproxy-check-") as d:
        cfg = Path(d) / "haproxy.cfg"
        cfg.write_text(config)
        r = subprocess.run([exe, "-c", "-f", str(cfg)], capture_output=True, text=True, timeout=30)
    return r.returncode == 0, (r.stdout + r.stderr).strip()


def parse_show_stat(csv_text: str) -> list[dict[str, str]]:
    """Rows of haproxy's ``show stat`` CSV (the header line starts with ``# ``)."""
    text = csv_text.lstrip()
    if text.startswith("# "):
        text = text[2:]
    return [row for row in csv.DictReader(io.StringIO(text)) if row.get("pxname")]


@dataclass
class Running:
    """An app process this module did not start (``--backend-port``): it is fronted, never stopped."""

    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def alive(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + HEALTH_PATH, timeout=2) as r:
                return r.read().strip() == b"ok"
        except (urllib.error.URLError, OSError):
            return False

    def stop(self) -> None:
        pass


@dataclass
class Cluster:
    """haproxy plus N app processes.  ``url`` is the sticky entry point."""

    backends: dict[str, Server | Running]
    port: int
    workdir: Path
    haproxy: subprocess.Popen
    roundrobin_port: int | None = None
    config: str = ""
    killed: list[str] = field(default_factory=list)
    cookies: dict[str, str] = field(default_factory=dict)  # process name -> its opaque stickiness cookie value

    def cookie(self, name: str) -> str:
        """The ``SERVERID`` value that pins a browser to process ``name``."""
        return self.cookies[name]

    def backend_of(self, cookie: str) -> str:
        """The process a ``SERVERID`` value stands for ("" for an unknown value)."""
        return self.by_cookie.get(cookie, "")

    @property
    def by_cookie(self) -> dict[str, str]:
        """``SERVERID`` value -> process name (what a client needs to tell which process it reached)."""
        return {v: n for n, v in self.cookies.items()}

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def roundrobin_url(self) -> str | None:
        return f"http://127.0.0.1:{self.roundrobin_port}" if self.roundrobin_port else None

    @property
    def stats_socket(self) -> Path:
        return self.workdir / "admin.sock"

    @property
    def names(self) -> list[str]:
        return list(self.backends)

    def haproxy_log(self) -> str:
        with contextlib.suppress(OSError):
            return (self.workdir / "haproxy.log").read_text(errors="replace")
        return ""

    # ---- haproxy's runtime API
    def admin(self, command: str, timeout: float = 5.0) -> str:
        """Send one command to haproxy's admin socket and return its answer."""
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(str(self.stats_socket))
            s.sendall(command.encode() + b"\n")
            chunks = []
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
        return b"".join(chunks).decode(errors="replace")

    def server_stats(self, backend: str = STICKY_BACKEND) -> dict[str, dict[str, str]]:
        """``show stat`` rows of one haproxy backend's servers, by server name (status, stot, scur, ...)."""
        rows = parse_show_stat(self.admin("show stat"))
        return {r["svname"]: r for r in rows if r["pxname"] == backend and r["svname"] not in ("FRONTEND", "BACKEND")}

    def status(self, backend: str = STICKY_BACKEND) -> dict[str, str]:
        """Server name -> haproxy's view: ``UP``, ``DOWN``, ``MAINT``, ``UP 1/2`` (going down) ..."""
        return {n: r["status"] for n, r in self.server_stats(backend).items()}

    def wait_status(self, want: dict[str, str], timeout: float = 20.0, backends: tuple[str, ...] = (STICKY_BACKEND,)) -> None:
        """Wait until haproxy reports each named server in ``want`` with that status (e.g. {"app2": "DOWN"})."""
        deadline = time.monotonic() + timeout
        seen: dict = {}
        while time.monotonic() < deadline:
            seen = {b: self.status(b) for b in backends}
            if all(seen[b].get(n) == st for b in backends for n, st in want.items()):
                return
            time.sleep(0.1)
        raise TimeoutError(f"haproxy did not report {want} within {timeout:.0f} s; it reports {seen}")

    def _backends_in_use(self) -> tuple[str, ...]:
        return (STICKY_BACKEND,) + ((ROUNDROBIN_BACKEND,) if self.roundrobin_port else ())

    def set_enabled(self, name: str, enabled: bool) -> None:
        """Take a process out of (or back into) the sticky rotation without stopping it."""
        self.admin(f"{'enable' if enabled else 'disable'} server {STICKY_BACKEND}/{name}")
        self.wait_status({name: "UP" if enabled else "MAINT"})

    # ---- processes
    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """Kill one app process (default SIGKILL: a crash, no clean shutdown)."""
        server = self.backends[name]
        if isinstance(server, Running):
            raise ValueError(f"{name} was not started here (--backend-port): it is not killed from here")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.proc.pid, sig)
        server.proc.wait(timeout=10)
        self.killed.append(name)

    def revive(self, name: str, timeout: float = 60.0) -> Server | Running:
        """Start a killed process again at its old port and wait until haproxy sends traffic to it."""
        old = self.backends[name]
        if old.alive() or isinstance(old, Running):
            return old
        old.stop()
        self.backends[name] = start_server(port=old.port, timeout=timeout)
        self.wait_status({name: "UP"}, backends=self._backends_in_use())
        return self.backends[name]

    def stop(self) -> None:
        stop_process_group(self.haproxy)
        with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, len(self.backends))) as pool:
            list(pool.map(lambda s: s.stop(), self.backends.values()))
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_cluster(replicas: int = 2, *, port: int | None = None, roundrobin_port: int | None = None,
                  roundrobin: bool = False, log_requests: bool = False, timeout: float = 60.0,
                  backend_ports: list[int] | None = None) -> Cluster:
    """Start ``replicas`` app processes (in parallel) and haproxy in front; return when every
    process is healthy, haproxy reports them UP and answers on its port.  ``backend_ports``: front
    processes already running on these loopback ports instead (e.g. the container), started by nobody here."""
    if replicas < 1:
        raise ValueError("replicas must be at least 1")
    exe = haproxy_binary()
    if exe is None:
        raise FileNotFoundError("haproxy is not installed: apt-get install -y haproxy (.ci/run does it)")
    started: dict[str, Server | Running] = {}
    if backend_ports:
        started = {f"app{i + 1}": Running(p) for i, p in enumerate(backend_ports)}
        down = [f"{r.url}" for r in started.values() if not r.alive()]
        if down:
            raise RuntimeError("nothing healthy answers at " + ", ".join(down) + f" ({HEALTH_PATH})")
    else:
        with concurrent.futures.ThreadPoolExecutor(max_workers=replicas) as pool:
            futures = {f"app{i + 1}": pool.submit(start_server, timeout=timeout) for i in range(replicas)}
            errors = []
            for n, f in futures.items():
                try:
                    started[n] = f.result()
                except Exception as exc:  # stop the ones that did start
                    errors.append(f"{n}: {exc}")
        if errors:
            for s in started.values():
                s.stop()
            raise RuntimeError("app processes did not start:\n" + "\n".join(errors))
    names = list(started)

    workdir = Path(tempfile.mkdtemp(prefix="haproxy-"))
    port = port or free_port()
    if roundrobin and roundrobin_port is None:
        roundrobin_port = free_port()
    cookies = cookie_values(names)
    config = haproxy_config([(n, started[n].port) for n in names], port=port, roundrobin_port=roundrobin_port,
                            stats_socket=workdir / "admin.sock", log_requests=log_requests, cookies=cookies)
    (workdir / "haproxy.cfg").write_text(config)
    log = open(workdir / "haproxy.log", "wb")
    proc = subprocess.Popen([exe, "-db", "-f", str(workdir / "haproxy.cfg")], stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    log.close()
    cluster = Cluster(backends=started, port=port, workdir=workdir, haproxy=proc, roundrobin_port=roundrobin_port,
                      config=config, cookies=cookies)
    try:
        deadline = time.monotonic() + timeout
        while not cluster.stats_socket.exists():
            if proc.poll() is not None:
                raise RuntimeError(f"haproxy exited with code {proc.returncode}:\n{cluster.haproxy_log()[-3000:]}")
            if time.monotonic() > deadline:
                raise TimeoutError("haproxy did not open its admin socket")
            time.sleep(0.05)
        cluster.wait_status({n: "UP" for n in names}, timeout=max(1.0, deadline - time.monotonic()),
                            backends=cluster._backends_in_use())
        while True:
            try:
                with urllib.request.urlopen(cluster.url + HEALTH_PATH, timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
    except BaseException:
        cluster.stop()
        raise
    return cluster


@contextlib.contextmanager
def local_cluster(replicas: int = 2, **kwargs) -> Iterator[Cluster]:
    cluster = start_cluster(replicas, **kwargs)
    try:
        yield cluster
    finally:
        cluster.stop()


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy.local_cluster", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--replicas", type=int, default=2, help="app processes behind haproxy (default 2)")
    p.add_argument("--port", type=int, help="haproxy's port (default: a free one)")
    p.add_argument("--roundrobin-port", type=int, help="also serve the same processes without stickiness on this port (demonstration)")
    p.add_argument("--log", action="store_true", help="print haproxy's log (one line per request) while it runs")
    p.add_argument("--backend-port", type=int, action="append", metavar="PORT",
                   help="front an app already running on 127.0.0.1:PORT instead of starting processes (repeat for "
                        "several), e.g. the container: docker run -p 127.0.0.1:8501:8501 mlops-explorer")
    p.add_argument("--print-config", action="store_true",
                   help="print the haproxy configuration (for --backend-port, else ports 8501, 8502, ...) and exit")
    args = p.parse_args(argv)
    if args.replicas < 1 or args.replicas > 16:
        p.error("--replicas must be between 1 and 16")
    if args.print_config:
        ports = args.backend_port or [8501 + i for i in range(args.replicas)]
        print(haproxy_config([(f"app{i + 1}", q) for i, q in enumerate(ports)], port=args.port or 8080,
                             roundrobin_port=args.roundrobin_port, stats_socket="/run/haproxy-admin.sock"), end="")
        return 0
    try:
        cluster = start_cluster(args.replicas, port=args.port, roundrobin_port=args.roundrobin_port, log_requests=args.log,
                                backend_ports=args.backend_port)
    except (FileNotFoundError, RuntimeError, TimeoutError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    stop = False

    def on_signal(signum, frame):  # Ctrl-C or `kill`: leave the loop and clean up
        nonlocal stop
        stop = True

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    try:
        print(f"haproxy with {len(cluster.backends)} app process(es) on {cluster.url}  (sticky: cookie {COOKIE})")
        for n, s in cluster.backends.items():
            print(f"  {n}: {s.url}" + (f" (pid {s.proc.pid})" if isinstance(s, Server) else " (already running)"))
        if cluster.roundrobin_url:
            print(f"  without stickiness (demonstration): {cluster.roundrobin_url}")
        print(f"  haproxy admin socket: {cluster.stats_socket}  (e.g. echo 'show stat' | socat stdio {cluster.stats_socket})")
        print("Ctrl-C stops everything.", flush=True)
        shown = 0
        while not stop:
            if args.log:
                text = cluster.haproxy_log()
                print(text[shown:], end="", flush=True)
                shown = len(text)
            if cluster.haproxy.poll() is not None:
                print(f"haproxy exited with code {cluster.haproxy.returncode}:\n{cluster.haproxy_log()[-2000:]}", file=sys.stderr)
                return 1
            time.sleep(0.5)
    finally:
        cluster.stop()
        print("stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
