"""The Study page's memory view (``?tab=memory``): the learner's own FSRS parameters ("Optimize"), what each
desired retention costs ("Help me decide"), and true retention with the statistics per deck and folder.

Every choice is in the URL: ``?period=30|all`` (the reviews true retention counts) and ``?group=deck|folder``
(the table's rows).  Choosing a retention (a bar of the chart, or the choice under it) changes the learner's
desired-retention setting itself, the one the *Progress & files* slider shows.  The logic is
:mod:`explorer.study.optimize`, :mod:`explorer.study.simulate` and :mod:`explorer.study.retention_stats`; the
charts :mod:`explorer.charts.study_memory`.  What is derived from the store is computed once per store value
(:class:`MemoryState`), so a rerun that changes nothing costs no pass over the review log.

The fit runs in a child process (:mod:`explorer.study.optimize` says why); a fragment polls it twice a second
and shows its progress, and the page reruns once when it ends.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import streamlit as st

from explorer.charts import study_memory as mc
from explorer.notes.tree import folder_label
from explorer.study import optimize as O
from explorer.study import retention_stats as rs
from explorer.study import review_log as rl
from explorer.study import simulate as sim
from explorer.study import store as S
from explorer.study.card_browser import note_of
from explorer.study.store_model import MAX_ANSWER_SECONDS

from . import pagestate, urlstate
from .progress import learner, now, update
from .study_view import LABELS, Deck
from .widgets import literal, plotly

DAYS = 90
PERIODS = {"30": "Last 30 days", "all": "All reviews"}
GROUPS = {"deck": "Deck (topic)", "folder": "Folder of notes"}
DECIDE = (0.80, 0.82, 0.84, 0.86, 0.88, 0.90, 0.92, 0.94, 0.96, 0.97)
_CHART = "memory_decide_chart"


@dataclass
class MemoryState:
    """The fit in progress (its job id), the last fit's outcome, and what was derived from one store value."""

    job: str | None = None
    outcome: O.Outcome | None = None
    message: str | None = None
    store: Any = None  # the store value the derived numbers below were computed from
    derived: dict = field(default_factory=dict)

    def derive(self, store, key: str, make):
        if self.store is not store:
            self.store, self.derived = store, {}
        if key not in self.derived:
            self.derived[key] = make()
        return self.derived[key]

    def optimize(self) -> None:
        store = learner()
        prepared = O.prepare(store, now())
        if isinstance(prepared, str):
            self.message, self.outcome = prepared, None
            return
        jid = O.submit(prepared, S.fsrs_params(store) or O.DEFAULTS)
        if isinstance(jid, tuple):
            self.message = jid[0]
            return
        self.job, self.message, self.outcome = jid, None, None

    def finish(self, status: O.Status) -> None:
        self.job = None
        if status.state != "done" or status.outcome is None:
            self.message = status.message or "The fit did not finish."
            return
        out = self.outcome = status.outcome
        if out.better:
            update(lambda s: S.set_fsrs_params(s, out.params, now(), log_loss=round(out.after.log_loss, 6),
                                               default_log_loss=round(out.before.log_loss, 6), reviews=out.reviews))

    def reset(self) -> None:
        self.outcome = None
        update(lambda s: S.set_fsrs_params(s, None, now()))


def state() -> MemoryState:
    return pagestate.held("_study_memory", MemoryState)


def _set_retention(value: float | None) -> None:
    if value is not None:
        update(lambda s: S.set_setting(s, "desired_retention", float(value), now()))


def _picked_on_chart() -> None:
    event = st.session_state.get(_CHART) or {}
    for point in event.get("selection", {}).get("points", []):
        data = point.get("customdata")
        value = data[0] if isinstance(data, (list, tuple)) else data
        if isinstance(value, (int, float)) and value in DECIDE:
            _set_retention(value)
            return


def _picked_choice(key: str) -> None:
    _set_retention(st.session_state.get(key))


def memory(deck: Deck) -> None:
    s, store = state(), learner()
    _parameters(s, store)
    _decide(s, store, deck)
    _retention(s, store, deck)


