"""FSRS scheduling (explorer.study.scheduling, card_state, workload, sm2_fsrs) against the fsrs library's own Scheduler, plus the queue,
forecast and heatmap data with hand-worked cases."""

from __future__ import annotations

import collections
import datetime as dt
import math
from zoneinfo import ZoneInfo

import fsrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.study import card_state as cs
from explorer.study import scheduling as sch
from explorer.study import sm2_fsrs
from explorer.study import workload as wl
from explorer.study.card_state import CardState
from explorer.study.workload import DayCount

UTC = dt.UTC
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)  # a Monday


def at(days: float = 0, minutes: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(days=days, minutes=minutes)


# (grade, time) histories picked by hand: learning steps, graduation, a lapse, relearning, long gaps
HISTORIES = {
    "good good again good": [("good", at(0)), ("good", at(0, 10)), ("good", at(3)), ("again", at(20)), ("good", at(20, 10)),
                             ("good", at(26))],
    "easy from new": [("easy", at(0)), ("easy", at(15)), ("easy", at(80))],
    "hard and late": [("hard", at(0)), ("hard", at(0, 6)), ("good", at(1)), ("hard", at(9)), ("good", at(60))],
    "again twice then good": [("again", at(0)), ("again", at(0, 1)), ("good", at(0, 3)), ("good", at(0, 15)),
                              ("good", at(4)), ("again", at(4, 30))],
    "reviewed early": [("good", at(0)), ("good", at(0, 10)), ("good", at(1)), ("good", at(1, 5)), ("easy", at(2))],
}


@pytest.mark.parametrize("name", HISTORIES)
def test_wrapper_matches_the_library_scheduler(name):
    """The whole sequence through fsrs.Scheduler directly vs through review_card: same phase, step
    and due date; stability and difficulty equal up to the 6-significant-digit storage rounding."""
    lib = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=1, due=at(0))
    state = None
    for grade, when in HISTORIES[name]:
        card, log = lib.review_card(card, fsrs.Rating(cs.grade_value(grade)), when)
        state = sch.review_card(state, grade, when)
        assert state.phase == card.state.name.lower()
        assert state.step == card.step
        assert state.due == card.due
        assert state.last_review == card.last_review == log.review_datetime
        assert state.stability == pytest.approx(card.stability, rel=1e-5)
        assert state.difficulty == pytest.approx(card.difficulty, rel=1e-5)
    assert state.reviews == len(HISTORIES[name])


@pytest.mark.parametrize("name", HISTORIES)
def test_each_step_is_exactly_the_library_step_rounded(name):
    """Step by step, from the stored state, the library's next state rounded to 6 digits IS ours."""
    lib = fsrs.Scheduler(enable_fuzzing=False)
    state = None
    for grade, when in HISTORIES[name]:
        card = sch.to_fsrs_card(state) if state else fsrs.Card(card_id=0, due=when)
        expected, _ = lib.review_card(card, fsrs.Rating(cs.grade_value(grade)), when)
        state = sch.review_card(state, grade, when)
        assert (state.stability, state.difficulty) == (cs.sig(expected.stability), cs.sig(expected.difficulty))
        assert state.due == expected.due


def test_good_good_again_good_hand_values():
    """Default FSRS-6 parameters: first Good gives S = w2 = 2.3065 and D = w4 - e^(2 w5) + 1 = 2.11810;
    the second Good (10 min later) finishes the learning steps, due in round(S) = 2 days; Again in
    review is a lapse and goes to relearning (10-minute step)."""
    s1 = sch.review_card(None, "good", at(0))
    assert (s1.phase, s1.step, s1.stability, s1.difficulty) == ("learning", 1, 2.3065, 2.1181)
    assert s1.due == at(0, 10)
    s2 = sch.review_card(s1, "good", at(0, 10))
    assert (s2.phase, s2.step) == ("review", None) and s2.due == at(2, 10)
    s3 = sch.review_card(s2, "again", at(3))
    assert (s3.phase, s3.step, s3.lapses, s3.reviews) == ("relearning", 0, 1, 3)
    assert s3.due == at(3, 10)
    s4 = sch.review_card(s3, "good", at(3, 10))
    assert s4.phase == "review" and s4.lapses == 1 and s4.stability < s2.stability * 2


