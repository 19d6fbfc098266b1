"""Shared pieces of the benchmark suite: measurements, goals, the printed table, RESULTS.md.

Every number is a :class:`Row`.  Timing rows keep their raw samples (seconds) and show
median, min-max and n; a row may name a *baseline* row measured in the same run, and the
table then shows ``median / baseline median``.  Goals are checked here and only here:
timings never go into pass/fail unit tests (machines are noisy).
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
OUT_DIR = BENCH_DIR / "out"  # scratch output (logs, quick runs); git-ignored
RESULTS_MD = BENCH_DIR / "RESULTS.md"



def share_script_cache() -> None:
    """Give AppTest runs one script cache, as a server has.

    A Streamlit server keeps one ``ScriptCache`` for its lifetime: it compiles ``app.py`` and each page
    once.  AppTest makes a new cache for every run, so every AppTest rerun also compiles the main script
    and the page (about 2-5 ms here), a cost no rerun on a server pays.  The AppTest rows model a server's
    warm rerun, so they share one cache."""
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    if getattr(app_test.ScriptCache, "_bench_shared", False):
        return
    shared = ScriptCache()

    def one_cache() -> ScriptCache:
        return shared

    one_cache._bench_shared = True  # type: ignore[attr-defined]
    app_test.ScriptCache = one_cache  # type: ignore[assignment]
    local_script_runner.ScriptCache = one_cache  # type: ignore[assignment]


def quiet_streamlit() -> None:
    """Silence 'missing ScriptRunContext' and similar warnings of bare-mode Streamlit; AppTest runs share
    one script cache, as on a server (:func:`share_script_cache`)."""
    share_script_cache()
    import streamlit.logger

    streamlit.logger.set_log_level("ERROR")
    noisy = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    if not any(getattr(f, "_bench_quiet", False) for f in noisy.filters):
        def drop(record: logging.LogRecord) -> bool:
            return "missing ScriptRunContext" not in record.getMessage()

        drop._bench_quiet = True  # type: ignore[attr-defined]
        noisy.addFilter(drop)


# --------------------------------------------------------------------------- goals
@dataclass(frozen=True)
class Goal:
    """``stat op limit`` on a row, e.g. Goal("median", "<=", 0.040) for "median at most 40 ms"."""

    stat: str  # "median" | "value" | "p95" | "max"
    op: str  # "<=" | "<" | ">=" | "=="
    limit: float
    text: str  # shown in the table, e.g. "<= 40 ms median"

    def check(self, row: Row) -> bool | None:
        v = row.stat(self.stat)
        if v is None:
            return None
        return {"<=": v <= self.limit, "<": v < self.limit, ">=": v >= self.limit, "==": v == self.limit}[self.op]


def ms_goal(limit_ms: float, stat: str = "median") -> Goal:
    return Goal(stat, "<=", limit_ms / 1000, f"<= {limit_ms:g} ms {stat}")


# --------------------------------------------------------------------------- rows
@dataclass
class Row:
    section: str
    name: str
    samples: list[float] = field(default_factory=list)  # seconds (timing rows) or raw values
    unit: str = "ms"  # "ms" (samples in seconds), or a unit for plain values: "runs/s", "MB", "errors", "s"
    value: float | None = None  # for non-sample rows (a single measured value)
    lo: float | None = None  # optional range for value rows
    hi: float | None = None
    n: int | None = None
    baseline: str | None = None  # key "section/name" of the baseline row
    goal: Goal | None = None
    note: str = ""
    error: str = ""  # a failure while measuring: the row counts as "not met"
    cpu_samples: list[float] = field(default_factory=list)  # process CPU seconds per sample (robust to a busy machine)
    base_samples: list[float] = field(default_factory=list)  # baseline timed alternately with this row (paired ratio)

    @property
    def key(self) -> str:
        return f"{self.section}/{self.name}"

    def stat(self, which: str) -> float | None:
        if which == "value":
            return self.value if self.value is not None else self.stat("median")
        if not self.samples:
            return self.value if which == "median" else None
        s = sorted(self.samples)
        if which == "median":
            return statistics.median(s)
        if which == "min":
            return s[0]
        if which == "max":
            return s[-1]
        if which == "p95":
            return percentile(s, 95)
        if which == "p50":
            return percentile(s, 50)
        raise ValueError(which)

    @property
    def count(self) -> int:
        return self.n if self.n is not None else len(self.samples)

    def status(self) -> str:
        if self.error:
            return "not met (error)" if self.goal else "error"
        if self.goal is None:
            return ""
        ok = self.goal.check(self)
        return "—" if ok is None else ("met" if ok else "NOT MET")


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank-with-interpolation percentile of already sorted values."""
    if not sorted_values:
        return float("nan")
    if len(sorted_values) == 1:
        return sorted_values[0]
    k = (len(sorted_values) - 1) * p / 100
    f = int(k)
    c = min(f + 1, len(sorted_values) - 1)
    return sorted_values[f] + (sorted_values[c] - sorted_values[f]) * (k - f)


