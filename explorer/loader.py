"""Load and validate everything under ``content/``.

``load_content(root)`` never raises for bad content: each file is validated on
its own and a broken file only makes *its* part unavailable.  Pages ask for the
parts they need with :meth:`Content.need`, which raises
:class:`ContentUnavailable` (carrying readable errors) if any of them is broken.

Errors name the file, the path inside it and the reason; YAML syntax errors
and schema errors also give the line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from . import schema
from .notes import Note, NoteError, parse_note

MAX_NOTE_BYTES = 1_000_000


@dataclass(frozen=True)
class Problem:
    file: str  # path relative to the content root, e.g. "maturity/aws.yaml"
    path: str  # dotted path inside the file ("levels[2].source_url"), "" for the whole file
    message: str
    line: int | None = None
    severity: str = "error"  # "error" or "warning"

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


# part name -> (file or folder relative to the content root, model, is_folder)
PARTS: dict[str, tuple[str, type[BaseModel], bool]] = {
    "breakdown": ("breakdown.yaml", schema.Breakdown, False),
    "maturity": ("maturity", schema.Vendor, True),
    "crosswalk": ("crosswalk.yaml", schema.Crosswalk, False),
    "certifications": ("certifications.yaml", schema.Certifications, False),
    "trends": ("trends.yaml", schema.Trends, False),
    "hierarchy": ("hierarchy.yaml", schema.Hierarchy, False),
    "workflows": ("workflows.yaml", schema.Workflows, False),
    "analogy": ("analogy.yaml", schema.Analogy, False),
    "platforms": ("platforms.yaml", schema.Platforms, False),
    "glossary": ("glossary.yaml", schema.Glossary, False),
    "assessment": ("assessment.yaml", schema.Assessment, False),
    "ml_test_score": ("ml_test_score.yaml", schema.MLTestScore, False),
}


@dataclass
class Content:
    root: Path
    data: dict[str, Any] = field(default_factory=dict)  # part -> model (or list of Vendor for "maturity")
    notes: tuple[Note, ...] = ()
    problems: list[Problem] = field(default_factory=list)
    broken: dict[str, list[Problem]] = field(default_factory=dict)  # part -> its errors

    # ---- access
    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

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
    @property
    def breakdown(self) -> schema.Breakdown:
        return self.get("breakdown")

    @property
    def vendors(self) -> list[schema.Vendor]:
        return self.get("maturity")

    @property
    def crosswalk(self) -> schema.Crosswalk:
        return self.get("crosswalk")

    @property
    def certifications(self) -> list[schema.Certification]:
        return self.get("certifications").certifications

    @property
    def trends(self) -> schema.Trends:
        return self.get("trends")

    @property
    def hierarchy(self) -> schema.Hierarchy:
        return self.get("hierarchy")

    @property
    def workflows(self) -> schema.Workflows:
        return self.get("workflows")

    @property
    def analogy(self) -> schema.Analogy:
        return self.get("analogy")

    @property
    def platforms(self) -> schema.Platforms:
        return self.get("platforms")

    @property
    def glossary(self) -> list[schema.Term]:
        return self.get("glossary").terms

    @property
    def assessment(self) -> schema.Assessment:
        return self.get("assessment")

    @property
    def ml_test_score(self) -> schema.MLTestScore:
        return self.get("ml_test_score")

    def vendor(self, vendor_id: str) -> schema.Vendor | None:
        return next((v for v in self.vendors if v.id == vendor_id), None)

    def level(self, level_id: str) -> tuple[schema.Vendor, schema.Level] | None:
        for v in self.vendors:
            for lv in v.levels:
                if lv.id == level_id:
                    return v, lv
        return None

    def note(self, note_id: str) -> Note | None:
        return next((n for n in self.notes if n.id == note_id), None)

    def term(self, term_id: str) -> schema.Term | None:
        return next((t for t in self.glossary if t.id == term_id), None) if self.ok("glossary") else None

    def certification(self, cert_id: str) -> schema.Certification | None:
        return next((c for c in self.certifications if c.id == cert_id), None)


def yaml_files(folder: Path) -> list[Path]:
    """The YAML files of a content folder, in a stable order."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


# --------------------------------------------------------------------------- YAML with line numbers
class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, path: str):
        self.key, self.line, self.path = key, line, path


def _check_duplicates(root: yaml.Node) -> None:
    """Raise _DuplicateKey for a mapping that repeats a key.

    Iterative, and each node is visited once: anchors and aliases share node objects, so a
    recursive alias cannot loop and a "billion laughs" file cannot blow up the walk.
    """
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    visited: set[int] = set()
    while stack:
        node, path = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if isinstance(node, yaml.MappingNode):
            seen: set[str] = set()
            for k, v in node.value:
                key = str(k.value)
                if key in seen:
                    raise _DuplicateKey(key, k.start_mark.line + 1, path)
                seen.add(key)
                stack.append((v, f"{path}.{key}" if path else key))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, f"{path}[{i}]") for i, v in enumerate(node.value))


_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: several times faster


def _line_of(node: yaml.Node | None, loc: tuple) -> int | None:
    """Best line for a pydantic error location inside a composed YAML tree."""
    best = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if str(k.value) == str(part)), None)
            if nxt is None:
                key = next((k for k, _ in node.value if str(k.value) == str(part)), None)
                return key.start_mark.line + 1 if key is not None else best
            node = nxt
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            node = node.value[part]
        else:
            continue  # pydantic adds tags such as a union member name
        best = node.start_mark.line + 1
    return best


def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in {"function-after[_check_id(), str]"}:
            continue
        else:
            out += f".{part}" if out else str(part)
    return out


