"""The Markdown engine: markdown-it-py with named plugins, the sanitiser, heading ids.

Nothing here imports Streamlit."""
