"""Notes in the app: rendering (``st.html``, no second parse), uploads kept per session, reading marks.

Shipped notes are rendered once per process per note version and view (a bounded cache).  Notes a
visitor uploads are parsed, rendered and indexed inside that visitor's session only: a small LRU in
``st.session_state``, gone with the session, never in a process-wide cache.

Uploaded notes and the notes this browser gives back (IndexedDB) share one set of limits
(:mod:`explorer.limits`): the first added are restored, each at most once per session (parsed once:
a session-scoped memo), and every note not restored is named with its reason on the Notes page; its
text stays in the browser, untouched.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from html import escape

import streamlit as st

from components.browser_store import store_state
from explorer.content.loader import Content
from explorer.limits import LIMITS, NOTE_PATH_BLOB_PREFIX, NoteItem, Refusal, check_notes, utf8_size
from explorer.notes.note import Note, with_id
from explorer.notes.render import note_url, render_note
from explorer.notes.uploads import MAX_UPLOAD_BYTES, MAX_UPLOADS, UploadError, read_upload, read_uploads, restore_plan

from . import progress
from .backlinks_view import show_backlinks
from .caches import term_matcher
from .diagram_view import draw_view
from .math_view import with_math
from .vault_import_view import images_stamp, import_widget, session_images
from .vault_view import session_vault
from .widgets import literal

UPLOADS = "uploaded_notes"  # session_state: note id -> Note (uploaded here, or given back by this browser)
_FILES = "_upload_files"  # session_state: uploader file id -> note id
_RESTORE = "_upload_restore"  # session_state: (inputs, notes not restored) of the last restore
_FAILED = "_upload_restore_failed"  # session_state: (note id, hash of its text) -> why it could not be read
_RENDERED = "_rendered_uploads"  # session_state: LRU of rendered upload views
MAX_SESSION_RENDERS = 64
MAX_LISTED = 30  # notes named one by one in the notice about notes not restored
MAX_SESSION_RENDER_BYTES = 8_000_000  # rendered views of uploads kept per session


# --------------------------------------------------------------------------- which notes
def _restore_uploads() -> dict[str, Note]:
    """The session's uploads, after taking in the notes this browser keeps (and dropping forgotten ones).

    Worked out again only when what the browser gave back, the notes its progress lists or the
    session's notes change; a note is parsed at most once per session (a text that cannot be read
    is remembered with its reason)."""
    ss = st.session_state
    store: dict[str, Note] = ss.setdefault(UPLOADS, {})
    kept = progress.kept_notes()
    for nid in [n for n in store if n not in kept and n not in ss.get(_FILES, {}).values()]:
        del store[nid]  # removed in another tab, or "Forget this browser"
    blobs = progress.restored_blobs()
    memo = ss.get(_RESTORE)
    inputs = (tuple(kept), tuple(store))
    if memo is not None and memo[0] is blobs and memo[1] == inputs:
        return store
    refused_by_store = store_state().refused_blobs
    failed: dict[tuple[str, int], Refusal] = ss.setdefault(_FAILED, {})
    order = [nid for nid, _ in sorted(kept.items(), key=lambda kv: (kv[1].added, kv[0]))]
    while True:
        unreadable = {nid: failed[(nid, hash(blobs[nid]))] for nid in order
                      if nid not in store and isinstance(blobs.get(nid), str) and (nid, hash(blobs[nid])) in failed}
        plan = restore_plan([(nid, kept[nid].name) for nid in order if nid not in store and nid not in unreadable],
                            blobs, refused_by_store, held=len(store),
                            held_bytes=sum(utf8_size(n.text) for n in store.values()))
        fresh_failure = False
        for nid, name, text in plan.accepted:
            try:
                store[nid] = with_id(read_upload(name, text.encode("utf-8", "surrogatepass"),
                                                  path=name if "/" in name else None), nid)  # an imported folder's path
            except UploadError as exc:
                failed[(nid, hash(text))] = Refusal(exc.filename, exc.code, exc.reason, nid)
                fresh_failure = True
        if not fresh_failure:  # a note that cannot be read leaves its room to the next one
            break
    by_id = {r.key: r for r in (*plan.refused, *unreadable.values())}
    ss[_RESTORE] = (blobs, (tuple(kept), tuple(store)), tuple(by_id[nid] for nid in order if nid in by_id))
    return store


def not_restored() -> tuple[Refusal, ...]:
    """The notes this browser keeps that this session did not take back, each with its reason."""
    _restore_uploads()
    memo = st.session_state.get(_RESTORE)
    return memo[2] if memo else ()


def uploaded_notes() -> list[Note]:
    return list(_restore_uploads().values())


def remove_upload(note_id: str) -> None:
    """Drop an uploaded note from this session and from this browser (a callback)."""
    st.session_state.setdefault(UPLOADS, {}).pop(note_id, None)
    files = st.session_state.setdefault(_FILES, {})
    for fid in [f for f, n in files.items() if n == note_id]:
        files[fid] = None  # the uploader still lists the file; it no longer brings the note back
    from explorer.study import store as S

    progress.update(lambda s: S.remove_note(s, note_id, progress.now()))
    progress.delete_blob(note_id)
    progress.delete_blob(NOTE_PATH_BLOB_PREFIX + note_id)  # an imported note's path, if it had one


def all_notes(content: Content) -> list[Note]:
    """Shipped notes followed by the notes uploaded in this browser session."""
    return [*content.notes, *uploaded_notes()]


# --------------------------------------------------------------------------- rendering
def _glossary_key(content: Content) -> str:
    return content.file_versions.get("glossary.yaml", "none") if content.ok("glossary") else "none"


@st.cache_resource(show_spinner=False, max_entries=1024)
def _rendered_shipped(key: str, _note: Note, section_id: str | None, part: str, _matcher, _vault=None) -> str:
    return render_note(_note, section_id, part=part, glossary=_matcher, vault=_vault)


def note_html(note: Note, content: Content, section_id: str | None = None, part: str = "all") -> str:
    """Sanitised HTML of one view of a note (see :meth:`explorer.notes.note.Note.ranges`)."""
    matcher = term_matcher(content)
    vault = session_vault(content, uploaded_notes())  # [[links]] resolve among the notes this session shows
    # a shipped note's [[links]] may point to this session's uploads: then it is drawn in the session only
    if note.source != "upload" and (not note.links or vault.version == content.version):
        key = f"{note.digest}|{section_id}|{part}|{_glossary_key(content)}|{vault.version if note.links else ''}"
        return _rendered_shipped(key, note, section_id, part, matcher, vault)
    cache: OrderedDict = st.session_state.setdefault(_RENDERED, OrderedDict())
    images = session_images()  # an imported folder's images (ui.vault_import_view)
    key = (note.digest, section_id, part, _glossary_key(content), vault.version, images_stamp(images))
    if key in cache:
        cache.move_to_end(key)
        return cache[key]
    out = render_note(note, section_id, part=part, glossary=matcher, vault=vault, images=images)
    cache[key] = out
    while len(cache) > MAX_SESSION_RENDERS or (len(cache) > 1 and sum(len(v) for v in cache.values()) > MAX_SESSION_RENDER_BYTES):
        cache.popitem(last=False)
    return out


def show_note(note: Note, content: Content, section_id: str | None = None, part: str = "all") -> None:
    """Draw a view of a note: figures inline (or a placeholder), glossary terms linked, GitHub heading ids."""
    draw_view(with_math(note_html(note, content, section_id, part)))  # Mermaid diagrams drawn between the text (ui.diagram_view)
    if part == "all":
        show_backlinks(note, content, uploaded_notes())


# --------------------------------------------------------------------------- the reader's navigation
def _note_href(note_id: str, section_id: str | None = None) -> str:
    return escape(note_url(note_id, section_id))


def notes_nav_html(notes: list[Note], current: str | None, read: dict[str, frozenset[str]]) -> str:
    """The notes, grouped by week, as one list of links (the page shell keeps them in this session)."""
    groups: dict[str, list[Note]] = {}
    for n in notes:
        head = "Your uploads" if n.source == "upload" else (f"Week {n.week}" if n.week else "Other notes")
        groups.setdefault(head, []).append(n)
    out = ['<nav class="app-links reader-nav" aria-label="Notes">']
    for head, group in groups.items():
        out.append(f'<p class="nav-group">{escape(head)}</p><ul>')
        for n in group:
            marks = len(read.get(n.id, frozenset()) & {s.id for s in n.sections})
            badge = f' <span class="nav-badge">{marks}/{len(n.sections)} read</span>' if marks else ""
            cur = ' aria-current="page"' if n.id == current else ""
            tip = f' title="{escape(n.summary)}"' if n.summary else ""
            out.append(f'<li><a href="{_note_href(n.id)}"{cur}{tip}>{escape(n.title)}</a>{badge}</li>')
        out.append("</ul>")
    out.append("</nav>")
    return "".join(out)


def toc_html(note: Note, sections, current: str | None, read: frozenset[str]) -> str:
    """A note's contents (the given sections, indented by depth) as one list of links."""
    out = [f'<nav class="app-links reader-toc" aria-label="Contents of {escape(note.title)}"><ul>']
    for s in sections:
        cur = ' aria-current="location"' if s.id == current else ""
        tick = '<span class="nav-read" aria-label="read">✓</span> ' if s.id in read else ""
        out.append(f'<li class="d{min(s.depth, 5)}"><a href="{_note_href(note.id, s.id)}"{cur}>{tick}{escape(s.title)}</a></li>')
    out.append("</ul></nav>")
    return "".join(out)


