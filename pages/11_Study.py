"""Study mode: spaced-repetition cards (SM-2), quizzes with explanations, progress and the study pack.

Progress lives in this browser session; export it as a JSON file to continue another day
(nothing is stored on the server).  Deep link: ``/Study?tab=quiz&seed=7``.
"""

import datetime as dt
from itertools import zip_longest

import streamlit as st

import ui
from explorer import study
from explorer.routes import PAGES

c = ui.frame("Study", ":material/school:")
st.title("Cards and quizzes")
today = dt.date.today()
deck_all = ui.cards(c)
if not deck_all:
    ui.need(c, "glossary", "maturity")
labels = {"rungs": "Maturity rungs", "certifications": "Certifications", "trends": "Trends", "quarters": "25% quarters",
          "hierarchy": "Hierarchy of needs", "glossary": "Glossary"}
cats = [k for k in study.CATEGORIES if any(x.category == k for x in deck_all)]

TABS = {"cards": "Flashcards", "quiz": "Quiz", "progress": "Progress & study pack"}
tab = ui.bind("tab", "study_tab", choices=TABS, default="cards", what="the study view") or "cards"


def _switch_tab() -> None:
    new = st.session_state.get("study_tab") or "cards"
    seed = st.session_state.get("quiz_seed") if new == "quiz" else None
    if new == "quiz" and seed is None:
        seed = int(dt.datetime.now().timestamp()) % 100_000
        st.session_state["quiz_seed"] = seed
    ui.push_many({"tab": new, "seed": str(seed) if seed is not None else None})


st.segmented_control("View", list(TABS), format_func=TABS.get, key="study_tab", on_change=_switch_tab)
chosen = st.pills("Topics", cats, format_func=labels.get, selection_mode="multi", default=cats, key="study_topics")
deck = [x for x in deck_all if x.category in (chosen or cats)]
# new cards are introduced round-robin across topics, so a session mixes rungs, terms, trends...
_groups = [[x for x in deck if x.category == k] for k in cats]
deck = [x for row in zip_longest(*_groups) for x in row if x is not None]
by_id = {x.id: x for x in deck_all}


def source_links(source, note) -> None:
    cols = st.columns(2)
    cols[0].page_link(source.page, label="Open the source", icon=":material/open_in_new:", query_params=dict(source.params))
    if note is not None:
        cols[1].page_link(note.page, label="Read the notes", icon=":material/menu_book:", query_params=dict(note.params))


if tab == "cards":
    prog = ui.progress()
    stats = study.study_stats(prog, deck, today)
    m = st.columns(4)
    m[0].metric("Due today", stats.due)
    m[1].metric("New", stats.new)
    m[2].metric("Learning", stats.learning)
    m[3].metric("Mature (21+ days)", stats.mature)
    queue_key = f"queue::{','.join(sorted(chosen or cats))}"
    if queue_key not in st.session_state:
        st.session_state[queue_key] = study.due_cards(prog.cards, today, deck, new_limit=20)
    queue = st.session_state[queue_key]
    if not queue:
        st.success("Nothing due. Come back tomorrow, take a quiz, or pick more topics.", icon=":material/celebration:")
    else:
        card = by_id[queue[0]]
        st.caption(f"{len(queue)} card(s) in this session · {labels.get(card.category, card.category)}")
        with st.container(border=True):
            st.markdown(f"#### {ui.literal(card.front, 400)}")
            if st.session_state.get("revealed") == card.id:
                st.markdown(f"**{ui.literal(card.back, 800)}**")
                if card.explanation and card.explanation != card.back:
                    st.caption(ui.literal(card.explanation, 800))
                source_links(card.source, card.note)
                st.markdown("How well did you remember it?")
                grades = [(0, "Forgot"), (2, "Wrong, but familiar"), (3, "Hard"), (4, "Good"), (5, "Easy")]
                cols = st.columns(len(grades))
                for col, (q, label) in zip(cols, grades):
                    if col.button(f"{label} ({q})", key=f"grade_{q}", width="stretch"):
                        ui.set_progress(study.record_review(ui.progress(), card.id, q, today))
                        queue.pop(0)
                        if study.repeat_in_session(q):
                            queue.append(card.id)
                        st.session_state.pop("revealed", None)
                        st.rerun()
            else:
                if st.button("Show answer", icon=":material/visibility:", type="primary", key="reveal"):
                    st.session_state["revealed"] = card.id
                    st.rerun()
        st.caption("Spaced repetition (SM-2): cards you know come back after 1, 6, then ever more days; "
                   "a miss starts the card over. Cards graded below 4 come back again in this session.")

