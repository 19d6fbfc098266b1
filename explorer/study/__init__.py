"""Study: the progress kept in the learner's browser, FSRS scheduling, cards, quizzes, imports.

Nothing here imports Streamlit."""
