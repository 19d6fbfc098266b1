"""Obsidian links with uploads (#23): an upload's [[links]] resolve among the shipped notes and the session's
other uploads, the shipped note it links to lists it under "Linked from" in that session only, and nothing
of it reaches a cache shared between sessions."""

from __future__ import annotations

from tests.apptest_util import html_bodies, no_exception, open_page
from tests.test_session_isolation import _strings, process_wide_cached_values

MARKER = "quokkalink7e1"
UPLOAD = f"""---
title: Private links
---
My {MARKER} thoughts on [[kaizen|continuous improvement]] and on [[Second upload]].

A missing one: [[Nowhere at all]].
""".encode()
SECOND = b"# Second upload\n\nIt links back to [[private]].\n"


def test_upload_links_resolve_and_backlinks_stay_in_the_session():
    a = open_page("pages/1_Notes.py")
    a.file_uploader(key="note_uploads").set_value([("private.md", UPLOAD, "text/markdown"),
                                                   ("Second upload.md", SECOND, "text/markdown")])
    a.run()
    no_exception(a)
    ids = {n.title: n.id for n in a.session_state["uploaded_notes"].values()}
    a.query_params["note"] = ids["Second upload"]  # opened: its links count (an upload is read when opened)
    a.run()
    a.query_params["note"] = ids["Private links"]
    a.run()
    body = "\n".join(b for b in html_bodies(a) if "note-body" in b or "backlinks" in b)  # not the folder tree
    assert 'href="?note=kaizen"' in body and ">continuous improvement</a>" in body
    assert f'href="?note={ids["Second upload"]}"' in body  # another upload of this session
    assert "“Nowhere at all” is not in your notes" in body
    assert "Linked from" in body and "It links back to private." in body  # the second upload links here

    a.query_params["note"] = "kaizen"
    a.run()
    body = "\n".join(html_bodies(a))
    assert "Linked from" in body and f"My {MARKER} thoughts on continuous improvement" in body

    leaked = [type(v).__name__ for v in process_wide_cached_values() if any(MARKER in s for s in _strings(v, set()))]
    assert leaked == []
    b = open_page("pages/1_Notes.py", {"note": "kaizen"})
    no_exception(b)
    assert MARKER not in "\n".join(html_bodies(b))
