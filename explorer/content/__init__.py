"""Content: the YAML schema, loading and validation of content files, where facts come from.

Nothing here imports Streamlit."""
