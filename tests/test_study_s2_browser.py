"""The card browser's logic (#24, explorer/study/card_browser.py): rows with state and due group, filters, pages,
a card's history with the interval each review set (before and after a reset), and when a burial ends."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from explorer.routes import link
from explorer.study import card_browser as cb
from explorer.study import store as S
from explorer.study.cards import Card

UTC = dt.UTC
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def card(cid: str, front: str, category: str = "notes", note: str | None = "kaizen") -> Card:
    where = link("note", note, section="why") if note else link("term", "x")
    return Card(cid, category, front, f"back of {front}", "", where, where if note else None, "label")


DECK = [card("a", "What is kaizen?"), card("b", "Canary release"), card("c", "Feature store", "glossary", None),
        card("d", "Shadow deployment", "notes", "deploy")]
FOLDERS = {"kaizen": "Week 1", "deploy": "Lectures/3"}


def store() -> S.Store:
    s = S.empty()
    s = S.review(s, "a", "good", T0, review_id="a1")
    s = S.review(s, "a", "good", T0 + dt.timedelta(days=1), review_id="a2")
    s = S.review(s, "b", "again", T0 + dt.timedelta(days=1), review_id="b1")
    return s


def test_rows_carry_state_deck_folder_and_due_group():
    s = S.suspend(store(), "c", True, T0)
    now = T0 + dt.timedelta(days=1, hours=1)
    rows = {r.id: r for r in cb.rows(DECK, s, now, FOLDERS)}
    assert rows["a"].state == "review" and rows["a"].reviews == 2 and rows["a"].bucket in ("week", "later")
    assert rows["b"].state == "learning" and rows["b"].bucket == "today"
    assert rows["c"].state == "suspended" and rows["c"].folder == "" and rows["c"].due is None
    assert rows["d"].state == "new" and rows["d"].folder == "Lectures/3" and rows["d"].note == "deploy"
    later = cb.rows(DECK, s, T0 + dt.timedelta(days=40), FOLDERS)
    assert {r.id: r.bucket for r in later}["a"] == "overdue"


def test_a_burial_shows_until_it_ends():
    s = S.bury(store(), "d", cb.bury_until(T0), T0)
    assert {r.id: r.state for r in cb.rows(DECK, s, T0, FOLDERS)}["d"] == "buried"
    assert {r.id: r.state for r in cb.rows(DECK, s, T0 + dt.timedelta(days=1), FOLDERS)}["d"] == "new"


def test_bury_until_is_the_start_of_tomorrow_in_the_learner_s_zone():
    assert cb.bury_until(T0) == dt.datetime(2026, 3, 3, tzinfo=UTC)
    tokyo = cb.bury_until(T0, ZoneInfo("Asia/Tokyo"))  # 18:00 in Tokyo: tomorrow starts 15:00 UTC
    assert tokyo == dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC) and tokyo.tzinfo == UTC


def test_filters_combine_and_text_searches_both_sides():
    rows = cb.rows(DECK, store(), T0 + dt.timedelta(days=1, hours=1), FOLDERS)
    ids = lambda q: [r.id for r in cb.search(rows, q)]  # noqa: E731
    assert ids(cb.Query(text="CANARY")) == ["b"]
    assert ids(cb.Query(text="back of feature")) == ["c"]
    assert ids(cb.Query(deck="notes")) == ["a", "b", "d"]
    assert ids(cb.Query(folder="Lectures")) == ["d"] and ids(cb.Query(folder="Lectures/3")) == ["d"]
    assert ids(cb.Query(folder="Lect")) == []  # a folder, not a prefix of a name
    assert ids(cb.Query(state="new")) == ["c", "d"]
    assert ids(cb.Query(due="today", deck="notes")) == ["b"]
    assert ids(cb.Query()) == ["a", "b", "c", "d"]
    assert cb.folder_choices(FOLDERS.values()) == ["Lectures", "Lectures/3", "Week 1"]


def test_pages_are_bounded_and_clamped():
    rows = cb.rows([card(f"n{i:04}", f"Card {i}") for i in range(2_345)], S.empty(), T0, FOLDERS)
    first, n, pages = cb.page(rows, 1)
    assert len(first) == cb.PAGE_SIZE and (n, pages) == (1, 47)
    last, n, _ = cb.page(rows, 999)
    assert n == 47 and len(last) == 2_345 - 46 * cb.PAGE_SIZE and last[-1].id == "n2344"
    assert cb.page([], 3) == ([], 1, 1)


def test_history_lists_each_review_with_its_interval_and_keeps_the_reviews_before_a_reset():
    s = store()
    steps, folded = cb.history(s, "a")
    assert [x.grade for x in steps] == ["good", "good"] and folded == 0
    assert steps[1].at == s.cards["a"].log[1][1]
    assert steps[1].at + steps[1].interval == s.cards["a"].state.due  # the interval is the one the store keeps
    s = S.reset_card(s, "a", T0 + dt.timedelta(days=3))
    s = S.review(s, "a", "easy", T0 + dt.timedelta(days=4), review_id="a3")
    steps, _ = cb.history(s, "a")
    assert [(x.grade, x.before_reset) for x in steps] == [("good", True), ("good", True), ("easy", False)]
    assert steps[-1].at + steps[-1].interval == s.cards["a"].state.due
    assert cb.history(S.empty(), "zzz") == ([], 0)


def test_history_uses_the_learner_s_own_parameters():
    from explorer.study.params import DEFAULTS

    own = tuple(round(w * (1.3 if i in (0, 1, 2, 3) else 1.0), 4) for i, w in enumerate(DEFAULTS))
    s = S.set_fsrs_params(S.empty(), own, T0 - dt.timedelta(days=1))
    s = S.review(s, "a", "good", T0, review_id="a1")
    s = S.review(s, "a", "good", T0 + dt.timedelta(days=3), review_id="a2")
    steps, _ = cb.history(s, "a")
    assert steps[-1].at + steps[-1].interval == s.cards["a"].state.due
