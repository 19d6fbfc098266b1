"""Views shared by the self-assessment and the team workshop (issue 12).

* :func:`blocker_list` and :func:`na_notice` -- under a ladder's rung: what holds the team back (with
  the vendor text each requirement rests on) and, when "does not apply" costs rungs, where the team
  would stand with those questions set aside (``explorer.assess.na_explain``);
* :func:`plan_view` -- the improvement plan grouped by rung (why, the vendor's guidance with its
  source, the notes that teach it) and an editor for owners and target dates;
* :func:`report_download` -- the printable one-page HTML report as a download;
* :func:`movement` -- how a team's rungs moved over time, from a list of dated share codes (the
  browser store feeds it; today the "Compare results" uploader does).

Everything here draws; the rules live in ``explorer`` (plan, report, movement).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

import streamlit as st

from explorer.assess import movement as mv
from explorer.assess import plan as plan_mod
from explorer.assess import sharecode
from explorer.content.loader import Content
from explorer.content.sources import checked_label
from explorer.routes import page_url

from .widgets import literal, note_link_target, plotly


class AssessmentParts(NamedTuple):
    """What the self-assessment and the workshop read from the content (the optional parts may be None/empty)."""

    assessment: Any
    vendors: list
    mts: Any  # the ML Test Score rubric, None when its file is broken
    quarters: dict  # quarter id -> Quarter, empty when the breakdown is broken
    quarter_names: dict[str, str]  # quarter id -> short name


def assessment_parts(c: Content) -> AssessmentParts:
    """The questionnaire, the ladders and the optional parts, for a page that has checked
    ``ui.frame.need(c, "assessment", "maturity")``."""
    quarters = {q.id: q for q in c.breakdown.quarters} if c.ok("breakdown") else {}
    return AssessmentParts(c.assessment, c.vendors, c.ml_test_score if c.ok("ml_test_score") else None,
                           quarters, {k: q.short for k, q in quarters.items()})


NA_CHOICE = -1  # the questionnaire radio's value for "does not apply to us"
_EDITABLE = ("owner", "target")


# --------------------------------------------------------------------------- under a ladder's rung
def na_notice(effect, *, team: bool = False) -> None:
    """Where the team would stand with its "does not apply" questions set aside (nothing when N/A costs
    no rung on this ladder).  ``effect``: an ``explorer.assess.na_explain.NaEffect`` or None; ``team``: say it
    of a workshop's consensus.  :func:`na_rule` says the rule once under the ladders."""
    if effect is not None:
        st.info(literal(effect.team_message if team else effect.message, 900), icon=":material/rule:")


def na_rule(effects) -> None:
    """Under the ladders' cards, once, when "does not apply" cost rungs on any ladder."""
    if effects:
        from explorer.assess.na_explain import NA_EXPLAIN_RULE

        st.caption(":material/rule: " + literal(NA_EXPLAIN_RULE, 300))


def blocker_list(p) -> None:
    """The next rung's blockers of one placement, then (on request) the vendor text each one rests on."""
    lines = []
    for b in p.blockers:
        if b.not_applicable:
            lines.append(f"- {literal(b.question, 200)} — you marked it *does not apply*; this rung expects "
                         f"*{literal(b.needed_label)}*")
        else:
            lines.append(f"- {literal(b.question, 200)} — now *{literal(b.current_label)}*, needs *{literal(b.needed_label)}*")
    st.markdown("\n".join(lines))
    based = [b for b in p.blockers if b.basis]
    if based:
        with st.expander(f"Why {literal(p.vendor_name, 60)} asks for {'this' if len(based) == 1 else 'these'}",
                         icon=":material/format_quote:"):
            st.markdown("\n".join(f"- **{literal(b.question, 200)}** {literal(b.basis, 700)}" for b in based))


