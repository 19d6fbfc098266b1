"""Bring the whole folder (issue #23): the Notes page's import of a folder or a ``.zip``, and the session's images.

A learner adds a vault (notes in folders, images beside them) as a ``.zip`` or as a folder.  The files are
checked by :mod:`explorer.notes.vault_import`; the notes join the session's uploads with their folder paths
(read lazily, under the same limits as uploaded files: :mod:`explorer.notes.uploads`) and the images are
kept in this session's memory (:func:`session_images`), never in a cache shared between sessions.  Both are
kept in this browser's IndexedDB as uploads are (``ui.progress.put_blob``): a note under its id, an image
under a ``vault-img-`` id with its path; on reload and after a server restart they come back with the
browser's snapshot (images under their own limits, :func:`explorer.limits.check_blobs`) and are decoded
when a note first needs them.  Every file left out is named with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping

import streamlit as st

from explorer.limits import IMAGE_BLOB_PREFIX, LIMITS, NoteItem, check_notes, kb, mb, utf8_size
from explorer.notes.note import Note
from explorer.notes.uploads import UploadError, read_upload, unique_note_id
from explorer.notes.vault_import import (
    IMAGE_TYPES,
    NOTE_SUFFIXES,
    Image,
    VaultImport,
    image_blob,
    note_path_blob,
    read_folder,
    read_image_blob,
    read_zip,
)

from . import progress

_IMAGES = "_vault_images"  # session_state: path -> Image imported in this session
_RESTORED = "_vault_images_restored"  # session_state: (the browser's blobs, path -> Image read from them)
_SEEN = "_vault_import_seen"  # session_state: uploader file ids already read
MAX_NAMED = 30  # refusals shown one by one

Message = tuple[str, str, tuple[str, ...]]  # (kind, text, items), as ui.notes_view.UploadMessage takes them


def session_images() -> dict[str, Image]:
    """This session's images by path: imported here, or given back by this browser (decoded on first use)."""
    ss = st.session_state
    blobs = progress.restored_blobs()
    memo = ss.get(_RESTORED)
    if memo is None or memo[0] is not blobs:
        restored: dict[str, Image] = {}
        for blob_id, text in blobs.items():
            if blob_id.startswith(IMAGE_BLOB_PREFIX):
                image = read_image_blob(text)
                if image is not None:
                    restored[image.path] = image
        memo = (blobs, restored)
        ss[_RESTORED] = memo
    return {**memo[1], **ss.get(_IMAGES, {})}


def images_stamp(images: dict[str, Image]) -> str:
    """A short key for the set of images (render caches key on it)."""
    return f"{len(images)}:{sum(len(i.data) for i in images.values())}:{hash(tuple(sorted(images)))}"


def _take_images(images: Iterable[Image]) -> tuple[int, list[str]]:
    """Keep images in this session and this browser, within the session's image limits."""
    have = session_images()
    count, total = len(have), sum(len(i.data) for i in have.values())
    kept: dict[str, Image] = st.session_state.setdefault(_IMAGES, {})
    taken, refused = 0, []
    for image in images:
        size = len(image.data)
        if image.path not in have and count >= LIMITS.images:
            refused.append(f"{image.path}: a session keeps at most {LIMITS.images} images.")
            continue
        if image.path not in have and total + size > LIMITS.images_bytes:
            refused.append(f"{image.path}: it is {kb(size)}, and this session's images may take at most "
                           f"{mb(LIMITS.images_bytes)} together.")
            continue
        if image.path not in have:
            count, total = count + 1, total + size
        kept[image.path] = image
        progress.put_blob(*image_blob(image))
        taken += 1
    return taken, refused


