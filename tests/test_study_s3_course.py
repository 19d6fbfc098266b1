"""Where the course is weak and the exam review plan (#24 items 6 and 7): pure logic."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from explorer.routes import link
from explorer.study import exam_plan as ep
from explorer.study import params as P
from explorer.study import scheduling as sch
from explorer.study import store as S
from explorer.study import weak_areas as wa
from explorer.study.cards import Card

NOW = dt.datetime(2026, 12, 6, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()
DAY = dt.timedelta(days=1)


def _note(nid: str, path: str, sections: int = 4, week=None):
    return SimpleNamespace(id=nid, title=nid.title(), path=path, week=week, source="content", order=10_000,
                           parsed=True, sections=tuple(SimpleNamespace(id=f"s{i}") for i in range(sections)))


def _card(cid: str, note: str) -> Card:
    where = link("note", note, section="s0")
    return Card(cid, "notes", f"Q {cid}", f"A {cid}", "", where, where, note)


def _state(due: dt.datetime, last: dt.datetime, stability: float = 10.0) -> sch.CardState:
    return sch.CardState(phase="review", stability=stability, difficulty=5.0, due=due, last_review=last, reviews=3)


NOTES = [_note("a1", "Week 1/a1.md"), _note("a2", "Week 1/a2.md"), _note("b1", "Week 2/b1.md"),
         _note("c1", "Week 3/c1.md")]


def _course():
    cards = [_card(f"{n}-{i}", n) for n in ("a1", "a2", "b1", "c1") for i in range(3)]
    return wa.course_map(NOTES, cards), cards


# --------------------------------------------------------------------------- weak areas
def test_cards_belong_to_their_notes_and_folders():
    course, cards = _course()
    assert course.folder_names() == ["Week 1", "Week 2", "Week 3"]
    assert sorted(course.cards_in(folder="Week 1")) == ["a1-0", "a1-1", "a1-2", "a2-0", "a2-1", "a2-2"]
    assert course.cards_in(note="b1") == ["b1-0", "b1-1", "b1-2"]
    assert course.cards_in(folder="Week") == []  # a folder name is matched whole, not as a prefix of a name
    content_card = Card("term-def:x", "glossary", "Q", "A", "", link("term", "x"), link("note", "c1", section="s1"))
    tied = wa.course_map(NOTES, [*cards, content_card, Card("term-def:y", "glossary", "Q", "A", "", link("term", "y"))])
    assert tied.card_notes["term-def:x"] == "c1" and tied.loose == 1


def test_one_top_folder_areas_go_one_level_deeper():
    notes = [_note("x", "Course/Week 1/x.md"), _note("y", "Course/Week 2/y.md")]
    course = wa.course_map(notes, [])
    assert course.folder_names() == ["Course/Week 1", "Course/Week 2"]
    assert course.in_folder("x", "Course") and course.in_folder("x", "Course/Week 1")


def test_weakness_orders_a_forgotten_unread_week_first_and_explains_why():
    course, cards = _course()
    states, passes = {}, {}
    # Week 1: every card studied yesterday with a long stability, every review passed, all read
    for c in course.cards_in(folder="Week 1"):
        states[c] = _state(NOW + 20 * DAY, NOW - DAY, stability=40)
        passes[c] = (5, 5)
    # Week 2: studied long ago, overdue, failed half the time, nothing read
    for c in course.cards_in(folder="Week 2"):
        states[c] = _state(NOW - 10 * DAY, NOW - 60 * DAY, stability=3)
        passes[c] = (2, 4)
    # Week 3: never studied, half read
    marks = {"a1": frozenset({"s0", "s1", "s2", "s3"}), "a2": frozenset({"s0", "s1", "s2", "s3"}),
             "c1": frozenset({"s0", "s1"})}
    result = wa.weak_areas(course, states, passes, marks, NOW)
    order = [a.key for a in result.folders]
    assert order[-1] == "Week 1"
    assert set(order[:2]) == {"Week 2", "Week 3"}
    w2 = next(a for a in result.folders if a.key == "Week 2")
    assert (w2.cards, w2.studied, w2.due, w2.overdue, w2.reviews, w2.passed, w2.read) == (3, 3, 3, 3, 12, 6, 0)
    assert w2.recall is not None and w2.recall < 0.7
    assert w2.parts["sections unread"] == 1 and w2.parts["cards due"] == 1
    assert abs(sum(w2.contributions().values()) - w2.score) < 1e-9
    assert "recall gap" in w2.why()
    w1 = result.folders[-1]
    assert w1.score < 20 and w1.parts["sections unread"] == 0 and w1.due == 0
    # notes order the same way, and a note's score only uses its own cards and sections
    assert [a.key for a in result.notes][-2:] in (["a1", "a2"], ["a2", "a1"])


def test_an_area_without_cards_is_scored_by_reading_alone():
    notes = [_note("r", "Week 4/r.md", sections=4)]
    result = wa.weak_areas(wa.course_map(notes, []), {}, {}, {"r": frozenset({"s0"})}, NOW)
    (area,) = result.folders
    assert area.recall is None and set(area.parts) == {"sections unread"}
    assert area.score == pytest.approx(75.0)


def test_recall_now_matches_the_library():
    states = {str(i): _state(NOW + DAY, NOW - i * DAY - dt.timedelta(hours=5), stability=0.5 + i) for i in range(30)}
    ours = wa.recall_now(states, NOW)
    for cid, st in states.items():
        assert ours[cid] == pytest.approx(sch.retrievability(st, NOW), rel=1e-12)
    own = tuple(P.DEFAULTS[:20]) + (0.3,)  # a learner whose forgetting curve is steeper (decay 0.3)
    ours = wa.recall_now(states, NOW, own)
    for cid, st in states.items():
        assert ours[cid] == pytest.approx(sch.retrievability(st, NOW, own), rel=1e-12)


def test_pass_counts_read_each_log_once_per_record():
    s = S.empty()
    for i, g in enumerate(("good", "again", "good")):
        s = S.review(s, "c", g, NOW + i * DAY, review_id=f"r{i}")
    counts = wa.PassCounts()
    s = S.review(s, "d", "good", NOW, review_id="d1")
    assert counts.of(s) == {"c": (2, 3), "d": (1, 1)} and counts.logs_read == 2
    assert counts.of(s) == {"c": (2, 3), "d": (1, 1)} and counts.logs_read == 2  # same records: not read again
    s = S.review(s, "c", "again", NOW + 5 * DAY, review_id="r9")
    assert counts.of(s) == {"c": (2, 4), "d": (1, 1)} and counts.logs_read == 3  # only the changed card


# --------------------------------------------------------------------------- exam plan
@pytest.mark.parametrize("days_left, length", [(0, 3), (1, 3), (14, 3), (15, 5), (42, 5), (43, 7), (300, 7)])
def test_the_window_grows_with_the_time_to_the_exam(days_left, length):
    assert ep.window_length(days_left) == length
    w = ep.window("deck:x", TODAY + days_left * DAY, TODAY)
    assert w.end == max(TODAY, w.exam - DAY) and w.start == max(TODAY, w.exam - length * DAY)
    assert w.start >= TODAY


def test_a_past_exam_has_no_window():
    assert ep.window("deck:x", TODAY - DAY, TODAY) is None
    assert ep.plan({}, {"deck:x": (TODAY - DAY, ["a"])}, NOW).scopes == ()


def _deck(n: int = 60):
    """Cards due before, in, and after the window of an exam 20 days away (window: days 15-19), and new ones."""
    states = {}
    for i in range(n):
        last = NOW - (i % 5 + 1) * DAY
        states[f"c{i:02d}"] = _state(NOW + (i % 40) * DAY, last)
    return states


def test_every_studied_card_appears_once_in_the_window_and_memory_is_unchanged():
    states = _deck()
    exam = TODAY + 20 * DAY
    ids = [*states, "new-1", "new-2"]
    plan = ep.plan(states, {"folder:Week 2": (exam, ids)}, NOW)
    (sp,) = plan.scopes
    w = sp.window
    assert (w.start, w.end) == (TODAY + 15 * DAY, TODAY + 19 * DAY)
    assert sp.new == 2 and sp.cards == 62
    assert sp.in_window + sp.pulled + sp.again + sp.seen == 60
    window_days = set(w.days)
    for cid, st in states.items():
        own = st.due.date()
        in_window = own in window_days
        planned = plan.slot.get(cid)
        assert (planned is not None) != in_window, cid  # exactly one review in the window, never doubled
        if planned is not None:
            assert planned in window_days
        if own > w.end:
            assert plan.due[cid] == dt.datetime.combine(planned, dt.time(0), dt.UTC)
        if own < w.start:
            assert plan.again[cid] == planned and cid not in plan.due
    overlaid = plan.overlay(states)
    for cid, st in states.items():
        o = overlaid[cid]
        assert (o.stability, o.difficulty, o.reviews, o.lapses, o.last_review, o.phase) == (
            st.stability, st.difficulty, st.reviews, st.lapses, st.last_review, st.phase)
        assert o.due == min(st.due, plan.due.get(cid, st.due))
    assert states == _deck()  # the input is not touched


def test_the_window_is_filled_evenly():
    states = {f"c{i}": _state(NOW + 60 * DAY, NOW - DAY) for i in range(50)}  # all due after the exam
    plan = ep.plan(states, {"deck:notes": (TODAY + 20 * DAY, list(states))}, NOW)
    per_day = [list(plan.slot.values()).count(d) for d in plan.scopes[0].window.days]
    assert per_day == [10] * 5


def test_cards_seen_in_the_window_are_not_planned_again():
    start = TODAY + 2 * DAY  # exam in 5 days: window = days 2-4
    states = {"seen": _state(NOW + 60 * DAY, dt.datetime.combine(start, dt.time(9), dt.UTC)),
              "later": _state(NOW + 60 * DAY, NOW - DAY)}
    plan = ep.plan(states, {"deck:x": (TODAY + 5 * DAY, list(states))}, NOW + 2 * DAY)
    assert plan.scopes[0].seen == 1 and set(plan.slot) == {"later"}


def test_a_card_in_two_scopes_follows_the_earliest_exam():
    states = {"a": _state(NOW + 90 * DAY, NOW - DAY)}
    plan = ep.plan(states, {"deck:notes": (TODAY + 30 * DAY, ["a"]), "folder:Week 1": (TODAY + 10 * DAY, ["a"])}, NOW)
    assert plan.slot["a"] < TODAY + 10 * DAY
    assert [sp.cards for sp in plan.scopes] == [1, 0]


def test_pulled_cards_reach_the_queue_on_their_window_day():
    from explorer.study.workload import due_queue

    states = {"a": _state(NOW + 90 * DAY, NOW - DAY), "b": _state(NOW + DAY / 2, NOW - DAY)}
    plan = ep.plan(states, {"deck:x": (TODAY + 2 * DAY, ["a"])}, NOW)  # window: today and tomorrow
    day = plan.slot["a"]
    when = dt.datetime.combine(day, dt.time(12), dt.UTC)
    assert "a" in due_queue(plan.overlay(states), when)
    assert "a" not in due_queue(states, when)


def test_the_forecast_shows_the_plan_without_doubling():
    states = _deck()
    exam = TODAY + 20 * DAY
    plan = ep.plan(states, {"folder:Week 2": (exam, list(states))}, NOW)
    days = ep.forecast(states, plan, NOW, days=21)
    assert sum(d.exam for d in days) == len(plan.slot)
    assert sum(d.due for d in days) == sum(1 for c, st in states.items() if c not in plan.due and st.due.date() <= exam)
    window = set(plan.scopes[0].window.days)
    assert all(d.exam == 0 for d in days if d.day not in window)
    in_window = sum(d.count for d in days if d.day in window)
    assert in_window == len(states)  # every studied card once in the window
    plain = ep.forecast(states, ep.ExamPlan(), NOW, days=7)
    assert all(d.exam == 0 for d in plain)


def test_pulled_cards_join_the_queue_after_due_cards_and_before_new_ones():
    states = {"due": _state(NOW - DAY, NOW - 5 * DAY), "far": _state(NOW + 90 * DAY, NOW - DAY),
              "off": _state(NOW + 90 * DAY, NOW - DAY), "other": _state(NOW + 90 * DAY, NOW - DAY)}
    plan = ep.plan(states, {"deck:x": (TODAY + DAY, ["far", "off", "due"])}, NOW)  # window: today
    assert set(plan.due) == {"far", "off"}
    queue = ["due", "new-1", "new-2"]
    got = ep.with_exam_reviews(queue, plan, states, NOW, ["due", "far", "off", "new-1", "new-2"], aside={"off"})
    assert got == ["due", "far", "new-1", "new-2"]
    assert ep.with_exam_reviews(got, plan, states, NOW, ["due", "far", "new-1"]) == got  # never twice
    assert ep.with_exam_reviews(queue, plan, states, NOW, ["due"]) == queue  # only the deck's cards
    assert ep.with_exam_reviews(queue, ep.ExamPlan(), states, NOW, ["far"]) == queue


# --------------------------------------------------------------------------- charts
def test_the_weakness_chart_stacks_each_folders_parts_weakest_on_top():
    from explorer.charts import study_course as cc
    from explorer.charts.base import describe

    course, _ = _course()
    states = {c: _state(NOW - 10 * DAY, NOW - 60 * DAY, stability=3) for c in course.cards_in(folder="Week 2")}
    result = wa.weak_areas(course, states, {c: (1, 4) for c in states}, {}, NOW)
    fig = cc.weakness_figure(result.folders)
    bars = [t for t in fig.data if t.type == "bar"]
    assert [t.name for t in bars] == list(wa.WEIGHTS)
    assert list(bars[0].y) == [a.label for a in result.folders][::-1]  # the weakest is drawn at the top
    for i, area in enumerate(result.folders[::-1]):
        assert sum(t.x[i] for t in bars) == pytest.approx(area.score)
    assert "Week 2" in describe(fig) and "weakest first" in describe(fig)
    table = cc.weakness_table(result.folders)
    assert list(table["Area"]) == [a.label for a in result.folders]
    assert table.set_index("Area").loc["Week 2", "Pass rate"] == "25%"


def test_the_plan_chart_shows_own_reviews_and_exam_reviews_with_a_line_at_the_exam():
    from explorer.charts import study_course as cc
    from explorer.charts.base import describe

    states = _deck()
    exam = TODAY + 20 * DAY
    plan = ep.plan(states, {"folder:Week 2": (exam, list(states))}, NOW)
    days = ep.forecast(states, plan, NOW, days=21)
    fig = cc.plan_figure(days, [("Folder Week 2", exam)])
    due, added = fig.data
    assert sum(due.y) == sum(d.due for d in days) and sum(added.y) == len(plan.slot)
    assert [s.x0 for s in fig.layout.shapes] == [exam.isoformat()]
    assert f"{len(plan.slot)} exam review(s)" in describe(fig)
    assert list(cc.plan_table(days)["Total"]) == [d.count for d in days]


def test_a_deck_scope_takes_the_cards_of_its_topic():
    course, cards = _course()
    glossary = Card("term-def:x", "glossary", "Q", "A", "", link("term", "x"))
    assert course.cards_in(deck="glossary", cards=[*cards, glossary]) == ["term-def:x"]
    assert len(course.cards_in(deck="notes", cards=cards)) == 12


def test_a_folder_holding_several_folders_is_split_into_them():
    notes = [_note("w", "Week 1/w.md"), _note("v", "vault/v.md"), _note("l1", "vault/Lectures/1/Notes/a.md"),
             _note("l1q", "vault/Lectures/1/Quiz/q.md"), _note("l2", "vault/Lectures/2/Notes/b.md"),
             _note("r", "vault/Recursion/r.md"), _note("top", "top.md")]
    cards = [_card(f"{n.id}-c", n.id) for n in notes]
    course = wa.course_map(notes, cards)
    assert course.folder_names() == ["Top level", "vault", "vault/Lectures/1", "vault/Lectures/2", "vault/Recursion",
                                     "Week 1"]
    assert sorted(course.cards_in(folder="vault/Lectures/1")) == ["l1-c", "l1q-c"]
    assert course.cards_in(folder="vault") == ["v-c"]  # the area: the notes directly in it, as its row counts them
    assert sorted(course.cards_in(folder="vault/Lectures")) == ["l1-c", "l1q-c", "l2-c"]  # a path: everything below
    result = wa.weak_areas(course, {}, {}, {}, NOW)
    assert {a.key: a.cards for a in result.folders}["vault/Lectures/1"] == 2
