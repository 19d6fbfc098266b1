"""The study page's deck, flashcards and quizzes.

The view travels in the URL (``?tab=cards|quiz|progress``) and so does the quiz's number (``?seed=7``):
both go through :func:`ui.urlstate.follow` (a choice widget's bound URL value would be its label, and the
quiz number is drawn by the page itself).  What the page remembers besides its widgets lives in one
:class:`StudyState` in the session; what the learner does goes to their progress (:mod:`ui.progress`).
The "Progress & files" view is :mod:`ui.progress_view`.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import zip_longest
from typing import Any

import streamlit as st

from explorer.charts import study as sc
from explorer.content.loader import Content
from explorer.notes.uploads import is_opened
from explorer.study import scheduling as sch
from explorer.study import store as S
from explorer.study.cards import CATEGORIES, Card, note_cards
from explorer.study.quiz import QuizResult, generate_quiz, grade_quiz

from . import pagestate, study_course_view, urlstate
from .caches import cards, indexed_notes, indexing
from .notes_view import all_notes
from .progress import learner, update
from .widgets import literal, plotly

TABS = {"cards": "Flashcards", "quiz": "Quiz", "progress": "Progress & files", "browse": "Card browser",
        "memory": "Memory", "course": "Course"}
LABELS = {"rungs": "Maturity rungs", "certifications": "Certifications", "trends": "Trends", "quarters": "25% quarters",
          "hierarchy": "Hierarchy of needs", "glossary": "Glossary", "notes": "Cards in your notes"}
GRADE_LABELS = {"again": "Again", "hard": "Hard", "good": "Good", "easy": "Easy"}
_TAB = "study_tab"  # the view's segmented control (its key, with the generation of ?tab=)


def _new_seed() -> int:
    return int(dt.datetime.now().timestamp()) % 100_000


@dataclass
class StudyState:
    """The quiz on screen, the card whose answer is shown, the last quiz checked."""

    seed: int | None = None  # the quiz's number (``?seed=``): the same number draws the same quiz
    revealed: str | None = None  # the card whose answer is shown
    last_quiz: tuple[int, int, QuizResult] | None = None  # (seed, number of questions, result) of the last check
    shown: tuple[str, float] | None = None  # (card id, monotonic time) the card on screen was first shown: its answer time
    store: Any = None  # the store value the numbers in ``derived`` were computed from
    derived: dict = field(default_factory=dict)

    def derive(self, store: Any, key: tuple, make: Callable[[], Any]) -> Any:
        """``make()`` once per store value and ``key`` (a key holds the day and the deck when the value depends on
        them): a rerun that only shows an answer makes no pass over a year of reviews."""
        if self.store is not store:
            self.store, self.derived = store, {}
        if key not in self.derived:
            if len(self.derived) >= 32:  # keys of earlier days or decks of this same store value
                self.derived.clear()
            self.derived[key] = make()
        return self.derived[key]

    def switch_tab(self, key: str) -> None:
        """The view changed: into the URL, with the quiz's number when it is the quiz (a new quiz the first time)."""
        new = st.session_state.get(key) or "cards"
        if new == "quiz" and self.seed is None:
            self.seed = _new_seed()
        urlstate.push_many({"tab": new, "seed": str(self.seed) if new == "quiz" else None})

    def reveal(self, card_id: str) -> None:
        self.revealed = card_id

    def show(self, card_id: str) -> None:
        """The card on screen: its answer time runs from the first run that showed it."""
        if self.shown is None or self.shown[0] != card_id:
            self.shown = (card_id, time.monotonic())

    def grade(self, card_id: str, grade: str) -> None:
        retention = S.setting(learner(), "desired_retention")
        took = time.monotonic() - self.shown[1] if self.shown and self.shown[0] == card_id else None
        update(lambda s: S.review(s, card_id, grade, dt.datetime.now(dt.UTC), retention, seconds=took))
        self.revealed, self.shown = None, None  # the next card starts hidden, its time from when it shows

    def check(self, questions, seed: int, n: int) -> None:
        """The quiz form's "Check answers": grade it and keep it in the learner's progress."""
        answers = {q.id: st.session_state.get(f"quiz::{seed}::{q.id}") for q in questions}
        result = grade_quiz(questions, answers)
        update(lambda s: S.record_quiz(s, score=result.score, total=result.total, seed=seed,
                                       now=dt.datetime.now(dt.UTC), wrong=tuple(result.wrong_ids)))
        self.last_quiz = (seed, n, result)

    def new_quiz(self, seed: int) -> None:
        self.seed = (seed * 7919 + 13) % 100_000
        urlstate.push("seed", str(self.seed))


