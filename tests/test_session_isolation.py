"""What a visitor uploads stays in their session: never in a process-wide cache, bounded per session.

The process-wide caches (``st.cache_resource``) are walked after one session uploaded, read,
searched and studied a note with a unique marker: the marker must not be in any of them, and a
second session must not see the note.  A session cannot hold more than the upload limit.
"""

from __future__ import annotations

import dataclasses

from tests.apptest_util import html_bodies, no_exception, open_page, search_hit_links

MARKER = "zebracorn9f2c"
NOTE = f"""---
title: Private week
---
## Secret section

The {MARKER} lives only in this session. ![fig](figures/maturity_ladders.png)

{MARKER} card :: it must not reach a shared cache
""".encode()


def _strings(value, seen: set[int], depth: int = 0):
    """Every string reachable from a cached value (objects, mappings, sequences), bounded in depth."""
    if depth > 8 or id(value) in seen:
        return
    seen.add(id(value))
    if isinstance(value, str):
        yield value
    elif isinstance(value, bytes):
        yield value.decode("utf-8", "replace")
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k, seen, depth + 1)
            yield from _strings(v, seen, depth + 1)
    elif isinstance(value, (list, tuple, set, frozenset)):
        for v in value:
            yield from _strings(v, seen, depth + 1)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name, None), seen, depth + 1)
    elif hasattr(value, "__dict__") and not isinstance(value, type):
        yield from _strings(vars(value), seen, depth + 1)
    elif hasattr(value, "tolist"):  # numpy arrays in the search index
        yield from _strings(value.tolist(), seen, depth + 1)


def process_wide_cached_values() -> list:
    from streamlit.runtime.caching.cache_resource_api import _resource_caches

    values = []
    for caches in _resource_caches._function_caches.values():
        for cache in caches.values():
            for entry in list(cache._mem_cache.values()):
                values.append(getattr(entry, "value", entry))
    return values


def _upload(at, files):
    at.file_uploader(key="note_uploads").set_value(files)
    return at.run()


def test_an_upload_never_reaches_a_process_wide_cache_nor_another_session():
    a = open_page("pages/1_Notes.py")
    _upload(a, [("private.md", NOTE, "text/markdown")])
    no_exception(a)
    (note,) = a.session_state["uploaded_notes"].values()
    a.query_params["note"] = note.id
    a.run()
    assert MARKER in "\n".join(html_bodies(a))  # it was rendered...
    a.switch_page("pages/2_Search.py")
    a.query_params["q"] = MARKER
    a.run()
    assert any(note.id in href for href in search_hit_links(a))  # ...searched...
    a.switch_page("pages/11_Study.py")
    a.query_params["tab"] = "cards"
    a.run()
    no_exception(a)
    values = process_wide_cached_values()
    assert values, "the walk must see the shared caches (content, rendered shipped notes, search index)"
    leaked = [type(v).__name__ for v in values if any(MARKER in s for s in _strings(v, set()))]
    assert leaked == [], f"upload-derived data in process-wide caches: {leaked}"

    b = open_page("pages/2_Search.py", {"q": MARKER})
    no_exception(b)
    assert not any(note.id in href for href in search_hit_links(b))
    assert search_hit_links(open_page("pages/2_Search.py", {"q": "kaizen"}))  # (the helper sees hits)
    assert "uploaded_notes" not in b.session_state or not b.session_state["uploaded_notes"]


def test_a_session_cannot_hold_more_than_the_upload_limit():
    from explorer.notes.uploads import MAX_UPLOADS

    at = open_page("pages/1_Notes.py")
    files = [(f"n{i}.md", f"## Note {i}\n\ntext {i}\n".encode(), "text/markdown") for i in range(MAX_UPLOADS)]
    _upload(at, files)
    assert len(at.session_state["uploaded_notes"]) == MAX_UPLOADS
    _upload(at, [*files, ("one-more.md", b"## Extra\n", "text/markdown")])
    no_exception(at)
    assert len(at.session_state["uploaded_notes"]) == MAX_UPLOADS
    assert any("at most" in e.value and "one-more.md" in e.value.replace("\\", "") for e in at.error)  # (Markdown-escaped)
    # removing a file from the uploader removes its note
    _upload(at, files[1:])
    assert len(at.session_state["uploaded_notes"]) == MAX_UPLOADS - 1
