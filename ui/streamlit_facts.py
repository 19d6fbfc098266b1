"""What this app relies on that is specific to the Streamlit release it is tested with (one place).

``tests/test_streamlit_facts.py`` pins :data:`STREAMLIT_VERSION` to the version in ``requirements.txt`` and
checks each fact below that can be checked without a browser; the browser journeys check the rest.  When
Streamlit is upgraded, read this list first.

1. **Links inside notes** (``components/page_shell``).  ``st.switch_page(page, query_params=...)`` called in
   a script run pushes two history entries in 1.67 when it changes the page: first the *old* path with the
   *new* query string, then the new path.  Back then lands on a view that never existed.  When the
   address bar already shows the target (the shell's script puts it there with ``history.pushState``
   before it reports the click) and ``st.switch_page`` is called in the component's callback (before any
   page script runs), Streamlit adds no entry: one click, one entry (tests/test_browser_notes.py counts
   ``history.length``).  A click on an ``st.page_link`` to another page with ``query_params`` does the same
   (Back from a note opened from the Search page's results showed ``/Search?note=...`` with an empty box),
   so the search results are plain links inside an ``app-links`` element (``ui.search_view``).
2. **Widgets bound to the URL** (``bind="query-params"``, since 1.55): the query parameter's name is the
   widget's key; a value the widget cannot take is dropped from the URL silently (a text input keeps the
   first ``max_chars`` characters), so a page that must say "this link's value was not usable" reads
   ``st.query_params`` before it draws the widget (``ui.urlstate.check``).  ``st.switch_page``/
   ``st.query_params`` refuse to set a bound parameter.  A bound *choice* widget (selectbox, radio,
   segmented control, pills, multiselect) writes and reads the option's label -- what ``format_func``
   returns -- not the option: ``?rung=azure-2`` does not select the option ``"azure-2"`` shown as "Azure ·
   Level 2: ...".  Repeated parameters (``?tag=a&tag=b``) fill a multiselect; a comma list does not.  A bound
   text input replaces the history entry as it changes (Back leaves the page; reload keeps the text).  A bound
   value is kept across pages by its key (a key two pages bind shows one page's value on the other), and a
   link to the page that is open updates the widget but not the address bar.  So this app binds only
   text inputs whose key is its own page's parameter; choices, share codes, comma lists and the targets
   of links inside the app go through ``ui.urlstate.follow``.  A value put into ``st.session_state`` for a
   widget reaches the browser only in the run that set it: a run that comes before the browser drew the
   widget (the browser store's first report on a fresh server) draws its default (6 of 6 fresh-server deep
   links to ``/Maturity_Ladders?rung=azure-2`` in one measurement).  So ``ui.urlstate.widget`` gives a
   link's value to the widget as its default, under a key that changes with each new value.
3. **Sidebar**: ``st.page_link`` marks the page being drawn and keeps the session; it does not fold the
   sidebar away on a phone (the built-in page list does, but it cannot group or label pages of a
   ``pages/`` folder).  ``[client] showSidebarNavigation = false`` hides the built-in list.
4. **Custom Components v2** (``st.components.v2.component``): no iframe; a trigger value set in the browser
   (``setTriggerValue``) reaches its ``on_<name>_change`` callback before the next run; the element stays
   mounted while it moves between a fragment and a plain container of the same shape.
5. **Images in Markdown** are not served from the app's folders: notes inline them as ``data:`` URIs.
6. **Server limits**: ``server.maxMessageSize`` bounds what a browser may send in one websocket message
   (component values included); ``server.maxUploadSize`` bounds ``st.file_uploader``.
7. **MathML**: ``st.html`` passes its HTML through DOMPurify with the HTML profile only, which drops every MathML
   element (the text stays); ``st.markdown``'s own ``$...$`` (KaTeX) does not reach ``st.html``.  Notes draw each
   formula as a slot that ``components/note_math`` typesets in the browser (``ui.math_view``;
   tests/test_browser_math.py checks the formulas are drawn).
"""

from __future__ import annotations

STREAMLIT_VERSION = "1.67.0"
