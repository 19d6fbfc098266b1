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

Events carry paths: a file's event (an edit, an add, either end of a rename, a delete) makes the next call
stat that file alone and update its one entry of the stamp (:attr:`ContentWatch.stats` counts those stats);
a folder's event (made, removed, renamed), an overflowed queue or a watch the kernel dropped make it walk.
Names the walk skips (hidden, ``_``) change nothing.  The key of a stamp is the sum of its entries' digests
(:func:`explorer.content.stamp.entry_digest`), updated per entry too: a call after an edit costs a few
microseconds per changed file, not a pass over the vault.
"""

from __future__ import annotations

import logging
import os
import struct
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from explorer.content.stamp import SKIPPED, content_entry, content_stamp, entry_digest, stamp_key

MAX_AGE = 2.0  # seconds: a walk at least this often, whatever the events say (watchdog)
INOTIFY_MAX_AGE = 30.0  # the same with inotify (exact, and an overflow is reported): a safety net only

log = logging.getLogger(__name__)


_IN_MASK = 0x2 | 0x4 | 0x8 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x800  # modify, attrib, close_write, moves, create,
# delete, delete_self, move_self (an overflow is always reported)
_IN_WALK = 0x400 | 0x800 | 0x2000 | 0x4000 | 0x8000 | 0x40000000  # delete_self, move_self, unmount, overflow, ignored,
# a folder's event: the next call walks
_EVENT = struct.Struct("iIII")  # struct inotify_event: wd, mask, cookie, len (then len bytes of name)


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
        self.folders: dict[int, str] = {}  # watch descriptor -> folder, relative to the root ("" for the root)
        self.refresh()

    def _add(self, path: str) -> None:
        wd = self._libc.inotify_add_watch(self.fd, os.fsencode(path), _IN_MASK)
        if wd < 0:
            import ctypes

            raise OSError(ctypes.get_errno(), f"cannot watch {path}")
        self.watched.add(path)
        rel = os.path.relpath(path, self.root).replace(os.sep, "/")
        self.folders[wd] = "" if rel == "." else rel

    def refresh(self) -> None:
        """Watch every folder under the root that the walk reads (hidden and ``_`` folders are skipped, as it does)."""
        self.folders = {}
        stack = [str(self.root)]
        while stack:
            d = stack.pop()
            self._add(d)  # again for a known folder (the same watch): one removed and made again is watched anew
            try:
                with os.scandir(d) as it:
                    stack.extend(e.path for e in it if not e.name.startswith(SKIPPED) and e.is_dir(follow_symlinks=False))
            except OSError:
                continue

    def read(self) -> tuple[set[str], bool]:
        """(the files named by the events queued since the last call, relative to the root; whether the folder must be
        walked: a folder's event, an overflow, a dropped watch, an unreadable queue).  Drains the queue."""
        paths: set[str] = set()
        walk = False
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return paths, walk
            except OSError:
                return paths, True
            if not buf:
                return paths, walk
            off = 0
            while off + _EVENT.size <= len(buf):
                wd, mask, _cookie, n = _EVENT.unpack_from(buf, off)
                name = buf[off + _EVENT.size: off + _EVENT.size + n].split(b"\0", 1)[0]
                off += _EVENT.size + n
                folder = self.folders.get(wd)
                if name and os.fsdecode(name).startswith(SKIPPED):
                    continue  # a name the walk skips: nothing it reads changed
                if mask & _IN_WALK or folder is None or not name:
                    walk = True
                    continue
                name_s = os.fsdecode(name)
                paths.add(f"{folder}/{name_s}" if folder else name_s)

    def pending(self) -> int:
        """1 when events were queued since the last call, else 0 (drains the queue)."""
        paths, walk = self.read()
        return int(bool(paths) or walk)

    def close(self) -> None:
        try:
            os.close(self.fd)
        except OSError:
            pass


class ContentWatch:
    """The stamp of one content folder, walked again only when something under it changed (see the module doc)."""

    def __init__(self, root: str | Path, walk: Callable[[Path], Any], max_age: float | None = None,
                 events: str = "auto", entry: Callable[[Path, str], Any] | None = None) -> None:
        """``events``: "auto" (inotify read in the caller's thread on Linux, else watchdog), "inotify" or "watchdog"
        alone.  ``entry(root, rel)``: one file's entry of the stamp, or None when the walk would not list it (default:
        :func:`explorer.content.stamp.content_entry` for :func:`~explorer.content.stamp.content_stamp`; without
        one, every event makes the next call walk).  ``max_age``: default :data:`MAX_AGE`, :data:`INOTIFY_MAX_AGE`
        with inotify."""
        self.root = Path(root)
        self.events_from = events
        self._walk = walk
        self._entry = entry if entry is not None else (content_entry if walk is content_stamp else None)
        self._max_age = max_age
        self._lock = threading.Lock()
        self._pending_lock = threading.Lock()  # events arrive on watchdog's threads
        self._dirty = True  # walk on the next call
        self._pending: set[str] = set()  # files named by events since the last call
        self._stamp: Any = None
        self._files: dict[str, Any] = {}  # path -> entry of the stamp
        self._sum = 0  # the sum of the entries' digests: the key
        self._key = ""
        self._dirs: tuple[str, ...] = ()
        self._dir_mtimes: tuple[int, ...] = ()
        self._walked = 0.0
        self._observer: Any = None
        self._inotify: _Inotify | None = None
        self.walks = 0  # full walks made (tests, the bench)
        self.stats = 0  # single files looked at again because an event named them (tests, the bench)
        self.events = 0  # file-system events seen

    @property
    def max_age(self) -> float:
        if self._max_age is not None:
            return self._max_age
        return INOTIFY_MAX_AGE if self._inotify is not None else MAX_AGE

    @max_age.setter
    def max_age(self, value: float) -> None:
        self._max_age = value

    # ---- events
    def _changed(self, paths: Any = None) -> None:
        """Something changed: ``paths`` (files relative to the root) or, when None or without ``entry``, anything."""
        self.events += 1
        if paths is None or self._entry is None:
            self._dirty = True
            return
        with self._pending_lock:
            self._pending.update(paths)

    def _watchdog_event(self, event: Any) -> None:
        kind = event.event_type
        if kind in ("opened", "closed_no_write"):  # reads change nothing
            return
        if event.is_directory:
            if kind != "modified":  # a folder made, removed or renamed; "modified" comes with its file's own event
                self._changed()
            return
        rels = []
        for p in (event.src_path, getattr(event, "dest_path", "")):
            if not p:
                continue
            rel = os.path.relpath(os.fsdecode(p), self.root).replace(os.sep, "/")
            if rel.startswith("../") or rel == "..":
                continue
            if any(part.startswith(SKIPPED) for part in rel.split("/")):
                continue  # under a folder the walk skips (.git, .obsidian, _drafts) or a swap file
            rels.append(rel)
        if rels:
            self._changed(rels)

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
                watch._watchdog_event(event)

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
        """(the folder's stamp, its key): the last ones while nothing changed; the entries of the files that events
        named, updated one by one; else from a fresh walk."""
        now = time.monotonic()
        with self._lock:
            ino = self._inotify
            if ino is not None:
                paths, walk = ino.read()
                if walk:
                    self._changed()
                elif paths:
                    self._changed(paths)
            with self._pending_lock:
                pending, self._pending = self._pending, set()
            if (self._stamp is not None and not self._dirty and self.watching and now - self._walked < self.max_age
                    and (ino is not None or _dir_times(self._dirs) == self._dir_mtimes)):
                if pending:
                    self._update(pending)
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
                self._set(stamp)
                if ino is None:
                    self._dirs = _folders(self.root, stamp)
            if ino is None:
                self._dir_mtimes = _dir_times(self._dirs)
            self._walked = now
            return self._stamp, self._key

    def _set(self, stamp: Any) -> None:
        """A walked stamp: its entries by path and its key (every entry's digest: once per walk that changed it)."""
        self._stamp = stamp
        if self._entry is not None:
            self._files = {e[0]: e for e in stamp}
            self._sum = sum(map(entry_digest, stamp))
            self._key = stamp_key(self._sum)
        else:
            self._key = stamp_key(sum(map(entry_digest, stamp)))

    def _update(self, paths: set[str]) -> None:
        """Stat the files events named, and update their entries (an add, a delete, an edit, a rename's two ends)."""
        files, total, changed = self._files, self._sum, False
        for rel in paths:
            new = self._entry(self.root, rel)
            self.stats += 1
            old = files.get(rel)
            if new == old:
                continue
            changed = True
            if old is not None:
                total -= entry_digest(old)
                del files[rel]
            if new is not None:
                total += entry_digest(new)
                files[rel] = new
        if changed:
            self._sum = total
            self._key = stamp_key(total)
            self._stamp = tuple(sorted(files.values()))


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


def watch_for(root: str | Path, walk: Callable[[Path], Any], entry: Callable[[Path, str], Any] | None = None) -> ContentWatch:
    """The process's watch of ``root`` (started on first use; the oldest is stopped past :data:`MAX_WATCHES`)."""
    key = str(Path(root))
    with _WATCHES_LOCK:
        w = _WATCHES.get(key)
        if w is None:
            w = _WATCHES[key] = ContentWatch(root, walk, entry=entry)
            w.start()
            while len(_WATCHES) > MAX_WATCHES:
                old = _WATCHES.pop(next(iter(_WATCHES)))
                old.stop()
        return w
