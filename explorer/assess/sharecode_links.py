"""Share links: a code put into a page's address, and a code taken back out of a pasted link."""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit, urlunsplit

from explorer.assess.sharecode_parts import MAX_INPUT
from explorer.assess.sharecode_workshop import WORKSHOP_PARAM

QUERY_PARAM = "a"  # the self-assessment page reads the code from ?a=...


def share_url(base_url: str, code: str, param: str = QUERY_PARAM) -> str:
    """``base_url`` with ``?<param>=<code>`` set (other query parameters are kept, an old code is replaced)."""
    parts = urlsplit(base_url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    query.append((param, code))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), parts.fragment))


def extract_code(text: str, params: Sequence[str] = (QUERY_PARAM, WORKSHOP_PARAM)) -> str:
    """The code inside a pasted share link (its ``?a=`` or ``?w=`` value), or the text itself, stripped.

    Never raises for text input; the result is what :func:`explorer.assess.sharecode.decode` /
    :func:`explorer.assess.sharecode.decode_workshop` should read.
    """
    text = text.strip()
    if "?" not in text and "://" not in text:
        return text
    try:
        query = parse_qs(urlsplit(text[:MAX_INPUT * 2]).query, keep_blank_values=True, max_num_fields=50)
    except ValueError:
        return text
    for p in params:
        if query.get(p):
            return query[p][0].strip()
    return text
