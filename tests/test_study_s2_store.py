"""Card flags in the learner's store (#24, the card browser): suspend, bury until tomorrow, reset to new.

Optional (a store without them keeps its text), validated, recovered record by record, merged latest change
wins across tabs (a reset is not undone by another tab's older copy, and no review is lost), and read by the
study queue and the forecast."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from explorer.study import store as S
from explorer.study.store_model import StoreError

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(days: float = 0, minutes: float = 0) -> dt.datetime:
    return T0 + dt.timedelta(days=days, minutes=minutes)


def reviewed(*cards: str) -> S.Store:
    s = S.empty()
    for i, card in enumerate(cards):
        s = S.review(s, card, "good", at(0, i), review_id=f"r{i}a")
        s = S.review(s, card, "good", at(1, i), review_id=f"r{i}b")
    return s


def test_a_store_without_flags_keeps_its_text_and_old_texts_load():
    s = reviewed("a", "b")
    assert "card_flags" not in S.dump(s)
    res = S.load(S.dump(s))
    assert res.status == "loaded" and res.store == s


def test_suspend_and_bury_leave_the_queue_and_come_back():
    s = reviewed("a", "b")
    now = at(30)
    assert S.study_queue(s, now, ["a", "b", "new"]) == ["a", "b", "new"]
    s = S.suspend(s, "a", True, at(29))
    s = S.bury(s, "new", at(31), at(29))
    assert S.study_queue(s, now, ["a", "b", "new"]) == ["b"]
    assert S.study_queue(s, at(31, 1), ["a", "b", "new"]) == ["b", "new"]  # the burial is over
    s = S.suspend(s, "a", False, at(29, 1))
    assert S.study_queue(s, now, ["a", "b", "new"]) == ["a", "b"]
    assert S.set_aside(s, now) == frozenset({"new"})
    res = S.load(S.dump(s))  # the flags survive a round trip through the text
    assert res.status == "loaded" and res.store == s and '"card_flags"' in S.dump(s)


def test_the_forecast_leaves_suspended_cards_out_and_counts_a_buried_one_when_it_comes_back():
    s = reviewed("a", "b")
    due = {cid: rec.state.due for cid, rec in s.cards.items()}
    now = min(due.values()) - dt.timedelta(hours=1)
    before = sum(d.count for d in S.forecast(s, now, days=30))
    s2 = S.suspend(s, "a", True, now)
    assert sum(d.count for d in S.forecast(s2, now, days=30)) == before - 1
    later = due["b"] + dt.timedelta(days=2)
    s3 = S.bury(s, "b", later, now)
    days = S.forecast(s3, now, days=30)
    assert sum(d.count for d in days) == before
    assert any(d.day == later.date() and d.count >= 1 for d in days)


def test_reset_makes_the_card_new_and_keeps_its_reviews_in_the_history():
    s = reviewed("a", "b")
    log = s.cards["a"].log
    s = S.reset_card(s, "a", at(5))
    assert "a" not in s.cards and s.card_flags["a"].history == log and s.card_flags["a"].reset_at is not None
    assert S.study_queue(s, at(5, 1), ["a"], new_limit=5) == ["a"]  # new again
    s = S.review(s, "a", "good", at(6), review_id="after")
    assert [r[0] for r in s.cards["a"].log] == ["after"] and s.cards["a"].state.reviews == 1
    assert S.load(S.dump(s)).store == s


def test_another_tab_s_older_copy_does_not_undo_a_reset_and_loses_no_review():
    base = reviewed("a")
    other = S.review(base, "a", "hard", at(2), review_id="tab2")  # a review the resetting tab has not seen
    mine = S.reset_card(base, "a", at(3))
    for merged in (S.merge(mine, other), S.merge(other, mine)):
        assert "a" not in merged.cards
        assert {r[0] for r in merged.card_flags["a"].history} == {"r0a", "r0b", "tab2"}
    assert S.merge(mine, other) == S.merge(other, mine)
    later = S.review(S.merge(mine, other), "a", "good", at(4), review_id="new1")
    assert S.merge(later, other).cards["a"].log == later.cards["a"].log  # reviewed after the reset: kept


def test_flags_merge_latest_change_wins():
    s = reviewed("a")
    x = S.suspend(s, "a", True, at(3))
    y = S.suspend(S.suspend(s, "a", True, at(2)), "a", False, at(4))
    assert S.merge(x, y).card_flags["a"].suspended is False
    assert S.merge(y, x) == S.merge(x, y)
    assert S.merge(x, s).card_flags == x.card_flags


@pytest.mark.parametrize("call, fragment", [
    (lambda s: S.suspend(s, "", True, at(1)), "card id"),
    (lambda s: S.bury(s, "a", at(0), at(1)), "later time"),
    (lambda s: S.bury(s, "a", dt.datetime(2026, 1, 1), at(1)), "time"),
])
def test_bad_changes_are_refused_with_a_message(call, fragment):
    with pytest.raises(StoreError, match=fragment):
        call(reviewed("a"))


def test_a_damaged_flag_costs_that_flag_alone():
    s = S.suspend(S.suspend(reviewed("a", "b"), "a", True, at(3)), "b", True, at(3))
    data = json.loads(S.dump(s))
    data["card_flags"]["a"]["buried_until"] = "not a time"
    res = S.load(json.dumps(data))
    assert res.status == "recovered"
    assert set(res.store.card_flags) == {"b"} and res.store.cards == s.cards
    assert any("card setting" in n and "“a”" in n for n in res.notices)
    data = json.loads(S.dump(s))
    data["card_flags"]["a"]["surprise"] = 1  # a newer version's field: left untouched
    assert S.load(json.dumps(data)).status == "future"


# --------------------------------------------------------------------------- merge laws with flags
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_OPS = st.lists(st.tuples(st.sampled_from(["review", "suspend", "unsuspend", "bury", "reset"]),
                          st.sampled_from(["a", "b"]), st.integers(0, 40)), max_size=8)


def _replica(ops, tag: str, start: S.Store) -> S.Store:
    s = start
    for n, (op, cid, minute) in enumerate(ops):
        t = at(2, minute + n)
        if op == "review":
            s = S.review(s, cid, "good", t, review_id=f"{tag}{n}")
        elif op in ("suspend", "unsuspend"):
            s = S.suspend(s, cid, op == "suspend", t)
        elif op == "bury":
            s = S.bury(s, cid, at(30), t)
        else:
            s = S.reset_card(s, cid, t)
    return s


@settings(max_examples=60, deadline=None)
@given(_OPS, _OPS, _OPS)
def test_merge_with_flags_is_commutative_associative_and_idempotent(x, y, z):
    base = reviewed("a")
    a, b, c = _replica(x, "x", base), _replica(y, "y", base), _replica(z, "z", base)
    assert S.merge(a, b) == S.merge(b, a)
    assert S.merge(S.merge(a, b), c) == S.merge(a, S.merge(b, c))
    ab = S.merge(a, b)
    assert S.merge(ab, ab) == ab and S.merge(ab, a) == ab
    for cid, flag in (ab.card_flags or {}).items():  # no review is lost: each is in the log or in the history
        kept = {r[0] for r in flag.history} | {r[0] for r in (ab.cards[cid].log if cid in ab.cards else ())}
        seen = {r[0] for s in (a, b) for r in ((s.card_flags or {}).get(cid).history if (s.card_flags or {}).get(cid) else ())}
        seen |= {r[0] for s in (a, b) for r in (s.cards[cid].log if cid in s.cards else ())}
        assert seen <= kept
    assert S.load(S.dump(ab)).store == ab


def test_a_store_over_its_budget_drops_the_histories_of_reset_cards_first():
    s = reviewed("a", "b", "c")
    for n in range(40):
        s = S.review(s, "a", "good", at(3 + n), review_id=f"more{n}")
    s = S.reset_card(S.reset_card(s, "a", at(50)), "b", at(51))
    fitted = S.fit(s, max_bytes=len(S.dump(s)) - 50)
    assert fitted.fits and fitted.store.card_flags["a"].history == ()
    assert fitted.store.cards == s.cards and fitted.store.card_flags["b"].history == s.card_flags["b"].history
    assert any("reset cards" in n for n in fitted.notices)
