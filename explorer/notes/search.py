"""Full-text search over the notes and every YAML content file.

Build the index once (``SearchIndex.build(content)``) and query it many times::

    index = SearchIndex.build(content)                 # cache this (st.cache_resource)
    session_index = index.with_notes(uploaded_notes)   # cheap: only the uploads are indexed
    result = session_index.search('"feature store" drift')
    for hit in result.hits:
        hit.title_html, hit.snippet_html, hit.page, hit.params

Query language
    * words are matched case- and accent-insensitively at the *start* of a word
      (``deploy`` finds "deployment", ``ops`` does not find "MLOps"); CJK text is matched anywhere;
    * every word must occur in the same record (AND); ``"exact phrase"`` in double quotes must occur
      as written (whole words, any whitespace between them);
    * queries are cut to :data:`MAX_QUERY_CHARS` characters and :data:`MAX_QUERY_TERMS` terms.

Ranking (best first)
    1. more query terms matched (only differs in the fallback below);
    2. more terms matched in the title / heading (title and heading matches rank above body matches);
    3. the title is exactly the query; 4. more whole-word (not just prefix) matches;
    5. more matches in the body; 6. index order (notes in reading order, then YAML), a stable tie-break.

Typos (:mod:`.search_typos`): a word that starts no word of the index is widened to its close spellings
("kubernets" finds "kubernetes"; ``SearchResult.corrections`` says which).  If no record contains *all*
terms, ``SearchResult.suggestion`` is a close query that some record does contain ("did you mean"), and
records containing *some* terms are returned with ``SearchResult.partial = True``.

Coverage: an index built while a background indexer is still reading the notes says so
(``SearchIndex(shards, coverage=(indexed, total))``; None when complete), and so does every result.
Hits can be grouped by where they live (:func:`.search_groups.group_hits`).

Speed (``python -m bench --only search``, ``bench/RESULTS-sections.md``): on a 1,000-note, 16 MB generated
vault in 18 shards, ten queries (typos and "did you mean" included) take 10-29 ms of CPU each (median
12 ms CPU, 22 ms wall on a busy machine; goals: median <= 50 ms, p95 <= 100 ms); the cost grows no faster
than the vault (1,000 -> 5,000 notes: x0.81 per unit of size).

Records: one per note, one per note section and one per YAML item (:mod:`.search_records`).  Each hit
carries the page to open and the query parameters of the deep link (see :mod:`explorer.routes`).

This module holds the index (its shards, :mod:`.search_shard`), the ranking and the hits.  The query
language is :mod:`.search_query`, typos :mod:`.search_typos`, groups :mod:`.search_groups`, titles and
snippets with their ``<mark>`` s :mod:`.search_snippets`, notes generated for benchmarks :mod:`.generated_notes`; the names callers use from them are
re-exported here (``__all__``), so ``from explorer.notes.search import ...`` is the one import.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from explorer.notes.generated_notes import generate_notes, generated_content
from explorer.notes.note import Note
from explorer.notes.search_groups import Group, group_hits
from explorer.notes.search_query import MAX_QUERY_CHARS, MAX_QUERY_TERMS, SPACE_RE, Query, fold, parse_query
from explorer.notes.search_records import Record, content_records, note_records
from explorer.notes.search_shard import Shard
from explorer.notes.search_snippets import SNIPPET_CHARS, highlight, make_snippet
from explorer.notes.search_typos import suggest, widen
from explorer.routes import kind_label, page_url

__all__ = [
    # the index and its answers (this module)
    "Hit", "SearchIndex", "SearchResult", "Group", "group_hits",
    # the query language (search_query)
    "MAX_QUERY_CHARS", "MAX_QUERY_TERMS", "Query", "fold", "parse_query",
    # records (search_records), highlighting (search_snippets), generated notes (generated_notes)
    "Record", "content_records", "note_records", "SNIPPET_CHARS", "highlight", "make_snippet",
    "generate_notes", "generated_content",
]


@dataclass(frozen=True)
class Hit:
    kind: str
    key: str
    title: str
    title_html: str  # escaped, matches in <mark>
    context: str
    snippet_html: str  # escaped, matches in <mark>
    snippet_text: str
    page: str
    params: Mapping[str, str]
    source: str
    matched: int  # number of query terms found
    score: tuple
    folder: str = ""  # a note's folder ("" at the top, and for YAML items)

    @property
    def url(self) -> str:
        return page_url(self.page, self.params)

    @property
    def label(self) -> str:
        return kind_label(self.kind)


@dataclass(frozen=True)
class SearchResult:
    query: Query
    hits: list[Hit]
    total: int  # hits before the limit
    partial: bool = False  # True: no record had every term; these have some of them
    corrections: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (word as typed, close words searched instead)
    suggestion: str | None = None  # did you mean: a query some record matches in full (only when none did)
    coverage: tuple[int, int] | None = None  # (notes indexed, notes in all) while indexing; None: complete

    @property
    def groups(self) -> list[Group]:
        """The hits by folder (YAML content as one group), in the order of each group's best hit."""
        return group_hits(self.hits)

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


