"""Section ``lb``: the websocket load test through a real load balancer (HAProxy) in front of
several app processes, against one process behind the same balancer, in the same run.

A client behaves like a browser tab: it first GETs a page through the balancer, which answers with
the ``SERVERID`` cookie standing for the process it picked (an opaque value: the cluster tells which), then ``/_stcore/health`` (Streamlit's
``_streamlit_xsrf`` cookie), then opens ``/_stcore/stream`` with those cookies, so the balancer sends the websocket to the same
process.  When the connection drops (its process was killed) the client does what Streamlit's
frontend does: it reconnects with the cookie it has; haproxy finds that process down, redispatches to
a survivor and answers with a new cookie, and the client reruns its page there.

Phases (one cluster, processes warmed up first, each process pinned by cookie):

1. ``1 process``: every process but the first taken out of rotation (haproxy ``disable server``);
2. ``N processes``: all in rotation (the ratio to phase 1 is the scaling);
3. ``kill``: N processes, one killed with SIGKILL halfway through; failed runs, reconnections,
   time to recover and errors after recovery are reported.

Per process: sessions it served, page runs, CPU (cores) during the phase, RSS after its first
session (the warm-up), peak under load and idle after.  The client's and haproxy's own CPU are
shown too: on a 2-core machine they share the cores with the app processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import time
import urllib.request
from dataclasses import dataclass, field

from .common import Goal, Results, Row, percentile
from .load import RUN_TIMEOUT_S, RunResult, Session, Visit, cpu_seconds, page_cycle
from .server import rss_mb

SCALING_GOAL = 1.6


@dataclass(frozen=True)
class Entry:
    """An HTTP entry point (the balancer) as :class:`bench.load.Session` needs it."""

    url: str

    @property
    def ws_url(self) -> str:
        return "ws://" + self.url.split("://", 1)[1] + "/_stcore/stream"


def parse_set_cookies(values: list[str]) -> dict[str, str]:
    """name -> value of ``Set-Cookie`` header values (attributes after ``;`` ignored)."""
    out = {}
    for v in values:
        pair = v.split(";", 1)[0].strip()
        if "=" in pair:
            name, value = pair.split("=", 1)
            out[name.strip()] = value.strip()
    return out


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


class BalancedSession(Session):
    """A session through the balancer, cookies handled like a browser does."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None, names: dict[str, str] | None = None) -> None:
        super().__init__(Entry(base_url))
        self.cookies = dict(cookies or {})
        self.names = dict(names or {})  # SERVERID value -> process name (Cluster.by_cookie; the value itself names nothing)
        self.backend = ""  # the process that serves the websocket (from the SERVERID cookie)
        self.backends: list[str] = []  # every process this session was connected to, in order

    def get(self, path: str = "/") -> tuple[int, dict[str, str]]:
        """GET a page like a browser: send our cookies, keep the ones the answer sets."""
        req = urllib.request.Request(self.server.url + path, headers={"Cookie": cookie_header(self.cookies)} if self.cookies else {})
        with urllib.request.urlopen(req, timeout=RUN_TIMEOUT_S) as r:
            r.read()
            self.cookies.update(parse_set_cookies(r.headers.get_all("Set-Cookie") or []))
            return r.status, {k.lower(): v for k, v in r.headers.items()}

    async def connect(self) -> None:
        from deploy.local_cluster import COOKIE

        # as the browser does: the page, then the health check (which sets Streamlit's XSRF cookie)
        await asyncio.to_thread(self.get, "/")
        await asyncio.to_thread(self.get, "/_stcore/health")
        self.headers = {"Cookie": cookie_header(self.cookies)}
        await super().connect()
        self.cookies.update(parse_set_cookies(self.ws.response.headers.get_all("Set-Cookie")))
        cookie = self.cookies.get(COOKIE, "")
        self.backend = self.names.get(cookie, cookie)
        self.backends.append(self.backend)

    def closed(self) -> bool:
        from websockets.protocol import State

        return self.ws is None or self.ws.state is not State.OPEN

    async def reconnect(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.ws.close(), 2)
            self.ws = None
        self.hashes.clear()
        await self.connect()