def state() -> StudyState:
    return pagestate.held("_study", StudyState)


class Deck:
    """Every card: the content's and those written in the notes (shipped and uploaded), by topic."""

    def __init__(self, c: Content) -> None:
        self.notes = all_notes(c)
        shipped = indexed_notes(c)  # what the indexer has read so far: a deck never parses every note
        uploads = [n for n in self.notes if n.source == "upload" and is_opened(n)]  # an upload's once opened
        self.all = [*cards(c), *note_cards([*shipped, *uploads])]
        self.coverage = indexing(c)  # (notes whose cards are in, notes)
        self.topics = [k for k in CATEGORIES if any(x.category == k for x in self.all)]
        self.by_id = {x.id: x for x in self.all}

    def mixed(self, topics) -> list[Card]:
        """The cards of ``topics``, new ones introduced round-robin across topics (a session mixes rungs, terms, ...)."""
        groups = [[x for x in self.all if x.category == k] for k in self.topics if k in topics]
        return [x for row in zip_longest(*groups) for x in row if x is not None]


def follow_tab() -> str:
    """``?tab=``: the view the URL names (the cards without one)."""
    return urlstate.follow("tab", choices=TABS, default="cards", what="the study view")


def tab_control(tab: str) -> None:
    """The view's control, showing ``tab``; a change goes into the URL."""
    key = urlstate.widget_key("tab", _TAB)
    st.segmented_control("View", list(TABS), format_func=TABS.get, default=tab, key=key, on_change=state().switch_tab,
                         args=(key,))


def _source_links(item, with_source: bool = True) -> None:
    """Links to the page the card or question comes from and to the notes that teach it."""
    cols = st.columns(2)
    if with_source:
        cols[0].page_link(item.source.page, label="Open the source", icon=":material/open_in_new:",
                          query_params=dict(item.source.params))
    if item.note is not None:
        cols[1].page_link(item.note.page, label="Read the notes", icon=":material/menu_book:", query_params=dict(item.note.params))


def flashcards(deck: Deck, mixed: list[Card]) -> None:
    """The counts, the next card due (answer on request, then four grades), and the review charts."""
    s, store, now = state(), learner(), dt.datetime.now(dt.UTC)
    plan = study_course_view.exam_plan(deck, now)  # exam dates pull due dates earlier; memory state unchanged
    states = plan.overlay(S.card_states(store), until=now)
    stats = sch.study_stats(states, mixed, now)
    m = st.columns(4)
    m[0].metric("Due now", stats.due)
    m[1].metric("New", stats.new)
    m[2].metric("Learning", stats.learning)
    m[3].metric("In review", stats.review)
    done, total = deck.coverage
    if done < total:
        st.caption(f"Cards in your notes: from {done:,} of {total:,} notes so far (the rest are being read).")
    today = now.date()
    new_today = s.derive(store, ("introduced", today), lambda: S.introduced_today(store, now))
    queue = study_course_view.with_exam_reviews(S.study_queue(store, now, mixed, new_today=new_today), plan, states, now, mixed)
    if not queue:
        st.success("Nothing due right now. Come back later, take a quiz, or pick more topics.", icon=":material/celebration:")
    else:
        card = deck.by_id[queue[0]]
        s.show(card.id)
        card_state = states.get(card.id)
        recall = sch.retrievability(card_state, now, S.fsrs_params(store))
        st.caption(f"{len(queue)} card(s) waiting · {LABELS.get(card.category, card.category)}"
                   + (f" · recall probability now {recall:.0%}" if card_state is not None else " · new card"))
        with st.container(border=True):
            st.markdown(f"#### {literal(card.front, 400)}")
            if s.revealed == card.id:
                st.markdown(f"**{literal(card.back, 800)}**")
                if card.explanation and card.explanation != card.back:
                    st.caption(literal(card.explanation, 800))
                _source_links(card, with_source=card.category != "notes")
                st.markdown("How well did you remember it?")
                due_in = sch.next_intervals(card_state, now, retention=S.setting(store, "desired_retention"),
                                             params=S.fsrs_params(store))
                for n, (col, grade) in enumerate(zip(st.columns(4), sch.GRADES), 1):
                    col.button(f"{GRADE_LABELS[grade]} · {sch.format_interval(due_in[grade])}", key=f"grade_{grade}",
                               width="stretch", on_click=s.grade, args=(card.id, grade), shortcut=str(n),
                               type="primary" if grade == "good" else "secondary",
                               help=f"Keyboard: {n}. Next review in {sch.format_interval(due_in[grade])}.")
            else:
                st.button("Show answer", icon=":material/visibility:", type="primary", key="reveal", shortcut="space",
                          on_click=s.reveal, args=(card.id,), help="Keyboard: space")
        st.caption("Spaced repetition with FSRS-6: each answer sets when the card comes back, aiming at the recall "
                   "probability you choose in *Progress & files*. Keys: space shows the answer, 1-4 grade it.")

    left, right = st.columns(2, gap="large")
    with left:
        if not study_course_view.plan_chart(plan, now, days=7, deck_ids={c.id for c in mixed}, table=False):  # exam reviews
            # the counts are kept (a few hundred bytes), not the figures (~80 kB each, in every session)
            days = s.derive(store, ("forecast", now.replace(minute=0, second=0, microsecond=0), tuple(c.id for c in mixed)),
                            lambda: S.forecast(store, now, deck=mixed))
            plotly(sc.forecast_figure(days), alt=sc.forecast_description(days))
    with right:
        counts = s.derive(store, ("heatmap", today), lambda: S.heatmap(store, now))
        plotly(sc.heatmap_figure(counts), alt=sc.heatmap_description(counts))