# --------------------------------------------------------------------------- 1. optimize
def _parameters(s: MemoryState, store) -> None:
    st.subheader("Your memory parameters")
    fsrs = store.fsrs
    own = fsrs is not None and fsrs.params is not None
    n = s.derive(store, "reviews", lambda: rl.review_count(store))
    if own:
        fit = (f" On reviews held out from the fit, their log loss was {fsrs.log_loss:.4f} against "
               f"{fsrs.default_log_loss:.4f} for the parameters they replaced." if fsrs.log_loss and fsrs.default_log_loss else "")
        st.markdown(f"FSRS schedules your cards with **your own parameters**, fitted on {fsrs.at:%d %b %Y} "
                    f"to {fsrs.reviews or n:,} reviews.{fit}")
    else:
        st.markdown("FSRS schedules your cards with its **default parameters**, fitted to many learners. "
                    "Fitting them to your own reviews makes the schedule follow your memory.")
    st.caption(f"Optimizing needs at least {O.MIN_REVIEWS} reviews (you have {n:,}): with fewer, a fit mostly "
               "follows chance. A fifth of your cards is held out; the new parameters are kept only if they "
               "predict those cards' reviews better (lower log loss) than the ones you use now.")
    cols = st.columns([1, 1, 2])
    busy = s.job is not None
    cols[0].button("Optimize my parameters", icon=":material/tune:", type="primary", key="memory_optimize",
                   disabled=busy or n < O.MIN_REVIEWS, on_click=s.optimize)
    if own:
        cols[1].button("Return to defaults", icon=":material/restart_alt:", key="memory_reset", on_click=s.reset,
                       disabled=busy)
    if busy:
        _progress()
    if s.message:
        st.warning(literal(s.message, 800), icon=":material/warning:")
    if s.outcome is not None:
        _outcome(s.outcome)


@st.fragment(run_every=0.5)
def _progress() -> None:
    s = state()
    if s.job is None:
        return
    status = O.status(s.job)
    if status.state in ("waiting", "running"):
        frac = min(0.95, status.elapsed / max(status.expected, 0.1))
        what = "waiting for another learner's fit to end" if status.state == "waiting" else status.phase
        st.progress(frac, text=f"Optimizing: {what} · {status.elapsed:.1f} s (about {status.expected:.0f} s expected, "
                               f"stopped after {O.BUDGET_S:.0f} s)")
        return
    s.finish(status)
    st.rerun()


def _outcome(out: O.Outcome) -> None:
    if out.better:
        st.success(f"Your own parameters are in use: on held-out reviews they predict better than before "
                   f"(fitted on {out.reviews:,} reviews in {out.seconds:.1f} s).", icon=":material/check:")
    else:
        st.info("The fitted parameters did not predict your held-out reviews better, so your parameters are "
                "unchanged.", icon=":material/info:")
    st.dataframe([{"Parameters": "Before (in use until now)", "Log loss": round(out.before.log_loss, 4),
                   "RMSE (bins)": round(out.before.rmse, 4)},
                  {"Parameters": "Fitted", "Log loss": round(out.after.log_loss, 4), "RMSE (bins)": round(out.after.rmse, 4)}],
                 hide_index=True, width="content")


# --------------------------------------------------------------------------- 2. help me decide
def _decide(s: MemoryState, store, deck: Deck) -> None:
    st.subheader("Help me decide: which retention?")
    current = float(S.setting(store, "desired_retention"))
    per_day = int(S.setting(store, "new_per_day"))

    def run() -> list[sim.Run]:
        states = S.card_states(store)
        shares = sim.grade_shares((i == 0 and rec.base_state is None, e[2])
                                  for rec in store.cards.values() for i, e in enumerate(rec.log))
        new = sum(1 for c in deck.all if c.id not in states)
        d = sim.Deck.from_states(states.values(), now(), new, shares)
        return sim.compare(d, S.fsrs_params(store), DECIDE, days=DAYS, new_per_day=per_day)

    runs = s.derive(store, ("decide", len(deck.all), per_day), run)
    fig = s.derive(store, ("decide-figure", len(deck.all), per_day), lambda: mc.decide_figure(runs, current, days=DAYS))
    plotly(fig, alt=fig.layout.meta["description"], key=_CHART, on_select=_picked_on_chart, selection_mode=("points",))
    key = f"memory_retention~{current:.2f}"
    st.caption("Click a bar, or choose below, to make that your desired retention.")
    st.pills("Use this desired retention", DECIDE, format_func=lambda v: f"{v:.2f}",
             default=current if current in DECIDE else None, key=key, on_change=_picked_choice, args=(key,))
    st.dataframe(s.derive(store, ("decide-rows", len(deck.all), per_day), lambda: sim.summary_rows(runs, DAYS)),
                 hide_index=True, width="stretch")
    st.caption(f"Your cards as they are today and {per_day} new cards a day, simulated for {DAYS} days with "
               f"{'your own' if S.fsrs_params(store) else 'the default'} parameters and your own grades. Higher "
               "retention keeps more cards but costs more reviews; the gain shrinks above about 0.90.")


