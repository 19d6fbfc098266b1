"""The content watch (#22): with file-system events, a call with nothing changed walks nothing; an edit, an add,
a rename and a delete are seen; without events (watchdog unavailable, a folder that cannot be watched) every call
walks, as before; a walk at least every ``max_age`` seconds whatever the events say."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from explorer.content.loader import content_stamp
from explorer.content.watch import ContentWatch, watch_for


def _folder(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    (root / "notes" / "deep").mkdir(parents=True)
    (root / "glossary.yaml").write_text("terms: []\n", encoding="utf-8")
    (root / "notes" / "a.md").write_text("# A\n", encoding="utf-8")
    (root / "notes" / "deep" / "b.md").write_text("# B\n", encoding="utf-8")
    return root


def _until(cond, timeout: float = 10.0) -> bool:
    """Wait for the watcher's thread to report (a condition, not a timing: the test fails only if it never does)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.01)
    return cond()


def _paths(stamp) -> list[str]:
    return [p for p, _, _ in stamp]


@pytest.fixture(params=["inotify", "watchdog"])
def watched(tmp_path: Path, request):
    root = _folder(tmp_path)
    w = ContentWatch(root, content_stamp, max_age=3600, events=request.param)
    assert w.start(), f"{request.param} must start on this machine (Linux; watchdog is in requirements.txt)"
    yield root, w
    w.stop()


def test_with_inotify_every_change_shows_on_the_very_next_call(tmp_path: Path):
    """The kernel's queue is read in the caller's thread: no waiting for an event (the page run right after a
    save sees it, whatever the load)."""
    root = _folder(tmp_path)
    w = ContentWatch(root, content_stamp, max_age=3600, events="inotify")
    assert w.start()
    try:
        first = w.stamp()
        walks = w.walks
        assert [w.stamp() for _ in range(10)] == [first] * 10 and w.walks == walks
        path = root / "notes" / "deep" / "b.md"
        path.write_text("# C\n", encoding="utf-8")  # same size, maybe the same mtime tick: the event tells
        st = path.stat()
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
        assert w.stamp() != first
        (root / "notes" / "empty").mkdir()
        assert _paths(w.stamp()) == _paths(first)  # an empty folder holds no content file
        (root / "notes" / "empty" / "x.md").write_text("# X\n", encoding="utf-8")  # in a folder made after the start
        assert "notes/empty/x.md" in _paths(w.stamp())
        (root / "notes" / "empty" / "x.md").rename(root / "notes" / "y.md")
        assert "notes/y.md" in _paths(w.stamp()) and "notes/empty/x.md" not in _paths(w.stamp())
        (root / "notes" / "y.md").unlink()
        assert "notes/y.md" not in _paths(w.stamp())
        assert w.stamp() == content_stamp(root)
    finally:
        w.stop()


def test_nothing_changed_walks_nothing_and_every_change_is_seen(watched):
    root, w = watched
    first = w.stamp()
    assert _paths(first) == ["glossary.yaml", "notes/a.md", "notes/deep/b.md"]
    _until(lambda: False, 0.2)  # let events from the set-up (if any) arrive, then settle
    w.stamp()
    walks = w.walks
    for _ in range(20):
        assert w.stamp() == first
    assert w.walks == walks, "a call with nothing changed must not walk the folder"

    # an edit (same size: the mtime tells)
    path = root / "notes" / "deep" / "b.md"
    path.write_text("# C\n", encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
    assert _until(lambda: w.stamp() != first)
    # an add in a new folder
    (root / "notes" / "new").mkdir()
    (root / "notes" / "new" / "c.md").write_text("# New\n", encoding="utf-8")
    assert _until(lambda: "notes/new/c.md" in _paths(w.stamp()))
    # a file added inside the folder created after the watch started is seen too
    (root / "notes" / "new" / "d.md").write_text("# D\n", encoding="utf-8")
    assert _until(lambda: "notes/new/d.md" in _paths(w.stamp()))
    # a rename
    (root / "notes" / "a.md").rename(root / "notes" / "deep" / "a2.md")
    assert _until(lambda: "notes/deep/a2.md" in _paths(w.stamp()))
    assert "notes/a.md" not in _paths(w.stamp())
    # a delete
    (root / "notes" / "deep" / "b.md").unlink()
    assert _until(lambda: "notes/deep/b.md" not in _paths(w.stamp()))
    assert w.stamp() == content_stamp(root)


def test_without_events_every_call_walks_and_sees_a_change_at_once(tmp_path: Path):
    root = _folder(tmp_path)
    w = ContentWatch(root, content_stamp, max_age=3600)  # not started: no events to trust
    assert not w.watching
    w.stamp()
    walks = w.walks
    w.stamp()
    assert w.walks == walks + 1
    (root / "notes" / "z.md").write_text("# Z\n", encoding="utf-8")
    assert "notes/z.md" in _paths(w.stamp())  # no waiting: the fallback is the stat walk


def test_a_watch_that_cannot_start_falls_back_to_the_walk(tmp_path: Path, monkeypatch):
    import watchdog.observers

    class Broken:
        def __init__(self, *a, **k):
            raise OSError(28, "inotify watch limit reached")

    monkeypatch.setattr(watchdog.observers, "Observer", Broken)
    root = _folder(tmp_path)
    w = ContentWatch(root, content_stamp, events="watchdog")
    assert w.start() is False and not w.watching
    w.stamp()
    (root / "notes" / "late.md").write_text("# Late\n", encoding="utf-8")
    assert "notes/late.md" in _paths(w.stamp())


def test_a_walk_at_least_every_max_age_seconds(watched):
    root, w = watched
    w.max_age = 0.0  # events could be lost (a network file system): the age bounds how stale a stamp can get
    w.stamp()
    walks = w.walks
    w.stamp()
    assert w.walks == walks + 1


def test_one_watch_per_folder_and_a_bounded_number(tmp_path: Path):
    roots = []
    for i in range(6):
        r = tmp_path / f"c{i}"
        r.mkdir()
        roots.append(r)
    watches = [watch_for(r, content_stamp) for r in roots]
    assert watch_for(roots[-1], content_stamp) is watches[-1]
    alive = [w for w in watches if w.watching]
    assert len(alive) <= 4
    assert not watches[0].watching  # the oldest was stopped: it walks every call
    for w in watches:
        w.stop()