# --------------------------------------------------------------------------- improvement plan
def plan_steps(content: Content, plan: plan_mod.Plan, *, max_links: int = 2) -> None:
    """The plan's steps grouped by the rung they work towards; guidance and source once per rung."""
    today = dt.date.today()
    groups: dict[str, list[tuple[int, plan_mod.PlanStep]]] = {}
    for i, s in enumerate(plan.steps, 1):
        groups.setdefault(s.level_id, []).append((i, s))
    for steps in groups.values():
        g = steps[0][1].guidance
        with st.container(border=True):
            n = len(steps)
            st.markdown(f"**{literal(g.vendor_name)} {literal(g.level_label, 120)}**: {n} answer{'s' if n != 1 else ''} to change")
            st.caption(f"Vendor guidance: {literal(g.summary, 600)} "
                       f"Source: [{literal(g.source_url.split('/')[2] if g.source_url.count('/') >= 2 else g.source_url, 80)}]"
                       f"({g.source_url}) · {checked_label(g.last_verified, today)}")
            lines = []
            for i, s in steps:
                links = [t for t in (note_link_target(r.ref, content) for r in s.learn) if t][:max_links]
                # Markdown links, all steps of a rung in one element (an st.page_link per note made the results
                # view about a quarter slower)
                learn = " · ".join(f"[{literal(label, 120)}]({page_url(page, params)})" for page, label, params in links)
                lines.append(f"**{i}.** {literal(s.question, 240)} — now *{literal(s.current_label, 120)}*, needs "
                             f"**{literal(s.needed_label, 120)}**  \n{literal(s.why, 700)}"
                             + (f"  \n:material/school: Learn: {learn}" if learn else ""))
            st.markdown("\n\n".join(lines))


def _editor_key(prefix: str, plan: plan_mod.Plan) -> str:
    """A new editor for every new set of steps (edits are kept by step key, not by row)."""
    return f"{prefix}_{hashlib.sha1('|'.join(plan.keys).encode()).hexdigest()[:10]}"


def _blank(value):
    """None for the editor's empty cells (None, NaN, NaT), the value otherwise."""
    import pandas as pd  # here, not at the top: the home page imports this module and must not load pandas

    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value


def plan_editor(plan: plan_mod.Plan, *, edits: dict | None, editor_prefix: str, today: dt.date | None = None,
                on_change: Callable[[dict], None] | None = None) -> plan_mod.Plan:
    """Owners and target dates edited in place; returns the plan with them.

    ``edits``: the edits the page keeps, by step key (also for steps that are not in this plan, so they
    come back when an answer changes back).  Bad values give a notice and are not kept.
    ``on_change(edits)`` is called with the edits to keep when they change (the page keeps them and puts
    them into the URL).
    """
    import pandas as pd  # only pages with a plan need it (the home page must not load pandas)

    today = today or dt.date.today()
    stored: dict = dict(edits or {})
    base = plan_mod.apply_edits(plan, {k: v for k, v in stored.items() if k in set(plan.keys)}, today=today).plan
    frame = pd.DataFrame(plan_mod.plan_rows(base), columns=["key", "rung", "question", "now", "needed", "owner", "target", "source"])
    frame.insert(0, "step", range(1, len(frame) + 1))
    frame["target"] = frame["target"].astype(object)
    edited = st.data_editor(
        frame,
        key=_editor_key(editor_prefix, plan),
        hide_index=True,
        num_rows="fixed",
        width="stretch",
        height="content",  # every step visible, no inner scrolling
        placeholder="",
        alt="Owners and target dates of the improvement plan, one row per step",
        disabled=[c for c in frame.columns if c not in _EDITABLE],
        # the editable columns first, so they are on screen at any width
        column_order=["step", "owner", "target", "question", "needed", "rung", "source"],
        column_config={
            "step": st.column_config.NumberColumn("#", width="small"),
            "rung": st.column_config.TextColumn("Rung", width="medium"),
            "question": st.column_config.TextColumn("Question", width="large"),
            "now": st.column_config.TextColumn("Now"),
            "needed": st.column_config.TextColumn("Needed answer"),
            "owner": st.column_config.TextColumn("Owner ✎", max_chars=plan_mod.MAX_OWNER_CHARS, width="medium",
                                                 help="Who takes this step (optional)"),
            "target": st.column_config.DateColumn("Target date ✎", width="medium", min_value=plan_mod.DATE_MIN, max_value=plan_mod.DATE_MAX,
                                                  format="YYYY-MM-DD", help="When it should be done (optional)"),
            "source": st.column_config.LinkColumn("Vendor source", display_text="source"),
        },
    )
    rows = [{"key": k, "owner": _blank(o), "target": _blank(t)}
            for k, o, t in zip(edited["key"].tolist(), edited["owner"].tolist(), edited["target"].tolist())]
    res = plan_mod.apply_edits(plan, plan_mod.edits_from_rows(rows), today=today)
    numbers = {k: i for i, k in enumerate(plan.keys, 1)}
    for key, msg in res.errors.items():
        st.warning(f"Step {numbers.get(key, '?')}: {literal(msg, 300)}", icon=":material/edit_off:")
    for key, msg in res.warnings.items():
        st.caption(f"Step {numbers.get(key, '?')}: {literal(msg, 300)}")
    kept = {k: v for k, v in stored.items() if k not in set(plan.keys)}
    kept.update(res.plan.edits)
    if kept != stored and on_change is not None:
        on_change(kept)
    return res.plan


