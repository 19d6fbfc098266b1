"""Notes: Markdown notes (one parse each), rendering, search, glossary links, uploads, the study pack.

A note (:mod:`.note`) is made from its front matter (:mod:`.front_matter`), its sections
(:mod:`.sections`), its id (:mod:`.ids`) and the flashcards it holds (:mod:`.flashcards`), all from one
parse by the Markdown engine in :mod:`.md`.

Nothing here imports Streamlit."""