# --------------------------------------------------------------------------- uploads
@dataclass(frozen=True)
class UploadMessage:
    kind: str  # "success", "error", or "warning" (notes not restored, listed in ``items``)
    text: str
    items: tuple[str, ...] = ()


def _sync_uploads(files, content: Content) -> list[UploadMessage]:
    """Make the session's uploaded notes follow the uploader: new files read, removed files dropped."""
    ss = st.session_state
    store = _restore_uploads()
    mapping: dict[str, str | None] = ss.setdefault(_FILES, {})
    current = {f.file_id: f for f in files or []}
    for fid in [k for k in mapping if k not in current]:
        nid = mapping.pop(fid)
        if nid is not None and nid in store:
            remove_upload(nid)
    fresh = [f for fid, f in current.items() if fid not in mapping and fid not in ss.get("_upload_rejected", set())]
    if not fresh:
        return []
    checked = check_notes((NoteItem(f.file_id, f.name, f.size) for f in fresh), held=len(store),
                          held_bytes=sum(utf8_size(n.text) for n in store.values()))
    messages = []
    for r in checked.refused:
        room = "" if r.reason == "too-big" else " Remove a note first."
        messages.append(UploadMessage("error", f"{r.name}: not added: {r.message}{room}"))
        ss.setdefault("_upload_rejected", set()).add(r.key)
    batch = [current[i.key] for i in checked.accepted]
    # ids of notes this browser keeps but did not restore stay theirs: an upload never replaces their text
    results = read_uploads([(f.name, f.getvalue()) for f in batch],
                           existing_ids=[*store, *progress.kept_notes(), *(n.id for n in content.notes)])
    from explorer.study import store as S

    t = progress.now()
    for f, res in zip(batch, results):
        if isinstance(res, Note):
            store[res.id] = res
            mapping[f.file_id] = res.id
            progress.update(lambda s, n=res, f=f: S.add_note(s, n.id, n.filename, f.size, t))
            progress.put_blob(res.id, res.text)
            extra = f" {len(res.notices)} front matter note(s): see the note." if res.notices else ""
            keep = " Kept in this browser for your next visit." if progress.persistent() else ""
            messages.append(UploadMessage("success", f"Added “{res.title}”.{extra}{keep}"))  # read when opened
        else:
            messages.append(UploadMessage("error", str(res)))
            ss.setdefault("_upload_rejected", set()).add(f.file_id)
    return messages


