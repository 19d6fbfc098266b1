"""Self-assessment: scoring on the vendors' ladders, plans, movement, evidence, workshops, share codes, reports.

Nothing here imports Streamlit."""
