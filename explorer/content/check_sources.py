"""``python -m explorer check-sources``: are the pages the content cites still there? (issue 25)

Every ``source_url`` in the content (vendors and their rungs, certifications, trends, the ML Test
Score, the sourced files, glossary terms) and, with ``--notes``, every http(s) link and image in
the notes is fetched once and sorted into:

* **ok** -- 2xx (or 304);
* **moved** -- a redirect (301, 302, 303, 307, 308), reported with its ``Location`` (made absolute).
  Redirects are never followed silently: the new address is for a person to check and copy;
* **dead** -- 4xx or 5xx, after a HEAD *and* a GET (some servers refuse or mishandle HEAD);
* **unreachable** -- no HTTP answer: DNS failure, refused connection, TLS error, or no answer
  within ``timeout`` seconds.

It also lists the facts whose ``last_verified`` is more than a year before today
(:func:`explorer.content.sources.is_stale`).  The exit status is 1 when a source is dead, else 0 (moved,
unreachable and stale are reported for a person to look at).  It never edits the content.

Politeness: one request at a time per host with ``delay`` seconds between them, at most
``workers`` hosts at once, a ``User-Agent`` that names the tool, a HEAD first (no body), and a GET
that reads at most one byte.  Standard library only (``urllib``).
"""

from __future__ import annotations

import datetime as _dt
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from http.client import HTTPException
from urllib.parse import urljoin, urlsplit

from explorer.content.sources import SOURCED_FILES, is_stale

USER_AGENT = "mlops-course-notes-explorer check-sources/1 (python -m explorer check-sources; polite, HEAD first)"
REDIRECTS = frozenset({301, 302, 303, 307, 308})
DEFAULT_TIMEOUT = 10.0
DEFAULT_DELAY = 1.0
DEFAULT_WORKERS = 4
OK, MOVED, DEAD, UNREACHABLE = "ok", "moved", "dead", "unreachable"


# --------------------------------------------------------------------------- what to check
@dataclass(frozen=True)
class Sourced:
    """One place that cites a URL: ``where`` ("certifications.yaml: mls-c01"), the URL, its check date."""

    where: str
    url: str
    last_verified: _dt.date | None = None


def _item(file: str, ident: str, obj) -> Sourced | None:
    url = getattr(obj, "source_url", None)
    if not url:
        return None
    return Sourced(f"{file}: {ident}" if ident else file, url, getattr(obj, "last_verified", None))


def content_sources(content) -> list[Sourced]:
    """Every ``source_url`` with where it is cited and its ``last_verified`` (broken parts are skipped)."""
    out: list[Sourced | None] = []
    if content.ok("maturity"):
        for v in content.vendors:
            out.append(_item(f"maturity/{v.id}.yaml", v.id, v))
            out += [_item(f"maturity/{v.id}.yaml", lv.id, lv) for lv in v.levels]
    if content.ok("certifications"):
        out += [_item("certifications.yaml", c.id, c) for c in content.certifications]
    if content.ok("trends"):
        out += [_item("trends.yaml", t.id, t) for t in content.trends.trends]
    if content.ok("ml_test_score"):
        out.append(_item("ml_test_score.yaml", "", content.ml_test_score))
    for part in SOURCED_FILES:
        if content.ok(part):
            out.append(_item(f"{part}.yaml", "", content.get(part)))
    if content.ok("glossary"):
        out += [_item("glossary.yaml", t.id, t) for t in content.glossary]
    return [s for s in out if s is not None]


def note_links(notes) -> list[Sourced]:
    """The http(s) links and images of the notes (``Note`` objects), where = "notes/<path>"."""
    out = []
    for n in notes:
        where = f"notes/{n.path or n.filename or n.id}"
        doc = n.document()
        urls = list(doc.images)
        for tok in doc.tokens:
            for child in tok.children or ():
                if child.type == "link_open":
                    urls.append(str(child.attrGet("href") or ""))
        out += [Sourced(where, u) for u in dict.fromkeys(urls) if u.startswith(("http://", "https://"))]
    return out


def stale_facts(items: Iterable[Sourced], today: _dt.date) -> list[Sourced]:
    """The cited facts last checked more than a year before ``today`` (oldest first)."""
    old = [s for s in items if is_stale(s.last_verified, today)]
    return sorted(old, key=lambda s: (s.last_verified, s.where))


# --------------------------------------------------------------------------- fetching
@dataclass(frozen=True)
class Check:
    url: str
    status: str  # ok, moved, dead, unreachable
    code: int | None = None
    location: str = ""  # where a redirect points (absolute)
    detail: str = ""  # the reason for unreachable, the HTTP reason otherwise
    method: str = "HEAD"  # the request that decided it
    where: tuple[str, ...] = field(default_factory=tuple)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect instead of following it: urllib then raises HTTPError with the 3xx code."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: D401 - urllib's hook
        return None


def _opener() -> urllib.request.OpenerDirector:
    return urllib.request.build_opener(_NoRedirect())