_MESSAGES = "_upload_messages"


def upload_widget(content: Content) -> list[UploadMessage]:
    """The uploader; returns what happened to files that were refused (to show where the user looks).

    When the set of notes changes the page reruns, so that lists drawn above the uploader show the
    change; what happened is then kept for :func:`upload_messages` on that run."""
    st.caption(
        f"Upload Markdown files (.md) to read, search and study them in this browser session (up to {MAX_UPLOADS} "
        f"files of {MAX_UPLOAD_BYTES // 1000} kB, {LIMITS.session_bytes / 1e6:g} MB together). Scripts and unsafe HTML "
        "are removed; nothing is written to the server's disk, and removing a file here removes its note."
    )
    files = st.file_uploader("Markdown files", type=["md", "markdown", "txt"], accept_multiple_files=True, key="note_uploads",
                             max_upload_size=LIMITS.note_upload_mb())
    before = set(st.session_state.get(UPLOADS, {}))
    messages = _sync_uploads(files, content)
    # the ids an import must not take, listed only when something is imported (not every note id on every run)
    messages += [UploadMessage(*m) for m in import_widget(
        _restore_uploads(), lambda: [*progress.kept_notes(), *(n.id for n in content.notes)])]
    if set(st.session_state.get(UPLOADS, {})) != before:
        st.session_state[_MESSAGES] = messages
        st.rerun()
    return messages


