"""Section ``study``: the Study page's memory tab (#24) with a synthetic learner of 2,000 cards and a year of reviews.

Rows:
  * the Study page's warm rerun on each tab (cards, browse, course, memory, progress; AppTest, the learner's store in
    the session; goal <= 40 ms each),
    paired with a hello-world rerun before each sample (the ``pages`` section's baseline), and the tab's first
    view of a new store value (everything derived: the simulation, true retention, the groups);
  * "help me decide": the 90-day simulation of the 2,000 cards at the view's 10 retentions (goal <= 2 s), and at
    one retention;
  * the optimizer on about 10,000 reviews: the fit in this process (goal <= 10 s on one core: fsrs-rs trains on one
    thread) and the whole job as the page runs it (a child interpreter: start, fit, answer);
  * another session's page (AppTest rerun of the Study page's cards tab, in this process) while a fit runs in the
    child process, against the same page just before (ratio); and, as a what-if, while the fit runs in a thread
    of this process, which is what the child process avoids (fsrs-rs holds the GIL).

The synthetic learner (:mod:`explorer.study.synthetic`) is the tests' one: known parameters, reviewed when due.
"""

from __future__ import annotations

import datetime as _dt
import statistics
import threading
import time

from .common import Goal, Results, Row, ms_goal, timed, timed_cpu

RERUN_GOAL_MS = 40
SIM_GOAL_S = 2.0
FIT_GOAL_S = 10.0
SECTION = "study"
TABS = ("cards", "browse", "course", "memory", "progress")


def learner(cards: int, days: int, now: _dt.datetime):
    from explorer.study import synthetic

    return synthetic.learner_store(cards, days, start=now - _dt.timedelta(days=days), seed=5)


def _page(store, tab: str):
    from streamlit.testing.v1 import AppTest

    from .apptest_bench import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/11_Study.py")
    at.query_params["tab"] = tab
    at.session_state["learner"] = store
    at.run()
    if at.exception:
        raise RuntimeError(f"the Study page ({tab}) raised: {at.exception[0].value}"[:300])
    return at


def _times_while(fn, victim, *, min_n: int = 5) -> tuple[list[float], float]:
    """Victim rerun times while ``fn`` runs in a thread (at least ``min_n`` samples, then until it ends)."""
    done = threading.Event()
    out: dict = {}

    def work() -> None:
        t0 = time.perf_counter()
        out["r"] = fn()
        out["s"] = time.perf_counter() - t0
        done.set()

    th = threading.Thread(target=work, daemon=True)
    th.start()
    times = []
    while not done.is_set() or len(times) < min_n:
        t0 = time.perf_counter()
        victim.run()
        times.append(time.perf_counter() - t0)
        if done.is_set() and len(times) >= min_n:
            break
    th.join()
    return times, out.get("s", float("nan"))


def run_study(results: Results, *, reruns: int = 20, sims: int = 3, fits: int = 2, cards: int = 2000) -> None:
    from explorer.study import optimize as O
    from explorer.study import review_log as rl
    from explorer.study import simulate as sim
    from explorer.study import store as S

    from .apptest_bench import Paired
    from .common import quiet_streamlit

    quiet_streamlit()
    now = _dt.datetime.now(_dt.UTC)
    store = learner(cards, 365, now)
    n_reviews = rl.review_count(store)
    label = f"{len(store.cards):,} cards, {n_reviews:,} reviews"

    # --- the page: every tab (the page opens on the cards tab)
    paired = Paired(results, reruns)
    for tab in TABS:
        at = _page(store, tab)
        paired.take()
        samples, cpu, _ = timed_cpu(at.run, reruns, warmup=2, between=paired.once)
        results.add(Row(SECTION, f"Study ?tab={tab} warm rerun ({label})", samples, cpu_samples=cpu,
                        base_samples=paired.take(), baseline=paired.row.key, goal=ms_goal(RERUN_GOAL_MS),
                        note="derived once per store value; AppTest, the store in the session"))

    at = _page(store, "memory")

    def first_view():
        at.session_state["learner"] = store.model_copy()  # a new store value: everything derived again
        at.run()

    samples, cpu, _ = timed_cpu(first_view, max(3, reruns // 5), warmup=0)
    results.add(Row(SECTION, "Study ?tab=memory after the store changed (derives again)", samples, cpu_samples=cpu,
                    note="simulation of 10 retentions + true retention + groups"))

    # --- help me decide
    deck = sim.Deck.from_states(S.card_states(store).values(), now, 200)
    from ui.study_memory_view import DECIDE

    s, _ = timed(lambda: sim.compare(deck, None, DECIDE, days=90), sims, warmup=1)
    results.add(Row(SECTION, f"help me decide: 90 days x {len(store.cards):,} cards, {len(DECIDE)} retentions", s,
                    goal=Goal("median", "<=", SIM_GOAL_S, f"<= {SIM_GOAL_S:g} s median")))
    s, _ = timed(lambda: sim.simulate(deck, None, 0.9, days=90), sims, warmup=1)
    results.add(Row(SECTION, "  ... one retention", s))

    # --- the optimizer on about 10,000 reviews
    small = learner(330, 330, now)
    prepared = O.prepare(small, now)
    if isinstance(prepared, str):
        raise RuntimeError(prepared)
    fit_s, fit_cpu, _ = timed_cpu(lambda: O.fit(prepared), fits, warmup=0)
    results.add(Row(SECTION, f"optimizer: fit in this process ({prepared.reviews:,} reviews)", fit_s, cpu_samples=fit_cpu,
                    goal=Goal("median", "<=", FIT_GOAL_S, f"<= {FIT_GOAL_S:g} s median")))

    def job():
        jid = O.submit(prepared)
        while (st := O.status(jid)).state in ("waiting", "running"):
            time.sleep(0.02)
        if st.state != "done":
            raise RuntimeError(st.message)

    s, _ = timed(job, fits, warmup=0)
    results.add(Row(SECTION, "optimizer: the page's job (child interpreter: start, fit, answer)", s))

    # --- another session's page meanwhile
    victim = _page(store, "cards")
    before, _ = timed(victim.run, max(5, reruns // 2), warmup=5)
    loaded, took = _times_while(job, victim)
    after, _ = timed(victim.run, max(5, reruns // 2), warmup=0)
    unloaded = before + after
    base = results.add(Row(SECTION, "another session's Study page (cards tab), unloaded", unloaded,
                           note="just before and just after the fit"))
    ratio = statistics.median(loaded) / statistics.median(unloaded)
    results.add(Row(SECTION, "  ... while a fit runs in its child process", loaded, base_samples=unloaded,
                    baseline=base.key, note=f"{len(loaded)} reruns during the job's {took:.1f} s"))
    results.add(Row(SECTION, "  ... its page time / unloaded (child process)", [], unit="x", value=ratio,
                    goal=Goal("value", "<=", 2.0, "<= x2")))
    loaded, took = _times_while(lambda: O.fit(prepared), victim, min_n=1)
    results.add(Row(SECTION, "  ... what-if: the fit in a thread of the server (GIL held)", loaded, base_samples=unloaded,
                    baseline=base.key, note=f"{len(loaded)} reruns during the fit's {took:.1f} s: the reason for the child"))
