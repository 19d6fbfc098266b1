"""Search over the notes (shipped and uploaded) and all YAML content.

Deep link: ``/Search?q=<query>``.  Use double quotes for an exact phrase: ``"model registry"``.
Every hit links to its page and section.  Snippets are HTML-escaped before matches are marked.
"""

import streamlit as st

import ui
from explorer.render import sanitize_html
from explorer.search import KIND_LABELS

c = ui.frame("Search", ":material/search:")
st.title("Search")

q_param = st.query_params.get("q", "")
if len(q_param) > 500:
    st.warning("The link's search text was too long and was cut to 200 characters.", icon=":material/content_cut:")
    q_param = q_param[:200]
if st.session_state.get("_q_seen") != q_param:
    st.session_state["_q_seen"] = q_param
    st.session_state["search_box"] = q_param

query = st.text_input("Search the notes, ladders, certifications, trends and glossary", key="search_box", max_chars=200,
                      placeholder='e.g. drift, "feature store", retraining trigger')
st.caption('Tips: all words must match; put a phrase in double quotes for an exact match. Titles and headings rank above body text.')
if query != q_param:
    ui.set_param("q", query or None)
    st.session_state["_q_seen"] = query

if not query.strip():
    st.info("Type a word or a phrase. Try **drift**, **\"model registry\"** or **Kubeflow**.", icon=":material/lightbulb:")
    st.stop()

index = ui.session_search_index(c)
result = index.search(query, limit=60)
hits = list(result.hits)
kinds = list(dict.fromkeys(h.kind for h in hits))
if len(kinds) > 1:
    chosen = st.pills("Show", kinds, format_func=lambda k: KIND_LABELS.get(k, k), selection_mode="multi", default=kinds, key=f"kinds::{query}")
    hits = [h for h in hits if h.kind in (chosen or kinds)]
more = f" (showing the best {len(result.hits)})" if result.total > len(result.hits) else ""
st.caption(f"{result.total} result(s) for “{ui.literal(query, 120)}”{more}")
if result.partial:
    st.info("No single entry contains every word; these contain some of them.", icon=":material/info:")
if not hits:
    st.info("Nothing matched. Try fewer words, or check the spelling.", icon=":material/search_off:")
for h in hits:
    with st.container(border=True):
        st.page_link(h.page, label=h.title, icon=ui.KIND_ICONS.get(h.kind, ":material/article:"), query_params=dict(h.params))
        st.caption(KIND_LABELS.get(h.kind, h.kind) + (f" · {ui.literal(h.context, 160)}" if h.context else ""))
        if h.snippet_html:
            # snippets are escaped by the search module; sanitising again keeps only <mark> and text
            st.markdown(sanitize_html(h.snippet_html), unsafe_allow_html=True)
