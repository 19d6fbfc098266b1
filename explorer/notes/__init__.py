"""Notes: Markdown notes (one parse each), rendering, search, glossary links, uploads, the study pack.

Nothing here imports Streamlit."""
