"""Printable one-page report (issue 12): self-contained HTML with print CSS, built without a browser.

:func:`render_report` (one answer set) and :func:`render_workshop_report` (a team's consensus and
its top disagreements) fill ``explorer/templates/report.html.j2`` with Jinja2, **autoescape on**:
every text from content or from a visitor (team, names, notes, owners) is escaped by the template.
The only markup passed in unescaped is the ladder chart, an inline SVG that :func:`ladder_svg`
builds here and escapes itself (``html.escape`` on every text and attribute value), and note links,
which :func:`linkify` builds from escaped pieces (only ``http(s)://`` links become anchors).

The page is self-contained and works offline: no ``<script>``, no external style sheet, font, image
or frame; a Content-Security-Policy meta tag (``default-src 'none'``) makes the browser refuse any
resource that would slip in.  Links to the vendors' sources are ordinary anchors, opened only when
clicked.  "Save as PDF" in the browser's print dialog turns it into the one-page report.
"""

from __future__ import annotations

import datetime as _dt
import html
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from explorer.assess.evidence import MAX_NAME_CHARS, MAX_NOTE_CHARS, NA_LABEL, clean_text, split_links
from explorer.assess.ladders import rung_title
from explorer.assess.na_explain import NA_EXPLAIN_RULE, effects_by_vendor
from explorer.assess.plan import Plan
from explorer.assess.results_export import APP_NAME, MAX_TEAM_LENGTH, content_version
from explorer.assess.scoring_results import AssessmentResult, VendorPlacement
from explorer.assess.scoring_rules import INDEX_FORMULA, LADDER_RULE, NA_RULE, UNANSWERED_RULE
from explorer.charts.base import HIGHLIGHT, STATIC_TEXT, readable, text_colour_on
from explorer.content.schema import Assessment, MLTestScore, Vendor
from explorer.content.sources import checked_label

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "report.html.j2"
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

# ladder chart geometry (px in the SVG's own coordinate system; it scales with the page)
_RUNG_H = 30
_RUNG_GAP = 6
_COL_W = 226
_COL_GAP = 16
_TOP = 40
_BOTTOM = 14


@lru_cache(maxsize=1)
def _env() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATE_DIR)),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["linkify"] = linkify
    return env


