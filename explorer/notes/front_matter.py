"""Tolerant front matter: the YAML at the top of a note, read into typed fields and notices.

The known keys are typed (``id``, ``title``, ``week``, ``order``, ``tags``, ``summary``, ``date``),
common aliases map onto them (``tag``/``categories``/``keywords`` -> tags, ``description``/``excerpt``
-> summary, ``weight``/``nav_order`` -> order), and every other key (Jekyll's ``layout``, Obsidian's
``aliases``, Hugo's ``toc``, ...) is kept as metadata.  Invalid YAML or a value of the wrong type
never drops the note: :func:`read_front_matter` never raises, and a :class:`NoteNotice` says which
line to fix and how.
"""

from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

from explorer.notes.ids import is_note_id, slugify

MAX_META_VALUE = 200

TAG_KEYS = ("tags", "tag", "categories", "category", "keywords")
SUMMARY_KEYS = ("summary", "description", "excerpt")
ORDER_KEYS = ("order", "weight", "nav_order")


@dataclass(frozen=True)
class NoteNotice:
    """Something about a note's front matter the writer may want to fix (the note still loads)."""

    message: str
    line: int | None = None  # line in the file (1-based)
    severity: str = "warning"  # "warning" (a value was ignored) or "info" (kept as metadata)

    def __str__(self) -> str:
        return (f"line {self.line}: " if self.line else "") + self.message


def _key_lines(node: Any, offset: int) -> dict[str, int]:
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + offset for k, _ in node.value}


def _read_yaml(raw: str, offset: int) -> tuple[Any, dict[str, int], list[NoteNotice]]:
    """Parse front matter YAML: (data, key -> file line, notices).  Never raises."""
    if not raw.strip():
        return {}, {}, []
    import yaml  # with the first front matter to read

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(raw)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else {}
        lines = _key_lines(node, offset)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + offset if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).split("\n")[0]
        hint = ("Check that every line is `key: value`, that a value containing `: ` or starting with "
                "`[`, `{`, `*` or `@` is in quotes, and that lists are indented consistently.")
        return None, {}, [NoteNotice(f"the front matter is not valid YAML ({problem}); it was ignored and the "
                                     f"note's text is shown. {hint}", line)]
    except (RecursionError, ValueError, MemoryError, TypeError) as exc:
        why = "it is nested too deeply" if isinstance(exc, RecursionError) else str(exc).split("\n")[0][:200]
        return None, {}, [NoteNotice(f"the front matter could not be read ({why}); it was ignored.", offset)]
    finally:
        loader.dispose()
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, {}, [NoteNotice("the front matter should be `key: value` lines; it was ignored.", offset)]
    return data, lines, []


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, _dt.datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()[:10]
    return None


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if abs(value) < 1_000_000 else None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,6}\s*", value):
        return int(value)
    return None


def _as_tags(value: Any) -> list[str] | None:
    if isinstance(value, str):
        parts = re.split(r"[,\s]+", value) if "," not in value else value.split(",")
        return [p.strip().lstrip("#") for p in parts if p.strip().lstrip("#")]
    if isinstance(value, (list, tuple)):
        out = []
        for v in value:
            t = _as_text(v)
            if t is None:
                return None
            if t.lstrip("#"):
                out.append(t.lstrip("#"))
        return out
    return None


def _short(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        text = ", ".join(_as_text(v) or str(v) for v in value)
    elif isinstance(value, dict):
        text = ", ".join(f"{k}: {_as_text(v) or v}" for k, v in value.items())
    else:
        text = _as_text(value) or str(value)
    text = re.sub(r"[\x00-\x1f\x7f]", " ", text)
    return text if len(text) <= MAX_META_VALUE else text[: MAX_META_VALUE - 1] + "…"


@dataclass
class FrontMatter:
    id: str | None = None
    title: str | None = None
    week: int | None = None
    order: int | None = None
    tags: list[str] = field(default_factory=list)
    summary: str | None = None
    date: str | None = None
    meta: list[tuple[str, str]] = field(default_factory=list)
    notices: list[NoteNotice] = field(default_factory=list)


def read_front_matter(raw: str | None, first_line: int = 2) -> FrontMatter:
    """Typed front matter from raw YAML.  ``first_line``: the file line of the YAML's first line."""
    fm = FrontMatter()
    if raw is None:
        return fm
    data, lines, notices = _read_yaml(raw, first_line)
    fm.notices.extend(notices)
    if not data:
        return fm

    def bad(key: str, expected: str) -> None:
        fm.notices.append(NoteNotice(f"`{key}` should be {expected}; the value {_short(data[key])!s} was ignored.",
                                     lines.get(key)))

    for key, value in data.items():
        key_s = str(key)
        low = key_s.lower()
        if low == "id":
            text = _as_text(value)
            if text and is_note_id(text):
                fm.id = text
            elif text and slugify(text) and is_note_id(slugify(text)):
                fm.id = slugify(text)
                fm.notices.append(NoteNotice(f"`id` should use lower-case letters, digits and hyphens; "
                                             f"“{_short(text)}” is used as `{fm.id}`.", lines.get(key_s), "info"))
            else:
                bad(key_s, "lower-case letters, digits and hyphens, such as `week-2-containers`")
        elif low == "title":
            text = _as_text(value)
            if text:
                fm.title = text
            else:
                bad(key_s, "text, such as `title: Containers for ML`")
        elif low == "week" or low in ORDER_KEYS:
            name = "week" if low == "week" else "order"
            n = _as_int(value)
            if n is not None:
                setattr(fm, name, n)
            else:
                bad(key_s, f"a whole number, such as `{name}: {2 if name == 'week' else 3}`")
        elif low in TAG_KEYS:
            tags = _as_tags(value)
            if tags is not None:
                fm.tags.extend(t for t in tags if t not in fm.tags)
            else:
                bad(key_s, "a list, such as `tags: [docker, kubernetes]`")
        elif low in SUMMARY_KEYS:
            text = _as_text(value)
            if text is not None:
                fm.summary = fm.summary or text
            else:
                bad(key_s, "one line of text")
        elif low == "date":
            text = _as_text(value)
            if text is not None:
                m = re.match(r"\d{4}-\d{2}-\d{2}", text)
                fm.date = m.group(0) if m else text
            else:
                bad(key_s, "a date, such as `date: 2026-11-29`")
        else:
            fm.meta.append((key_s, _short(value)))
    if fm.meta:
        keys = ", ".join(f"`{k}`" for k, _ in fm.meta[:12]) + (" …" if len(fm.meta) > 12 else "")
        fm.notices.append(NoteNotice(f"kept as metadata (not used by the app): {keys}.",
                                     lines.get(fm.meta[0][0]), "info"))
    return fm
