"""Section search, part 2: a 1,000-note vault searched as the app searches it, typos included, the curve to
5,000 notes, and the typo lookup measured against its alternatives.

* **Vault.**  1,000 real-shaped notes from :mod:`explorer.notes.generated_vault` (about 16 MB, 18 folders),
  parsed once (not timed), indexed as the background indexer does: one shard per folder group of
  ``explorer.notes.indexer.GROUP_SIZE`` notes.  Each query of :data:`VAULT_QUERIES` is timed (wall and CPU)
  against the naive baseline of :mod:`.search_bench` (``str.lower().find`` over every record's text, same
  run).  The goal rows pool every query's samples: median <= 50 ms and p95 <= 100 ms, typos included.
* **Curve.**  The same query mix over 10, 100, 1,000 and 5,000 notes (5,000 = the 1,000 notes' records five
  times over under other keys: the same words, five times the postings and text, as parsing 80 MB of
  Markdown would take minutes); the growth row is (time at 5,000 / time at 1,000) / 5, at most 1 when the
  cost grows no faster than the vault.
* **Typo lookup.**  One typo looked up in vocabularies of 5,000 to 80,000 words (the vault's own words plus
  made-up ones): ``rapidfuzz`` over the words of the typo's length +- the edits (what the app does), over
  the whole list, and a pure-Python edit distance over the same length buckets (the baseline).
"""

from __future__ import annotations

import random
import statistics
from dataclasses import replace

from .common import Goal, Results, Row, ms_goal, scan, timed_cpu

VAULT_GOAL_MEDIAN_MS = 50
VAULT_GOAL_P95_MS = 100
VAULT_QUERIES = [
    ("one word", "drift"),
    ("prefix", "retrain"),
    ("two words", "drift monitoring"),
    ("quoted phrase", '"feature store"'),
    ("no hit", "zqxjvw"),
    ("typo", "kubernets"),
    ("typo and prefix", "featur store"),
    ("typo", "registy"),
    ("two typos", "drfit monitorng"),
    ("did you mean", "modle zqxjvw"),
]
CURVE = (10, 100, 1000, 5000)


def vault_records(n: int = 1000, seed: int = 0) -> list[list]:
    """The records of ``n`` generated vault notes, grouped as the background indexer groups them."""
    from explorer.notes.generated_vault import vault_files
    from explorer.notes.indexer import GROUP_SIZE
    from explorer.notes.note import parse_note
    from explorer.notes.search import note_records

    by_folder: dict[str, list] = {}
    for rel, text in vault_files(n, seed):
        note = parse_note(text, rel.rsplit("/", 1)[-1], path=rel)
        by_folder.setdefault(note.folder, []).append(note_records(note))
    groups = []
    for recs in by_folder.values():
        for i in range(0, len(recs), GROUP_SIZE):
            groups.append([r for note in recs[i:i + GROUP_SIZE] for r in note])
    return groups


def _index(groups: list[list]):
    from explorer.notes.search import SearchIndex
    from explorer.notes.search_shard import Shard

    return SearchIndex(tuple(Shard.build(g) for g in groups))


