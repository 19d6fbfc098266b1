"""The fields a learner edits on a plan step (an owner, a target date), their bounds, and the ``?plan=`` parameter.

Shared by the plan (:mod:`explorer.assess.plan`) and its link (:mod:`explorer.assess.plan_link`).
"""

from __future__ import annotations

import datetime as _dt
import re

DATE_MIN = _dt.date(2000, 1, 1)
DATE_MAX = _dt.date(2100, 12, 31)
MAX_EDITS = 500
EDITS_PARAM = "plan"  # the self-assessment page keeps owners and target dates in ?plan=...
MAX_EDITS_LINK = 2000  # characters of the ?plan= value
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_target(value: object) -> _dt.date | None:
    """A target date from a date, an ISO ``YYYY-MM-DD`` text, or nothing (None / "").  Raises ValueError with a message."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, _dt.datetime):
        value = value.date()
    if isinstance(value, _dt.date):
        day = value
    elif isinstance(value, str):
        text = value.strip()
        if not _DATE_RE.match(text):
            raise ValueError(f"'{text[:30]}' is not a date; write it as YYYY-MM-DD")
        try:
            day = _dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"'{text}' is not a real date") from None
    else:
        raise ValueError("the target date must be a date written as YYYY-MM-DD")
    if not DATE_MIN <= day <= DATE_MAX:
        raise ValueError(f"{day.isoformat()} is outside {DATE_MIN.year}-{DATE_MAX.year}")
    return day
