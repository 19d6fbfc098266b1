"""Section ``store``: the browser-kept learner store (explorer.study.store) with 1,000 cards and a year of reviews.

Timed: ``load()`` of the dumped text (goal <= 50 ms), ``dump()``, one grade click (``review()`` plus
``dump()``, goal <= 25 ms), ``merge()`` of two tabs that diverged (a few cards, and every card),
``fit()`` within budget, the same for a typical learner (300 cards, three months), the SM-2
(version 1) migration of a 1,000-card progress file, and the study page's derived data (queue,
forecast, heatmap, charts).  Baseline: ``json.loads`` of the same
text, timed right before every sample (paired), so ratios survive a busy machine.
"""

from __future__ import annotations

import datetime as _dt
import json
import random

from .common import Results, Row, ms_goal, timed, timed_cpu

LOAD_GOAL_MS = 50
GRADE_GOAL_MS = 25
UTC = _dt.UTC
GRADE_WEIGHTS = (("again", 8), ("hard", 10), ("good", 72), ("easy", 10))


def make_store(n_cards: int = 1000, days: int = 365, *, seed: int = 7, now: _dt.datetime | None = None):
    """A store as a year of daily study would leave it: cards introduced over the year (20 a day at
    most), each reviewed whenever due, graded Again/Hard/Good/Easy 8/10/72/10 %, plus reading marks,
    quizzes and assessment results.  Returns (store, now)."""
    from explorer.study import scheduling as sch
    from explorer.study import store as S

    rng = random.Random(seed)
    now = now or _dt.datetime(2026, 6, 1, 12, tzinfo=UTC)
    start = now - _dt.timedelta(days=days)
    grades = [g for g, w in GRADE_WEIGHTS for _ in range(w)]
    cards = {}
    for i in range(n_cards):
        day = min(days - 1, i * days // max(n_cards, 1)) if n_cards > days else rng.randrange(days)
        t = start + _dt.timedelta(days=day, hours=8 + rng.randrange(10), minutes=rng.randrange(60))
        state, log = None, []
        while t < now and len(log) < S.MAX_LOG_PER_CARD:
            rid = f"{rng.getrandbits(48):012x}"
            entry = (rid, t.replace(microsecond=0), sch.grade_value(rng.choice(grades)), 0.9)
            state = sch.review_card(state, entry[2], entry[1], retention=0.9, fuzz_key=rid)
            log.append(entry)
            t = max(state.due, t + _dt.timedelta(minutes=1)) + _dt.timedelta(minutes=rng.randrange(0, 120))
        if state is not None:
            cards[f"card-{i:04d}:{'x' * 12}"] = S.CardRecord(state=state, log=tuple(log))
    store = S.empty().model_copy(update={"cards": dict(sorted(cards.items()))})
    for n in range(20):
        for k in range(12):
            store = S.mark_read(store, f"note-{n}", f"section-{k}", True, start + _dt.timedelta(days=n, minutes=k))
    for q in range(60):
        store = S.record_quiz(store, score=rng.randrange(11), total=10, seed=q, now=start + _dt.timedelta(days=q * 6),
                              wrong=[f"card-{rng.randrange(n_cards):04d}" for _ in range(3)], quiz_id=f"q{q}")
    for a in range(12):
        store = S.add_assessment_result(store, "v1." + "012345x" * 6 + ".abcd", start + _dt.timedelta(days=a * 30),
                                        f"month {a}", result_id=f"a{a}")
    return store, now


def diverge(store, now, n_cards: int, *, seed: int):
    """Two tabs after ``store``: each graded ``n_cards`` cards (the first two in both tabs)."""
    from explorer.study import store as S

    rng = random.Random(seed)
    ids = list(store.cards)
    picks = rng.sample(ids, min(len(ids), 2 * n_cards))
    a_ids = picks[:n_cards]
    b_ids = picks[:2] + picks[n_cards + 2: 2 * n_cards]
    a, b = store, store
    for i, cid in enumerate(a_ids):
        a = S.review(a, cid, "good", now + _dt.timedelta(seconds=i), review_id=f"ta{i}")
    for i, cid in enumerate(b_ids):
        b = S.review(b, cid, "hard", now + _dt.timedelta(seconds=i), review_id=f"tb{i}")
    return a, b


def sm2_file(n_cards: int, *, seed: int = 3) -> str:
    """An SM-2 progress file (format version 1) of ``n_cards`` cards, shaped as the SM-2 app exported it
    (the SM-2 scheduler is gone; a few lines of its rules simulate each card's history)."""
    rng = random.Random(seed)
    day0 = _dt.date(2025, 6, 1)
    cards = {}
    for i in range(n_cards):
        reps, interval, ease, reviews, lapses = 0, 0, 2.5, 0, 0
        d = day0 + _dt.timedelta(days=rng.randrange(200))
        last = d
        for _ in range(rng.randrange(1, 8)):
            q = rng.choice([5, 4, 4, 3, 2])
            reviews += 1
            last = d
            if q < 3:
                reps, interval, lapses = 0, 1, lapses + 1
            else:
                interval = 1 if reps == 0 else 6 if reps == 1 else -(-interval * ease // 1)
                reps += 1
                ease = max(1.3, round(ease + 0.1 - (5 - q) * (0.08 + (5 - q) * 0.02), 2))
            d = last + _dt.timedelta(days=int(interval))
        cards[f"card-{i:04d}"] = {"repetitions": reps, "interval": int(interval), "ease": ease, "due": d.isoformat(),
                                  "last_review": last.isoformat(), "reviews": reviews, "lapses": lapses}
    read = {f"note-{n}": [f"section-{k}" for k in range(12)] for n in range(20)}
    return json.dumps({"format": "mlops-explorer-progress", "version": 1, "cards": cards, "quiz_history": [],
                       "sections_read": read}, indent=2)


def run_store(results: Results, *, n: int = 20, cards: int = 1000, days: int = 365) -> None:
    from explorer.charts import study as study_charts
    from explorer.study import store as S

    store, now = make_store(cards, days)
    text = S.dump(store)
    reviews = sum(len(r.log) for r in store.cards.values())
    kb = len(text.encode()) / 1000
    label = f"{len(store.cards)} cards, {reviews} reviews"
    results.add(Row("store", f"dumped size ({label})", [], unit="kB", value=kb,
                    note=f"budget {S.MAX_BYTES / 1000:.0f} kB"))

    base_key = "store/baseline json.loads of the dump"
    bs, _ = timed(lambda: json.loads(text), n, warmup=1)
    results.add(Row("store", "baseline json.loads of the dump", bs))

    def paired(name: str, fn, goal=None, note: str = "", k: int = n) -> None:
        samples, cpu, _ = timed_cpu(fn, k, warmup=1)
        base = []
        for _ in range(k):  # the baseline right before each sample, for a paired ratio
            b, _ = timed(lambda: json.loads(text), 1, warmup=0)
            base += b
        results.add(Row("store", name, samples, baseline=base_key, goal=goal, note=note, cpu_samples=cpu, base_samples=base))

    loaded = S.load(text)
    assert loaded.status == "loaded" and loaded.store == store, loaded.notices
    paired(f"load() of the dump ({label})", lambda: S.load(text), ms_goal(LOAD_GOAL_MS))
    paired("dump()", lambda: S.dump(store))

    ids = list(store.cards)
    counter = iter(range(10**9))

    def grade_click():
        i = next(counter)
        s2 = S.review(store, ids[i % len(ids)], "good", now + _dt.timedelta(minutes=i % 600), review_id=f"g{i}")
        return S.dump(s2)

    paired("grade click: review() + dump()", grade_click, ms_goal(GRADE_GOAL_MS))
    paired("review() alone", lambda: S.review(store, ids[0], "good", now, review_id="g-alone"))
    paired("fit() within budget (dump + size check)", lambda: S.fit(store))

    # a typical learner: the shipped deck's size (about 300 cards) studied for three months
    small, small_now = make_store(max(1, cards * 3 // 10), max(1, days // 4), seed=11)
    small_text = S.dump(small)
    small_label = f"{len(small.cards)} cards, {sum(len(r.log) for r in small.cards.values())} reviews, " \
                  f"{len(small_text) / 1000:.0f} kB"
    paired(f"typical learner: load() ({small_label})", lambda: S.load(small_text))
    small_ids = list(small.cards)
    paired("typical learner: grade click", lambda: S.dump(S.review(small, small_ids[0], "good", small_now, review_id="t")))

    k = min(20, len(ids) // 2)
    a, b = diverge(store, now, k, seed=1)
    m = S.merge(a, b)
    assert sum(len(r.log) for r in m.cards.values()) == reviews + 2 * k  # no review lost
    paired(f"merge() of two tabs, {k} cards graded in each (2 in both)", lambda: S.merge(a, b))
    wa, wb = store, store
    for i, cid in enumerate(ids):
        wa = S.review(wa, cid, "good", now, review_id=f"wa{i}")
        wb = S.review(wb, cid, "again", now + _dt.timedelta(seconds=1), review_id=f"wb{i}")
    paired("merge() worst case: every card graded in both tabs (full replays)", lambda: S.merge(wa, wb), k=max(3, n // 4))
    paired("merge() of identical values", lambda: S.merge(store, loaded.store))

    v1 = sm2_file(cards)
    r = S.load(v1)
    assert r.status == "migrated", r.notices
    paired(f"load() of an SM-2 progress file ({cards} cards, migrates)", lambda: S.load(v1), k=max(3, n // 2),
           note=f"{len(v1) / 1000:.0f} kB")

    deck = [f"new-{i}" for i in range(200)] + ids
    paired("study_queue() (1,200-card deck)", lambda: S.study_queue(store, now, deck))
    paired("forecast() 7 days", lambda: S.forecast(store, now))
    paired("heatmap() 26 weeks", lambda: S.heatmap(store, now))
    fc, hm = S.forecast(store, now), S.heatmap(store, now, weeks=26)
    paired("forecast_figure() + heatmap_figure()", lambda: (study_charts.forecast_figure(fc), study_charts.heatmap_figure(hm)))
