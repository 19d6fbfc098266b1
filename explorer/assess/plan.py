"""Improvement plan (issue 12): every blocker becomes a step a team can own and date.

:func:`build_plan` turns the blockers of an :class:`~explorer.assess.scoring_results.AssessmentResult` (the
unmet requirements of each ladder's next rung) into :class:`PlanStep` objects, one per blocker.
Each step carries:

* **why it matters**: which rung the answer holds back, how many other answers hold back that same
  rung, and what the needed answer looks like in practice (the answer's own description);
* **the vendor's guidance** for that rung, from the ladder file: its summary, what changes from the
  rung below (``changes``), and the ``source_url`` with its ``last_verified`` date, one per step;
* **the notes that teach it**: the question's ``learn`` references, then the rung's ``notes``
  (duplicates removed), with titles when a note resolver is given;
* an optional **owner** and **target date**, set with :func:`apply_edits` (validated: owners are
  cleaned and bounded like every visitor text; dates must be real ``YYYY-MM-DD`` dates between
  :data:`DATE_MIN` and :data:`DATE_MAX`; a date before "today" is accepted with a warning).

Order: questions in the order of :attr:`AssessmentResult.next_steps` (the questions that hold back
the most vendors' next rungs first, then the smallest climbs, see
:data:`~explorer.assess.scoring_rules.PLAN_RULE`), and within a question, the vendors in ladder order.  A step's
``key`` (``"<level id>/<question id>"``) is stable across reruns, so an editor can keep owners and
dates by key while answers change; edits for keys that are no longer in the plan are reported, not
applied.

Exports: :func:`plan_dict` (JSON-ready, also embedded by :func:`explorer.assess.results_export.export_json`),
:func:`plan_markdown`, :func:`plan_rows` (one flat dict per step, for a data editor) and
:func:`edits_from_json` (reads the owners and dates back from an exported result).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from explorer.assess.evidence import MAX_OWNER_CHARS, clean_text
from explorer.assess.ladders import rung_title
from explorer.assess.plan_fields import DATE_MAX, DATE_MIN, EDITS_PARAM, MAX_EDITS, MAX_EDITS_LINK, parse_target
from explorer.assess.plan_link import decode_edits, edits_notice, encode_edits
from explorer.assess.scoring_results import AssessmentResult, Blocker
from explorer.content.schema import Assessment, Level, Vendor

NoteResolver = Callable[[str], "str | None"]


@dataclass(frozen=True)
class Guidance:
    """The vendor's own description of the rung a step works towards (from the ladder YAML)."""

    vendor_id: str
    vendor_name: str
    model_name: str
    level_id: str
    level_label: str  # "Phase 3: Reliable"
    summary: str
    changes: tuple[str, ...]
    source_url: str
    last_verified: _dt.date


@dataclass(frozen=True)
class LearnRef:
    ref: str  # "note-id" or "note-id#section-id"
    title: str  # resolved title, or the ref itself when no resolver knows it


@dataclass(frozen=True)
class PlanStep:
    key: str  # "<level id>/<question id>": stable across reruns
    vendor_id: str
    vendor_name: str
    level_id: str
    level_label: str
    question_id: str
    question: str
    capability: str
    current_label: str
    needed_label: str
    needed_description: str
    not_applicable: bool
    why: str
    guidance: Guidance
    learn: tuple[LearnRef, ...]
    owner: str = ""
    target: _dt.date | None = None

    @property
    def source_url(self) -> str:
        return self.guidance.source_url

    def overdue(self, today: _dt.date) -> bool:
        return self.target is not None and self.target < today


@dataclass(frozen=True)
class Plan:
    steps: tuple[PlanStep, ...]

    def __len__(self) -> int:
        return len(self.steps)

    def step(self, key: str) -> PlanStep | None:
        return next((s for s in self.steps if s.key == key), None)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(s.key for s in self.steps)

    @property
    def edits(self) -> dict[str, dict[str, str]]:
        """The owners and dates set so far, by step key (what an editor keeps between reruns)."""
        return {
            s.key: {"owner": s.owner, "target": s.target.isoformat() if s.target else ""}
            for s in self.steps
            if s.owner or s.target
        }


@dataclass(frozen=True)
class PlanEditResult:
    plan: Plan
    errors: dict[str, str]  # step key -> message (the edit was not applied to that field)
    warnings: dict[str, str]  # step key -> message (applied, but worth a look)
    unknown: tuple[str, ...]  # keys that are not steps of this plan (e.g. a blocker that has been solved)


# --------------------------------------------------------------------------- build
def note_resolver(content: Any) -> NoteResolver:
    """A resolver over a loaded :class:`~explorer.content.loader.Content` (``content.note(id)``): ref -> "Note › Section"."""

    def resolve(ref: str) -> str | None:
        note_id, _, section = ref.partition("#")
        note = content.note(note_id)
        if note is None:
            return None
        if section:
            s = note.section(section)
            return f"{note.title} › {s.title}" if s is not None else None
        return note.title

    return resolve


