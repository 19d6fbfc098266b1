"""Fitting FSRS parameters to one learner's review log (Anki's "Optimize"), in a separate process.

The fit is fsrs-rs (the Rust FSRS-6 trainer, through ``fsrs-rs-python``: no PyTorch).  Its parameters are
the 21 of FSRS-6 that the ``fsrs`` scheduler takes (``fsrs.Scheduler(parameters=...)``): tests check the
count, the defaults and the round trip.

Why a separate process: ``fsrs_rs_python`` holds the GIL while it trains (measured: a thread ticking every
millisecond ticked 3 times during a 0.9 s fit), so a fit in the server's process would stall every other
session.  A fit runs in a child Python interpreter (JSON in on stdin, JSON lines out), one at a time (:data:`MAX_RUNNING`), a few waiting
(:data:`MAX_WAITING`; more are refused with a message), and is killed at its time budget.  The page polls
:func:`status` (a few times a second) and shows the elapsed time against the expected time.

The decision is made on reviews held out from the fit: the cards are split by a hash of their id, a fifth
held out; the learner's current parameters (the defaults at first) and the fitted ones are both evaluated
there (log loss, and RMSE over bins as fsrs-rs computes it), and the fitted ones are kept only when their
log loss is lower.  Parameters are rounded to 6 significant digits before that evaluation, so what is
evaluated is what the store keeps.

Threshold: :data:`MIN_REVIEWS` (400) reviews in the log and :data:`MIN_TEST_ITEMS` predictions held out.
Below a few hundred reviews a fit mostly follows noise, and its held-out test (a fifth of the cards) is
too small to show that it is better; Anki's FSRS guidance also asks for several hundred reviews first.

Public API
    MIN_REVIEWS, MIN_TEST_ITEMS, BUDGET_S   (the parameters themselves: :mod:`explorer.study.params`)
    Prepared(train, test, reviews); prepare(store, now, current) -> Prepared | str (a notice why not)
    Evaluation(log_loss, rmse); Outcome(params, before, after, better, reviews, seconds)
    fit(prepared, current) -> Outcome              # in this process (tests, bench, the worker)
    submit(prepared, current, budget) -> job id | str (refused); status(job id) -> Status
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from explorer.study import review_log as rl
from explorer.study.params import DEFAULTS, clip

MIN_REVIEWS = 400
MIN_TEST_ITEMS = 50
BUDGET_S = 30.0  # a fit that runs longer is killed (10,000 reviews take about 1 s on one free core)
MAX_RUNNING = 1
MAX_WAITING = 3
MAX_ITEMS = 200_000  # a store of 2 MB holds far fewer; a bound for a hand-made one
_TEST_SHARE = 5  # one card in five is held out


def _round(params: Sequence[float]) -> tuple[float, ...]:
    return tuple(float(f"{float(x):.6g}") for x in params)


@dataclass(frozen=True)
class Prepared:
    train: list[list[tuple[int, int]]]
    test: list[list[tuple[int, int]]]
    reviews: int


@dataclass(frozen=True)
class Evaluation:
    log_loss: float
    rmse: float


@dataclass(frozen=True)
class Outcome:
    params: tuple[float, ...]  # what the learner should use: the fitted ones when better, else the current ones
    before: Evaluation  # the current parameters on the held-out reviews
    after: Evaluation  # the fitted parameters there
    better: bool
    reviews: int
    seconds: float


def _held_out(cid: str) -> bool:
    return zlib.crc32(cid.encode("utf-8", "surrogatepass")) % _TEST_SHARE == 0


def prepare(store, now: _dt.datetime) -> Prepared | str:
    """The training and held-out items of the store's log, or a notice saying why there are none."""
    problems = rl.check(store, now)
    if problems:
        return rl.describe(problems)
    n = rl.review_count(store)
    if n < MIN_REVIEWS:
        return (f"Optimizing needs at least {MIN_REVIEWS} reviews (you have {n:,}): with fewer, a fit mostly "
                "follows chance and cannot be shown to be better than the defaults.")
    train, test = [], []
    for cid, hist in rl.items(rl.card_reviews(store))[:MAX_ITEMS]:
        (test if _held_out(cid) else train).append(hist)
    if len(test) < MIN_TEST_ITEMS or len(train) < MIN_TEST_ITEMS:
        return (f"Your log has too few reviews on later days to hold {MIN_TEST_ITEMS} of them out for a fair test "
                f"({len(test)} held out, {len(train)} to fit on). Keep reviewing and try again.")
    return Prepared(train, test, n)