elif tab == "quiz":
    def _seed(raw: str) -> int:
        if not (raw.isdigit() and len(raw) <= 9):
            raise ValueError(f"The link's quiz number “{ui.literal(raw)}” is not a number; a new quiz was drawn.")
        return int(raw)

    seed = ui.bind("seed", "quiz_seed", parse=_seed, what="the quiz")
    if seed is None:  # a new quiz: give it a number and put it in the URL, so the link reproduces it
        seed = int(dt.datetime.now().timestamp()) % 100_000
        st.session_state["quiz_seed"] = seed
        ui.push("seed", str(seed))
    n = st.select_slider("Questions", [5, 10, 15, 20], value=10, key="quiz_n")
    questions = study.generate_quiz(c, n=n, seed=seed, categories=chosen or cats)
    st.caption(f"Quiz #{seed} · {len(questions)} questions · the address bar links to this quiz")
    with st.form(f"quiz_{seed}_{n}_{len(questions)}"):
        for i, q in enumerate(questions, 1):
            st.radio(f"{i}. {ui.literal(q.prompt, 400)}", list(range(len(q.options))), format_func=lambda j, q=q: q.options[j],
                     index=None, key=f"quiz::{seed}::{q.id}")
        done = st.form_submit_button("Check answers", type="primary", icon=":material/task_alt:")
    if done:
        answers = {q.id: st.session_state.get(f"quiz::{seed}::{q.id}") for q in questions}
        result = study.grade_quiz(questions, answers)
        ui.set_progress(study.record_quiz(ui.progress(), result, today, seed=seed))
        st.session_state["last_quiz"] = (seed, n, result)
    last = st.session_state.get("last_quiz")
    if last and last[0] == seed and last[1] == n:
        result = last[2]
        st.metric("Score", f"{result.score} / {result.total}", f"{result.percent:.0f}%")
        for item in result.items:
            q = item.question
            icon = ":material/check_circle:" if item.correct else ":material/cancel:"
            with st.expander(f"{'Right' if item.correct else 'Wrong'}: {ui.literal(q.prompt, 120)}", icon=icon, expanded=not item.correct):
                if not item.correct:
                    yours = q.options[item.chosen] if item.chosen is not None else "no answer"
                    st.markdown(f"Your answer: *{ui.literal(yours, 300)}*")
                st.markdown(f"Correct: **{ui.literal(q.correct_option, 300)}**")
                st.caption(ui.literal(q.explanation, 800))
                source_links(q.source, q.note)
    if st.button("New quiz", icon=":material/refresh:"):
        new_seed = (seed * 7919 + 13) % 100_000
        st.session_state["quiz_seed"] = new_seed
        ui.push("seed", str(new_seed))
        st.rerun()

else:
    prog = ui.progress()
    notes = ui.all_notes(c)
    reading = study.reading_progress(prog, notes)
    st.subheader("Reading")
    st.progress(reading.fraction, text=f"{reading.read} of {reading.total} sections marked read")
    for r in reading.notes:
        note = next(n for n in notes if n.id == r.note_id)
        cols = st.columns([3, 1])
        cols[0].page_link(PAGES["notes"].file, label=note.title, icon=":material/article:", query_params={"note": note.id})
        cols[1].progress(r.fraction, text=f"{r.read}/{r.total}")
    st.subheader("Quizzes")
    if prog.quiz_history:
        st.dataframe([{"Date": h.taken_on.isoformat(), "Quiz": h.seed, "Score": f"{h.score}/{h.total}"} for h in prog.quiz_history[-20:]],
                     hide_index=True, width="stretch")
    else:
        st.caption("No quiz taken in this session yet.")
    st.subheader("Keep your progress")
    st.markdown("Progress lives only in this browser tab. Download it as a file and load it next time to continue where you left off.")
    st.download_button("Download progress (JSON)", study.export_progress(prog), file_name=f"mlops-study-progress-{today}.json",
                       mime="application/json", icon=":material/download:")
    up = st.file_uploader("Load a progress file", type=["json"], key="progress_upload")
    if up is not None and st.session_state.get("_progress_loaded") != up.file_id:
        try:
            loaded = study.import_progress(up.getvalue())
        except study.ProgressImportError as exc:
            st.error(f"{ui.literal(up.name)}: {ui.literal(str(exc), 400)} Your current progress is unchanged.", icon=":material/error:")
        else:
            ui.set_progress(loaded)
            st.session_state["_progress_loaded"] = up.file_id
            for k in [k for k in st.session_state if str(k).startswith("queue::")]:
                del st.session_state[k]
            st.success(f"Loaded: {len(loaded.cards)} card states, {len(loaded.quiz_history)} quizzes, "
                       f"{sum(len(v) for v in loaded.sections_read.values())} sections read.", icon=":material/check:")
    st.subheader("Study pack")
    st.markdown("One self-contained HTML file with every note, its figures, the contents and the glossary: readable offline and printable.")
    st.download_button("Download study pack (HTML)", lambda: ui.study_pack(c), file_name="mlops-study-pack.html",
                       mime="text/html", icon=":material/menu_book:")