def _pydantic_problems(rel: str, exc: ValidationError, tree: yaml.Node | None) -> list[Problem]:
    out = []
    for e in exc.errors(include_url=False):
        loc = tuple(p for p in e["loc"] if not (isinstance(p, str) and ("[" in p or "-" in p and "(" in p)))
        msg = e["msg"]
        if e["type"] == "extra_forbidden":
            msg = "unknown key (not part of the schema)"
        elif e["type"] == "missing":
            msg = "required field is missing"
        elif msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        out.append(Problem(rel, _format_loc(loc), msg, _line_of(tree, loc)))
    return out


def read_yaml(path: Path, rel: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    """Parse one YAML file.  Returns (data, node tree, problems)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, None, [Problem(rel, "", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, None, [Problem(rel, "", f"file is not UTF-8 text (bad byte at offset {exc.start})")]
    text = text.lstrip("\ufeff")
    if not text.strip():
        return None, None, [Problem(rel, "", "file is empty")]
    loader = _Loader(text)
    try:
        tree = loader.get_single_node()  # parsed once: the tree gives lines, the data comes from it
        if tree is None:
            return None, None, [Problem(rel, "", "file is empty")]
        _check_duplicates(tree)
        data = loader.construct_document(tree)
    except (RecursionError, ValueError, MemoryError) as exc:
        reason = "nested too deeply" if isinstance(exc, RecursionError) else str(exc).split("\n")[0][:200]
        return None, None, [Problem(rel, "", f"file cannot be read as content: {reason}")]
    except _DuplicateKey as dup:
        return None, None, [Problem(rel, dup.path, f"duplicate key {dup.key!r}", dup.line)]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        context = getattr(exc, "context", None)
        msg = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
        return None, None, [Problem(rel, "", msg, mark.line + 1 if mark is not None else None)]
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        return None, tree, [Problem(rel, "", f"top level must be a mapping of keys, found {type(data).__name__}", 1)]
    return data, tree, []


def load_model(path: Path, rel: str, model: type[BaseModel]) -> tuple[BaseModel | None, yaml.Node | None, list[Problem]]:
    data, tree, problems = read_yaml(path, rel)
    if problems:
        return None, tree, problems
    try:
        return model.model_validate(data), tree, []
    except ValidationError as exc:
        return None, tree, _pydantic_problems(rel, exc, tree)
    except RecursionError:  # e.g. a list that contains itself through an alias
        return None, tree, [Problem(rel, "", "file cannot be read as content: a value refers to itself")]


# --------------------------------------------------------------------------- notes
def load_notes(folder: Path, rel_root: Path) -> tuple[tuple[Note, ...], list[Problem]]:
    notes: list[Note] = []
    problems: list[Problem] = []
    if not folder.is_dir():
        return (), [Problem("notes", "", "folder content/notes is missing")]
    for path in sorted(folder.glob("*.md")):
        rel = path.relative_to(rel_root).as_posix()
        try:
            raw = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(rel, "", f"cannot read file: {exc.strerror}"))
            continue
        if len(raw) > MAX_NOTE_BYTES:
            problems.append(Problem(rel, "", f"note is larger than {MAX_NOTE_BYTES // 1000} kB"))
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(Problem(rel, "", f"file is not UTF-8 text (bad byte at offset {exc.start})"))
            continue
        try:
            notes.append(parse_note(text, path.name))
        except NoteError as exc:
            problems.append(Problem(rel, "", str(exc)))
    notes.sort(key=lambda n: (n.week if n.week is not None else 10_000, n.order, n.filename))
    seen: dict[str, str] = {}
    unique: list[Note] = []
    for n in notes:
        if n.id in seen:
            problems.append(Problem(f"notes/{n.filename}", "id", f"duplicate note id {n.id!r} (also used by notes/{seen[n.id]})"))
            continue
        seen[n.id] = n.filename
        unique.append(n)
    return tuple(unique), problems


def load_content(root: str | Path) -> Content:
    """Read, validate and cross-check every content file under ``root``."""
    from .validate import cross_check  # local import: validate imports this module

    root = Path(root)
    content = Content(root=root)
    if not root.is_dir():
        content.problems.append(Problem(str(root), "", "content folder does not exist"))
        content.broken = {p: content.problems for p in [*PARTS, "notes"]}
        return content
    trees: dict[str, yaml.Node | None] = {}
    for part, (name, model, is_folder) in PARTS.items():
        target = root / name
        if is_folder:
            files = yaml_files(target)
            if not files:
                content.broken[part] = [Problem(name, "", "no YAML files found")]
                content.problems.extend(content.broken[part])
                continue
            items, part_problems = [], []
            for f in files:
                rel = f.relative_to(root).as_posix()
                obj, tree, probs = load_model(f, rel, model)
                trees[rel] = tree
                part_problems.extend(probs)
                if obj is not None:
                    items.append(obj)
            if part_problems:
                content.broken[part] = part_problems
                content.problems.extend(part_problems)
            else:
                content.data[part] = items
            continue
        if not target.exists():
            prob = Problem(name, "", "file is missing")
            content.broken[part] = [prob]
            content.problems.append(prob)
            continue
        obj, tree, probs = load_model(target, name, model)
        trees[name] = tree
        if probs:
            content.broken[part] = probs
            content.problems.extend(probs)
        else:
            content.data[part] = obj
    notes, note_problems = load_notes(root / "notes", root)
    content.notes = notes
    content.problems.extend(note_problems)
    for extra in cross_check(content, trees):
        content.problems.append(extra[1])
        if extra[1].severity == "error":
            content.broken.setdefault(extra[0], []).append(extra[1])
            content.data.pop(extra[0], None) if extra[0] != "notes" else None
    return content
