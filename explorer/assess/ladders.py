"""Maturity ladders: how a rung is named, what changes from the rung below, two rungs side by side.

One family of rung labels, used wherever a rung is named (pages, charts, search, study cards,
placements, reports):

    rung_label(ladder, level)     -> "Phase 2"
    rung_title(ladder, level)     -> "Phase 2: Repeatable"   (level None -> "below the first rung")
    rung_heading(vendor, level)   -> "Amazon Web Services · Phase 2: Repeatable"

``ladder`` is anything with the vendor's ``level_word`` (a :class:`~explorer.content.schema.Vendor`, an
:class:`~explorer.assess.scoring_results.VendorPlacement`, ...) and ``level`` anything with a ``rank`` and a
``name`` (a :class:`~explorer.content.schema.Level`, an :class:`~explorer.assess.scoring_results.LevelCheck`, ...).

Public API
    rung_label, rung_title, rung_heading, BELOW_FIRST_RUNG
    level_index(vendor, level) -> int                 # position of a level (or level id) in its ladder
    level_diff(vendor, level) -> list[str]            # what changes from the rung below ([] for the first rung)
    compare_levels(a_vendor, a_level, b_vendor, b_level) -> DataFrame
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from explorer.content import schema

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["BELOW_FIRST_RUNG", "compare_levels", "level_diff", "level_index", "rung_heading", "rung_label", "rung_title"]

BELOW_FIRST_RUNG = "below the first rung"


class Ladder(Protocol):
    level_word: str  # "Phase", "Level", "Stage"


class Named(Ladder, Protocol):
    name: str


class Rung(Protocol):
    rank: int
    name: str


# --------------------------------------------------------------------------- labels
def rung_label(ladder: Ladder, level: Rung) -> str:
    """'Phase 2', 'Level 0', ... (the vendor's own word and rank)."""
    return f"{ladder.level_word} {level.rank}"


def rung_title(ladder: Ladder, level: Rung | None) -> str:
    """'Phase 2: Repeatable' (rank and name); ``None`` (not on the first rung yet) -> 'below the first rung'."""
    return BELOW_FIRST_RUNG if level is None else f"{rung_label(ladder, level)}: {level.name}"


def rung_heading(vendor: Named, level: Rung) -> str:
    """'Amazon Web Services · Phase 2: Repeatable': a rung named on its own, away from its ladder."""
    return f"{vendor.name} · {rung_title(vendor, level)}"


# --------------------------------------------------------------------------- rung below, two rungs
_LIST_FIELDS: tuple[tuple[str, str], ...] = (
    ("components", "Components"),
    ("triggers", "Triggers"),
    ("accounts", "Accounts"),
    ("capabilities", "Capabilities"),
    ("technology", "Technology"),
)
_CELL_FIELDS: tuple[tuple[str, str], ...] = (
    ("people", "People"),
    ("model_creation", "Model creation"),
    ("model_release", "Model release"),
    ("application_integration", "Application integration"),
)


def level_index(vendor: schema.Vendor, level: schema.Level | str) -> int:
    """Position of ``level`` (a level or a level id) in ``vendor.levels``; ValueError when it is not there."""
    lid = level if isinstance(level, str) else level.id
    for i, lv in enumerate(vendor.levels):
        if lv.id == lid:
            return i
    raise ValueError(f"vendor {vendor.id!r} has no level {lid!r}")


def level_diff(vendor: schema.Vendor, level: schema.Level | str) -> list[str]:
    """What changes from the rung below: ``level.changes`` when given, otherwise derived
    from the list fields (components, triggers, accounts, capabilities, technology) and
    Azure's four dimensions.  ``[]`` for the first rung."""
    idx = level_index(vendor, level)
    if idx == 0:
        return []
    lv, prev = vendor.levels[idx], vendor.levels[idx - 1]
    if lv.changes:
        return list(lv.changes)
    out: list[str] = []
    for attr, label in _LIST_FIELDS:
        now, before = getattr(lv, attr), getattr(prev, attr)
        out.extend(f"New in {label.lower()}: {x}" for x in now if x not in before)
        out.extend(f"No longer in {label.lower()}: {x}" for x in before if x not in now)
    if lv.cells and prev.cells:
        for attr, label in _CELL_FIELDS:
            if getattr(lv.cells, attr) != getattr(prev.cells, attr):
                out.append(f"{label}: {getattr(lv.cells, attr)}")
    if not out:
        out.append(f"No listed differences from {rung_label(vendor, prev)}; in short: {lv.summary}")
    return out


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"• {x}" for x in items) if items else "—"


def compare_levels(
    a_vendor: schema.Vendor, a_level: schema.Level | str, b_vendor: schema.Vendor, b_level: schema.Level | str
) -> pd.DataFrame:
    """Two rungs side by side: one row per aspect, one column per rung.

    Rows: Ladder, Rung, Name, Tagline, Summary, Automation, Details, What changes,
    Still manual, then only the dimension rows either rung fills (Azure's four
    cells, components, triggers, accounts, capabilities, technology), then Source.
    Lists are joined as "• item" lines; an empty value is "—".
    """
    import pandas as pd  # here, not at the top: the labels above are used by light modules (search, assessment)

    sides = []
    for vendor, level in ((a_vendor, a_level), (b_vendor, b_level)):
        lv = vendor.levels[level_index(vendor, level)]
        sides.append((vendor, lv))
    names = [f"{v.name} · {rung_label(v, lv)}" for v, lv in sides]
    if names[0] == names[1]:
        names = [names[0] + " (A)", names[1] + " (B)"]
    rows: dict[str, list[str]] = {
        "Ladder": [v.model_name for v, _ in sides],
        "Rung": [f"{rung_label(v, lv)} ({v.levels.index(lv) + 1} of {len(v.levels)})" for v, lv in sides],
        "Name": [lv.name for _, lv in sides],
        "Tagline": [lv.tagline or "—" for _, lv in sides],
        "Summary": [lv.summary for _, lv in sides],
        "Automation": [f"{lv.automation:.2f}" for _, lv in sides],
        "Details": [_bullets(lv.details) for _, lv in sides],
        "What changes": [_bullets(level_diff(v, lv)) for v, lv in sides],
        "Still manual": [_bullets(lv.still_manual) for _, lv in sides],
    }
    for attr, label in _CELL_FIELDS:
        vals = [getattr(lv.cells, attr) if lv.cells else "" for _, lv in sides]
        if any(vals):
            rows[label] = [x or "—" for x in vals]
    for attr, label in _LIST_FIELDS:
        vals = [getattr(lv, attr) for _, lv in sides]
        if any(vals):
            rows[label] = [_bullets(x) for x in vals]
    rows["Source"] = [lv.source_url for _, lv in sides]
    return pd.DataFrame.from_dict(rows, orient="index", columns=names)