@dataclass
class Phase:
    name: str
    sessions: int
    seconds: float
    runs: list[tuple[RunResult, str]] = field(default_factory=list)  # (result, process that ran it)
    elapsed: float = 0.0
    t_start: float = 0.0  # perf_counter() when the load started
    connect_errors: list[str] = field(default_factory=list)
    sessions_per_backend: dict[str, int] = field(default_factory=dict)
    cpu: dict[str, float | None] = field(default_factory=dict)  # CPU seconds per process (and haproxy, client)
    rss_peak: dict[str, float | None] = field(default_factory=dict)
    rss_idle: dict[str, float | None] = field(default_factory=dict)
    haproxy_websockets: dict[str, int] = field(default_factory=dict)  # 101 responses per server (haproxy's hrsp_1xx)
    killed: str = ""
    kill_at: float | None = None  # seconds after the phase started
    reconnects: list[tuple[float, float, str, str]] = field(default_factory=list)  # (error at, recovered at, from, to)
    reconnect_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> list[RunResult]:
        return [r for r, _ in self.runs if not r.error]

    @property
    def failed(self) -> list[RunResult]:
        return [r for r, _ in self.runs if r.error]

    def rps(self) -> float:
        return len(self.ok) / self.elapsed if self.elapsed else 0.0


async def _sample(cluster, stop: asyncio.Event, peaks: dict[str, float]) -> None:
    while not stop.is_set():
        for n, s in cluster.backends.items():
            v = rss_mb(s.proc.pid) if s.alive() else None
            if v is not None:
                peaks[n] = max(peaks.get(n, 0.0), v)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def warm_up(cluster, visits: list[Visit]) -> dict[str, dict]:
    """One session pinned to each process (by cookie) runs every page twice: imports and caches.
    Returns per process: RSS before and after this first session, CPU per page run of the second pass."""
    from deploy.local_cluster import COOKIE

    out = {}
    for name, server in cluster.backends.items():
        info = {"rss_start": rss_mb(server.proc.pid)}
        s = BalancedSession(cluster.url, {COOKIE: cluster.cookie(name)}, cluster.by_cookie)
        await s.connect()
        assert s.backend == name, f"cookie {COOKIE}={name} reached {s.backend}"
        errors = [f"{v.label}: {r.error}" for v in visits if (r := await s.run(v)).error]
        c0 = cpu_seconds(server.proc.pid)
        second = [await s.run(v) for v in visits]
        c1 = cpu_seconds(server.proc.pid)
        await s.close()
        await asyncio.sleep(0.5)
        info.update(rss_first_session=rss_mb(server.proc.pid), errors=errors + [r.error for r in second if r.error],
                    cpu_per_run=(c1 - c0) / len(visits) if c0 is not None and c1 is not None else None,
                    latency=[r.latency for r in second])
        out[name] = info
    return out


