"""#24 items 1: the learner's own FSRS parameters: one FSRS (version, count, defaults) across the optimizer and
the scheduler, the round trip through the store, merge, recovery, and the scheduler using them."""

from __future__ import annotations

import datetime as dt
import json

import fsrs
import fsrs_rs_python as rs
import pytest

from explorer.study import scheduling as sch
from explorer.study import store as S
from explorer.study.params import DEFAULTS, PARAM_COUNT, check_params

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
FITTED = (0.125, 0.348, 1.013, 13.061, 6.42, 0.643, 2.921, 0.002, 1.63, 0.1, 0.572, 1.452, 0.068, 0.283, 1.684,
          0.603, 1.672, 0.556, 0.039, 0.082, 0.179)  # a real fsrs-rs fit (synthetic learner), rounded


def test_the_optimizer_and_the_scheduler_are_the_same_fsrs():
    assert PARAM_COUNT == 21 == len(rs.DEFAULT_PARAMETERS) == len(fsrs.Scheduler().parameters)
    # fsrs-rs keeps float32: its defaults are the scheduler's to float32 precision
    assert rs.DEFAULT_PARAMETERS == pytest.approx(DEFAULTS, rel=1e-6)
    assert rs.check_and_fill_parameters(list(FITTED)) == pytest.approx(FITTED, rel=1e-6)


def test_fitted_parameters_schedule_and_survive_the_store_exactly():
    store = S.set_fsrs_params(S.empty(), FITTED, NOW, log_loss=0.31, default_log_loss=0.33, reviews=1234)
    text = S.dump(store)
    back = S.load(text)
    assert back.status == "loaded" and S.fsrs_params(back.store) == FITTED  # exactly, not approximately
    assert json.loads(text)["fsrs"]["params"] == list(FITTED)
    s = fsrs.Scheduler(parameters=S.fsrs_params(back.store))
    card, _ = s.review_card(fsrs.Card(card_id=1, due=NOW), fsrs.Rating.Good, NOW)
    assert card.stability > 0
    # and the app's scheduler uses them: a first Good gives the fitted initial stability, not the default
    mine = sch.review_card(None, "good", NOW, params=FITTED)
    default = sch.review_card(None, "good", NOW)
    assert mine.stability != default.stability
    assert sch.scheduler(0.9, FITTED) is sch.scheduler(0.9, FITTED)  # cached per (retention, params)


def test_a_review_in_the_store_uses_the_learners_parameters():
    plain = S.review(S.empty(), "c1", "easy", NOW, review_id="r1")
    mine = S.review(S.set_fsrs_params(S.empty(), FITTED, NOW), "c1", "easy", NOW + dt.timedelta(seconds=5),
                    review_id="r1")
    assert plain.cards["c1"].state.stability == pytest.approx(DEFAULTS[3], rel=1e-5)
    assert mine.cards["c1"].state.stability == pytest.approx(FITTED[3], rel=1e-5)


def test_an_old_store_without_parameters_loads_and_keeps_its_text():
    old = S.dump(S.review(S.empty(), "c1", "good", NOW, review_id="r1"))
    assert "fsrs" not in old
    r = S.load(old)
    assert r.status == "loaded" and S.fsrs_params(r.store) is None and S.dump(r.store) == old


def test_return_to_defaults_is_a_dated_change_that_wins_a_merge():
    fitted = S.set_fsrs_params(S.empty(), FITTED, NOW)
    reset = S.set_fsrs_params(fitted, None, NOW + dt.timedelta(minutes=1))
    assert S.fsrs_params(reset) is None and reset.fsrs is not None
    assert S.set_fsrs_params(S.empty(), None, NOW) == S.empty()  # already the defaults: nothing to date
    # the other tab still holds the fitted parameters: the later change wins, both ways
    assert S.fsrs_params(S.merge(fitted, reset)) is None
    assert S.fsrs_params(S.merge(reset, fitted)) is None
    refit = S.set_fsrs_params(reset, FITTED, NOW + dt.timedelta(minutes=2))
    assert S.fsrs_params(S.merge(reset, refit)) == FITTED
    assert S.merge(refit, S.empty()).fsrs == refit.fsrs


@pytest.mark.parametrize("bad, why", [
    ([0.1] * 20, "21 parameters"),
    ([*FITTED[:3], -5.0, *FITTED[4:]], "w3"),
    ([*FITTED[:20], "x"], "20"),  # the store names it params.20, the check w20
])
def test_bad_parameters_are_refused_by_the_mutation(bad, why):
    with pytest.raises(S.StoreError, match=why):
        S.set_fsrs_params(S.empty(), bad, NOW)
    with pytest.raises(ValueError, match=why):
        check_params(bad)


def test_a_damaged_parameter_record_costs_itself_alone():
    store = S.review(S.set_fsrs_params(S.empty(), FITTED, NOW), "c1", "good", NOW + dt.timedelta(seconds=2),
                     review_id="r1")
    data = json.loads(S.dump(store))
    data["fsrs"]["params"][3] = 1e9  # out of the scheduler's bounds
    r = S.load(json.dumps(data))
    assert r.status == "recovered"
    assert S.fsrs_params(r.store) is None  # the defaults again
    assert set(r.store.cards) == {"c1"} and r.store.cards["c1"] == store.cards["c1"]  # progress kept
    assert any("FSRS parameters" in n for n in r.notices)


def test_a_newer_field_inside_the_parameter_record_freezes_the_store():
    data = json.loads(S.dump(S.set_fsrs_params(S.empty(), FITTED, NOW)))
    data["fsrs"]["optimizer"] = "fsrs-rs 9"
    assert S.load(json.dumps(data)).status == "future"


def test_merging_two_tabs_replays_a_card_with_the_learners_parameters():
    base = S.set_fsrs_params(S.empty(), FITTED, NOW)
    a = S.review(base, "c1", "good", NOW + dt.timedelta(seconds=1), review_id="a1")
    b = S.review(base, "c1", "easy", NOW + dt.timedelta(seconds=2), review_id="b1")
    merged = S.merge(a, b)
    expected = sch.replay(None, [x for x in sorted([*a.cards["c1"].log, *b.cards["c1"].log], key=lambda e: e[1])],
                          params=FITTED)
    assert merged.cards["c1"].state == expected


def test_a_store_holding_only_parameters_is_not_empty():
    assert not S.is_empty(S.set_fsrs_params(S.empty(), FITTED, NOW))
