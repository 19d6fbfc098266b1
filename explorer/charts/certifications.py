"""Certifications the course names: counts by issuer, domain, status or level, and which quarter each serves.

Public API
    CERT_FIELDS                                          # field -> its label
    certs_by(certs, field, *, static=False) -> Figure    # field in CERT_FIELDS
    certs_by_table(certs, field) -> DataFrame
    certs_quarter_matrix(certs, breakdown, *, static=False) -> Figure
    certs_quarter_table(certs, breakdown) -> DataFrame
    certs_table(certs) -> DataFrame
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from explorer.charts.base import FAINT, PALETTE, STATIC_EMPTY, STATUS_COLOURS, axis, esc, figure, palette_colour, readable
from explorer.content import schema

__all__ = ["CERT_FIELDS", "certs_by", "certs_by_table", "certs_quarter_matrix", "certs_quarter_table", "certs_table"]


CERT_FIELDS = {"issuer": "Issuer", "domain": "Domain", "status": "Status", "level": "Level"}


def _cert_groups(certs: Sequence[schema.Certification], field_name: str) -> list[tuple[str, list[schema.Certification]]]:
    if field_name not in CERT_FIELDS:
        raise ValueError(f"field must be one of {sorted(CERT_FIELDS)}, got {field_name!r}")
    groups: dict[str, list[schema.Certification]] = {}
    for c in certs:
        groups.setdefault(getattr(c, field_name), []).append(c)
    return sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0].lower()))


def certs_by(certs: Sequence[schema.Certification], field: str, *, static: bool = False) -> go.Figure:  # noqa: A002
    """Horizontal bars counting certifications per ``field`` value (issuer, domain,
    status or level), largest first (top); ``customdata`` is the field value."""
    groups = _cert_groups(certs, field)
    label = CERT_FIELDS[field]
    cats = [k for k, _ in groups]
    counts = [len(v) for _, v in groups]
    if field == "status":
        colours = [readable(STATUS_COLOURS.get(k, PALETTE[0])) for k in cats]
    else:
        colours = [palette_colour(0)] * len(cats)
    bars = dict(
            type="bar", orientation="h", name=label, y=[esc(k) for k in cats], x=counts, customdata=cats, marker={"color": colours},
            text=[str(n) for n in counts], textposition="outside", cliponaxis=False,
            hovertext=[f"<b>{esc(k)}</b>: {len(v)}<br>" + "<br>".join(esc(c.name) for c in v) for k, v in groups],
            hovertemplate="%{hovertext}<extra></extra>",
    )
    layout = dict(
        xaxis=axis("Number of certifications", static=static, dtick=1, range=[0, max(counts + [1]) * 1.15 + 0.2], fixedrange=True),
        yaxis=axis(label, static=static, grid=False, autorange="reversed", fixedrange=True),
        bargap=0.3,
    )
    desc = f"Bar chart of {len(certs)} certifications by {label.lower()}: " + "; ".join(f"{k} {n}" for k, n in zip(cats, counts)) + "."
    return figure([bars], layout, title=f"Certifications by {label.lower()}", description=desc, static=static,
                   height=max(260, 110 + 42 * len(cats)))


def certs_by_table(certs: Sequence[schema.Certification], field: str) -> pd.DataFrame:  # noqa: A002
    groups = _cert_groups(certs, field)
    return pd.DataFrame(
        [{CERT_FIELDS[field]: k, "Count": len(v), "Certifications": "; ".join(c.name for c in v)} for k, v in groups]
    )


def _cert_label(c: schema.Certification) -> str:
    if c.status == "retired":
        return f"{c.name} (retired)"
    if c.status == "not-a-certification":
        return f"{c.name} (not a certification)"
    return c.name


def certs_quarter_matrix(
    certs: Sequence[schema.Certification], breakdown: schema.Breakdown, *, static: bool = False
) -> go.Figure:
    """Certifications (rows, YAML order from the top) x breakdown quarters (columns):
    a filled square where a certification serves a quarter.  Trace 0 ("Not served")
    draws faint dots for the empty cells; trace 1 ("Serves") the squares, with
    ``customdata`` = ``[certification id, quarter id]``."""
    qs = breakdown.quarters
    qcol = {q.id: readable(q.color) for q in qs}
    qshort = {q.id: q.short for q in qs}
    ys = [esc(_cert_label(c)) for c in certs]
    on_x, on_y, on_c, on_cd, on_h = [], [], [], [], []
    off_x, off_y = [], []
    for c, y in zip(certs, ys):
        for q in qs:
            if q.id in c.quarters:
                on_x.append(q.short)
                on_y.append(y)
                on_c.append(qcol[q.id])
                on_cd.append([c.id, q.id])
                on_h.append(f"<b>{esc(c.name)}</b> serves <b>{esc(q.name)}</b><br>{esc(c.issuer)} · {esc(c.level)} · {esc(c.status)}")
            else:
                off_x.append(q.short)
                off_y.append(y)
    data = [
        dict(type="scatter", name="Not served", x=off_x, y=off_y, mode="markers", hoverinfo="skip", showlegend=False,
             marker={"size": 6, "color": FAINT if not static else STATIC_EMPTY, "symbol": "circle"}),
        dict(type="scatter", name="Serves", x=on_x, y=on_y, mode="markers", customdata=on_cd, hovertext=on_h,
             hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
             marker={"size": 22 if static else 18, "color": on_c, "symbol": "square"}),
    ]
    layout = dict(
        xaxis=axis("Quarter of the breakdown", static=static, grid=False, side="top", fixedrange=True,
                    categoryorder="array", categoryarray=[q.short for q in qs], range=[-0.5, len(qs) - 0.5]),
        yaxis=axis("Certification", static=static, grid=True, autorange="reversed", fixedrange=True,
                    categoryorder="array", categoryarray=ys),
    )
    lines = [f"{c.name}: " + ", ".join(qshort[q] for q in c.quarters if q in qshort) for c in certs]
    desc = f"Matrix of {len(certs)} certifications against the {len(qs)} quarters they serve. " + "; ".join(lines) + "."
    return figure(data, layout, title="Which quarter each certification serves", description=desc, static=static,
                   height=110 + 34 * len(certs), top_extra=48)


def certs_quarter_table(certs: Sequence[schema.Certification], breakdown: schema.Breakdown) -> pd.DataFrame:
    rows = []
    for c in certs:
        d = {"Certification": c.name, "Status": c.status}
        for q in breakdown.quarters:
            d[q.short] = "✓" if q.id in c.quarters else ""
        d["id"] = c.id
        rows.append(d)
    return pd.DataFrame(rows)


def certs_table(certs: Sequence[schema.Certification]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "Certification": c.name,
                "Issuer": c.issuer,
                "Level": c.level,
                "Domain": c.domain,
                "Status": c.status,
                "Quarters": ", ".join(c.quarters),
                "id": c.id,
            }
            for c in certs
        ]
    )
