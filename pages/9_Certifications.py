"""Certifications the course names: filterable table, status (retired ones with successor), sources, charts.

Deep links: ``/Certifications?cert=<id>`` opens one; the filters travel too
(``issuer=``, ``domain=``, ``level=``, ``status=`` as comma-separated values, ``find=`` text).
"""

import datetime as dt

import pandas as pd
import streamlit as st

import ui
from explorer import charts
from explorer.sources import STALE_NOTE, is_stale

c = ui.frame("Certifications", ":material/workspace_premium:")
st.title("Certifications")
ui.need(c, "certifications")
certs = c.certifications
by_id = {x.id: x for x in certs}
quarter_names = {q.id: q.short for q in c.breakdown.quarters} if c.ok("breakdown") else {}

st.markdown(
    "The course lists certifications that fit MLOps work. Several have changed since: "
    "retired exams are flagged with their successor, and facts that public sources do not settle are marked unconfirmed. "
    "Exam facts change often, so check the source link before you book anything."
)

STATUS_LABEL = {"active": "Active", "retired": "Retired", "not-a-certification": "Not a certification"}


def status_text(x) -> str:
    if x.status == "retired":
        succ = by_id.get(x.successor)
        return f"Retired {x.retired_on} → {succ.name if succ else x.successor}"
    return STATUS_LABEL[x.status]


def build_rows(certs_, today: dt.date) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": x.id,
                "Certification": x.name,
                "Issuer": x.issuer,
                "Domain": x.domain,
                "Level": x.level,
                "Status": status_text(x),
                "status_key": STATUS_LABEL[x.status],
                "Serves": ", ".join(quarter_names.get(q, q) for q in x.quarters),
                "Exam": (x.exam.code or "") if x.exam else "",
                "Unconfirmed": len(x.unconfirmed),
                "Source": x.source_url,
                "Last verified": x.last_verified.isoformat() + (f", {STALE_NOTE}" if is_stale(x.last_verified, today) else ""),
            }
            for x in certs_
        ]
    )


HIDDEN = ["id", "status_key"]  # columns kept for filtering, not shown


def build_views(certs_, today: dt.date) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, list[str]]]:
    """The rows, the rows as shown when nothing is filtered, and each filter's choices (built once per content)."""
    rows_ = build_rows(certs_, today)
    options_ = {col: sorted(rows_[col].unique()) for col in ("Issuer", "Domain", "Level")}
    options_["status_key"] = list(dict.fromkeys(rows_["status_key"]))
    return rows_, rows_.drop(columns=HIDDEN), options_


rows, shown_all, options = ui.table(c, "cert_views", build_views, certs, today=dt.date.today())  # today: the stale marks


def multi_filter(col, label: str, param: str, options: list[str]) -> list[str]:
    """A multiselect whose choices live in the URL as a comma-separated list."""
    key = f"f_{param}"

    def parse(raw: str) -> list[str]:
        picked = [x for x in raw.split(",") if x in options]
        if not picked:
            raise ValueError(f"The link's {label.lower()} filter “{ui.literal(raw)}” matches nothing here; showing all.")
        return picked

    ui.bind(param, key, parse=parse, default=[], what=f"the {label.lower()} filter")
    return col.multiselect(label, options, key=key, on_change=ui.push_state(param, key, lambda v: ",".join(v) or None))


with st.container(border=True):
    f1, f2, f3, f4 = st.columns(4)
    issuers = multi_filter(f1, "Issuer", "issuer", options["Issuer"])
    domains = multi_filter(f2, "Domain", "domain", options["Domain"])
    levels = multi_filter(f3, "Level", "level", options["Level"])
    statuses = multi_filter(f4, "Status", "status", options["status_key"])
    ui.bind("find", "f_text", default="", what="the text filter", max_chars=80)
    text = st.text_input("Filter by name or exam code", key="f_text", max_chars=80, on_change=ui.push_state("find", "f_text")) or ""

view = rows
for col, chosen in (("Issuer", issuers), ("Domain", domains), ("Level", levels), ("status_key", statuses)):
    if chosen:
        view = view[view[col].isin(chosen)]
