"""Search that forgives typos: close spellings from the index's own vocabulary, and "did you mean".

**Widening a word** (:func:`widen`).  A plain word of at least :data:`MIN_TYPO_CHARS` letters that starts no
word of the index ("kubernets", "registy") is widened to the vocabulary words within
:func:`max_edits` edits of it (optimal string alignment: a swap of two neighbours is one edit), nearest
first, then the most used: ``kubernets`` searches ``kubernetes``.  The widened word is an OR of those
words; every word of the query must still match (AND), and "quoted phrases" are never widened.  A word
that does start some word ("featur" for "feature") is a prefix as before and is left alone, so a correct
query never pays for the typo lookup and never gets looser results.

**Did you mean** (:func:`suggest`).  When no record holds every word, each plain word may be replaced by
a close vocabulary word (also a word that does occur, when the close word is much commoner: a typo kept
in one note) and the cheapest combination that some record holds is offered as a query to run instead.

**Why rapidfuzz, measured** (``python -m bench --only search``, rows "typo lookup": one typo, "kubernets",
looked up in vocabularies of the vault's words plus made-up ones; 2026-12-06 on the shared 2-core machine
under a load of about 16, so wall times are inflated; the app's row also gives CPU time):

=================================  ==========  ==========  ===================
vocabulary words                    5,000       20,000      80,000
=================================  ==========  ==========  ===================
rapidfuzz, words of length +-k      0.14 ms     0.64 ms     6.4 ms CPU (57 wall)
rapidfuzz, the whole list           0.37 ms     19 ms       218 ms
pure Python OSA, length +-k         304 ms      1,072 ms    (not run)
=================================  ==========  ==========  ===================

An earlier run on real identifiers and words (less evenly spread over lengths than made-up words) took
2-4 ms at 80,000 words and 10-60 ms at 300,000.  (The 1,000-note generated vault has 8,800 distinct
words; a real vault of that size has tens of thousands, code identifiers included.)

``tantivy``'s fuzzy term query answered in 0.1-0.2 ms on 1,000 generated notes, but it is a second index
beside ours (0.6 s to build there, and its own memory), it ranks and tokenises its own way (no word-start
prefixes, no head-above-body rule, no CJK rule), and it does not say which word it matched, which the
highlighting, the "showing results for" line and "did you mean" need.  SQLite FTS5 has no fuzzy
matching (the ``spellfix1`` extension is not part of Python's ``sqlite3``): it would need this same
lookup over its ``fts5vocab`` table.  So the index stays ours and only the edit distances come from
``rapidfuzz`` (C++, no dependencies, wheels for Python 3.11-3.13), over the vocabulary kept by word length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from itertools import product
from typing import Any

from explorer.notes.search_query import Needle, Query, with_variants
from explorer.notes.search_shard import Shard

MIN_TYPO_CHARS = 4
"""Shorter words are never widened (three letters are one edit away from too many words)."""
MAX_VARIANTS = 8
"""At most this many close words stand in for one word."""
MAX_OPTIONS = 3
"""Did you mean: at most this many replacements are tried per word ..."""
MAX_COMBINATIONS = 64
"""... and at most this many combinations of them per query."""
RARER = 3
"""Did you mean: a word that does occur is replaced only by a close word held by this many times more records
("kayzen", kept once in a note, by "kaizen"; never "learning" by "warning")."""


def max_edits(word: str) -> int:
    """How many edits a word may be off: none under 4 letters, 1 up to 7 letters, 2 from 8."""
    n = len(word)
    return 0 if n < MIN_TYPO_CHARS else 1 if n < 8 else 2


def _correctable(nd: Needle) -> bool:
    return nd.simple and not nd.phrase and nd.text.isalpha() and max_edits(nd.text) > 0


def close_terms(word: str, shards: Sequence[Shard], *, nearest_only: bool = True,
                memo: dict | None = None) -> list[tuple[str, int, int]]:
    """Vocabulary words within :func:`max_edits` of ``word`` (not ``word`` itself) as (word, edits, records
    holding it), nearest first, then the most used.  ``nearest_only``: only those at the smallest distance.
    ``memo``: a dict kept for one search (widening and "did you mean" look the same words up)."""
    if memo is not None:
        if word not in memo:
            memo[word] = close_terms(word, shards, nearest_only=False)
        ranked = memo[word]
        return [x for x in ranked if x[1] == ranked[0][1]] if nearest_only and ranked else list(ranked)
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    k = max_edits(word)
    if not k:
        return []
    found: dict[str, list[int]] = {}
    for shard in shards:
        for length in range(len(word) - k, len(word) + k + 1):
            bucket = shard.by_len.get(length)
            if not bucket:
                continue
            for term, dist, _ in process.extract(word, bucket, scorer=OSA.distance, score_cutoff=k, limit=None):
                if term == word or not term.isalpha():
                    continue
                df = shard.doc_freq(term)
                if not df:  # only in a record an edit left dead
                    continue
                row = found.setdefault(term, [int(dist), 0])
                row[1] += df
    ranked = sorted(((t, d, n) for t, (d, n) in found.items()), key=lambda x: (x[1], -x[2], x[0]))
    if nearest_only and ranked:
        ranked = [x for x in ranked if x[1] == ranked[0][1]]
    return ranked


def widen(q: Query, shards: Sequence[Shard], memo: dict | None = None) -> tuple[Query, tuple[tuple[str, tuple[str, ...]], ...]]:
    """The query with each word that starts no word of the index widened to its close spellings, and
    (word, the words it stands for) for each word widened."""
    needles: list[Needle] = []
    corrections: list[tuple[str, tuple[str, ...]]] = []
    for nd in q.needles:
        if _correctable(nd) and not any(s.has_prefix(nd.text) for s in shards):
            terms = tuple(t for t, _, _ in close_terms(nd.text, shards, memo=memo)[:MAX_VARIANTS])
            if terms:
                nd = with_variants(nd, terms)
                corrections.append((nd.text, terms))
        needles.append(nd)
    if not corrections:
        return q, ()
    return replace(q, needles=tuple(needles)), tuple(corrections)


def _word_mask(shard: Shard, nd: Needle) -> Any:
    head, body, _ = shard.needle_counts(nd)
    return (head + body) > 0


def _size(options: list[list]) -> int:
    n = 1
    for o in options:
        n *= len(o)
    return n


def suggest(q: Query, shards: Sequence[Shard], memo: dict | None = None) -> str | None:
    """A query close to ``q`` that some record matches in full (words replaced by close vocabulary words),
    or None.  Only called when ``q`` itself matches no record in full."""
    import numpy as np

    options: list[list[tuple[int, Any]]] = []  # per needle: (edits, per-shard masks), cheapest first
    texts: list[list[str]] = []
    changed = False
    for nd in q.needles:
        words: list[tuple[str, int, Any]] = []
        plain = replace(nd, variants=()) if nd.variants else nd
        used = 0  # records holding the word as typed
        if not nd.variants and any(s.has_prefix(nd.text) for s in shards) or not _correctable(nd):
            masks = [_word_mask(s, plain) for s in shards]
            used = sum(int(m.sum()) for m in masks)
            words.append((nd.text if not nd.phrase or len(nd.text) < 2 else f'"{nd.text}"', 0, masks))
        if _correctable(nd):
            for term, dist, n in close_terms(nd.text, shards, nearest_only=False, memo=memo)[:MAX_OPTIONS]:
                if n >= RARER * max(used, 1) or not used:  # a word in use is replaced only by a much commoner one
                    words.append((term, dist, [s.term_mask(term) for s in shards]))
                    changed = True
        if not words:
            return None
        options.append([(d, m) for _, d, m in words])
        texts.append([w for w, _, _ in words])
    if not changed:
        return None
    if _size(options) > 4096:  # 12 words with 4 choices each: keep each word's best replacement only
        options, texts = [o[:2] for o in options], [t[:2] for t in texts]
    combos = sorted(product(*(range(len(o)) for o in options)),
                    key=lambda c: (sum(options[i][j][0] for i, j in enumerate(c)), c))
    for combo in combos[:MAX_COMBINATIONS]:
        if not any(options[i][j][0] for i, j in enumerate(combo)):
            continue  # the query as typed
        for s_no in range(len(shards)):
            mask = np.logical_and.reduce([options[i][j][1][s_no] for i, j in enumerate(combo)])
            if mask.any():
                return " ".join(texts[i][j] for i, j in enumerate(combo))
    return None
