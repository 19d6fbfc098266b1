"""Glossary: every term with its definition, related terms, and where the notes use it.

Deep links: ``/Glossary?term=<term-id>`` opens a term; ``&filter=<text>`` narrows the list.
Terms are linked from the notes (dotted underline) and back.
"""

import streamlit as st

from explorer.routes import PAGES
from ui import urlstate
from ui.caches import glossary_backlinks, indexing
from ui.frame import frame, need
from ui.widgets import glossary_links, literal, note_links, source_line

c = frame("Glossary", ":material/dictionary:")
st.title("Glossary")
need(c, "glossary")
terms = sorted(c.glossary, key=lambda t: t.term.lower())
by_id = {t.id: t for t in terms}
uses = glossary_backlinks(c)
read, total = indexing(c)  # backlinks cover the notes the indexer has read so far

# links lead here from notes and from this page (related terms, "All terms"): Streamlit would not update the address
# bar for a widget bound to the URL, so ``term`` and ``filter`` go through the binder (ui.urlstate)
chosen = urlstate.follow("term", choices=by_id, what="the term")
if chosen:
    t = by_id[chosen]
    with st.container(border=True):
        st.markdown(f"## {literal(t.term, 120)}")
        if t.aliases:
            st.caption("Also: " + ", ".join(literal(a) for a in t.aliases))
        st.markdown(literal(t.definition, 2000))
        if t.related:
            st.markdown("**Related terms**")
            glossary_links(t.related, c)
        found = uses.get(t.id, [])
        st.markdown(f"**Where the notes use it** ({len(found)})")
        if read < total:
            st.caption(f"From {read:,} of {total:,} notes so far (the rest are being read).")
        note_links([f"{n}#{s}" if s else n for n, s in found[:20]], c)
        if not found:
            st.caption("Not mentioned in the notes by this name.")
        if t.notes:
            st.markdown("**Explained in**")
            note_links(t.notes, c)
        if t.source_url:
            source_line(t.source_url, t.last_verified)
        st.page_link(PAGES["glossary"].file, label="All terms", icon=":material/list:")

st.selectbox("Open a term", list(by_id), format_func=lambda i: by_id[i].term, index=urlstate.index(by_id, chosen),
             placeholder="Pick a term to see its related terms and where the notes use it", **urlstate.widget("term", "term_pick"))

flt = urlstate.follow("filter", default="", what="the filter", max_chars=80)
flt = st.text_input("Filter terms", value=flt, placeholder="type part of a term or its definition", max_chars=80,
                    **urlstate.widget("filter", "gloss_filter"))
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
        f"- **{literal(t.term, 120)}** — {literal(t.definition, 600)}"
        + (f"  \n  *{len(uses.get(t.id, []))} use(s) in the notes*" if uses.get(t.id) else "")
        for t in group
    ]
    st.markdown("\n".join(lines))
