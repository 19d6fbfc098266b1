"""Generated notes for benchmarks and tests: deterministic, with headings, lists, tables and code."""

from __future__ import annotations

import random
from collections.abc import Sequence

from explorer.notes.note import Note, parse_note

WORDS = (
    "model data pipeline feature store training serving drift monitoring deployment registry experiment "
    "tracking metric validation schema container kubernetes cluster batch stream latency throughput "
    "retraining trigger artifact lineage governance audit rollback canary release shadow traffic label "
    "annotation dataset split baseline accuracy precision recall threshold alert dashboard notebook "
    "repository commit review test coverage lint build image registry secret config environment staging "
    "production incident postmortem owner budget cost quota region zone edge device quantization export "
    "onnx runtime gpu cpu memory cache queue scheduler orchestrator workflow dag task retry timeout"
).split()


def generate_notes(n: int, seed: int = 0, sections: int = 8, words_per_section: int = 90) -> list[Note]:
    """``n`` synthetic notes (deterministic for ``seed``) with headings, lists, tables and code."""
    rng = random.Random(seed)
    notes: list[Note] = []

    def sentence(k: int) -> str:
        words = [rng.choice(WORDS) for _ in range(k)]
        return " ".join(words).capitalize() + "."

    for i in range(n):
        title = f"Generated note {i}: {rng.choice(WORDS)} {rng.choice(WORDS)}"
        lines = ["---", f"id: gen-{i}", f"title: \"{title}\"", f"week: {i % 12 + 1}", "tags: [generated]", "---", ""]
        lines.append(sentence(20))
        for s in range(sections):
            level = 2 if s % 3 == 0 else 3
            lines += ["", "#" * level + f" {rng.choice(WORDS).capitalize()} {rng.choice(WORDS)} {s}", ""]
            remaining = words_per_section
            while remaining > 0:
                k = min(remaining, rng.randint(8, 18))
                lines.append(sentence(k))
                remaining -= k
            if s % 4 == 1:
                lines += ["", "- " + sentence(6), "- " + sentence(6)]
            if s % 4 == 2:
                lines += ["", "| a | b |", "|---|---|", f"| {rng.choice(WORDS)} | {rng.choice(WORDS)} |"]
            if s % 4 == 3:
                lines += ["", "```python", f"# {rng.choice(WORDS)}", f"run_{rng.choice(WORDS)}()", "```"]
        notes.append(parse_note("\n".join(lines) + "\n", f"gen-{i}.md"))
    return notes


class _GeneratedContent:
    """Minimal stand-in for :class:`explorer.content.loader.Content` holding only notes."""

    def __init__(self, notes: Sequence[Note]):
        self.notes = tuple(notes)

    def ok(self, part: str) -> bool:
        return part == "notes"


def generated_content(n: int, seed: int = 0) -> _GeneratedContent:
    return _GeneratedContent(generate_notes(n, seed))
