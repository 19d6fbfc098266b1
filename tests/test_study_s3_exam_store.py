"""Exam dates in the learner's store (#24 item 7): optional, validated, recovered record by record, merged."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from explorer.study import store as S

NOW = dt.datetime(2026, 12, 6, 8, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(hours=1)


def _with_exams() -> S.Store:
    s = S.set_exam(S.empty(), "folder:Week 2", dt.date(2026, 12, 20), NOW)
    return S.set_exam(s, "deck:glossary", dt.date(2026, 12, 10), NOW)


def test_an_old_store_without_exams_loads_and_dumps_unchanged():
    old = S.dump(S.empty())
    assert "exams" not in old
    result = S.load(old)
    assert result.status == "loaded"
    assert S.exam_dates(result.store) == {}
    assert S.dump(result.store) == old


def test_exam_dates_round_trip_through_the_text():
    s = _with_exams()
    result = S.load(S.dump(s))
    assert result.status == "loaded"
    assert result.store == s
    assert S.exam_dates(result.store) == {"deck:glossary": dt.date(2026, 12, 10), "folder:Week 2": dt.date(2026, 12, 20)}
    exported = S.load(S.export_text(s))
    assert S.exam_dates(exported.store) == S.exam_dates(s)


@pytest.mark.parametrize("day, words", [
    (dt.date(2026, 12, 5), "in the past"),
    (dt.date(2031, 1, 1), "more than three years away"),
])
def test_past_and_absurd_dates_are_refused_with_a_message(day, words):
    with pytest.raises(S.StoreError, match=words):
        S.set_exam(S.empty(), "folder:Week 2", day, NOW)


def test_the_learners_today_decides_what_is_past():
    # 08:00 UTC on the 6th is still the 5th somewhere west: the 5th is not past there
    s = S.set_exam(S.empty(), "deck:notes", dt.date(2026, 12, 5), NOW, today=dt.date(2026, 12, 5))
    assert S.exam_dates(s) == {"deck:notes": dt.date(2026, 12, 5)}


@pytest.mark.parametrize("scope, day", [
    ("week 2", dt.date(2026, 12, 20)),  # neither deck: nor folder:
    ("folder:", dt.date(2026, 12, 20)),
    ("folder:\x00", dt.date(2026, 12, 20)),
    ("folder:Week 2", "2026-12-20"),  # text, not a date
    ("folder:Week 2", dt.datetime(2026, 12, 20, tzinfo=dt.UTC)),
])
def test_bad_scopes_and_values_are_refused(scope, day):
    with pytest.raises(S.StoreError):
        S.set_exam(S.empty(), scope, day, NOW)


def test_clearing_leaves_a_dated_removal_that_wins_a_merge_with_an_older_tab():
    s = _with_exams()
    cleared = S.clear_exam(s, "deck:glossary", LATER)
    assert S.exam_dates(cleared) == {"folder:Week 2": dt.date(2026, 12, 20)}
    for merged in (S.merge(s, cleared), S.merge(cleared, s)):
        assert S.exam_dates(merged) == {"folder:Week 2": dt.date(2026, 12, 20)}
    assert S.load(S.dump(cleared)).store == cleared


def test_the_latest_change_of_a_scope_wins_a_merge():
    a = S.set_exam(S.empty(), "folder:Week 2", dt.date(2026, 12, 20), NOW)
    b = S.set_exam(S.empty(), "folder:Week 2", dt.date(2026, 12, 24), LATER)
    assert S.exam_dates(S.merge(a, b)) == S.exam_dates(S.merge(b, a)) == {"folder:Week 2": dt.date(2026, 12, 24)}
    assert S.merge(a, S.empty()).exams == a.exams
    assert S.merge(S.empty(), S.empty()).exams is None  # a store without exams keeps its text


def test_a_damaged_exam_date_costs_that_record_alone():
    data = json.loads(S.dump(S.review(_with_exams(), "term-def:x", "good", NOW, review_id="r1")))
    data["exams"]["folder:Week 2"] = ["2026-12-06T08:00:00Z", "3026-01-01"]  # absurd year
    data["exams"]["deck:x"] = ["not a time"]
    result = S.load(json.dumps(data))
    assert result.status == "recovered"
    assert "exam date “folder:Week 2”" in result.notices[0] and "exam date “deck:x”" in result.notices[0]
    assert S.exam_dates(result.store) == {"deck:glossary": dt.date(2026, 12, 10)}
    assert "term-def:x" in result.store.cards  # the rest is kept


def test_exams_of_the_wrong_type_are_left_out_whole_and_the_rest_kept():
    data = json.loads(S.dump(S.review(_with_exams(), "term-def:x", "good", NOW, review_id="r1")))
    data["exams"] = [1, 2]
    result = S.load(json.dumps(data))
    assert result.status == "recovered"
    assert "exam dates (all of them" in result.notices[0]
    assert result.store.exams is None and "term-def:x" in result.store.cards


def test_a_field_unknown_inside_an_exam_record_is_not_taken_for_damage():
    data = json.loads(S.dump(_with_exams()))
    data["exams"]["deck:glossary"] = ["2026-12-06T08:00:00Z", "2026-12-10", "extra"]
    result = S.load(json.dumps(data))
    assert result.status == "recovered"  # a tuple is positional: its length is checked, the record is left out
    assert "deck:glossary" not in S.exam_dates(result.store)


def test_the_number_of_exam_dates_is_bounded(monkeypatch):
    from explorer.study import store_model as M

    monkeypatch.setattr(M, "MAX_EXAMS", 2)
    s = _with_exams()
    with pytest.raises(S.StoreError, match="at most 2 exam dates"):
        S.set_exam(s, "folder:Week 3", dt.date(2026, 12, 21), NOW)
    s = S.clear_exam(s, "deck:glossary", LATER)  # a removal makes room
    s = S.set_exam(s, "folder:Week 3", dt.date(2026, 12, 21), LATER)
    assert S.exam_dates(s) == {"folder:Week 2": dt.date(2026, 12, 20), "folder:Week 3": dt.date(2026, 12, 21)}


def test_is_empty_counts_exam_dates():
    assert S.is_empty(S.empty())
    assert not S.is_empty(S.set_exam(S.empty(), "deck:notes", dt.date(2026, 12, 20), NOW))