async def run_phase(cluster, visits: list[Visit], name: str, sessions: int, seconds: float, *,
                    kill: str = "", kill_at: float = 0.5, think: float = 0.0, idle_wait: float = 1.0) -> Phase:
    """``sessions`` browser-like clients through the balancer for ``seconds``, closed loop."""
    ph = Phase(name, sessions, seconds, killed=kill)
    upgrades0 = {n: int(r.get("hrsp_1xx") or 0) for n, r in cluster.server_stats().items()}
    clients = [BalancedSession(cluster.url, names=cluster.by_cookie) for _ in range(sessions)]
    conn = await asyncio.gather(*(c.connect() for c in clients), return_exceptions=True)
    ph.connect_errors = [f"{type(e).__name__}: {e}"[:160] for e in conn if isinstance(e, BaseException)]
    live = [c for c, e in zip(clients, conn) if not isinstance(e, BaseException)]
    for c in live:
        ph.sessions_per_backend[c.backend] = ph.sessions_per_backend.get(c.backend, 0) + 1

    pids = {n: s.proc.pid for n, s in cluster.backends.items()}
    pids["haproxy"] = cluster.haproxy.pid
    cpu0 = {n: cpu_seconds(p) for n, p in pids.items()}
    client0 = time.process_time()
    peaks: dict[str, float] = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample(cluster, stop, peaks))
    t_start = ph.t_start = time.perf_counter()
    deadline = t_start + seconds

    async def user(i: int, s: BalancedSession) -> None:
        k = i
        while time.perf_counter() < deadline:
            backend = s.backend
            r = await s.run(visits[k % len(visits)])
            ph.runs.append((r, backend))
            k += 1
            if r.error and s.closed():
                t_err = time.perf_counter()
                while time.perf_counter() < deadline:
                    try:
                        await s.reconnect()
                    except Exception as exc:  # the balancer had nowhere to send us yet
                        ph.reconnect_errors.append(f"{type(exc).__name__}: {exc}"[:160])
                        await asyncio.sleep(0.2)
                        continue
                    ph.reconnects.append((t_err - t_start, time.perf_counter() - t_start, backend, s.backend))
                    break
            if think:
                await asyncio.sleep(think)

    async def killer() -> None:
        await asyncio.sleep(seconds * kill_at)
        ph.kill_at = time.perf_counter() - t_start
        await asyncio.to_thread(cluster.kill, kill)

    tasks = [user(i, s) for i, s in enumerate(live)] + ([killer()] if kill else [])
    await asyncio.gather(*tasks)
    ph.elapsed = time.perf_counter() - t_start
    client1 = time.process_time()
    cpu1 = {n: cpu_seconds(p) for n, p in pids.items()}
    stop.set()
    await sampler
    ph.cpu = {n: (cpu1[n] - cpu0[n]) if cpu0.get(n) is not None and cpu1.get(n) is not None else None for n in pids}
    ph.cpu["load client"] = client1 - client0
    upgrades1 = {n: int(r.get("hrsp_1xx") or 0) for n, r in cluster.server_stats().items()}
    ph.haproxy_websockets = {n: upgrades1.get(n, 0) - upgrades0.get(n, 0) for n in upgrades1}
    ph.rss_peak = dict(peaks)
    await asyncio.sleep(idle_wait)
    ph.rss_idle = {n: rss_mb(s.proc.pid) if s.alive() else None for n, s in cluster.backends.items()}
    await asyncio.gather(*(c.close() for c in live), return_exceptions=True)
    return ph


def run_lb(results: Results, *, replicas: int = 2, sessions: int = 50, seconds: float = 30.0, think: float = 0.0,
           max_pages: int | None = None, kill: bool = True, idle_wait: float = 1.0) -> dict:
    """Start haproxy and ``replicas`` app processes, run the phases, add the rows."""
    from deploy.local_cluster import local_cluster

    if replicas < 2:
        raise ValueError("the lb section compares 1 process with --replicas processes: use 2 or more")
    visits = page_cycle()[:max_pages]
    gc.collect()

    async def go(cluster) -> dict:
        info: dict = {"warm": await warm_up(cluster, visits)}
        others = cluster.names[1:]
        for n in others:
            cluster.set_enabled(n, False)
        info["one"] = await run_phase(cluster, visits, "1 process", sessions, seconds, think=think, idle_wait=idle_wait)
        for n in others:
            cluster.set_enabled(n, True)
        info["many"] = await run_phase(cluster, visits, f"{replicas} processes", sessions, seconds, think=think, idle_wait=idle_wait)
        if kill and replicas > 1:
            info["kill"] = await run_phase(cluster, visits, f"{replicas} processes, {cluster.names[-1]} killed",
                                           sessions, seconds, kill=cluster.names[-1], think=think, idle_wait=idle_wait)
        return info

    with local_cluster(replicas) as cluster:
        info = asyncio.run(go(cluster))
        info["names"] = list(cluster.backends)
        info["pids"] = [cluster.haproxy.pid] + [s.proc.pid for s in cluster.backends.values()]
        info["workdir"] = cluster.workdir
    report(results, info, replicas=replicas, sessions=sessions, seconds=seconds)
    return info


