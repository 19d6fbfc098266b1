"""Start and stop a real ``streamlit run`` server on a free loopback port (cold start and load)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from .common import OUT_DIR, ROOT

HELLO_APP = Path(__file__).resolve().parent / "apps" / "hello.py"

# The flags Streamlit's own e2e suite uses (see the Streamlit notes), loopback only.
SERVER_FLAGS = [
    "--server.headless", "true",
    "--global.developmentMode", "false",
    "--browser.gatherUsageStats", "false",
    "--server.fileWatcherType", "none",
    "--server.address", "127.0.0.1",
]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float | None:
    """Resident set size of a process in MB (from /proc), or None."""
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


class Server:
    """``streamlit run <script>`` as a child process; use as a context manager."""

    def __init__(self, script: Path | str = ROOT / "app.py", *, port: int | None = None, log_name: str = "server",
                 flags: list[str] | tuple[str, ...] = (), cwd: Path | str | None = None) -> None:
        self.script = Path(script)
        self.cwd = Path(cwd) if cwd is not None else ROOT  # where .streamlit/config.toml is read from
        self.flags = list(flags)  # extra ``--section.option value`` pairs, after the defaults
        self.port = port or free_port()
        self.proc: subprocess.Popen | None = None
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        self.log_path = OUT_DIR / f"{log_name}-{self.script.stem}.log"  # overwritten by the next run
        self.started_at = 0.0
        self.healthy_after: float | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/_stcore/stream"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> Server:
        cmd = [sys.executable, "-m", "streamlit", "run", str(self.script), "--server.port", str(self.port), *SERVER_FLAGS, *self.flags]
        self._log = open(self.log_path, "wb")
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.started_at = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=self.cwd, stdout=self._log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        return self

    def wait_healthy(self, timeout: float = 60.0, interval: float = 0.02) -> float:
        """Seconds from start() until ``/_stcore/health`` answers ``ok``."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.url + "/_stcore/health", timeout=1) as r:
                    if r.status == 200 and r.read().strip() == b"ok":
                        self.healthy_after = time.perf_counter() - self.started_at
                        return self.healthy_after
            except OSError:
                pass
            time.sleep(interval)
        raise TimeoutError(f"server not healthy after {timeout} s; see {self.log_path}")

    def rss_mb(self) -> float | None:
        return rss_mb(self.pid)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: only this server and its children
            except ProcessLookupError:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()
        self.proc = None

    def __enter__(self) -> Server:
        self.start()
        try:
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()
