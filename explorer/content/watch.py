"""Notice changes under ``content/`` without a stat walk per page run: file-system events mark it dirty.

:func:`explorer.content.loader.content_stamp` stats every content file (~7-20 ms for a 1,000-note vault).
A :class:`ContentWatch` keeps the last stamp and walks again only when

* a folder that holds content files changed its modification time (a file added, removed or renamed), or
* ``watchdog`` (the library Streamlit's own file watcher uses: inotify on Linux, FSEvents on macOS,
  ReadDirectoryChangesW on Windows) reported an event under the folder since the last walk, or
* the last walk is older than :data:`MAX_AGE` seconds (events can be lost: a network file system, an
  overflowed queue), or
* the watcher is not running (``watchdog`` missing, the folder cannot be watched): then every call walks,
  as before.

A call with no event also stats the folders that hold content files (a few dozen for a 1,000-note
vault, against a stat per file): an add, a delete or a rename changes its folder's time at once, so it
shows on the next call even before its event arrives (watchdog holds a move up to half a second to pair
it).  An event marks the folder dirty before the walk starts reading it (the flag is cleared first), so a
change made during a walk is seen by the next call.  An edit in place changes no folder: its event
arrives on watchdog's thread within milliseconds of the write (a page run that starts in that window
sees the edit on the run after it, or after :data:`MAX_AGE` at the latest).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_AGE = 2.0  # seconds: a walk at least this often, whatever the events say

log = logging.getLogger(__name__)


class ContentWatch:
    """The stamp of one content folder, walked again only when something under it changed (see the module doc)."""

    def __init__(self, root: str | Path, walk: Callable[[Path], Any], max_age: float = MAX_AGE) -> None:
        self.root = Path(root)
        self._walk = walk
        self.max_age = max_age
        self._lock = threading.Lock()
        self._dirty = True
        self._stamp: Any = None
        self._key = ""
        self._dirs: tuple[str, ...] = ()
        self._dir_mtimes: tuple[int, ...] = ()
        self._walked = 0.0
        self._observer: Any = None
        self.walks = 0  # full walks made (tests, the bench)
        self.events = 0  # file-system events seen

    # ---- events
    def _changed(self, _event: Any = None) -> None:
        self.events += 1
        self._dirty = True

    def start(self) -> bool:
        """Start watching (once); False when events are unavailable (every :meth:`stamp` then walks)."""
        if self._observer is not None:
            return self.watching
        try:
            from watchdog.events import FileSystemEventHandler
            from watchdog.observers import Observer
        except ImportError:  # pragma: no cover - watchdog is in requirements.txt
            return False
        watch = self

        class _Handler(FileSystemEventHandler):
            def on_any_event(self, event: Any) -> None:
                if event.event_type not in ("opened", "closed_no_write"):  # reads change nothing
                    watch._changed(event)

        try:
            obs = Observer()
            obs.daemon = True
            obs.schedule(_Handler(), str(self.root), recursive=True)
            obs.start()
        except Exception as exc:  # no inotify watches left, a folder that cannot be watched, ...
            log.warning("content watch unavailable for %s (%s): every page run walks the folder", self.root, exc)
            self._observer = False
            return False
        self._observer = obs
        self._dirty = True
        return True

    @property
    def watching(self) -> bool:
        obs = self._observer
        return bool(obs) and obs.is_alive()

    def stop(self) -> None:
        obs = self._observer
        if obs:
            obs.stop()
            obs.join(timeout=2)
        self._observer = False

    # ---- the stamp
    def stamp(self) -> Any:
        """The folder's stamp: the last one while nothing changed, else a fresh walk."""
        return self.current()[0]

    def current(self) -> tuple[Any, str]:
        """(the folder's stamp, a hash of it): the last ones while nothing changed, else from a fresh walk."""
        now = time.monotonic()
        with self._lock:
            if (self._stamp is not None and not self._dirty and self.watching
                    and now - self._walked < self.max_age and _dir_times(self._dirs) == self._dir_mtimes):
                return self._stamp, self._key
            self._dirty = False  # cleared before the walk: an event during it marks the next call dirty
            stamp = self._walk(self.root)
            self.walks += 1
            if stamp != self._stamp:
                self._key = hashlib.sha1(repr(stamp).encode()).hexdigest()
                self._dirs = _folders(self.root, stamp)
            self._dir_mtimes = _dir_times(self._dirs)
            self._stamp, self._walked = stamp, now
            return stamp, self._key


def _folders(root: Path, stamp: Any) -> tuple[str, ...]:
    """The folders that hold the stamp's files (and the root): where an add, a delete or a rename shows as a
    changed folder time at once, whatever the events' delay (a move can wait half a second in watchdog)."""
    out = {""}
    for rel, *_ in stamp:
        parts = rel.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            out.add("/".join(parts[:i]))
    return tuple(os.path.join(root, d) if d else str(root) for d in sorted(out))


def _dir_times(dirs: tuple[str, ...]) -> tuple[int, ...]:
    out = []
    for d in dirs:
        try:
            out.append(os.stat(d).st_mtime_ns)
        except OSError:
            out.append(-1)
    return tuple(out)


_WATCHES: dict[str, ContentWatch] = {}
_WATCHES_LOCK = threading.Lock()
MAX_WATCHES = 4  # folders watched per process (the app has one; tests point it at a few)


def watch_for(root: str | Path, walk: Callable[[Path], Any]) -> ContentWatch:
    """The process's watch of ``root`` (started on first use; the oldest is stopped past :data:`MAX_WATCHES`)."""
    key = str(Path(root))
    with _WATCHES_LOCK:
        w = _WATCHES.get(key)
        if w is None:
            w = _WATCHES[key] = ContentWatch(root, walk)
            w.start()
            while len(_WATCHES) > MAX_WATCHES:
                old = _WATCHES.pop(next(iter(_WATCHES)))
                old.stop()
        return w