def _why(b: Blocker, vendor: Vendor, level: Level, n_unmet: int, also: int, description: str) -> str:
    label = rung_title(vendor, level)
    if b.not_applicable:
        return (
            f"You marked this question as not applying to you, but {vendor.name} {label} expects this capability and "
            "its description does not make it optional, so the rung stays out of reach. If it truly does not apply, "
            "this rung is not a goal for you; otherwise answer the question."
        )
    others = n_unmet - 1
    held = f"It is one of {n_unmet} answers holding you back from {vendor.name} {label}" if others else (
        f"It is the only answer holding you back from {vendor.name} {label}"
    )
    if also == 1:
        held += ", and it also holds back another ladder's next rung"
    elif also > 1:
        held += f", and it also holds back {also} other ladders' next rungs"
    return f"{held}. Needed: '{b.needed_label}' or better (you are at '{b.current_label}'): {description}"


def build_plan(
    result: AssessmentResult,
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    resolve: NoteResolver | None = None,
) -> Plan:
    """One step per blocker of every vendor's next rung, ordered as described in the module docstring."""
    qmap = {q.id: q for q in assessment.questions}
    vmap = {v.id: v for v in vendors}
    lmap = {lv.id: lv for v in vendors for lv in v.levels}
    order = {s.question_id: i for i, s in enumerate(result.next_steps)}
    blocks: dict[str, int] = {}
    for p in result.placements:
        for b in p.blockers:
            blocks[b.question_id] = blocks.get(b.question_id, 0) + 1
    steps: list[tuple[tuple[int, int], PlanStep]] = []
    for vi, p in enumerate(result.placements):
        nxt = p.next
        vendor = vmap.get(p.vendor_id)
        if nxt is None or vendor is None:
            continue
        level = lmap[nxt.level_id]
        guidance = Guidance(
            vendor_id=vendor.id, vendor_name=vendor.name, model_name=vendor.model_name, level_id=level.id,
            level_label=rung_title(vendor, level), summary=level.summary, changes=tuple(level.changes),
            source_url=level.source_url, last_verified=level.last_verified,
        )
        for b in p.blockers:
            q = qmap.get(b.question_id)
            if q is None:  # a requirement on a question that does not exist (the validator reports it)
                continue
            needed = q.answers[min(b.needed_index, len(q.answers) - 1)]
            refs = list(dict.fromkeys([*q.learn, *level.notes]))
            learn = tuple(LearnRef(r, (resolve(r) if resolve else None) or r) for r in refs)
            step = PlanStep(
                key=f"{level.id}/{q.id}", vendor_id=vendor.id, vendor_name=vendor.name, level_id=level.id,
                level_label=guidance.level_label, question_id=q.id, question=q.text, capability=q.capability,
                current_label=b.current_label, needed_label=b.needed_label, needed_description=needed.description,
                not_applicable=b.not_applicable,
                why=_why(b, vendor, level, len(p.blockers), blocks.get(q.id, 1) - 1, needed.description),
                guidance=guidance, learn=learn,
            )
            steps.append(((order.get(q.id, len(order)), vi), step))
    steps.sort(key=lambda x: x[0])
    return Plan(tuple(s for _, s in steps))


# --------------------------------------------------------------------------- edits
def apply_edits(plan: Plan, edits: Mapping[str, Mapping[str, object]], *, today: _dt.date | None = None) -> PlanEditResult:
    """Set owners and target dates by step key.  Never raises for bad values: each becomes a message.

    ``edits``: ``{step key: {"owner": text, "target": date | "YYYY-MM-DD" | "" | None}}``; a field
    that is absent keeps its value, an empty one clears it.
    """
    errors: dict[str, str] = {}
    warnings: dict[str, str] = {}
    by_key = {s.key: s for s in plan.steps}
    unknown = []
    new: dict[str, PlanStep] = {}
    for n, (key, edit) in enumerate(edits.items()):
        if n >= MAX_EDITS:
            break
        step = by_key.get(key) if isinstance(key, str) else None
        if step is None:
            unknown.append(str(key)[:80])
            continue
        if not isinstance(edit, Mapping):
            errors[key] = "the edit must give an owner and/or a target date"
            continue
        changes: dict[str, object] = {}
        msgs: list[str] = []
        if "owner" in edit:
            owner = edit["owner"]
            if owner is None:
                changes["owner"] = ""
            elif not isinstance(owner, str):
                msgs.append("the owner must be text")
            else:
                text, cut = clean_text(owner, MAX_OWNER_CHARS)
                changes["owner"] = text
                if cut:
                    warnings[key] = f"the owner was cut to {MAX_OWNER_CHARS} characters"
        if "target" in edit:
            try:
                day = parse_target(edit["target"])
            except ValueError as exc:
                msgs.append(f"target date: {exc}")
            else:
                changes["target"] = day
                if day is not None and today is not None and day < today:
                    warnings[key] = f"the target date {day.isoformat()} is already past"
        if msgs:
            errors[key] = "; ".join(msgs)
        if changes:
            new[key] = replace(step, **changes)  # type: ignore[arg-type]
    steps = tuple(new.get(s.key, s) for s in plan.steps)
    return PlanEditResult(Plan(steps), errors, warnings, tuple(unknown))


