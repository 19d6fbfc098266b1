"""The learner's study progress in this session (reading marks, card states, quiz history)."""

from __future__ import annotations

import streamlit as st

from explorer.study import Progress, mark_read

_KEY = "progress"


def progress() -> Progress:
    """This session's study progress: a Progress, replaced on each change."""
    if _KEY not in st.session_state:
        st.session_state[_KEY] = Progress()
    return st.session_state[_KEY]


def set_progress(value: Progress) -> None:
    st.session_state[_KEY] = value


def read_sections() -> dict[str, list[str]]:
    """Sections marked read: note id -> section ids."""
    return progress().sections_read


def _toggle_read(note_id: str, section_ids: list[str], key: str) -> None:
    p = progress()
    for sid in section_ids:
        p = mark_read(p, note_id, sid, bool(st.session_state.get(key)))
    set_progress(p)


def mark_read_toggle(note, sections) -> None:
    ids = [s.id for s in sections]
    if not ids:
        return
    key = f"read::{note.id}::{ids[0]}::{len(ids)}"
    done = set(read_sections().get(note.id, []))
    st.session_state[key] = all(i in done for i in ids)
    label = "Mark this section as read" if len(ids) == 1 else f"Mark these {len(ids)} sections as read"
    st.checkbox(label, key=key, on_change=_toggle_read, args=(note.id, ids, key))
