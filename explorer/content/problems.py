"""Problems found in content: what a writer must fix (errors) or may want to know (warnings, infos)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the content root, e.g. "maturity/aws.yaml"
    path: str  # dotted path inside the file ("levels[2].source_url"), "" for the whole file
    message: str
    line: int | None = None
    severity: str = "error"  # "error", "warning" or "info" (a note for the writer, e.g. kept metadata)

    def __str__(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        inside = f" {self.path}:" if self.path else ""
        return f"{where}:{inside} {self.message}"


class ContentUnavailable(Exception):
    """Raised by :meth:`Content.need` when a part a page needs is broken."""

    def __init__(self, parts: list[str], problems: list[Problem]):
        self.parts = parts
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems) or f"missing content: {', '.join(parts)}")
