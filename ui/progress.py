"""The learner's progress, kept in their own browser and merged into this session.

What a learner does (sections read, card reviews, quizzes, assessment results, uploaded notes,
settings) is an :class:`explorer.study.store.Store` in ``st.session_state``.  :func:`sync`, called by the
frame at the top of every page, restores it from the browser (``components.browser_store``:
localStorage and IndexedDB) on the first run of a session, on any server process, merges what
another tab wrote, and queues this session's changes back (debounced, compare-and-swap).  Nothing
reaches the server's disk.  When storage is disabled, full or damaged, the session keeps working
and a notice says so.

Changes are made in widget callbacks (they run before the page, so the same run writes them):
use :func:`update` there.

Nothing stored is overwritten unread.  A stored value from a newer version of the app (a newer
format, or fields this one does not know) is left untouched: this tab works for the session only.
A damaged value is read record by record (:mod:`explorer.study.store_recovery`); before the first write
replaces it, the browser keeps its text as a dated backup (``keep_backup``), which the Study page's
"Progress & files" view lists to download or restore.  Uploaded notes whose listing was lost are
listed again from the texts IndexedDB still holds.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from components.browser_store import MAX_BACKUP_CHARS, MAX_BACKUPS, Backup, browser_store, store_state

from .widgets import literal

if TYPE_CHECKING:
    from explorer.study import store as S

# explorer.study.store (its pydantic models, FSRS, the SM-2 importer: about 70 ms to import) loads with the
# first snapshot the browser sends, not on a cold server's first paint: nothing here needs it before.

_KEY = "learner"
_SEEN = "_learner_seen"
_DUMP = "_learner_dump"
_NOTICES = "_learner_notices"
_FORGET = "_learner_forget"
_PUT = "_learner_put"
_DELETE = "_learner_delete"
_FROZEN = "_learner_frozen"  # why the stored value must not be overwritten (a newer version; too long to back up)
KEPT_BACKUPS = MAX_BACKUPS  # how many backups the browser keeps (the Study page says so)
_BACKUP_REV = "_learner_backup_rev"  # the stored revision that was not read in full: kept as a backup before a write
RESULT = "_progress_result"  # (kind, message, notices) of an import or a restore, for the Study page
FROZEN_NEWER = ("This browser holds progress saved by a newer version of the app; it is left untouched, and "
                "what you do here is kept for this tab only.")
FROZEN_TOO_LONG = ("The progress saved in this browser could not be read in full and is too long to keep a backup "
                   "copy of, so it is left untouched and what you do here is kept for this tab only. Download it "
                   "under Study › Progress & files if it is offered there, then use “Forget this browser” to start "
                   "again.")
BACKUP_KEPT = ("Before your progress is saved again, the text as it was stored is kept in this browser as a dated "
               "backup: Study › Progress & files lists it, to download or restore.")
_RESTORED = "_learner_restored"  # callbacks run with the restored blobs, see notes_view


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def learner() -> S.Store:
    """This learner's progress (never mutate: replace it with :func:`update`)."""
    from explorer.study import store as S

    return st.session_state.get(_KEY) or S.empty()


def update(change: Callable[[S.Store], S.Store]) -> None:
    """Apply a change (``lambda s: S.mark_read(s, ...)``); a refused change shows its reason."""
    from explorer.study import store as S

    try:
        st.session_state[_KEY] = change(learner())
    except S.StoreError as exc:
        st.session_state.setdefault(_NOTICES, []).append(str(exc))


def put_blob(blob_id: str, text: str) -> None:
    """Keep a larger item (an uploaded note's text) in the browser's IndexedDB."""
    st.session_state.setdefault(_PUT, {})[blob_id] = text
    st.session_state.setdefault(_DELETE, set()).discard(blob_id)


def delete_blob(blob_id: str) -> None:
    st.session_state.setdefault(_DELETE, set()).add(blob_id)
    st.session_state.setdefault(_PUT, {}).pop(blob_id, None)


def forget() -> None:
    """"Forget this browser": empty the browser's storage and this session's progress.

    A dated empty value is written after the clear, so a tab that was offline cannot merge the old
    data back in (see :func:`explorer.study.store.forget`)."""
    from explorer.study import store as S

    st.session_state[_KEY] = S.forget(learner(), now())
    st.session_state[_FORGET] = True
    st.session_state.pop(_FROZEN, None)  # emptied on purpose: nothing is left to protect
    st.session_state.pop(_BACKUP_REV, None)
    st.session_state.pop(_PUT, None)
    st.session_state.pop(_DELETE, None)
    st.session_state[_RESTORED] = {}


def kept_notes() -> dict[str, S.NoteMeta]:
    """The uploaded notes this learner's progress lists (none before anything was restored or added)."""
    store = st.session_state.get(_KEY)
    if store is None:
        return {}
    from explorer.study import store as S

    return S.uploaded_notes(store)


def restored_blobs() -> dict[str, str]:
    """The uploaded notes' texts this browser gave back (id -> text)."""
    return st.session_state.get(_RESTORED, {})


