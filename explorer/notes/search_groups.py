"""Search results grouped where they live: a note's folder, the uploads, the course content (YAML).

:func:`group_hits` keeps the ranking: the groups come in the order of their best hit, and the hits of a
group in their own order.  A note at the top of the notes folder is in "Notes"; one in
``week-2/containers/`` in "Notes › week-2 › containers"; an uploaded note in "Your uploads" (with its
folder, when an uploaded folder or archive had one); every YAML item (ladders, glossary, certifications,
...) in "Course content".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Protocol

CONTENT_GROUP = "Course content"
NOTES_GROUP = "Notes"
UPLOADS_GROUP = "Your uploads"
SEP = " › "


class _Grouped(Protocol):
    kind: str
    source: str
    folder: str


@dataclass
class Group:
    key: str  # "yaml", "note:<folder>", "upload:<folder>"
    label: str
    kind: str  # "content", "notes" or "uploads" (what the group holds; the view picks its icon)
    hits: list = field(default_factory=list)


def group_of(hit: _Grouped) -> tuple[str, str, str]:
    """(key, label, kind) of the group a hit belongs to."""
    if hit.kind != "note":
        return "yaml", CONTENT_GROUP, "content"
    parts = [p for p in hit.folder.split("/") if p]
    if hit.source == "upload":
        return "upload:" + "/".join(parts), SEP.join([UPLOADS_GROUP, *parts]), "uploads"
    return "note:" + "/".join(parts), SEP.join([NOTES_GROUP, *parts]), "notes"


def group_hits(hits: Iterable[_Grouped]) -> list[Group]:
    """The hits by group, groups in the order of their best hit."""
    groups: dict[str, Group] = {}
    for h in hits:
        key, label, kind = group_of(h)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Group(key, label, kind)
        group.hits.append(h)
    return list(groups.values())
