"""Section e: N concurrent sessions over Streamlit's websocket, each running every page in turn.

Protocol (read from streamlit/web/server/starlette/starlette_websocket.py and the frontend
bundle's ``sendRerunBackMsg``): connect to ``/_stcore/stream`` with subprotocol ``streamlit``
and an allowed ``Origin``; send a binary ``BackMsg`` whose ``rerun_script`` (a ClientState)
carries ``query_string``, ``page_name`` (the URL path, "" for the home page) and, once the
server has told us the pages (``navigation.app_pages``), the ``page_script_hash`` of the
page, exactly as the browser does for in-app navigation; then read binary ``ForwardMsg``s
until ``script_finished`` (``FINISHED_EARLY_FOR_RERUN`` means the script called
``st.rerun``: keep reading).

Closed loop, no think time by default: each session starts its next page as soon as the
previous one finished, so by Little's law latency ~= sessions / throughput.  Bounded in time
(``seconds`` plus at most one per-run timeout), loopback only.
"""

from __future__ import annotations

import asyncio
import gc
import re
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from .common import ROOT, Results, Row, percentile
from .server import Server

RUN_TIMEOUT_S = 60.0
P95_GOAL_MS = 2000
RPS_GOAL = 20
MB_PER_SESSION_GOAL = 1.0


@dataclass
class Visit:
    page_name: str  # URL path: "" for home, "Notes", "Maturity_Ladders", ...
    query: dict[str, str] = field(default_factory=dict)

    @property
    def query_string(self) -> str:
        return urlencode(self.query)

    @property
    def label(self) -> str:
        name = self.page_name or "Home"
        return name + (f"?{self.query_string}" if self.query else "")


def page_cycle() -> list[Visit]:
    """Every page in the app's order; a few opened on a selection (deep links) to exercise state."""
    from explorer import CONTENT_DIR
    from explorer.assess import sharecode
    from explorer.content.loader import load_content

    from .apptest_bench import page_files, random_answers

    content = load_content(CONTENT_DIR)
    deep: dict[str, dict[str, str]] = {}
    if content.notes:
        deep["Notes"] = {"note": max(content.notes, key=lambda n: len(n.body)).id}
    deep["Search"] = {"q": "model registry"}
    if content.ok("assessment"):
        import random

        deep["Self_Assessment"] = {sharecode.QUERY_PARAM: sharecode.encode(content.assessment, random_answers(content.assessment, random.Random(3)))}
    visits = []
    for f in page_files():
        name = "" if f == "app.py" else re.sub(r"^\d+_", "", f.rsplit("/", 1)[-1][:-3])
        visits.append(Visit(name, deep.get(name, {})))
    return visits


@dataclass
class RunResult:
    visit: str
    started: float
    latency: float
    error: str = ""
    messages: int = 0
    nbytes: int = 0