def _items(rs, hists):
    return [rs.FSRSItem([rs.FSRSReview(g, d) for g, d in h]) for h in hists]


def _evaluate(rs, params, test) -> Evaluation:
    e = rs.FSRS(list(params)).evaluate(test)
    return Evaluation(float(e.log_loss), float(e.rmse_bins))


def fit(prepared: Prepared, current: Sequence[float] = DEFAULTS, report=None) -> Outcome:
    """Fit on the training items, evaluate the current and the fitted parameters on the held-out ones."""
    import fsrs_rs_python as rs

    t0 = time.perf_counter()
    say = report or (lambda _phase: None)
    train, test = _items(rs, prepared.train), _items(rs, prepared.test)
    say("evaluating your current parameters")
    before = _evaluate(rs, current, test)
    say("fitting")
    fitted = _round(clip(rs.FSRS(list(DEFAULTS)).compute_parameters(train)))
    say("evaluating the fitted parameters")
    after = _evaluate(rs, fitted, test)
    better = after.log_loss < before.log_loss
    return Outcome(fitted if better else tuple(current), before, after, better, prepared.reviews,
                   time.perf_counter() - t0)


# --------------------------------------------------------------------------- the worker process and its jobs
_ROOT = str(Path(__file__).resolve().parents[2])
_CHILD = "from explorer.study.optimize import child_main; child_main()"


def child_main() -> None:  # pragma: no cover (runs in the child interpreter; the job tests drive it)
    """The child's side: one JSON job on stdin, JSON lines on stdout (phases, then the outcome or an error)."""
    def send(kind: str, value) -> None:
        sys.stdout.write(json.dumps([kind, value]) + "\n")
        sys.stdout.flush()

    try:
        job = json.loads(sys.stdin.read())
        prepared = Prepared([[tuple(r) for r in h] for h in job["train"]], [[tuple(r) for r in h] for h in job["test"]],
                            int(job["reviews"]))
        out = fit(prepared, tuple(job["current"]), report=lambda phase: send("phase", phase))
        send("outcome", asdict(out))
    except Exception as exc:  # noqa: BLE001 (the message goes to the page)
        send("error", f"{type(exc).__name__}: {str(exc)[:300]}")


def _outcome(d: dict) -> Outcome:
    return Outcome(tuple(d["params"]), Evaluation(**d["before"]), Evaluation(**d["after"]), bool(d["better"]),
                   int(d["reviews"]), float(d["seconds"]))


@dataclass
class Status:
    state: str  # waiting | running | done | failed | timeout | unknown
    phase: str = ""
    elapsed: float = 0.0
    expected: float = 1.0
    outcome: Outcome | None = None
    message: str = ""


@dataclass
class _Job:
    prepared: Prepared
    current: tuple[float, ...]
    budget: float
    created: float = field(default_factory=time.monotonic)
    proc: Any = None
    buffer: bytes = b""
    started: float | None = None
    status: Status = field(default_factory=lambda: Status("waiting"))


_JOBS: dict[str, _Job] = {}
_LOCK = threading.Lock()
_KEEP_S = 600.0  # a finished job's outcome is kept this long for its page to collect


def expected_seconds(reviews: int) -> float:
    """A rough expected time for the progress bar: process start, and about 1 s per 10,000 reviews."""
    return 1.5 + reviews / 10_000


