"""Section ``diagrams``: a note with 15 Mermaid diagrams in Chromium (#23): its text is drawn before its diagrams.

A copy of content/ gets two notes with the same 16 paragraphs: one with 15 ```` ```mermaid ```` diagrams between
them (flowchart, sequence, class, state and gantt, three of each), the other with the same sources as plain
code blocks (the baseline: what a note of that length costs to draw as text only).  On a warm server, each
repetition opens one note in a fresh browser context (empty cache: Streamlit's Mermaid bundle is fetched
again), alternating the two.  A script in the page records, from navigation start:

* **text drawn**: the note's last paragraph is in the document (every text chunk of the note is there);
* **diagrams drawn**: all 15 diagrams are decoded images of a size.

Also the reader's folder tree of 1,000 notes (pure Python): built, drawn as its one HTML block, filtered.

Rows: both times for the diagram note, the text time of the code-block note, and two ratios: text drawn /
diagrams drawn (goal < 1: the text comes first) and text drawn with diagrams / without (what splitting the
note at its diagrams costs the text).  The server's render of the note is part of both notes' text time.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from .common import ROOT, Goal, Results, Row
from .server import Server

CHROMIUM = os.environ.get("BENCH_CHROMIUM", "/usr/bin/chromium")
KINDS = {
    "flowchart": "flowchart LR\n  a{i}[Ingest {i}] --> b{i}{{Valid?}}\n  b{i} -->|yes| c{i}[Train]\n  b{i} -->|no| d{i}[Alert]\n  c{i} --> e{i}[(Registry)]",
    "sequence": "sequenceDiagram\n  participant S as Scheduler {i}\n  participant T as Trainer\n  S->>T: start run {i}\n  T-->>S: done",
    "class": "classDiagram\n  class Server{i} {{\n    +predict(x)\n  }}\n  class Store{i} {{\n    +read(id)\n  }}\n  Server{i} --> Store{i} : reads",
    "state": "stateDiagram-v2\n  [*] --> Candidate{i}\n  Candidate{i} --> Staging\n  Staging --> Production\n  Production --> [*]",
    "gantt": "gantt\n  title Roll-out {i}\n  dateFormat YYYY-MM-DD\n  section Shadow\n  Shadow :a1, 2026-01-05, 7d\n  section Canary\n  Canary :a2, after a1, 5d",
}
LAST = "The last paragraph of the note, drawn when every text chunk is in the page."
_PROBE = """
((LAST) => {
  const marks = {};
  window.__diagramMarks = marks;
  const check = () => {
    const body = [...document.querySelectorAll("[data-testid='stMain'] .note-body")];
    if (marks.text === undefined && body.some(b => b.textContent.includes(LAST))) marks.text = performance.now();
    const imgs = [...document.querySelectorAll("[data-testid='stMermaidChart'] img")];
    if (marks.diagrams === undefined && imgs.length >= 15 && imgs.every(i => i.complete && i.naturalWidth > 0))
      marks.diagrams = performance.now();
    if (marks.text === undefined || (window.__wantDiagrams && marks.diagrams === undefined)) requestAnimationFrame(check);
  };
  requestAnimationFrame(check);
})(""" + json.dumps(LAST) + ");\n"


def diagram_note(n: int = 15, *, as_code: bool = False) -> str:
    """A note of 16 paragraphs with ``n`` diagrams between them (or the same sources as plain code blocks)."""
    kinds = list(KINDS)
    parts = ["# Fifteen diagrams" + (" as code" if as_code else ""), ""]
    for i in range(n):
        parts += [f"Paragraph {i + 1} explains the step drawn below it, in a sentence or two of plain text.", ""]
        src = KINDS[kinds[i % len(kinds)]].format(i=i)
        parts += ["```" + ("text" if as_code else "mermaid"), src, "```", ""]
    parts += [LAST, ""]
    return "\n".join(parts)


def _one(browser, url: str, want_diagrams: bool, timeout_ms: float = 60_000) -> dict:
    ctx = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = ctx.new_page()
        page.add_init_script(f"window.__wantDiagrams = {str(want_diagrams).lower()};" + _PROBE)
        page.goto(url, wait_until="domcontentloaded")
        cond = "m => m && m.text !== undefined" + (" && m.diagrams !== undefined" if want_diagrams else "")
        page.wait_for_function(f"() => ({cond})(window.__diagramMarks)", polling=100, timeout=timeout_ms)
        return page.evaluate("() => window.__diagramMarks")
    finally:
        ctx.close()


def run_tree(results: Results, *, n: int = 15, notes: int = 1000) -> None:
    """The reader's folder tree of ``notes`` notes in 3 levels of folders: built (cold: names not seen yet) and
    drawn as HTML, against ``sorted()`` of their paths."""
    from types import SimpleNamespace

    from explorer.notes.tree import branch_of, build_tree, filter_tree, natural_key
    from ui.note_tree_view import tree_html

    vault = [SimpleNamespace(id=f"n{i}", title=f"Lecture note {i}", path=f"Course/Part {i // 100}/Lecture {i // 10}/L{i}.md",
                             week=None, order=10_000, source="content", summary="", known_sections=lambda: ())
             for i in range(notes)]
    build, draw, filt, base = [], [], [], []
    for _ in range(n):
        natural_key.cache_clear()
        t = time.perf_counter()
        tree = build_tree(vault)
        build.append(time.perf_counter() - t)
        t = time.perf_counter()
        tree_html(tree, "n555", {}, set(branch_of(tree, "n555")))
        draw.append(time.perf_counter() - t)
        t = time.perf_counter()
        filter_tree(tree, "lecture 5")
        filt.append(time.perf_counter() - t)
        t = time.perf_counter()
        sorted(x.path for x in vault)
        base.append(time.perf_counter() - t)
    b = results.add(Row("diagrams", f"tree baseline: sorted() of {notes:,} paths", base))
    results.add(Row("diagrams", f"tree of {notes:,} notes: built (names not seen before)", build, baseline=b.key))
    results.add(Row("diagrams", f"tree of {notes:,} notes: drawn as one HTML block", draw, baseline=b.key))
    results.add(Row("diagrams", f"tree of {notes:,} notes: filtered (two words)", filt, baseline=b.key))


def run_diagrams(results: Results, *, reps: int = 5, warm: bool = True) -> None:
    """``warm=False`` (the test suite's smoke run) skips the two warm-up visits: the timings then include the
    server's first run of the page, which only a smoke run may accept."""
    from playwright.sync_api import sync_playwright

    run_tree(results, n=3 if reps < 3 else 15)

    tmp = Path(tempfile.mkdtemp(prefix="bench-diagrams-"))
    content = tmp / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "notes" / "fifteen-diagrams.md").write_text(diagram_note(), encoding="utf-8")
    (content / "notes" / "fifteen-as-code.md").write_text(diagram_note(as_code=True), encoding="utf-8")
    old = os.environ.get("EXPLORER_CONTENT_DIR")
    os.environ["EXPLORER_CONTENT_DIR"] = str(content)
    try:
        with Server(log_name="diagrams") as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--disable-gpu"])
            with_d, without = f"{server.url}/Notes?note=fifteen-diagrams", f"{server.url}/Notes?note=fifteen-as-code"
            if warm:
                _one(browser, with_d, True)  # warm: the server's first run of the page and both renders
                _one(browser, without, False)
            text, drawn, base = [], [], []
            for _ in range(reps):
                m = _one(browser, with_d, True)
                text.append(m["text"] / 1000)
                drawn.append(m["diagrams"] / 1000)
                base.append(_one(browser, without, False)["text"] / 1000)
            browser.close()
    finally:
        if old is None:
            os.environ.pop("EXPLORER_CONTENT_DIR", None)
        else:
            os.environ["EXPLORER_CONTENT_DIR"] = old
        shutil.rmtree(tmp, ignore_errors=True)
    note = "fresh browser context per visit, warm server; from navigation start"
    b = results.add(Row("diagrams", "baseline: the same note with its 15 sources as code blocks, text drawn", base, note=note))
    results.add(Row("diagrams", "15 diagrams: text drawn", text, note=note, baseline=b.key))
    results.add(Row("diagrams", "15 diagrams: all diagrams drawn", drawn, note=note, baseline=b.key))
    ratios = [t / d for t, d in zip(text, drawn)]
    results.add(Row("diagrams", "  text drawn / diagrams drawn (per visit)", [], unit="x", value=round(statistics.median(ratios), 2),
                    lo=round(min(ratios), 2), hi=round(max(ratios), 2), n=len(ratios),
                    goal=Goal("value", "<", 1.0, "< 1: the text first"),
                    note="the note's text is readable before its diagrams finish"))
    results.add(Row("diagrams", "  text drawn with diagrams / as code blocks", [], unit="x",
                    value=round(statistics.median(text) / statistics.median(base), 2),
                    note="what cutting the note at its diagrams costs its text"))
