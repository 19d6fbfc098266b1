"""The browser-kept store (explorer.study.store): schema, load/dump, SM-2 migration, merge, mutations, size budget."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.study import card_state as cs
from explorer.study import scheduling as sch
from explorer.study import sm2_fsrs, store_cards, store_load, store_model
from explorer.study import store as S

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
SM2_FILE = Path(__file__).parent / "data" / "sm2_progress_v1.json"


def at(days: float = 0, minutes: float = 0, seconds: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(days=days, minutes=minutes, seconds=seconds)


def sample() -> S.Store:
    s = S.empty()
    s = S.review(s, "term-def:ci", "good", at(0), review_id="r1")
    s = S.review(s, "term-def:ci", "good", at(0, 10), review_id="r2")
    s = S.review(s, "rung-next:azure-2", "again", at(0, 1), review_id="r3")
    s = S.mark_read(s, "kaizen", "what", True, at(0))
    s = S.mark_read(s, "upload-日本", "日本語", True, at(0, 2))
    s = S.record_quiz(s, score=3, total=5, seed=9, now=at(1), wrong=["term-def:ci"], quiz_id="q1")
    s = S.add_assessment_result(s, "v1.0123x.ab12", at(1), "before the course", result_id="a1")
    s = S.add_note(s, "upload-week1", "week 1.md", 1234, at(1))
    return S.set_setting(s, "desired_retention", 0.85, at(1))


def replayed(rec: S.CardRecord) -> cs.CardState | None:
    return sch.replay(rec.base_state if rec.base_id is not None and rec.log else None, rec.log) if rec.log else rec.state


def assert_consistent(store: S.Store) -> None:
    """Every card's state is exactly the replay of its log from its base (the full, slow check)."""
    for cid, rec in store.cards.items():
        assert store_cards.record_problem(rec) is None, (cid, store_cards.record_problem(rec))
        assert replayed(rec) == rec.state, cid


# --------------------------------------------------------------------------- schema, dump, load
def test_empty_store_round_trip_and_compact_text():
    text = S.dump(S.empty())
    assert text == ('{"format":"mlops-explorer-store","version":2,"reading":{},"cards":{},"folded":{},'
                    '"quizzes":[],"assessments":[],"notes":{},"settings":{}}')
    res = S.load(text)
    assert (res.status, res.notices, res.ok, res.can_overwrite) == ("loaded", (), True, True)
    assert res.store == S.empty()


def test_dump_is_deterministic_and_load_round_trips():
    s = sample()
    text = S.dump(s)
    assert " " not in text.replace("week 1.md", "").replace("before the course", "")  # compact separators
    back = S.load(text)
    assert back.status == "loaded" and back.notices == () and back.store == s
    assert S.dump(back.store) == text
    data = json.loads(text)
    card = data["cards"]["term-def:ci"]
    assert card["log"] == [["r1", "2026-03-02T09:00:00Z", 3, 0.9], ["r2", "2026-03-02T09:10:00Z", 3, 0.9]]
    assert card["state"]["phase"] == "review" and "step" not in card["state"]  # None is left out
    assert data["reading"]["kaizen"]["what"] == ["2026-03-02T09:00:00Z", True]
    assert data["settings"] == {"desired_retention": ["2026-03-03T09:00:00Z", 0.85]}


def test_exported_file_loads_and_imports():
    s = sample()
    text = S.export_text(s)
    assert text.startswith('{\n "format": "mlops-explorer-store"') and "日本語" in text
    res = S.load(text.encode("utf-8"))
    assert res.status == "loaded" and res.store == s
    other = S.review(S.empty(), "elsewhere", "good", at(5), review_id="e1")
    merged = S.import_merge(other, res.store)
    assert set(merged.cards) == {"elsewhere", "term-def:ci", "rung-next:azure-2"}


def test_key_order_in_the_text_does_not_matter():
    s = sample()
    data = json.loads(S.dump(s))
    shuffled = {k: (dict(reversed(list(v.items()))) if isinstance(v, dict) else v) for k, v in reversed(list(data.items()))}
    shuffled["reading"] = {n: dict(reversed(list(secs.items()))) for n, secs in shuffled["reading"].items()}
    res = S.load(json.dumps(shuffled, ensure_ascii=False, indent=1))
    assert res.status == "loaded" and res.store == s and S.dump(res.store) == S.dump(s)


