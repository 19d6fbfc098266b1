"""Notes reader: every note in content/notes (plus notes uploaded in this session), with contents and deep links.

Deep links: ``/Notes?note=<note-id>&section=<section-id>``.  Only ids of notes that were
loaded can be opened, so no parameter can make the page read a file.
"""

import streamlit as st

import ui

INDENT = "\u2003"

c = ui.frame("Notes", ":material/menu_book:")
notes = ui.all_notes(c)
st.title("Notes reader")

if not notes:
    st.info("There are no notes yet. Add Markdown files to `content/notes/` or upload your own below.", icon=":material/info:")

by_id = {n.id: n for n in notes}
note_id = ui.param("note", by_id, what="the note")
current = by_id.get(note_id) if note_id else (notes[0] if notes else None)
section_id = None
if current is not None:
    section_id = ui.param("section", [s.id for s in current.sections], what=f"a section of “{ui.literal(current.title)}” called")

read = ui.read_sections()
total_sections = sum(len(n.sections) for n in notes)
done = sum(len(read.get(n.id, ())) for n in notes)
if total_sections:
    st.progress(done / total_sections, text=f"Overall reading progress: {done} of {total_sections} sections marked read")

nav, body = st.columns([1.35, 3], gap="medium")
with nav:
    groups: dict[str, list] = {}
    for n in notes:
        head = "Uploaded in this session" if n.source == "upload" else (f"Week {n.week}" if n.week else "Other notes")
        groups.setdefault(head, []).append(n)
    for head, group in groups.items():
        st.markdown(f"**{head}**")
        for n in group:
            marks = len(read.get(n.id, ()))
            badge = f" ({marks}/{len(n.sections)})" if marks else ""
            st.page_link(
                "pages/1_Notes.py",
                label=f"{n.title}{badge}",
                icon=":material/radio_button_checked:" if current and n.id == current.id else ":material/article:",
                query_params={"note": n.id},
                help=n.summary or None,
            )
    if current is not None and current.sections:
        st.markdown("**Contents**")
        for s in current.sections:
            tick = "✓ " if s.id in read.get(current.id, ()) else ""
            st.page_link(
                "pages/1_Notes.py",
                label=f"{INDENT * s.depth}{tick}{s.title}",
                query_params={"note": current.id, "section": s.id},
            )
    with st.expander("Add your own notes", icon=":material/upload_file:"):
        ui.upload_notes_widget()

with body:
    if current is None:
        st.stop()
    meta = [f"Week {current.week}" if current.week else None, ", ".join(current.tags) or None,
            "uploaded in this session (not stored on the server)" if current.source == "upload" else None]
    st.header(current.title, anchor=False)
    st.caption(" · ".join(ui.literal(m, 200) for m in meta if m))
    if current.summary:
        st.markdown(f"*{ui.literal(current.summary, 500)}*")
    if section_id:
        sec = current.section(section_id)
        trail = [sec]
        while trail[0].parent:
            trail.insert(0, current.section(trail[0].parent))
        st.caption(" › ".join([ui.literal(current.title)] + [ui.literal(s.title) for s in trail]))
        ui.render_note_part(current, section_id)
        ui.mark_read_toggle(current, [s for s in current.subtree(section_id)])
        ids = [s.id for s in current.sections]
        i = ids.index(section_id)
        prev_col = all_col = next_col = st.container(horizontal=True, gap="small")
        if i > 0:
            prev_col.page_link("pages/1_Notes.py", label=f"Previous: {current.sections[i - 1].title}", icon=":material/arrow_back:",
                               query_params={"note": current.id, "section": ids[i - 1]})
        all_col.page_link("pages/1_Notes.py", label="Whole note", icon=":material/article:", query_params={"note": current.id})
        after = [s for s in current.sections[i + 1 :] if s.id not in {x.id for x in current.subtree(section_id)}]
        if after:
            next_col.page_link("pages/1_Notes.py", label=f"Next: {after[0].title}", icon=":material/arrow_forward:",
                               query_params={"note": current.id, "section": after[0].id})
    else:
        ui.render_note_part(current)
        ui.mark_read_toggle(current, list(current.sections))

note_problems = [p for p in c.problems if p.file.startswith("notes/") and p.severity == "error"]
if note_problems:
    with st.expander(f"{len(note_problems)} note file(s) could not be read", icon=":material/warning:"):
        st.code("\n".join(str(p) for p in note_problems), language=None)