def test_higher_retention_means_shorter_intervals():
    state = sch.review_card(sch.review_card(None, "good", at(0)), "good", at(0, 10))
    state = sch.review_card(state, "good", at(2))
    days = {}
    for r in (0.70, 0.80, 0.90, 0.95, 0.97):
        nxt = sch.review_card(state, "good", at(12), retention=r)
        days[r] = (nxt.due - at(12)).days
        assert nxt.stability == sch.review_card(state, "good", at(12), retention=0.9).stability  # S does not depend on R
    values = [days[r] for r in sorted(days)]
    assert values == sorted(values, reverse=True) and len(set(values)) == len(values), days
    # at R = 0.9 the interval equals the stability (that is what stability means in FSRS)
    nxt = sch.review_card(state, "good", at(12))
    assert days[0.90] == round(nxt.stability)


def test_retention_and_grade_validation():
    assert cs.check_retention(0.85) == 0.85 and cs.check_retention(0.9) == 0.9
    for bad in (0.5, 0.99, 1, float("nan"), True, "0.9", None):
        with pytest.raises(ValueError, match="retention"):
            cs.check_retention(bad)
    assert [cs.grade_value(g) for g in ("again", "Hard", " good ", "EASY", 1, 4)] == [1, 2, 3, 4, 1, 4]
    for bad in ("ok", 0, 5, True, 3.0, None):
        with pytest.raises(ValueError, match="grade"):
            cs.grade_value(bad)
    with pytest.raises(ValueError, match="naive"):
        sch.review_card(None, "good", dt.datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="outside"):
        sch.review_card(None, "good", dt.datetime(1999, 1, 1, tzinfo=UTC))


def test_other_time_zones_and_microseconds_become_utc_seconds():
    paris = dt.datetime(2026, 1, 5, 10, 0, 0, 123456, tzinfo=ZoneInfo("Europe/Paris"))
    s = sch.review_card(None, "good", paris)
    assert s.last_review == at(0) and s.last_review.tzinfo is UTC


def test_fuzz_range_hand_values_and_library_agreement():
    # 10 days: delta = 1 + 0.15 * (7 - 2.5) + 0.1 * (10 - 7) = 1.975 -> 8..12
    assert sch.fuzz_range(10) == (8, 12)
    # 100 days: delta = 1 + 0.675 + 0.1 * 13 + 0.05 * 80 = 6.975 -> 93..107
    assert sch.fuzz_range(100) == (93, 107)
    assert sch.fuzz_range(2) == (2, 2) and sch.fuzzed_days(2, "x") == 2
    assert sch.fuzzed_days(100, "abc") == sch.fuzzed_days(100, "abc")  # same key, same interval
    ours = {sch.fuzzed_days(10, f"k{i}") for i in range(2000)}
    lib = fsrs.Scheduler()
    theirs = {lib._get_fuzzed_interval(interval=dt.timedelta(days=10)).days for _ in range(2000)}
    assert ours == theirs == {8, 9, 10, 11, 12, 13}


def test_fuzz_moves_only_the_due_date_and_is_reproducible():
    s = sch.review_card(sch.review_card(None, "good", at(0)), "good", at(0, 10))
    plain = sch.review_card(s, "easy", at(3))
    fuzzy = [sch.review_card(s, "easy", at(3), fuzz_key=f"r{i}") for i in range(40)]
    days = (plain.due - at(3)).days
    lo, hi = sch.fuzz_range(days)
    assert {f.stability for f in fuzzy} == {plain.stability} and {f.difficulty for f in fuzzy} == {plain.difficulty}
    assert all(lo <= (f.due - at(3)).days <= hi + 1 for f in fuzzy)
    assert len({f.due for f in fuzzy}) > 1
    assert sch.review_card(s, "easy", at(3), fuzz_key="r7") == fuzzy[7]


def test_replay_equals_step_by_step():
    hist = HISTORIES["good good again good"]
    reviews = [cs.Review(f"id{i}", t, cs.grade_value(g), 0.9) for i, (g, t) in enumerate(hist)]
    state = None
    for r in reviews:
        state = sch.review_card(state, r.grade, r.at, fuzz_key=r.id)
    assert sch.replay(None, reviews) == state
    assert sch.replay(None, reviews, fuzz=False) == sch.replay(None, [tuple(r) for r in reviews], fuzz=False)
    assert sch.replay(None, []) is None
    mid = sch.replay(None, reviews[:3])
    assert sch.replay(mid, reviews[3:]) == state


def test_retrievability_follows_the_library_curve():
    s = CardState(phase="review", stability=10.0, difficulty=5.0, due=at(10), last_review=at(0), reviews=3)
    assert sch.retrievability(None, at(0)) == 0.0
    assert sch.retrievability(s, at(0, 60)) == 1.0  # same day: the library counts whole days
    assert sch.retrievability(s, at(10)) == pytest.approx(0.9, abs=1e-9)  # R(S) = 0.9 by definition
    lib = fsrs.Scheduler()
    for d in (1, 3, 30, 400):
        assert sch.retrievability(s, at(d)) == lib.get_card_retrievability(sch.to_fsrs_card(s), at(d))
    assert sch.retrievability(s, at(30)) < sch.retrievability(s, at(3))