@pytest.mark.parametrize(
    "value, status, fragment",
    [
        (None, "empty", None),
        ("", "empty", None),
        ("  \n", "empty", None),
        ("{not json", "corrupt", "not valid JSON"),
        ('{"format": "mlops-explorer-store", "version": 2, "cards": {', "corrupt", "cut off"),
        (b"\xff\xfe\x00", "corrupt", "not UTF-8"),
        ("[1, 2]", "foreign", "a JSON list"),
        ("null", "foreign", "a JSON null"),
        ('"hello"', "foreign", "a JSON str"),
        ('{"theme": "dark"}', "foreign", "not this app's data"),
        ("{}", "foreign", "not this app's data"),
        ('{"format": "mlops-explorer-store", "version": 3}', "future", "newer version"),
        ('{"format": "mlops-explorer-store", "version": 2, "extra": 1}', "future", "does not know (extra)"),
        ('{"format": "mlops-explorer-store", "version": 1}', "corrupt", "version"),
        ('{"format": "mlops-explorer-store", "version": "2"}', "corrupt", "version"),
        ('{"format": "mlops-explorer-progress", "version": 1, "cards": {"c": {"due": "2026-01-01"}}, "extra": 1}',
         "corrupt", "SM-2"),
        ('{"format": "mlops-explorer-progress", "version": 1, "cards": []}', "corrupt", "SM-2"),
        ("[" * 100_000 + "]" * 100_000, "corrupt", "ignored"),
        ('{"format": "mlops-explorer-store", "version": 2, "folded": {"2026-01-01": 1' + "0" * 5000 + "}}", "corrupt",
         "ignored"),
    ],
)
def test_bad_values_are_refused_with_a_notice(value, status, fragment):
    res = S.load(value)
    assert res.status == status, res
    assert res.store == S.empty()
    if fragment is None:
        assert res.notices == ()
    else:
        assert len(res.notices) == 1 and fragment in res.notices[0], res.notices
    assert res.ok == (status == "empty")
    assert res.can_overwrite == (status != "future")
    assert res.needs_backup == (status in ("corrupt", "foreign", "too-large"))


@pytest.mark.parametrize(
    "value, fragment",
    [
        ('{"format": "mlops-explorer-store", "version": 2, "cards": []}', "cards (all of them: Input should be a valid dictionary)"),
        ('{"format": "mlops-explorer-store", "version": 2, "settings": {"desired_retention": ["2026-01-01T00:00:00Z", 2.0]}}',
         "setting “desired_retention” (desired retention must be between 0.70 and 0.97, got 2)"),
        ('{"format": "mlops-explorer-store", "version": 2, "reading": {"n": {"s": ["2026-01-01T00:00:00", true]}}}',
         "reading mark “n” › “s” (time: "),
        ('{"format": "mlops-explorer-store", "version": 2, "reading": {"n": {"a\\u0000b": ["2026-01-01T00:00:00Z", true]}}}',
         "reading mark “n” › “a?b” (its name: must be 1 to 200 characters without control characters)"),
    ],
)
def test_an_invalid_record_is_left_out_and_named(value, fragment):
    """The rest of such a value is kept (tests/test_store_recovery.py has every kind of damage)."""
    res = S.load(value)
    assert (res.status, res.ok, res.can_overwrite, res.needs_backup) == ("recovered", True, True, True)
    assert res.store == S.empty() and len(res.notices) == 1 and fragment in res.notices[0], res.notices


def test_oversized_value_is_refused_before_parsing(monkeypatch):
    big = '{"format": "mlops-explorer-store", "version": 2, "pad": "' + "x" * S.MAX_LOAD_BYTES + '"}'
    res = S.load(big)
    assert res.status == "too-large" and "MB" in res.notices[0]
    monkeypatch.setattr(store_load, "MAX_LOAD_BYTES", 100)
    assert S.load(S.dump(sample())).status == "too-large"
    assert S.load(S.dump(sample()).encode()).status == "too-large"


def test_load_leaves_the_garbage_collector_alone(monkeypatch):
    """A pure module never changes the process-wide collector setting (other sessions' threads share it)."""
    import gc

    seen = []
    real = store_load._load
    monkeypatch.setattr(store_load, "_load", lambda text: (seen.append(gc.isenabled()), real(text))[1])
    was = gc.isenabled()
    try:
        gc.enable()
        assert S.load(S.dump(sample())).store == sample() and gc.isenabled()
        gc.disable()
        S.load(S.dump(sample()))
        assert not gc.isenabled()
    finally:
        (gc.enable if was else gc.disable)()
    assert seen == [True, False]


def test_bytes_and_byte_order_mark():
    text = S.dump(sample())
    assert S.load(text.encode("utf-8")).store == sample()
    assert S.load(b"\xef\xbb\xbf" + text.encode("utf-8")).store == sample()
    assert S.load("\ufeff" + text).store == sample()


def test_every_loaded_log_can_be_replayed():
    """A review time after 2200 is refused at load (due dates may reach past it, review times not), so
    merge() can always replay what load() accepted; counters stop at their bound instead of failing."""
    data = json.loads(S.dump(sample()))
    log = data["cards"]["term-def:ci"]["log"]
    log.insert(0, ["future", "2250-01-01T00:00:00Z", 3, 0.9])  # first: the cheap order-free checks would miss it
    res = S.load(json.dumps(data))
    assert res.status == "recovered" and "card “term-def:ci”, its review “future” (time: " in res.notices[0]
    assert [r[0] for r in res.store.cards["term-def:ci"].log] == ["r1", "r2"]  # the rest of its log is kept
    assert res.store.cards["term-def:ci"] == sample().cards["term-def:ci"]
    near = cs.CardState(phase="review", stability=3.0, difficulty=5.0, due=at(3), last_review=at(0),
                         reviews=cs.MAX_COUNT, lapses=3)
    assert sch.review_card(near, "again", at(3)).reviews == cs.MAX_COUNT