@dataclass(frozen=True)
class SearchIndex:
    shards: tuple[Shard, ...] = field(default_factory=tuple)
    coverage: tuple[int, int] | None = None  # (notes indexed, notes in all) while a background indexer runs

    @property
    def complete(self) -> bool:
        return self.coverage is None or self.coverage[0] >= self.coverage[1]

    # ---- building
    @classmethod
    def build(cls, content: Any, extra_notes: Iterable[Note] = ()) -> SearchIndex:
        """Index the notes and YAML of ``content`` (plus ``extra_notes``, e.g. uploads, in their own shard)."""
        records: list[Record] = []
        notes = content.notes if content is not None else ()
        for note in notes:
            records.extend(note_records(note))
        if content is not None:
            records.extend(content_records(content))
        index = cls((Shard.build(records),))
        extra = tuple(extra_notes)
        return index.with_notes(extra) if extra else index

    def with_notes(self, notes: Iterable[Note]) -> SearchIndex:
        """A new index: this one (shared, not copied) plus a small shard for ``notes`` (e.g. uploads)."""
        records = [r for n in notes for r in note_records(n)]
        if not records:
            return self
        return SearchIndex((*self.shards, Shard.build(records)), coverage=self.coverage)

    @property
    def size(self) -> int:
        """How many records can be found (an edited note's old records are not counted)."""
        return sum(s.live_count for s in self.shards)

    # ---- querying
    def search(self, query: str | Query, limit: int = 20, kinds: Iterable[str] | None = None) -> SearchResult:
        """Ranked hits for a query (see the module docstring for the query language and ranking)."""
        q = query if isinstance(query, Query) else parse_query(query)
        if q.empty:
            return SearchResult(q, [], 0, coverage=self.coverage)
        memo: dict = {}  # close words, looked up once per word for widening and "did you mean"
        q, corrections = widen(q, self.shards, memo)
        wanted = sorted(set(kinds)) if kinds else None
        limit = max(0, int(limit))
        ranked = [self._rank(shard, s_no, q, wanted, limit) for s_no, shard in enumerate(self.shards)]
        n_full = sum(r[1] for r in ranked)
        partial = n_full == 0 and any(r[3] for r in ranked)
        if partial:
            rows, total = [row for r in ranked for row in r[2]], sum(r[3] for r in ranked)
        else:
            rows, total = [row for r in ranked for row in r[0]], n_full
        rows.sort(key=lambda t: t[0])
        hits = [self._hit(q, shard, i, key, m) for key, shard, i, m in rows[:limit]]
        suggestion = suggest(q, self.shards, memo) if n_full == 0 else None
        return SearchResult(q, hits, total, partial, corrections, suggestion, self.coverage)

    def _rank(self, shard: Shard, s_no: int, q: Query, wanted: list[str] | None, limit: int) -> tuple:
        """For one shard: (best rows matching every term, their count, best rows matching some, their count).

        A row is (sort key, shard, record index, number of terms matched).
        """
        import numpy as np

        n = len(shard.records)
        if n == 0:
            return [], 0, [], 0
        matched = np.zeros(n, dtype=np.int32)
        in_head = np.zeros(n, dtype=np.int32)
        whole_words = np.zeros(n, dtype=np.int32)
        body_count = np.zeros(n, dtype=np.int32)
        for nd in q.needles:
            head, body, whole = shard.needle_counts(nd)
            found = (head + body) > 0
            matched += found
            in_head += head > 0
            whole_words += whole & found
            body_count += np.minimum(body, 5)
        whole_query = fold(SPACE_RE.sub(" ", q.raw[:MAX_QUERY_CHARS].replace('"', " ")).strip())
        exact = np.zeros(n, dtype=np.int32)
        for i in shard.titles.get(whole_query, ()):
            exact[i] = 1
        kind_ok = np.isin(shard.kinds, wanted) if wanted is not None else np.ones(n, dtype=bool)

        def best(mask: Any) -> tuple[list[tuple], int]:
            idx = np.nonzero(mask & kind_ok)[0]
            if idx.size == 0:
                return [], 0
            # best first: most terms, most in title/heading, exact title, whole words, body matches, order
            order = np.lexsort((idx, -body_count[idx], -whole_words[idx], -exact[idx], -in_head[idx], -matched[idx]))
            rows = []
            for j in order[:limit]:
                i = int(idx[j])
                key = (-int(matched[i]), -int(in_head[i]), -int(exact[i]), -int(whole_words[i]),
                       -int(body_count[i]), s_no, i)
                rows.append((key, shard, i, int(matched[i])))
            return rows, int(idx.size)

        full_rows, n_full = best(matched == len(q.needles))
        if n_full:
            return full_rows, n_full, [], 0
        some_rows, n_some = best(matched > 0)
        return [], 0, some_rows, n_some

    def _hit(self, q: Query, shard: Shard, i: int, key: tuple, matched: int) -> Hit:
        rec = shard.records[i]
        title_html = highlight(rec.title, q)
        snippet_html, snippet_text = make_snippet(rec.body, q, shard.bodies[i])
        return Hit(
            kind=rec.kind,
            key=rec.key,
            title=rec.title,
            title_html=title_html,
            context=rec.context,
            snippet_html=snippet_html,
            snippet_text=snippet_text,
            page=rec.link.page,
            params=dict(rec.link.params),
            source=rec.source,
            matched=matched,
            score=key,
            folder=rec.folder,
        )