def _dumped(store: S.Store) -> str:
    cached = st.session_state.get(_DUMP)
    if cached is not None and cached[0] is store:
        return cached[1]
    from explorer.study import store as S

    text = S.dump(store)
    st.session_state[_DUMP] = (store, text)
    return text


def sync() -> None:
    """Restore / merge what the browser holds, then queue this session's changes (once per run)."""
    ss = st.session_state
    state = _intake()
    write, backup = None, False
    untouched = _KEY not in ss and state.text is None  # nothing stored, nothing done here: nothing to write
    if state.status in ("ready", "error") and not ss.get(_FROZEN) and state.notice != "backup-failed" and not untouched:
        from explorer.study import store as S

        if _KEY not in ss:
            ss[_KEY] = S.empty()
        store = ss[_KEY]
        text = _dumped(store)
        backup = state.rev is not None and ss.get(_BACKUP_REV) == state.rev
        # nothing to save yet: nothing stored, or a stored value that could not be read (it stays until a change)
        nothing_to_save = S.is_empty(store) and (state.text is None or backup)
        if text != state.text and not nothing_to_save:
            write = (None if ss.get(_FORGET) else state.rev, text)
    # A session with no progress of its own shows nothing different once the browser's store turns out empty: a
    # first visitor's page then runs once, not a second time for that report (the next run takes it in).
    browser_store(write=write, keep_backup=backup and write is not None, put_blobs=ss.pop(_PUT, None) or None,
                  delete_blobs=sorted(ss.pop(_DELETE, ())) or None, clear=bool(ss.pop(_FORGET, False)),
                  quiet_if_empty=_KEY not in ss)


def _intake():
    """The browser's state, after taking in a snapshot not seen yet (whichever of :func:`storage_notice`
    and :func:`sync` runs first in a page run does it, so the sidebar's notice is current in the same run)."""
    state = store_state()
    if state.snapshot_id != st.session_state.get(_SEEN, 0):
        st.session_state[_SEEN] = state.snapshot_id
        _take_snapshot(state)
    return state


def _take_snapshot(state) -> None:
    """Take in a snapshot the browser sent: restore, another tab's change, a conflict, a forget.  A first visitor's
    empty browser costs no import of the store's code (its models and FSRS: about 0.1 s on a cold server)."""
    ss = st.session_state
    ss.pop(_BACKUP_REV, None)
    if state.reason == "cleared":
        from explorer.study import store as S

        ss[_KEY] = S.forget(learner(), now()) if not S.is_empty(learner()) else learner()
        ss[_RESTORED] = {}
        ss.pop(_FROZEN, None)
        return
    ss[_RESTORED] = dict(state.blobs)
    if state.notice == "too-large":  # a stored text too long to read is also too long to back up: leave it be
        ss[_FROZEN] = FROZEN_TOO_LONG
        return
    if state.text is None:  # nothing stored, or an entry that is not ours (store.js backs it up before replacing it)
        ss.pop(_FROZEN, None)
        return
    from explorer.study import store as S

    loaded = S.load(state.text)
    notices = list(loaded.notices)
    frozen = None
    if not loaded.can_overwrite:
        frozen = FROZEN_NEWER
    elif loaded.needs_backup and len(state.text) > MAX_BACKUP_CHARS:
        frozen = FROZEN_TOO_LONG
    elif loaded.needs_backup:
        ss[_BACKUP_REV] = state.rev
        notices.append(BACKUP_KEPT)
    ss[_FROZEN] = frozen
    current = learner()
    if loaded.status == "loaded" and not loaded.notices and S.is_empty(current) and current.forgotten_at is None:
        # A session's first restore of a cleanly read text: the session's progress is that store, and its text is
        # the stored one, so neither a merge with nothing nor a dump of up to 5 MB (about 0.1 s) is needed to
        # find out that there is nothing to write back.
        ss[_KEY] = loaded.store
        ss[_DUMP] = (loaded.store, state.text)
    elif loaded.ok:
        ss[_KEY] = S.merge(current, loaded.store)
    if loaded.needs_backup and frozen is None:
        relisted = _relist_uploads(state.blobs)
        if relisted:
            notices.append(f"{len(relisted)} uploaded note(s) whose listing was lost were listed again from the texts "
                           f"this browser still holds: {S.names(relisted)}.")
    if notices:
        ss.setdefault(_NOTICES, []).extend(notices)


def _relist_uploads(blobs) -> list[str]:
    """List again the uploaded notes whose text IndexedDB holds but whose listing the progress lost."""
    from explorer.limits import NOTE_PATH_BLOB_PREFIX
    from explorer.notes.uploads import UPLOAD_PREFIX
    from explorer.notes.vault_import import read_note_path_blob
    from explorer.study import store as S

    store = learner()
    lost = [b for b in blobs if b.startswith(UPLOAD_PREFIX) and b not in store.notes]
    done = []
    for blob_id in lost:
        text = blobs[blob_id]
        # an imported note keeps its path in the folder beside its text (its folder in the tree comes back)
        name = read_note_path_blob(blobs.get(NOTE_PATH_BLOB_PREFIX + blob_id)) or (
            blob_id.removeprefix(UPLOAD_PREFIX)[:190] + ".md")
        try:
            store = S.add_note(store, blob_id, name, len(text.encode("utf-8", "surrogatepass")), now())
        except S.StoreError:
            continue
        done.append(blob_id)
    st.session_state[_KEY] = store
    return done


