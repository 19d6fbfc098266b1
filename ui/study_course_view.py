"""The Study page's course view (``?tab=course``): where the course is weak, exam dates and their review plan;
and the cards view's filter to one folder or note (``?tab=cards&folder=Week%202``, ``&note=<id>``).

The logic is :mod:`explorer.study.weak_areas` and :mod:`explorer.study.exam_plan`; the charts
:mod:`explorer.charts.study_course`.  The scope chosen for an exam date travels in the URL (``?exam=``); the
dates themselves are kept in the learner's browser store (:func:`explorer.study.store.set_exam`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from html import escape

import streamlit as st

from explorer.charts import study_course as cc
from explorer.routes import PAGES, page_url
from explorer.study import exam_plan as ep
from explorer.study import store as S
from explorer.study import weak_areas as wa
from explorer.study.cards import CATEGORIES, Card
from explorer.study.store_mutations import EXAM_HORIZON_DAYS

from . import pagestate, urlstate
from .progress import learner, update
from .widgets import html, literal, plotly

STUDY = PAGES["study"].file
DECK_LABELS = {"rungs": "Maturity rungs", "certifications": "Certifications", "trends": "Trends",
               "quarters": "25% quarters", "hierarchy": "Hierarchy of needs", "glossary": "Glossary",
               "notes": "Cards in your notes"}
MAX_PLAN_DAYS = 366  # the longer forecast reaches the latest exam, at most a year ahead


@dataclass
class CourseState:
    """The review logs' pass counts, kept per card record (read once, not on every rerun), and the last exam plan
    and weak areas with what they were made from (a rerun that changed nothing, e.g. showing an answer, reuses them)."""

    passes: wa.PassCounts = field(default_factory=wa.PassCounts)
    plan: tuple = ()  # (key, ExamPlan)
    weak: tuple = ()  # (key, Course)
    chart: tuple = ()  # (key, (forecast, figure, text)): the course view's plan chart
    chart_cards: tuple = ()  # the same for the flashcards' 7-day forecast

    def memo(self, name: str, key: tuple, make):
        kept = getattr(self, name)
        if kept and kept[0][0] is key[0] and kept[0][1:] == key[1:]:  # the store by identity (an equality is deep)
            return kept[1]
        value = make()
        setattr(self, name, (key, value))
        return value


def _key(deck, store, now: dt.datetime) -> tuple:
    """What a plan or the weak areas depend on: the store (immutable: a change is a new object), the day (and the
    hour, for recall), the deck's size and how much of it the indexer has read."""
    return (store, now.date(), now.hour, len(deck.all), len(deck.notes), deck.coverage)


def _state() -> CourseState:
    return pagestate.held("_study_course", CourseState)


def _today(now: dt.datetime) -> dt.date:
    return now.date()  # the store's days are UTC days (explorer.study.workload's default)


def scope_label(scope: str) -> str:
    kind, _, name = scope.partition(":")
    return f"Folder {name}" if kind == "folder" else f"Deck {DECK_LABELS.get(name, name)}"


# --------------------------------------------------------------------------- the plan, for every view
def exam_plan(deck, now: dt.datetime, course: wa.CourseMap | None = None) -> ep.ExamPlan:
    """The exam review plan of the learner's exam dates (an empty plan, at no cost, without any)."""
    store = learner()
    if not S.exam_dates(store):
        return ep.ExamPlan()
    return _state().memo("plan", _key(deck, store, now), lambda: _make_plan(deck, store, now, course))


def _make_plan(deck, store, now: dt.datetime, course: wa.CourseMap | None) -> ep.ExamPlan:
    exams = S.exam_dates(store)
    course = course or wa.course_map(deck.notes, deck.all)
    scopes = {}
    for scope, day in exams.items():
        kind, _, name = scope.partition(":")
        ids = course.cards_in(deck=name, cards=deck.all) if kind == "deck" else course.cards_in(folder=name)
        scopes[scope] = (day, ids)
    suspended = {c for c, f in (store.card_flags or {}).items() if f.suspended}  # a suspended card is not planned
    states = {c: st for c, st in S.card_states(store).items() if c not in suspended}
    return ep.plan(states, scopes, now)


def with_exam_reviews(queue: list[str], plan: ep.ExamPlan, states, now: dt.datetime, mixed) -> list[str]:
    """The study queue with the cards an exam plan pulled to today (suspended and buried ones stay out)."""
    if not plan.due:
        return queue
    return ep.with_exam_reviews(queue, plan, states, now, (c.id for c in mixed), S.set_aside(learner(), now))


