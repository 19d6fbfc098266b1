"""The background indexer: parses the shipped notes and keeps their derived data, note group by note group.

One :class:`Indexer` per process (started by :mod:`ui.caches`), shared read-only by every session.
The pages hand it the content they loaded (:meth:`Indexer.follow`); a daemon thread (:meth:`start`)
then works through the notes in reading order, one small step at a time (:meth:`step`):

* notes are split into **groups** (a folder's notes, :data:`GROUP_SIZE` at most, in reading order);
* a group whose notes changed (id or text: its *signature*) has its notes parsed (a note already
  parsed, by a reader or before the change, is not parsed again), then gets a new search
  :class:`~explorer.notes.search_shard.Shard`, new glossary backlinks and new note backlinks
  (``[[links]]``, :mod:`explorer.notes.backlinks`); every other group keeps its own;
* a group whose shard was built whole is **patched** after a change: its shard with the records of the
  notes it holds in an older version (or no longer holds) masked out (:meth:`Shard.without`), plus a
  small shard of the group's new notes, so an edited note costs its own parse and a shard of that note
  (bench, 1,000-note vault: 6 ms of CPU per edit, against 105 ms to build its 64-note group whole).  Past
  :data:`COMPACT_AT` notes new or gone, the group is built whole again, so what is kept stays bounded (a
  note added, removed or retitled makes every group resolve its links again, without parsing);
* a removed note's group changes too; groups the content no longer has are dropped, so everything
  kept is bounded by what the content holds.

Readers do not wait for it: :meth:`search_index` is the YAML content plus every current group's shard,
with ``coverage=(notes indexed, notes)`` while it runs; :meth:`glossary_backlinks` and
:meth:`indexed_notes` say how many notes they cover.  The thread works at most :data:`DUTY` of the
time (it sleeps in proportion to each step), and :data:`BUSY_DUTY` while pages run (a reader asked in the
last :data:`QUIET` seconds: it waits for a quiet moment), so the pages it shares the interpreter with go first.
Small content (:data:`INLINE_BYTES` of note text: the shipped notes) is indexed by the first reader in its
own run (:meth:`Indexer.catch_up`), so it is complete on the first page; after a change, readers get a
changed group's previous shard and backlinks until the thread has rebuilt them (a note stays findable).
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any

from explorer.notes.index_plan import GROUP_SIZE, Group, Plan, plan  # noqa: F401  (the indexer's public names)
from explorer.notes.note import Note

DUTY = 0.5  # at most this share of one core for the indexer while it has work and no page runs
BUSY_DUTY = 0.1  # at most this share while pages run (a reader asked in the last QUIET seconds)
QUIET = 0.3  # seconds without a reader before the indexer goes back to DUTY
COMPACT_AT = 8  # a group's shard is built whole again once more than this many notes are new or gone since it was
INLINE_BYTES = 200_000  # a reader finishes the work itself when no more note text than this is left to parse

log = logging.getLogger(__name__)


def _glossary_ok(content: Any) -> bool:
    return bool(content.ok("glossary"))


def _fresh(g: Group, base: tuple[Any, dict] | None, compact_at: int) -> list[Note] | None:
    """The notes of ``g`` that its whole-built shard ``base`` does not hold as they are now (edited, added, moved
    in); None when the group's shard should be built whole: no base, or more than ``compact_at`` such notes, or
    more than ``compact_at`` notes of the base that the group no longer holds as they were (its dead records)."""
    if base is None:
        return None
    spans = base[1]
    fresh = [n for n, sig in zip(g.notes, g.signature) if sig not in spans]
    gone = len(spans) - (len(g.notes) - len(fresh))
    return fresh if max(len(fresh), gone) <= compact_at else None


def _full_shard(g: Group) -> tuple[tuple, tuple[Any, dict]]:
    """The group's shard built whole, and the base a later edit patches: where each note's records are."""
    from explorer.notes.search_records import note_records
    from explorer.notes.search_shard import Shard

    records: list = []
    spans: dict[tuple, tuple[int, int]] = {}
    for n, sig in zip(g.notes, g.signature):
        start = len(records)
        records += note_records(n)
        spans[sig] = (start, len(records))
    shard = Shard.build(records)
    return (shard,), (shard, spans)


def _patched_shard(g: Group, base: tuple[Any, dict], fresh: list[Note]) -> tuple:
    """The group's shards after an edit: the base shard without the records of notes it holds in an older
    version (or no longer holds), and a small shard of the ``fresh`` notes: the cost of those notes alone."""
    from explorer.notes.search_records import note_records
    from explorer.notes.search_shard import Shard

    shard, spans = base
    now = set(g.signature)
    dead = [i for sig, (a, b) in spans.items() if sig not in now for i in range(a, b)]
    out = [shard.without(dead) if dead else shard]
    records = [r for n in fresh for r in note_records(n)]
    if records:
        out.append(Shard.build(records))
    return tuple(out)


class Indexer:
    """Parses notes and keeps their search shards and glossary backlinks current (see the module doc)."""

    def __init__(self, group_size: int = GROUP_SIZE, duty: float = DUTY, inline_bytes: int = INLINE_BYTES,
                 compact_at: int = COMPACT_AT) -> None:
        self.group_size = group_size
        self.compact_at = compact_at
        self.duty = duty
        self.inline_bytes = inline_bytes
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._content: Any = None
        self._plan: Plan | None = None
        self._shards: dict[str, tuple[tuple, tuple]] = {}  # group key -> (signature, its shards)
        self._bases: dict[str, tuple[Any, dict]] = {}  # group key -> (shard built whole, note signature -> its records)
        self._uses: dict[str, tuple[tuple, tuple]] = {}  # group key -> (key, (term -> uses, note backlinks))
        self._terms: dict[int, tuple[Note, Any, dict]] = {}  # id(note) -> (note, matcher, its term uses): kept per note
        self._yaml: tuple[tuple, Any] | None = None  # (yaml key, Shard)
        self._matcher: tuple[str, Any] | None = None
        self._vault: tuple[int, Any] | None = None
        self._merged: tuple[tuple, Any] | None = None
        self._merged_links: tuple[tuple, Any] | None = None
        self._search: Any = None  # the last SearchIndex handed out
        self._indexed: tuple | None = None  # ((plan, content, ready groups), notes): the last indexed_notes
        self._thread: threading.Thread | None = None
        self._idle: Plan | None = None  # the plan whose work is all done
        self.steps = 0
        self.errors: list[str] = []
        self.seen = 0.0  # when a reader last asked (clock.monotonic())
        self.clock = time  # monotonic, perf_counter and sleep (a test gives one indexer a fake clock of its own)
        self.busy_duty, self.quiet = BUSY_DUTY, QUIET

    # ---- the content to index
    def follow(self, content: Any) -> None:
        """Index this content from now on (a newer version replaces the older one; cheap when unchanged).

        Every page run calls it (through the readers): the thread then yields to page runs (:meth:`_pause`)."""
        self.seen = self.clock.monotonic()
        if self._content is content:
            return
        new_plan = plan(content, self.group_size, self._plan)
        with self._lock:
            self._content, self._plan = content, new_plan
            keys = {g.key for g in new_plan.groups}
            for table in (self._shards, self._uses, self._bases):
                for k in [k for k in table if k not in keys]:
                    del table[k]
        self._wake.set()

    # ---- the work
    def _matcher_for(self, content: Any, key: str) -> Any:
        if self._matcher is None or self._matcher[0] != key:
            from explorer.notes.glossary_links import build_matcher

            self._matcher = (key, build_matcher(content.glossary))
        return self._matcher[1]

    def step(self) -> bool:
        """Do one small piece of work (parse one note, or build one group's shard or backlinks, or the
        YAML shard).  False when everything is current."""
        with self._lock:
            content, p = self._content, self._plan
        if content is None or p is None or self._idle is p:
            return False
        from explorer.notes.search_records import content_records
        from explorer.notes.search_shard import Shard

        self.steps += 1
        if self._yaml is None or self._yaml[0] != p.yaml_key:
            shard = Shard.build(content_records(content))
            with self._lock:
                self._yaml = (p.yaml_key, shard)
            return True
        for g in p.groups:
            cur = self._shards.get(g.key)
            if cur is None or cur[0] != g.signature:
                base = self._bases.get(g.key)
                fresh = _fresh(g, base, self.compact_at)
                pending = next((n for n in (g.notes if fresh is None else fresh) if not n.parsed), None)
                if pending is not None:
                    pending.lazy.get(keep_fresh=False)
                    self._wake.set()
                    return True
                if fresh is None:
                    shards, base = _full_shard(g)
                else:
                    shards = _patched_shard(g, base, fresh)
                with self._lock:
                    if self._plan is p:
                        self._shards[g.key] = (g.signature, shards)
                        self._bases[g.key] = base
                return True
            use_key = (g.signature, p.glossary_key, p.refs_key)
            have = self._uses.get(g.key)
            if have is None or have[0] != use_key:
                uses = (self._group_uses(content, g, p.glossary_key), self._group_links(content, g, p.refs_key))
                with self._lock:
                    if self._plan is p:
                        self._uses[g.key] = (use_key, uses)
                return True
        self._idle = p
        self._prune_terms(p)
        return False

    def catch_up(self, max_bytes: int | None = None) -> bool:
        """Index small content in the caller's thread the first time (``max_bytes`` of note text at most, and
        nothing indexed yet): the shipped notes are then complete on the first page that asks.  Later changes
        are the thread's: until a changed group is rebuilt, readers get its previous shard and backlinks.
        True when nothing is left."""
        with self._lock:
            p = self._plan
            started = bool(self._shards)
        if p is None or self._idle is p:
            return True
        if started:
            return False
        max_bytes = self.inline_bytes if max_bytes is None else max_bytes
        left = 0
        for g in p.groups:
            cur = self._shards.get(g.key)
            if cur is None or cur[0] != g.signature:
                left += sum(len(n.text) for n in g.notes if not n.parsed)
                if left > max_bytes:
                    return False
        self.run_until_idle(4 * len(p.groups) + 8 + sum(len(g.notes) for g in p.groups))
        return self._idle is p

    def _group_uses(self, content: Any, g: Group, glossary_key: str) -> dict[str, list[tuple[str, str | None]]]:
        """term id -> where the group's notes use it, in reading order (each note's own uses are kept: after an edit,
        only the edited note is searched again; the pattern of every term over a 64-note group is ~90 ms)."""
        if not _glossary_ok(content):
            return {}
        from explorer.notes.glossary_links import backlinks

        matcher = self._matcher_for(content, glossary_key)
        acc: dict[str, list[tuple[str, str | None]]] = {}
        for n in g.notes:
            kept = self._terms.get(id(n))
            if kept is None or kept[0] is not n or kept[1] is not matcher:
                kept = self._terms[id(n)] = (n, matcher, {k: v for k, v in backlinks([n], matcher).items() if v})
            for tid, where in kept[2].items():
                acc.setdefault(tid, []).extend(where)
        if len(self._terms) > 2 * len(content.notes) + 2 * self.group_size:  # many edits without an idle moment
            self._prune_terms(self._plan)
        return {tid: acc[tid] for tid in matcher.terms if tid in acc}

    def _prune_terms(self, p: Plan | None) -> None:
        """Keep the term uses of the plan's notes only (bounded by the content)."""
        live = {id(n) for g in p.groups for n in g.notes} if p is not None else set()
        for k in [k for k in list(self._terms) if k not in live]:
            self._terms.pop(k, None)

    def _group_links(self, content: Any, g: Group, refs_key: int) -> dict:
        """target note id -> backlinks from this group's notes (:mod:`explorer.notes.backlinks`)."""
        from explorer.notes.backlinks import build_backlinks
        from explorer.notes.vault_links import VaultIndex, image_paths, note_refs

        if self._vault is None or self._vault[0] != refs_key:
            self._vault = (refs_key, VaultIndex(note_refs(content.notes), image_paths(content.root / "notes")))
        return build_backlinks(g.notes, self._vault[1])

    def run_until_idle(self, max_steps: int = 1_000_000) -> int:
        """Run steps in this thread until nothing is left (tests, the command line); the steps run."""
        n = 0
        while n < max_steps and self.step():
            n += 1
        return n

    def start(self) -> threading.Thread:
        """Start the daemon thread (once)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="notes-indexer", daemon=True)
            self._thread.start()
        return self._thread

    def _loop(self) -> None:
        while True:
            t0 = self.clock.perf_counter()
            try:
                did = self.step()
            except Exception as exc:  # one bad step must not stop the indexer: log it, skip the group
                log.exception("notes indexer step failed")
                self.errors = [*self.errors[-9:], f"{type(exc).__name__}: {exc}"]
                self._skip_failed()
                did = True
            if did:
                self._pause(self.clock.perf_counter() - t0)
            else:
                self._wake.wait()
                self._wake.clear()
                self._settle()

    def _settle(self) -> None:
        """Woken by a page run that brought new content: let it finish first (a quiet moment, :attr:`quiet` at most)."""
        end = self.clock.monotonic() + self.quiet
        while (now := self.clock.monotonic()) < end and now - self.seen < self.quiet:
            self.clock.sleep(min(0.02, end - now) + 0.001)

    def _pause(self, spent: float) -> None:
        """After a step of ``spent`` seconds: rest for :attr:`duty`; then, while pages run (a reader asked in the
        last :attr:`quiet` seconds), wait for a quiet moment, up to what :attr:`busy_duty` allows.  Page runs share
        the interpreter's one lock with this thread: they go first, and indexing still moves on under constant load."""
        if self.duty < 1:
            self.clock.sleep(min(1.0, spent * (1 / self.duty - 1)))
        if self.busy_duty >= 1:
            return
        deadline = self.clock.monotonic() + min(5.0, spent * (1 / self.busy_duty - 1))
        while (now := self.clock.monotonic()) < deadline:
            quiet_for = now - self.seen
            if quiet_for >= self.quiet:
                return
            self.clock.sleep(min(self.quiet - quiet_for, deadline - now) + 0.001)

    def _skip_failed(self) -> None:
        with self._lock:
            p = self._plan
            if p is None:
                return
            for g in p.groups:
                cur = self._shards.get(g.key)
                if cur is None or cur[0] != g.signature:
                    self._shards[g.key] = (g.signature, ())
                    return
                key = (g.signature, p.glossary_key, p.refs_key)
                if g.key not in self._uses or self._uses[g.key][0] != key:
                    self._uses[g.key] = (key, ({}, {}))
                    return

    # ---- what readers see (never waits for work)
    def _current(self, content: Any) -> tuple[Plan | None, list[Group], list[Group]]:
        """(plan, groups whose shard is current, groups whose backlinks are current) for ``content``."""
        self.follow(content)
        self.catch_up()
        with self._lock:
            p = self._plan
            if p is None:
                return None, [], []
            shards = [g for g in p.groups if (c := self._shards.get(g.key)) is not None and c[0] == g.signature]
            uses = [g for g in p.groups
                    if (u := self._uses.get(g.key)) is not None and u[0] == (g.signature, p.glossary_key, p.refs_key)]
        return p, shards, uses

    def _served(self, p: Plan, table: dict) -> list[Any]:
        """Each group's entry, current or the one before its last change (a group being rebuilt stays found)."""
        with self._lock:
            return [e[1] for g in p.groups if (e := table.get(g.key)) is not None]

    def progress(self, content: Any | None = None) -> tuple[int, int]:
        """(notes indexed, notes) for ``content`` (default: the content followed)."""
        content = self._content if content is None else content
        if content is None:
            return 0, 0
        p, shards, uses = self._current(content)
        ready = {g.key for g in uses}
        return sum(len(g.notes) for g in shards if g.key in ready), (p.total if p else 0)

    def search_index(self, content: Any) -> Any:
        """The search index over what is indexed so far: each current group's shard and the YAML's."""
        from explorer.notes.search import SearchIndex

        p, current, _ = self._current(content)
        parts = [s for group in self._served(p, self._shards) for s in group] if p is not None else []
        with self._lock:
            yaml = self._yaml[1] if self._yaml is not None else None
        done, total = sum(len(g.notes) for g in current), (p.total if p else 0)
        shards = tuple(s for s in (*parts, yaml) if s is not None)
        coverage = None if done >= total and yaml is not None else (done, total)
        last = self._search  # the same index while nothing changed: it keeps its results (repeated queries)
        if last is not None and last.coverage == coverage and len(last.shards) == len(shards) \
                and all(a is b for a, b in zip(last.shards, shards)):
            return last
        self._search = SearchIndex(shards, coverage=coverage)
        return self._search

    def glossary_backlinks(self, content: Any) -> tuple[dict[str, list[tuple[str, str | None]]], tuple[int, int]]:
        """term id -> [(note id, section id), ...] over the indexed notes, in reading order; (done, total)."""
        p, _, current = self._current(content)
        if p is None:
            return {}, (0, 0)
        key = (p.version, tuple(g.key for g in current), tuple(id(e) for e in self._served(p, self._uses)))
        merged = self._merged
        if merged is None or merged[0] != key:
            out: dict[str, list[tuple[str, str | None]]] = {}
            if _glossary_ok(content):
                out = {t.id: [] for t in content.glossary}
                tables = [e[0] for e in self._served(p, self._uses)]
                for table in tables:
                    for tid, where in table.items():
                        out.setdefault(tid, []).extend(where)
            merged = (key, (out, (sum(len(g.notes) for g in current), p.total)))
            self._merged = merged
        return merged[1]

    def note_backlinks(self, content: Any) -> tuple[dict, tuple[int, int]]:
        """Which indexed notes link to each note (:func:`explorer.notes.backlinks.build_backlinks`); (done, total)."""
        p, _, current = self._current(content)
        if p is None:
            return {}, (0, 0)
        key = ("links", p.version, tuple(g.key for g in current), tuple(id(e) for e in self._served(p, self._uses)))
        merged = self._merged_links
        if merged is None or merged[0] != key:
            acc: dict[str, list] = {}
            tables = [e[1] for e in self._served(p, self._uses)]
            for table in tables:
                for target, links in table.items():
                    acc.setdefault(target, []).extend(links)
            merged = (key, ({k: tuple(v) for k, v in acc.items()}, (sum(len(g.notes) for g in current), p.total)))
            self._merged_links = merged
        return merged[1]

    def indexed_notes(self, content: Any) -> tuple[list[Note], tuple[int, int]]:
        """The notes whose derived data is current (in reading order), and (that many, notes)."""
        p, shards, uses = self._current(content)
        ready = {g.key for g in shards} & {g.key for g in uses}
        key = (p, content, frozenset(ready))
        last = self._indexed
        if last is not None and last[0][0] is p and last[0][1] is content and last[0][2] == key[2]:
            return list(last[1]), (len(last[1]), p.total if p else 0)  # the same plan and groups: no sort again
        done = [n for g in (p.groups if p else ()) if g.key in ready for n in g.notes]
        order = {n.path: i for i, n in enumerate(content.notes)}
        done.sort(key=lambda n: order.get(n.path, 0))
        self._indexed = (key, tuple(done))
        return done, (len(done), p.total if p else 0)

    def plan_of(self, content: Any) -> Plan | None:
        """The plan of ``content`` when it is the content followed (its keys: YAML files, note paths, ids and titles)."""
        with self._lock:
            p = self._plan
            return p if p is not None and self._content is content else None

    def held(self) -> dict[str, int]:
        """How many entries it holds (tests check they stay bounded by the content)."""
        with self._lock:
            return {"shards": len(self._shards), "patched": sum(any(x.live is not None for x in e[1]) for e in self._shards.values()),
                    "bases": len(self._bases), "uses": len(self._uses), "terms": len(self._terms),
                    "groups": len(self._plan.groups) if self._plan else 0}

