"""The loaded content: its parts (one YAML file or folder each), the notes, the problems found, and typed access.

:class:`Content` is what :func:`explorer.content.loader.load_content` returns and what the cross-checks
(:mod:`explorer.content.validate`) read; pages ask for the parts they need with :meth:`Content.need`, which raises
:class:`~explorer.content.problems.ContentUnavailable` (carrying readable errors) if any of them is broken.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from explorer.content import schema
from explorer.content.problems import ContentUnavailable, Problem
from explorer.notes.note import Note

# part name -> (file or folder relative to the content root, model, is_folder): every part is
# <name>.yaml except the maturity ladders, a folder with one file per vendor
_PART_MODELS: list[tuple[str, type[BaseModel]]] = [
    ("breakdown", schema.Breakdown), ("maturity", schema.Vendor), ("crosswalk", schema.Crosswalk),
    ("certifications", schema.Certifications), ("trends", schema.Trends), ("hierarchy", schema.Hierarchy),
    ("workflows", schema.Workflows), ("analogy", schema.Analogy), ("platforms", schema.Platforms),
    ("glossary", schema.Glossary), ("assessment", schema.Assessment), ("ml_test_score", schema.MLTestScore),
]
FOLDER_PARTS = {"maturity"}
PARTS: dict[str, tuple[str, type[BaseModel], bool]] = {
    name: (name if name in FOLDER_PARTS else f"{name}.yaml", model, name in FOLDER_PARTS) for name, model in _PART_MODELS
}


T = TypeVar("T")


class _Part(Generic[T]):
    """A typed read-only shortcut to one content part: ``content.vendors`` is ``content.get("maturity")``
    (raising :class:`ContentUnavailable` when that part is broken); ``field`` picks an attribute of it."""

    def __init__(self, part: str, field: str | None = None):
        self.part, self.field = part, field

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        value = obj.get(self.part)
        return getattr(value, self.field) if self.field else value

@dataclass
class Content:
    root: Path
    data: dict[str, Any] = field(default_factory=dict)  # part -> model (or list of Vendor for "maturity")
    notes: tuple[Note, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    broken: dict[str, list[Problem]] = field(default_factory=dict)  # part -> its errors
    version: str = ""  # changes whenever any content file changes: a cache key for derived data
    file_versions: dict[str, str] = field(default_factory=dict)  # relative path -> "mtime-size"
    lazy: bool = False  # notes loaded by their heads (the app): per-note checks are left to `validate`
    _by_id: tuple | None = field(default=None, repr=False, compare=False)  # (notes, id -> note): note() is a lookup

    # ---- access
    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def infos(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "info"]

    def note_problems(self, note: Note | None = None) -> list[Problem]:
        """Problems of note files (all of them, or those of one note)."""
        prefix = "notes/"
        if note is None:
            return [p for p in self.problems if p.file.startswith(prefix)]
        return [p for p in self.problems if p.file == prefix + note.path]

    def ok(self, part: str) -> bool:
        return part not in self.broken and (part == "notes" or part in self.data)

    def need(self, *parts: str) -> None:
        missing = [p for p in parts if not self.ok(p)]
        if missing:
            problems = [pr for p in missing for pr in self.broken.get(p, [])]
            if not problems:
                problems = [
                    Problem(PARTS[p][0] if p in PARTS else p, "", "file is missing") for p in missing
                ]
            raise ContentUnavailable(missing, problems)

    def get(self, part: str) -> Any:
        self.need(part)
        return self.data[part] if part != "notes" else self.notes

    # typed shortcuts (each raises ContentUnavailable when broken)
    breakdown = _Part[schema.Breakdown]("breakdown")
    vendors = _Part[list[schema.Vendor]]("maturity")
    crosswalk = _Part[schema.Crosswalk]("crosswalk")
    certifications = _Part[list[schema.Certification]]("certifications", "certifications")
    trends = _Part[schema.Trends]("trends")
    hierarchy = _Part[schema.Hierarchy]("hierarchy")
    workflows = _Part[schema.Workflows]("workflows")
    analogy = _Part[schema.Analogy]("analogy")
    platforms = _Part[schema.Platforms]("platforms")
    glossary = _Part[list[schema.Term]]("glossary", "terms")
    assessment = _Part[schema.Assessment]("assessment")
    ml_test_score = _Part[schema.MLTestScore]("ml_test_score")

    def vendor(self, vendor_id: str) -> schema.Vendor | None:
        return next((v for v in self.vendors if v.id == vendor_id), None)

    def level(self, level_id: str) -> tuple[schema.Vendor, schema.Level] | None:
        for v in self.vendors:
            for lv in v.levels:
                if lv.id == level_id:
                    return v, lv
        return None

    def note(self, note_id: str) -> Note | None:
        index = self._by_id
        if index is None or index[0] is not self.notes:
            index = self._by_id = (self.notes, {n.id: n for n in self.notes})
        return index[1].get(note_id)

    def term(self, term_id: str) -> schema.Term | None:
        return next((t for t in self.glossary if t.id == term_id), None) if self.ok("glossary") else None
