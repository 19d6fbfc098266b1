"""Answer time per day (#24, "reviews and time per day"): kept in the store, capped per answer, merged, recovered
record by record, drawn on the Memory tab, and measured from the card shown to the grade on the Study page."""

from __future__ import annotations

import datetime as dt
import json
import time

from explorer.charts import study_memory as mc
from explorer.study import retention_stats as rs
from explorer.study import store as S
from explorer.study.store_model import MAX_ANSWER_SECONDS
from tests.apptest_util import no_exception, open_page

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)


def _graded(*seconds: float | None, store=None, at: dt.datetime = NOW):
    store = store or S.empty()
    for i, s in enumerate(seconds):
        store = S.review(store, f"card-{i}", "good", at + dt.timedelta(minutes=i), 0.9, seconds=s)
    return store


def test_each_answer_adds_its_time_to_its_day_capped_and_tiny_or_unknown_times_add_nothing():
    store = _graded(12.4, 200.0, 0.2, None, float("nan"), 3.0)
    assert store.study_time == {NOW.date(): 12 + MAX_ANSWER_SECONDS + 3}
    later = _graded(30.0, store=store, at=NOW + dt.timedelta(days=1))
    assert later.study_time == {NOW.date(): 75, NOW.date() + dt.timedelta(days=1): 30}


def test_a_store_without_answer_time_keeps_its_text_and_one_with_it_round_trips():
    plain = _graded(None)
    assert "study_time" not in S.dump(plain)
    timed = _graded(20.0)
    back = S.load(S.dump(timed))
    assert back.status == "loaded" and back.store == timed and back.store.study_time == {NOW.date(): 20}


def test_two_tabs_keep_the_busier_day_and_merge_in_any_order():
    base = _graded(10.0)
    a = _graded(40.0, store=base, at=NOW + dt.timedelta(hours=1))
    b = _graded(5.0, store=base, at=NOW + dt.timedelta(days=1))
    ab, ba = S.merge(a, b), S.merge(b, a)
    assert ab == ba and S.merge(ab, ab) == ab
    assert ab.study_time == {NOW.date(): 50, NOW.date() + dt.timedelta(days=1): 5}


def test_a_damaged_day_costs_that_day_alone():
    raw = json.loads(S.dump(_graded(20.0, 30.0, at=NOW)))
    raw["study_time"]["2026-12-01"] = -5
    raw["study_time"]["not a day"] = 10
    result = S.load(json.dumps(raw))
    assert result.store.study_time == {NOW.date(): 50}
    assert len(result.store.cards) == 2  # the reviews are all kept
    assert any("answer time" in n for n in result.notices), result.notices


def test_the_memory_chart_draws_minutes_only_when_time_was_kept():
    store = _graded(45.0, 45.0)
    seconds = rs.time_per_day(store, NOW, days=7)
    assert seconds[-1] == (NOW.date(), 90) and sum(n for _, n in seconds) == 90
    fig = mc.per_day_figure(rs.reviews_per_day(store, NOW, days=7), seconds=seconds)
    line = [t for t in fig.data if t.type == "scatter"]
    assert len(line) == 1 and line[0].y[-1] == 1.5 and fig.layout.yaxis2.overlaying == "y"
    assert "2 min on 1 days" in fig.layout.meta["description"]
    bare = mc.per_day_figure(rs.reviews_per_day(_graded(None), NOW, days=7), seconds=rs.time_per_day(_graded(None), NOW, days=7))
    assert [t.type for t in bare.data] == ["bar"]


def test_the_study_page_times_an_answer_from_the_card_shown_to_the_grade():
    at = open_page("pages/11_Study.py")
    no_exception(at)
    state = at.session_state["_study"]
    card, _ = state.shown
    state.shown = (card, time.monotonic() - 7.0)  # as if the card had been on screen for 7 s
    next(b for b in at.button if b.label == "Show answer").click().run()
    good = next(b for b in at.button if b.label.startswith("Good · "))
    good.click().run()
    no_exception(at)
    kept = at.session_state["learner"].study_time
    assert kept is not None and 7 <= sum(kept.values()) <= 9
    assert time.monotonic() - at.session_state["_study"].shown[1] < 5  # the next card's time starts when it shows
