"""Where content comes from: every sourced object names an exact page and a check date.

Rules (enforced by :mod:`explorer.content.validate`, so ``python -m explorer validate`` fails on them):

* **Present.** Vendor rungs, vendors, certifications, trends and the ML Test Score carry
  ``source_url`` + ``last_verified`` through the schema.  The hierarchy, workflows, breakdown,
  platforms and analogy files and every glossary term must carry both as well; their schema
  fields are optional only so that unit tests can build small models, and the validator reports
  a missing one exactly like a missing schema field.
* **Exact.** A ``source_url`` must point at the page or file that supports the facts, not at a
  site's home page or a code repository's front page (:func:`weak_source`).
* **Fresh.** A fact whose ``last_verified`` is more than a year before today may be out of date:
  :func:`is_stale` decides it and :func:`checked_label` says it beside the source ("checked
  2025-03-01, may be out of date") wherever a source is shown; ``python -m explorer
  check-sources`` lists them.

Pure functions only; nothing here reads files.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote, urlsplit

REPO_HOSTS = frozenset({"github.com", "gitlab.com", "bitbucket.org", "codeberg.org"})

# parts whose top-level object must carry source_url + last_verified (besides the schema-sourced ones)
SOURCED_FILES = ("hierarchy", "workflows", "breakdown", "platforms", "analogy")
MISSING = "required field is missing"
STALE_NOTE = "may be out of date"


def year_before(today: _dt.date) -> _dt.date:
    """The same day one year earlier (29 February becomes 28 February)."""
    try:
        return today.replace(year=today.year - 1)
    except ValueError:
        return today.replace(year=today.year - 1, day=28)


def is_stale(last_verified: _dt.date | None, today: _dt.date) -> bool:
    """True when the fact was last checked more than a year before ``today`` (a year to the day is
    still fresh).  No date at all is not "stale": the validator reports it as missing instead."""
    return last_verified is not None and last_verified < year_before(today)


def checked_label(last_verified: _dt.date | None, today: _dt.date) -> str:
    """What to print beside a source: "checked 2026-11-29", or "checked 2025-03-01, may be out of date"."""
    if last_verified is None:
        return "check date unknown"
    return f"checked {last_verified.isoformat()}" + (f", {STALE_NOTE}" if is_stale(last_verified, today) else "")


def weak_source(url: str) -> str | None:
    """Why ``url`` is not an exact source, or None when it points at a specific page or file.

    * a bare domain: the path is empty or ``/`` (a query string does not make it a page:
      ``https://example.com/?p=12`` is still the site's front page with a post id);
    * a repository home on a code host: ``https://github.com/org``, ``https://github.com/org/repo``
      (with or without ``.git``, a trailing slash or ``/tree/<branch>``).
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "is not an http(s) URL"
    path = parts.path
    if path in ("", "/"):
        return "is a bare domain (a site's home page, no path to a page)"
    host = parts.hostname or ""
    if host.startswith("www."):
        host = host[4:]
    if host in REPO_HOSTS:
        segs = [unquote(s) for s in path.split("/") if s]
        if segs and segs[-1].endswith(".git"):
            segs[-1] = segs[-1][: -len(".git")]
        if len(segs) <= 2:
            return "is a repository or account home on a code host, not a file in it"
        if segs[2] == "tree" and len(segs) <= 4:
            return "is a repository home at a branch, not a file in it"
    return None


def _checks(obj: Any, loc: tuple[Any, ...], what: str, *, need_fields: bool) -> Iterator[tuple[tuple[Any, ...], str]]:
    url = getattr(obj, "source_url", None)
    if need_fields:
        if not url:
            yield (*loc, "source_url"), f"{MISSING}: every {what} needs a source_url (and a last_verified date), as vendor rungs do"
        if getattr(obj, "last_verified", None) is None:
            yield (*loc, "last_verified"), f"{MISSING}: every {what} needs a last_verified date next to its source_url"
    if url:
        why = weak_source(url)
        if why:
            yield (*loc, "source_url"), f"source_url {url!r} {why}; link the exact page or file that supports the facts"


def source_problems(content: Any) -> Iterator[tuple[str, int | None, tuple[Any, ...], str]]:
    """Yield ``(part, vendor_index, loc, message)`` for every missing or weak source.

    ``vendor_index`` is the position of the vendor in ``content.vendors`` for the ``maturity``
    part (one file per vendor) and None otherwise.  Broken parts are skipped.
    """
    if content.ok("maturity"):
        for vi, v in enumerate(content.vendors):
            for loc, msg in _checks(v, (), "vendor", need_fields=False):
                yield "maturity", vi, loc, msg
            for li, lv in enumerate(v.levels):
                for loc, msg in _checks(lv, ("levels", li), "rung", need_fields=False):
                    yield "maturity", vi, loc, msg
    if content.ok("certifications"):
        for i, cert in enumerate(content.certifications):
            for loc, msg in _checks(cert, ("certifications", i), "certification", need_fields=False):
                yield "certifications", None, loc, msg
    if content.ok("trends"):
        for i, t in enumerate(content.trends.trends):
            for loc, msg in _checks(t, ("trends", i), "trend", need_fields=False):
                yield "trends", None, loc, msg
    if content.ok("ml_test_score"):
        for loc, msg in _checks(content.ml_test_score, (), "rubric", need_fields=False):
            yield "ml_test_score", None, loc, msg
    for part in SOURCED_FILES:
        if content.ok(part):
            for loc, msg in _checks(content.get(part), (), f"{part} file", need_fields=True):
                yield part, None, loc, msg
    if content.ok("glossary"):
        for i, term in enumerate(content.glossary):
            for loc, msg in _checks(term, ("terms", i), "glossary term", need_fields=True):
                yield "glossary", None, loc, msg