# --------------------------------------------------------------------------- report
def _lat_rows(S: str, ph: Phase, baseline: str | None = None) -> list[Row]:
    lat = sorted(r.latency for r, _ in ph.runs)
    return [
        Row(S, f"{ph.name}: page latency p50", [], unit="ms", value=percentile(lat, 50) if lat else None,
            lo=lat[0] if lat else None, hi=lat[-1] if lat else None, n=len(lat), baseline=baseline and f"{S}/{baseline}: page latency p50"),
        Row(S, f"{ph.name}: page latency p95", [], unit="ms", value=percentile(lat, 95) if lat else None,
            lo=lat[0] if lat else None, hi=lat[-1] if lat else None, n=len(lat), baseline=baseline and f"{S}/{baseline}: page latency p95"),
    ]


def _per_process_rows(S: str, ph: Phase, names: list[str]) -> list[Row]:
    rows = []
    runs_by = {n: sum(1 for r, b in ph.runs if b == n and not r.error) for n in names}
    for n in names:
        cpu = ph.cpu.get(n)
        note = f"{runs_by[n]} page runs; haproxy counted {ph.haproxy_websockets.get(n, 0)} websocket upgrades"
        if cpu is not None and ph.elapsed:
            note += f"; CPU {cpu / ph.elapsed:.2f} cores"
        rows.append(Row(S, f"{ph.name}: sessions on {n}", [], unit="sessions", value=ph.sessions_per_backend.get(n, 0), note=note))
    for who in ("haproxy", "load client"):
        cpu = ph.cpu.get(who)
        if cpu is not None and ph.elapsed:
            rows.append(Row(S, f"{ph.name}: {who} CPU", [], unit="cores", value=cpu / ph.elapsed,
                            note="shares the machine's cores with the app processes"))
    return rows