def _take_notes(files: list[tuple[str, bytes]], store: MutableMapping[str, Note],
                taken_ids: Iterable[str]) -> tuple[list[Note], list[str]]:
    """Add an import's notes to the session's uploads (``store``), within the notes' limits."""
    from explorer.study import store as S

    held_bytes = sum(utf8_size(n.text) for n in store.values())
    checked = check_notes((NoteItem(path, path, len(data)) for path, data in files), held=len(store),
                          held_bytes=held_bytes)
    refused = [f"{r.name}: {r.message}" for r in checked.refused]
    data = dict(files)
    used = set(taken_ids)
    added: list[Note] = []
    t = progress.now()
    for item in checked.accepted:
        try:
            note = unique_note_id(read_upload(item.key, data[item.key], path=item.key), used)
        except UploadError as exc:
            refused.append(f"{item.key}: {exc.reason}")
            continue
        store[note.id] = note
        progress.update(lambda s, n=note, size=item.size: S.add_note(s, n.id, n.path, size, t))
        progress.put_blob(note.id, note.text)
        if "/" in note.path:  # its folder, should the progress lose its listing (ui.progress._relist_uploads)
            progress.put_blob(*note_path_blob(note.id, note.path))
        added.append(note)
    return added, refused


def _outcome(what: str, imp: VaultImport, notes: list[Note], images: int, refused: list[str]) -> list[Message]:
    out: list[Message] = []
    if notes or images:
        keep = " Kept in this browser for your next visit." if progress.persistent() else ""
        out.append(("success", f"Imported {len(notes)} note{'s' if len(notes) != 1 else ''} and {images} "
                               f"image{'s' if images != 1 else ''} from {what}.{keep}", ()))
    items = [str(r) for r in imp.refused] + refused
    if items:
        shown = items[:MAX_NAMED] + ([f"…and {len(items) - MAX_NAMED} more"] if len(items) > MAX_NAMED else [])
        head = (f"{what}: nothing was imported." if not (notes or images)
                else f"{what}: {len(items)} file{'s were' if len(items) != 1 else ' was'} left out.")
        out.append(("notice", head, tuple(shown)))
    return out


def import_widget(store: MutableMapping[str, Note], taken_ids: Callable[[], Iterable[str]]) -> list[Message]:
    """The folder and .zip uploaders; new files are read into ``store`` (the session's uploads) at once.
    ``taken_ids()`` lists the ids already used elsewhere (called only when something is imported).
    Returns what happened (shown by the caller)."""
    st.caption(
        "Or bring a whole folder of notes with their images (png, jpg, gif, svg, webp): a .zip of it "
        f"(up to {mb(LIMITS.zip_bytes)}), or the folder itself. Its folders become the tree and its images show in "
        f"the notes (up to {LIMITS.images} images of {kb(LIMITS.image_bytes)}, {mb(LIMITS.images_bytes)} together); "
        "the notes count towards the limits above."
    )
    zipped = st.file_uploader("A .zip of notes and images", type=["zip"], key="vault_zip",
                              max_upload_size=LIMITS.import_upload_mb())
    folder = st.file_uploader("A folder of notes and images", accept_multiple_files="directory", key="vault_folder",
                              type=[s.lstrip(".") for s in (*NOTE_SUFFIXES, *IMAGE_TYPES)],
                              max_upload_size=LIMITS.note_upload_mb())
    seen: set[str] = st.session_state.setdefault(_SEEN, set())
    batches: list[tuple[str, VaultImport]] = []
    if zipped is not None and zipped.file_id not in seen:
        seen.add(zipped.file_id)
        batches.append((zipped.name[:120], read_zip(zipped.getvalue(), zipped.name[:120])))
    fresh = [f for f in folder or [] if f.file_id not in seen]
    if fresh:
        seen.update(f.file_id for f in fresh)
        top = fresh[0].name.replace("\\", "/").split("/", 1)[0][:120] or "the folder"
        batches.append((top, read_folder((f.name, f.getvalue()) for f in fresh)))
    messages: list[Message] = []
    for what, imp in batches:
        notes, refused = _take_notes(list(imp.notes), store, [*taken_ids(), *store])
        images, refused_images = _take_images(imp.images.values())
        messages += _outcome(what, imp, notes, images, refused + refused_images)
    return messages
