"""The search query language: terms and "quoted phrases", folded, within limits.

* words are matched case- and accent-insensitively (:func:`fold`) at the *start* of a word
  (``deploy`` finds "deployment", ``ops`` does not find "MLOps"); CJK text is matched anywhere;
  one-letter terms are whole words;
* ``"exact phrase"`` in double quotes must occur as written (whole words, any whitespace between them);
* queries are cut to :data:`MAX_QUERY_CHARS` characters and :data:`MAX_QUERY_TERMS` terms;
* a word may be widened by close spellings from the index's vocabulary (:func:`with_variants`, chosen by
  :mod:`.search_typos`): it then matches its own prefix *or* any of those whole words.

:func:`parse_query` turns the text into a :class:`Query` of :class:`Needle` s, each with the
patterns the index (:mod:`.search_shard`) and the snippets (:mod:`.search_snippets`) match with.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

MAX_QUERY_CHARS = 200
MAX_QUERY_TERMS = 12

_CJK_RE = re.compile(r"[\u2E80-\u9FFF\uAC00-\uD7AF\uF900-\uFAFF\u3040-\u30FF\uFF66-\uFF9F]")
WORD_RE = re.compile(r"\w+")
"""A word of folded text (the index's tokens)."""
SPACE_RE = re.compile(r"\s+")


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
    variants: tuple[str, ...] = ()  # close spellings from the vocabulary (whole words), ORed with the word

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
            phrase = SPACE_RE.sub(" ", m.group(1)).strip()
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
    tokens = tuple(WORD_RE.findall(folded))
    whole = exact or (len(folded) == 1)
    body = r"\s+".join(re.escape(w) for w in folded.split(" "))
    check_start = not anywhere and bool(re.match(r"\w", folded))
    end = r"(?!\w)" if whole and not anywhere and re.search(r"\w$", folded) else ""
    pattern = re.compile(("(?<!\\w)" if check_start else "") + body + end)
    fast = re.compile(body + end)
    return Needle(folded, whole, pattern, fast, check_start, tokens, anywhere or not tokens)


def with_variants(nd: Needle, variants: tuple[str, ...]) -> Needle:
    """``nd`` (a plain word) that also matches each of ``variants`` as a whole word (typo tolerance)."""
    if not variants:
        return nd
    alts = "|".join(re.escape(v) for v in variants)
    body = f"(?:{re.escape(nd.text)}|(?:{alts})(?!\\w))"
    return Needle(nd.text, nd.phrase, re.compile("(?<!\\w)" + body), re.compile(body), nd.check_start, nd.tokens,
                  nd.anywhere, tuple(variants))
