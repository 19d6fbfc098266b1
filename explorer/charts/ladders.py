"""The vendors' maturity ladders as staircases on one manual -> automated axis, and their table.

Public API
    ladder_chart(vendors, selected=None, positions=None, *, compact=False, static=False, taglines=False) -> Figure
    ladder_table(vendors) -> DataFrame

How rungs are named, what changes from the rung below and two rungs side by side are logic:
:mod:`explorer.assess.ladders`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from explorer.assess.ladders import rung_heading, rung_label
from explorer.charts.base import FAINT, HIGHLIGHT, WHITE, axis, esc, figure, readable, rgba, text_colour_on, wrap
from explorer.content import schema

__all__ = ["ladder_chart", "ladder_table"]


def _rung_heights(n: int, base: float, band: float = 1.0) -> list[float]:
    lo, span = 0.14 * band, 0.70 * band
    return [base + lo + span * j / (n - 1) for j in range(n)] if n > 1 else [base + lo + span / 2]


def _ladder_hover(vendor: schema.Vendor, lv: schema.Level) -> str:
    parts = [f"<b>{esc(rung_heading(vendor, lv))}</b>"]
    if lv.tagline:
        parts.append(f"<i>{esc(lv.tagline)}</i>")
    parts.append(wrap(lv.summary, 60))
    parts.append(f"Automation ≈ {lv.automation:.2f} (this app's reading)")
    return "<br>".join(parts)


def ladder_chart(
    vendors: Sequence[schema.Vendor],
    selected: str | None = None,
    positions: Mapping[str, str | None] | None = None,
    *,
    compact: bool = False,
    static: bool = False,
    taglines: bool = False,
) -> go.Figure:
    """The vendors' ladders as staircases on one common x-axis (``Level.automation``,
    manual -> fully automated), one horizontal band per vendor, first vendor on top.

    Traces, per vendor in order: ``"<vendor> base"`` (invisible), ``"<vendor> steps"``
    (the filled staircase, not hoverable), ``"<vendor name>"`` (the rungs: markers,
    ``customdata`` = level id, ``meta`` = vendor id).  Then ``"Selected rung"`` (a
    ring around ``selected``, a level id) and ``"You are here"`` (``positions``:
    vendor id -> level id, or None for "not on the first rung yet") when given.
    Unknown ids are ignored.  ``compact`` drops the rung names (rank numbers inside
    the markers instead); ``taglines`` adds each rung's tagline under its name.
    A single vendor gets its rung labels on the y-axis.
    """
    vendors = list(vendors)
    if not vendors:
        raise ValueError("ladder_chart needs at least one vendor")
    positions = dict(positions or {})
    nv = len(vendors)
    single = nv == 1
    data: list[dict] = []
    band_px = (360 if single else 190) if not compact else (150 if single else 95)
    here_offset = 22 / band_px  # "you are here" pointer sits ~22 px above its rung
    sel_points: list[tuple[float, float, str, str, str]] = []
    here_points: list[tuple[float, float, str, str]] = []
    font_size = 15 if static else 12
    tickvals: list[float] = []
    ticktext: list[str] = []
    for i, v in enumerate(vendors):
        base = float(nv - 1 - i)
        colour = readable(v.color)
        levels = v.levels
        ys = _rung_heights(len(levels), base)
        xs = [lv.automation for lv in levels]
        floor = base + 0.04
        x_end = max(1.0, xs[-1])
        # filled staircase: invisible floor line, then the step line filled down to it
        data.append(dict(
            type="scatter", name=f"{v.name} base", x=[xs[0], x_end], y=[floor, floor], mode="lines",
            line={"width": 0, "color": rgba(colour, 0)}, hoverinfo="skip", showlegend=False,
        ))
        data.append(dict(
            type="scatter", name=f"{v.name} steps", x=[*xs, x_end], y=[*ys, ys[-1]], mode="lines",
            line={"color": colour, "width": 3, "shape": "hv"}, fill="tonexty", fillcolor=rgba(colour, 0.16),
            hoverinfo="skip", showlegend=False,
        ))
        labels, positions_txt, sizes, line_w = [], [], [], []
        for j, lv in enumerate(levels):
            is_sel = lv.id == selected
            name = f"{esc(rung_label(v, lv))} · {esc(lv.name)}" if not single else esc(lv.name)
            if taglines and lv.tagline:
                name = f"<b>{name}</b><br><span style='font-size:{font_size - 2}px'>{esc(lv.tagline)}</span>"
            elif is_sel or static:
                name = f"<b>{name}</b>"
            if is_sel:  # keep the label clear of the selection ring
                name = f"{name}\u2003" if j else f"\u2003{name}"
            labels.append(name)
            positions_txt.append("bottom right" if j == 0 else "middle left")
            sizes.append((22 if compact else 18) if not is_sel else (26 if compact else 22))
            line_w.append(2)
            if is_sel:
                sel_points.append((lv.automation, ys[j], lv.id, v.id, colour))
            if positions.get(v.id) == lv.id:
                here_points.append((lv.automation, ys[j], lv.id, f"You are here: {v.name} {rung_label(v, lv)} ({lv.name})"))
        if v.id in positions and positions[v.id] is None:
            first = levels[0]
            here_points.append((0.0, floor, "", f"You are here: below {v.name} {rung_label(v, first)} ({first.name})"))
        trace = {
            "type": "scatter",
            "name": v.name,
            "x": xs,
            "y": ys,
            "customdata": [lv.id for lv in levels],
            "meta": v.id,
            "hovertext": [_ladder_hover(v, lv) for lv in levels],
            "hovertemplate": "%{hovertext}<extra></extra>",
            "marker": {"size": sizes, "color": colour, "opacity": 1, "symbol": "square" if not compact else "circle",
                       "line": {"width": line_w, "color": WHITE if static else FAINT}},
            "showlegend": False,
            "cliponaxis": False,
        }
        if compact:
            trace.update(mode="markers+text", text=[str(lv.rank) for lv in levels], textposition="middle center",
                         textfont={"color": text_colour_on(colour), "size": 11})
        else:
            trace.update(mode="markers+text", text=labels, textposition=positions_txt, textfont={"size": font_size})
        data.append(trace)
        if single:
            tickvals.extend(ys)
            ticktext.extend(esc(rung_label(v, lv)) for lv in levels)
        else:
            tickvals.append(base + 0.5)
            ticktext.append(f"<b>{esc(v.name)}</b><br>{len(levels)} {v.level_word.lower()}s")
    if sel_points:
        data.append(dict(
            type="scatter", name="Selected rung", x=[p[0] for p in sel_points], y=[p[1] for p in sel_points],
            customdata=[p[2] for p in sel_points], meta=[p[3] for p in sel_points], mode="markers",
            marker={"symbol": "circle-open", "size": 36 if not compact else 34, "color": [p[4] for p in sel_points], "line": {"width": 3}},
            hoverinfo="skip", showlegend=False, cliponaxis=False,
        ))
    if here_points:
        data.append(dict(
            type="scatter", name="You are here", x=[p[0] for p in here_points], y=[p[1] + (here_offset if p[2] else 0.0) for p in here_points],
            customdata=[p[2] for p in here_points], mode="markers", hovertext=[p[3] for p in here_points],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"symbol": "triangle-down", "size": 18, "color": HIGHLIGHT, "line": {"width": 1, "color": WHITE}},
            showlegend=True, cliponaxis=False,
        ))
    height = int(band_px * nv + (150 if not compact else 110))
    x_title = "Automation: manual → fully automated"
    layout = dict(
        xaxis=axis(x_title, static=static, range=[-0.06, 1.06], tickvals=[0, 0.25, 0.5, 0.75, 1.0],
                    ticktext=["Manual", "", "Partly automated", "", "Fully automated"], fixedrange=True),
        yaxis=axis(
            (f"{vendors[0].level_word} (higher = more mature)" if single else "Vendor ladder (each step = one rung)"),
            static=static, grid=False, range=[-0.02, nv + 0.02], tickvals=tickvals, ticktext=ticktext, fixedrange=True,
        ),
        legend={"orientation": "h", "x": 1.0, "xanchor": "right", "y": 1.0, "yanchor": "bottom"},
        hovermode="closest",
    )
    if single:
        v = vendors[0]
        title = f"{v.name} — {v.model_name}"
    else:
        title = "MLOps maturity ladders on one axis"
    subtitle = "Rung positions on the manual → automated axis are this app's reading of each vendor's text"
    if not single and not compact and not static:
        subtitle += "<br>Hover a rung for its summary; click it for the details"
    lines = []
    for v in vendors:
        rungs = "; ".join(f"{rung_label(v, lv)} {lv.name} (automation {lv.automation:.2f})" for lv in v.levels)
        lines.append(f"{v.name}, {len(v.levels)} {v.level_word.lower()}s: {rungs}.")
    desc = "Maturity ladders drawn as steps on one axis from manual (0) to fully automated (1). " + " ".join(lines)
    if sel_points:
        desc += f" Selected rung: {sel_points[0][2]}."
    if here_points:
        desc += " " + " ".join(p[3] + "." for p in here_points)
    return figure(data, layout, title=title, subtitle=esc(subtitle).replace("&lt;br&gt;", "<br>"), description=desc, static=static,
                   height=height, showlegend=bool(here_points), margin={"l": 20, "r": 40},
                   top_extra=26 if here_points else 0)


def ladder_table(vendors: Sequence[schema.Vendor]) -> pd.DataFrame:
    rows = []
    for v in vendors:
        for lv in v.levels:
            rows.append(
                {
                    "Vendor": v.name,
                    "Rung": rung_label(v, lv),
                    "Name": lv.name,
                    "Tagline": lv.tagline,
                    "Automation": lv.automation,
                    "Summary": lv.summary,
                    "vendor_id": v.id,
                    "level_id": lv.id,
                }
            )
    return pd.DataFrame(rows)