class Session:
    """One websocket session.  ``server`` is anything with ``url`` and ``ws_url`` (a bench Server, or a
    load balancer's address: see ``bench/lb.py``); ``headers`` go with the websocket handshake (cookies)."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.ws = None
        self.hashes: dict[str, str] = {}
        self.headers: dict[str, str] = {}
        self.session_id = ""  # the server's id for this session (new_session.initialize.session_id)
        self.download_urls: list[str] = []  # st.download_button URLs (/media/...) of the last run
        self.uploader_ids: list[str] = []  # widget ids of the st.file_uploader elements of the last run

    async def connect(self) -> None:
        from websockets.asyncio.client import connect

        self.ws = await connect(self.server.ws_url, subprotocols=["streamlit"], origin=self.server.url,
                                additional_headers=self.headers or None,
                                max_size=None, open_timeout=RUN_TIMEOUT_S, ping_interval=None, compression=None)

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
            self.ws = None

    def _backmsg(self, visit: Visit, widgets: list | None = None) -> bytes:
        from streamlit.proto.BackMsg_pb2 import BackMsg

        msg = BackMsg()
        rs = msg.rerun_script
        if widgets:
            rs.widget_states.widgets.extend(widgets)
        rs.query_string = visit.query_string
        rs.page_name = visit.page_name
        key = visit.page_name or "app"
        if key in self.hashes:
            rs.page_script_hash = self.hashes[key]
        rs.context_info.timezone = "UTC"
        rs.context_info.timezone_offset = 0
        rs.context_info.locale = "en-US"
        rs.context_info.url = f"{self.server.url}/{visit.page_name}" + (f"?{visit.query_string}" if visit.query else "")
        return msg.SerializeToString()

    async def run(self, visit: Visit, widgets: list | None = None) -> RunResult:
        """Run a page (``widgets``: WidgetState protos sent with the rerun, e.g. a file uploader's files)."""
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        assert self.ws is not None
        t0 = time.perf_counter()
        errors: list[str] = []
        n = nbytes = 0
        self.download_urls = []
        self.uploader_ids = []
        try:
            await self.ws.send(self._backmsg(visit, widgets))
            async with asyncio.timeout(RUN_TIMEOUT_S):
                while True:
                    data = await self.ws.recv()
                    n += 1
                    nbytes += len(data)
                    m = ForwardMsg()
                    m.ParseFromString(data)
                    kind = m.WhichOneof("type")
                    if kind == "delta":
                        d = m.delta
                        if d.WhichOneof("type") == "new_element":
                            el = d.new_element.WhichOneof("type")
                            if el == "exception":
                                ex = d.new_element.exception
                                errors.append(f"exception: {ex.type}: {ex.message}"[:160])
                            elif el == "download_button" and d.new_element.download_button.url:
                                self.download_urls.append(d.new_element.download_button.url)
                            elif el == "file_uploader":
                                self.uploader_ids.append(d.new_element.file_uploader.id)
                    elif kind in ("navigation", "new_session"):
                        if kind == "new_session" and m.new_session.initialize.session_id:
                            self.session_id = m.new_session.initialize.session_id
                        pages = m.navigation.app_pages if kind == "navigation" else m.new_session.app_pages
                        for p in pages:
                            if p.url_pathname and p.page_script_hash:
                                self.hashes[p.url_pathname] = p.page_script_hash
                    elif kind == "page_not_found":
                        errors.append(f"page not found: {m.page_not_found.page_name!r}")
                    elif kind == "session_event" and m.session_event.WhichOneof("type") == "script_compilation_exception":
                        errors.append("script compilation exception")
                    elif kind == "script_finished":
                        status = m.script_finished
                        if status == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                            continue
                        if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                            errors.append("compile error")
                        break
        except TimeoutError:
            errors.append(f"timeout after {RUN_TIMEOUT_S:.0f} s")
        except Exception as exc:  # connection closed, protocol error
            errors.append(f"{type(exc).__name__}: {exc}"[:160])
        return RunResult(visit.label, t0, time.perf_counter() - t0, "; ".join(errors), n, nbytes)


    async def upload_urls(self, file_names: list[str]) -> list[tuple[str, str]]:
        """Ask the server where to upload files, as the file uploader does before its PUT:
        a ``file_urls_request`` BackMsg, answered by a ``file_urls_response``.  Returns
        (file_id, upload_url) pairs; the URL is ``/_stcore/upload_file/<session_id>/<file_id>``."""
        import uuid

        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        assert self.ws is not None and self.session_id, "connect and run a page first"
        msg = BackMsg()
        req = msg.file_urls_request
        req.request_id = uuid.uuid4().hex
        req.file_names.extend(file_names)
        req.session_id = self.session_id
        await self.ws.send(msg.SerializeToString())
        async with asyncio.timeout(RUN_TIMEOUT_S):
            while True:
                m = ForwardMsg()
                m.ParseFromString(await self.ws.recv())
                if m.WhichOneof("type") == "file_urls_response" and m.file_urls_response.response_id == req.request_id:
                    if m.file_urls_response.error_msg:
                        raise RuntimeError(m.file_urls_response.error_msg)
                    return [(u.file_id, u.upload_url) for u in m.file_urls_response.file_urls]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used (from /proc)."""
    import os

    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


async def _until_quiet(server: Server, *, window: float = 2.0, busy: float = 0.05, limit: float = 180.0) -> float:
    """Wait until the server uses less than ``busy`` of a core over ``window`` seconds (``limit`` at most); the wait."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < limit:
        c0 = cpu_seconds(server.pid)
        await asyncio.sleep(window)
        c1 = cpu_seconds(server.pid)
        if c0 is None or c1 is None or (c1 - c0) / window < busy:
            break
    return time.perf_counter() - t0


async def _sample_rss(server: Server, stop: asyncio.Event, out: list[float], every: float = 0.25) -> None:
    while not stop.is_set():
        v = server.rss_mb()
        if v is not None:
            out.append(v)
        try:
            await asyncio.wait_for(stop.wait(), every)
        except TimeoutError:
            pass


async def _load(server: Server, visits: list[Visit], sessions: int, seconds: float, think: float, idle_wait: float) -> dict:
    info: dict = {"rss_start": server.rss_mb()}

    # warm-up: one session runs every page twice (imports, caches); the second pass is the unloaded baseline
    warm = Session(server)
    await warm.connect()
    for v in visits:
        r = await warm.run(v)
        if r.error:
            info.setdefault("warmup_errors", []).append(f"{v.label}: {r.error}")
    c0 = cpu_seconds(server.pid)
    unloaded = [await warm.run(v) for v in visits]
    c1 = cpu_seconds(server.pid)
    info["cpu_unloaded"] = (c1 - c0) / len(visits) if c0 is not None and c1 is not None else None
    await warm.close()
    await asyncio.sleep(1.0)
    info["unloaded"] = unloaded
    # the shared work the first pages started (the background indexer of a large vault) finishes before the
    # memory the sessions add is measured: what it keeps belongs to the process, not to a session
    info["quiet_wait_s"] = await _until_quiet(server)
    info["rss_base"] = server.rss_mb()

    # the load: N sessions, each running every page in turn (staggered start pages)
    clients = [Session(server) for _ in range(sessions)]
    t_conn = time.perf_counter()
    conn = await asyncio.gather(*(c.connect() for c in clients), return_exceptions=True)
    info["connect_s"] = time.perf_counter() - t_conn
    info["connect_errors"] = [f"{type(e).__name__}: {e}"[:160] for e in conn if isinstance(e, BaseException)]
    live = [c for c, e in zip(clients, conn) if not isinstance(e, BaseException)]

    rss_samples: list[float] = []
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sample_rss(server, stop, rss_samples))
    runs: list[RunResult] = []
    cpu_start = cpu_seconds(server.pid)
    t_start = time.perf_counter()
    deadline = t_start + seconds

    async def user(i: int, s: Session) -> None:
        k = i
        while time.perf_counter() < deadline:
            r = await s.run(visits[k % len(visits)])
            runs.append(r)
            k += 1
            if r.error and s.ws is None:
                return
            if think:
                await asyncio.sleep(think)

    await asyncio.gather(*(user(i, s) for i, s in enumerate(live)))
    t_end = time.perf_counter()
    cpu_end = cpu_seconds(server.pid)
    info["cpu_load"] = (cpu_end - cpu_start) if cpu_start is not None and cpu_end is not None else None
    stop.set()
    await sampler
    info.update(runs=runs, elapsed=t_end - t_start, rss_peak=max(rss_samples, default=None))

    # idle: every session stays connected, nothing runs
    await asyncio.sleep(idle_wait)
    info["rss_idle"] = server.rss_mb()
    await asyncio.gather(*(c.close() for c in live), return_exceptions=True)
    await asyncio.sleep(2.0)
    info["rss_closed"] = server.rss_mb()
    info["sessions_live"] = len(live)
    return info


