"""A note's sections: the outline made from its top-level headings, and the heading that is its title.

Every top-level heading (not one inside a list, quote or alert) starts a section whose id is the
heading's GitHub id (``## 1.1 First example`` -> ``11-first-example``), so links written for GitHub
land on it; headings that skip levels nest under the nearest shallower one.  A leading ``# Heading``
that *is* the note's title is not a section (it would repeat the title): :func:`lead_heading` finds
the candidate, :func:`same_title` compares it with a front matter title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from explorer.notes.md.document import Doc
from explorer.notes.md.heading_ids import HeadingInfo


@dataclass(frozen=True)
class Section:
    id: str  # GitHub heading id, unique in the note
    title: str
    level: int  # 1-6 as written
    depth: int  # nesting depth in the contents (0 = top)
    parent: str | None
    line: int  # 1-based line of the heading in the file
    start: int  # token index of the heading
    end: int  # token index where the section's own text ends (next heading)
    stop: int  # token index where the section and its subsections end
    text: str  # plain text of the section's own part (code included)
    prose: str  # the same without code


def same_title(a: str, b: str) -> bool:
    """Do two titles read the same (whitespace and case aside)?"""
    def norm(s: str) -> str:
        return re.sub(r"\s+", " ", s).strip().casefold()

    return norm(a) == norm(b)


def _text_before(doc: Doc, index: int) -> bool:
    """Is there any content between the front matter and token ``index``?"""
    return any(t.type not in ("front_matter",) for t in doc.tokens[doc.body_start:index])


def lead_heading(doc: Doc) -> HeadingInfo | None:
    """The note's first heading when it may be its title: a top-level ``#`` heading with nothing before it."""
    first = doc.headings[0] if doc.headings else None
    return first if first is not None and first.top and first.level == 1 and not _text_before(doc, first.index) else None


def build_sections(doc: Doc, skip: int | None) -> tuple[Section, ...]:
    """The sections of ``doc`` in document order; ``skip``: token index of the title heading (not a section)."""
    heads = [h for h in doc.headings if h.top and h.index != skip]
    out: list[Section] = []
    stack: list[tuple[int, str, int]] = []  # (level, id, depth)
    for n, h in enumerate(heads):
        while stack and stack[-1][0] >= h.level:
            stack.pop()
        parent = stack[-1][1] if stack else None
        depth = stack[-1][2] + 1 if stack else 0
        end = heads[n + 1].index if n + 1 < len(heads) else doc.body_end
        stop = next((x.index for x in heads[n + 1 :] if x.level <= h.level), doc.body_end)
        text, prose = doc.text(h.index, end), doc.text(h.index, end, keep_code=False)
        out.append(Section(
            id=h.id, title=h.title, level=h.level, depth=depth, parent=parent, line=h.line + 1,
            start=h.index, end=end, stop=stop,
            text=text, prose=text if prose == text else prose,  # one string when there is no code (memory)
        ))
        stack.append((h.level, h.id, depth))
    return tuple(out)
