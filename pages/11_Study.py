"""Study: spaced-repetition cards (FSRS), quizzes with explanations, progress, the study pack.

Cards come from the content and from the notes themselves (``Term :: Definition``, ``?`` blocks,
``#card`` headings).  Everything the learner does is kept in their own browser (see ui/progress.py)
and can be exported and imported as a file.  Deep links: ``/Study?tab=quiz&seed=7``, ``?tab=progress``.
"""

import datetime as dt
from itertools import zip_longest

import streamlit as st

import ui
from explorer.charts import study as sc
from explorer.routes import PAGES
from explorer.study import scheduling as sch
from explorer.study import store as S
from explorer.study.cards import CATEGORIES, anki_tsv, note_cards
from explorer.study.quiz import generate_quiz, grade_quiz
from ui import progress

c = ui.frame("Study", ":material/school:")
st.title("Cards and quizzes")
now = dt.datetime.now(dt.UTC)
notes = ui.all_notes(c)
deck_all = [*ui.cards(c), *note_cards(notes)]
labels = {"rungs": "Maturity rungs", "certifications": "Certifications", "trends": "Trends", "quarters": "25% quarters",
          "hierarchy": "Hierarchy of needs", "glossary": "Glossary", "notes": "Cards in your notes"}
cats = [k for k in CATEGORIES if any(x.category == k for x in deck_all)]
by_id = {x.id: x for x in deck_all}

TABS = {"cards": "Flashcards", "quiz": "Quiz", "progress": "Progress & files"}
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


def source_links(card) -> None:
    cols = st.columns(2)
    if card.category != "notes":
        cols[0].page_link(card.source.page, label="Open the source", icon=":material/open_in_new:",
                          query_params=dict(card.source.params))
    if card.note is not None:
        cols[1].page_link(card.note.page, label="Read the notes", icon=":material/menu_book:", query_params=dict(card.note.params))


GRADE_LABELS = {"again": "Again", "hard": "Hard", "good": "Good", "easy": "Easy"}


def _grade(card_id: str, grade: str) -> None:
    retention = S.setting(ui.learner(), "desired_retention")
    ui.update(lambda s: S.review(s, card_id, grade, dt.datetime.now(dt.UTC), retention))
    st.session_state.pop("revealed", None)


def _reveal(card_id: str) -> None:
    st.session_state["revealed"] = card_id


if tab == "cards":
    store = ui.learner()
    states = S.card_states(store)
    stats = sch.study_stats(states, deck, now)
    m = st.columns(4)
    m[0].metric("Due now", stats.due)
    m[1].metric("New", stats.new)
    m[2].metric("Learning", stats.learning)
    m[3].metric("In review", stats.review)
    queue = S.study_queue(store, now, deck)
    if not queue:
        st.success("Nothing due right now. Come back later, take a quiz, or pick more topics.", icon=":material/celebration:")
    else:
        card = by_id[queue[0]]
        state = states.get(card.id)
        recall = sch.retrievability(state, now)
        st.caption(f"{len(queue)} card(s) waiting · {labels.get(card.category, card.category)}"
                   + (f" · recall probability now {recall:.0%}" if state is not None else " · new card"))
        with st.container(border=True):
            st.markdown(f"#### {ui.literal(card.front, 400)}")
            if st.session_state.get("revealed") == card.id:
                st.markdown(f"**{ui.literal(card.back, 800)}**")
                if card.explanation and card.explanation != card.back:
                    st.caption(ui.literal(card.explanation, 800))
                source_links(card)
                st.markdown("How well did you remember it?")
                retention = S.setting(store, "desired_retention")
                due_in = sch.next_intervals(state, now, retention=retention)
                cols = st.columns(4)
                for n, (col, grade) in enumerate(zip(cols, sch.GRADES), 1):
                    col.button(f"{GRADE_LABELS[grade]} · {sch.format_interval(due_in[grade])}", key=f"grade_{grade}",
                               width="stretch", on_click=_grade, args=(card.id, grade), shortcut=str(n),
                               type="primary" if grade == "good" else "secondary",
                               help=f"Keyboard: {n}. Next review in {sch.format_interval(due_in[grade])}.")
            else:
                st.button("Show answer", icon=":material/visibility:", type="primary", key="reveal", shortcut="space",
                          on_click=_reveal, args=(card.id,), help="Keyboard: space")
        st.caption("Spaced repetition with FSRS-6: each answer sets when the card comes back, aiming at the recall "
                   "probability you choose in *Progress & files*. Keys: space shows the answer, 1-4 grade it.")

    left, right = st.columns(2, gap="large")
    with left:
        days = S.forecast(store, now, deck=deck)
        ui.plotly(sc.forecast_figure(days), alt=sc.forecast_description(days))
    with right:
        counts = S.heatmap(store, now)
        ui.plotly(sc.heatmap_figure(counts), alt=sc.heatmap_description(counts))