@pytest.mark.parametrize("shift", [dt.timedelta(seconds=1), dt.timedelta(days=1), dt.timedelta(days=-1, seconds=1)])
def test_a_log_whose_last_time_differs_from_the_state_by_a_second_or_a_day_is_recomputed(shift):
    """The load compares the state's last review with the log's last time as UTC wall clocks (day number
    and time of day, not an aware comparison): any difference of date or time still counts."""
    s = sample()
    data = json.loads(S.dump(s))
    rec = data["cards"]["term-def:ci"]
    last = dt.datetime.fromisoformat(rec["log"][-1][1].replace("Z", "+00:00"))
    rec["log"][-1][1] = (last + shift).isoformat().replace("+00:00", "Z")
    res = S.load(json.dumps(data))
    assert res.status == "recovered" and len(res.notices) == 1 and "recomputed" in res.notices[0], res.notices
    fixed = res.store.cards["term-def:ci"]
    assert fixed.state.last_review == fixed.log[-1][1] == max(last + shift, *(r[1] for r in s.cards["term-def:ci"].log[:-1]))


def test_a_state_that_does_not_match_its_log_is_recomputed():
    s = sample()
    data = json.loads(S.dump(s))
    data["cards"]["term-def:ci"]["state"]["reviews"] = 7  # hand-edited
    data["cards"]["rung-next:azure-2"]["log"] = []  # a card left without any review
    data["cards"]["x"] = {"state": data["cards"]["term-def:ci"]["state"],
                          "log": [["b", "2026-03-02T09:10:00Z", 3, 0.9], ["a", "2026-03-02T09:00:00Z", 3, 0.9]]}
    res = S.load(json.dumps(data))
    assert res.status == "recovered" and res.needs_backup and len(res.notices) == 2, res.notices
    assert "recomputed" in res.notices[0] and "start again as new" in res.notices[1]
    assert res.store.cards["term-def:ci"] == s.cards["term-def:ci"]
    assert "rung-next:azure-2" not in res.store.cards
    assert [r[0] for r in res.store.cards["x"].log] == ["a", "b"]  # sorted back into time order
    assert_consistent(res.store)


# --------------------------------------------------------------------------- SM-2 migration
def _check_migrated(res: S.LoadResult) -> None:
    assert res.status == "migrated" and res.ok
    s = res.store
    ci = s.cards["term-def:ci"]  # SM-2: reps 3, interval 17, ease 2.7, due 2026-01-29, last 2026-01-12
    assert (ci.state.phase, ci.state.stability, ci.state.reviews, ci.state.lapses) == ("review", 17.0, 3, 0)
    assert ci.state.difficulty == sm2_fsrs.sm2_memory_state(2.7, 17)[1]
    assert ci.state.due == dt.datetime(2026, 1, 29, tzinfo=UTC)
    assert ci.state.last_review == dt.datetime(2026, 1, 12, tzinfo=UTC)
    assert ci.log == () and ci.base_id == "sm2"
    lapsed = s.cards["rung-next:azure-2"].state  # SM-2: failed last time -> relearning
    assert (lapsed.phase, lapsed.step, lapsed.stability, lapsed.lapses, lapsed.reviews) == ("relearning", 0, 1.0, 1, 3)
    young = s.cards["trend:edge-ml"].state
    assert (young.phase, young.stability) == ("review", 1.0)
    assert S.sections_read(s) == {"kaizen": frozenset({"what-kaizen-means", "sources"}), "upload-日本": frozenset({"日本語"})}
    marks = s.reading["kaizen"]["sources"]
    assert marks.at == dt.datetime(2026, 1, 13, tzinfo=UTC)  # the latest date in the file
    (q,) = s.quizzes
    assert (q.score, q.total, q.seed, q.wrong, q.at) == (7, 10, 42, ("term-def:ci", "trend:edge-ml", "cert-issuer:ckad"),
                                                         dt.datetime(2026, 1, 7, tzinfo=UTC))
    text = " ".join(res.notices)
    for phrase in ("3 cards moved from SM-2 to FSRS", "no history of single reviews", "heatmap starts empty",
                   "00:00 UTC", "1 card had failed the last review and continues in relearning",
                   "3 sections marked read", "1 quiz result carried over"):
        assert phrase in text, phrase
    assert_consistent(s)