def test_next_intervals_and_labels():
    iv = sch.next_intervals(None, at(0))
    assert iv == {"again": dt.timedelta(minutes=1), "hard": dt.timedelta(minutes=5, seconds=30),
                  "good": dt.timedelta(minutes=10), "easy": dt.timedelta(days=8)}
    assert [sch.format_interval(v) for v in iv.values()] == ["1 min", "6 min", "10 min", "8 d"]
    assert sch.format_interval(dt.timedelta(hours=5)) == "5 h"
    assert sch.format_interval(dt.timedelta(days=45)) == "1.5 mo"
    assert sch.format_interval(dt.timedelta(days=730)) == "2 y"


def _state(due: dt.datetime, phase: str = "review", last: dt.datetime | None = None) -> CardState:
    return CardState(phase=phase, step=None if phase == "review" else 0, stability=3.0, difficulty=5.0,
                     due=due, last_review=last or min(due, at(-30)), reviews=2)


def test_due_queue_order_new_limit_and_learn_ahead():
    now = at(0)
    states = {
        "b": _state(at(-1)),  # overdue by a day
        "a": _state(at(-1)),  # same due time: id breaks the tie
        "c": _state(at(-5)),  # most overdue
        "d": _state(at(1)),  # not due
        "l": _state(at(0, 8), "learning", last=at(0, -2)),  # learning step due in 8 minutes: learn ahead
        "m": _state(at(0, 45), "relearning", last=at(0, -5)),  # 45 minutes away: not yet
        "r": _state(at(0, 8)),  # a review card due in 8 minutes is not pulled ahead
        "gone": _state(at(-9)),  # not in the deck any more
    }
    deck = ["n1", "a", "b", "c", "d", "l", "m", "r", "n2", "n3", "n1"]
    assert wl.due_queue(states, now, deck) == ["c", "a", "b", "l", "n1", "n2", "n3"]
    assert wl.due_queue(states, now, deck, new_limit=2) == ["c", "a", "b", "l", "n1", "n2"]
    assert wl.due_queue(states, now, deck, new_limit=2, new_today=1) == ["c", "a", "b", "l", "n1"]
    assert wl.due_queue(states, now, deck, new_limit=2, new_today=5) == ["c", "a", "b", "l"]
    assert wl.due_queue(states, now) == ["gone", "c", "a", "b", "l"]  # no deck: every due state
    assert wl.due_queue(states, now, deck, learn_ahead=dt.timedelta(0))[:4] == ["c", "a", "b", "n1"]


def test_forecast_hand_worked():
    now = dt.datetime(2026, 3, 10, 22, 30, tzinfo=UTC)  # Tuesday, 22:30 UTC
    dues = [
        dt.datetime(2026, 3, 1, tzinfo=UTC),  # overdue: today
        dt.datetime(2026, 3, 10, 8, tzinfo=UTC),  # earlier today: today
        dt.datetime(2026, 3, 10, 23, 30, tzinfo=UTC),  # later today
        dt.datetime(2026, 3, 11, 1, tzinfo=UTC),  # tomorrow
        dt.datetime(2026, 3, 16, 12, tzinfo=UTC),  # day 6 (the last of 7)
        dt.datetime(2026, 3, 17, 12, tzinfo=UTC),  # day 7: outside the window
    ]
    states = [_state(d, last=dt.datetime(2026, 2, 1, tzinfo=UTC)) for d in dues]
    fc = wl.forecast(states, now)
    assert [d.count for d in fc] == [3, 1, 0, 0, 0, 0, 1]
    assert fc[0].day == dt.date(2026, 3, 10) and fc[-1].day == dt.date(2026, 3, 16)
    # in Tokyo (UTC+9) it is already Wednesday 07:30: the 23:30 and 01:00 UTC cards fall today there
    tokyo = wl.forecast(states, now, tz=ZoneInfo("Asia/Tokyo"))
    assert tokyo[0].day == dt.date(2026, 3, 11)
    assert [d.count for d in tokyo] == [4, 0, 0, 0, 0, 1, 1]
    assert [d.count for d in wl.forecast(states, now, days=1)] == [3]
    with pytest.raises(ValueError):
        wl.forecast(states, now, days=0)