elif tab == "quiz":
    def _seed(raw: str) -> int:
        if not (raw.isdigit() and len(raw) <= 9):
            raise ValueError(f"The link's quiz number “{ui.literal(raw)}” is not a number; a new quiz was drawn.")
        return int(raw)

    seed = ui.bind("seed", "quiz_seed", parse=_seed, what="the quiz")
    if seed is None:  # a new quiz: give it a number and put it in the URL, so the link reproduces it
        seed = int(dt.datetime.now().timestamp()) % 100_000
        st.session_state["quiz_seed"] = seed
        ui.push("seed", str(seed), keep_notice=True)  # a refused link number keeps its notice
    n = st.select_slider("Questions", [5, 10, 15, 20], value=10, key="quiz_n")
    questions = generate_quiz(c, n=n, seed=seed, categories=chosen or cats)
    st.caption(f"Quiz #{seed} · {len(questions)} questions · the address bar links to this quiz")

    def _check(questions=questions, seed=seed, n=n) -> None:
        answers = {q.id: st.session_state.get(f"quiz::{seed}::{q.id}") for q in questions}
        result = grade_quiz(questions, answers)
        ui.update(lambda s: S.record_quiz(s, score=result.score, total=result.total, seed=seed,
                                          now=dt.datetime.now(dt.UTC), wrong=tuple(result.wrong_ids)))
        st.session_state["last_quiz"] = (seed, n, result)

    with st.form(f"quiz_{seed}_{n}_{len(questions)}"):
        for i, q in enumerate(questions, 1):
            st.radio(f"{i}. {ui.literal(q.prompt, 400)}", list(range(len(q.options))), format_func=lambda j, q=q: q.options[j],
                     index=None, key=f"quiz::{seed}::{q.id}")
        st.form_submit_button("Check answers", type="primary", icon=":material/task_alt:", on_click=_check)
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
                cols = st.columns(2)
                cols[0].page_link(q.source.page, label="Open the source", icon=":material/open_in_new:", query_params=dict(q.source.params))
                if q.note is not None:
                    cols[1].page_link(q.note.page, label="Read the notes", icon=":material/menu_book:", query_params=dict(q.note.params))

    def _new_quiz(seed=seed) -> None:
        new_seed = (seed * 7919 + 13) % 100_000
        st.session_state["quiz_seed"] = new_seed
        ui.push("seed", str(new_seed))

    st.button("New quiz", icon=":material/refresh:", on_click=_new_quiz)