def upload_messages() -> list[UploadMessage]:
    """What happened to the files added on the previous run (shown once), after the notes this browser
    keeps that were not restored (shown as long as they are not)."""
    messages = st.session_state.pop(_MESSAGES, [])
    missed = not_restored()
    if missed:
        n = len(missed)
        head = (f"{n} note{'s' if n != 1 else ''} kept in this browser {'were' if n != 1 else 'was'} not restored. "
                f"{'They stay' if n != 1 else 'It stays'} in this browser, untouched: remove a note here to make room "
                f"(a session holds {MAX_UPLOADS} notes of {MAX_UPLOAD_BYTES // 1000} kB, "
                f"{LIMITS.session_bytes / 1e6:g} MB together), or open the app in another browser.")
        groups: dict[str, list[str]] = {}  # one line per reason, naming its notes
        for r in missed[:MAX_LISTED]:
            groups.setdefault(r.message, []).append(r.name)
        items = [f"{', '.join(names)}: {why}" for why, names in groups.items()]
        if n > MAX_LISTED:
            items.append(f"…and {n - MAX_LISTED} more")
        messages = [UploadMessage("warning", head, tuple(items)), *messages]
    return messages


def show_messages(messages: list[UploadMessage]) -> None:
    for m in messages:
        if m.kind == "error":
            st.error(literal(m.text, 300), icon=":material/error:")
        elif m.kind == "notice":  # files an import left out (ui.vault_import_view)
            st.warning(literal(m.text, 300) + "\n\n" + "\n".join(f"- {literal(x, 400)}" for x in m.items),
                       icon=":material/folder_zip:")
        elif m.kind == "warning":
            with st.container(key="restore_notice"):
                st.warning(literal(m.text, 600) + "\n\n" + "\n".join(f"- {literal(x, 3000)}" for x in m.items),
                           icon=":material/inventory_2:")
        else:
            st.success(literal(m.text, 300), icon=":material/check:")


# --------------------------------------------------------------------------- study pack
@st.cache_resource(show_spinner=False, max_entries=2)
def _shipped_pack(version: str, _content: Content) -> str:
    from explorer.notes.export import build_study_pack

    return build_study_pack(_content)


def study_pack(content: Content) -> str:
    """The offline HTML study pack: shipped notes (shared cache) plus this session's uploads (session cache)."""
    uploads = uploaded_notes()
    if not uploads:
        return _shipped_pack(content.version, content)
    images = session_images()  # an imported folder's images, inlined in its notes
    key = (content.version, tuple(n.digest for n in uploads), images_stamp(images))
    cached = st.session_state.get("_study_pack")
    if cached is None or cached[0] != key:
        from explorer.notes.export import build_study_pack

        cached = (key, build_study_pack(content, notes=[*content.notes, *uploads], images=images))
        st.session_state["_study_pack"] = cached
    return cached[1]
