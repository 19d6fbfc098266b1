"""The vault a session reads: shipped notes plus this session's uploads, for ``[[links]]`` and backlinks.

Without uploads it is the shared one (:func:`ui.caches.vault`, :func:`ui.caches.note_backlinks`).  With
uploads, the index with them added and the backlinks that involve them are kept in this session only
(rebuilt when the uploads change), never in a cache shared between sessions.
"""

from __future__ import annotations

import hashlib

import streamlit as st

from explorer.content.loader import Content
from explorer.notes.backlinks import Backlinks, build_backlinks
from explorer.notes.vault_links import Vault, note_refs

from .caches import note_backlinks, vault
from .vault_import_view import images_stamp, session_images

_KEY = "_session_vault"  # session_state: [key, Vault, Backlinks or None, which uploads were opened]


def _session(content: Content, uploads: list):
    if not uploads:
        return None
    images = session_images()  # an imported folder's images: ![[name.png]] finds them (ui.vault_import_view)
    key = (content.version, tuple(n.digest for n in uploads), images_stamp(images))
    opened = tuple(getattr(n, "parsed", True) for n in uploads)  # an upload's links count once it is opened
    memo = st.session_state.get(_KEY)
    if memo is not None and memo[0] == key and memo[3] != opened:
        memo[2], memo[3] = None, opened  # the backlinks again (the index stays)
    if memo is None or memo[0] != key:
        shipped = vault(content)
        by_id = {n.id: n for n in uploads}
        stamp = hashlib.sha1(repr(key).encode()).hexdigest()[:12]
        session_vault = Vault(shipped.index.with_more(note_refs(uploads), images),
                              lambda nid: by_id.get(nid) or shipped.note(nid), f"{content.version}|{stamp}")
        memo = [key, session_vault, None, opened]
        st.session_state[_KEY] = memo
    return memo


def session_vault(content: Content, uploads: list) -> Vault:
    """What links in this session's notes resolve against (``uploads``: the session's uploaded notes)."""
    memo = _session(content, uploads)
    return vault(content) if memo is None else memo[1]


def session_backlinks(content: Content, uploads: list) -> Backlinks:
    """Which notes link to each note, among the notes this session shows."""
    memo = _session(content, uploads)
    if memo is None:
        return note_backlinks(content)
    if memo[2] is None:
        memo[2] = build_backlinks([*content.notes, *uploads], memo[1].index)
    return memo[2]