def test_frozen_sm2_file_migrates():
    """A file the SM-2 app exported (kept in tests/data so this test outlives the SM-2 code)."""
    _check_migrated(S.load(SM2_FILE.read_text(encoding="utf-8")))
    _check_migrated(S.load(SM2_FILE.read_bytes()))


def test_migration_is_deterministic_and_imported_cards_keep_studying():
    text = SM2_FILE.read_text(encoding="utf-8")
    a, b = S.load(text).store, S.load(text).store
    assert S.dump(a) == S.dump(b)  # the same file gives the same ids: importing twice adds nothing
    assert S.merge(a, b) == a
    s = S.review(a, "term-def:ci", "good", dt.datetime(2026, 1, 29, 8, tzinfo=UTC), review_id="after")
    rec = s.cards["term-def:ci"]
    assert rec.base == a.cards["term-def:ci"].state and rec.base_id == "sm2" and [r[0] for r in rec.log] == ["after"]
    assert rec.state.reviews == 4 and rec.state.stability > 17 * 2
    assert_consistent(s)


def test_an_sm2_file_with_invalid_records_keeps_the_rest():
    doc = json.loads(SM2_FILE.read_text(encoding="utf-8"))
    doc["cards"]["term-def:ci"]["ease"] = float("nan")
    doc["quiz_history"].append({"taken_on": "2026-01-01", "score": 1})
    doc["sections_read"]["kaizen"].append("a\u0000b")
    res = S.load(json.dumps(doc))
    assert res.status == "migrated" and res.needs_backup
    assert ("3 records of the SM-2 file could not be read and were left out: card “term-def:ci” (Input should be a "
            "finite number); quiz result number 2 (Field required); a section id read in “kaizen” (must be 1 to 200 "
            "characters without control characters)") in res.notices[1]
    assert set(res.store.cards) == {"rung-next:azure-2", "trend:edge-ml"} and len(res.store.quizzes) == 1
    assert S.sections_read(res.store)["kaizen"] == frozenset({"what-kaizen-means", "sources"})


def test_empty_and_never_reviewed_sm2_files():
    empty_v1 = json.dumps({"format": "mlops-explorer-progress", "version": 1, "cards": {}, "quiz_history": [],
                           "sections_read": {}}, indent=2)  # what the SM-2 app exported for a new learner
    res = S.load(empty_v1)
    assert res.status == "migrated" and res.store.cards == {} and res.notices[0].startswith("Progress saved by")
    never = json.loads(empty_v1)
    never["cards"] = {"c": {"due": "2026-01-01"}}
    res = S.load(json.dumps(never))
    assert res.store.cards == {} and any("never been reviewed and stays new" in n for n in res.notices)


# --------------------------------------------------------------------------- mutations
def test_mark_and_unmark_keep_a_dated_tombstone():
    s = S.mark_read(S.empty(), "n", "s", True, at(0))
    assert S.is_read(s, "n", "s") and S.mark_read(s, "n", "s", True, at(1)) is s  # no change, same object
    u = S.mark_read(s, "n", "s", False, at(1))
    assert not S.is_read(u, "n", "s") and u.reading["n"]["s"] == S.Mark(at(1), False)
    assert S.sections_read(u) == {}
    assert S.mark_read(S.empty(), "n", "s", False, at(0)) == S.empty()  # nothing to un-mark
    # a clock behind the stored mark: the change is dated one second after it, so it still wins merges
    late = S.mark_read(u, "n", "s", True, at(0))
    assert late.reading["n"]["s"] == S.Mark(at(1, seconds=1), True)


def test_review_uses_the_retention_setting_and_keeps_the_log():
    s = S.set_setting(S.empty(), "desired_retention", 0.8, at(0))
    s = S.review(s, "c", "easy", at(0), review_id="x1")
    assert s.cards["c"].log == (("x1", at(0), 4, 0.8),)
    assert s.cards["c"].state == sch.review_card(None, "easy", at(0), retention=0.8, fuzz_key="x1")
    s2 = S.review(s, "c", "good", at(9), 0.95, review_id="x2")
    assert s2.cards["c"].log[-1] == ("x2", at(9), 3, 0.95)
    assert [r.id for _, r in S.review_history(s2)] == ["x1", "x2"]
    # same second or a clock running behind: the review is dated one second after the last one
    s3 = S.review(s2, "c", "good", at(1), review_id="x3")
    assert s3.cards["c"].log[-1][1] == at(9, seconds=1)
    assert_consistent(s3)


