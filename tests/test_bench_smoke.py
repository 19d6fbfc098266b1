"""The benchmark suite's code paths still run (tiny sizes, no timing assertions: timings live in bench/).

Each section of ``python -m bench`` runs here with the smallest useful numbers, so a change in the
app or in Streamlit that breaks the benchmark shows up in the test suite instead of rotting silently.
The Chromium part is skipped when ``/usr/bin/chromium`` is missing, unless ``CI=true``.
"""

from __future__ import annotations

import concurrent.futures
import os

import pytest

from bench import common
from bench.__main__ import SECTIONS, parse_args, selected
from bench.common import Goal, Results, Row, ms_goal, write_report


def _own_thread(fn, *args, **kwargs):
    """Run a section in a thread of its own. Once the browser tests have started Playwright, the main
    thread has a running event loop, where ``asyncio.run`` and a second sync Playwright refuse to start."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def _no_errors(results: Results, section: str) -> list[Row]:
    rows = [r for r in results.rows if r.section == section]
    assert rows, f"section {section} produced no rows"
    bad = [(r.name, r.error) for r in rows if r.error]
    assert not bad, bad
    return rows


def test_cli_options_and_sections():
    args = parse_args(["--quick", "--only", "pages,search", "--sessions", "3", "--seconds", "2"])
    assert args.quick and args.sessions == 3 and args.seconds == 2
    assert selected(args) == ["pages", "search"]
    assert selected(parse_args(["--skip", "load"])) == [s for s in SECTIONS if s != "load"]
    with pytest.raises(SystemExit):
        selected(parse_args(["--only", "nope"]))


def test_table_goals_and_report(tmp_path):
    r = Results()
    base = r.add(Row("pages", "hello-world rerun", [0.002, 0.003, 0.0025]))
    fast = r.add(Row("pages", "fast", [0.010, 0.012], baseline=base.key, goal=ms_goal(40)))
    slow = r.add(Row("pages", "slow", [0.050, 0.060], baseline=base.key, goal=ms_goal(40)))
    rate = r.add(Row("load", "runs/s", [], unit="runs/s", value=25.0, goal=Goal("value", ">=", 20, ">= 20 runs/s")))
    broken = r.add(Row("pages", "broken", [], goal=ms_goal(40), error="boom"))
    assert fast.status() == "met" and slow.status() == "NOT MET" and rate.status() == "met"
    assert broken.status().startswith("not met")
    assert r.ratio(fast).startswith("×4.4")
    met, total, missed = r.goals_summary()
    assert (met, total) == (2, 4) and {m.name for m in missed} == {"slow", "broken"}
    table = r.text_table()
    assert "hello-world rerun" in table and "NOT MET" in table
    out = tmp_path / "RESULTS.md"
    write_report(r, out, ["--quick"], 1.0)
    text = out.read_text()
    assert "| section |" in text and "Goals met: **2 of 4**" in text and "Goals not met" in text
    assert (tmp_path / "RESULTS.json").exists()  # the JSON copy goes beside a report written elsewhere


def test_pages_section_runs():
    from bench.apptest_bench import run_pages

    r = Results()
    run_pages(r, reruns=1, pages=["app.py", "pages/2_Search.py"])
    rows = _no_errors(r, "pages")
    names = [x.name for x in rows]
    assert "hello-world rerun" in names and any("Search ?q=" in n for n in names)
    assert all(x.samples for x in rows)


def test_assessment_section_runs():
    from bench.apptest_bench import run_assessment

    r = Results()
    run_assessment(r, reruns=1, pure_samples=1)
    rows = _no_errors(r, "assessment")
    names = " | ".join(x.name for x in rows)
    for part in ("one answer", "results view", "evaluate()", "sharecode.encode()", "sharecode.decode()"):
        assert part in names


def test_workshop_section_runs():
    from bench.workshop_bench import run_workshop

    r = Results()
    run_workshop(r, samples=1)
    rows = _no_errors(r, "workshop")
    names = " | ".join(x.name for x in rows)
    for part in ("baseline", "workshop view of 30 answer sets", "consensus", "HTML report", "workshop link",
                 "evaluate()", "sharecode v2 encode", "sharecode v2 decode", "workshop page warm rerun", "facilitator view warm rerun"):
        assert part in names, part
    view = next(x for x in rows if x.name.startswith("workshop view"))
    assert view.goal is not None and view.baseline == "workshop/" + rows[0].name


def test_math_section_runs():
    from bench.math_bench import formula_note, run_math

    assert formula_note(200).count("$$") == 80 and formula_note(200).count("$") - 80 * 2 == 160 * 2
    r = Results()
    run_math(r, n=1, worst_n=1)
    rows = _no_errors(r, "math")
    names = " | ".join(x.name for x in rows)
    for part in ("baseline", "cold render", "drawn again", "one formula: an underbrace", "macro loop", "200x200 matrix",
                 "10,000 nested braces", "5,000 formulas"):
        assert part in names, part
    assert all(x.goal is not None for x in rows if x.name.startswith(("worst case", "  cold", "  drawn")))


def test_diagrams_section_runs():
    from bench.diagrams_bench import diagram_note, run_diagrams

    note = diagram_note()
    assert note.count("```mermaid") == 15 and diagram_note(as_code=True).count("```text") == 15
    r = Results()
    _own_thread(run_diagrams, r, reps=1, warm=False)  # Playwright: a browser test on this worker may have started its own
    rows = _no_errors(r, "diagrams")
    ratio = next(x for x in rows if "text drawn / diagrams drawn" in x.name)
    assert ratio.goal is not None and ratio.value is not None and ratio.value > 0


def test_search_section_runs():
    from bench.search_bench import run_search, scan

    r = Results()
    run_search(r, n=1, builds=1, generated=20, vault=40)  # the 1,000-note vault and its curve are the bench's, not the smoke's
    rows = _no_errors(r, "search")
    assert any(x.name.startswith("20 notes: query") for x in rows)
    assert scan(["Model Registry", "drift"], "model registry") == 1
    assert scan(["a feature store", "store feature"], '"feature store"') == 1


def test_store_section_runs():
    from bench.store_bench import make_store, run_store

    r = Results()
    run_store(r, n=1, cards=30, days=40)
    rows = _no_errors(r, "store")
    names = " | ".join(x.name for x in rows)
    for part in ("load() of the dump", "grade click", "merge() of two tabs", "SM-2 progress file", "dumped size"):
        assert part in names
    store, _now = make_store(30, 40)
    assert len(store.cards) == 30 and all(rec.log for rec in store.cards.values())


def test_bridge_section_runs():
    from bench.bridge_bench import payload, run_bridge

    r = Results()
    run_bridge(r, reps=1, text_kb=5, blobs=1, blob_kb=1)
    rows = _no_errors(r, "bridge")
    names = " | ".join(x.name for x in rows)
    for part in ("hello-world warm rerun", "first run", "restore: added", "warm rerun: store_state()", "), CPU", "write queued"):
        assert part in names
    assert all(x.samples for x in rows)
    text, blobs = payload(20, 2, 3)
    assert 20_000 <= len(text) < 21_000 and [len(b) for b in blobs.values()] == [3000, 3000]


def test_load_section_runs():
    from bench.load import page_cycle, run_load

    assert len(page_cycle()) >= 12  # every page
    r = Results()
    info = _own_thread(run_load, r, sessions=2, seconds=1.0, idle_wait=0.2, max_pages=3)
    _no_errors(r, "load")
    assert info["runs"], "no page ran under load"
    errors = next(x for x in r.rows if x.name.startswith("errors"))
    assert errors.value == 0, errors.note
    assert info["rss_idle"] and info["rss_base"]


def test_uploads_section_runs():
    from bench.uploads_bench import note_text, run_uploads

    r = Results()
    _own_thread(run_uploads, r, sessions=2, files=2, kb=5, ttl_s=1, settle_s=0.5)
    rows = _no_errors(r, "uploads")
    names = " | ".join(x.name for x in rows)
    for part in ("baseline", "growth per session", "after every session ended", "second wave"):
        assert part in names
    errors = next(x for x in rows if x.name == "errors")
    assert errors.value == 0
    assert 4_000 < len(note_text(5, 1)) <= 5_000 and b"```python" in note_text(20, 1)


def test_lb_section_runs():
    """haproxy and two app processes: one vs two processes, then one killed mid-load (tiny sizes)."""
    from deploy.local_cluster import haproxy_binary

    if haproxy_binary() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but haproxy is not installed (.ci/run installs it)")
        pytest.skip("haproxy is not installed (apt-get install -y haproxy)")
    from bench.lb import run_lb

    r = Results()
    info = _own_thread(run_lb, r, replicas=2, sessions=4, seconds=1.5, max_pages=3, idle_wait=0.1)
    rows = _no_errors(r, "lb")
    by_name = {x.name: x for x in rows}
    assert info["one"].sessions_per_backend == {"app1": 4}, "phase 1 runs on one process only"
    assert info["many"].sessions_per_backend == {"app1": 2, "app2": 2}, "phase 2 spreads the sessions"
    assert by_name["1 process: errors"].value == 0 and by_name["2 processes: errors"].value == 0
    assert by_name["throughput 2 processes / 1 process"].value is not None
    kill = info["kill"]
    assert kill.killed == "app2" and sorted(b for _, _, _, b in kill.reconnects) == ["app1", "app1"]
    assert by_name["kill: errors on the survivors (and after reconnecting)"].value == 0
    # the cluster is gone: haproxy and every app process stopped, the temporary folder removed
    for pid in info["pids"]:
        alive = os.path.exists(f"/proc/{pid}") and "zombie" not in open(f"/proc/{pid}/status").read().lower()
        assert not alive, f"process {pid} survived the cluster"
    assert not info["workdir"].exists()


needs_chromium = pytest.mark.skipif(
    not os.path.exists("/usr/bin/chromium") and os.environ.get("CI") != "true",
    reason="no /usr/bin/chromium (with CI=true this test runs and fails instead)",
)


@needs_chromium
def test_coldstart_section_runs(monkeypatch):
    from bench.coldstart import run_coldstart

    monkeypatch.setattr("bench.coldstart.READ_S", 0.5)  # the bench reads the home page for 3 s before the click
    r = Results()
    _own_thread(run_coldstart, r, reps=1, first_visits=["/Glossary"])
    rows = _no_errors(r, "coldstart")
    assert any("our app" in x.name and x.samples for x in rows)
    assert any("hello-world" in x.name and x.samples for x in rows)
    ratio = next(x for x in rows if x.name.endswith("fully rendered / hello-world"))
    assert ratio.value and ratio.goal is not None
    visits = {x.name for x in rows if x.name.startswith("first visit ") and x.samples}
    assert visits == {"first visit /Glossary: our app", "first visit / then /Breakdown (sidebar link): our app"}
    (cpu,) = [x for x in rows if x.name == "first visits: server CPU per visit: our app"]
    assert len(cpu.cpu_samples) == 1 and 0 < cpu.cpu_samples[0] < 10  # the Glossary's first visit, its report included


@needs_chromium
def test_answers_in_the_browser_send_nothing():
    from bench.answer_browser import ANSWERS, run_answers_in_browser

    r = Results()
    _own_thread(run_answers_in_browser, r, quiet_s=1.5)
    (row,) = _no_errors(r, "assessment")
    assert row.value == 0 and row.goal is not None and row.goal.check(row)
    assert f"{ANSWERS} answers checked" in row.note


def test_bench_output_stays_out_of_git():
    ignored = (common.ROOT / ".gitignore").read_text()
    assert "bench/out/" in ignored


def test_abuse_section_runs():
    """Every action of the abuse section against a real server, with small inputs (no timing assertions)."""
    from bench.abuse_bench import SHAPES, hostile_note, longest_plan_code, longest_query, run_abuse
    from explorer.limits import LIMITS

    r = Results()
    info = _own_thread(run_abuse, r, samples=1, contention_s=0.3, paste_n=3, note_bytes=4_000, progress_bytes=150_000,
                       victim_n=2)
    rows = _no_errors(r, "abuse")
    names = " | ".join(x.name for x in rows)
    for part in ("upload 20 files", "mark-all", "import a progress file", "restore from the browser", "workshop paste",
                 "share link", "plan code", "search of the longest query", "another session's Glossary page while",
                 "open an uploaded note just under the parse budget", "import a .zip at the limits",
                 "20 notes, each a table just under the parse budget"):
        assert part in names, part
    cpu = [x for x in rows if x.name.endswith(": server CPU")]
    assert len(cpu) == 11 and all(x.goal is not None and x.baseline for x in cpu)
    ratios = [x for x in rows if x.unit == "x"]
    assert len(ratios) == 11 and all(x.value and x.value > 0 and x.goal is not None for x in ratios)
    assert all(done >= 1 for _, _, done in info["contention"].values())  # each action ran while the other page did
    assert len(hostile_note("headings")) <= LIMITS.note_bytes and hostile_note("headings").count(b"\n## ") >= 7_999
    assert all(len(hostile_note(s)) <= LIMITS.note_bytes for s in SHAPES)
    assert len(longest_query()) == LIMITS.query_chars and 1_800 < len(longest_plan_code()) <= LIMITS.plan_code_chars