def plan_chart(plan: ep.ExamPlan, now: dt.datetime, *, days: int, deck_ids=None, table: bool = True) -> bool:
    """The forecast with the exam reviews of ``plan`` (False, nothing drawn, when the plan adds none); the
    figure is kept per session while the store, the day, the plan and the cards shown are the same."""
    if not plan.slot:
        return False
    store = learner()
    ids = None if deck_ids is None else frozenset(deck_ids)
    key = (store, now.date(), now.hour, plan, ids, days)

    def make():
        states = S.card_states(store)
        p = plan
        if ids is not None:
            states = {c: s for c, s in states.items() if c in ids}
            p = ep.ExamPlan(plan.scopes, {c: d for c, d in plan.due.items() if c in ids},
                            {c: d for c, d in plan.again.items() if c in ids}, {c: d for c, d in plan.slot.items() if c in ids})
        forecast = ep.forecast(states, p, now, days=days)
        exams = [(scope_label(sp.window.scope), sp.window.exam) for sp in plan.scopes]
        return forecast, cc.plan_figure(forecast, exams), cc.plan_description(forecast, exams)

    forecast, fig, alt = _state().memo("chart" if table else "chart_cards", key, make)
    plotly(fig, alt=alt)
    if table:
        with st.expander("The plan as a table"):
            st.dataframe(cc.plan_table(forecast), hide_index=True, width="stretch")
    return True


# --------------------------------------------------------------------------- the cards view's filter
def follow_scope(deck) -> tuple[str | None, str | None, wa.CourseMap | None]:
    """``?folder=`` / ``?note=`` of the cards view (a notice for one that names nothing here).  Without either
    (the usual case) nothing is mapped."""
    wanted = urlstate.raw("folder") is not None or urlstate.raw("note") is not None
    course = wa.course_map(deck.notes, deck.all) if wanted else None
    folder = urlstate.follow("folder", choices=course.folder_names() if course else (), what="the folder")
    note = urlstate.follow("note", choices=list(course.folders) if course else (), what="the note")
    return folder, note, course


def scoped(deck, cards: list[Card]) -> list[Card]:
    """``cards`` limited to the folder or note the URL names, with a line that says so and a way back to all."""
    folder, note, course = follow_scope(deck)
    if course is None or (folder is None and note is None):
        return cards
    wanted = set(course.cards_in(note=note) if note is not None else course.cards_in(folder=folder))
    kept = [c for c in cards if c.id in wanted]
    what = f"folder “{literal(folder)}”" if note is None else f"note “{literal(course.titles.get(note, note))}”"
    cols = st.columns([4, 1], vertical_alignment="center")
    cols[0].info(f"Studying only the {len(kept)} card(s) of {what} (of the topics chosen).", icon=":material/filter_alt:")
    cols[1].button("All cards", icon=":material/filter_alt_off:", key="course_scope_clear",
                   on_click=urlstate.push_many, args=({"folder": None, "note": None},))
    return kept


# --------------------------------------------------------------------------- the course view
def _study_href(area: wa.Area) -> str:
    return page_url(STUDY, {"tab": "cards", area.kind: area.key})


def _weakest_html(title: str, areas: list[wa.Area]) -> str:
    items = []
    for a in areas:
        cards = (f'<a href="{escape(_study_href(a))}">Study {escape(a.label)}: its {a.cards} card(s)</a>' if a.cards
                 else f'<a href="{escape(page_url(PAGES["notes"].file, {"note": a.key}))}">Read {escape(a.label)}</a>'
                 if a.kind == "note" else f"{escape(a.label)} (no cards yet)")
        due = f" · {a.due} due now" if a.due else ""
        items.append(f'<li><span class="course-score">{a.score:.0f}/100</span> {cards}{due}'
                     f'<br><small>{escape(a.why())}</small></li>')
    return f'<section class="app-links course-weakest" aria-label="{escape(title)}"><h4>{escape(title)}</h4><ol>{"".join(items)}</ol></section>'


def weak(deck, now: dt.datetime) -> wa.CourseMap:
    store = learner()
    course = wa.course_map(deck.notes, deck.all)
    result = _state().memo("weak", _key(deck, store, now), lambda: wa.weak_areas(
        course, S.card_states(store), _state().passes.of(store), S.sections_read(store), now, params=S.fsrs_params(store)))
    st.subheader("Where your course is weak")
    st.caption(wa.EXPLAIN)
    if not result.folders:
        st.info("No notes yet: the course view fills in as notes arrive.", icon=":material/info:")
        return course
    cols = st.columns(2, gap="large")
    with cols[0]:
        html(_weakest_html("Weakest folders", list(result.folders[:3])))
    with cols[1]:
        html(_weakest_html("Weakest notes", list(result.notes[:3])))
    extra = []
    if result.loose:
        extra.append(f"{result.loose} card(s) of the content are tied to no note and are not counted here.")
    if course.pending:
        extra.append(f"The sections of {course.pending} note(s) are counted once they have been read in.")
    if deck.coverage[0] < deck.coverage[1]:
        extra.append(f"Cards in your notes: from {deck.coverage[0]:,} of {deck.coverage[1]:,} notes so far.")
    if extra:
        st.caption(" ".join(extra))
    plotly(cc.weakness_figure(result.folders), alt=cc.weakness_description(result.folders))
    with st.expander("Every folder and note as a table"):
        st.dataframe(cc.weakness_table(result.folders), hide_index=True, width="stretch")
        st.dataframe(cc.weakness_table(result.notes), hide_index=True, width="stretch")
    return course