def test_mutation_errors_are_clear():
    s = S.empty()
    for call, fragment in [
        (lambda: S.review(s, "c", "meh", at(0)), "grade"),
        (lambda: S.review(s, "c", "good", at(0), 0.5), "retention"),
        (lambda: S.review(s, "", "good", at(0)), "card id"),
        (lambda: S.review(s, "c\n", "good", at(0)), "control"),
        (lambda: S.review(s, "c", "good", dt.datetime(2026, 1, 1)), "naive"),
        (lambda: S.review(s, "c", "good", dt.datetime(2300, 1, 1, tzinfo=UTC)), "outside"),
        (lambda: S.review(s, "c", "good", at(0), review_id="has space"), "review id"),
        (lambda: S.review(S.review(s, "c", "good", at(0), review_id="r"), "c", "good", at(1), review_id="r"), "already"),
        (lambda: S.mark_read(s, "n" * 201, "s", True, at(0)), "note id"),
        (lambda: S.record_quiz(s, score=6, total=5, now=at(0)), "score"),
        (lambda: S.record_quiz(S.record_quiz(s, score=1, total=5, now=at(0), quiz_id="q"), score=1, total=5, now=at(0),
                               quiz_id="q"), "already"),
        (lambda: S.add_assessment_result(s, "NOT A CODE", at(0)), "share code"),
        (lambda: S.add_assessment_result(s, "v1.abc", at(0), "x" * 121), "120"),
        (lambda: S.set_setting(s, "theme", "dark", at(0)), "unknown setting"),
        (lambda: S.set_setting(s, "new_per_day", 20.5, at(0)), "integer"),
        (lambda: S.set_setting(s, "new_per_day", 501, at(0)), "0 to 500"),
        (lambda: S.set_setting(s, "prefer_tables", 1, at(0)), "true or false"),
        (lambda: S.set_setting(s, "desired_retention", 0.99, at(0)), "retention"),
        (lambda: S.add_note(s, "upload-x", "", 10, at(0)), "name"),
    ]:
        with pytest.raises(S.StoreError, match=fragment):
            call()
    assert issubclass(S.StoreError, ValueError)


def test_settings_defaults_and_changes():
    assert S.settings(S.empty()) == {"desired_retention": 0.9, "new_per_day": 20, "quiz_questions": 10,
                                     "prefer_tables": False}
    s = S.set_setting(S.empty(), "new_per_day", 5, at(0))
    s = S.set_setting(s, "prefer_tables", True, at(0))
    assert S.setting(s, "new_per_day") == 5 and S.setting(s, "prefer_tables") is True
    assert S.set_setting(s, "new_per_day", 5, at(1)) is s


def test_quizzes_assessments_and_notes():
    s = S.record_quiz(S.empty(), score=4, total=5, seed=3, now=at(2), wrong=["a", "a", "b"], quiz_id="late")
    s = S.record_quiz(s, score=1, total=5, seed=1, now=at(1), quiz_id="early")
    assert [q.id for q in S.quiz_history(s)] == ["early", "late"] and s.quizzes[1].wrong == ("a", "b")
    s = S.add_assessment_result(s, "v1.0123", at(0), "  start  ", result_id="r")
    assert S.assessment_results(s)[0].label == "start"
    s = S.add_note(s, "upload-a", "a.md", 10, at(0))
    s = S.add_note(s, "upload-b", "b.md", 20, at(0))
    s = S.remove_note(s, "upload-a", at(1))
    assert list(S.uploaded_notes(s)) == ["upload-b"] and s.notes["upload-a"].removed
    assert S.remove_note(s, "upload-a", at(2)) is s and S.remove_note(s, "nope", at(2)) is s
    s = S.add_note(s, "upload-a", "a.md", 11, at(3))  # uploaded again
    assert set(S.uploaded_notes(s)) == {"upload-a", "upload-b"}
    assert S.summary(s) == {"sections read": 0, "cards": 0, "reviews": 0, "quiz results": 2,
                            "assessment results": 1, "uploaded notes": 2}


def test_quiz_history_is_bounded(monkeypatch):
    monkeypatch.setattr(store_model, "MAX_QUIZZES", 3)
    s = S.empty()
    for i in range(5):
        s = S.record_quiz(s, score=i, total=5, now=at(i), quiz_id=f"q{i}")
    assert [q.id for q in s.quizzes] == ["q2", "q3", "q4"]


def test_long_card_logs_fold_into_a_base(monkeypatch):
    monkeypatch.setattr(store_model, "MAX_LOG_PER_CARD", 3)
    s = S.empty()
    grades = ["good", "good", "again", "good", "hard", "easy"]
    for i, g in enumerate(grades):
        s = S.review(s, "c", g, at(i * 3), review_id=f"r{i}")
    rec = s.cards["c"]
    assert [r[0] for r in rec.log] == ["r3", "r4", "r5"] and rec.base_id == "r2"
    full = sch.replay(None, [(f"r{i}", at(i * 3), cs.grade_value(g), 0.9) for i, g in enumerate(grades)])
    assert rec.state == full and rec.state.reviews == 6
    assert_consistent(s)