# --------------------------------------------------------------------------- export
def plan_dict(plan: Plan) -> list[dict[str, Any]]:
    return [
        {
            "step": s.key,
            "vendor": s.vendor_id,
            "level": s.level_id,
            "level_name": s.level_label,
            "question": s.question_id,
            "current": s.current_label,
            "needed": s.needed_label,
            "not_applicable": s.not_applicable,
            "why": s.why,
            "guidance": {"summary": s.guidance.summary, "changes": list(s.guidance.changes)},
            "source_url": s.guidance.source_url,
            "last_verified": s.guidance.last_verified.isoformat(),
            "learn": [r.ref for r in s.learn],
            "owner": s.owner,
            "target": s.target.isoformat() if s.target else "",
        }
        for s in plan.steps
    ]


def plan_rows(plan: Plan) -> list[dict[str, Any]]:
    """One flat row per step (for a table or a data editor): key, rung, question, from -> to, owner, target."""
    return [
        {
            "key": s.key,
            "rung": f"{s.vendor_name} {s.level_label}",
            "question": s.question,
            "now": s.current_label,
            "needed": s.needed_label,
            "owner": s.owner,
            "target": s.target,
            "source": s.guidance.source_url,
        }
        for s in plan.steps
    ]


def edits_from_rows(rows: Sequence[Mapping[str, object]]) -> dict[str, dict[str, object]]:
    """The owner/target edits of rows shaped like :func:`plan_rows` (e.g. returned by a data editor)."""
    out: dict[str, dict[str, object]] = {}
    for row in rows[:MAX_EDITS]:
        key = row.get("key")
        if isinstance(key, str):
            out[key] = {"owner": row.get("owner") or "", "target": row.get("target")}
    return out


def edits_from_json(obj: object) -> tuple[dict[str, dict[str, object]], tuple[str, ...]]:
    """Owners and dates from the ``plan`` block of an exported result; bad entries become warnings."""
    if obj is None:
        return {}, ()
    if not isinstance(obj, list):
        return {}, ("the plan in the file is not a list; it was ignored",)
    edits: dict[str, dict[str, object]] = {}
    warnings: list[str] = []
    for i, item in enumerate(obj[:MAX_EDITS]):
        if not isinstance(item, dict) or not isinstance(item.get("step"), str):
            warnings.append(f"plan entry {i + 1} has no step key; it was ignored")
            continue
        owner, target = item.get("owner", ""), item.get("target", "")
        if not isinstance(owner, str) or not isinstance(target, str):
            warnings.append(f"plan entry {i + 1}: owner and target must be text; it was ignored")
            continue
        if owner or target:
            edits[item["step"][:120]] = {"owner": owner, "target": target}
    if len(obj) > MAX_EDITS:
        warnings.append(f"only the first {MAX_EDITS} plan entries were read")
    return edits, tuple(warnings)


def plan_markdown(plan: Plan, *, md_escape: Callable[[str], str], heading: str = "## Improvement plan") -> list[str]:
    """Markdown lines of the plan (the caller passes its escaper so every export escapes the same way)."""
    lines = [heading, ""]
    if not plan.steps:
        return [*lines, "Nothing holds you back on any ladder: there is no step to plan."]
    for i, s in enumerate(plan.steps, 1):
        who = []
        if s.owner:
            who.append(f"owner: {md_escape(s.owner)}")
        if s.target:
            who.append(f"target: {s.target.isoformat()}")
        tail = f" ({'; '.join(who)})" if who else ""
        lines.append(f"{i}. **{md_escape(s.vendor_name)} {md_escape(s.level_label)}**: {md_escape(s.question)}{tail}")
        lines.append(f"   - Why it matters: {md_escape(s.why)}")
        lines.append(f"   - Vendor guidance: {md_escape(s.guidance.summary)} Source: <{s.guidance.source_url}> "
                     f"(checked {s.guidance.last_verified.isoformat()})")
        if s.learn:
            lines.append("   - Learn: " + ", ".join(f"{md_escape(r.title)} (`{r.ref}`)" for r in s.learn))
    return lines


# The ?plan= value (owners and target dates, its versions and check characters) is
# :mod:`explorer.assess.plan_link`, its fields and bounds :mod:`explorer.assess.plan_fields`; the pages and tools
# take these names from the plan.
__all__ = ["DATE_MAX", "DATE_MIN", "EDITS_PARAM", "MAX_EDITS", "MAX_EDITS_LINK", "decode_edits", "edits_notice",
           "encode_edits", "parse_target"]