def _set_exam(key_scope: str, key_day: str) -> None:
    scope, day = st.session_state.get(key_scope), st.session_state.get(key_day)
    if scope and isinstance(day, dt.date):
        now = dt.datetime.now(dt.UTC)
        update(lambda s: S.set_exam(s, scope, day, now, today=_today(now)))


def _clear_exam(scope: str) -> None:
    update(lambda s: S.clear_exam(s, scope, dt.datetime.now(dt.UTC)))


def exams(deck, course: wa.CourseMap, now: dt.datetime) -> None:
    st.subheader("Exam dates")
    st.caption("Set an exam for a folder of notes or a deck: every card of it you have studied is planned for at least "
               "one review in the last days before the exam (the last 3 days for an exam up to two weeks away, 5 up to "
               "six weeks, 7 beyond). Only the day a card is shown moves earlier; what FSRS knows of your memory of "
               "it does not change.")
    today = _today(now)
    options = [f"folder:{f}" for f in course.folder_names()] + [f"deck:{d}" for d in CATEGORIES
                                                                 if any(c.category == d for c in deck.all)]
    chosen = urlstate.follow("exam", choices=options, what="the exam's folder or deck")
    if not options:
        st.info("No folders of notes or decks yet: an exam date needs one.", icon=":material/info:")
        return
    kept = S.exam_dates(learner())
    with st.form("course_exam", border=True):
        cols = st.columns([3, 2])
        scope = cols[0].selectbox("Folder or deck", options, index=urlstate.index(options, chosen) or 0,
                                  format_func=scope_label, key=urlstate.widget_key("exam", "course_exam_scope"))
        cols[1].date_input("Exam date", value=kept.get(scope, today + dt.timedelta(days=14)), min_value=today,
                           max_value=today + dt.timedelta(days=EXAM_HORIZON_DAYS), key="course_exam_day",
                           format="YYYY-MM-DD")
        st.form_submit_button("Save the exam date", icon=":material/event:", type="primary", on_click=_save,
                              args=(urlstate.widget_key("exam", "course_exam_scope"), "course_exam_day"))
    plan = exam_plan(deck, now, course)
    past = {s: d for s, d in kept.items() if d < today}
    for sp in plan.scopes:
        w = sp.window
        with st.container(border=True):
            cols = st.columns([4, 1], vertical_alignment="center")
            cols[0].markdown(f"**{literal(scope_label(w.scope))}** · exam on {w.exam.isoformat()} "
                             f"({(w.exam - today).days} day(s) from today)")
            cols[1].button("Remove", key=f"course_exam_clear_{w.scope}", icon=":material/event_busy:",
                           on_click=_clear_exam, args=(w.scope,))
            st.caption(f"{w.describe(today)} Of its {sp.cards} card(s): {sp.in_window} already due then, "
                       f"{sp.pulled} pulled in from later, {sp.again} due before and planned once more, "
                       f"{sp.seen} seen in the window already, {sp.new} never studied (study them before: they are "
                       "new cards, within your daily limit).")
    for scope, day in past.items():
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].warning(f"The exam of {literal(scope_label(scope))} on {day.isoformat()} is past: it plans nothing.",
                        icon=":material/event_busy:")
        cols[1].button("Remove", key=f"course_exam_clear_{scope}", on_click=_clear_exam, args=(scope,))
    if plan.scopes:
        last = max(sp.window.exam for sp in plan.scopes)
        days = min(MAX_PLAN_DAYS, max(7, (last - today).days + 1))
        if not plan_chart(plan, now, days=days):
            st.caption("Nothing to add: every studied card is already due, or was seen, in its exam's window.")
        elif (last - today).days >= MAX_PLAN_DAYS:
            st.caption(f"The chart shows the next {MAX_PLAN_DAYS} days; the latest exam is further away.")


def _save(key_scope: str, key_day: str) -> None:
    urlstate.push("exam", st.session_state.get(key_scope))
    _set_exam(key_scope, key_day)


def course(deck) -> None:
    """The course view: weak areas, then exam dates and the plan."""
    now = dt.datetime.now(dt.UTC)
    course_map = weak(deck, now)
    exams(deck, course_map, now)
