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

If no record contains *all* terms, records containing *some* are returned with
``SearchResult.partial = True`` (so a typo in one word does not give an empty page).

Records: one per note (title, summary, tags, intro), one per note section (heading + its own text,
Markdown syntax removed), and one per YAML item (vendor, rung, crosswalk stage, certification, trend,
glossary term, quarter, hierarchy tier, workflow and workflow component, analogy row, platform role).
Each hit carries the page to open and the query parameters of the deep link (see :mod:`explorer.routes`).
"""

from __future__ import annotations

import bisect
import html
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from explorer.assess.ladders import rung_title
from explorer.notes.note import Note, parse_note
from explorer.routes import Link, kind_label, link, page_url

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12
SNIPPET_CHARS = 220


# --------------------------------------------------------------------------- text helpers
_CJK_RE = re.compile(r"[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u3040-\u30FF\uFF66-\uFF9F]")
_WORD_RE = re.compile(r"\w+")
_SPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=8192)
def _fold_char(c: str) -> str:
    base = "".join(ch for ch in unicodedata.normalize("NFKD", c) if not unicodedata.combining(ch)).lower()
    if len(base) == 1:
        return base
    low = c.lower()
    return low if len(low) == 1 else c


def fold(text: str) -> str:
    """Lower-case and drop accents, keeping the length (position i in the result is position i in ``text``)."""
    if text.isascii():
        return text.lower()
    return "".join(map(_fold_char, text))


# --------------------------------------------------------------------------- records
@dataclass(frozen=True)
class Record:
    """One searchable item."""

    kind: str
    key: str  # stable, unique: "note:kaizen", "note:kaizen#what-kaizen-means", "level:azure-2"
    title: str
    context: str  # what the item belongs to (note title, vendor name, ...)
    head: str  # title / heading text (matches here rank first)
    body: str  # plain text
    link: Link
    source: str = "content"  # "content" or "upload"


def _join(*parts: Any) -> str:
    out: list[str] = []
    for p in parts:
        if p is None:
            continue
        if isinstance(p, (list, tuple)):
            out.extend(str(x) for x in p if x)
        elif isinstance(p, Mapping):
            out.extend(str(x) for x in p.values() if x)
        elif str(p):
            out.append(str(p))
    return " · ".join(out)


def note_records(note: Note) -> list[Record]:
    """The records of one note: the note itself (title, summary, tags, intro, footnotes) and each section.

    The text comes from the note's one parse (:mod:`explorer.notes.note`): Markdown syntax is gone, code
    is kept (people search for commands), and each section holds only its own part.
    """
    def record(section: str | None, title: str, context: str, body: str) -> Record:
        key = f"note:{note.id}" + (f"#{section}" if section else "")
        return Record(kind="note", key=key, title=title, context=context, head=title, body=body,
                      link=link("note", note.id, section=section) if section else link("note", note.id),
                      source=note.source)

    tags = " ".join(f"#{t}" for t in note.tags)
    out = [record(None, note.title, note.summary, _join(note.summary, tags, note.intro_text, note.footnotes_text))]
    out += [record(s.id, s.title, note.title, s.text) for s in note.sections]
    return out


def content_records(content: Any) -> list[Record]:
    """Records for every YAML part that loaded (a broken part is skipped, never raises)."""
    ok = content.ok
    out: list[Record] = []
    if ok("maturity"):
        for v in content.vendors:
            out.append(
                Record("vendor", f"vendor:{v.id}", f"{v.name}: {v.model_name}", v.name, f"{v.name} {v.model_name}",
                       _join(v.summary, v.caveats), link("vendor", v.id))
            )
            for lv in v.levels:
                title = f"{v.name} {rung_title(v, lv)}"
                cells = lv.cells.model_dump() if lv.cells else {}
                body = _join(lv.tagline, lv.summary, lv.details, lv.changes, lv.still_manual, cells, lv.components,
                             lv.triggers, lv.accounts, lv.capabilities, lv.technology)
                out.append(Record("level", f"level:{lv.id}", title, v.model_name, f"{title} {lv.tagline}", body,
                                  link("level", lv.id)))
    if ok("crosswalk"):
        for row in content.crosswalk.rows:
            out.append(Record("crosswalk", f"crosswalk:{row.id}", row.stage, "Maturity crosswalk", row.stage,
                              row.rationale, link("crosswalk", row.id)))
    if ok("certifications"):
        for c in content.certifications:
            exam = c.exam
            code = exam.code if exam and exam.code else ""
            body = _join(c.issuer, c.level, c.domain, c.status.replace("-", " "), c.status_note, c.summary,
                         code, exam.domains if exam else [], c.unconfirmed)
            out.append(Record("certification", f"certification:{c.id}", c.name, c.issuer,
                              _join(c.name, c.course_name, code), body, link("certification", c.id)))
    if ok("trends"):
        for t in content.trends.trends:
            out.append(Record("trend", f"trend:{t.id}", t.name, "Trend", t.name,
                              _join(t.summary, t.why_it_matters, t.caveat), link("trend", t.id)))
    if ok("glossary"):
        for term in content.glossary:
            out.append(Record("term", f"term:{term.id}", term.term, _join(term.aliases), _join(term.term, term.aliases),
                              term.definition, link("term", term.id)))
    if ok("breakdown"):
        for q in content.breakdown.quarters:
            out.append(Record("quarter", f"quarter:{q.id}", q.name, content.breakdown.title, _join(q.name, q.short),
                              _join(q.description, q.examples), link("quarter", q.id)))
    if ok("hierarchy"):
        for tier in content.hierarchy.tiers:
            out.append(Record("tier", f"tier:{tier.id}", tier.name, content.hierarchy.title, tier.name,
                              _join(tier.summary, tier.examples), link("tier", tier.id)))
    if ok("workflows"):
        for w in content.workflows.workflows:
            out.append(Record("workflow", f"workflow:{w.id}", w.name, w.spectrum, w.name,
                              _join(w.summary, w.spectrum, w.when_to_use), link("workflow", w.id)))
            for comp in w.components:
                out.append(Record("workflow", f"workflow:{w.id}/{comp.id}", comp.name, w.name, comp.name,
                                  _join(comp.description, comp.group), link("workflow", w.id, component=comp.id)))
    if ok("analogy"):
        for row in content.analogy.rows:
            out.append(Record("analogy", f"analogy:{row.id}", f"{row.food} → {row.ml}", content.analogy.title,
                              f"{row.food} {row.ml}", row.explanation, link("analogy", row.id)))
    if ok("platforms"):
        for role in content.platforms.roles:
            out.append(Record("platform", f"platform:{role.id}", role.name, "Cloud platforms", role.name,
                              _join(role.summary, role.criteria, role.examples), link("platform", role.id)))
    return out


# --------------------------------------------------------------------------- query
@dataclass(frozen=True)
class Needle:
    """One query term or quoted phrase (folded)."""

    text: str
    phrase: bool  # quoted: whole words only
    pattern: re.Pattern[str]  # exact semantics (used on single texts: snippets, highlighting)
    fast: re.Pattern[str]  # same without the leading look-behind (literal prefix: fast on a whole corpus)
    check_start: bool  # matches of ``fast`` must not follow a word character
    tokens: tuple[str, ...]
    anywhere: bool  # CJK: matched anywhere, not only at a word start

    @property
    def simple(self) -> bool:
        """One plain word: answered from the token index alone."""
        return not self.anywhere and len(self.tokens) == 1 and self.tokens[0] == self.text


@dataclass(frozen=True)
class Query:
    raw: str  # the query as used (cut to MAX_QUERY_CHARS)
    needles: tuple[Needle, ...]
    truncated: bool = False

    @property
    def empty(self) -> bool:
        return not self.needles


def parse_query(raw: str) -> Query:
    """Split a query into terms and "quoted phrases" (folded); limits size and number of terms."""
    raw = raw if isinstance(raw, str) else str(raw)
    truncated = len(raw) > MAX_QUERY_CHARS
    text = raw[:MAX_QUERY_CHARS]
    parts: list[tuple[str, bool]] = []
    for m in re.finditer(r'"([^"]*)"|(\S+)', text):
        if m.group(1) is not None:
            phrase = _SPACE_RE.sub(" ", m.group(1)).strip()
            if phrase:
                parts.append((phrase, True))
        else:
            word = m.group(2).strip("\"'()[]{}<>,;:!?.«»“”‘’")
            if word:
                parts.append((word, False))
    needles: list[Needle] = []
    seen: set[tuple[str, bool]] = set()
    for value, quoted in parts:
        key = (fold(value), quoted)
        if key in seen:
            continue
        seen.add(key)
        if len(needles) >= MAX_QUERY_TERMS:
            truncated = True
            break
        needles.append(_needle(*key))
    return Query(raw=text, needles=tuple(needles), truncated=truncated)


def _needle(folded: str, exact: bool) -> Needle:
    """A term (a prefix of a word; one-letter terms are whole words) or, when ``exact``, a quoted phrase."""
    anywhere = bool(_CJK_RE.search(folded))
    tokens = tuple(_WORD_RE.findall(folded))
    whole = exact or (len(folded) == 1)
    body = r"\s+".join(re.escape(w) for w in folded.split(" "))
    check_start = not anywhere and bool(re.match(r"\w", folded))
    end = r"(?!\w)" if whole and not anywhere and re.search(r"\w$", folded) else ""
    pattern = re.compile(("(?<!\\w)" if check_start else "") + body + end)
    fast = re.compile(body + end)
    return Needle(folded, whole, pattern, fast, check_start, tokens, anywhere or not tokens)


# --------------------------------------------------------------------------- index
_SEP = "\x00"  # between records in a corpus string: not a word character, never in folded text twice


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


@dataclass
class _Shard:
    """Records plus a token index (numpy postings) and one folded corpus string per field."""

    records: list[Record]
    heads: list[str]  # folded
    bodies: list[str]  # folded
    postings: dict[str, tuple[Any, Any, Any]]  # token -> (record indexes, count in head, count in body)
    vocab: list[str]  # sorted tokens
    corpora: tuple[str, str]  # heads and bodies joined by _SEP
    starts: tuple[Any, Any]  # start offset of each record in each corpus
    titles: dict[str, list[int]]  # folded title / head -> record indexes
    kinds: Any  # numpy array of kind names

    @classmethod
    def build(cls, records: Sequence[Record]) -> _Shard:
        import numpy as np

        heads = [fold(r.head) for r in records]
        bodies = [fold(r.body) for r in records]
        acc: dict[str, list[tuple[int, int, int]]] = {}
        for i, (h, b) in enumerate(zip(heads, bodies)):
            hc = Counter(_WORD_RE.findall(h))
            bc = Counter(_WORD_RE.findall(b))
            for tok, n in bc.items():
                row = (i, hc.pop(tok, 0), n)
                if tok in acc:
                    acc[tok].append(row)
                else:
                    acc[tok] = [row]
            for tok, n in hc.items():
                if tok in acc:
                    acc[tok].append((i, n, 0))
                else:
                    acc[tok] = [(i, n, 0)]
        postings = {}
        for tok, rows in acc.items():
            arr = np.asarray(rows, dtype=np.int32)
            postings[tok] = (arr[:, 0], arr[:, 1], arr[:, 2])
        corpora, starts = [], []
        for texts in (heads, bodies):
            offs, pos = [], 0
            for t in texts:
                offs.append(pos)
                pos += len(t) + 1
            corpora.append(_SEP.join(texts))
            starts.append(np.asarray(offs, dtype=np.int64))
        titles: dict[str, list[int]] = {}
        for i, r in enumerate(records):
            for key in {fold(r.title).strip(), heads[i].strip()}:
                titles.setdefault(key, []).append(i)
        kinds = np.asarray([r.kind for r in records], dtype=object)
        return cls(list(records), heads, bodies, postings, sorted(postings), (corpora[0], corpora[1]),
                   (starts[0], starts[1]), titles, kinds)

    def needle_counts(self, nd: Needle) -> tuple[Any, Any, Any]:
        """(matches in head, matches in body, whole-word match?) per record, as numpy arrays."""
        import numpy as np

        n = len(self.records)
        head = np.zeros(n, dtype=np.int32)
        body = np.zeros(n, dtype=np.int32)
        whole = np.zeros(n, dtype=bool)
        if nd.simple:
            term = nd.text
            if nd.phrase:
                toks = [term] if term in self.postings else []
            else:
                lo = bisect.bisect_left(self.vocab, term)
                hi = bisect.bisect_left(self.vocab, term + "\U0010ffff")
                toks = self.vocab[lo:hi]
            for tok in toks:
                docs, hc, bc = self.postings[tok]
                head[docs] += hc
                body[docs] += bc
                if tok == term:
                    whole[docs] = True
            return head, body, whole
        for field_no, out in ((0, head), (1, body)):
            corpus = self.corpora[field_no]
            positions: list[int] = []
            ends_whole: list[bool] = []
            for m in nd.fast.finditer(corpus):
                p = m.start()
                if nd.check_start and p > 0 and _is_word_char(corpus[p - 1]):
                    continue
                if m.end() == p:
                    continue
                positions.append(p)
                e = m.end()
                ends_whole.append(e >= len(corpus) or not _is_word_char(corpus[e]))
            if positions:
                docs = np.searchsorted(self.starts[field_no], np.asarray(positions, dtype=np.int64), side="right") - 1
                out += np.bincount(docs, minlength=n).astype(np.int32)
                whole[docs[np.asarray(ends_whole, dtype=bool)]] = True
        return head, body, whole


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

    def __iter__(self) -> Iterator[Hit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)


@dataclass(frozen=True)
class SearchIndex:
    shards: tuple[_Shard, ...] = field(default_factory=tuple)

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
        index = cls((_Shard.build(records),))
        extra = tuple(extra_notes)
        return index.with_notes(extra) if extra else index

    def with_notes(self, notes: Iterable[Note]) -> SearchIndex:
        """A new index: this one (shared, not copied) plus a small shard for ``notes`` (e.g. uploads)."""
        records = [r for n in notes for r in note_records(n)]
        if not records:
            return self
        return SearchIndex((*self.shards, _Shard.build(records)))

    @property
    def size(self) -> int:
        return sum(len(s.records) for s in self.shards)

    # ---- querying
    def search(self, query: str | Query, limit: int = 20, kinds: Iterable[str] | None = None) -> SearchResult:
        """Ranked hits for a query (see the module docstring for the query language and ranking)."""
        q = query if isinstance(query, Query) else parse_query(query)
        if q.empty:
            return SearchResult(q, [], 0)
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
        return SearchResult(q, hits, total, partial)

    def _rank(self, shard: _Shard, s_no: int, q: Query, wanted: list[str] | None, limit: int) -> tuple:
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
        whole_query = fold(_SPACE_RE.sub(" ", q.raw[:MAX_QUERY_CHARS].replace('"', " ")).strip())
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

    def _hit(self, q: Query, shard: _Shard, i: int, key: tuple, matched: int) -> Hit:
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
        )


# --------------------------------------------------------------------------- highlighting
def _match_spans(folded: str, q: Query, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    end = len(folded) if end is None else end
    spans: list[tuple[int, int]] = []
    for nd in q.needles:
        for m in nd.pattern.finditer(folded, start, end):
            if m.end() > m.start():
                spans.append((m.start(), m.end()))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def _marked(text: str, spans: list[tuple[int, int]], offset: int = 0) -> str:
    out: list[str] = []
    pos = 0
    for a, b in spans:
        a, b = a - offset, b - offset
        out.append(html.escape(text[pos:a]))
        out.append(f"<mark>{html.escape(text[a:b])}</mark>")
        pos = b
    out.append(html.escape(text[pos:]))
    return "".join(out)


def highlight(text: str, query: str | Query) -> str:
    """``text`` HTML-escaped, with every match of the query wrapped in ``<mark>``."""
    q = query if isinstance(query, Query) else parse_query(query)
    return _marked(text, _match_spans(fold(text), q))


def make_snippet(text: str, query: str | Query, folded: str | None = None, width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(safe HTML with <mark>s, plain text) of a window of ``text`` around the best cluster of matches."""
    q = query if isinstance(query, Query) else parse_query(query)
    folded = fold(text) if folded is None else folded
    spans = _match_spans(folded, q)
    if spans:
        best, best_count = spans[0][0], 0
        starts = [x for x, _ in spans]
        for a, _ in spans[:200]:  # the window (from the first 200 matches) holding the most distinct terms
            hi = bisect.bisect_left(starts, a + width - 40)
            lo = bisect.bisect_left(starts, a)
            count = len({folded[x:y] for x, y in spans[lo:min(hi, lo + 100)]})
            if count > best_count:
                best, best_count = a, count
        start = max(0, best - width // 4)
    else:
        start = 0
    end = min(len(text), start + width)
    if end == len(text):
        start = max(0, end - width)
    if start > 0:  # move to a word start
        sp = text.find(" ", start, start + 30)
        if sp != -1 and (not spans or sp < best):
            start = sp + 1
    if end < len(text):
        sp = text.rfind(" ", max(start, end - 30), end)
        if sp != -1:
            end = sp
    window = text[start:end]
    inside = [(max(a, start), min(b, end)) for a, b in spans if a < end and b > start]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + _marked(window, inside, start) + suffix, prefix + window + suffix


# --------------------------------------------------------------------------- generated notes (benchmarks, tests)
_WORDS = (
    "model data pipeline feature store training serving drift monitoring deployment registry experiment "
    "tracking metric validation schema container kubernetes cluster batch stream latency throughput "
    "retraining trigger artifact lineage governance audit rollback canary release shadow traffic label "
    "annotation dataset split baseline accuracy precision recall threshold alert dashboard notebook "
    "repository commit review test coverage lint build image registry secret config environment staging "
    "production incident postmortem owner budget cost quota region zone edge device quantization export "
    "onnx runtime gpu cpu memory cache queue scheduler orchestrator workflow dag task retry timeout"
).split()


def generate_notes(n: int, seed: int = 0, sections: int = 8, words_per_section: int = 90) -> list[Note]:
    """``n`` synthetic notes (deterministic for ``seed``) with headings, lists, tables and code."""
    rng = random.Random(seed)
    notes: list[Note] = []

    def sentence(k: int) -> str:
        words = [rng.choice(_WORDS) for _ in range(k)]
        return " ".join(words).capitalize() + "."

    for i in range(n):
        title = f"Generated note {i}: {rng.choice(_WORDS)} {rng.choice(_WORDS)}"
        lines = ["---", f"id: gen-{i}", f"title: \"{title}\"", f"week: {i % 12 + 1}", "tags: [generated]", "---", ""]
        lines.append(sentence(20))
        for s in range(sections):
            level = 2 if s % 3 == 0 else 3
            lines += ["", "#" * level + f" {rng.choice(_WORDS).capitalize()} {rng.choice(_WORDS)} {s}", ""]
            remaining = words_per_section
            while remaining > 0:
                k = min(remaining, rng.randint(8, 18))
                lines.append(sentence(k))
                remaining -= k
            if s % 4 == 1:
                lines += ["", "- " + sentence(6), "- " + sentence(6)]
            if s % 4 == 2:
                lines += ["", "| a | b |", "|---|---|", f"| {rng.choice(_WORDS)} | {rng.choice(_WORDS)} |"]
            if s % 4 == 3:
                lines += ["", "```python", f"# {rng.choice(_WORDS)}", f"run_{rng.choice(_WORDS)}()", "```"]
        notes.append(parse_note("\n".join(lines) + "\n", f"gen-{i}.md"))
    return notes


class _GeneratedContent:
    """Minimal stand-in for :class:`explorer.content.loader.Content` holding only notes."""

    def __init__(self, notes: Sequence[Note]):
        self.notes = tuple(notes)

    def ok(self, part: str) -> bool:
        return part == "notes"


def generated_content(n: int, seed: int = 0) -> _GeneratedContent:
    return _GeneratedContent(generate_notes(n, seed))