def _scaled(groups: list[list], notes: int, have: int) -> list[list]:
    """Groups holding ``notes`` notes' worth of records: a share of the 1,000, or copies of them under other keys."""
    if notes <= have:
        share = max(1, round(sum(len(g) for g in groups) * notes / have))
        out, left = [], share
        for g in groups:
            if left <= 0:
                break
            out.append(g[:left])
            left -= len(g)
        return out
    copies = -(-notes // have)
    return [[replace(r, key=f"{r.key}~{c}") for r in g] for c in range(copies) for g in groups]


def _mix(results: Results, label: str, index, texts: list[str], n: int, *,
         per_query: bool) -> tuple[list[float], list[float], list[float]]:
    pooled, pooled_cpu, base_pooled = [], [], []
    for qlabel, q in VAULT_QUERIES:
        res = index.search(q, limit=60)
        samples, cpu, _ = timed_cpu(lambda q=q: index.search(q, limit=60), n, warmup=1)
        base, _, _ = timed_cpu(lambda q=q: scan(texts, q), max(3, n // 3), warmup=0)
        pooled += samples
        pooled_cpu += cpu
        base_pooled += base
        if per_query:
            base_name = f"{label}: baseline str.lower().find scan, {qlabel} {q}"
            results.add(Row("search", base_name, base, note=f"{scan(texts, q)} records match"))
            said = "; ".join(f"{w} -> {', '.join(v)}" for w, v in res.corrections)
            extra = (f", searched {said}" if said else "") + (f", did you mean “{res.suggestion}”" if res.suggestion else "")
            results.add(Row("search", f"{label}: query, {qlabel} {q}", samples, cpu_samples=cpu,
                            baseline=f"search/{base_name}", note=f"{res.total} hits{extra}"))
    return pooled, pooled_cpu, base_pooled


def _bench_vault(results: Results, groups: list[list], *, n: int, size: int = 1000) -> None:
    index = _index(groups)
    records = [r for g in groups for r in g]
    texts = [f"{r.head}\n{r.body}" for r in records]
    label = f"{size:,}-note vault"
    results.notes.append(f"search: the vault has {len(records)} records in {len(index.shards)} shards, "
                         f"{sum(len(t) for t in texts) / 1e6:.1f} M characters of text")
    pooled, cpu, base = _mix(results, label, index, texts, n, per_query=True)
    base_name = f"{label}: baseline str.lower().find scan, every query"
    results.add(Row("search", base_name, base))
    for stat, limit in (("median", VAULT_GOAL_MEDIAN_MS), ("p95", VAULT_GOAL_P95_MS)):
        results.add(Row("search", f"{label}: every query, typos included ({stat} goal)", pooled, cpu_samples=cpu,
                        baseline=f"search/{base_name}", goal=ms_goal(limit, stat),
                        note=f"{len(VAULT_QUERIES)} queries x {n}"))


def _bench_curve(results: Results, groups: list[list], *, n: int) -> None:
    medians: dict[int, float] = {}
    for notes in CURVE:
        part = _scaled(groups, notes, 1000)
        index = _index(part)
        texts = [f"{r.head}\n{r.body}" for g in part for r in g]
        pooled, cpu, base = _mix(results, f"{notes} notes", index, texts, n, per_query=False)
        base_name = f"curve: baseline scan, {notes:,} notes"
        results.add(Row("search", base_name, base))
        results.add(Row("search", f"curve: {notes:,} notes, every query", pooled, cpu_samples=cpu, baseline=f"search/{base_name}",
                        note=f"{len(texts)} records, {len(index.shards)} shards"))
        medians[notes] = statistics.median(cpu)  # CPU: robust to a busy machine
    growth = (medians[5000] / medians[1000]) / 5
    results.add(Row("search", "curve: growth 1,000 -> 5,000 notes, per unit of vault (CPU medians)", unit="x", value=growth,
                    goal=Goal("value", "<=", 1.0, "<= 1 (no faster than linear)"),
                    note=f"median {medians[1000] * 1000:.1f} ms -> {medians[5000] * 1000:.1f} ms"))


def _pure_osa(a: str, b: str, k: int) -> int:
    """Optimal string alignment distance, cut off above ``k`` (the hand-written baseline)."""
    if abs(len(a) - len(b)) > k:
        return k + 1
    prev2: list[int] | None = None
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if prev2 is not None and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                v = min(v, prev2[j - 2] + 1)
            cur[j] = v
        if min(cur) > k:
            return k + 1
        prev2, prev = prev, cur
    return prev[-1]


def _bench_typo_lookup(results: Results, groups: list[list], *, n: int) -> None:
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    from explorer.notes.search_typos import max_edits

    own = sorted({t for s in _index(groups[:4]).shards for t in s.vocab})
    rng = random.Random(5)
    made_up = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(3, 14))) for _ in range(80_000)]
    word = "kubernets"
    k = max_edits(word)
    for size in (5_000, 20_000, 80_000):
        vocab = sorted(set(own + made_up[: size - len(own)]))
        by_len: dict[int, list[str]] = {}
        for t in vocab:
            by_len.setdefault(len(t), []).append(t)
        buckets = [by_len.get(L, []) for L in range(len(word) - k, len(word) + k + 1)]

        def by_length(buckets: list = buckets) -> list:
            return [m for b in buckets for m in process.extract(word, b, scorer=OSA.distance, score_cutoff=k, limit=None)]

        if size <= 20_000:
            base, _, _ = timed_cpu(lambda bs=buckets: [t for b in bs for t in b if _pure_osa(word, t, k) <= k], 3, warmup=0)
        base_name = f"typo lookup: pure Python OSA by length, {size:,} words" + ("" if size <= 20_000 else " (20,000)")
        if size <= 20_000:
            results.add(Row("search", base_name, base))
        base_key = f"search/typo lookup: pure Python OSA by length, {min(size, 20_000):,} words"
        samples, cpu, _ = timed_cpu(by_length, n, warmup=1)
        results.add(Row("search", f"typo lookup: rapidfuzz by length (the app), {size:,} words", samples, cpu_samples=cpu,
                        baseline=base_key, note=f"{len(by_length())} close word(s) to “{word}”"))
        whole, _, _ = timed_cpu(lambda v=vocab: process.extract(word, v, scorer=OSA.distance, score_cutoff=k, limit=None),
                                max(3, n // 3), warmup=1)
        results.add(Row("search", f"typo lookup: rapidfuzz over the whole list, {size:,} words", whole, baseline=base_key))


def run_search_vault(results: Results, *, n: int = 15, curve: bool = True, size: int = 1000) -> None:
    """``size`` notes in the vault; the typo lookup and the curve run with the full 1,000 only (the smoke test uses a
    few dozen notes to check that the section runs)."""
    import time

    t0 = time.perf_counter()
    groups = vault_records(size)
    full = size == 1000
    results.notes.append(f"search: generating and parsing the {size:,}-note vault took {time.perf_counter() - t0:.1f} s "
                         "(not part of any timing)")
    _bench_vault(results, groups, n=n, size=size)
    if full:
        _bench_typo_lookup(results, groups, n=n)
    if curve and full:
        _bench_curve(results, groups, n=max(3, n // 3))