def fmt_num(v: float | None, unit: str) -> str:
    if v is None:
        return "—"
    if unit == "ms":
        v = v * 1000
    if v != v:  # nan
        return "nan"
    a = abs(v)
    if unit in ("errors", "count", "sessions"):
        return f"{v:.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    if a >= 0.01:
        return f"{v:.3f}"
    return f"{v:.4f}"


# --------------------------------------------------------------------------- results
class Results:
    def __init__(self) -> None:
        self.rows: list[Row] = []
        self.notes: list[str] = []
        self.started = time.time()

    def add(self, row: Row) -> Row:
        self.rows.append(row)
        print(f"  {row.section:<11} {row.name:<52} {fmt_num(row.stat('median'), row.unit):>9} {row.unit}"
              + (f"  [{row.error}]" if row.error else ""), flush=True)
        return row

    def get(self, key: str) -> Row | None:
        return next((r for r in self.rows if r.key == key), None)

    def ratio(self, row: Row) -> str:
        if not row.baseline:
            return ""
        base = self.get(row.baseline)
        if base is None:
            return ""
        a = row.stat("median")
        b = statistics.median(row.base_samples) if row.base_samples else base.stat("median")
        if a is None or not b:
            return ""
        label = base.name if base.section == row.section else base.key
        if row.base_samples:
            label += ", paired"
        return f"×{a / b:.3g} ({label})" if a / b < 1000 else f"×{a / b:.0f} ({label})"

    @staticmethod
    def cpu(row: Row) -> str:
        return fmt_num(statistics.median(row.cpu_samples), "ms") if row.cpu_samples else ""

    # ---- table
    HEADERS = ["section", "name", "median", "min-max", "n", "unit", "cpu ms", "ratio to baseline", "goal", "status"]

    def table_rows(self) -> list[list[str]]:
        out = []
        for r in self.rows:
            lo = r.stat("min") if r.samples else r.lo
            hi = r.stat("max") if r.samples else r.hi
            rng = f"{fmt_num(lo, r.unit)}-{fmt_num(hi, r.unit)}" if lo is not None and hi is not None else ""
            out.append([
                r.section, r.name + (f" ({r.note})" if r.note else "") + (f" ERROR: {r.error}" if r.error else ""),
                fmt_num(r.stat("median"), r.unit), rng, str(r.count) if r.count else "",
                r.unit, self.cpu(r), self.ratio(r), r.goal.text if r.goal else "", r.status(),
            ])
        return out

    def text_table(self) -> str:
        rows = self.table_rows()
        widths = [max(len(h), *(len(x[i]) for x in rows)) if rows else len(h) for i, h in enumerate(self.HEADERS)]
        widths[1] = min(widths[1], 90)

        def line(cells: list[str]) -> str:
            return "  ".join(c[: widths[i]].ljust(widths[i]) if i in (0, 1, 5, 7, 8, 9) else c.rjust(widths[i])
                             for i, c in enumerate(cells))

        sep = "  ".join("-" * w for w in widths)
        return "\n".join([line(self.HEADERS), sep, *(line(r) for r in rows)])

    def markdown_table(self) -> str:
        rows = self.table_rows()
        head = "| " + " | ".join(self.HEADERS) + " |"
        sep = "|" + "|".join("---:" if h in ("median", "min-max", "n", "cpu ms") else "---" for h in self.HEADERS) + "|"
        body = ["| " + " | ".join(c.replace("|", "\\|") for c in r) + " |" for r in rows]
        return "\n".join([head, sep, *body])

    def goals_summary(self) -> tuple[int, int, list[Row]]:
        with_goal = [r for r in self.rows if r.goal is not None]
        missed = [r for r in with_goal if r.status() != "met"]
        return len(with_goal) - len(missed), len(with_goal), missed

    def to_json(self) -> dict:
        return {
            "machine": machine_info(),
            "started": self.started,
            "notes": self.notes,
            "rows": [
                {"section": r.section, "name": r.name, "unit": r.unit, "median": r.stat("median"),
                 "min": r.stat("min") if r.samples else r.lo, "max": r.stat("max") if r.samples else r.hi,
                 "n": r.count, "baseline": r.baseline, "ratio": self.ratio(r),
                 "cpu_median": statistics.median(r.cpu_samples) if r.cpu_samples else None,
                 "goal": r.goal.text if r.goal else None, "status": r.status(), "note": r.note, "error": r.error}
                for r in self.rows
            ],
        }


# --------------------------------------------------------------------------- measuring
def timed(fn: Callable[[], object], n: int, *, warmup: int = 1, min_sample: float = 0.0) -> tuple[list[float], int]:
    """Time ``fn`` ``n`` times after ``warmup`` calls.

    With ``min_sample`` > 0 each sample is the mean of k back-to-back calls, k chosen so a
    sample lasts at least ``min_sample`` seconds (for microsecond-scale pure functions).
    Returns (samples in seconds per call, k).
    """
    samples, _cpu, k = timed_cpu(fn, n, warmup=warmup, min_sample=min_sample)
    return samples, k


