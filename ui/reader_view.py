"""The Notes page (``pages/1_Notes.py``): which note and section the URL asks for, the reader's navigation
(reading progress, the note tree, the contents, the uploader) and the note itself with its trail and
Previous/Next.

The URL is the reader's state: ``/Notes?note=<note-id>&section=<section-id>``.  ``note`` and ``section`` are
the targets of links inside the app (the reader's lists, in-note links, Previous/Next): they stay unbound
(:mod:`ui.urlstate`), so such a link also updates the address bar.  Only ids of notes that were loaded can be
opened: no parameter reads a file.
"""

from __future__ import annotations

import streamlit as st

from explorer.content.loader import Content
from explorer.notes.note import Note
from explorer.routes import PAGES

from . import urlstate
from .note_tree_view import NotesById, note_tree, notes_tree, reading_progress, show_breadcrumb
from .notes_view import all_notes, remove_upload, show_messages, show_note, toc_html, upload_messages, upload_widget
from .progress import mark_read_toggle, read_sections
from .widgets import html, literal

NOTES_PAGE = PAGES["notes"].file
LONG_TOC = 20  # above this many headings, deeper levels fold into their top-level section


def reader(c: Content) -> None:
    """Draw the Notes page for the content ``c`` (the page's frame is drawn already)."""
    notes = all_notes(c)
    by_id = NotesById(c, notes)  # no dict of every note per run
    messages_box = st.container()  # upload results and file problems show at the top, where the reader looks
    note_id = urlstate.follow("note", choices=by_id, default=notes[0].id if notes else None, what="the note")
    current = by_id.get(note_id)
    section_id = _section_asked(current)
    tree = notes_tree(notes, c.version)  # the list and the breadcrumb share it
    read = read_sections()
    unreadable = [p for p in c.note_problems() if p.severity == "error"]
    with messages_box:
        show_messages(upload_messages())
        if unreadable:
            with st.expander(f"{len(unreadable)} note file(s) could not be read", icon=":material/warning:", expanded=True):
                st.code("\n".join(str(p) for p in unreadable), language=None)

    nav, body = st.columns([1.35, 3], gap="medium")
    with nav:
        done, total_sections = reading_progress(notes, read, c)  # counts never parse a note
        if total_sections:
            st.progress(done / total_sections, text=f"Read: {done} of {total_sections} sections")
        note_tree(tree, notes, current, read, by_id=by_id)
        if current is not None and current.sections:
            _contents(current, section_id, read.get(current.id, frozenset()))
        with st.expander("Add your own notes", icon=":material/upload_file:"):
            refused = upload_widget(c)
        with messages_box:
            show_messages(refused)
    with body:
        if current is None:
            st.info("There are no notes yet. Add Markdown files to `content/notes/` or upload your own (left).",
                    icon=":material/info:")
            return
        show_breadcrumb(tree, current)
        _heading(current)
        if section_id:
            _section(current, section_id, c)
        else:
            show_note(current, c)
            mark_read_toggle(current, current.sections)


def _section_asked(current: Note | None) -> str | None:
    """The section the URL asks for, if the note has it."""
    if current is None:
        return None
    section_id = urlstate.follow("section", choices=[s.id for s in current.sections],
                                 what=f"a section of “{literal(current.title)}” called")
    return section_id if section_id and current.section(section_id) is not None else None


def _contents(current: Note, section_id: str | None, read: frozenset[str]) -> None:
    """The note's contents: every heading, or for a long note the top levels and the open section's subsections."""
    shown = sections = current.sections
    if len(sections) > LONG_TOC and not st.toggle("Show every level", key="toc_all_levels",
                                                   help="Long notes show subsections only under the open section"):
        open_top = None
        if section_id:
            s = current.section(section_id)
            while s.parent:
                s = current.section(s.parent)
            open_top = s.id
        top = None
        shown = []
        for s in sections:
            top = s.id if s.depth == 0 else top
            if s.depth == 0 or top == open_top:
                shown.append(s)
    st.markdown("**Contents**")
    with st.container(key="toc"):
        html(toc_html(current, shown, section_id, read))


def _heading(current: Note) -> None:
    """The note's title, its line of facts (week, date, tags, where it comes from), summary and front matter notices."""
    meta = [f"Week {current.week}" if current.week else None, current.date or None,
            " ".join(f"#{t}" for t in current.tags) or None,
            "your upload (kept in this browser, not on the server)" if current.source == "upload" else None]
    st.title(literal(current.title, 300), anchor=False)  # a title is text, never Markdown
    line = " · ".join(literal(m, 200) for m in meta if m)
    if line:
        st.caption(line)
    if current.summary:
        st.markdown(f"*{literal(current.summary, 500)}*")
    if current.source == "upload":
        st.button("Remove this uploaded note", icon=":material/delete:", key=f"remove::{current.id}",
                  on_click=remove_upload, args=(current.id,),
                  help="Removes it from this session and from this browser's storage")
    notices = current.notices
    if notices:
        warnings = [n for n in notices if n.severity == "warning"]
        infos = [n for n in notices if n.severity != "warning"]
        where = f"`{literal(current.path, 120)}`" if current.source != "upload" else "this upload"
        if warnings:
            st.warning(f"**The front matter of {where} needs a look** (the note itself is shown in full):\n\n"
                       + "\n".join(f"- {literal(str(n), 400)}" for n in warnings), icon=":material/edit_note:")
        if infos:
            st.caption(" · ".join(literal(str(n), 300) for n in infos))


def _section(current: Note, section_id: str, c: Content) -> None:
    """One section of the note: its trail, the section with its subsections, its reading mark, Previous/Next."""
    sec = current.section(section_id)
    trail = [sec]
    while trail[0].parent:
        trail.insert(0, current.section(trail[0].parent))
    st.caption(" › ".join([literal(current.title)] + [literal(s.title) for s in trail]))
    show_note(current, c, section_id)
    mark_read_toggle(current, current.subtree(section_id))
    ids = [s.id for s in current.sections]
    i = ids.index(section_id)
    inside = {x.id for x in current.subtree(section_id)}
    after = [s for s in current.sections[i + 1:] if s.id not in inside]
    with st.container(horizontal=True, gap="small"):
        if i > 0:
            st.page_link(NOTES_PAGE, label=f"Previous: {literal(current.sections[i - 1].title, 120)}", icon=":material/arrow_back:",
                         query_params={"note": current.id, "section": ids[i - 1]})
        st.page_link(NOTES_PAGE, label="Whole note", icon=":material/article:", query_params={"note": current.id})
        if after:
            st.page_link(NOTES_PAGE, label=f"Next: {literal(after[0].title, 120)}", icon=":material/arrow_forward:",
                         query_params={"note": current.id, "section": after[0].id})