def test_review_counts_hand_worked():
    now = dt.datetime(2026, 3, 11, 12, tzinfo=UTC)  # Wednesday
    times = [
        dt.datetime(2026, 3, 2, 9, tzinfo=UTC),  # Monday of the previous week: the first day
        dt.datetime(2026, 3, 2, 18, tzinfo=UTC),
        dt.datetime(2026, 3, 1, 23, tzinfo=UTC),  # Sunday before: outside
        dt.datetime(2026, 3, 11, 6, tzinfo=UTC),  # today
        dt.datetime(2026, 3, 12, 6, tzinfo=UTC),  # future (clock skew): outside
    ]
    counts = wl.review_counts(times, now, weeks=2, extra={dt.date(2026, 3, 4): 5, dt.date(2025, 1, 1): 9})
    assert [c.day for c in counts][:1] == [dt.date(2026, 3, 2)] and counts[-1].day == dt.date(2026, 3, 11)
    assert [c.count for c in counts] == [2, 0, 5, 0, 0, 0, 0, 0, 0, 1]
    assert wl.heatmap_start(dt.date(2026, 3, 11), 2) == dt.date(2026, 3, 2)
    # New York is UTC-5 until 8 March 2026, UTC-4 after: 03:00 UTC on the 11th is 23:00 on the 10th there,
    # and 04:30 UTC on the 2nd is 23:30 on Sunday the 1st (before the first day of the heatmap)
    late = [dt.datetime(2026, 3, 11, 3, tzinfo=UTC), dt.datetime(2026, 3, 2, 4, 30, tzinfo=UTC)]
    in_utc = wl.review_counts(late, now, weeks=2)
    ny = wl.review_counts(late, now, weeks=2, tz=ZoneInfo("America/New_York"))
    assert [c.count for c in in_utc] == [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [c.count for c in ny] == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0]
    with pytest.raises(ValueError):
        wl.review_counts(times, now, weeks=0)


def test_study_stats():
    deck = ["a", "b", "c", "n"]
    states = {"a": _state(at(-1)), "b": _state(at(3), "learning", last=at(0)),
              "c": CardState(phase="review", stability=40.0, difficulty=3.0, due=at(30), last_review=at(-10), reviews=6)}
    assert wl.study_stats(states, deck, at(0)) == wl.StudyStats(due=1, new=1, learning=1, review=2, mature=1)


# --------------------------------------------------------------------------- SM-2 mapping
def test_sm2_memory_state_hand_values():
    # S = interval when R = 0.9; D = 11 - (ease - 1) / (e^w8 * S^-w9 * (e^(0.1 w10) - 1)) with
    # w8 = 1.8722, w9 = 0.1666, w10 = 0.796: for ease 2.5, interval 6: 11 - 1.5 / 0.399723 = 7.24740
    s, d = sm2_fsrs.sm2_memory_state(2.5, 6)
    assert s == 6.0
    expected = 11 - 1.5 / (math.exp(1.8722) * 6 ** -0.1666 * math.expm1(0.1 * 0.796))
    assert d == cs.sig(expected) == 7.2474
    assert sm2_fsrs.sm2_memory_state(1.3, 20)[1] == 10.0  # clamped: FSRS cannot be that hard
    assert sm2_fsrs.sm2_memory_state(8.0, 1)[1] == 1.0  # clamped at the easy end


def test_an_sm2_card_graded_good_when_due_grows_by_its_ease():
    """The point of the difficulty formula: at R = 0.9 (reviewed on its due date), Good multiplies
    stability by the SM-2 ease, as SM-2 would have multiplied the interval."""
    for ease, interval in ((2.5, 6), (2.0, 15), (2.8, 40)):
        st_ = sm2_fsrs.from_sm2(repetitions=3, interval=interval, ease=ease, due=dt.date(2026, 2, 1) + dt.timedelta(days=interval),
                           last_review=dt.date(2026, 2, 1), reviews=3, lapses=0)
        after = sch.review_card(st_, "good", st_.due)
        assert after.stability / st_.stability == pytest.approx(ease, rel=2e-3), (ease, interval)


def test_from_sm2_cases():
    review = sm2_fsrs.from_sm2(repetitions=2, interval=6, ease=2.6, due=dt.date(2026, 1, 13), last_review=dt.date(2026, 1, 7),
                          reviews=3, lapses=1)
    assert (review.phase, review.step, review.stability, review.reviews, review.lapses) == ("review", None, 6.0, 3, 1)
    assert review.due == dt.datetime(2026, 1, 13, tzinfo=UTC) and review.last_review == dt.datetime(2026, 1, 7, tzinfo=UTC)
    failed = sm2_fsrs.from_sm2(repetitions=0, interval=1, ease=2.5, due=dt.date(2026, 1, 8), last_review=dt.date(2026, 1, 7),
                          reviews=4, lapses=2)
    assert (failed.phase, failed.step, failed.stability) == ("relearning", 0, 1.0)
    guessed = sm2_fsrs.from_sm2(repetitions=1, interval=1, ease=2.5, due=dt.date(2026, 1, 8), last_review=None, reviews=1, lapses=0)
    assert guessed.last_review == dt.datetime(2026, 1, 7, tzinfo=UTC)
    assert sm2_fsrs.from_sm2(repetitions=0, interval=0, ease=2.5, due=dt.date(2026, 1, 8), last_review=None, reviews=0, lapses=0) is None


