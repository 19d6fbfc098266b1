"""Generated vaults of any size, for the bench and the tests: real-shaped notes in nested folders.

:func:`vault_files` makes ``n`` notes (deterministic for a seed) shaped like a course vault's: short
stubs and long chapters, code-heavy labs, tables, math, lists, quotes, footnotes, links between
notes, front matter in its usual variants (full, title only, none: then the leading ``# Heading`` or
the file name is the title), in about 18 nested folders (``week-03/lectures``, ``topics/serving``).
:func:`write_vault` writes them under a folder.  The words are our own filler (no real course text).
"""

from __future__ import annotations

import random
from pathlib import Path

from explorer.notes.generated_notes import WORDS

FOLDERS = (
    *(f"week-{w:02d}" for w in range(1, 9)),
    "week-01/lectures", "week-02/lectures", "week-03/labs", "week-04/labs",
    "topics/serving", "topics/data", "topics/monitoring", "topics/serving/gpu",
    "labs", "reference",
)
LANGS = ("python", "bash", "yaml", "sql", "dockerfile", "json")


class _Writer:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def words(self, k: int) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(k))

    def sentence(self, k: int | None = None) -> str:
        k = k or self.rng.randint(8, 20)
        s = self.words(k).capitalize()
        r = self.rng.random()
        if r < 0.15:
            w = self.rng.choice(WORDS)
            s = s.replace(f" {w} ", f" **{w}** ", 1)
        elif r < 0.25:
            s += f" Use `{self.rng.choice(WORDS)}_{self.rng.choice(WORDS)}()`"
        return s + "."

    def paragraph(self) -> list[str]:
        return [" ".join(self.sentence() for _ in range(self.rng.randint(2, 6))), ""]

    def code(self) -> list[str]:
        lang = self.rng.choice(LANGS)
        body = [f"{self.rng.choice(WORDS)}_{i} = run('{self.words(3)}')  # {self.words(4)}"
                for i in range(self.rng.randint(4, 30))]
        return [f"```{lang}", *body, "```", ""]

    def table(self) -> list[str]:
        cols = self.rng.randint(2, 5)
        rows = [f"| {' | '.join(self.words(self.rng.randint(1, 3)) for _ in range(cols))} |"
                for _ in range(self.rng.randint(3, 15))]
        return ["| " + " | ".join(f"col {c}" for c in range(cols)) + " |", "|" + "---|" * cols, *rows, ""]

    def math(self) -> list[str]:
        a, b = self.rng.choice("xyzw"), self.rng.randint(2, 9)
        return [f"The loss is $L = \\sum_i ({a}_i - \\hat{{{a}}}_i)^{b}$ over the batch.", "",
                "$$", f"\\frac{{\\partial L}}{{\\partial {a}}} = {b} \\cdot ({a} - \\hat{{{a}}})", "$$", ""]

    def listing(self) -> list[str]:
        out = [f"{'-' if self.rng.random() < 0.6 else '1.'} {self.sentence(6)}" for _ in range(self.rng.randint(2, 7))]
        if self.rng.random() < 0.3:
            out.insert(1, f"    - {self.sentence(5)}")
        return [*out, ""]

    def quote(self) -> list[str]:
        return [f"> {self.sentence()}", ""]


def _note(i: int, n: int, rng: random.Random, avg_bytes: int) -> tuple[str, str]:
    w = _Writer(rng)
    folder = FOLDERS[i % len(FOLDERS)]
    shape = rng.random()
    target = int(avg_bytes * (0.12 if shape < 0.35 else 0.8 if shape < 0.8 else 3.0) * rng.uniform(0.7, 1.3))
    code_heavy = rng.random() < 0.2
    name = f"{i:04d}-{w.words(2).replace(' ', '-')}"
    title = f"{w.words(3).capitalize()} ({i})"
    lines: list[str] = []
    fm = rng.random()
    if fm < 0.6:
        lines += ["---", f"title: \"{title}\"", f"order: {i}", f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]",
                  f"summary: {w.sentence(8)}", "---", ""]
        if rng.random() < 0.3:
            lines += [f"# {title}", ""]  # the title again: not a section
    elif fm < 0.85:
        lines += [f"# {title}", ""]
    if rng.random() < 0.5:
        lines += w.paragraph()
    size = sum(len(x) + 1 for x in lines)
    s = 0
    while size < target:
        level = 2 if s % 3 == 0 else 3
        block = [f"{'#' * level} {w.words(2).capitalize()} {s}", "", *w.paragraph()]
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if code_heavy and r < 0.6:
                block += w.code()
            elif r < 0.15:
                block += w.code()
            elif r < 0.3:
                block += w.table()
            elif r < 0.4:
                block += w.math()
            elif r < 0.6:
                block += w.listing()
            elif r < 0.65:
                block += w.quote()
            else:
                block += w.paragraph()
        if rng.random() < 0.1:
            other = rng.randrange(n)
            block += [f"See [note {other}](../{FOLDERS[other % len(FOLDERS)]}/x.md) and the footnote.[^{s}]", "",
                      f"[^{s}]: {w.sentence(6)}", ""]
        lines += block
        size += sum(len(x) + 1 for x in block)
        s += 1
    return f"{folder}/{name}.md", "\n".join(lines) + "\n"


def vault_files(n: int, seed: int = 0, avg_bytes: int = 16_000) -> list[tuple[str, str]]:
    """``n`` notes as (path relative to the notes folder, text), deterministic for ``seed``."""
    rng = random.Random(seed)
    return [_note(i, n, rng, avg_bytes) for i in range(n)]


def write_vault(folder: str | Path, n: int, seed: int = 0, avg_bytes: int = 16_000) -> list[str]:
    """Write ``n`` generated notes under ``folder`` (created); the paths written, relative to it."""
    folder = Path(folder)
    out = []
    for rel, text in vault_files(n, seed, avg_bytes):
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        out.append(rel)
    return out