def plan_view(content: Content, plan: plan_mod.Plan, *, edits: dict | None, editor_prefix: str,
              on_change: Callable[[dict], None] | None = None) -> plan_mod.Plan:
    """The whole plan: steps by rung, then the owner/date editor (``edits`` and ``on_change`` as for
    :func:`plan_editor`).  Returns the plan with owners and dates."""
    if not plan.steps:
        st.success("Nothing holds you back on any ladder: there is no step to plan.", icon=":material/emoji_events:")
        return plan
    plan_steps(content, plan)
    stored = edits or {}
    show_key = f"{editor_prefix}_show"
    # The editor on request (open by itself when the plan has owners or dates): a data editor costs
    # a visible share of every rerun of the results.
    if not st.toggle("Owners and target dates", value=any(k in stored for k in plan.keys), key=show_key,
                     help="Give each step an owner and a target date; they go into the link and the reports"):
        return plan_mod.apply_edits(plan, {k: v for k, v in stored.items() if k in set(plan.keys)}).plan
    st.caption("Optional: double-click a cell of the two ✎ columns to edit it.")
    return plan_editor(plan, edits=stored, editor_prefix=editor_prefix, on_change=on_change)


# --------------------------------------------------------------------------- printable report
PRINT_HELP = ("Open the downloaded file in your browser and print it (Ctrl+P, or ⌘P on a Mac); choose "
              "“Save as PDF” as the printer to keep a PDF. The file needs no internet connection.")


def report_download(label: str, render: Callable[[], str], *, file_name: str, key: str) -> None:
    """A download button for a printable HTML report (built only when clicked) and how to print it."""
    st.download_button(label, render, file_name=file_name, mime="text/html", icon=":material/print:", key=key,
                       help=PRINT_HELP, on_click="ignore")  # a download needs no rerun of the page


# --------------------------------------------------------------------------- movement over time
def movement(assessment, vendors, dated_codes: Sequence[tuple], *, mts=None, key: str | None = None) -> list[str]:
    """Draw how the rungs moved, one panel per ladder, from dated share codes; returns what was skipped.

    ``dated_codes``: ``(when, share code)`` or ``(when, share code, label)`` items, in any order
    (``when`` a datetime; naive means UTC).  A code that cannot be read is skipped with a message
    (returned, not raised), so a damaged record never hides the rest.  This is the entry point for
    the browser store: feed it the stored results.
    """
    items = [tuple(i) for i in list(dated_codes)[: mv.MAX_RESULTS * 2]]
    # The figure depends on this learner's results, so it is not shared between sessions (ui.caches.figure is):
    # this session keeps the last one it drew (one per key) and draws it again while the content and the
    # results are the same.  Building it costs most of a results view's rerun (Plotly's subplots).
    memo_key, models = f"_movement_{key}", (assessment, vendors, mts)
    memo = st.session_state.get(memo_key)
    if memo is not None and all(a is b for a, b in zip(memo[0], models)) and memo[1] == items:
        fig, alt, table, skipped = memo[2]
        _draw_movement(fig, alt, table, key)
        return list(skipped)
    results: list[mv.DatedResult] = []
    skipped: list[str] = []
    for n, item in enumerate(items, 1):
        when, code, label = (tuple(item) + ("",))[:3]
        if not isinstance(when, dt.datetime):
            skipped.append(f"result {n}: no date")
            continue
        try:
            d = sharecode.decode(code, assessment, mts)
        except sharecode.ShareCodeError as exc:
            skipped.append(f"result {n}: {exc}")
            continue
        results.append(mv.DatedResult(when, dict(d.answers), d.na, str(label or "")))
    if not results:
        st.caption("No dated results to chart yet.")
        return skipped
    from explorer.charts import describe  # the chart code is loaded by chart pages only
    from explorer.charts import movement as mvc

    series = mv.movement_series(results, assessment, vendors)
    fig = mvc.movement_figure(series)
    alt, table = describe(fig), mvc.movement_table(series)
    st.session_state[memo_key] = (models, items, (fig, alt, table, tuple(skipped)))
    _draw_movement(fig, alt, table, key)
    return skipped


def _draw_movement(fig, alt: str, table, key: str | None) -> None:
    plotly(fig, alt=alt, key=key)
    with st.expander("Rungs over time as a table", icon=":material/table:"):
        st.dataframe(table, hide_index=True, width="stretch")
