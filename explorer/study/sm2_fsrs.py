"""One card of the earlier SM-2 scheduler as an FSRS memory state (the per-card step of the SM-2 import,
:mod:`explorer.study.sm2_import`).

Pure, no I/O.  The conversion is the one FSRS tools use for cards without review history (fsrs-rs
``memory_state_from_sm2``), with the parameters of this app's scheduler
(:func:`explorer.study.scheduling.scheduler`).

Public API
    SM2_RETENTION
    sm2_memory_state(ease, interval_days, sm2_retention=SM2_RETENTION) -> (stability, difficulty)
    from_sm2(*, repetitions, interval, ease, due, last_review, reviews, lapses) -> CardState | None
"""

from __future__ import annotations

import datetime as _dt
import math

from fsrs.scheduler import MAX_DIFFICULTY, MIN_DIFFICULTY, STABILITY_MIN

from explorer.study.card_state import MAX_COUNT, MAX_STABILITY, UTC, CardState, sig
from explorer.study.scheduling import scheduler

SM2_RETENTION = 0.9  # the recall rate assumed for SM-2 schedules (the usual assumption, as in Anki)


def sm2_memory_state(ease: float, interval_days: float, sm2_retention: float = SM2_RETENTION) -> tuple[float, float]:
    """(stability, difficulty) matching an SM-2 card, by the conversion FSRS tools use for cards
    without review history (fsrs-rs ``memory_state_from_sm2``):

    * stability: the interval SM-2 chose is taken to end at ``sm2_retention`` recall probability,
      so ``S = interval * FACTOR / (R^(1/DECAY) - 1)``; with R = 0.9 that is ``S = interval``;
    * difficulty: SM-2's ease is the factor by which a successful review multiplies the interval;
      FSRS's stability increase after a success at recall R is
      ``1 + e^w8 * (11 - D) * S^-w9 * (e^((1-R) w10) - 1)``.  Setting the two equal and solving
      for D gives ``D = 11 - (ease - 1) / (e^w8 * S^-w9 * (e^((1-R) w10) - 1))``, clamped to 1-10.
    """
    w = scheduler().parameters
    decay = -w[20]
    factor = 0.9 ** (1 / decay) - 1
    stability = max(float(interval_days), STABILITY_MIN) * factor / (sm2_retention ** (1 / decay) - 1)
    stability = min(max(stability, STABILITY_MIN), MAX_STABILITY)
    denom = math.exp(w[8]) * stability ** (-w[9]) * math.expm1((1 - sm2_retention) * w[10])
    difficulty = 11.0 - (float(ease) - 1.0) / denom
    difficulty = min(max(difficulty, MIN_DIFFICULTY), MAX_DIFFICULTY)
    return sig(stability), sig(difficulty)


def from_sm2(
    *,
    repetitions: int,
    interval: int,
    ease: float,
    due: _dt.date,
    last_review: _dt.date | None,
    reviews: int,
    lapses: int,
) -> CardState | None:
    """One SM-2 card as an FSRS state (None for a card that was never reviewed).

    * ``repetitions > 0``: a card in review, stability and difficulty from :func:`sm2_memory_state`;
    * ``repetitions == 0`` after reviews: SM-2 had just restarted it after a failed answer, so it
      continues in relearning (step 0), stability from its one-day interval;
    * dates become 00:00 UTC of that day (SM-2 kept no times); a missing last review is taken as
      ``due - interval``; ``reviews`` and ``lapses`` carry over.
    """
    if reviews <= 0:
        return None
    interval = max(0, int(interval))
    due_t = _dt.datetime.combine(due, _dt.time(0), UTC)
    last_t = (
        _dt.datetime.combine(last_review, _dt.time(0), UTC)
        if last_review is not None
        else due_t - _dt.timedelta(days=interval)
    )
    due_t = max(due_t, last_t)
    stability, difficulty = sm2_memory_state(ease, max(interval, 1))
    relearning = repetitions <= 0
    return CardState(
        phase="relearning" if relearning else "review",
        step=0 if relearning else None,
        stability=stability,
        difficulty=difficulty,
        due=due_t,
        last_review=last_t,
        reviews=min(reviews, MAX_COUNT),
        lapses=min(lapses, reviews, MAX_COUNT),
    )


__all__ = ["SM2_RETENTION", "from_sm2", "sm2_memory_state"]
