"""#24 items 1-3 on the Study page (``?tab=memory``) under AppTest: optimize and return to defaults, help me decide
sets the desired retention, true retention and the statistics per deck and folder, bad links give a notice."""

from __future__ import annotations

import datetime as dt
import time
from functools import lru_cache

from streamlit.testing.v1 import AppTest

from explorer.study import optimize as O
from explorer.study import store as S
from explorer.study import synthetic
from tests.apptest_util import ROOT, no_exception, texts

NOW = dt.datetime.now(dt.UTC)


@lru_cache(maxsize=1)
def _learner() -> S.Store:
    """The content's cards reviewed for 300 days by the synthetic learner (about 5,500 reviews)."""
    from explorer.content.loader import load_content
    from explorer.study.cards import generate_cards
    from tests.conftest import CONTENT

    ids = [c.id for c in generate_cards(load_content(CONTENT))]
    return synthetic.learner_store(len(ids), 300, ids=ids, start=NOW - dt.timedelta(days=300), seed=3)


def _memory(store: S.Store | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("pages/11_Study.py")
    at.query_params["tab"] = "memory"
    for k, v in params.items():
        at.query_params[k] = v
    if store is not None:
        at.session_state["learner"] = store
    return at.run()


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def test_the_memory_view_shows_true_retention_states_and_groups():
    at = _memory(_learner(), period="all", group="folder")
    no_exception(at)
    metrics = {m.label: m.value for m in at.metric}
    young, mature = metrics["Young cards (interval under 21 days)"], metrics["Mature cards (21 days or more)"]
    assert young.endswith("%") and mature.endswith("%") and metrics["Your target (desired retention)"] == "90%"
    assert int(metrics["In review"].replace(",", "")) == len(_learner().cards)
    shown = texts(at)
    assert "No answer time kept yet" in shown and f"at least {O.MIN_REVIEWS} reviews" in shown
    table = at.dataframe[-1].value
    assert "Folder of notes" in table.columns and table["Cards"].sum() >= len(_learner().cards)
    assert "Mature retention" in table.columns
    # the decision table: one row per retention, more reviews for a higher one
    decide = next(d.value for d in at.dataframe if "Desired retention" in d.value.columns)
    assert list(decide["Desired retention"])[:2] == ["0.80", "0.82"]
    assert decide["Reviews per day"].iloc[-1] > decide["Reviews per day"].iloc[0]


def test_a_bad_group_link_gives_a_notice_and_the_default_view():
    at = _memory(_learner(), group="<script>", period="7")
    no_exception(at)
    assert "Deck (topic)" in at.dataframe[-1].value.columns
    assert any("grouping" in str(w.value) for w in at.warning) and any("period" in str(w.value) for w in at.warning)


def test_optimize_keeps_better_parameters_and_return_to_defaults_drops_them():
    at = _memory(_learner())
    _button(at, "memory_optimize").click().run()
    no_exception(at)
    deadline = time.monotonic() + 60
    while at.session_state["_study_memory"].job is not None and time.monotonic() < deadline:
        time.sleep(0.2)
        at.run()
    fsrs = at.session_state["learner"].fsrs
    assert fsrs is not None and fsrs.params is not None and fsrs.log_loss < fsrs.default_log_loss
    at.run()
    assert "your own parameters" in texts(at)
    assert any("predict better" in str(s.value) for s in at.success)
    _button(at, "memory_reset").click().run()
    no_exception(at)
    assert S.fsrs_params(at.session_state["learner"]) is None and "default parameters" in texts(at)


def test_choosing_a_retention_sets_the_desired_retention():
    at = _memory(_learner())
    pills = next(p for p in at.get("button_group") if p.proto.label == "Use this desired retention")
    assert pills.value == 0.90  # the learner's setting is the one chosen
    pills.set_value(0.86)
    at.run()
    no_exception(at)
    assert S.setting(at.session_state["learner"], "desired_retention") == 0.86


def test_below_the_threshold_optimize_is_offered_with_the_number():
    small = synthetic.learner_store(5, 20, start=NOW - dt.timedelta(days=20))
    at = _memory(small)
    no_exception(at)
    assert _button(at, "memory_optimize").disabled
    assert f"at least {O.MIN_REVIEWS} reviews (you have" in texts(at)


def test_a_tampered_log_is_refused_with_a_notice_and_the_progress_is_kept():
    import json

    data = json.loads(S.dump(_learner()))
    cid = next(iter(data["cards"]))
    data["cards"][cid]["log"][-1][1] = "2150-01-01T00:00:00Z"  # a review dated in the future
    store = S.load(json.dumps(data)).store
    at = _memory(store)
    _button(at, "memory_optimize").click().run()
    no_exception(at)
    shown = " ".join(str(w.value) for w in at.warning)
    assert "dated in the future" in shown and "progress is kept" in shown
    assert at.session_state["_study_memory"].job is None  # no fit was started
    assert S.dump(at.session_state["learner"]) == S.dump(store) and at.session_state["learner"].fsrs is None
