"""Search results shown: titles and snippets, HTML-escaped, with every match of the query in ``<mark>``.

:func:`make_snippet` picks the window of :data:`SNIPPET_CHARS` characters around the best cluster of
matches (the most distinct terms), moved to word boundaries.
"""

from __future__ import annotations

import html
from itertools import islice

from explorer.notes.search_query import Query, fold, parse_query

SNIPPET_CHARS = 220


MAX_SPANS = 50
"""A snippet's window is chosen among the first this many matches of each term (a common word matches
hundreds of times in a long section); every match inside the window is marked."""


def _match_spans(folded: str, q: Query, start: int = 0, end: int | None = None,
                 cap: int | None = None) -> list[tuple[int, int]]:
    end = len(folded) if end is None else end
    spans: list[tuple[int, int]] = []
    for nd in q.needles:
        for m in islice(nd.pattern.finditer(folded, start, end), cap):
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


def _best_window(folded: str, spans: list[tuple[int, int]], width: int) -> int:
    """Where the window of ``width`` characters holding the most distinct matched words starts (one of the
    first 200 matches): one pass with two pointers, linear in the matches (a common word matches hundreds
    of times in a long section)."""
    terms = [folded[a:b] for a, b in spans]
    counts: dict[str, int] = {}
    best, best_count, hi = spans[0][0], 0, 0
    for i in range(min(200, len(spans))):
        a = spans[i][0]
        while hi < len(spans) and spans[hi][0] < a + width:
            counts[terms[hi]] = counts.get(terms[hi], 0) + 1
            hi += 1
        if len(counts) > best_count:
            best, best_count = a, len(counts)
        counts[terms[i]] -= 1
        if not counts[terms[i]]:
            del counts[terms[i]]
    return best


def make_snippet(text: str, query: str | Query, folded: str | None = None, width: int = SNIPPET_CHARS) -> tuple[str, str]:
    """(safe HTML with <mark>s, plain text) of a window of ``text`` around the best cluster of matches."""
    q = query if isinstance(query, Query) else parse_query(query)
    folded = fold(text) if folded is None else folded
    spans = _match_spans(folded, q, cap=MAX_SPANS)
    if spans:
        best = _best_window(folded, spans, width - 40)
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
    near = _match_spans(folded, q, max(0, start - 80), min(len(folded), end + 80))  # every match in the window
    inside = [(max(a, start), min(b, end)) for a, b in near if a < end and b > start]
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return prefix + _marked(window, inside, start) + suffix, prefix + window + suffix
