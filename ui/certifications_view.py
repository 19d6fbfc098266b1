"""The certifications page's parts: the table's rows and filters (``?issuer=AWS,Google``, ``?find=``), one
certification in detail, the retired ones with their successors, and the charts."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from explorer import charts
from explorer.content.loader import Content
from explorer.content.sources import STALE_NOTE, is_stale

from . import urlstate
from .caches import figure, table
from .widgets import glossary_links, literal, plotly, source_line, titled_bullets

STATUS_LABEL = {"active": "Active", "retired": "Retired", "not-a-certification": "Not a certification"}
HIDDEN = ["id", "status_key"]  # columns kept for filtering, not shown
FILTERS = (("Issuer", "issuer", "Issuer"), ("Domain", "domain", "Domain"), ("Level", "level", "Level"),
           ("Status", "status", "status_key"))  # label, parameter, column


def status_text(x, by_id: dict) -> str:
    if x.status == "retired":
        succ = by_id.get(x.successor)
        return f"Retired {x.retired_on} → {succ.name if succ else x.successor}"
    return STATUS_LABEL[x.status]


def _build_views(certs, quarter_names: dict[str, str], today: dt.date):
    by_id = {x.id: x for x in certs}
    rows = pd.DataFrame([{
        "id": x.id, "Certification": x.name, "Issuer": x.issuer, "Domain": x.domain, "Level": x.level,
        "Status": status_text(x, by_id), "status_key": STATUS_LABEL[x.status],
        "Serves": ", ".join(quarter_names.get(q, q) for q in x.quarters),
        "Exam": (x.exam.code or "") if x.exam else "", "Unconfirmed": len(x.unconfirmed), "Source": x.source_url,
        "Last verified": x.last_verified.isoformat() + (f", {STALE_NOTE}" if is_stale(x.last_verified, today) else ""),
    } for x in certs])
    options = {col: sorted(rows[col].unique()) for col in ("Issuer", "Domain", "Level")}
    options["status_key"] = list(dict.fromkeys(rows["status_key"]))
    return rows, rows.drop(columns=HIDDEN), options


def filtered_table(c: Content) -> None:
    """The filters (kept in the URL) and the table they narrow."""
    quarter_names = {q.id: q.short for q in c.breakdown.quarters} if c.ok("breakdown") else {}
    # built once per content (and day: the stale marks)
    rows, shown_all, options = table(c, "cert_views", _build_views, c.certifications, quarter_names, today=dt.date.today())
    chosen = {}
    with st.container(border=True):
        for col, (label, param, column) in zip(st.columns(4), FILTERS):
            picked = urlstate.follow_list(param, options[column], what=f"{label.lower()} filter")
            chosen[column] = col.multiselect(label, options[column], default=picked, **urlstate.list_widget(param, f"f_{param}"))
        urlstate.check("find", what="text filter", max_chars=80, cuts=True)
        text = st.text_input("Filter by name or exam code", key="find", bind="query-params", max_chars=80)
    view = rows
    for column, picked in chosen.items():
        if picked:
            view = view[view[column].isin(picked)]
    if text.strip():
        needle = text.strip().lower()
        view = view[view["Certification"].str.lower().str.contains(needle, regex=False)
                    | view["Exam"].str.lower().str.contains(needle, regex=False)]
    st.caption(f"{len(view)} of {len(rows)} shown")
    st.dataframe(
        shown_all if view is rows else view.drop(columns=HIDDEN), hide_index=True, width="stretch",
        column_config={
            "Source": st.column_config.LinkColumn("Source", display_text="source"),
            "Unconfirmed": st.column_config.NumberColumn("Unconfirmed facts", help="How many facts about this entry are not settled by public sources"),
        },
    )


def retired(certs) -> None:
    gone = [x for x in certs if x.status == "retired"]
    if not gone:
        return
    by_id = {x.id: x for x in certs}
    st.subheader("Retired, and what replaced them")
    for x in gone:
        succ = by_id.get(x.successor)
        st.warning(
            f"**{literal(x.name, 120)}** was retired on {x.retired_on}. Successor: **{literal(succ.name if succ else x.successor, 120)}**. "
            + (literal(x.status_note, 400) if x.status_note else ""),
            icon=":material/history:",
        )


def details(c: Content, x) -> None:
    by_id = {y.id: y for y in c.certifications}
    with st.container(border=True):
        st.markdown(f"### {literal(x.name, 150)}")
        st.caption(f"{literal(x.issuer)} · {literal(x.level)} · {literal(x.domain)} · named in the notes as “{literal(x.course_name, 120)}”")
        if x.status == "not-a-certification":
            st.info(f"**{literal(x.name)} is a framework, not a certification.** " + literal(x.status_note, 500), icon=":material/info:")
        elif x.status == "retired":
            st.warning(status_text(x, by_id), icon=":material/history:")
        else:
            st.success("Active", icon=":material/verified:")
        st.markdown(literal(x.summary, 2000))
        if x.exam:
            facts = {k: v for k, v in x.exam.model_dump().items() if v and k != "domains"}
            if facts:
                st.table(pd.DataFrame({"Fact": [k.replace("_", " ").capitalize() for k in facts], "Value": [str(v) for v in facts.values()]}))
            if x.exam.domains:
                st.markdown("**Exam domains:** " + "; ".join(literal(d, 200) for d in x.exam.domains))
        titled_bullets("Not confirmed by public sources:", x.unconfirmed, 400)
        source_line(x.source_url, x.last_verified)
        glossary_links(x.glossary, c)


def at_a_glance(c: Content) -> None:
    certs = c.certifications
    names = ["By issuer", "By domain", "By status"] + (["Which quarter each serves"] if c.ok("breakdown") else [])
    tabs = st.tabs(names)
    for tab, field in zip(tabs, ("issuer", "domain", "status")):
        with tab:
            fig = figure(c, f"certs_by_{field}", charts.certs_by, certs, field)
            plotly(fig, alt=f"Bar chart: number of certifications by {field}")
            st.dataframe(table(c, f"certs_by_{field}_table", charts.certs_by_table, certs, field), hide_index=True)
    if len(tabs) > 3:
        with tabs[3]:
            fig = figure(c, "certs_quarter_matrix", charts.certs_quarter_matrix, certs, c.breakdown)
            plotly(fig, alt="Matrix: which quarter of the 25/25/25/25 breakdown each certification serves")
            st.dataframe(table(c, "certs_quarter_table", charts.certs_quarter_table, certs, c.breakdown), hide_index=True)
