"""FSRS-6's 21 parameters: the defaults and the check of a learner's own set.

The ``fsrs`` scheduler and the fsrs-rs optimizer (:mod:`explorer.study.optimize`) use the same 21
parameters of FSRS-6; the bounds are the ``fsrs`` library's own (what its scheduler accepts).

Public API
    DEFAULTS, PARAM_COUNT
    check_params(values) -> tuple[float, ...]      # ValueError naming the parameter otherwise
    is_default(values | None) -> bool
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

DEFAULTS: tuple[float, ...] = tuple(float(x) for x in DEFAULT_PARAMETERS)
PARAM_COUNT = len(DEFAULTS)  # 21: FSRS-6


def check_params(values: Sequence[Any]) -> tuple[float, ...]:
    """``values`` as the scheduler's parameters: 21 finite numbers within the ``fsrs`` library's bounds."""
    vals = tuple(values)
    if len(vals) != PARAM_COUNT:
        raise ValueError(f"FSRS-6 has {PARAM_COUNT} parameters, got {len(vals)}")
    out = []
    for i, (v, lo, hi) in enumerate(zip(vals, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise ValueError(f"parameter w{i} must be a number, got {v!r}")
        if not lo <= v <= hi:
            raise ValueError(f"parameter w{i} must be between {lo:g} and {hi:g}, got {v:g}")
        out.append(float(v))
    return tuple(out)


def clip(values: Sequence[float]) -> tuple[float, ...]:
    """Each parameter moved into the library's bounds (an optimizer's float32 may sit a hair outside)."""
    return tuple(min(max(float(x), lo), hi) for x, lo, hi in zip(values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS,
                                                                  strict=True))


def is_default(values: Sequence[float] | None) -> bool:
    return values is None or tuple(values) == DEFAULTS
