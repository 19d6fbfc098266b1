"""The crosswalk: shared stages (rows) against the vendors' ladders (columns), and its table.

Public API
    crosswalk_matrix(crosswalk, vendors, *, static=False) -> Figure
    crosswalk_table(crosswalk, vendors) -> DataFrame
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import plotly.graph_objects as go

from explorer.assess.ladders import rung_label
from explorer.charts.base import CROSSWALK_SCALE, GREY, WHITE, axis, esc, figure, wrap
from explorer.content import schema

__all__ = ["crosswalk_matrix", "crosswalk_table"]


def _crosswalk_cells(crosswalk: schema.Crosswalk, vendors: Sequence[schema.Vendor]):
    by_vendor = {v.id: {lv.id: lv for lv in v.levels} for v in vendors}
    for row in crosswalk.rows:
        cells = []
        for v in vendors:
            lvs = [by_vendor[v.id][lid] for lid in row.levels.get(v.id, []) if lid in by_vendor[v.id]]
            cells.append((v, lvs))
        yield row, cells


def crosswalk_matrix(crosswalk: schema.Crosswalk, vendors: Sequence[schema.Vendor], *, static: bool = False) -> go.Figure:
    """Stages (rows, top to bottom in YAML order) x vendors (columns): each cell names
    the vendor's rung(s) at that stage, coloured by their automation; hover shows the
    rationale.  ``customdata`` of a cell is ``[row id, vendor id, "level-id,..."]``;
    empty cells (no rung at that stage) are blank with a "—"."""
    vendors = list(vendors)
    stages = [wrap(r.stage, 26) for r in crosswalk.rows]
    cols = [esc(v.name) for v in vendors]
    z, text, custom, hover = [], [], [], []
    empty: list[tuple[str, str]] = []
    for (row, cells), stage in zip(_crosswalk_cells(crosswalk, vendors), stages):
        zr, tr, cr, hr = [], [], [], []
        for (v, lvs), col in zip(cells, cols):
            if lvs:
                zr.append(sum(lv.automation for lv in lvs) / len(lvs))
                tr.append("<br>".join(f"<b>{esc(rung_label(v, lv))}</b><br>{wrap(lv.name, 20)}" for lv in lvs))
                names = ", ".join(f"{rung_label(v, lv)} ({lv.name})" for lv in lvs)
                hr.append(f"<b>{esc(row.stage)}</b><br>{esc(v.name)}: {esc(names)}<br><br>{wrap(row.rationale, 60)}")
            else:
                zr.append(None)
                tr.append("")
                hr.append(f"<b>{esc(row.stage)}</b><br>{esc(v.name)}: no rung at this stage<br><br>{wrap(row.rationale, 60)}")
                empty.append((col, stage))
            cr.append([row.id, v.id, ",".join(lv.id for lv in lvs)])
        z.append(zr)
        text.append(tr)
        custom.append(cr)
        hover.append(hr)
    heat = dict(
            type="heatmap", z=z, x=cols, y=stages, text=text, customdata=custom, hovertext=hover,
            texttemplate="%{text}", textfont={"color": WHITE, "size": 14 if static else 12},
            hovertemplate="%{hovertext}<extra></extra>", colorscale=CROSSWALK_SCALE, zmin=0, zmax=1,
            xgap=4, ygap=4, showscale=True, hoverongaps=False, name="Crosswalk",
            colorbar={"title": {"text": "Automation", "side": "right"}, "tickvals": [0, 1], "ticktext": ["manual", "automated"],
                      "thickness": 12, "len": 0.6, "outlinewidth": 0},
    )
    layout = dict(
        annotations=[dict(x=col, y=stage, text="—", showarrow=False, font={"color": GREY, "size": 16}) for col, stage in empty],
        xaxis=axis("Vendor", static=static, grid=False, side="top", fixedrange=True),
        yaxis=axis("Shared stage (manual at the top)", static=static, grid=False, autorange="reversed", fixedrange=True),
    )
    lines = []
    for row, cells in _crosswalk_cells(crosswalk, vendors):
        parts = [f"{v.name}: " + (", ".join(f"{rung_label(v, lv)} {lv.name}" for lv in lvs) or "none") for v, lvs in cells]
        lines.append(f"{row.stage} — " + "; ".join(parts) + ".")
    desc = f"Crosswalk matrix of {len(crosswalk.rows)} shared stages against {len(vendors)} vendors. " + " ".join(lines)
    height = 140 + 92 * len(crosswalk.rows)
    return figure([heat], layout, title="Crosswalk: the three ladders lined up", subtitle=wrap(crosswalk.caveat, 120 if static else 95),
                   description=desc, static=static, height=height, top_extra=62)


def crosswalk_table(crosswalk: schema.Crosswalk, vendors: Sequence[schema.Vendor]) -> pd.DataFrame:
    rows = []
    for row, cells in _crosswalk_cells(crosswalk, vendors):
        d = {"Stage": row.stage}
        for v, lvs in cells:
            d[v.name] = "; ".join(f"{rung_label(v, lv)} ({lv.name})" for lv in lvs) or "—"
        d["Rationale"] = row.rationale
        d["id"] = row.id
        rows.append(d)
    return pd.DataFrame(rows)