def submit(prepared: Prepared, current: Sequence[float] = DEFAULTS, budget: float = BUDGET_S) -> str | tuple[str]:
    """Queue a fit; its job id, or ``(message,)`` when too many are running or waiting."""
    import secrets

    with _LOCK:
        _advance()
        waiting = sum(1 for j in _JOBS.values() if j.status.state == "waiting")
        if waiting >= MAX_WAITING:
            return ("The optimizer is busy with other learners' fits; try again in a minute.",)
        jid = secrets.token_hex(8)
        _JOBS[jid] = _Job(prepared, tuple(current), budget)
        _JOBS[jid].status.expected = expected_seconds(prepared.reviews)
        _advance()
        return jid


def status(jid: str) -> Status:
    """Where job ``jid`` is (``unknown`` for an id this process does not hold)."""
    with _LOCK:
        _advance()
        job = _JOBS.get(jid)
        return Status("unknown", message="This fit is no longer known here.") if job is None else job.status


def cancel(jid: str) -> None:
    with _LOCK:
        job = _JOBS.pop(jid, None)
        if job is not None and job.proc is not None and job.status.state == "running":
            _stop(job)
        _advance()


def _advance() -> None:
    """Collect what running jobs sent, kill those past their budget, start waiting ones, forget old ones."""
    now = time.monotonic()
    for jid, job in list(_JOBS.items()):
        st = job.status
        if st.state == "running":
            st.elapsed = now - job.started
            _collect(job)
            if st.state == "running" and job.proc.poll() is not None:
                _collect(job)
                if st.state == "running":
                    st.state, st.message = "failed", "The optimizer stopped without an answer."
            if st.state == "running" and st.elapsed > job.budget:
                st.state = "timeout"
                st.message = f"The fit took longer than its {job.budget:.0f} s budget and was stopped."
            if st.state != "running":
                _stop(job)
                job.started = None
                job.created = now
        elif st.state != "waiting" and now - job.created > _KEEP_S:
            del _JOBS[jid]
    running = sum(1 for j in _JOBS.values() if j.status.state == "running")
    for job in sorted((j for j in _JOBS.values() if j.status.state == "waiting"), key=lambda j: j.created):
        if running >= MAX_RUNNING:
            break
        job.proc = subprocess.Popen([sys.executable, "-c", _CHILD], cwd=_ROOT, stdin=subprocess.PIPE,
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        payload = json.dumps({"train": job.prepared.train, "test": job.prepared.test, "reviews": job.prepared.reviews,
                              "current": list(job.current)}).encode()
        threading.Thread(target=_feed, args=(job.proc, payload), daemon=True, name="fsrs-optimizer-feed").start()
        os.set_blocking(job.proc.stdout.fileno(), False)
        job.started = time.monotonic()
        job.status.state, job.status.phase = "running", "starting"
        running += 1


def _feed(proc, payload: bytes) -> None:
    """Write the job to the child's stdin (a thread: a large job must not block the page that polls)."""
    try:
        proc.stdin.write(payload)
        proc.stdin.close()
    except OSError:  # the child was stopped first
        pass


def _collect(job: _Job) -> None:
    """Read what the child wrote so far (non-blocking) and apply each complete line."""
    st = job.status
    try:
        chunk = job.proc.stdout.read()
    except (OSError, ValueError):
        chunk = None
    if chunk:
        job.buffer += chunk
    while b"\n" in job.buffer:
        line, job.buffer = job.buffer.split(b"\n", 1)
        try:
            kind, value = json.loads(line)
        except ValueError:
            continue
        if kind == "phase":
            st.phase = str(value)[:80]
        elif kind == "outcome":
            st.state, st.outcome = "done", _outcome(value)
        else:
            st.state, st.message = "failed", str(value)[:400]


def _stop(job: _Job) -> None:
    if job.proc.poll() is None:
        job.proc.kill()
    try:
        job.proc.wait(timeout=2)
    except subprocess.TimeoutExpired:  # pragma: no cover
        pass
    job.proc.stdout.close()