def test_queue_forecast_and_heatmap_through_the_store():
    s = S.set_setting(S.empty(), "new_per_day", 2, at(0))
    s = S.review(s, "old", "good", at(-10), review_id="o1")
    s = S.review(s, "old", "good", at(-10, 10), review_id="o2")  # due 2 days later: overdue now
    s = S.review(s, "n1", "good", at(0), review_id="t1")  # introduced today
    deck = ["old", "n1", "n2", "n3", "n4"]
    now = at(0, 30)
    assert S.introduced_today(s, now) == 1
    # "old" is overdue, "n1" is at its 10-minute learning step (due), then one new card of the 2 a day
    assert S.study_queue(s, now, deck) == ["old", "n1", "n2"]
    assert S.study_queue(s, now, deck, new_limit=0) == ["old", "n1"]
    fc = S.forecast(s, now)
    assert [d.count for d in fc] == [2, 0, 0, 0, 0, 0, 0]
    s = S.review(s, "n1", "good", now, review_id="t2")  # graduates: due in 2 days
    assert [d.count for d in S.forecast(s, now)] == [1, 0, 1, 0, 0, 0, 0]
    hm = S.heatmap(s, now, weeks=2)  # t1 and t2 today; o1 and o2 on 20 February, before the window
    assert hm[0].day == dt.date(2026, 2, 23) and [d.count for d in hm] == [0, 0, 0, 0, 0, 0, 0, 2]
    assert S.heatmap(s, at(-3), weeks=2)[2].count == 0


# --------------------------------------------------------------------------- merge: hand cases
def test_two_tabs_review_different_cards():
    base = sample()
    a = S.review(base, "c-a", "good", at(2), review_id="ta")
    b = S.review(base, "c-b", "hard", at(2, 1), review_id="tb")
    m = S.merge(a, b)
    assert m.cards["c-a"] == a.cards["c-a"] and m.cards["c-b"] == b.cards["c-b"]
    assert S.merge(b, a) == m and S.merge(m, a) == m and S.merge(m, b) == m
    assert_consistent(m)


def test_two_tabs_review_the_same_card():
    base = sample()  # term-def:ci reviewed twice (r1, r2)
    a = S.review(base, "term-def:ci", "good", at(3), review_id="ta")
    b = S.review(base, "term-def:ci", "again", at(3, 5), review_id="tb")
    m = S.merge(a, b)
    rec = m.cards["term-def:ci"]
    assert [r[0] for r in rec.log] == ["r1", "r2", "ta", "tb"]  # both reviews kept, in time order
    one_tab = S.review(a, "term-def:ci", "again", at(3, 5), review_id="tb")  # as if one tab did both
    assert rec == one_tab.cards["term-def:ci"] and rec.state.reviews == 4 and rec.state.lapses == 1
    assert S.merge(b, a) == m
    assert_consistent(m)


def test_unmark_after_mark_and_mark_after_unmark():
    base = S.mark_read(S.empty(), "n", "s", True, at(0))
    unmarked_later = S.mark_read(base, "n", "s", False, at(2))
    marked_again_elsewhere = S.mark_read(S.mark_read(base, "n", "t", True, at(1)), "n", "s", True, at(1))
    m = S.merge(unmarked_later, marked_again_elsewhere)
    assert not S.is_read(m, "n", "s") and S.is_read(m, "n", "t")  # the later un-mark wins; "t" is kept
    remarked = S.mark_read(unmarked_later, "n", "s", True, at(3))
    assert S.is_read(S.merge(remarked, unmarked_later), "n", "s")
    tie_a = S.mark_read(S.empty(), "n", "s", True, at(5))
    tie_b = S.mark_read(S.mark_read(S.empty(), "n", "s", True, at(4)), "n", "s", False, at(5))
    assert S.merge(tie_a, tie_b) == S.merge(tie_b, tie_a) and S.is_read(S.merge(tie_a, tie_b), "n", "s")


def test_quizzes_assessments_settings_and_notes_merge():
    base = sample()
    a = S.record_quiz(base, score=1, total=2, now=at(2), quiz_id="qa")
    a = S.set_setting(a, "new_per_day", 7, at(3))
    a = S.remove_note(a, "upload-week1", at(3))
    b = S.record_quiz(base, score=2, total=2, now=at(2, 1), quiz_id="qb")
    b = S.add_assessment_result(b, "v1.99", at(2), result_id="ab")
    b = S.set_setting(b, "new_per_day", 9, at(2))
    b = S.add_note(b, "upload-week2", "week 2.md", 99, at(2))
    m = S.merge(a, b)
    assert [q.id for q in m.quizzes] == ["q1", "qa", "qb"]
    assert [x.id for x in m.assessments] == ["a1", "ab"]
    assert S.setting(m, "new_per_day") == 7  # changed later in tab a
    assert S.setting(m, "desired_retention") == 0.85
    assert set(S.uploaded_notes(m)) == {"upload-week2"} and m.notes["upload-week1"].removed