def run_load(results: Results, *, sessions: int = 50, seconds: float = 30.0, think: float = 0.0, idle_wait: float = 3.0,
             script=None, max_pages: int | None = None, flags: list[str] | tuple[str, ...] = (), label: str = "",
             goals: bool = True) -> dict:
    """Start a server, warm it up, run the load, report.  ``flags`` are extra server options
    (e.g. ``["--runner.postScriptGC", "false"]``); ``label`` prefixes every row name of a what-if run."""
    visits = page_cycle()[:max_pages]
    gc.collect()
    with Server(script or ROOT / "app.py", log_name="load", flags=flags) as server:
        info = asyncio.run(_load(server, visits, sessions, seconds, think, idle_wait))
    report(results, info, sessions, seconds, think, label=label, goals=goals)
    return info


def report(results: Results, info: dict, sessions: int, seconds: float, think: float, *, label: str = "", goals: bool = True) -> None:
    runs: list[RunResult] = info["runs"]
    unloaded: list[RunResult] = info["unloaded"]
    ok = [r for r in runs if not r.error]
    bad = [r for r in runs if r.error]
    lat = sorted(r.latency for r in runs)
    base_lat = [r.latency for r in unloaded if not r.error]
    tag = f"{sessions} sessions, {seconds:g} s" + (f", think {think:g} s" if think else "")
    S = "load"
    prefix = f"{label}: " if label else ""

    class _Prefixed:  # every row of a what-if run carries the label; its goals are informative only
        @staticmethod
        def add(row: Row) -> Row:
            row.name = prefix + row.name
            if row.baseline and row.baseline.startswith(f"{S}/"):
                row.baseline = f"{S}/{prefix}{row.baseline[len(S) + 1:]}"
            if not goals:
                row.goal = None
            return results.add(row)

    add = _Prefixed.add

    add(Row(S, "baseline: 1 session, every page once, unloaded", base_lat, note="after warm-up"))
    add(Row(S, "baseline: 1 session throughput", [], unit="runs/s",
                    value=len(base_lat) / sum(base_lat) if base_lat else None, n=len(base_lat)))
    rps = len(ok) / info["elapsed"] if info["elapsed"] else 0.0
    add(Row(S, f"page runs per second ({tag})", [], unit="runs/s", value=rps, n=len(ok),
                    baseline=f"{S}/baseline: 1 session throughput", goal=_goal(">=", RPS_GOAL, "runs/s")))
    add(Row(S, f"page latency p50 ({tag})", [], unit="ms", value=percentile(lat, 50) if lat else None,
                    lo=lat[0] if lat else None, hi=lat[-1] if lat else None, n=len(lat),
                    baseline=f"{S}/baseline: 1 session, every page once, unloaded"))
    add(Row(S, f"page latency p95 ({tag})", [], unit="ms", value=percentile(lat, 95) if lat else None,
                    lo=lat[0] if lat else None, hi=lat[-1] if lat else None, n=len(lat),
                    baseline=f"{S}/baseline: 1 session, every page once, unloaded", goal=_goal("<", P95_GOAL_MS / 1000, "ms p95", scale=1000)))
    n_err = len(bad) + len(info.get("connect_errors", []))
    first = sorted({r.error for r in bad})[:3] + info.get("connect_errors", [])[:2]
    add(Row(S, "errors (exception deltas, failed runs, connect errors)", [], unit="errors", value=n_err, n=len(runs),
                    goal=_goal("==", 0, "errors"), note="; ".join(first)[:300]))
    n_runs = len(runs)
    if info.get("cpu_load") is not None and n_runs:
        per = info["cpu_load"] / n_runs
        add(Row(S, "server CPU per page run under load", [], unit="ms", value=per, n=n_runs,
                baseline=f"{S}/server CPU per page run, 1 session" if info.get("cpu_unloaded") else None,
                note=f"{info['cpu_load']:.1f} CPU-s in {info['elapsed']:.1f} s; GIL-bound capacity ~{1 / per:.0f} runs/s per idle core"))
    if info.get("cpu_unloaded") is not None:
        add(Row(S, "server CPU per page run, 1 session", [], unit="ms", value=info["cpu_unloaded"], n=len(unloaded),
                note="robust to a busy machine, unlike wall times"))
    if info.get("warmup_errors"):
        results.notes.append("load warm-up errors: " + "; ".join(info["warmup_errors"])[:500])

    # memory
    for key, what in (("rss_start", "server RSS at start (no session yet)"), ("rss_base", "server RSS before load (after warm-up, the server quiet)"),
                       ("rss_peak", "server RSS peak during load"), ("rss_idle", f"server RSS after load, {sessions} sessions idle"),
                       ("rss_closed", "server RSS after all sessions closed")):
        add(Row(S, what, [], unit="MB", value=info.get(key)))
    per = None
    if info.get("rss_idle") is not None and info.get("rss_base") is not None and info.get("sessions_live"):
        per = (info["rss_idle"] - info["rss_base"]) / info["sessions_live"]
    add(Row(S, "memory per idle session (RSS delta / sessions)", [], unit="MB", value=per,
                    goal=_goal("<=", MB_PER_SESSION_GOAL, "MB per session"),
                    note=f"({info.get('rss_idle', 0):.0f} - {info.get('rss_base', 0):.0f}) MB / {info.get('sessions_live')}; "
                         f"before the load, {info.get('quiet_wait_s', 0):.0f} s for the server to be quiet (a vault's indexer)"))

    # per page under load, to find the expensive ones
    by_page: dict[str, list[float]] = {}
    for r in runs:
        by_page.setdefault(r.visit, []).append(r.latency)
    base_by_page = {r.visit: r for r in unloaded}
    for visit, ls in by_page.items():
        ls.sort()
        b = base_by_page.get(visit)
        add(Row(S, f"under load: {visit}", ls, note=f"p95 {percentile(ls, 95) * 1000:.0f} ms"
                        + (f"; unloaded {b.latency * 1000:.0f} ms, {b.messages} msgs, {b.nbytes / 1000:.0f} kB" if b else "")))
    results.notes.append(
        f"load{' (' + label + ')' if label else ''}: closed loop, {info.get('sessions_live')} sessions connected in {info.get('connect_s', 0):.2f} s; "
        f"{len(runs)} runs in {info['elapsed']:.1f} s; Little's law: latency ~= sessions / throughput "
        f"= {sessions / rps if rps else float('nan'):.2f} s at this throughput."
    )


def _goal(op: str, limit: float, text: str, scale: float = 1.0):
    from .common import Goal

    shown = f"{op} {limit * scale:g} {text}"
    return Goal("value", op, limit, shown)