def timed_cpu(fn: Callable[[], object], n: int, *, warmup: int = 1, min_sample: float = 0.0,
              between: Callable[[], object] | None = None) -> tuple[list[float], list[float], int]:
    """Like :func:`timed`, also returning process CPU seconds per call (all threads: AppTest runs the
    script in a thread).  ``between`` runs untimed before each sample (e.g. a paired baseline)."""
    for _ in range(warmup):
        fn()
    k = 1
    if min_sample > 0:
        t0 = time.perf_counter()
        fn()
        one = max(time.perf_counter() - t0, 1e-7)
        k = max(1, min(100_000, int(min_sample / one)))
    samples, cpu = [], []
    for _ in range(n):
        if between is not None:
            between()
        c0, t0 = time.process_time(), time.perf_counter()
        for _ in range(k):
            fn()
        samples.append((time.perf_counter() - t0) / k)
        cpu.append((time.process_time() - c0) / k)
    return samples, cpu, k


# --------------------------------------------------------------------------- machine and report
def machine_info() -> dict:
    mem_gb = None
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    versions = {}
    for mod in ("streamlit", "plotly", "pandas"):
        try:
            versions[mod] = __import__(mod).__version__
        except Exception:  # pragma: no cover - optional
            versions[mod] = "?"
    try:
        load = os.getloadavg()
    except OSError:  # pragma: no cover
        load = None
    return {
        "date": _dt.date.today().isoformat(),
        "cores": os.cpu_count(),
        "memory_gb": mem_gb,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "load_average_at_end": [round(x, 2) for x in load] if load else None,
        **versions,
    }


def write_report(results: Results, path: Path, argv: list[str], elapsed: float) -> None:
    m = machine_info()
    met, total, missed = results.goals_summary()
    lines = [
        "# Benchmark results",
        "",
        f"- Date: {m['date']}",
        f"- Machine: {m['cores']} cores, {m['memory_gb']} GB RAM, {m['platform']}, Python {m['python']}",
        f"- Versions: streamlit {m['streamlit']}, plotly {m['plotly']}, pandas {m['pandas']}",
        f"- Command: `{' '.join(['python -m bench', *argv])}` ({elapsed:.0f} s)",
        f"- Load average at the end: {m['load_average_at_end']} (the machine may be shared: compare ratios, not only absolute times)",
        f"- Goals met: **{met} of {total}**",
        "",
        "Timings are medians with min-max over n samples; *ratio* is this row's median divided by the median of the "
        "named baseline measured in the same run (*paired*: the baseline was timed right before each sample, so both "
        "saw the same machine load). *cpu ms* is the process CPU time per sample, which a busy machine inflates much "
        "less than wall time. Regenerate with `python -m bench` (about 14 minutes on 2 cores); `python -m bench --quick` is a "
        "fast check and writes to `bench/out/` instead. How each number is measured: `bench/README.md`.",
        "",
        results.markdown_table(),
        "",
    ]
    if missed:
        lines += ["## Goals not met", ""]
        lines += [f"- {r.key}: {fmt_num(r.stat(r.goal.stat if r.goal.stat != 'value' else 'median'), r.unit)} {r.unit}, goal {r.goal.text}"
                  + (f" ({r.error})" if r.error else "") for r in missed]
        lines.append("")
    lines += ["## Reading these numbers", "",
              "- AppTest reruns (sections pages, assessment) run the script in-process; they do not include the "
              "`gc.collect()` a real server runs after every script run (`runner.postScriptGC`, on by default), nor "
              "serialising and sending the messages. The load section measures the real server.",
              "- \"One answer in Chromium\" counts the websocket messages the real page sends while ten questions "
              "are answered: a widget inside `st.form` sends nothing until the form is submitted, so the server does "
              "no work per answer. The *what-if* AppTest rows rerun the page per answer: the cost if it did.",
              "- The load test is a closed loop without think time: by Little's law the latency is about "
              "sessions / throughput, so at 50 sessions p95 < 2 s needs roughly 30 page runs per second.",
              "- Rows marked *what-if* rerun the load with a server option the app does not set; they carry no goal.",
              ""]
    if results.notes:
        lines += ["## Notes", ""] + [f"- {n}" for n in results.notes] + [""]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines), encoding="utf-8")
    # a JSON copy of the table: beside the report, except for bench/RESULTS.md (kept in the git-ignored bench/out/)
    json_path = OUT_DIR / "RESULTS.json" if path.resolve() == RESULTS_MD.resolve() else path.with_suffix(".json")
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(json.dumps(results.to_json(), indent=2, default=str), encoding="utf-8")


def scan(texts: list[str], query: str) -> int:
    """The naive baseline: lower-case every text and ``find`` every word (or the phrase)."""
    q = query.strip()
    needles = [q.strip('"').lower()] if q.startswith('"') else q.lower().split()
    hits = 0
    for t in texts:
        low = t.lower()
        if all(low.find(n) != -1 for n in needles):
            hits += 1
    return hits
