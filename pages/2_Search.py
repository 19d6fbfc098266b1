"""Search over the notes (shipped and uploaded) and all YAML content.

Deep link: ``/Search?q=<query>``; the kinds shown can be narrowed with ``&kinds=note,term``.  Use double
quotes for an exact phrase: ``"model registry"``.  Every hit links to its page and section.  Snippets
are HTML-escaped by the search module before matches are marked.
"""

import streamlit as st

import ui
from explorer.render import sanitize_snippet
from explorer.routes import kind_icon, kind_label
from explorer.search import MAX_QUERY_CHARS

c = ui.frame("Search", ":material/search:")
st.title("Search")


def _query(raw: str) -> str:
    if len(raw) > MAX_QUERY_CHARS:
        raise ValueError(f"The link's search text was longer than {MAX_QUERY_CHARS} characters and was ignored.")
    return raw


query = ui.bind("q", "search_box", parse=_query, default="", what="the search", max_chars=MAX_QUERY_CHARS) or ""
st.text_input("Search the notes, ladders, certifications, trends and glossary", key="search_box", max_chars=MAX_QUERY_CHARS,
              placeholder='e.g. drift, "feature store", retraining trigger',
              on_change=lambda: ui.push_many({"q": st.session_state.get("search_box"), "kinds": None}))
st.caption("Tips: all words must match; put a phrase in double quotes for an exact match. Titles and headings rank above body text.")

if not query.strip():
    st.info("Type a word or a phrase. Try **drift**, **\"model registry\"** or **Kubeflow**.", icon=":material/lightbulb:")
    st.stop()

index = ui.session_search_index(c)
result = index.search(query, limit=60)
hits = list(result.hits)
kinds = list(dict.fromkeys(h.kind for h in hits))
if len(kinds) > 1:
    shown = ui.bind("kinds", "search_kinds", parse=lambda raw: [k for k in raw.split(",") if k in kinds] or kinds,
                    default=kinds, what="the kinds of result")
    if not set(shown or ()) <= set(kinds):  # left over from another query
        st.session_state["search_kinds"] = [k for k in shown if k in kinds] or kinds
    chosen = st.pills("Show", kinds, format_func=kind_label, selection_mode="multi", key="search_kinds",
                      on_change=ui.push_state("kinds", "search_kinds",
                                              lambda v: None if not v or set(v) == set(kinds) else ",".join(v)))
    hits = [h for h in hits if h.kind in (chosen or kinds)]
more = f" (showing the best {len(result.hits)})" if result.total > len(result.hits) else ""
st.caption(f"{result.total} result(s) for “{ui.literal(query, 120)}”{more}")
if result.partial:
    st.info("No single entry contains every word; these contain some of them.", icon=":material/info:")
if not hits:
    st.info("Nothing matched. Try fewer words, or check the spelling.", icon=":material/search_off:")
for h in hits:
    with st.container(border=True):
        st.page_link(h.page, label=ui.literal(h.title, 200), icon=kind_icon(h.kind), query_params=dict(h.params))
        st.caption(kind_label(h.kind) + (f" · {ui.literal(h.context, 160)}" if h.context else ""))
        if h.snippet_html:
            # snippets are escaped by the search module; sanitising again keeps only <mark> and text
            st.html(f'<div class="search-snippet">{sanitize_snippet(h.snippet_html)}</div>')
