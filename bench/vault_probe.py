"""One measurement of a content folder in a fresh process (``python -m bench.vault_probe MODE``), printed as JSON.

The folder is ``EXPLORER_CONTENT_DIR`` (set by :mod:`bench.vault_bench` before this process starts, so
the app's modules see it at import).  Modes:

``scale``  lazy load (heads only), resident memory, the whole index built, memory again, search queries;
``open``   the Notes page (AppTest, with the app's own indexer thread running) opened on notes never opened
           before: the first visit of each; the shipped notes' first visits are the baseline;
``edit``   one note edited while the app runs: the next Notes page run on it, against one parse of that note.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

QUERIES = ("feature store", "kubernetes drift", "kubernets", "registy", "\"canary release\"", "pipeline", "gpu quota")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def write_edit(path: Path, text: str, step: int) -> None:
    """Write an edit of a note and move its mtime ``step`` ms ahead (two writes in one clock tick must differ)."""
    path.write_text(text, encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + step * 1_000_000))


def scale() -> dict:
    import gc

    import explorer.notes.search  # noqa: F401  (imported by the app at start too: not part of the vault's cost)
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content
    from explorer.notes.indexer import Indexer
    from explorer.notes.note import parse_count

    gc.collect()
    r0 = rss_mb()
    t = time.perf_counter()
    content = load_content(CONTENT_DIR, parse_all=False)
    load_s = time.perf_counter() - t
    gc.collect()
    r_load = rss_mb()
    parses = parse_count()
    ix = Indexer()
    t = time.perf_counter()
    ix.follow(content)
    ix.run_until_idle()
    index_s = time.perf_counter() - t
    gc.collect()
    index = ix.search_index(content)
    searches = []
    for _ in range(5):
        for q in QUERIES:
            t = time.perf_counter()
            index.search(q)
            searches.append(time.perf_counter() - t)
    searches.sort()
    return {"notes": len(content.notes), "bytes": sum(len(n.text) for n in content.notes), "load_s": load_s,
            "parses_at_load": parses, "index_s": index_s, "rss_start": r0, "rss_loaded": r_load, "rss_indexed": rss_mb(),
            "search_p50": statistics.median(searches), "search_p95": searches[int(len(searches) * 0.95) - 1]}


def _quiet() -> None:
    from bench.common import quiet_streamlit

    quiet_streamlit()


def open_notes(k: int) -> dict:
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content
    from tests.apptest_util import open_page

    _quiet()
    content = load_content(CONTENT_DIR, parse_all=False)
    vault = [n for n in content.notes if n.path.startswith("vault/")]
    shipped = [n for n in content.notes if not n.path.startswith("vault/")]
    at = open_page("pages/1_Notes.py", {"note": shipped[0].id})  # the process's first page: content, imports
    at.run()  # and a warm rerun
    rng = random.Random(7)
    picks = rng.sample(vault, min(k, len(vault))) if vault else []
    if vault:
        picks.append(max(vault, key=lambda n: len(n.text)))
    out: dict[str, list] = {"vault": [], "shipped": [], "errors": []}
    for label, notes in (("shipped", shipped[1:]), ("vault", picks)):
        for n in notes:  # one session moving to a note it never opened: the note's first visit on this server
            at.query_params["note"] = n.id
            t = time.perf_counter()
            at.run()
            out[label].append(time.perf_counter() - t)
            if at.exception:
                out["errors"].append(str(at.exception[0].value)[:200])
    out["largest_kb"] = max((len(n.text) for n in picks), default=0) / 1000
    return out


def edit(reps: int) -> dict:
    from explorer import CONTENT_DIR
    from explorer.content.loader import NOTE_FILES, content_stamp
    from explorer.content.watch import watch_for
    from explorer.notes.note import parse_note
    from tests.apptest_util import open_page
    from ui.caches import get_content, indexer

    _quiet()
    at = open_page("pages/1_Notes.py")
    content = get_content()
    ix = indexer()
    ix.follow(content)
    ix.run_until_idle()  # help the app's thread finish: the edit is measured on an indexed vault
    vault = [n for n in content.notes if n.path.startswith("vault/")] or list(content.notes)
    note = sorted(vault, key=lambda n: len(n.text))[len(vault) // 2]  # a median-sized note
    path = Path(CONTENT_DIR) / "notes" / note.path
    text = path.read_text(encoding="utf-8")
    at.query_params["note"] = note.id
    at.run()
    runs, parses, errors, warm = [], [], [], []
    watch = watch_for(CONTENT_DIR, content_stamp)
    walks, stats, reads = watch.walks, watch.stats, NOTE_FILES.reads
    for i in range(reps):
        t = time.perf_counter()
        at.run()  # the same page without a change: what the page costs anyway
        warm.append(time.perf_counter() - t)
        t = time.perf_counter()
        parse_note(text + f"\nEdit {i}.\n", path.name, path=note.path)
        parses.append(time.perf_counter() - t)
        write_edit(path, text + f"\nEdit {i}.\n", i + 1)
        t = time.perf_counter()
        at.run()
        runs.append(time.perf_counter() - t)
        if at.exception:
            errors.append(str(at.exception[0].value)[:200])
        if f"Edit {i}." not in "".join(str(h.proto.body) for h in at.get("html")):
            errors.append(f"edit {i} not shown on the next run")
    counted = {"walks": watch.walks - walks, "stats": watch.stats - stats, "reads": NOTE_FILES.reads - reads}
    indexing = {label: index_edits(path, text, reps, compact_at) for label, compact_at in (("patched", None), ("whole", 0))}
    path.write_text(text, encoding="utf-8")
    return {"runs": runs, "parses": parses, "warm": warm, "note_kb": len(text) / 1000, "errors": errors[:5], "counted": counted,
            "indexing": indexing}


def index_edits(path: Path, text: str, reps: int, compact_at: int | None) -> list[float]:
    """CPU seconds an indexer spends after each edit of ``path`` to have every derived index current again (the
    search shards, glossary and note backlinks, the study cards' notes), readers included.  A second indexer, run
    in this thread: ``compact_at=0`` builds the edited note's group whole each time (the way before patching)."""
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content
    from explorer.notes.indexer import COMPACT_AT, Indexer

    ix = Indexer(compact_at=COMPACT_AT if compact_at is None else compact_at)

    def current(content) -> None:
        ix.follow(content)
        ix.run_until_idle()
        ix.search_index(content), ix.glossary_backlinks(content), ix.note_backlinks(content), ix.indexed_notes(content)

    current(load_content(CONTENT_DIR, parse_all=False))
    out = []
    for i in range(reps):
        write_edit(path, text + f"\nIndexed edit {i}.\n", 100 + i)
        content = load_content(CONTENT_DIR, parse_all=False)
        t = time.process_time()
        current(content)
        out.append(time.process_time() - t)
    return out


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    mode = sys.argv[1]
    arg = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    result = {"scale": scale, "open": lambda: open_notes(arg), "edit": lambda: edit(arg)}[mode]()
    print("PROBE " + json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