else:
    store = ui.learner()
    reading = S.reading_progress(store, notes)
    st.subheader("Reading")
    st.progress(reading.fraction, text=f"{reading.read} of {reading.total} sections marked read")
    for r in reading.notes:
        note = next(x for x in notes if x.id == r.note_id)
        cols = st.columns([3, 1])
        cols[0].page_link(PAGES["notes"].file, label=ui.literal(note.title, 200), icon=":material/article:", query_params={"note": note.id})
        cols[1].progress(r.fraction, text=f"{r.read}/{r.total}")

    st.subheader("Quizzes")
    history = S.quiz_history(store)
    if history:
        st.dataframe([{"Date": h.at.date().isoformat(), "Quiz": h.seed, "Score": f"{h.score}/{h.total}"} for h in history[-20:]],
                     hide_index=True, width="stretch")
    else:
        st.caption("No quiz taken yet.")

    st.subheader("Scheduling")

    def _set(key: str, widget: str) -> None:
        ui.update(lambda s: S.set_setting(s, key, st.session_state[widget], dt.datetime.now(dt.UTC)))

    st.session_state["set_retention"] = float(S.setting(store, "desired_retention"))
    st.slider("Desired retention", sch.MIN_RETENTION, sch.MAX_RETENTION, step=0.01, key="set_retention",
              on_change=_set, args=("desired_retention", "set_retention"), format="%.2f",
              help="The chance of remembering a card when it comes back. Higher means more frequent reviews.")
    st.session_state["set_new_per_day"] = int(S.setting(store, "new_per_day"))
    st.number_input("New cards per day", min_value=0, max_value=200, step=5, key="set_new_per_day",
                    on_change=_set, args=("new_per_day", "set_new_per_day"))

    st.subheader("Your data")
    counts = S.summary(store)
    st.markdown(" · ".join(f"{v} {k}" for k, v in counts.items()))
    st.caption("All of this lives in this browser (localStorage and IndexedDB), never on the server. "
               "Download it to move to another browser or to keep a copy.")
    cols = st.columns(3)
    cols[0].download_button("Download progress (JSON)", S.export_text(store), file_name=f"mlops-study-progress-{now:%Y%m%d}.json",
                            mime="application/json", icon=":material/download:")
    cols[1].download_button("Export cards for Anki (TSV)", anki_tsv(deck_all), file_name="mlops-explorer-cards.txt",
                            mime="text/tab-separated-values", icon=":material/style:",
                            help="In Anki: File > Import, then pick this file (front, back and tags are set by its header).")
    with cols[2].popover("Forget this browser", icon=":material/delete_forever:"):
        st.markdown("This empties everything the app keeps in this browser: reading marks, cards, quizzes, "
                    "assessment results and uploaded notes. Download it first if you want a copy.")
        st.button("Forget everything", type="primary", on_click=ui.forget_browser, key="forget")

    def _load_file() -> None:
        up = st.session_state.get("progress_upload")
        if up is not None:
            progress.import_text(up.getvalue(), up.name)

    st.file_uploader("Load a progress file (also files from the earlier SM-2 version)", type=["json"], key="progress_upload",
                     on_change=_load_file)

    kept, untouched = progress.backups(), progress.untouched_text()
    if kept or untouched:
        st.subheader("Backups of unreadable progress")
        st.caption(f"When the progress saved in this browser cannot be read in full, the text as it was is kept here "
                   f"before anything is saved over it (the {progress.KEPT_BACKUPS} newest). Restoring one adds what can be read "
                   "of it to your progress, like loading a progress file. “Forget this browser” deletes them too.")
        for b in reversed(kept):
            label = progress.backup_label(b)
            row = st.columns([3, 1, 1], vertical_alignment="center")
            row[0].markdown(f"**{label}** · {len(b.text.encode('utf-8', 'surrogatepass')) / 1000:,.1f} kB"
                            + (" · not in this app's storage format" if b.raw else ""))
            row[1].download_button("Download", b.text, file_name=f"mlops-progress-backup-{b.at[:19].replace(':', '')}.json",
                                   mime="application/json", icon=":material/download:", key=f"backup_download::{b.id}")
            row[2].button("Restore", icon=":material/restore:", key=f"backup_restore::{b.id}",
                          on_click=progress.restore_backup, args=(b.id,), help=f"Merge the backup of {label} into your progress")
        if untouched:
            st.download_button("Download the progress stored in this browser (left untouched)", untouched,
                               file_name=f"mlops-progress-stored-{now:%Y%m%d}.json", mime="application/json",
                               icon=":material/download:", key="untouched_download")
    outcome = st.session_state.pop(progress.RESULT, None)
    if outcome:
        kind, text, notices = outcome
        for notice in notices:
            st.info(ui.literal(notice, 600), icon=":material/info:")
        (st.error if kind == "error" else st.success)(ui.literal(text, 800), icon=":material/error:" if kind == "error" else ":material/check:")

    st.subheader("Study pack")
    st.markdown("One self-contained HTML file with every note, its figures, the contents and the glossary: readable offline and printable.")
    st.download_button("Download study pack (HTML)", lambda: ui.study_pack(c), file_name="mlops-study-pack.html",
                       mime="text/html", icon=":material/menu_book:")