def test_forget_wins_over_older_tabs_but_not_over_an_import():
    old_tab = sample()
    forgotten = S.forget(old_tab, at(5))
    assert forgotten.forgotten_at == at(5) and S.summary(forgotten) == S.summary(S.empty())
    stale = S.review(old_tab, "c", "good", at(4), review_id="stale")  # the other tab did not know yet
    assert S.merge(forgotten, stale) == forgotten == S.merge(stale, forgotten)
    after = S.review(forgotten, "c", "good", at(6), review_id="new")
    assert S.merge(after, stale) == after
    imported = S.import_merge(after, old_tab)  # an export from before, imported on purpose
    assert set(imported.cards) == {"c", "term-def:ci", "rung-next:azure-2"} and imported.forgotten_at == at(5)
    assert S.merge(imported, stale) == imported
    again = S.forget(imported, at(1))  # a clock behind: still later than the last forget
    assert again.forgotten_at == at(5, seconds=1)


def test_merge_after_compaction_keeps_a_new_review_from_the_other_tab():
    s = sample()
    compacted = S.fold_logs(s, ["term-def:ci"])
    assert compacted.cards["term-def:ci"].log == () and compacted.cards["term-def:ci"].state == s.cards["term-def:ci"].state
    assert compacted.folded == {dt.date(2026, 3, 2): 2}
    other = S.review(s, "term-def:ci", "good", at(4), review_id="late")
    m = S.merge(compacted, other)
    rec = m.cards["term-def:ci"]
    assert [r[0] for r in rec.log] == ["late"] and rec.base_id == "r2" and rec.state == other.cards["term-def:ci"].state
    assert S.merge(other, compacted) == m
    assert sum(d.count for d in S.heatmap(m, at(5), weeks=2)) == 4  # r1, r2 (folded) + r3 + late
    assert_consistent(m)


# --------------------------------------------------------------------------- size budget
def test_fit_compacts_the_oldest_logs_first_and_never_states():
    s = S.empty()
    for i in range(12):
        for k in range(6):
            s = S.review(s, f"card-{i:02d}", "good", at(i + k * 4), review_id=f"r{i}-{k}")
    s = S.record_quiz(s, score=1, total=1, now=at(0), quiz_id="q")
    full = S.dump(s)
    assert S.fit(s).store is s and S.fit(s).notices == ()
    res = S.fit(s, max_bytes=len(full) - 800)
    assert len(res.text.encode()) <= len(full) - 800 and res.text == S.dump(res.store)
    assert S.card_states(res.store) == S.card_states(s)  # every current state kept
    folded = [c for c, r in res.store.cards.items() if not r.log]
    assert folded and folded == sorted(s.cards, key=lambda c: s.cards[c].state.last_review)[: len(folded)]
    assert sum(res.store.folded.values()) == 6 * len(folded)
    assert "compacted" in res.notices[0] and len(res.store.quizzes) == 1
    assert sum(d.count for d in S.heatmap(res.store, at(60), weeks=12)) == 72  # the heatmap keeps its counts
    # with a budget below what the states alone need: optional history goes, then a notice to export
    tiny = S.fit(s, max_bytes=500)
    assert not tiny.fits and tiny.store.quizzes == () and "download" in tiny.notices[-1]
    assert S.card_states(tiny.store) == S.card_states(s)
    assert S.load(tiny.text).store == tiny.store


# --------------------------------------------------------------------------- merge: properties
CARDS = ["c0", "c1", "c2"]
NOTES = ["n0", "n1"]
SECTIONS = ["s0", "s1", "s2"]


def op_strategy():
    gap = st.integers(0, 3 * 86_400)
    return st.one_of(
        st.tuples(st.just("review"), st.sampled_from(CARDS), st.sampled_from(cs.GRADES), gap),
        st.tuples(st.just("mark"), st.sampled_from(NOTES), st.sampled_from(SECTIONS), st.booleans(), gap),
        st.tuples(st.just("quiz"), st.integers(0, 5), gap),
        st.tuples(st.just("assess"), st.sampled_from(["v1.a", "v1.b"]), gap),
        st.tuples(st.just("setting"), st.sampled_from(["new_per_day", "quiz_questions"]), st.integers(3, 50), gap),
        st.tuples(st.just("note"), st.sampled_from(["u0", "u1"]), st.booleans(), gap),
    )


def apply_ops(store: S.Store, ops, tab: str, start: dt.datetime, forget_at: int | None = None) -> S.Store:
    t = start
    for i, op in enumerate(ops):
        t = t + dt.timedelta(seconds=op[-1])
        if forget_at is not None and i == forget_at:
            store = S.forget(store, t)
        kind = op[0]
        if kind == "review":
            store = S.review(store, op[1], op[2], t, review_id=f"{tab}{i}")
        elif kind == "mark":
            store = S.mark_read(store, op[1], op[2], op[3], t)
        elif kind == "quiz":
            store = S.record_quiz(store, score=op[1], total=5, now=t, quiz_id=f"{tab}q{i}")
        elif kind == "assess":
            store = S.add_assessment_result(store, op[1], t, result_id=f"{tab}a{i}")
        elif kind == "setting":
            store = S.set_setting(store, op[1], op[2], t)
        elif kind == "note":
            store = S.add_note(store, op[1], f"{op[1]}.md", 10, t) if op[2] else S.remove_note(store, op[1], t)
    return store


