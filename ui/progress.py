"""The learner's progress, kept in their own browser and merged into this session.

What a learner does (sections read, card reviews, quizzes, assessment results, uploaded notes,
settings) is an :class:`explorer.store.Store` in ``st.session_state``.  :func:`sync`, called by the
frame at the top of every page, restores it from the browser (``components.browser_store``:
localStorage and IndexedDB) on the first run of a session, on any server process, merges what
another tab wrote, and queues this session's changes back (debounced, compare-and-swap).  Nothing
reaches the server's disk.  When storage is disabled, full or damaged, the session keeps working
and a notice says so.

Changes are made in widget callbacks (they run before the page, so the same run writes them):
use :func:`update` there.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import TYPE_CHECKING

import streamlit as st

from components.browser_store import browser_store, store_state

if TYPE_CHECKING:
    from explorer import store as S

# explorer.store (its pydantic models, FSRS, the SM-2 importer: about 70 ms to import) loads with the
# first snapshot the browser sends, not on a cold server's first paint: nothing here needs it before.

_KEY = "learner"
_SEEN = "_learner_seen"
_DUMP = "_learner_dump"
_NOTICES = "_learner_notices"
_FORGET = "_learner_forget"
_PUT = "_learner_put"
_DELETE = "_learner_delete"
_FROZEN = "_learner_frozen"  # the stored value is from a newer version of the app: never overwrite it
_RESTORED = "_learner_restored"  # callbacks run with the restored blobs, see notes_view


def now() -> _dt.datetime:
    return _dt.datetime.now(_dt.UTC)


def learner() -> S.Store:
    """This learner's progress (never mutate: replace it with :func:`update`)."""
    from explorer import store as S

    return st.session_state.get(_KEY) or S.empty()


def update(change: Callable[[S.Store], S.Store]) -> None:
    """Apply a change (``lambda s: S.mark_read(s, ...)``); a refused change shows its reason."""
    from explorer import store as S

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
    data back in (see :func:`explorer.store.forget`)."""
    from explorer import store as S

    st.session_state[_KEY] = S.forget(learner(), now())
    st.session_state[_FORGET] = True
    st.session_state.pop(_PUT, None)
    st.session_state.pop(_DELETE, None)
    st.session_state[_RESTORED] = {}


def kept_notes() -> dict[str, S.NoteMeta]:
    """The uploaded notes this learner's progress lists (none before anything was restored or added)."""
    store = st.session_state.get(_KEY)
    if store is None:
        return {}
    from explorer import store as S

    return S.uploaded_notes(store)


def restored_blobs() -> dict[str, str]:
    """The uploaded notes' texts this browser gave back (id -> text)."""
    return st.session_state.get(_RESTORED, {})


def _dumped(store: S.Store) -> str:
    cached = st.session_state.get(_DUMP)
    if cached is not None and cached[0] is store:
        return cached[1]
    from explorer import store as S

    text = S.dump(store)
    st.session_state[_DUMP] = (store, text)
    return text


def sync() -> None:
    """Restore / merge what the browser holds, then queue this session's changes (once per run)."""
    ss = st.session_state
    state = store_state()
    if state.snapshot_id != ss.get(_SEEN, 0):
        from explorer import store as S

        ss[_SEEN] = state.snapshot_id
        if state.reason == "cleared":
            ss[_KEY] = S.forget(learner(), now()) if not S.is_empty(learner()) else learner()
            ss[_RESTORED] = {}
        elif state.text is not None:
            loaded = S.load(state.text)
            if loaded.notices:
                ss.setdefault(_NOTICES, []).extend(loaded.notices)
            ss[_FROZEN] = not loaded.can_overwrite
            if loaded.ok:
                ss[_KEY] = S.merge(learner(), loaded.store)
        ss[_RESTORED] = dict(state.blobs)
    write = None
    if state.status in ("ready", "error") and not ss.get(_FROZEN):
        from explorer import store as S

        if _KEY not in ss:
            ss[_KEY] = S.empty()
        store = ss[_KEY]
        text = _dumped(store)
        nothing_stored = state.text is None and S.is_empty(store)
        if text != state.text and not nothing_stored:
            write = (None if ss.get(_FORGET) else state.rev, text)
    browser_store(write=write, put_blobs=ss.pop(_PUT, None) or None, delete_blobs=sorted(ss.pop(_DELETE, ())) or None,
                  clear=bool(ss.pop(_FORGET, False)))


def storage_notice() -> str | None:
    """Why progress is kept only in this tab (storage disabled, full, damaged), or None."""
    state = store_state()
    if st.session_state.get(_FROZEN):
        return ("This browser holds progress saved by a newer version of the app; it is left untouched, and "
                "what you do here is kept for this tab only.")
    return state.notice_message


def pop_notices() -> list[str]:
    """Messages about the restored progress (ignored values, migrations), shown once."""
    return st.session_state.pop(_NOTICES, [])


def persistent() -> bool:
    return store_state().status == "ready" and not st.session_state.get(_FROZEN)


# --------------------------------------------------------------------------- reading marks
def read_sections() -> dict[str, frozenset[str]]:
    """Sections marked read: note id -> section ids."""
    from explorer import store as S

    return S.sections_read(learner())


def _toggle_read(note_id: str, section_ids: list[str], key: str) -> None:
    from explorer import store as S

    read = bool(st.session_state.get(key))
    t = now()

    def change(store: S.Store) -> S.Store:
        for sid in section_ids:
            store = S.mark_read(store, note_id, sid, read, t)
        return store

    update(change)


def mark_read_toggle(note, sections) -> None:
    ids = [s.id for s in sections]
    if not ids:
        return
    key = f"read::{note.id}::{ids[0]}::{len(ids)}"
    done = read_sections().get(note.id, frozenset())
    st.session_state[key] = all(i in done for i in ids)
    label = "Mark this section as read" if len(ids) == 1 else f"Mark these {len(ids)} sections as read"
    st.checkbox(label, key=key, on_change=_toggle_read, args=(note.id, ids, key))
