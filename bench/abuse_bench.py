"""Section ``abuse``: the worst case of every action a visitor can send, at the shipped limits (issue #20).

Each action runs against a real ``streamlit run`` server over its websocket, as a browser sends it
(``bench/load.py``'s protocol; widget values and the browser store's report are sent as the browser
does, the files through the uploader's HTTP PUT), from a session of its own:

- **upload** 20 files of 200 kB in hostile shapes (8,000 headings, nested brackets, a wide table,
  emphasis, a deep list): the session's 2 MB takes 10 of them, the rest are refused with a message
  (an upload reads each note's head only; a note is parsed when it is opened);
- **open** an uploaded note just under the parse budget (the costliest note still laid out in full);
- **import** a ``.zip`` at the import's limits (20 notes in folders, the session's images total);
- **mark-all** on an uploaded note with the most headings the parse budget still lays out (the "Mark these
  N sections as read" box; a note of 8,000 headings is over the budget and shown as plain text);
- **import** of a progress file at the store's 5 MB cap (Study page);
- **restore** from the browser at the cap: a progress text of 5 MB listing 30 notes of 200 kB
  in hostile shapes, with their texts as store.js sends them on a page's first run (texts up to its
  ``MAX_SENT_BLOB_CHARS`` in all, the rest named in ``omitted``: :func:`store_js_blobs`);
- **restore** of 20 notes whose first block is a table just under the parse budget (each note's head is
  read at a restore: from the block's first lines, not a parse of the whole table);
- **workshop paste** of the most links one paste reads (120 long share links with notes and names);
- a **share link** and a **plan code** at their maximum length (Self-assessment page);
- the **search** of the longest query (200 characters, 12 terms) in a session holding 2 MB of uploads.

Rows: the server's CPU for each action (``/proc/<pid>/stat`` around the page run the action causes,
nothing else running; goal <= 1 s), against a warm rerun of the Notes page measured the same way; and
another session's Glossary page while the action runs again and again, against the same page measured
right before (paired; goal: at most twice its unloaded time).  The attacking client runs in a process of
its own, as another visitor's browser does: sharing the victim's event loop, its own serialising of a 10 MB
report and reading of the large pages it gets back were counted in the victim's page time (the runs
before 2026-12-06's fourth session did so).
"""

from __future__ import annotations

import asyncio
import multiprocessing
import statistics
import time
import uuid
from dataclasses import dataclass

from .abuse_inputs import (  # noqa: F401 - tests import the inputs from here too
    SHAPES,
    Inputs,
    hostile_note,
    longest_plan_code,
    longest_query,
    store_js_blobs,
    under_budget,
)
from .common import Goal, Results, Row, ms_goal
from .driver import Driver
from .load import Session, Visit, cpu_seconds
from .server import Server

SECTION = "abuse"
CPU_GOAL_MS = 1000
VICTIM = Visit("Glossary")
CONTENTION_GOAL = 2.0


# --------------------------------------------------------------------------- the actions
class Attack:
    """One action: ``prepare`` (untimed: a fresh session brought to the page), then ``act`` (the page run
    the action causes: timed for CPU).  A ``repeatable`` action can be sent again by the same session
    (while another session's page is timed, it is, so that its preparation does not count as load);
    the others need a fresh session each time."""

    def __init__(self, name: str, prepare, act, size=lambda: "", *, repeatable: bool = False) -> None:
        self.name, self.prepare, self.act, self.size, self.repeatable = name, prepare, act, size, repeatable


