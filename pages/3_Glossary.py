"""Glossary: every term with its definition, related terms, and where the notes use it.

Deep links: ``/Glossary?term=<term-id>`` opens a term; ``&filter=<text>`` narrows the list.
Terms are linked from the notes (dotted underline) and back.
"""

import streamlit as st

import ui
from explorer.routes import PAGES

c = ui.frame("Glossary", ":material/dictionary:")
st.title("Glossary")
ui.need(c, "glossary")
terms = sorted(c.glossary, key=lambda t: t.term.lower())
by_id = {t.id: t for t in terms}
uses = ui.glossary_backlinks(c)

chosen = ui.bind("term", "term_pick", choices=by_id, what="the term")
if chosen:
    t = by_id[chosen]
    with st.container(border=True):
        st.markdown(f"## {ui.literal(t.term, 120)}")
        if t.aliases:
            st.caption("Also: " + ", ".join(ui.literal(a) for a in t.aliases))
        st.markdown(ui.literal(t.definition, 2000))
        if t.related:
            st.markdown("**Related terms**")
            ui.glossary_links(t.related, c)
        found = uses.get(t.id, [])
        st.markdown(f"**Where the notes use it** ({len(found)})")
        ui.note_links([f"{n}#{s}" if s else n for n, s in found[:20]], c)
        if not found:
            st.caption("Not mentioned in the notes by this name.")
        if t.notes:
            st.markdown("**Explained in**")
            ui.note_links(t.notes, c)
        if t.source_url:
            ui.source_line(t.source_url, t.last_verified)
        st.page_link(PAGES["glossary"].file, label="All terms", icon=":material/list:")

st.selectbox("Open a term", list(by_id), format_func=lambda i: by_id[i].term, key="term_pick",
             placeholder="Pick a term to see its related terms and where the notes use it",
             on_change=ui.push_state("term", "term_pick"))

flt = ui.bind("filter", "gloss_filter", default="", what="the filter", max_chars=80) or ""
st.text_input("Filter terms", placeholder="type part of a term or its definition", max_chars=80, key="gloss_filter",
              on_change=ui.push_state("filter", "gloss_filter"))
needle = flt.strip().lower()
shown = [t for t in terms if not needle or needle in t.term.lower() or needle in t.definition.lower()
         or any(needle in a.lower() for a in t.aliases)]
st.caption(f"{len(shown)} of {len(terms)} terms")
letters: dict[str, list] = {}
for t in shown:
    letters.setdefault(t.term[0].upper(), []).append(t)
for letter, group in letters.items():
    # one Markdown block per letter (cheap to rerun); pick a term above to open it
    lines = [f"#### {letter}"] + [
        f"- **{ui.literal(t.term, 120)}** — {ui.literal(t.definition, 600)}"
        + (f"  \n  *{len(uses.get(t.id, []))} use(s) in the notes*" if uses.get(t.id) else "")
        for t in group
    ]
    st.markdown("\n".join(lines))
