"""Study: spaced-repetition cards (FSRS), quizzes with explanations, progress, the study pack.

Cards come from the content and from the notes themselves (``Term :: Definition``, ``?`` blocks,
``#card`` headings).  Everything the learner does is kept in their own browser (see ui/progress.py)
and can be exported and imported as a file.  Deep links: ``/Study?tab=quiz&seed=7``, ``?tab=progress``.
"""

import streamlit as st

from ui import progress_view as pv
from ui import study_browse_view as bv
from ui import study_course_view as cv
from ui import study_memory_view as mv
from ui import study_view as sv
from ui.frame import frame

c = frame("Study", ":material/school:")
st.title("Cards and quizzes")
deck = sv.Deck(c)

tab = sv.follow_tab()  # ?tab=
sv.tab_control(tab)
chosen = deck.topics
if tab in ("cards", "quiz"):  # the views the topics filter; the others have their own filters
    chosen = st.pills("Topics", deck.topics, format_func=sv.LABELS.get, selection_mode="multi", default=deck.topics,
                      key="study_topics") or deck.topics

if tab == "cards":
    sv.flashcards(deck, cv.scoped(deck, deck.mixed(chosen)))  # ?folder= / ?note=: one folder's or note's cards
elif tab == "course":
    cv.course(deck)  # weak areas, exam dates (?exam=)
elif tab == "browse":
    bv.browse(deck)  # ?text= ?deck= ?notes_folder= ?state= ?due= ?page= ?card=
elif tab == "memory":
    mv.memory(deck)  # own FSRS parameters, help me decide, true retention (?period= ?group=)
elif tab == "quiz":
    sv.quiz(c, chosen)  # ?seed=
else:
    pv.reading(deck)
    pv.quizzes()
    pv.scheduling()
    pv.your_data(deck)
    pv.backups()
    pv.outcome()
    pv.pack(c)
