"""YAML files with line numbers: parse once, check duplicate keys, validate against a schema model.

Errors are :class:`~explorer.content.problems.Problem` objects naming the file, the path inside it, the
line and the reason, so that ``python -m explorer validate`` and the app's error boxes say exactly
what to fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from explorer.content.problems import Problem


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


def line_of(node: yaml.Node | None, loc: tuple) -> int | None:
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


def format_loc(loc: tuple) -> str:
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
        out.append(Problem(rel, format_loc(loc), msg, line_of(tree, loc)))
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