def report(results: Results, info: dict, *, replicas: int, sessions: int, seconds: float) -> None:
    S = "lb"
    add = results.add
    names: list[str] = info["names"]
    one: Phase = info["one"]
    many: Phase = info["many"]
    tag = f"{sessions} sessions, {seconds:g} s"

    for n, w in info["warm"].items():
        add(Row(S, f"{n}: RSS at start / after its first session", [], unit="MB", value=w["rss_first_session"],
                note=f"{w['rss_start']:.0f} MB at start" if w.get("rss_start") else ""))
        if w.get("cpu_per_run") is not None:
            add(Row(S, f"{n}: CPU per page run, 1 warm session", [], unit="ms", value=w["cpu_per_run"], n=len(w["latency"])))
        if w["errors"]:
            results.notes.append(f"lb warm-up errors on {n}: " + "; ".join(w["errors"])[:400])

    base_name = f"{one.name}: page runs per second ({tag})"
    add(Row(S, base_name, [], unit="runs/s", value=one.rps(), n=len(one.ok), note="all sessions on app1, others out of rotation"))
    add(Row(S, f"{many.name}: page runs per second ({tag})", [], unit="runs/s", value=many.rps(), n=len(many.ok),
            baseline=f"{S}/{base_name}"))
    ratio = many.rps() / one.rps() if one.rps() else None
    add(Row(S, f"throughput {replicas} processes / 1 process", [], unit="×", value=ratio,
            goal=Goal("value", ">=", SCALING_GOAL, f">= {SCALING_GOAL:g}×"),
            note=f"{many.rps():.1f} / {one.rps():.1f} runs/s, same run, same warmed processes"))
    # On a shared machine the scaling is bounded by the CPU the app processes actually got: runs per
    # CPU-second of the app processes shows whether a second process costs anything (ratio ~1 = no).
    for ph, used in ((one, names[:1]), (many, names)):
        cores = [ph.cpu.get(n) for n in used]
        if all(c is not None for c in cores) and ph.elapsed and sum(cores):
            add(Row(S, f"{ph.name}: CPU of the app processes", [], unit="cores", value=sum(cores) / ph.elapsed,
                    note=" + ".join(f"{n} {c / ph.elapsed:.2f}" for n, c in zip(used, cores))))
            add(Row(S, f"{ph.name}: page runs per CPU-second of the app processes", [], unit="runs/CPU-s", value=len(ph.ok) / sum(cores),
                    baseline=f"{S}/{one.name}: page runs per CPU-second of the app processes" if ph is many else None,
                    note="about ×1 = a second process costs nothing extra; a shortfall in throughput is CPU the machine did not give"
                    if ph is many else ""))
    for ph, base in ((one, None), (many, one.name)):
        for r in _lat_rows(S, ph, base):
            add(r)
        n_err = len(ph.failed) + len(ph.connect_errors)
        first = sorted({r.error for r in ph.failed})[:3] + ph.connect_errors[:2]
        add(Row(S, f"{ph.name}: errors", [], unit="errors", value=n_err, n=len(ph.runs), goal=Goal("value", "==", 0, "== 0 errors"),
                note="; ".join(first)[:300]))
    for r in _per_process_rows(S, one, names[:1]) + _per_process_rows(S, many, names):
        add(r)
    spread = [many.sessions_per_backend.get(n, 0) for n in names]
    add(Row(S, f"{many.name}: processes that got sessions", [], unit="count", value=sum(1 for x in spread if x),
            goal=Goal("value", "==", replicas, f"== {replicas} (all)"), note=" / ".join(f"{n} {x}" for n, x in zip(names, spread))))
    for ph in (one, many):
        for n in names:
            if ph.rss_peak.get(n) is not None and ph.sessions_per_backend.get(n):
                add(Row(S, f"{ph.name}: {n} RSS peak under load / idle after", [], unit="MB", value=ph.rss_peak[n],
                        note=f"idle after: {ph.rss_idle.get(n) or 0:.0f} MB"))

    kp: Phase | None = info.get("kill")
    if kp is not None:
        survivors = [n for n in names if n != kp.killed]
        at = kp.kill_at or 0.0
        after_kill = [r for r, _ in kp.runs if r.started - kp.t_start > at]
        failed = kp.failed
        on_killed = kp.sessions_per_backend.get(kp.killed, 0)
        add(Row(S, f"kill: sessions on {kp.killed} when it was killed", [], unit="sessions", value=on_killed,
                note=f"SIGKILL at {at:.1f} s of {kp.elapsed:.1f} s"))
        add(Row(S, "kill: sessions that reconnected to a survivor", [], unit="sessions", value=len(kp.reconnects),
                goal=Goal("value", "==", on_killed, f"== {on_killed} (every session of the killed process)"),
                note=", ".join(sorted({f"{a}→{b}" for _, _, a, b in kp.reconnects})) or "none"))
        waits = sorted(b - a for a, b, _, _ in kp.reconnects)
        add(Row(S, "kill: time from the dropped connection to the reconnected session", waits, unit="ms",
                note=f"{len(kp.reconnect_errors)} failed reconnect attempts" if kp.reconnect_errors else "first attempt each"))
        add(Row(S, "kill: page runs failed by the kill (reported, expected = runs in flight)", [], unit="errors", value=len(failed),
                n=len(kp.runs), note="; ".join(sorted({r.error for r in failed}))[:200]))
        wrong = [r for r, b in kp.runs if r.error and b in survivors]
        add(Row(S, "kill: errors on the survivors (and after reconnecting)", [], unit="errors", value=len(wrong) + len(kp.connect_errors),
                goal=Goal("value", "==", 0, "== 0 errors"), note="; ".join(sorted({r.error for r in wrong}))[:200]))
        rate_after = (sum(1 for r in after_kill if not r.error) / (kp.elapsed - at)) if kp.elapsed > at else None
        add(Row(S, f"kill: page runs per second after the kill ({len(survivors)} process(es) left)", [], unit="runs/s",
                value=rate_after, baseline=f"{S}/{base_name}"))
    results.notes.append(
        f"lb: haproxy in front of {replicas} app processes ({', '.join(names)}), cookie stickiness; closed loop, {sessions} sessions, "
        f"{seconds:g} s per phase; phase 1 = the other processes taken out of rotation (haproxy `disable server`). "
        "Each client GETs / through haproxy first (cookie), then opens the websocket with the cookie, as a browser does."
    )