def storage_notice() -> str | None:
    """Why progress is kept only in this tab (storage disabled, full, damaged, newer), or None."""
    state = _intake()
    frozen = st.session_state.get(_FROZEN)
    if frozen:
        return frozen if isinstance(frozen, str) else FROZEN_NEWER
    return state.notice_message


def pop_notices() -> list[str]:
    """Messages about the restored progress (records left out, migrations, caps), shown once; made inert
    for Markdown (they name records from storage, which anyone could have edited)."""
    return [literal(n, 1500) for n in st.session_state.pop(_NOTICES, [])]


def persistent() -> bool:
    return store_state().status == "ready" and not st.session_state.get(_FROZEN)


# --------------------------------------------------------------------------- backups and files
def backups() -> tuple[Backup, ...]:
    """Stored texts this browser kept before replacing them (newest last)."""
    return store_state().backups


def untouched_text() -> str | None:
    """The stored text while it is left untouched (a newer version's, or one that cannot be backed up), for
    download."""
    state = store_state()
    return state.text if st.session_state.get(_FROZEN) or state.notice == "backup-failed" else None


def import_text(data: str | bytes, what: str) -> None:
    """Add a progress file's (or a backup's) readable records to this learner's progress; the outcome is
    left in ``st.session_state[RESULT]`` for the page (a callback)."""
    from explorer.study import store as S

    loaded = S.load(data)
    if not loaded.ok:
        st.session_state[RESULT] = ("error", f"{what}: " + " ".join(loaded.notices) + " Your current progress is unchanged.", ())
        return
    cuts: dict[str, int] = {}

    def change(store: S.Store) -> S.Store:
        merged = S.import_merge(store, loaded.store)
        cuts.update(S.merge_cuts(store, loaded.store, merged))
        return merged

    update(change)
    part = " (what could be read of it)" if loaded.status == "recovered" else ""
    notices = list(loaded.notices)
    if cuts:
        notices.append("To stay within what this browser keeps, the oldest were left out: "
                       + ", ".join(f"{n:,} {_singular(kind) if n == 1 else kind}" for kind, n in cuts.items()) + ".")
    st.session_state[RESULT] = ("success", f"Loaded {what}{part}: merged with what this browser already kept.",
                                tuple(notices))


def _singular(what: str) -> str:
    """``reading marks`` -> ``reading mark``; ``days of compacted review counts`` -> ``day of ...``."""
    head, sep, tail = what.partition(" of ")
    return head.removesuffix("s") + sep + tail


def restore_backup(backup_id: str) -> None:
    """Restore a backup: load its text as an import, merged into the current progress (a callback)."""
    kept = next((b for b in backups() if b.id == backup_id), None)
    if kept is None:
        st.session_state[RESULT] = ("error", "That backup is no longer in this browser.", ())
        return
    import_text(kept.text, f"the backup of {backup_label(kept)}")


def backup_label(backup: Backup) -> str:
    """``2026-03-02 09:15 UTC`` from the browser's ISO time (as given when it cannot be read)."""
    try:
        when = _dt.datetime.fromisoformat(backup.at.replace("Z", "+00:00")).astimezone(_dt.UTC)
    except ValueError:
        return backup.at[:40]
    return f"{when:%Y-%m-%d %H:%M} UTC"


# --------------------------------------------------------------------------- reading marks
def read_sections() -> dict[str, frozenset[str]]:
    """Sections marked read: note id -> section ids."""
    from explorer.study import store as S

    return S.sections_read(learner())


def _toggle_read(note_id: str, section_ids: list[str], key: str) -> None:
    """Mark (or unmark) every section of the checkbox in one pass (linear: 8,000 headings take milliseconds)."""
    from explorer.study import store as S

    read = bool(st.session_state.get(key))
    t = now()
    cut = 0

    def change(store: S.Store) -> S.Store:
        nonlocal cut
        store, cut = S.mark_many(store, note_id, section_ids, read, t)
        return store

    update(change)
    if cut:
        st.session_state.setdefault(_NOTICES, []).append(
            f"{cut:,} of these {len(section_ids):,} sections were not marked read: a note keeps at most "
            f"{S.MAX_SECTIONS_PER_NOTE:,} reading marks, and this browser {S.MAX_MARKS:,} in all.")


def mark_read_toggle(note, sections) -> None:
    ids = [s.id for s in sections]
    if not ids:
        return
    key = f"read::{note.id}::{ids[0]}::{len(ids)}"
    done = read_sections().get(note.id, frozenset())
    st.session_state[key] = all(i in done for i in ids)
    label = "Mark this section as read" if len(ids) == 1 else f"Mark these {len(ids)} sections as read"
    st.checkbox(label, key=key, on_change=_toggle_read, args=(note.id, ids, key))
