"""The indexer's plan (:mod:`explorer.notes.indexer`): a content's notes split into groups (a folder's notes,
:data:`GROUP_SIZE` at most, in reading order), each with its *signature* (path, id, digest of each note).

A plan after an edit in place is made from the one before (:func:`plan` with ``prev``): only the edited notes'
groups are made again, so following an edited 1,000-note vault costs no pass over its notes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from explorer.notes.note import Note

GROUP_SIZE = 64


@dataclass(frozen=True)
class Group:
    key: str  # "<folder>#<chunk>"
    notes: tuple[Note, ...]
    signature: tuple  # (path, id, digest) of each note


@dataclass(frozen=True)
class Plan:
    """The groups of one content version, in reading order."""

    version: str
    groups: tuple[Group, ...]
    total: int
    yaml_key: tuple
    glossary_key: str
    refs_key: int  # changes when a note is added, removed, renamed or retitled ([[links]] resolve anew)
    notes: tuple = ()  # the content's notes it was made from
    where: Any = None  # note path -> (group index, place in the group)
    data: Any = None  # the content's YAML parts it was made from (their objects: the same while no YAML changed)
    group_size: int = GROUP_SIZE


def plan(content: Any, group_size: int = GROUP_SIZE, prev: Plan | None = None) -> Plan:
    """Split ``content.notes`` into groups: per folder, in reading order, ``group_size`` at most.

    ``prev``: the plan of the content before; when the notes differ from its notes only by notes edited in place
    (same path, at the same place), their groups alone are made again (an edit costs no pass over the vault)."""
    edited = _edited(content, group_size, prev)
    if edited is not None and prev is not None:
        return edited
    by_folder: dict[str, list[Note]] = {}
    for n in content.notes:  # the folder from the path as a string (Note.folder's PurePosixPath: 5 ms per 1,000)
        by_folder.setdefault(n.path.rpartition("/")[0], []).append(n)
    groups = []
    for folder, notes in by_folder.items():
        for k in range(0, len(notes), group_size):
            chunk = tuple(notes[k : k + group_size])
            groups.append(Group(f"{folder}#{k // group_size}", chunk, tuple((n.path, n.id, n.digest) for n in chunk)))
    order = {n.path: i for i, n in enumerate(content.notes)}
    groups.sort(key=lambda g: order[g.notes[0].path])
    versions = getattr(content, "file_versions", {}) or {}
    refs = hash(tuple((n.path, n.id, n.title) for n in content.notes))
    where = {n.path: (gi, k) for gi, g in enumerate(groups) for k, n in enumerate(g.notes)}
    return Plan(getattr(content, "version", ""), tuple(groups), len(content.notes), _yaml_key(content, prev),
                str(versions.get("glossary.yaml", "")), refs, tuple(content.notes), where, _data(content), group_size)


def _data(content: Any) -> tuple:
    return tuple((getattr(content, "data", None) or {}).items()), tuple(getattr(content, "broken", None) or ())


def _yaml_key(content: Any, prev: Plan | None) -> tuple:
    data = _data(content)
    if (prev is not None and prev.data is not None and data[0] and data[1] == prev.data[1] and len(data[0]) == len(prev.data[0])
            and all(a[0] == b[0] and a[1] is b[1] for a, b in zip(data[0], prev.data[0]))):
        return prev.yaml_key  # the same YAML objects (the loader kept its parts): no YAML file changed
    versions = getattr(content, "file_versions", {}) or {}
    return tuple(sorted((p, v) for p, v in versions.items() if not p.startswith("notes/")))


def _edited(content: Any, group_size: int, prev: Plan | None) -> Plan | None:
    """``prev`` with the groups of the notes edited in place made again; None when anything else changed."""
    notes = tuple(content.notes)
    if prev is None or prev.where is None or prev.group_size != group_size or len(prev.notes) != len(notes):
        return None
    changed = [i for i, (a, b) in enumerate(zip(prev.notes, notes)) if a is not b]
    if len(changed) > group_size:
        return None
    groups = list(prev.groups)
    same_refs = True
    for i in changed:
        old, new = prev.notes[i], notes[i]
        if old.path != new.path:
            return None
        same_refs = same_refs and (old.id, old.title) == (new.id, new.title)
        gi, k = prev.where[new.path]
        g = groups[gi]
        groups[gi] = Group(g.key, (*g.notes[:k], new, *g.notes[k + 1:]),
                           (*g.signature[:k], (new.path, new.id, new.digest), *g.signature[k + 1:]))
    versions = getattr(content, "file_versions", {}) or {}
    refs = prev.refs_key if same_refs else hash(tuple((n.path, n.id, n.title) for n in notes))
    return Plan(getattr(content, "version", ""), tuple(groups), len(notes), _yaml_key(content, prev),
                str(versions.get("glossary.yaml", "")), refs, notes, prev.where, _data(content), group_size)