def attacks(data: Inputs) -> list[Attack]:
    notes_visit = Visit("Notes")

    async def open_notes(d: Driver):
        await d.go(notes_visit)
        return d

    async def do_upload(d: Driver):
        await d.upload(d.find("file_uploader", key="note_uploads"), data.uploads)
        await d.go(notes_visit)
        over = sum(len(b) for _, b in data.uploads) > data.limits.session_bytes
        d.expect("Your uploads", *(["not added"] if over else []))  # beyond the limits: refused with a message

    async def open_big_note(d: Driver):
        await d.go(notes_visit)
        await d.upload(d.find("file_uploader", key="note_uploads"), [("most-headings.md", data.headings)])
        await d.go(notes_visit)
        await d.go(Visit("Notes", {"note": "upload-most-headings"}))
        return d

    async def do_mark_all(d: Driver):
        box = next(p for k, p in d.elements if k == "checkbox" and "read::upload-most-headings::" in p.id)
        d.set(box, bool_value=True)
        await d.go(Visit("Notes", {"note": "upload-most-headings"}))
        d.expect("class=\"nav-badge\"")  # the note now shows its sections read in the list

    async def upload_heavy(d: Driver):
        await d.go(notes_visit)
        await d.upload(d.find("file_uploader", key="note_uploads"), [("heavy.md", data.heavy_note)])
        await d.go(notes_visit)
        return d

    async def do_open_heavy(d: Driver):
        await d.go(Visit("Notes", {"note": "upload-heavy"}))
        d.expect("<table")  # laid out in full: it is under the parse budget

    async def do_import_zip(d: Driver):
        await d.upload(d.find("file_uploader", key="vault_zip"), [("vault.zip", data.vault)])
        await d.go(notes_visit)
        d.expect("Imported 20 notes")

    async def open_progress(d: Driver):
        await d.go(Visit("Study", {"tab": "progress"}))
        return d

    async def do_import(d: Driver):
        await d.upload(d.find("file_uploader", key="progress_upload"), [("progress.json", data.progress)])
        await d.go(Visit("Study", {"tab": "progress"}))
        d.expect("Loaded progress.json")

    def snapshot(d: Driver, text: str, blobs: dict[str, str]):
        sent, omitted = store_js_blobs(blobs)
        value = {"sid": d.store_sid(), "i": uuid.uuid4().hex[:8], "settled": 0, "msgs": [
            {"kind": "snapshot", "n": 1, "reason": "restore", "rev": "r1", "text": text, "notice": None,
             "external": False, "blobs": sent, "idb": True, **({"omitted": omitted} if omitted else {})}]}
        return d.report(value)

    async def do_restore(d: Driver):
        await d.go(notes_visit, [snapshot(d, data.restore_text, data.restore_blobs)])
        d.expect("Your uploads", "notes kept in this browser were not restored")

    async def do_restore_tables(d: Driver):
        await d.go(notes_visit, [snapshot(d, data.table_text, data.table_blobs)])
        d.expect("Your uploads", "upload-table-19")

    async def open_workshop(d: Driver):
        await d.go(Visit("Workshop"))
        return d

    async def do_paste(d: Driver):
        d.set(d.find("text_area", key="ws_paste"), string_value=data.paste)
        await d.go(Visit("Workshop"), [d.trigger(d.find("button", label="Combine"), trigger_value=True)])
        d.expect(f"The team: {min(data.paste_n, data.limits.workshop_members)} answer set")

    async def open_assessment(d: Driver):
        await d.go(Visit("Self_Assessment"))
        return d

    async def do_share(d: Driver):
        await d.go(Visit("Self_Assessment", {"a": data.share}))
        d.expect("Participant 00003 of the workshop")  # the result of the link, with its name

    async def do_plan(d: Driver):
        await d.go(Visit("Self_Assessment", {"a": data.share, "plan": data.plan}))

    async def with_uploads(d: Driver):
        await d.go(notes_visit)
        await d.upload(d.find("file_uploader", key="note_uploads"), data.uploads[:10])
        await d.go(notes_visit)
        await d.go(Visit("Search"))
        return d

    async def do_search(d: Driver):
        await d.go(Visit("Search", {"q": data.query}))
        d.expect("result")

    return [
        Attack("upload 20 files of 200 kB, hostile shapes (10 fit the session's 2 MB)", open_notes, do_upload),
        Attack("mark-all on an uploaded note with the most headings the parse budget lays out", open_big_note,
               do_mark_all, lambda: f"{data.headings.count(b'## '):,} headings"),
        Attack("open an uploaded note just under the parse budget (a table)", upload_heavy, do_open_heavy,
               lambda: f"{len(data.heavy_note) // 1000} kB"),
        Attack("import a .zip at the limits (20 notes in folders, images up to the session's total)", open_notes,
               do_import_zip, lambda: f"{len(data.vault) / 1e6:.1f} MB"),
        Attack("import a progress file at the 5 MB cap", open_progress, do_import,
               lambda: f"{len(data.progress) / 1e6:.2f} MB"),
        Attack("restore from the browser: progress at the cap + 30 notes of 200 kB, hostile", open_notes, do_restore,
               lambda: f"progress {len(data.restore_text) / 1e6:.2f} MB"),
        Attack("restore from the browser: progress at the cap + 20 notes, each a table just under the parse budget",
               open_notes, do_restore_tables,
               lambda: f"progress {len(data.table_text) / 1e6:.2f} MB, notes {len(next(iter(data.table_blobs.values()))) // 1000} kB"),
        Attack(f"workshop paste of {data.paste_n} long share links", open_workshop, do_paste,
               lambda: f"{len(data.paste) // 1000} kB", repeatable=True),
        Attack("share link at its longest", open_assessment, do_share, lambda: f"{len(data.share)} characters",
               repeatable=True),
        Attack("plan code at its longest", open_assessment, do_plan, lambda: f"{len(data.plan)} characters",
               repeatable=True),
        Attack("search of the longest query with 2 MB of uploads", with_uploads, do_search,
               lambda: f"{len(data.query)} characters", repeatable=True),
    ]


