"""Course concepts as pictures: hierarchy of needs, heavy vs light workflows, the pizza analogy, platform choice.

Deep links: ``/Concepts?tier=<tier-id>`` selects a tier of the hierarchy;
``?view=workflows|analogy|platforms`` opens another view (as does a link to one of its items).
"""

import streamlit as st

from ui import concepts_view as cv
from ui import urlstate
from ui.frame import frame

c = frame("Concepts", ":material/schema:")
st.title("Hierarchy, workflows, analogy")

# ``view`` names a different thing on three pages, so it stays unbound (a bound value follows its key across pages)
view = urlstate.follow("view", choices=cv.VIEWS, default=cv.linked_view(), what="the view")
st.segmented_control("View", list(cv.VIEWS), format_func=cv.VIEWS.get, default=view, **urlstate.widget("view", "concept_view"))
cv.DRAW[view or "hierarchy"](c)
