"""A damaged progress value costs only the damaged record (issue #20, "recover, never overwrite").

Each kind of damage found in the field is applied to a store holding every kind of record; the load
must keep every other record exactly, leave out (or recompute) only the damaged one, and name it in a
notice; or, for a value written by a newer version (unknown fields), leave it untouched.  Then a
property over random single-field damage, and mark_many (bulk marking within the caps)."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.study import store as S
from explorer.study import store_model

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(days: float = 0, minutes: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(days=days, minutes=minutes)


def rich() -> S.Store:
    """Every kind of record, two of each where it matters."""
    s = S.empty()
    for i, card in enumerate(("term-def:ci", "rung-next:azure-2", "trend:edge-ml")):
        s = S.review(s, card, "good", at(i), review_id=f"{card[:4]}1")
        s = S.review(s, card, "hard" if i else "good", at(i + 2), review_id=f"{card[:4]}2")
    for sec in ("what-kaizen-means", "sources", "pdca"):
        s = S.mark_read(s, "kaizen", sec, True, at(0))
    s = S.mark_read(s, "kaizen", "pdca", False, at(1))  # an un-mark record
    s = S.mark_read(s, "upload-mine", "mine", True, at(1))
    s = S.record_quiz(s, score=3, total=5, seed=9, now=at(1), wrong=["term-def:ci"], quiz_id="q1")
    s = S.record_quiz(s, score=5, total=5, seed=10, now=at(2), quiz_id="q2")
    s = S.add_assessment_result(s, "v1.0123x.ab12", at(1), "before the course", result_id="a1")
    s = S.add_assessment_result(s, "v1.3210x.ba21", at(3), "after", result_id="a2")
    s = S.add_note(s, "upload-mine", "mine.md", 1234, at(1))
    s = S.add_note(s, "upload-other", "other.md", 99, at(1))
    s = S.set_setting(s, "desired_retention", 0.85, at(1))
    s = S.set_setting(s, "new_per_day", 7, at(1))
    return s


RICH = rich()
TEXT = S.dump(RICH)


def damaged(change) -> str:
    doc = json.loads(TEXT)
    change(doc)
    return json.dumps(doc)


def without(store: S.Store, section: str, key, sub=None) -> S.Store:
    """``store`` with one record taken out (what a correct recovery must give back)."""
    if section in ("quizzes", "assessments"):
        return store.model_copy(update={section: tuple(x for x in getattr(store, section) if x.id != key)})
    if section == "reading":
        reading = {n: dict(m) for n, m in store.reading.items()}
        del reading[key][sub]
        return store.model_copy(update={"reading": {n: m for n, m in reading.items() if m}})
    return store.model_copy(update={section: {k: v for k, v in getattr(store, section).items() if k != key}})


def without_review(store: S.Store, card: str, review_id: str) -> S.Store:
    rec = store.cards[card]
    fixed = S.record_from_reviews([r for r in rec.log if r[0] != review_id])
    return store.model_copy(update={"cards": {**store.cards, card: fixed}})


def recovered(text: str, *names: str) -> S.LoadResult:
    res = S.load(text)
    assert res.status == "recovered", res.notices
    assert res.ok and res.can_overwrite and res.needs_backup
    joined = " ".join(res.notices)
    for name in names:
        assert name in joined, (name, res.notices)
    again = S.load(S.dump(res.store))  # what is kept is valid as it is: saved again, it loads clean
    assert again.status == "loaded" and again.notices == () and again.store == res.store
    return res


# --------------------------------------------------------------------------- the fourteen kinds of damage
def test_1_one_card_due_in_1969_is_recomputed_from_its_log_and_nothing_is_lost():
    text = damaged(lambda d: d["cards"]["term-def:ci"]["state"].update(due="1969-07-20T20:17:00Z"))
    res = recovered(text, "card “term-def:ci” was invalid (due: ", "recomputed from its 2 review(s)")
    assert res.store == RICH and res.dropped == ()


def test_2_a_review_dated_2300_costs_that_review_alone():
    text = damaged(lambda d: d["cards"]["rung-next:azure-2"]["log"][1].__setitem__(1, "2300-01-01T00:00:00Z"))
    res = recovered(text, "card “rung-next:azure-2”, its review “rung2” (time: ")
    assert res.store == without_review(RICH, "rung-next:azure-2", "rung2")
    assert res.store.cards["rung-next:azure-2"].state.reviews == 1
    assert ("cards", "rung-next:azure-2/rung2") in res.dropped


def test_3_json_cut_short_keeps_nothing_but_asks_for_a_backup():
    res = S.load(TEXT[: len(TEXT) // 2])
    assert (res.status, res.ok, res.can_overwrite, res.needs_backup) == ("corrupt", False, True, True)
    assert res.store == S.empty() and "cut off" in res.notices[0]


@pytest.mark.parametrize("change, where", [
    (lambda d: d.update(streak=12), "(streak)"),
    (lambda d: d["cards"]["term-def:ci"].update(flag="leech"), "(cards.term-def:ci.flag)"),
    (lambda d: d["cards"]["term-def:ci"]["state"].update(stage=2), "(cards.term-def:ci.state.stage)"),
    (lambda d: d["notes"]["upload-mine"].update(pinned=True), "(notes.upload-mine.pinned)"),
    (lambda d: d["settings"].update(theme=["2026-03-02T09:00:00Z", 1]), "(settings.theme)"),
])
def test_4_5_unknown_fields_mean_a_newer_writer_and_the_value_is_left_untouched(change, where):
    """An unknown top-level key (4) or an unknown field in one card (5), or in any record: nothing of it is
    read (a newer version wrote it; this one would drop what it does not know) and it must not be overwritten."""
    res = S.load(damaged(change))
    assert (res.status, res.ok, res.can_overwrite) == ("future", False, False)
    assert res.store == S.empty() and where in res.notices[0] and "newer version" in res.notices[0]


def test_6_a_mark_of_the_wrong_type_costs_that_mark_alone():
    text = damaged(lambda d: d["reading"]["kaizen"]["sources"].__setitem__(1, "yes"))
    res = recovered(text, "reading mark “kaizen” › “sources” (read: ")
    assert res.store == without(RICH, "reading", "kaizen", "sources")
    assert res.dropped == (("reading", "kaizen/sources"),)


def test_7_a_duplicate_review_id_keeps_one_of_the_two():
    def dup(d):
        log = d["cards"]["trend:edge-ml"]["log"]
        log[1][0] = log[0][0]  # both reviews now carry the id "tren1"
    res = recovered(damaged(dup), "repeated review id", "“trend:edge-ml”")
    rec = res.store.cards["trend:edge-ml"]
    assert [r[0] for r in rec.log] == ["tren1"] and rec.state.reviews == 1
    assert res.store == RICH.model_copy(update={"cards": {**RICH.cards, "trend:edge-ml": rec}})


def test_8_a_negative_grade_costs_that_review_alone():
    text = damaged(lambda d: d["cards"]["term-def:ci"]["log"][0].__setitem__(2, -1))
    res = recovered(text, "card “term-def:ci”, its review “term1” (grade: ")
    assert res.store == without_review(RICH, "term-def:ci", "term1")


def test_9_a_note_listing_with_a_bad_size_costs_that_listing_alone():
    text = damaged(lambda d: d["notes"]["upload-mine"].update(size=-5))
    res = recovered(text, "uploaded note listing “upload-mine” (size: ")
    assert res.store == without(RICH, "notes", "upload-mine")
    assert ("notes", "upload-mine") in res.dropped  # ui.progress lists it again from the text IndexedDB holds


def test_10_a_setting_out_of_range_falls_back_to_its_default():
    text = damaged(lambda d: d["settings"]["new_per_day"].__setitem__(1, 100_000))
    res = recovered(text, "setting “new_per_day” (new_per_day must be an integer from 0 to 500, got 100000)")
    assert res.store == without(RICH, "settings", "new_per_day") and S.setting(res.store, "new_per_day") == 20


def test_11_a_bad_quiz_result_costs_that_result_alone():
    text = damaged(lambda d: d["quizzes"][0].update(score=9))
    res = recovered(text, "quiz result “q1” (score cannot exceed total)")
    assert res.store == without(RICH, "quizzes", "q1")


def test_12_an_invalid_assessment_code_costs_that_result_alone():
    text = damaged(lambda d: d["assessments"][1].update(code="<script>"))
    res = recovered(text, "assessment result “a2” (code: must be a share code")
    assert res.store == without(RICH, "assessments", "a2")


@pytest.mark.parametrize("change, name, section, key, sub", [
    (lambda d: d["assessments"][0].update(label="x" * 1_000_000), "assessment result “a1” (label: ", "assessments", "a1", None),
    (lambda d: d["notes"]["upload-other"].update(name="n" * 1_000_000), "uploaded note listing “upload-other” (name: ",
     "notes", "upload-other", None),
    (lambda d: d["reading"]["kaizen"].update({"s" * 1_000_000: ["2026-03-02T09:00:00Z", True]}), "its name: must be 1 to 200",
     None, None, None),
])
def test_13_a_huge_string_costs_its_record_alone_and_the_notice_stays_short(change, name, section, key, sub):
    res = recovered(damaged(change), name)
    assert res.store == (RICH if section is None else without(RICH, section, key, sub))
    assert all(len(n) < 2000 for n in res.notices)


@pytest.mark.parametrize("change, name, expected", [
    (lambda d: d["cards"].update({"trend:edge-ml": 5}), "card “trend:edge-ml” (Input should be a valid dictionary",
     lambda: without(RICH, "cards", "trend:edge-ml")),
    (lambda d: d["quizzes"].__setitem__(1, ["q2"]), "quiz result number 2 (", lambda: without(RICH, "quizzes", "q2")),
    (lambda d: d["reading"].update(kaizen=[1, 2]), "reading mark “kaizen” (",
     lambda: RICH.model_copy(update={"reading": {"upload-mine": RICH.reading["upload-mine"]}})),
    (lambda d: d.update(notes="all my notes"), "uploaded note listings (all of them: ",
     lambda: RICH.model_copy(update={"notes": {}})),
])
def test_14_a_non_object_where_an_object_belongs_costs_that_record_or_section_alone(change, name, expected):
    res = recovered(damaged(change), name)
    assert res.store == expected()


def test_several_damages_at_once_each_cost_only_their_record():
    def many(d):
        d["cards"]["term-def:ci"]["state"]["due"] = "1969-07-20T20:17:00Z"
        d["reading"]["kaizen"]["sources"][1] = "yes"
        d["quizzes"][0]["score"] = 9
        d["settings"]["new_per_day"][1] = -1
        d["notes"]["upload-other"]["size"] = "big"
        d["forgotten_at"] = "yesterday"
    res = recovered(damaged(many), "“kaizen” › “sources”", "“q1”", "“new_per_day”", "“upload-other”",
                    "date of “Forget this browser”", "card “term-def:ci” was invalid")
    want = without(without(without(without(RICH, "reading", "kaizen", "sources"), "quizzes", "q1"), "settings",
                           "new_per_day"), "notes", "upload-other")
    assert res.store == want


def test_a_card_with_an_invalid_schedule_and_no_review_to_recompute_it_from_is_left_out():
    doc = json.loads(TEXT)
    state = doc["cards"]["term-def:ci"]["state"]
    doc["cards"]["sm2-card"] = {"state": {**state, "due": "1969-01-01T00:00:00Z"}, "base_id": "sm2"}
    res = recovered(json.dumps(doc), "card “sm2-card” (state.due: ")
    assert res.store == RICH
    # a schedule and every review invalid: nothing to recompute it from
    doc = json.loads(TEXT)
    doc["cards"]["term-def:ci"]["state"]["due"] = "1969-01-01T00:00:00Z"
    for entry in doc["cards"]["term-def:ci"]["log"]:
        entry[2] = 9
    res = recovered(json.dumps(doc), "card “term-def:ci” (due: ", "no valid reviews to recompute it from")
    assert res.store == without(RICH, "cards", "term-def:ci")


def test_recovering_a_large_store_is_a_few_passes_not_one_per_record(monkeypatch):
    """Every record that fails is taken out in the same pass: 2,000 damaged marks cost two validations."""
    s = RICH
    marks = {f"s{i}": S.Mark(at(0), True) for i in range(4000)}
    s = s.model_copy(update={"reading": {**s.reading, "big": marks}})
    doc = json.loads(S.dump(s))
    for i in range(0, 4000, 2):
        doc["reading"]["big"][f"s{i}"][1] = "no"
    calls = []
    real = S.Store.model_validate
    monkeypatch.setattr(S.Store, "model_validate", lambda v: (calls.append(1), real(v))[1])
    res = S.load(json.dumps(doc))
    assert res.status == "recovered" and len(res.store.reading["big"]) == 2000 and len(calls) <= 3
    assert "and 1992 more" in res.notices[0] and len(res.notices[0]) < 2000


# --------------------------------------------------------------------------- any single damage costs only its record
def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _record_of(doc: dict, path: tuple):
    """(section, record key) a changed path belongs to: a mark is (reading, note/section), a review its card."""
    if path[0] == "reading" and len(path) >= 3:
        return ("reading", f"{path[1]}/{path[2]}")
    if path[0] in ("quizzes", "assessments"):
        return (path[0], doc[path[0]][path[1]].get("id") if isinstance(doc[path[0]][path[1]], dict) else None)
    return (path[0], path[1])


def _records(store: S.Store) -> dict:
    out = {}
    for note, marks in store.reading.items():
        for sec, m in marks.items():
            out[("reading", f"{note}/{sec}")] = m
    for section in ("cards", "folded", "notes", "settings"):
        for k, v in getattr(store, section).items():
            out[(section, str(k))] = v
    for section in ("quizzes", "assessments"):
        for x in getattr(store, section):
            out[(section, x.id)] = x
    return out


LEAVES = [p for p in _paths(json.loads(TEXT)) if len(p) >= 2 and p[0] not in ("format", "version")]


@settings(max_examples=250, deadline=None)
@given(st.sampled_from(LEAVES), st.sampled_from([None, True, -1, 0, 1e308, 2**70, "", "x" * 300, "1969-01-01T00:00:00Z",
                                                 "2300-01-01T00:00:00Z", [], {}, [1, 2], {"a": 1}]))
def test_any_single_damage_costs_only_the_record_it_is_in(path, value):
    doc = json.loads(TEXT)
    original = copy.deepcopy(doc)
    target = doc
    for p in path[:-1]:
        target = target[p]
    target[path[-1]] = value
    res = S.load(json.dumps(doc))
    assert res.status in ("loaded", "recovered", "future"), res.notices
    if res.status == "future":
        assert res.store == S.empty() and not res.can_overwrite
        return
    hit = _record_of(original, path)
    before, after = _records(RICH), _records(res.store)
    for key, record in before.items():
        if key == hit or (hit[0] == "reading" and "/" not in hit[1] and key[0] == "reading"
                          and key[1].startswith(f"{hit[1]}/")):
            continue  # the damaged record (or the damaged note's marks): left out or recomputed
        if hit[0] in ("quizzes", "assessments") and key[0] == hit[0] and isinstance(value, str) and key[1] == value:
            continue  # the damage gave the entry another entry's id: one of the two is kept
        assert after.get(key) == record, (path, value, key, res.notices)
    if res.status == "recovered":
        assert res.notices and res.needs_backup


# --------------------------------------------------------------------------- bulk marking
def test_mark_many_marks_a_whole_note_in_one_pass_within_the_caps():
    ids = [f"h{i:05d}" for i in range(8000)]
    s, cut = S.mark_many(S.empty(), "upload-big", ids, True, at(0))
    assert cut == 8000 - S.MAX_SECTIONS_PER_NOTE
    assert set(s.reading["upload-big"]) == set(ids[: S.MAX_SECTIONS_PER_NOTE])  # the first ones, in the order given
    assert S.load(S.dump(s)).store == s
    again, cut2 = S.mark_many(s, "upload-big", ids, True, at(1))  # nothing more fits; nothing kept is dropped
    assert again is s and cut2 == 8000 - S.MAX_SECTIONS_PER_NOTE
    off, cut3 = S.mark_many(s, "upload-big", ids, False, at(2))
    assert cut3 == 0 and not S.sections_read(off) and len(off.reading["upload-big"]) == S.MAX_SECTIONS_PER_NOTE


def test_mark_many_matches_marking_one_by_one_below_the_caps():
    s = S.mark_read(S.empty(), "n", "b", True, at(0))
    s = S.mark_read(s, "n", "c", False, at(0))
    one = s
    for sec in ("a", "b", "c", "d", "a"):
        one = S.mark_read(one, "n", sec, True, at(1))
    many, cut = S.mark_many(s, "n", ["a", "b", "c", "d", "a"], True, at(1))
    assert cut == 0 and many == one and S.dump(many) == S.dump(one)
    assert S.mark_many(s, "n", [], True, at(1)) == (s, 0)
    with pytest.raises(S.StoreError, match="section id"):
        S.mark_many(s, "n", ["ok", ""], True, at(1))


def test_mark_many_uses_this_notes_unmark_records_for_room_but_never_other_notes_marks(monkeypatch):
    monkeypatch.setattr(store_model, "MAX_SECTIONS_PER_NOTE", 4)
    monkeypatch.setattr(store_model, "MAX_MARKS", 6)
    s, _ = S.mark_many(S.empty(), "other", ["o1", "o2"], True, at(0))
    s, _ = S.mark_many(s, "n", ["x", "y"], True, at(0))
    s, _ = S.mark_many(s, "n", ["x", "y"], False, at(1))  # two un-mark records in n
    s2, cut = S.mark_many(s, "n", ["a", "b", "c", "d", "e"], True, at(2))
    assert sorted(s2.reading["n"]) == ["a", "b", "c", "d"] and cut == 1  # x and y made room; e did not fit
    assert s2.reading["other"] == s.reading["other"]
    s3, cut = S.mark_many(s2, "third", ["t1", "t2", "t3"], True, at(3))
    assert cut == 3 and "third" not in s3.reading  # the store is full: nothing of another note is dropped


def test_an_import_that_reaches_a_cap_says_how_much_it_left_out(monkeypatch):
    monkeypatch.setattr(store_model, "MAX_MARKS", 8)
    monkeypatch.setattr(store_model, "MAX_QUIZZES", 3)
    here, _ = S.mark_many(S.empty(), "n1", [f"s{i}" for i in range(6)], True, at(0))
    there, _ = S.mark_many(S.empty(), "n2", [f"t{i}" for i in range(6)], True, at(1))
    for i in range(2):
        here = S.record_quiz(here, score=1, total=1, now=at(i), quiz_id=f"h{i}")
        there = S.record_quiz(there, score=1, total=1, now=at(2 + i), quiz_id=f"t{i}")
    merged = S.import_merge(here, there)
    assert sum(len(m) for m in merged.reading.values()) == 8 and len(merged.quizzes) == 3
    assert S.merge_cuts(here, there, merged) == {"reading marks": 4, "quiz results": 1}
    assert S.merge_cuts(here, here, S.import_merge(here, here)) == {}