OPS = st.lists(op_strategy(), max_size=8)


def review_ids(store: S.Store) -> set[str]:
    return {r[0] for rec in store.cards.values() for r in rec.log}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(OPS, OPS, OPS, OPS, st.sampled_from([None, 0, 2]), st.booleans())
def test_merge_is_commutative_associative_and_idempotent(base_ops, ops_a, ops_b, ops_c, forget_at, compact):
    base = apply_ops(S.empty(), base_ops, "base", T0)
    branch = base_ops and T0 + dt.timedelta(seconds=sum(op[-1] for op in base_ops)) or T0
    a = apply_ops(base, ops_a, "a", branch)
    b = apply_ops(base, ops_b, "b", branch, forget_at=forget_at)
    c = apply_ops(base, ops_c, "c", branch)
    if compact:  # tab c compacted its logs (fit() under storage pressure)
        c = S.fold_logs(c, list(c.cards)[:2])
    ab, ba = S.merge(a, b), S.merge(b, a)
    assert S.dump(ab) == S.dump(ba)
    assert S.dump(S.merge(ab, c)) == S.dump(S.merge(a, S.merge(b, c)))
    for x in (a, b, c, ab):
        assert S.merge(x, x) == x
    assert S.merge(a, ab) == ab  # merging again what was merged changes nothing
    if a.forgotten_at == b.forgotten_at:
        assert review_ids(a) | review_ids(b) == review_ids(ab)  # no review of either tab is lost
        assert {q.id for q in a.quizzes} | {q.id for q in b.quizzes} == {q.id for q in ab.quizzes}
    for x in (ab, S.merge(ab, c)):
        assert_consistent(x)
        res = S.load(S.dump(x))
        assert res.status == "loaded" and res.notices == () and res.store == x


# --------------------------------------------------------------------------- any stored value loads or is refused
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)
VALID_TEXT = S.dump(apply_ops(sample(), [("review", "c1", "again", 60), ("mark", "n0", "s0", False, 5)], "x", at(3)))
VALID = S.load(VALID_TEXT).store
V1_TEXT = SM2_FILE.read_text(encoding="utf-8")


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*prefix, i))


def _set(node, path, value):
    if not path:
        return value
    *parents, last = path
    target = node
    for p in parents:
        target = target[p]
    target[last] = value
    return node


def check_load(value) -> None:
    res = S.load(value)
    assert res.status in S.STATUSES
    assert isinstance(res.store, S.Store)
    if res.ok:
        assert res.status != "empty" or res.store == S.empty()
        again = S.load(S.dump(res.store))  # a loaded value is stable and mergeable
        assert again.store == res.store and again.notices == ()
        for other in (sample(), VALID):  # VALID shares card ids with values mutated from it: replays run
            merged = S.merge(res.store, other)
            assert S.merge(other, res.store) == merged
        for cid in [*list(merged.cards)[:4], "c0"]:
            S.review(merged, cid, "good", dt.datetime(2199, 1, 1, tzinfo=UTC))
        S.fit(merged, max_bytes=300)
        S.heatmap(merged, dt.datetime(2199, 1, 1, tzinfo=UTC))
        S.forecast(merged, dt.datetime(2199, 1, 1, tzinfo=UTC))
    else:
        assert res.store == S.empty() and len(res.notices) == 1 and res.notices[0]


@settings(max_examples=150, deadline=None)
@given(JSON)
def test_any_json_value_loads_or_is_refused(value):
    check_load(json.dumps(value))


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(["format", "version", "reading", "cards", "quizzes", "settings", "x"]), JSON,
                       max_size=5))
def test_any_store_shaped_object_loads_or_is_refused(fields):
    check_load(json.dumps({"format": "mlops-explorer-store", "version": 2, **fields}))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_any_text_loads_or_is_refused(value):
    check_load(value)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from([VALID_TEXT, V1_TEXT]), st.data())
def test_truncated_valid_values_are_refused(text, data):
    cut = data.draw(st.integers(0, len(text) - 1))
    check_load(text[:cut])


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([VALID_TEXT, V1_TEXT]), st.data())
def test_valid_values_with_a_field_changed_load_or_are_refused(text, data):
    doc = json.loads(text)
    paths = list(_paths(doc))
    path = data.draw(st.sampled_from(paths))
    replacement = data.draw(JSON | st.sampled_from(["2026-01-01T00:00:00Z", "2026-13-01T00:00:00Z", -1, 0, 1e308, 2**70,
                                                    "again", "review", "", True]))
    check_load(json.dumps(_set(doc, path, replacement)))
