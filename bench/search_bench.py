"""Section c: search index build and query times, on the shipped content and on 1,000 generated notes;
then a 1,000-note vault with typos, the curve to 5,000 notes and the typo lookup (:mod:`.search_vault_bench`).

Baseline: a plain ``str.lower().find`` scan over the same record texts (what a naive search
would do on every query), measured in the same run for the same query.
"""

from __future__ import annotations

import time

from .common import Results, Row, ms_goal, scan, timed

SHIPPED_GOAL_MS = 10
GENERATED_GOAL_MS = 100

# (label, query): one word, a prefix, two words, a quoted phrase, no hit
SHIPPED_QUERIES = [
    ("one word", "drift"),
    ("prefix", "retrain"),
    ("two words", "model registry"),
    ("quoted phrase", '"feature store"'),
    ("no hit", "zqxjvw"),
]
GENERATED_QUERIES = [
    ("one word", "drift"),
    ("prefix", "retrain"),
    ("two words", "drift monitoring"),
    ("quoted phrase", '"feature store"'),
    ("no hit", "zqxjvw"),
]


def _records(index) -> list:
    return [r for shard in index.shards for r in shard.records]


def _bench_corpus(results: Results, label: str, content, queries, goal_ms: float, *, builds: int, n: int) -> None:
    from explorer.notes.search import SearchIndex

    samples, _ = timed(lambda: SearchIndex.build(content), builds, warmup=0)
    index = SearchIndex.build(content)
    records = _records(index)
    texts = [f"{r.head}\n{r.body}" for r in records]
    chars = sum(len(t) for t in texts)
    results.add(Row("search", f"{label}: index build", samples, note=f"{len(records)} records, {chars / 1e6:.2f} M chars"))
    for qlabel, q in queries:
        base_name = f"{label}: baseline str.lower().find scan, {qlabel}"
        bs, _ = timed(lambda q=q: scan(texts, q), n, warmup=1)
        results.add(Row("search", base_name, bs, note=f"{scan(texts, q)} records match"))
        result = index.search(q, limit=60)
        qs, _ = timed(lambda q=q: index.search(q, limit=60), n, warmup=1)
        results.add(Row("search", f"{label}: query, {qlabel} {q}", qs, baseline=f"search/{base_name}", goal=ms_goal(goal_ms),
                        note=f"{result.total} hits"))


def _bench_uploads(results: Results, content, *, n: int) -> None:
    """The Search page builds one shard of this session's uploaded notes when they change (``ui.search_view``;
    it is added to the shared index on every rerun for free): what building it costs, by upload volume."""
    from explorer.notes.search import SearchIndex, generate_notes

    index = SearchIndex.build(content)
    for count, words in ((1, 90), (5, 400), (20, 1500)):
        notes = generate_notes(count, seed=3, sections=10, words_per_section=words)
        kb = sum(len(x.body) for x in notes) / 1000
        samples, _ = timed(lambda notes=notes: index.with_notes(notes), max(3, n // 3), warmup=1)
        results.add(Row("search", f"uploads: shard built when the uploads change, {count} note(s), {kb:.0f} kB", samples,
                        note="index.with_notes(uploads)"))


def run_search(results: Results, *, n: int = 30, builds: int = 5, generated: int = 1000, vault: int = 1000) -> None:
    from explorer import CONTENT_DIR
    from explorer.content.loader import load_content
    from explorer.notes.search import generated_content

    content = load_content(CONTENT_DIR)
    _bench_corpus(results, "shipped", content, SHIPPED_QUERIES, SHIPPED_GOAL_MS, builds=builds, n=n)
    _bench_uploads(results, content, n=n)
    t0 = time.perf_counter()
    gen = generated_content(generated)
    results.notes.append(f"search: generating {generated} notes took {time.perf_counter() - t0:.1f} s (not part of any timing)")
    _bench_corpus(results, f"{generated} notes", gen, GENERATED_QUERIES, GENERATED_GOAL_MS, builds=max(1, builds // 2), n=max(5, n // 2))
    from .search_vault_bench import run_search_vault

    run_search_vault(results, n=max(5, n // 2), size=vault)  # the vault, typos, the curve to 5,000 notes, the typo lookup
