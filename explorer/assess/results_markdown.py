"""The result as a Markdown report a person reads (issue 4): rungs, blockers, next steps, scores, the
ML Test Score, the answers with "does not apply" and notes, and the improvement plan when one is given.

Every text that came from content or from a visitor is escaped (:func:`md_escape`), so Markdown or
HTML in it is shown literally.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping, Sequence

from explorer.assess.evidence import MAX_NAME_CHARS, NA_LABEL, clean_text
from explorer.assess.mlts import MLTestScoreResult
from explorer.assess.plan import Plan, plan_markdown
from explorer.assess.results_export import APP_NAME, aware_utc, clean_notes, content_version, now_utc
from explorer.assess.scoring_results import AssessmentResult
from explorer.assess.scoring_rules import INDEX_FORMULA, LADDER_RULE, NA_RULE, SCORE_FORMULA
from explorer.content.schema import Assessment, MLTestScore, Vendor

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+!|<>~])")


def md_escape(text: str) -> str:
    """Escape text so Markdown (and any HTML) in it is shown literally; newlines become spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def export_markdown(
    result: AssessmentResult,
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    mts: MLTestScore | None = None,
    mts_result: MLTestScoreResult | None = None,
    team: str = "",
    when: _dt.datetime | None = None,
    share_link: str | None = None,
    quarter_names: Mapping[str, str] | None = None,
    max_steps: int = 7,
    notes: Mapping[str, str] | None = None,
    participant: str = "",
    plan: Plan | None = None,
) -> str:
    """A human-readable report: rungs, blockers, next steps, scores, optional ML Test Score, answers
    (with "does not apply" and notes), and the improvement plan when one is given."""
    when = aware_utc(when or now_utc())
    qn = dict(quarter_names or {})
    qmap = {q.id: q for q in assessment.questions}
    clean = clean_notes(notes, assessment)
    title = "MLOps self-assessment" + (f": {md_escape(team)}" if team.strip() else "")
    lines = [f"# {title}", ""]
    name = clean_text(participant, MAX_NAME_CHARS)[0]
    if name:
        lines.append(f"- Answered by: {md_escape(name)}")
    lines.append(f"- Date: {when.strftime('%Y-%m-%d %H:%M')} UTC")
    lines.append(f"- Content version: {content_version(assessment, vendors, mts)} (questionnaire version {assessment.version})")
    lines.append(f"- Made with: {APP_NAME}; nothing was stored on the server.")
    if share_link:
        lines.append(f"- Share link (opens this result): <{share_link}>")
    if result.unanswered:
        lines.append(f"- {len(result.unanswered)} unanswered question(s) counted as their first answer: {', '.join(result.unanswered)}")
    if result.not_applicable:
        lines.append(f"- {len(result.not_applicable)} question(s) marked 'does not apply': {', '.join(result.not_applicable)}. {NA_RULE}")
    lines += ["", "## Where you stand", "", LADDER_RULE, ""]
    lines += ["| Vendor | Current rung | Next rung | Answers holding you back |", "|---|---|---|---|"]
    for p in result.placements:
        lines.append(
            f"| {md_escape(p.vendor_name)} | {md_escape(p.current_label)} | "
            f"{md_escape(p.next_label)} | {len(p.blockers)} |"
        )
    lines += ["", "## What holds you back", ""]
    for p in result.placements:
        nxt = p.next
        if nxt is None:
            lines.append(f"- **{md_escape(p.vendor_name)}**: you are on the top rung.")
            continue
        lines.append(f"- **{md_escape(p.vendor_name)}**, to reach {md_escape(p.next_label)}:")
        for b in p.blockers:
            learn = f" Learn: {', '.join(f'`{r}`' for r in b.learn)}." if b.learn else ""
            lines.append(
                f"  - {md_escape(b.question)} Now: *{md_escape(b.current_label)}*"
                f"{'' if b.answered else ' (unanswered)'}; needed: *{md_escape(b.needed_label)}* or better.{learn}"
            )
    lines += ["", "## Next steps", ""]
    if not result.next_steps:
        lines.append("Nothing holds you back on any ladder.")
    for i, s in enumerate(result.next_steps[:max_steps], 1):
        learn = f" Learn: {', '.join(f'`{r}`' for r in s.learn)}." if s.learn else ""
        lines.append(
            f"{i}. {md_escape(s.question)} Move from *{md_escape(s.current_label)}* to *{md_escape(s.target_label)}* "
            f"(holds back {len(s.unblocks)} next rung(s): {', '.join(lv for _, lv in s.unblocks)}).{learn}"
        )
    if len(result.next_steps) > max_steps:
        lines.append(f"\n…and {len(result.next_steps) - max_steps} more.")
    if plan is not None:
        lines += ["", *plan_markdown(plan, md_escape=md_escape)]
    lines += ["", "## Scores (0-100)", "", f"Index: **{result.index:g}**. {INDEX_FORMULA}.", "", SCORE_FORMULA + ".", ""]
    lines += ["| Quarter | Score | Questions |", "|---|---|---|"]
    for s in result.quarter_scores:
        lines.append(f"| {md_escape(qn.get(s.key, s.key))} | {_fmt_score(s.score)} | {_n_questions(s)} |")
    lines += ["", "| Capability | Score | Questions |", "|---|---|---|"]
    for s in result.capability_scores:
        lines.append(f"| {md_escape(s.key)} | {_fmt_score(s.score)} | {_n_questions(s)} |")
    if mts_result is not None:
        lines += ["", "## ML Test Score", ""]
        lines.append(
            f"Final score **{mts_result.final:g}** (the lowest section total): {md_escape(mts_result.band_label)}. "
            f"{md_escape(mts_result.band_meaning)}"
        )
        lines.append(f"Weakest section: {', '.join(md_escape(n) for n in mts_result.weakest_names)}.")
        lines += ["", "| Section | Points (of 7) | Automated | Manual | Not done |", "|---|---|---|---|---|"]
        for s in mts_result.sections:
            lines.append(f"| {md_escape(s.name)} | {s.total:g} | {s.n_automated} | {s.n_manual} | {s.n_none} |")
        if mts is not None:
            lines += ["", mts.scoring_note]
    lines += ["", "## Answers", ""]
    if clean:
        lines += ["| Question | Answer | Note |", "|---|---|---|"]
    else:
        lines += ["| Question | Answer |", "|---|---|"]
    skipped = set(result.unanswered)
    na = set(result.not_applicable)
    for qid, idx in result.answers:
        q = qmap[qid]
        if qid in na:
            ans = f"{NA_LABEL} (N/A)"
        else:
            ans = "(unanswered)" if qid in skipped else md_escape(q.answers[idx].label)
        row = f"| {md_escape(q.text)} | {ans} |"
        if clean:
            row += f" {md_escape(clean.get(qid, ''))} |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def _fmt_score(score: float | None) -> str:
    return "n/a (no question applies)" if score is None else f"{score:g}"


def _n_questions(s) -> str:
    return f"{s.n_questions} ({s.n_na} N/A)" if s.n_na else str(s.n_questions)