# --------------------------------------------------------------------------- measuring
async def _action_cpu(server: Server, attack: Attack) -> tuple[float, float]:
    """(server CPU seconds, wall seconds) of one action in a fresh session, nothing else running."""
    d = Driver(server)
    await d.connect()
    try:
        await attack.prepare(d)
        await asyncio.sleep(0.05)
        c0 = cpu_seconds(server.pid)
        t0 = time.perf_counter()
        await attack.act(d)
        wall = time.perf_counter() - t0
        c1 = cpu_seconds(server.pid)
        return (c1 - c0) if c0 is not None and c1 is not None else float("nan"), wall
    finally:
        await d.close()


async def _baseline_cpu(server: Server) -> tuple[float, float]:
    d = Driver(server)
    await d.connect()
    try:
        await d.go(Visit("Notes"))
        await d.go(Visit("Notes"))
        c0, t0 = cpu_seconds(server.pid), time.perf_counter()
        await d.go(Visit("Notes"))
        return cpu_seconds(server.pid) - c0, time.perf_counter() - t0
    finally:
        await d.close()


async def _victim_times(victim: Session, n: int) -> list[float]:
    out = []
    for _ in range(n):
        r = await victim.run(VICTIM)
        if r.error:
            raise RuntimeError(f"victim: {r.error}")
        out.append(r.latency)
    return out


@dataclass(frozen=True)
class _Address:
    """Where the attacker connects (a bench Server is not sent to another process: it holds the server's pipes)."""

    url: str
    ws_url: str


def _attacker(address: _Address, inputs: tuple, conn, done) -> None:
    """The attacking client, a process of its own for the whole section (one start): for each action it is sent,
    it builds nothing new (the same inputs, made once), prepares, says so, waits for "go", then acts until "stop"."""
    by_name = {a.name: a for a in attacks(Inputs(*inputs))}

    async def one(attack: Attack) -> None:
        ready = None
        if attack.repeatable:
            ready = Driver(address)
            await ready.connect()
            await attack.prepare(ready)
        conn.send("prepared")
        await asyncio.to_thread(conn.recv)  # "go"
        while not conn.poll():  # until "stop"
            if ready is not None:
                await attack.act(ready)
            else:
                d = Driver(address)
                await d.connect()
                try:
                    await attack.prepare(d)
                    await attack.act(d)
                finally:
                    await d.close()
            with done.get_lock():
                done.value += 1
        conn.recv()
        if ready is not None:
            await ready.close()

    while (name := conn.recv()) is not None:
        try:
            asyncio.run(one(by_name[name]))
            conn.send("stopped")
        except Exception as exc:  # the parent names the action and the error
            conn.send(f"failed: {type(exc).__name__}: {exc}"[:300])


class _Attackers:
    """The attacker process (``spawn``: nothing of the parent's event loop or threads is inherited)."""

    def __init__(self, server: Server, inputs: tuple) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.done = ctx.Value("i", 0)
        self.proc = ctx.Process(target=_attacker, args=(_Address(server.url, server.ws_url), inputs, child, self.done),
                                daemon=True)
        self.proc.start()

    async def _recv(self, timeout: float = 300.0) -> str:
        if not await asyncio.to_thread(self.conn.poll, timeout):
            raise RuntimeError("the attacker process did not answer")
        return self.conn.recv()

    async def prepare(self, attack: Attack) -> None:
        self.done.value = 0
        self.conn.send(attack.name)
        got = await self._recv()
        if got != "prepared":
            raise RuntimeError(f"the attacker of {attack.name!r}: {got}")

    async def stop(self, attack: Attack) -> int:
        self.conn.send("stop")
        got = await self._recv()
        if got != "stopped":
            raise RuntimeError(f"the attacker of {attack.name!r}: {got}")
        return self.done.value

    def close(self) -> None:
        try:
            self.conn.send(None)
        except OSError:
            pass
        self.proc.join(30)
        if self.proc.is_alive():
            self.proc.kill()