def follow_seed() -> int:
    """``?seed=``: the quiz the link names; without one (or with one that is not a number: a notice says so),
    a new quiz, whose number goes into the URL so that the link reproduces it."""
    s = state()

    def parse(raw: str) -> int:
        if not (raw.isdigit() and len(raw) <= 9):
            raise ValueError(f"The link's quiz number “{literal(raw)}” is not a number; a new quiz was drawn.")
        return int(raw)

    def take(seed: int | None) -> None:
        s.seed = seed

    urlstate.follow("seed", parse=parse, what="the quiz", apply=take)
    if s.seed is None:
        s.seed = _new_seed()
        urlstate.push("seed", str(s.seed), keep_notice=True)  # a refused link number keeps its notice
    return s.seed


def quiz(c: Content, topics: list[str]) -> None:
    """A quiz of the chosen topics (a form: answering sends nothing), its result with explanations, a new quiz."""
    s = state()
    seed = follow_seed()
    n = st.select_slider("Questions", [5, 10, 15, 20], value=10, key="quiz_n")
    questions = generate_quiz(c, n=n, seed=seed, categories=topics)
    st.caption(f"Quiz #{seed} · {len(questions)} questions · the address bar links to this quiz")
    with st.form(f"quiz_{seed}_{n}_{len(questions)}"):
        for i, q in enumerate(questions, 1):
            st.radio(f"{i}. {literal(q.prompt, 400)}", list(range(len(q.options))), format_func=lambda j, q=q: q.options[j],
                     index=None, key=f"quiz::{seed}::{q.id}")
        st.form_submit_button("Check answers", type="primary", icon=":material/task_alt:", on_click=s.check,
                              args=(questions, seed, n))
    last = s.last_quiz
    if last and last[0] == seed and last[1] == n:
        result = last[2]
        st.metric("Score", f"{result.score} / {result.total}", f"{result.percent:.0f}%")
        for item in result.items:
            q = item.question
            icon = ":material/check_circle:" if item.correct else ":material/cancel:"
            with st.expander(f"{'Right' if item.correct else 'Wrong'}: {literal(q.prompt, 120)}", icon=icon, expanded=not item.correct):
                if not item.correct:
                    yours = q.options[item.chosen] if item.chosen is not None else "no answer"
                    st.markdown(f"Your answer: *{literal(yours, 300)}*")
                st.markdown(f"Correct: **{literal(q.correct_option, 300)}**")
                st.caption(literal(q.explanation, 800))
                _source_links(q)
    st.button("New quiz", icon=":material/refresh:", on_click=s.new_quiz, args=(seed,))
