"""Say in plain words when "does not apply" costs a team rungs (issue 25).

The ladder rule stays as it is (:data:`explorer.assess.scoring_rules.NA_RULE`): a question marked "does not
apply" (N/A) never meets a rung's requirement unless the ladder marks that requirement
``na_ok``.  That rule can surprise: a team that answers everything at the top but marks the
templates question N/A stands on AWS's Reliable phase, not Scalable.  This module works out, for
each ladder, where the team would stand **with its N/A questions set aside** (every requirement on
an N/A question counted as met, as if it were ``na_ok``) and, where that is higher than where it
stands, which N/A questions make the difference.  The views print :attr:`NaEffect.message`:

    "You stand on Phase 3: Reliable because you marked “How does a new ML use case or a new team
    get started?” as “does not apply”; with it set aside you would stand on Phase 4: Scalable."

Setting aside is only an explanation, never a placement: the result, the plan and the share link
keep the rule.  Pure functions; nothing here reads files or imports Streamlit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from explorer.assess.ladders import rung_title
from explorer.assess.scoring_results import AssessmentResult, VendorPlacement
from explorer.content.schema import Assessment, Vendor

NA_EXPLAIN_RULE = (
    "“Does not apply” never meets a rung's requirement unless the vendor makes that practice optional "
    "for the rung; “set aside” shows where the answers you did give would place you."
)


@dataclass(frozen=True)
class NaEffect:
    """One ladder on which the N/A questions cost rungs."""

    vendor_id: str
    vendor_name: str
    current_index: int | None  # where the team stands: position in the vendor's levels (None: below the first)
    current_label: str  # the same as a title ("Phase 3: Reliable")
    aside_index: int  # position in the vendor's levels with the N/A questions set aside
    aside_label: str  # "Phase 4: Scalable"
    question_ids: tuple[str, ...]  # the N/A questions that cost rungs, questionnaire order
    questions: tuple[str, ...]  # their texts, same order

    @property
    def rungs_lost(self) -> int:
        return self.aside_index - (-1 if self.current_index is None else self.current_index)

    def _listed(self) -> tuple[str, str]:
        quoted = [f"“{q}”" for q in self.questions]
        if len(quoted) == 1:
            return quoted[0], "it"
        return ", ".join(quoted[:-1]) + " and " + quoted[-1], "them"

    @property
    def message(self) -> str:
        """One sentence for the learner (plain text: the views escape it)."""
        listed, it = self._listed()
        return (f"You stand on {self.current_label} because you marked {listed} as “does not apply”; "
                f"with {it} set aside you would stand on {self.aside_label}.")

    @property
    def team_message(self) -> str:
        """The same sentence about a workshop's consensus answers."""
        listed, it = self._listed()
        answer = "answer" if it == "it" else "answers"
        return (f"The team stands on {self.current_label} because its consensus {answer} to {listed} "
                f"{'is' if it == 'it' else 'are'} “does not apply”; with {it} set aside the team would stand on "
                f"{self.aside_label}.")


def _aside_index(vendor: Vendor, effective: Mapping[str, int], na: frozenset[str]) -> int | None:
    """The ladder rule with every requirement on an N/A question counted as met."""
    current: int | None = None
    for i, lv in enumerate(vendor.levels):
        if not all(r.question in na or effective.get(r.question, -1) >= r.at_least for r in lv.requires):
            break
        current = i
    return current


def _effect(p: VendorPlacement, vendor: Vendor, result: AssessmentResult, order: Mapping[str, int],
            texts: Mapping[str, str]) -> NaEffect | None:
    na = frozenset(result.not_applicable)
    aside = _aside_index(vendor, result.answer_map, na)
    here = -1 if p.current_index is None else p.current_index
    if aside is None or aside <= here:
        return None
    costly = {r.question for lv in vendor.levels[here + 1: aside + 1] for r in lv.requires
              if r.question in na and not r.na_ok}
    ids = tuple(sorted(costly, key=lambda q: order.get(q, len(order))))
    return NaEffect(
        vendor_id=vendor.id,
        vendor_name=vendor.name,
        current_index=p.current_index,
        current_label=p.current_label,
        aside_index=aside,
        aside_label=rung_title(vendor, vendor.levels[aside]),
        question_ids=ids,
        questions=tuple(texts.get(q, q) for q in ids),
    )


def explain_na(result: AssessmentResult, assessment: Assessment, vendors: Sequence[Vendor]) -> tuple[NaEffect, ...]:
    """The ladders (in the result's order) where setting the N/A questions aside would place the team
    higher, each with the N/A questions that make the difference; empty when N/A costs nothing."""
    if not result.not_applicable:
        return ()
    vmap = {v.id: v for v in vendors}
    order = {q.id: i for i, q in enumerate(assessment.questions)}
    texts = {q.id: q.text for q in assessment.questions}
    out = []
    for p in result.placements:
        v = vmap.get(p.vendor_id)
        effect = _effect(p, v, result, order, texts) if v is not None else None
        if effect is not None:
            out.append(effect)
    return tuple(out)


def effects_by_vendor(result: AssessmentResult, assessment: Assessment, vendors: Sequence[Vendor]) -> dict[str, NaEffect]:
    """:func:`explain_na` keyed by vendor id (for views that draw one card per ladder)."""
    return {e.vendor_id: e for e in explain_na(result, assessment, vendors)}