async def _contention(victim: Session, attackers: _Attackers, attack: Attack, *, min_seconds: float, unloaded_n: int):
    """Another session's page times while ``attack`` runs again and again, and the same page just before.

    The attacker is a client process of its own, as another visitor's browser is: in the victim's event loop,
    its own work (serialising a 10 MB report, reading the large pages it gets back) would be counted in the
    victim's page time although the server is not involved."""
    await attackers.prepare(attack)
    unloaded = await _victim_times(victim, unloaded_n)
    attackers.conn.send("go")
    loaded: list[float] = []
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < min_seconds or len(loaded) < 3 or attackers.done.value == 0:
        loaded += await _victim_times(victim, 1)
        if not attackers.proc.is_alive() or time.perf_counter() - t0 > 300:
            break
    done = await attackers.stop(attack)
    return unloaded, loaded, done


def run_abuse(results: Results, *, samples: int = 3, contention_s: float = 4.0, paste_n: int | None = None,
              note_bytes: int | None = None, progress_bytes: int | None = None, only: list[str] | None = None,
              victim_n: int = 5) -> dict:
    """Every action (or those whose name contains one of ``only``).  ``paste_n`` links in the paste (default:
    the most one paste reads), notes of ``note_bytes`` and progress of ``progress_bytes`` (default: the
    limits) make a smaller run for tests, as do fewer unloaded runs of the other session's page before each
    action (``victim_n``, at least ``samples``)."""
    from explorer.limits import LIMITS

    inputs = (paste_n or LIMITS.paste_entries, note_bytes, progress_bytes)
    data = Inputs(*inputs)
    chosen = [a for a in attacks(data) if only is None or any(o in a.name for o in only)]
    info: dict = {"actions": {}, "contention": {}}
    flags = ["--server.enableXsrfProtection", "false"]
    with Server(flags=flags, log_name="abuse") as server:

        async def go() -> None:
            warm = Driver(server)  # imports and shared caches, once, as on a server that has been up a while
            await warm.connect()
            for v in (Visit("Notes"), VICTIM, Visit("Study", {"tab": "progress"}), Visit("Workshop"),
                      Visit("Self_Assessment"), Visit("Search", {"q": "drift"})):
                await warm.go(v)
            await warm.close()
            base = [await _baseline_cpu(server) for _ in range(max(3, samples))]
            info["baseline"] = base
            for attack in chosen:
                info["actions"][attack.name] = [await _action_cpu(server, attack) for _ in range(samples)]
            victim = Session(server)
            await victim.connect()
            await _victim_times(victim, 3)
            attackers = _Attackers(server, inputs)
            try:
                for attack in chosen:
                    info["contention"][attack.name] = await _contention(victim, attackers, attack, min_seconds=contention_s,
                                                                        unloaded_n=max(victim_n, samples))
            finally:
                attackers.close()
            await victim.close()

        asyncio.run(go())

    base_cpu = [c for c, _ in info["baseline"]]
    base_row = results.add(Row(SECTION, "baseline: server CPU of a warm Notes page rerun", base_cpu, cpu_samples=base_cpu,
                               note=f"wall {statistics.median(w for _, w in info['baseline']) * 1000:.0f} ms"))
    for attack in chosen:
        runs = info["actions"][attack.name]
        cpu = [c for c, _ in runs]
        size = attack.size()
        results.add(Row(SECTION, f"{attack.name}: server CPU", cpu, cpu_samples=cpu, baseline=base_row.key,
                        goal=ms_goal(CPU_GOAL_MS),
                        note=(f"{size}; " if size else "") + f"wall {statistics.median(w for _, w in runs) * 1000:.0f} ms"))
    all_unloaded = [t for u, _, _ in info["contention"].values() for t in u]
    victim_row = results.add(Row(SECTION, "baseline: another session's Glossary page, unloaded", all_unloaded,
                                 note="measured right before each action's runs below"))
    for attack in chosen:
        unloaded, loaded, done = info["contention"][attack.name]
        ratio = statistics.median(loaded) / statistics.median(unloaded)
        results.add(Row(SECTION, f"another session's Glossary page while: {attack.name}", loaded,
                        base_samples=unloaded, baseline=victim_row.key, note=f"{done} actions during {len(loaded)} page runs"))
        results.add(Row(SECTION, f"  ... its page time / unloaded ({attack.name.split(' (')[0]})", [], unit="x",
                        value=ratio, goal=Goal("value", "<=", CONTENTION_GOAL, f"<= x{CONTENTION_GOAL:g}"),
                        note=f"unloaded {statistics.median(unloaded) * 1000:.0f} ms, loaded {statistics.median(loaded) * 1000:.0f} ms"))
    return info