# --------------------------------------------------------------------------- invariants
GRADE = st.sampled_from(cs.GRADES)
GAP = st.one_of(st.integers(0, 90), st.integers(0, 3 * 86_400), st.integers(0, 400 * 86_400))  # seconds


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(GRADE, GAP), min_size=1, max_size=40), st.sampled_from([0.7, 0.8, 0.9, 0.95, 0.97]),
       st.booleans())
def test_any_sequence_of_grades_keeps_the_invariants(steps, retention, fuzz):
    state, t, lapses = None, at(0), 0
    reviews = []
    for i, (grade, gap) in enumerate(steps):
        t = t + dt.timedelta(seconds=gap)
        before = state
        state = sch.review_card(state, grade, t, retention=retention, fuzz_key=f"k{i}" if fuzz else None)
        reviews.append((f"k{i}", t, cs.grade_value(grade), retention))
        lapses += int(before is not None and before.phase == "review" and grade == "again")
        assert state.last_review == t and state.due >= state.last_review
        assert state.due > t  # every grade schedules the card into the future
        assert 0 < state.stability <= cs.MAX_STABILITY
        assert sch.fsrs.scheduler.MIN_DIFFICULTY <= state.difficulty <= sch.fsrs.scheduler.MAX_DIFFICULTY
        assert (state.step is None) == (state.phase == "review")
        assert state.reviews == i + 1 and state.lapses == lapses
        assert (state.due - t).days <= cs.MAXIMUM_INTERVAL + 1
        assert 0.0 <= sch.retrievability(state, t + dt.timedelta(days=30)) <= 1.0
        assert CardState.model_validate_json(state.model_dump_json()) == state
    assert sch.replay(None, reviews, fuzz=fuzz) == state


def test_card_state_validation():
    good = dict(phase="review", stability=3.0, difficulty=5.0, due=at(3), last_review=at(0), reviews=1)
    assert CardState(**good).step is None
    for change, fragment in [
        ({"step": 1}, "step"),
        ({"phase": "learning"}, "step"),
        ({"due": at(-1)}, "due"),
        ({"difficulty": 11.0}, "difficulty"),
        ({"stability": 0.0}, "stability"),
        ({"reviews": 0}, "reviews"),
        ({"lapses": 2}, "lapses"),
        ({"extra": 1}, "extra"),
        # a review cannot lie after the last year the app schedules in (its due date may)
        ({"last_review": cs.LATEST + dt.timedelta(seconds=1), "due": cs.LATEST_DUE}, "last_review"),
        ({"due": cs.LATEST_DUE + dt.timedelta(seconds=1)}, "due"),
        ({"due": at(0) - dt.timedelta(seconds=1)}, "due must not be before"),  # compared as UTC wall clocks
        ({"due": at(0).replace(hour=23), "last_review": at(1).replace(hour=1)}, "due must not be before"),
    ]:
        with pytest.raises(ValueError, match=fragment):
            CardState(**{**good, **change})
    assert CardState(**{**good, "due": at(0)}).due == at(0)  # due at the review itself is allowed
    parsed = CardState.model_validate_json(CardState(**{**good, "due": at(0)}).model_dump_json())
    assert parsed.due.tzinfo is not parsed.last_review.tzinfo and parsed.due == parsed.last_review
    js = CardState(**good).model_dump_json()
    assert '"due":"2026-01-08T09:00:00Z"' in js
    for bad in (js.replace("Z", "+01:00", 1), js.replace("Z", "", 1)):
        with pytest.raises(ValueError):
            CardState.model_validate_json(bad)
    assert CardState.model_validate_json(js.replace("Z", "+00:00")) == CardState(**good)


def test_day_count_is_a_plain_value():
    assert DayCount(dt.date(2026, 1, 1), 3) == DayCount(dt.date(2026, 1, 1), 3)
    assert collections.Counter([DayCount(dt.date(2026, 1, 1), 3)] * 2)[DayCount(dt.date(2026, 1, 1), 3)] == 2