if text.strip():
    needle = text.strip().lower()
    view = view[view["Certification"].str.lower().str.contains(needle, regex=False) | view["Exam"].str.lower().str.contains(needle, regex=False)]

st.caption(f"{len(view)} of {len(rows)} shown")
st.dataframe(
    shown_all if view is rows else view.drop(columns=HIDDEN),
    hide_index=True,
    width="stretch",
    column_config={
        "Source": st.column_config.LinkColumn("Source", display_text="source"),
        "Unconfirmed": st.column_config.NumberColumn("Unconfirmed facts", help="How many facts about this entry are not settled by public sources"),
    },
)

retired = [x for x in certs if x.status == "retired"]
if retired:
    st.subheader("Retired, and what replaced them")
    for x in retired:
        succ = by_id.get(x.successor)
        st.warning(
            f"**{ui.literal(x.name, 120)}** was retired on {x.retired_on}. Successor: **{ui.literal(succ.name if succ else x.successor, 120)}**. "
            + (ui.literal(x.status_note, 400) if x.status_note else ""),
            icon=":material/history:",
        )

st.subheader("Details")
chosen = ui.bind("cert", "cert_pick", choices=by_id, what="the certification")
st.selectbox("Certification", list(by_id), format_func=lambda i: by_id[i].name, key="cert_pick",
             on_change=ui.push_state("cert", "cert_pick"), placeholder="Pick a certification for its details")
if chosen is None:
    st.info("Pick a certification above (or follow a link from a search, a card or the breakdown) to see its facts.",
            icon=":material/touch_app:")
    x = None
else:
    x = by_id[chosen]
def cert_details(x) -> None:
    with st.container(border=True):
        st.markdown(f"### {ui.literal(x.name, 150)}")
        st.caption(f"{ui.literal(x.issuer)} · {ui.literal(x.level)} · {ui.literal(x.domain)} · named in the notes as “{ui.literal(x.course_name, 120)}”")
        if x.status == "not-a-certification":
            st.info(f"**{ui.literal(x.name)} is a framework, not a certification.** " + ui.literal(x.status_note, 500), icon=":material/info:")
        elif x.status == "retired":
            st.warning(status_text(x), icon=":material/history:")
        else:
            st.success("Active", icon=":material/verified:")
        st.markdown(ui.literal(x.summary, 2000))
        if x.exam:
            facts = {k: v for k, v in x.exam.model_dump().items() if v and k != "domains"}
            if facts:
                st.table(pd.DataFrame({"Fact": [k.replace("_", " ").capitalize() for k in facts], "Value": [str(v) for v in facts.values()]}))
            if x.exam.domains:
                st.markdown("**Exam domains:** " + "; ".join(ui.literal(d, 200) for d in x.exam.domains))
        ui.titled_bullets("Not confirmed by public sources:", x.unconfirmed, 400)
        ui.source_line(x.source_url, x.last_verified)
        ui.glossary_links(x.glossary, c)


if x is not None:
    cert_details(x)

st.subheader("At a glance")
if c.ok("breakdown"):
    t1, t2, t3, t4 = st.tabs(["By issuer", "By domain", "By status", "Which quarter each serves"])
else:
    t1, t2, t3 = st.tabs(["By issuer", "By domain", "By status"])
    t4 = None
for tab, field in ((t1, "issuer"), (t2, "domain"), (t3, "status")):
    with tab:
        fig = ui.figure(c, f"certs_by_{field}", charts.certs_by, certs, field)
        ui.plotly(fig, alt=f"Bar chart: number of certifications by {field}")
        st.dataframe(ui.table(c, f"certs_by_{field}_table", charts.certs_by_table, certs, field), hide_index=True)
if t4 is not None:
    with t4:
        fig = ui.figure(c, "certs_quarter_matrix", charts.certs_quarter_matrix, certs, c.breakdown)
        ui.plotly(fig, alt="Matrix: which quarter of the 25/25/25/25 breakdown each certification serves")
        st.dataframe(ui.table(c, "certs_quarter_table", charts.certs_quarter_table, certs, c.breakdown), hide_index=True)
