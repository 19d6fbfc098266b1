"""Section ``vault`` (#22): a generated vault of 10 to 5,000 notes beside the shipped content, against the shipped
content alone, each measurement in a fresh process, ratios in the same run.

* **scale curve** (10, 100, 1,000 and, in full runs, 5,000 notes of ~16 kB, :mod:`explorer.notes.generated_vault`):
  the lazy load (heads only), the whole background index (parse, search shards, backlinks) built in one
  thread, resident memory loaded and indexed, search median and p95 (typos included);
* **memory**: the 1,000-note process indexed, minus the shipped-content process indexed (goal <= 150 MB);
* **first visit of a note**: the Notes page (AppTest, the app's indexer thread running) moved to vault notes
  never opened (random ones and the largest), against the shipped notes' first visits (goal <= 300 ms);
* **one note edited**: the next Notes page run on it, against one parse of that note (goal <= x3);
* **fresh server to the fully drawn home page** in Chromium, 1,000-note vault against shipped (goal <= x1.5);
* **load**: the existing load test against a server on the 1,000-note vault (goal: 0 errors, p95 <= 2 s).

The vaults are written once under ``bench/out/vaults/`` (a copy of ``content/`` plus ``notes/vault/``).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from .common import OUT_DIR, ROOT, Goal, Results, Row, ms_goal

S = "vault"
VAULTS = OUT_DIR / "vaults"
MEMORY_GOAL_MB = 150


def vault_root(n: int) -> Path:
    """``content/`` plus ``n`` generated notes under notes/vault (0: the shipped content itself)."""
    if n == 0:
        return ROOT / "content"
    root = VAULTS / f"n{n}"
    done = root / ".complete"
    if not done.exists():
        from explorer.notes.generated_vault import write_vault

        shutil.rmtree(root, ignore_errors=True)
        shutil.copytree(ROOT / "content", root)
        write_vault(root / "notes" / "vault", n, seed=22)
        done.write_text(str(n), encoding="utf-8")
    return root


def probe(root: Path, mode: str, arg: int = 10, timeout: float = 1800) -> dict:
    env = dict(os.environ, EXPLORER_CONTENT_DIR=str(root), PYTHONUNBUFFERED="1")
    proc = subprocess.run([sys.executable, "-m", "bench.vault_probe", mode, str(arg)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)
    line = next((x for x in proc.stdout.splitlines() if x.startswith("PROBE ")), None)
    if line is None:
        raise RuntimeError(f"probe {mode} failed: {(proc.stderr or proc.stdout)[-400:]}")
    return json.loads(line[len("PROBE "):])


@contextmanager
def content_dir(root: Path):
    old = os.environ.get("EXPLORER_CONTENT_DIR")
    os.environ["EXPLORER_CONTENT_DIR"] = str(root)
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("EXPLORER_CONTENT_DIR", None)
        else:
            os.environ["EXPLORER_CONTENT_DIR"] = old


def _scale(results: Results, sizes: list[int]) -> dict[int, dict]:
    got: dict[int, dict] = {}
    for n in [0, *sizes]:
        label = "shipped notes" if n == 0 else f"{n:,} notes"
        try:
            d = probe(vault_root(n), "scale")
        except Exception as exc:
            results.add(Row(S, f"{label}: scale probe", [], error=str(exc)[:300]))
            continue
        got[n] = d
        mb = d["bytes"] / 1e6
        base = None if n == 0 else f"{S}/shipped notes: lazy load"
        results.add(Row(S, f"{label}: lazy load", [d["load_s"]], baseline=base,
                        note=f"{d['notes']} notes, {mb:.1f} MB; heads only ({d['parses_at_load']} notes parsed for YAML references)"))
        results.add(Row(S, f"{label}: whole index, one thread", [], unit="s", value=d["index_s"],
                        note="parse every note, search shards, glossary and note backlinks (the app's thread runs at half a core)"))
        results.add(Row(S, f"{label}: memory loaded / indexed", [], unit="MB", value=d["rss_indexed"] - d["rss_start"],
                        lo=d["rss_loaded"] - d["rss_start"], hi=d["rss_indexed"] - d["rss_start"],
                        note="resident memory above the process before the load (range: loaded .. indexed)"))
        results.add(Row(S, f"{label}: search", [d["search_p50"]], unit="ms",
                        note=f"median of 35 queries with typos; p95 {d['search_p95'] * 1000:.1f} ms"))
    if 0 in got and 1000 in got:
        extra = got[1000]["rss_indexed"] - got[0]["rss_indexed"]
        results.add(Row(S, "memory: 1,000-note vault above shipped", [], unit="MB", value=extra,
                        goal=Goal("value", "<=", MEMORY_GOAL_MB, f"<= {MEMORY_GOAL_MB} MB"),
                        note=f"indexed process RSS {got[1000]['rss_indexed']:.0f} MB vs {got[0]['rss_indexed']:.0f} MB"))
    return got


def _open(results: Results, k: int) -> None:
    d = probe(vault_root(1000), "open", k)
    results.add(Row(S, "first visit of a shipped note (Notes page)", d["shipped"], note="AppTest rerun moved to a note not opened before"))
    results.add(Row(S, "first visit of a vault note (Notes page)", d["vault"], baseline=f"{S}/first visit of a shipped note (Notes page)",
                    goal=ms_goal(300, "max"), error="; ".join(d["errors"])[:300],
                    note=f"{len(d['vault'])} notes of the 1,000-note vault, the largest ({d['largest_kb']:.0f} kB) included; "
                         "the app's indexer thread runs meanwhile"))


def _edit(results: Results, reps: int) -> None:
    d = probe(vault_root(1000), "edit", reps)
    parse = results.add(Row(S, "parse of the edited note", d["parses"], note=f"a median note ({d['note_kb']:.0f} kB), parse_note"))
    ratios = [a / b for a, b in zip(d["runs"], d["parses"]) if b]
    c = d.get("counted", {})
    results.add(Row(S, "next Notes page run after an edit", d["runs"], baseline=parse.key, error="; ".join(d["errors"])[:300],
                    note="AppTest run after the file changed: its event, the stat of that file, its re-read, parse and draw "
                         f"({len(d['runs'])} edits: {c.get('walks', '?')} folder walks, {c.get('stats', '?')} file stats, "
                         f"{c.get('reads', '?')} note files read)"))
    results.add(Row(S, "edit run / parse of that note", [], unit="×", value=statistics.median(ratios) if ratios else None,
                    lo=min(ratios, default=None), hi=max(ratios, default=None), n=len(ratios),
                    goal=Goal("value", "<=", 3, "<= 3")))
    warm = results.add(Row(S, "same Notes page run, nothing edited", d["warm"],
                           note="what the page costs anyway with 1,000 notes (no stat walk: the content watch; the tree and its HTML kept)"))
    added = [(a - w) / b for a, w, b in zip(d["runs"], d["warm"], d["parses"]) if b]
    results.add(Row(S, "what the edit adds / parse of that note", [], unit="×",
                    value=statistics.median(added) if added else None, n=len(added),
                    note=f"(edit run - {warm.name}) / parse: the edit's own cost"))
    ix = d.get("indexing") or {}
    if ix:
        whole = results.add(Row(S, "indexing after an edit: its group's shard built whole (before)", ix["whole"],
                                cpu_samples=ix["whole"], note="CPU of an indexer (no thread) bringing search, glossary "
                                "and note backlinks and the cards' notes up to date after one edit; the 64-note group rebuilt"))
        patched = results.add(Row(S, "indexing after an edit: the group's shard patched (the app)", ix["patched"],
                                  cpu_samples=ix["patched"], baseline=whole.key,
                                  note="the group's shard with the note's old records masked out, plus a shard of the note"))
        med = statistics.median(ix["patched"])
        results.add(Row(S, "indexing after an edit / parse of that note", [], unit="×",
                        value=med / statistics.median(d["parses"]) if d["parses"] else None, n=len(ix["patched"]),
                        note=f"{patched.name}: the work the background thread does for one edit, in parses of that note"))


async def _server_cpu(reps: int) -> dict:
    """On a real server (``streamlit run``, websocket session) with the 1,000-note vault: the server's CPU for a Notes
    page run with nothing edited and for the run right after an edit of the note it shows; a hello-world app's
    rerun on its own server; the parse of the edited note in this process.  /proc counts CPU in 10 ms ticks, so
    each figure is the mean over ``reps`` runs (rounding errors average out), never a median."""
    import asyncio

    from explorer.content.loader import load_content
    from explorer.notes.note import parse_note

    from .driver import Driver
    from .load import Visit, _until_quiet, cpu_seconds
    from .server import Server
    from .vault_probe import write_edit

    root = vault_root(1000)
    content = load_content(root, parse_all=False)
    vault = sorted((n for n in content.notes if n.path.startswith("vault/")), key=lambda n: len(n.text))
    note = vault[len(vault) // 2]  # the median note, as in the AppTest rows
    path = root / "notes" / note.path
    text = path.read_text(encoding="utf-8")
    out: dict[str, list[float]] = {"hello": [], "warm": [], "edit": [], "parse": []}
    with Server(ROOT / "bench" / "apps" / "hello.py", log_name="vault-hello") as srv:
        srv.wait_healthy()
        d = Driver(srv)
        await d.connect()
        for _ in range(3):
            await d.go(Visit(""))
        await _until_quiet(srv, window=1.0)
        for _ in range(reps):
            c0 = cpu_seconds(srv.pid)
            await d.go(Visit(""))
            out["hello"].append(cpu_seconds(srv.pid) - c0)
        await d.close()
    with content_dir(root), Server(log_name="vault-edit") as srv:
        srv.wait_healthy()
        d = Driver(srv)
        await d.connect()
        visit = Visit("Notes", {"note": note.id})
        for _ in range(3):
            await d.go(visit)
        await _until_quiet(srv, window=1.0)
        try:
            for i in range(reps):
                c0 = cpu_seconds(srv.pid)
                await d.go(visit)
                out["warm"].append(cpu_seconds(srv.pid) - c0)
                await asyncio.sleep(0.2)
                new = text + f"\nServer edit {i}.\n"
                t = time.process_time()
                parse_note(new, path.name, path=note.path).sections  # noqa: B018  (the parse, as the app does it)
                out["parse"].append(time.process_time() - t)
                write_edit(path, new, i + 1)
                await asyncio.sleep(0.2)
                c0 = cpu_seconds(srv.pid)
                await d.go(visit)
                out["edit"].append(cpu_seconds(srv.pid) - c0)
                if f"Server edit {i}." not in d.text():
                    raise RuntimeError(f"edit {i} not shown on the next run")
                await asyncio.sleep(0.5)  # the indexer's share of the edit runs here, outside the measured runs
        finally:
            path.write_text(text, encoding="utf-8")
            await d.close()
    return out


def _server_edit(results: Results, reps: int) -> None:
    import asyncio

    try:
        d = asyncio.run(_server_cpu(reps))
        error = ""
    except Exception as exc:  # a failed measurement is a row with its error, never a crash of the bench
        d, error = {"hello": [], "warm": [], "edit": [], "parse": []}, f"{type(exc).__name__}: {exc}"[:300]
    mean = {k: statistics.mean(v) if v else None for k, v in d.items()}

    def add(name: str, key: str, note: str, **kw) -> Row:
        return results.add(Row(S, name, [], value=mean[key], n=len(d[key]), error=error, note=note, **kw))

    parse = add("server: parse of the edited note, CPU", "parse", "mean; the median note, in the bench's process")
    add("server: hello-world rerun, CPU", "hello", "mean over the runs; /proc ticks: what any Streamlit rerun costs at least")
    warm = add("server: Notes page run, nothing edited, CPU", "warm",
               "mean; the same note of the 1,000-note vault; the server's whole process (delta, protobuf, websocket)")
    edit = add("server: Notes page run after an edit, CPU", "edit", "mean; the run that shows the edited note")
    if mean["parse"] and mean["warm"] and mean["edit"]:
        results.add(Row(S, "server: edit run / parse", [], unit="×", value=mean["edit"] / mean["parse"], n=len(d["edit"]),
                        note=f"{edit.name} / {parse.name}"))
        results.add(Row(S, "server: page run, nothing edited / parse", [], unit="×", value=mean["warm"] / mean["parse"],
                        n=len(d["warm"]), note=f"{warm.name} / {parse.name}: the part of the edit run no edit causes"))
        results.add(Row(S, "server: what the edit adds / parse", [], unit="×",
                        value=(mean["edit"] - mean["warm"]) / mean["parse"], n=len(d["edit"]),
                        note="(edit run - page run) / parse: the note's re-read, parse, draw and patched index"))


def _coldstart(results: Results, reps: int) -> None:
    from .coldstart import CHROMIUM, chromium_available, expected_home_charts, measure_once

    if not chromium_available():
        results.add(Row(S, "coldstart skipped", [], error=f"no Chromium at {CHROMIUM}"))
        return
    from playwright.sync_api import sync_playwright

    charts = expected_home_charts()
    roots = {"shipped notes": vault_root(0), "1,000-note vault": vault_root(1000)}
    data: dict[str, list[float]] = {k: [] for k in roots}
    errors: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
        try:
            for _ in range(reps):  # interleaved, so machine noise hits both alike
                for label, root in roots.items():
                    with content_dir(root):
                        try:
                            m = measure_once(browser, ROOT / "app.py", charts, None)
                            data[label].append(m["rendered"])
                        except Exception as exc:
                            errors.append(f"{label}: {type(exc).__name__}: {exc}"[:200])
        finally:
            browser.close()
    base = results.add(Row(S, "fresh server to home drawn: shipped notes", data["shipped notes"], note="Popen to fully rendered in Chromium"))
    row = results.add(Row(S, "fresh server to home drawn: 1,000-note vault", data["1,000-note vault"], baseline=base.key,
                          error="; ".join(errors)))
    pairs = [a / b for a, b in zip(data["1,000-note vault"], data["shipped notes"]) if b]
    results.add(Row(S, "home drawn, vault / shipped", [], unit="×", value=statistics.median(pairs) if pairs else None,
                    n=len(pairs), goal=Goal("value", "<=", 1.5, "<= 1.5"), note=f"per-repetition ratios of {row.name}"))


def run_vault(results: Results, *, quick: bool = False, sessions: int = 50, seconds: float = 30.0) -> None:
    _scale(results, [10, 100, 1000] if quick else [10, 100, 1000, 5000])
    _open(results, 5 if quick else 15)
    _edit(results, 3 if quick else 8)
    _server_edit(results, 10 if quick else 40)
    _coldstart(results, 1 if quick else 3)
    from .load import run_load

    with content_dir(vault_root(1000)):
        run_load(results, sessions=sessions, seconds=seconds, label="1,000-note vault")
