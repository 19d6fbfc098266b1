"""The Markdown engine: markdown-it-py with named plugins (one per module), the sanitiser, heading ids.

:mod:`.engine` builds the parser from the plugins; :mod:`.document` is one parse of a text and what
is read from its tokens; :mod:`.sanitize` is the one HTML allow-list; :mod:`.slug` GitHub's heading
ids.  Plugins: :mod:`.rawhtml`, :mod:`.hostile_input`, :mod:`.heading_ids`, :mod:`.note_cards` (parse
time); :mod:`.code_blocks`, :mod:`.images`, :mod:`.links`, :mod:`.glossary_terms` (render time, over
the context in :mod:`.view_context`).

Nothing here imports Streamlit."""