def _request(url: str, method: str, timeout: float, opener) -> Check:
    req = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    try:
        with opener.open(req, timeout=timeout) as resp:
            if method == "GET":
                resp.read(1)
            return Check(url, OK, resp.status, detail=str(resp.reason or ""), method=method)
    except urllib.error.HTTPError as exc:
        code = exc.code
        headers = exc.headers
        exc.close()
        if code in REDIRECTS:
            target = headers.get("Location", "") if headers is not None else ""
            return Check(url, MOVED, code, location=urljoin(url, target) if target else "",
                         detail="" if target else "redirect without a Location header", method=method)
        if code == 304:
            return Check(url, OK, code, method=method)
        return Check(url, DEAD, code, detail=str(exc.reason or ""), method=method)
    except TimeoutError:
        return Check(url, UNREACHABLE, detail=f"no answer within {timeout:g} s", method=method)
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            return Check(url, UNREACHABLE, detail=f"no answer within {timeout:g} s", method=method)
        return Check(url, UNREACHABLE, detail=str(reason), method=method)
    except (OSError, HTTPException, ValueError) as exc:  # a connection reset mid-answer, a malformed URL
        return Check(url, UNREACHABLE, detail=f"{type(exc).__name__}: {exc}", method=method)


def fetch(url: str, *, timeout: float = DEFAULT_TIMEOUT, opener=None) -> Check:
    """HEAD, then GET when the HEAD got an HTTP error (4xx/5xx): the GET decides.  Never follows a redirect."""
    opener = opener or _opener()
    first = _request(url, "HEAD", timeout, opener)
    if first.status != DEAD:
        return first
    return _request(url, "GET", timeout, opener)


def check_urls(
    urls: Sequence[str],
    *,
    timeout: float = DEFAULT_TIMEOUT,
    delay: float = DEFAULT_DELAY,
    workers: int = DEFAULT_WORKERS,
    fetcher: Callable[[str], Check] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[Check]:
    """Fetch each distinct URL once, in input order: one host at a time per worker, ``delay`` seconds
    between two requests to the same host, at most ``workers`` hosts at once."""
    distinct = list(dict.fromkeys(urls))
    fetcher = fetcher or (lambda u: fetch(u, timeout=timeout))
    by_host: dict[str, list[str]] = {}
    for u in distinct:
        by_host.setdefault((urlsplit(u).hostname or "").lower(), []).append(u)

    def one_host(host_urls: list[str]) -> list[Check]:
        out = []
        for i, u in enumerate(host_urls):
            if i and delay > 0:
                sleep(delay)
            out.append(fetcher(u))
        return out

    results: dict[str, Check] = {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(by_host) or 1))) as pool:
        for checks in pool.map(one_host, by_host.values()):
            results.update((c.url, c) for c in checks)
    return [results[u] for u in distinct]


def check_sources(items: Sequence[Sourced], **kwargs) -> list[Check]:
    """:func:`check_urls` over the cited URLs, each result carrying every place that cites it."""
    where: dict[str, list[str]] = {}
    for s in items:
        where.setdefault(s.url, []).append(s.where)
    checks = check_urls([s.url for s in items], **kwargs)
    return [Check(**{**asdict(c), "where": tuple(where.get(c.url, ()))}) for c in checks]


# --------------------------------------------------------------------------- the report
def _cited(c: Check, n: int = 3) -> str:
    more = f" and {len(c.where) - n} more" if len(c.where) > n else ""
    return "; ".join(c.where[:n]) + more


def format_report(checks: Sequence[Check], stale: Sequence[Sourced], today: _dt.date, *, fetched: bool = True) -> str:
    lines: list[str] = []
    if fetched:
        counts = {k: sum(c.status == k for c in checks) for k in (OK, MOVED, DEAD, UNREACHABLE)}
        lines.append(f"checked {len(checks)} URL(s): {counts[OK]} ok, {counts[MOVED]} moved, {counts[DEAD]} dead, "
                     f"{counts[UNREACHABLE]} unreachable")
        for status, title in ((DEAD, "dead"), (MOVED, "moved (update the link after checking the new page)"),
                              (UNREACHABLE, "unreachable (try again later)")):
            group = [c for c in checks if c.status == status]
            if not group:
                continue
            lines.append(f"\n{title}:")
            for c in group:
                if status == DEAD:
                    lines.append(f"  {c.code} {c.detail}".rstrip() + f": {c.url}")
                elif status == MOVED:
                    lines.append(f"  {c.code}: {c.url}\n    -> {c.location or '(no Location header)'}")
                else:
                    lines.append(f"  {c.detail}: {c.url}")
                if c.where:
                    lines.append(f"    cited in {_cited(c)}")
    lines.append(f"\n{len(stale)} fact(s) checked more than a year before {today.isoformat()}" + (":" if stale else ""))
    for s in stale:
        lines.append(f"  {s.last_verified.isoformat()}  {s.where}  {s.url}")
    return "\n".join(lines).lstrip("\n")


def as_json(checks: Sequence[Check], stale: Sequence[Sourced], today: _dt.date) -> str:
    return json.dumps({
        "today": today.isoformat(),
        "checks": [asdict(c) | {"where": list(c.where)} for c in checks],
        "stale": [{"where": s.where, "url": s.url, "last_verified": s.last_verified.isoformat()} for s in stale],
    }, indent=2, ensure_ascii=False)


def exit_code(checks: Sequence[Check]) -> int:
    """1 when any source is dead, else 0."""
    return 1 if any(c.status == DEAD for c in checks) else 0
