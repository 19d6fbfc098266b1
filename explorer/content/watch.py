"""Notice changes under ``content/`` without a stat walk per page run: file-system events mark it dirty.

:func:`explorer.content.loader.content_stamp` stats every content file (~7-20 ms for a 1,000-note vault).
A :class:`ContentWatch` keeps the last stamp and walks again only when

* a folder that holds content files changed its modification time (a file added, removed or renamed), or
* the folder's events say something changed since the last walk: on Linux, the kernel's inotify queue read
  in the caller's own thread (non-blocking, one ``read`` per call: exact, the kernel queues an event before
  the write returns); elsewhere ``watchdog`` (the library Streamlit's own file watcher uses: FSEvents on macOS,
  ReadDirectoryChangesW on Windows), whose events arrive on its own threads, or
* the last walk is older than :data:`MAX_AGE` seconds (events can be lost: a network file system, an
  overflowed queue), or
* the watcher is not running (``watchdog`` missing, the folder cannot be watched): then every call walks,
  as before.

With watchdog, a call with no event also stats the folders that hold content files (a few dozen for a 1,000-note
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
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_AGE = 2.0  # seconds: a walk at least this often, whatever the events say

log = logging.getLogger(__name__)


_IN_MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800  # modify, attrib, close_write, moves, create,
# delete, delete_self, move_self (an overflow is always reported)


class _Inotify:
    """Linux's inotify queue, read in the caller's own thread (non-blocking): the kernel queues an event before
    the write that causes it returns, so the next call sees every change made before it (watchdog delivers
    on its threads: a move waits up to half a second there, and an edit was missed by the next page run when
    the machine was busy)."""

    def __init__(self, root: Path) -> None:
        import ctypes

        self._libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self._libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        if self.fd < 0:
            raise OSError(ctypes.get_errno(), "inotify_init1 failed")
        self.root = root
        self.watched: set[str] = set()
        self.refresh()

    def _add(self, path: str) -> None:
        if self._libc.inotify_add_watch(self.fd, os.fsencode(path), _IN_MASK) < 0:
            import ctypes

            raise OSError(ctypes.get_errno(), f"cannot watch {path}")
        self.watched.add(path)

    def refresh(self) -> None:
        """Watch every folder under the root that the walk reads (hidden and ``_`` folders are skipped, as it does)."""
        stack = [str(self.root)]
        while stack:
            d = stack.pop()
            self._add(d)  # again for a known folder (the same watch): one removed and made again is watched anew
            try:
                with os.scandir(d) as it:
                    stack.extend(e.path for e in it if not e.name.startswith((".", "_")) and e.is_dir(follow_symlinks=False))
            except OSError:
                continue

    def pending(self) -> int:
        """Bytes of events queued since the last call (0: nothing changed); drains the queue."""
        got = 0
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return got
            except OSError:
                return got or 1
            if not chunk:
                return got
            got += len(chunk)

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


class ContentWatch:
    """The stamp of one content folder, walked again only when something under it changed (see the module doc)."""

    def __init__(self, root: str | Path, walk: Callable[[Path], Any], max_age: float = MAX_AGE,
                 events: str = "auto") -> None:
        """``events``: "auto" (inotify read in the caller's thread on Linux, else watchdog), "inotify" or "watchdog"
        alone."""
        self.root = Path(root)
        self.events_from = events
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
        self._inotify: _Inotify | None = None
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
        if self.events_from in ("auto", "inotify") and sys.platform.startswith("linux"):
            try:
                self._inotify = _Inotify(self.root)
                self._observer = "inotify"
                self._dirty = True
                return True
            except Exception as exc:  # no inotify watches left, ...: watchdog, else the walk
                log.info("inotify unavailable for %s (%s)", self.root, exc)
        if self.events_from == "inotify":
            self._observer = False
            return False
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
        if obs == "inotify":
            return True
        return bool(obs) and obs.is_alive()

    def stop(self) -> None:
        obs = self._observer
        if self._inotify is not None:
            self._inotify.close()
            self._inotify = None
        elif obs:
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
            ino = self._inotify
            if ino is not None and ino.pending():
                self._changed()
            if (self._stamp is not None and not self._dirty and self.watching and now - self._walked < self.max_age
                    and (ino is not None or _dir_times(self._dirs) == self._dir_mtimes)):
                return self._stamp, self._key
            self._dirty = False  # cleared before the walk: an event during it marks the next call dirty
            if ino is not None:
                try:
                    ino.refresh()  # folders added since: watched before they are read
                except OSError as exc:
                    log.warning("content watch: %s; every page run walks the folder", exc)
                    self.stop()
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