def linkify(text: object) -> Markup:
    """Escaped text in which ``http(s)://`` links become anchors (``rel="noopener noreferrer"``)."""
    out = []
    for piece, is_link in split_links(str(text)):
        if is_link:
            url = escape(piece)
            out.append(Markup('<a href="{0}" rel="noopener noreferrer">{0}</a>').format(url))
        else:
            out.append(escape(piece))
    return Markup("").join(out)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _short(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------- the ladder chart
def ladder_svg(
    placements: Sequence[VendorPlacement],
    vendors: Sequence[Vendor],
    *,
    second: Mapping[str, int | None] | None = None,
    counts: Mapping[str, Sequence[int]] | None = None,
    here_label: str = "You",
    second_label: str = "Median of individuals",
) -> Markup:
    """An inline SVG: one ladder per vendor (bottom rung at the bottom), the current rung filled in the
    vendor's colour and marked, rungs below tinted, rungs above outlined.

    ``second``: vendor id -> another rung position to mark with a hollow diamond (the workshop's
    median of individual placements); ``counts``: vendor id -> participants per rung, written on
    the rungs.  Every text is escaped here; the result is safe to insert as markup.
    """
    vmap = {v.id: v for v in vendors}
    cols = [(p, vmap[p.vendor_id]) for p in placements if p.vendor_id in vmap]
    n_max = max((len(v.levels) for _, v in cols), default=1)
    width = max(1, len(cols)) * _COL_W + (max(1, len(cols)) - 1) * _COL_GAP
    height = _TOP + n_max * (_RUNG_H + _RUNG_GAP) + _BOTTOM
    parts = []
    desc = "; ".join(f"{v.name}: {p.current_label}" for p, v in cols)
    parts.append(
        f'<svg class="ladders" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-labelledby="ladders-title">'
        f'<title id="ladders-title">{_e("Where the ladders place this result: " + desc)}</title>'
    )
    for ci, (p, v) in enumerate(cols):
        x0 = ci * (_COL_W + _COL_GAP)
        colour = readable(v.color)
        on = text_colour_on(colour)
        parts.append(f'<g class="ladder" data-vendor="{_e(v.id)}">')
        parts.append(f'<text x="{x0 + _COL_W / 2:g}" y="16" text-anchor="middle" class="lh">{_e(v.name)}</text>')
        parts.append(f'<text x="{x0 + _COL_W / 2:g}" y="31" text-anchor="middle" class="ls">{_e(_short(p.current_label, 40))}</text>')
        bottom = height - _BOTTOM
        mark2 = (second or {}).get(v.id, "unset")
        cnt = list((counts or {}).get(v.id, ()))
        for i, lv in enumerate(v.levels):
            y = bottom - (i + 1) * (_RUNG_H + _RUNG_GAP) + _RUNG_GAP
            rx, rw = x0 + 22, _COL_W - 44
            current = p.current_index == i
            below = p.current_index is not None and i < p.current_index
            if current:
                style = f'fill="{colour}" stroke="{colour}"'
                tcol = on
            elif below:
                style = f'fill="{colour}" fill-opacity="0.22" stroke="{colour}"'
                tcol = STATIC_TEXT
            else:
                style = f'fill="none" stroke="{colour}" stroke-dasharray="4 3"'
                tcol = STATIC_TEXT
            cls = "rung current" if current else "rung"
            parts.append(f'<rect class="{cls}" x="{rx}" y="{y}" width="{rw}" height="{_RUNG_H}" rx="4" {style} stroke-width="1.5"/>')
            has_count = i < len(cnt) and cnt[i]
            label = _short(rung_title(v, lv), 26 if has_count else 32)
            parts.append(f'<text x="{rx + 8}" y="{y + _RUNG_H / 2 + 4:g}" class="rl" fill="{tcol}">{_e(label)}</text>')
            if has_count:
                parts.append(f'<text x="{rx + rw - 6}" y="{y + _RUNG_H / 2 + 4:g}" text-anchor="end" class="rc" fill="{tcol}">×{cnt[i]}</text>')
            if current:
                ty = y + _RUNG_H / 2
                parts.append(
                    f'<path d="M{rx - 3} {ty:g} l-12 -7 v14 z" fill="{HIGHLIGHT}" class="here">'
                    f'<title>{_e(here_label)}</title></path>'
                )
            if mark2 != "unset" and mark2 == i:
                ty = y + _RUNG_H / 2
                mx = rx + rw + 12
                parts.append(
                    f'<path d="M{mx} {ty - 7:g} l7 7 l-7 7 l-7 -7 z" fill="none" stroke="{STATIC_TEXT}" stroke-width="2" class="second">'
                    f'<title>{_e(second_label)}</title></path>'
                )
        if p.current_index is None:
            parts.append(f'<text x="{x0 + _COL_W / 2:g}" y="{bottom + 11}" text-anchor="middle" class="ls">below the first rung</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return Markup("".join(parts))


# --------------------------------------------------------------------------- contexts
def _when(when: _dt.datetime | None) -> _dt.datetime:
    when = when or _dt.datetime.now(_dt.UTC).replace(microsecond=0)
    return when if when.tzinfo is not None else when.replace(tzinfo=_dt.UTC)


def _scores(result: AssessmentResult, quarter_names: Mapping[str, str]) -> list[dict[str, Any]]:
    return [
        {"name": quarter_names.get(s.key, s.key), "score": "n/a" if s.score is None else f"{s.score:g}", "n_na": s.n_na}
        for s in result.quarter_scores
    ]


def _placements(result: AssessmentResult, plan: Plan | None = None, na_notes: Mapping[str, str] | None = None) -> list[dict[str, Any]]:
    """Each ladder's rung and blockers; ``na_notes``: vendor id -> the sentence saying where the answers
    would stand with the "does not apply" questions set aside (only where that costs rungs)."""
    numbers = {s.key: i for i, s in enumerate(plan.steps, 1)} if plan is not None else {}
    out = []
    for p in result.placements:
        nxt = p.next
        out.append({
            "na_note": (na_notes or {}).get(p.vendor_id, ""),
            "vendor": p.vendor_name,
            "current": p.current_label,
            "at_top": p.at_top,
            "next": p.next_label,
            "blockers": [
                {"question": b.question, "now": b.current_label, "needed": b.needed_label, "na": b.not_applicable,
                 "step": numbers.get(f"{nxt.level_id}/{b.question_id}") if nxt else None}
                for b in p.blockers
            ],
        })
    return out


def _plan(plan: Plan | None, today: _dt.date) -> list[dict[str, Any]]:
    """The plan grouped by the rung it works towards (the vendor guidance and source are printed once per
    rung); steps keep their plan numbers.  The full "why it matters" sentence of each step is in the
    JSON and Markdown exports; the printed row shows what the needed answer looks like."""
    if plan is None:
        return []
    groups: dict[str, dict[str, Any]] = {}
    first: dict[tuple[str, str], int] = {}  # (question id, needed answer) -> number of the first such step
    for i, s in enumerate(plan.steps, 1):
        g = groups.get(s.level_id)
        if g is None:
            url = s.guidance.source_url
            g = groups[s.level_id] = {
                "rung": f"{s.vendor_name} {s.level_label}",
                "guidance": s.guidance.summary,
                "source_url": url,
                "source_host": url.split("/")[2] if url.count("/") >= 2 else url,
                "checked": checked_label(s.guidance.last_verified, today),
                "steps": [],
            }
        g["steps"].append({
            "n": i,
            "key": s.key,
            "question": s.question,
            "now": s.current_label,
            "needed": s.needed_label,
            "looks_like": s.why if s.not_applicable else s.needed_description,
            "same_as": first.get((s.question_id, s.needed_label)),
            "na": s.not_applicable,
            "learn": [r.title.rsplit(" › ", 1)[-1] for r in s.learn],
            "owner": s.owner,
            "target": s.target.isoformat() if s.target else "",
            "overdue": s.overdue(today),
        })
        first.setdefault((s.question_id, s.needed_label), i)
    for g in groups.values():
        g["count"] = len(g["steps"])
    return list(groups.values())


def _evidence(result: AssessmentResult, assessment: Assessment, notes: Mapping[str, str]) -> list[dict[str, Any]]:
    na = set(result.not_applicable)
    skipped = set(result.unanswered)
    rows = []
    for q in assessment.questions:
        note = notes.get(q.id, "")
        if not note and q.id not in na:
            continue
        idx = result.answer_map[q.id]
        answer = f"{NA_LABEL} (N/A)" if q.id in na else ("(unanswered)" if q.id in skipped else q.answers[idx].label)
        rows.append({"question": q.text, "answer": answer, "note": note, "na_reason": q.na_reason if q.id in na else ""})
    return rows


def _base(
    assessment: Assessment, vendors: Sequence[Vendor], mts: MLTestScore | None, when: _dt.datetime, team: str, share_link: str | None
) -> dict[str, Any]:
    return {
        "app": APP_NAME,
        "csp": CSP,
        "team": clean_text(team, MAX_TEAM_LENGTH)[0] if team else "",
        "date": when.strftime("%Y-%m-%d %H:%M UTC"),
        "content_version": content_version(assessment, vendors, mts),
        "questionnaire_version": assessment.version,
        "share_link": share_link if share_link and share_link.startswith(("https://", "http://")) else "",
        "rules": [LADDER_RULE, UNANSWERED_RULE, NA_RULE],
        "index_formula": INDEX_FORMULA,
    }


def render_report(
    result: AssessmentResult,
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    plan: Plan | None = None,
    notes: Mapping[str, str] | None = None,
    participant: str = "",
    team: str = "",
    when: _dt.datetime | None = None,
    mts: MLTestScore | None = None,
    share_link: str | None = None,
    quarter_names: Mapping[str, str] | None = None,
) -> str:
    """The one-page HTML report of one answer set: placements with the ladder chart, blockers, the plan,
    evidence (notes and N/A), scores, the date and the content version."""
    when = _when(when)
    clean_notes = {k: clean_text(v, MAX_NOTE_CHARS)[0] for k, v in (notes or {}).items() if isinstance(v, str)}
    ctx = _base(assessment, vendors, mts, when, team, share_link)
    ctx.update(
        kind="single",
        title="MLOps self-assessment",
        participant=clean_text(participant, MAX_NAME_CHARS)[0],
        chart=ladder_svg(result.placements, vendors),
        placements=_placements(result, plan, {k: e.message for k, e in effects_by_vendor(result, assessment, vendors).items()}),
        na_rule=NA_EXPLAIN_RULE,
        plan=_plan(plan, when.date()),
        evidence=_evidence(result, assessment, clean_notes),
        index=f"{result.index:g}",
        scores=_scores(result, dict(quarter_names or {})),
        n_unanswered=len(result.unanswered),
        n_na=len(result.not_applicable),
    )
    return _env().get_template(TEMPLATE).render(**ctx)


def render_workshop_report(
    workshop: Any,
    assessment: Assessment,
    vendors: Sequence[Vendor],
    *,
    plan: Plan | None = None,
    team: str = "",
    when: _dt.datetime | None = None,
    mts: MLTestScore | None = None,
    share_link: str | None = None,
    quarter_names: Mapping[str, str] | None = None,
    top: int = 5,
) -> str:
    """The one-page HTML report of a workshop: consensus placements (with the median of individual
    rungs marked), the top disagreements, the consensus plan, the date and the content version."""
    from explorer.assess.workshop import CONSENSUS_RULE, INDIVIDUAL_RULE
    from explorer.assess.workshop_spread import SPREAD_RULE, counts_table

    when = _when(when)
    result = workshop.result
    ctx = _base(assessment, vendors, mts, when, team, share_link)
    ladders = []
    for lc in workshop.ladders:
        ladders.append({
            "vendor": lc.vendor_name,
            "consensus": lc.consensus.current_label,
            "individual": lc.individual_label,
            "agree": lc.agree,
            "named": [{"name": n, "rung": r} for n, r in lc.named],
        })
    disagreements = []
    for s in workshop.top_disagreements(top):
        disagreements.append({
            "question": s.question,
            "consensus": s.consensus_label,
            "range": f"{s.label(s.min)} → {s.label(s.max)}",
            "iqr": f"{s.iqr:g}",
            "counts": [{"label": lab, "n": n, "names": list(names)} for lab, n, names in counts_table(s)],
            "n_unanswered": s.n_unanswered,
            "notes": [{"who": who, "note": note} for who, note in s.notes],
        })
    named_rows = []
    if workshop.ladders:
        for j, (name, _) in enumerate(workshop.ladders[0].named):
            named_rows.append({"name": name, "rungs": [lc.named[j][1] for lc in workshop.ladders]})
    ctx.update(
        kind="workshop",
        named_rows=named_rows,
        title="MLOps self-assessment: team workshop",
        participant="",
        size=workshop.size,
        named=list(workshop.named),
        chart=ladder_svg(
            result.placements, vendors,
            second={lc.vendor_id: lc.individual_median for lc in workshop.ladders},
            counts={lc.vendor_id: lc.distribution for lc in workshop.ladders},
            here_label="Team consensus", second_label="Median of individual rungs",
        ),
        placements=_placements(result, plan, {k: e.team_message for k, e in effects_by_vendor(result, assessment, vendors).items()}),
        na_rule=NA_EXPLAIN_RULE,
        ladders=ladders,
        disagreements=disagreements,
        n_disagreements=len(workshop.disagreements),
        plan=_plan(plan, when.date()),
        evidence=[],
        index=f"{result.index:g}",
        scores=_scores(result, dict(quarter_names or {})),
        n_unanswered=len(result.unanswered),
        n_na=len(result.not_applicable),
        workshop_rules=[CONSENSUS_RULE, INDIVIDUAL_RULE, SPREAD_RULE],
    )
    return _env().get_template(TEMPLATE).render(**ctx)
