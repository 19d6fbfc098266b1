"""Section ``notes``: the Markdown engine and the notes reader (issue #9).

* cold render of an 87 kB note with 65 code blocks (``tests/fixtures/notes/docker-kubernetes-long.md``):
  one parse (front matter, sections, search text, cards) plus the HTML of the whole note (Pygments,
  sanitiser), on a fresh Note each sample; baseline: markdown-it's plain CommonMark ``render()`` of
  the same text, timed alternately;
* warm rerun of the Notes page showing that note (AppTest from app.py); baseline: a hello-world
  page, timed alternately;
* the live-notes check each page run pays (one ``stat`` per content file, and the cached content
  looked up); baseline: one ``os.stat``;
* hostile input at 50, 100 and 200 kB (nested brackets and emphasis, unclosed tags, comments and
  autolinks, an HTML block of unclosed tags, deep lists): parse + render; each row's ratio is against the same input at 50 kB,
  so a linear engine shows x2 and x4.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .common import ROOT, Results, Row, ms_goal, quiet_streamlit, timed_cpu

LONG_NOTE = ROOT / "tests" / "fixtures" / "notes" / "docker-kubernetes-long.md"
COLD_GOAL_MS = 150
WARM_GOAL_MS = 25
LIVE_GOAL_MS = 1

HOSTILE = {
    "nested brackets": "[",
    "brackets and emphasis": "[*_",
    "unclosed links": "[a](",
    "unclosed tags": "<a ",
    "unclosed autolinks": "<http://",
    "emphasis": "*a ",
    "deep list on one line": "- ",
    "unclosed comments": "<!--",
    "an HTML block of unclosed tags": "<div\n<a id=x ",
}


def _paired(fn, base, n: int) -> tuple[list[float], list[float], list[float]]:
    """``fn`` and ``base`` timed alternately (same machine load); returns fn wall, fn CPU, base wall."""
    import time

    walls, cpus, bases = [], [], []
    fn()
    base()
    for _ in range(n):
        t0 = time.perf_counter()
        base()
        bases.append(time.perf_counter() - t0)
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return walls, cpus, bases


def run_notes(results: Results, *, n: int = 15, reruns: int = 20, hostile_n: int = 3) -> None:
    from markdown_it import MarkdownIt

    from explorer.notes.note import parse_note
    from explorer.notes.render import render_note

    text = LONG_NOTE.read_text(encoding="utf-8")
    kb = len(text.encode()) / 1000
    blocks = text.count("```") // 2
    plain = MarkdownIt("commonmark")
    walls, cpus, bases = _paired(lambda: render_note(parse_note(text, LONG_NOTE.name)), lambda: plain.render(text), n)
    base = results.add(Row("notes", "baseline: markdown-it CommonMark render, no plugins", bases, note=f"{kb:.0f} kB"))
    results.add(Row("notes", f"cold render: {kb:.0f} kB note, {blocks} code blocks (parse + HTML)", walls, cpu_samples=cpus,
                    baseline=base.key, goal=ms_goal(COLD_GOAL_MS), note="fresh note each sample; lexers loaded"))
    note = parse_note(text, LONG_NOTE.name)
    walls, cpus, _ = _paired(lambda: parse_note(text, LONG_NOTE.name), lambda: None, n)
    results.add(Row("notes", "  of which: the one parse (sections, text, cards)", walls, cpu_samples=cpus, baseline=base.key))
    walls, cpus, _ = _paired(lambda: render_note(note), lambda: None, n)
    results.add(Row("notes", "  of which: HTML of the whole note (Pygments, sanitiser)", walls, cpu_samples=cpus, baseline=base.key))

    _warm_rerun(results, reruns)
    _live_check(results, n * 20)
    _hostile(results, hostile_n)


def _warm_rerun(results: Results, reruns: int) -> None:
    quiet_streamlit()
    import streamlit as st

    import ui.caches
    from bench.apptest_bench import Paired, exceptions
    from tests.apptest_util import open_page

    tmp = Path(tempfile.mkdtemp(prefix="bench-notes-"))
    try:
        content = tmp / "content"
        shutil.copytree(ROOT / "content", content)
        shutil.copy(LONG_NOTE, content / "notes" / LONG_NOTE.name)
        saved = ui.caches.CONTENT_DIR
        ui.caches.CONTENT_DIR = content
        st.cache_resource.clear()
        try:
            paired = Paired(results, reruns)
            for params, label in (({"note": "docker-kubernetes-long"}, "whole note"),
                                  ({"note": "docker-kubernetes-long", "section": "5-compose-for-local-stacks"}, "one chapter")):
                at = open_page("pages/1_Notes.py", params)
                errors = exceptions(at)
                paired.take()
                samples, cpu, _ = timed_cpu(at.run, reruns, warmup=2, between=paired.once)
                results.add(Row("notes", f"Notes page warm rerun, 87 kB note ({label})", samples, cpu_samples=cpu,
                                baseline=paired.row.key, base_samples=paired.take(), goal=ms_goal(WARM_GOAL_MS),
                                error="; ".join(errors)[:200]))
        finally:
            ui.caches.CONTENT_DIR = saved
            st.cache_resource.clear()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _live_check(results: Results, n: int) -> None:
    quiet_streamlit()
    from explorer import CONTENT_DIR
    from explorer.content.loader import content_stamp
    from ui.caches import get_content

    one = next(CONTENT_DIR.rglob("*.md"))
    samples, cpu, _ = timed_cpu(lambda: os.stat(one), n, warmup=5)
    base = results.add(Row("notes", "baseline: one os.stat", samples, cpu_samples=cpu))
    files = len(content_stamp(CONTENT_DIR))
    samples, cpu, _ = timed_cpu(lambda: content_stamp(CONTENT_DIR), n, warmup=5)
    results.add(Row("notes", f"live notes: stat every content file ({files} files)", samples, cpu_samples=cpu, baseline=base.key))
    get_content()
    samples, cpu, _ = timed_cpu(get_content, n, warmup=5)
    results.add(Row("notes", "live notes: the check each page run pays (stat + cached content)", samples, cpu_samples=cpu,
                    baseline=base.key, goal=ms_goal(LIVE_GOAL_MS), note="no file changed: nothing is parsed again"))


def _hostile(results: Results, n: int) -> None:
    from explorer.notes.note import parse_note
    from explorer.notes.render import render_note

    for label, unit in HOSTILE.items():
        first = None
        for kb in (50, 100, 200):
            text = unit * (kb * 1000 // len(unit)) + ("x" if label.startswith("deep") else "")
            samples, cpu, _ = timed_cpu(lambda t=text: render_note(parse_note(t, "h.md")), n, warmup=0)
            row = results.add(Row("notes", f"hostile {label}: {kb} kB (parse + render)", samples, cpu_samples=cpu,
                                  baseline=first.key if first else None,
                                  note="linear: x2 at 100 kB, x4 at 200 kB" if first else ""))
            first = first or row
