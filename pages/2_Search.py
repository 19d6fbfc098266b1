"""Search over the notes (shipped and uploaded) and all YAML content.

Deep link: ``/Search?q=<query>``; the kinds shown can be narrowed with ``&kinds=note,term``.  Use double
quotes for an exact phrase: ``"model registry"``.  Every hit links to its page and section.  Snippets
are HTML-escaped by the search module before matches are marked.
"""

import streamlit as st

from explorer.notes.render import sanitize_snippet
from explorer.notes.search import MAX_QUERY_CHARS
from explorer.routes import kind_icon, kind_label
from ui import urlstate
from ui.frame import frame
from ui.notes_view import session_search_index
from ui.widgets import literal

c = frame("Search", ":material/search:")
st.title("Search")

urlstate.check("q", what="search text", max_chars=MAX_QUERY_CHARS, cuts=True)
query = st.text_input("Search the notes, ladders, certifications, trends and glossary", key="q", bind="query-params",
                      max_chars=MAX_QUERY_CHARS, placeholder='e.g. drift, "feature store", retraining trigger',
                      on_change=urlstate.push, args=("kinds", None), kwargs={"redraw": True})  # a new search: every kind
st.caption("Tips: all words must match; put a phrase in double quotes for an exact match. Titles and headings rank above body text.")

if not query.strip():
    st.info("Type a word or a phrase. Try **drift**, **\"model registry\"** or **Kubeflow**.", icon=":material/lightbulb:")
    st.stop()

index = session_search_index(c)
result = index.search(query, limit=60)
hits = list(result.hits)
kinds = list(dict.fromkeys(h.kind for h in hits))
if len(kinds) > 1:
    # a comma list in the URL (links already shared use it); a kind this search does not have is left out quietly
    shown = urlstate.follow_list("kinds", kinds, what="kinds of result", empty=kinds, quiet=True)
    chosen = st.pills("Show", kinds, format_func=kind_label, selection_mode="multi", default=shown,
                      **urlstate.list_widget("kinds", "kinds:" + ",".join(kinds), kinds))  # other kinds, another widget
    hits = [h for h in hits if h.kind in (chosen or kinds)]
more = f" (showing the best {len(result.hits)})" if result.total > len(result.hits) else ""
st.caption(f"{result.total} result(s) for “{literal(query, 120)}”{more}")
if result.partial:
    st.info("No single entry contains every word; these contain some of them.", icon=":material/info:")
if not hits:
    st.info("Nothing matched. Try fewer words, or check the spelling.", icon=":material/search_off:")
for h in hits:
    with st.container(border=True):
        st.page_link(h.page, label=literal(h.title, 200), icon=kind_icon(h.kind), query_params=dict(h.params))
        st.caption(kind_label(h.kind) + (f" · {literal(h.context, 160)}" if h.context else ""))
        if h.snippet_html:
            # snippets are escaped by the search module; sanitising again keeps only <mark> and text
            st.html(f'<div class="search-snippet">{sanitize_snippet(h.snippet_html)}</div>')
