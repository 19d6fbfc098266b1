"""One shard of the search index: records, a token index and folded corpora, and a needle's matches.

A :class:`Shard` holds its records' folded heads and bodies, a token index (token -> numpy postings:
record indexes, count in head, count in body) over a sorted vocabulary, and each field's texts joined
into one corpus string.  :meth:`Shard.needle_counts` answers a plain word from the postings (a prefix
range of the vocabulary) and anything else (phrases, CJK, punctuation) with one regex pass over
the corpus.  A word widened by close spellings (:func:`.search_query.with_variants`) adds those whole
words' postings.  The vocabulary is also kept by word length (``by_len``) for the typo lookup
(:mod:`.search_typos`).  The shipped content is one shard, built once (or one per group of notes, built by
a background indexer); a session's uploads are a small second one.

A shard can have **dead records** (:meth:`Shard.without`): a copy that shares every array and masks some
records out of every match, count and vocabulary lookup.  The indexer uses it for an edited note: the
group's shard without the note's old records, plus a small shard of the note as it is now, instead of
building the group's shard again (:mod:`explorer.notes.indexer`).
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from explorer.notes.search_query import WORD_RE, Needle, fold
from explorer.notes.search_records import Record

_SEP = "\x00"  # between records in a corpus string: not a word character, never in folded text twice


def _is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


@dataclass
class Shard:
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
    by_len: dict[int, list[str]] = field(default_factory=dict)  # word length -> tokens of that length (sorted)
    live: Any = None  # numpy bool per record (False: a dead record, see :meth:`without`); None: all live

    def without(self, dead: Sequence[int]) -> Shard:
        """This shard with the records ``dead`` (indexes) masked out: shares every array, costs one mask."""
        import numpy as np

        live = np.ones(len(self.records), dtype=bool) if self.live is None else self.live.copy()
        live[np.asarray(list(dead), dtype=np.int64)] = False
        return replace(self, live=live)

    @property
    def live_count(self) -> int:
        """How many records are live."""
        return len(self.records) if self.live is None else int(self.live.sum())

    @classmethod
    def build(cls, records: Sequence[Record]) -> Shard:
        import numpy as np

        heads = [fold(r.head) for r in records]
        bodies = [fold(r.body) for r in records]
        acc: dict[str, list[tuple[int, int, int]]] = {}
        for i, (h, b) in enumerate(zip(heads, bodies)):
            hc = Counter(WORD_RE.findall(h))
            bc = Counter(WORD_RE.findall(b))
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
            # one (3, n) array per token: rows are record indexes, counts in head, counts in body (one
            # numpy object instead of four: a 1,000-note vault's index is tens of MB smaller)
            postings[tok] = np.asarray(rows, dtype=np.int32).T.copy()
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
        vocab = sorted(postings)
        by_len: dict[int, list[str]] = {}
        for tok in vocab:
            by_len.setdefault(len(tok), []).append(tok)
        return cls(list(records), heads, bodies, postings, vocab, (corpora[0], corpora[1]),
                   (starts[0], starts[1]), titles, kinds, by_len)

    def has_prefix(self, term: str) -> bool:
        """Some token of this shard starts with ``term``."""
        i = bisect.bisect_left(self.vocab, term)
        if self.live is None:
            return i < len(self.vocab) and self.vocab[i].startswith(term)
        while i < len(self.vocab) and self.vocab[i].startswith(term):
            if self.live[self.postings[self.vocab[i]][0]].any():
                return True
            i += 1
        return False

    def doc_freq(self, token: str) -> int:
        """How many live records hold ``token`` (a whole word)."""
        row = self.postings.get(token)
        if row is None:
            return 0
        return len(row[0]) if self.live is None else int(self.live[row[0]].sum())

    def term_mask(self, token: str) -> Any:
        """Per record: holds ``token`` (a whole word) and is live."""
        import numpy as np

        mask = np.zeros(len(self.records), dtype=bool)
        row = self.postings.get(token)
        if row is not None:
            mask[row[0]] = True
        return mask if self.live is None else mask & self.live

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
            toks = [*toks, *(v for v in nd.variants if v in self.postings and not v.startswith(term))]
            for tok in toks:
                docs, hc, bc = self.postings[tok]
                head[docs] += hc
                body[docs] += bc
                if tok == term or tok in nd.variants:
                    whole[docs] = True
            return self._alive(head, body, whole)
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
        return self._alive(head, body, whole)

    def _alive(self, head: Any, body: Any, whole: Any) -> tuple[Any, Any, Any]:
        if self.live is not None:
            head *= self.live
            body *= self.live
            whole &= self.live
        return head, body, whole
