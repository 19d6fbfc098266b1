"""Fitting the store into the browser's budget (:data:`MAX_BYTES` of dumped text).

:func:`fit` first drops the reviews that resets set aside (oldest reset first), then compacts the review logs
of the cards reviewed longest ago (:func:`fold_logs`: each card keeps its current state, the log becomes per-day
counts), then drops the oldest quiz results, assessment results, un-mark tombstones, removed-note records and compacted day counts.  Card states,
reading marks and settings are never dropped here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from explorer.study import store_model as M
from explorer.study.store_model import CardRecord, Store, build, dump

MAX_BYTES = 2_000_000  # budget of the dumped text (localStorage holds about 5 M UTF-16 units per site)


@dataclass(frozen=True)
class FitResult:
    store: Store
    text: str  # dump(store): write this
    notices: tuple[str, ...]
    max_bytes: int = MAX_BYTES

    @property
    def fits(self) -> bool:
        return len(self.text.encode("utf-8")) <= self.max_bytes


def fold_logs(store: Store, card_ids: Iterable[str]) -> Store:
    """Compact the whole review logs of ``card_ids`` into their current states (counted in ``folded``)."""
    cards = dict(store.cards)
    folded = Counter(store.folded)
    for cid in card_ids:
        rec = cards.get(cid)
        if rec is None or not rec.log:
            continue
        for r in rec.log:
            folded[r[1].date()] += 1
        cards[cid] = CardRecord.model_construct(state=rec.state, log=(), base=None, base_id=rec.log[-1][0])
    days = dict(sorted(folded.items()))
    if len(days) > M.MAX_FOLDED_DAYS:
        days = dict(list(days.items())[-M.MAX_FOLDED_DAYS:])
    return build(store, cards=cards, folded=days)


def _size(text: str) -> int:
    return len(text.encode("utf-8"))


def fit(store: Store, max_bytes: int = MAX_BYTES) -> FitResult:
    """The store (and its text) within ``max_bytes``: see the module docstring for what goes first."""
    text = dump(store)
    size = _size(text)
    if size <= max_bytes:
        return FitResult(store, text, (), max_bytes)
    notices: list[str] = []
    # 0. the reviews that resets set aside (the card browser's history), oldest reset first
    store, text, size = _drop_steps(store, text, size, max_bytes, (("reset_histories", "review histories of reset cards"),),
                                    notices)
    # 1. compact review logs, the cards reviewed longest ago first
    order = sorted((cid for cid, rec in store.cards.items() if rec.log), key=lambda c: (store.cards[c].state.last_review, c))
    folded_cards = 0
    nxt = 0  # the next card of ``order`` to compact (an index: popping the front of a long list is quadratic)
    while size > max_bytes and nxt < len(order):
        excess = size - max_bytes
        batch, saved = [], 0
        while nxt < len(order) and saved < excess * 1.1 + 1000:
            cid = order[nxt]
            nxt += 1
            batch.append(cid)
            saved += 46 * len(store.cards[cid].log)
        store = fold_logs(store, batch)
        folded_cards += len(batch)
        text = dump(store)
        size = _size(text)
    if folded_cards:
        notices.append(
            f"To stay within this browser's storage, the review history of {folded_cards} card(s) reviewed longest "
            "ago was compacted: their current schedules are kept; the heatmap keeps their daily counts."
        )
    # 2. drop the oldest optional history
    steps = (
        ("quizzes", "quiz result(s)"),
        ("assessments", "assessment result(s)"),
        ("tombstones", "un-marked section record(s)"),
        ("removed_notes", "removed-note record(s)"),
        ("folded", "day(s) of compacted review counts"),
    )
    store, text, size = _drop_steps(store, text, size, max_bytes, steps, notices)
    if size > max_bytes:
        notices.append(
            f"Your progress is {_fmt_bytes(size)}, more than the {_fmt_bytes(max_bytes)} this browser can keep for "
            "this app; download it as a file to keep it safe."
        )
    return FitResult(store, text, tuple(notices), max_bytes)


def _drop_steps(store: Store, text: str, size: int, max_bytes: int, steps, notices: list[str]) -> tuple[Store, str, int]:
    for what, label in steps:
        dropped = 0
        while size > max_bytes:
            store, n = _drop_oldest(store, what, max(1, (size - max_bytes) // 60))
            if n == 0:
                break
            dropped += n
            text = dump(store)
            size = _size(text)
        if dropped:
            notices.append(f"To stay within this browser's storage, the oldest {dropped} {label} were dropped.")
    return store, text, size


def _fmt_bytes(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n / 1e3:.1f} kB"


def _drop_oldest(store: Store, what: str, n: int) -> tuple[Store, int]:
    if what in ("quizzes", "assessments"):
        items = getattr(store, what)
        k = min(n, len(items))
        return (build(store, **{what: items[k:]}), k) if k else (store, 0)
    if what == "tombstones":
        dead = sorted((m.at, note, sec) for note, secs in store.reading.items() for sec, m in secs.items() if not m.read)[:n]
        if not dead:
            return store, 0
        reading = {note: dict(secs) for note, secs in store.reading.items()}
        for _, note, sec in dead:
            del reading[note][sec]
        return build(store, reading={k: v for k, v in reading.items() if v}), len(dead)
    if what == "removed_notes":
        dead = sorted((m.at, k) for k, m in store.notes.items() if m.removed)[:n]
        if not dead:
            return store, 0
        return build(store, notes={k: v for k, v in store.notes.items() if k not in {d[1] for d in dead}}), len(dead)
    if what == "reset_histories":  # the reviews a reset set aside (the card browser's history), oldest reset first
        flags = store.card_flags or {}
        dead = sorted((f.reset_at, cid) for cid, f in flags.items() if f.history and f.reset_at is not None)[:n]
        if not dead:
            return store, 0
        out = dict(flags)
        for _, cid in dead:
            out[cid] = out[cid].model_copy(update={"history": ()})
        return build(store, card_flags=out), len(dead)
    if what == "folded":
        days = list(store.folded.items())
        k = min(n, len(days))
        return (build(store, folded=dict(days[k:])), k) if k else (store, 0)
    raise ValueError(what)  # pragma: no cover
