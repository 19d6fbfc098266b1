"""Search over the notes (shipped and uploaded) and all YAML content.

Deep link: ``/Search?q=<query>``; the kinds shown can be narrowed with ``&kinds=note,term``.  Use double
quotes for an exact phrase: ``"model registry"``.  Typos outside quotes are forgiven ("kubernets"), and when
nothing matches a "did you mean" link runs a close query.  Hits are grouped by folder (YAML content as one
group); every hit links to its page and section.  While notes are still being indexed the page says how many
were searched and fills in.  Snippets are HTML-escaped by the search module before matches are marked.
"""

import streamlit as st

from ui.frame import frame
from ui.search_view import query_box, results

c = frame("Search", ":material/search:")
st.title("Search")

query = query_box()
if not query.strip():
    st.info("Type a word or a phrase. Try **drift**, **\"model registry\"** or **Kubeflow**.", icon=":material/lightbulb:")
    st.stop()

results(c, query)