# --------------------------------------------------------------------------- 3. true retention and stats
def _rate(x: float | None) -> str:
    return "—" if x is None else f"{x:.1%}"


def _retention(s: MemoryState, store, deck: Deck) -> None:
    st.subheader("True retention")
    t = now()
    target = float(S.setting(store, "desired_retention"))
    period = urlstate.follow("period", choices=PERIODS, default="30", what="the period")
    group = urlstate.follow("group", choices=GROUPS, default="deck", what="the grouping")
    st.segmented_control("Reviews counted", list(PERIODS), format_func=PERIODS.get, default=period,
                         **urlstate.widget("period", "memory_period"))
    tallies = s.derive(store, ("tallies", period), lambda: rs.card_tallies(store, t, days=None if period == "all" else 30))
    total = rs.total(tallies.values())
    m = st.columns(3)
    m[0].metric("Young cards (interval under 21 days)", _rate(total.young_rate),
                None if total.young_rate is None else f"{total.young_rate - target:+.1%} against your target",
                delta_color="normal", help=f"{total.young_pass:,} of {total.young:,} reviews passed")
    m[1].metric("Mature cards (21 days or more)", _rate(total.mature_rate),
                None if total.mature_rate is None else f"{total.mature_rate - target:+.1%} against your target",
                delta_color="normal", help=f"{total.mature_pass:,} of {total.mature:,} reviews passed")
    m[2].metric("Your target (desired retention)", f"{target:.0%}")
    st.caption("True retention is the share of reviews you passed (anything but Again) among those that tested your "
               "memory: reviews on a later day than the card's previous one.")
    per_day = s.derive(store, "per_day", lambda: rs.reviews_per_day(store, t, days=30))
    seconds = s.derive(store, "time_per_day", lambda: rs.time_per_day(store, t, days=30))
    fig = s.derive(store, "per_day_figure", lambda: mc.per_day_figure(per_day, seconds=seconds))
    plotly(fig, alt=fig.layout.meta["description"])
    total, active = sum(n for _, n in seconds), sum(1 for _, n in seconds if n)
    st.caption((f"Time answering, last 30 days: {total / 60:.0f} min, {total / 60 / active:.1f} min a day on the "
                f"{active} day(s) you studied. " if total else "No answer time kept yet for the last 30 days. ")
               + f"Each answer counts from the card shown to your grade, at most {MAX_ANSWER_SECONDS} s (Anki's "
               "default cap), so a card left open counts that much.")
    counts = s.derive(store, ("states", len(deck.all)), lambda: rs.state_counts(store, deck.by_id))
    c = st.columns(4)
    for col, (phase, label) in zip(c, (("new", "New"), ("learning", "Learning"), ("review", "In review"),
                                       ("relearning", "Relearning")), strict=True):
        col.metric(label, f"{counts[phase]:,}")
    st.segmented_control("Statistics per", list(GROUPS), format_func=GROUPS.get, default=group,
                         **urlstate.widget("group", "memory_group"))
    groups = s.derive(store, ("groups", group, len(deck.all)), lambda: _groups(deck, group))
    rows = s.derive(store, ("rows", group, period, len(deck.all)), lambda: [
        {GROUPS[group]: r.name, "Cards": r.cards, "New": r.states["new"], "Learning": r.states["learning"],
         "In review": r.states["review"], "Relearning": r.states["relearning"], "Due now": r.due,
         "Young retention": _rate(r.tally.young_rate), "Mature retention": _rate(r.tally.mature_rate)}
        for r in rs.group_rows(store, t, groups, tallies)])
    st.dataframe(rows, hide_index=True, width="stretch")


def _groups(deck: Deck, group: str) -> dict[str, str]:
    if group == "deck":
        return {c.id: LABELS.get(c.category, c.category) for c in deck.all}
    notes = {n.id: n for n in deck.notes}
    out = {}
    for c in deck.all:
        note = notes.get(note_of(c) or "")
        out[c.id] = (folder_label(note) or "Top level") if note is not None else "Not from a note"
    return out

