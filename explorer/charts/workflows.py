"""The light and heavy MLOps workflows as a diagram of boxes and arrows, and its table.

Public API
    workflows_diagram(workflows, *, static=False) -> Figure
    workflows_table(workflows) -> DataFrame
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from explorer.charts.base import (
    FAINT,
    FAINT_FILL,
    GREY,
    GROUP_COLOURS,
    STATIC_WIDTH,
    TRANSPARENT,
    esc,
    figure,
    hidden_axis,
    palette_colour,
    readable,
    text_colour_on,
    top_margin,
    wrap,
)
from explorer.content import schema

__all__ = ["workflows_diagram", "workflows_table"]



def _group_order(wf: schema.Workflow) -> tuple[list[str], list[str]]:
    """(spectrum groups left to right, other groups) for a platform workflow."""
    groups = list(dict.fromkeys(c.group for c in wf.components))
    spec = wf.spectrum.lower()
    ends = [g for g in groups if g.lower() in spec]
    ends.sort(key=lambda g: spec.find(g.lower()))
    rest = [g for g in groups if g not in ends]
    if not ends:
        return groups, []
    return ends, rest


def _group_colour(group: str, fallback: int) -> str:
    """The group's own colour, or the ``fallback``-th palette colour for a group without one."""
    return readable(GROUP_COLOURS[group]) if group in GROUP_COLOURS else palette_colour(fallback)


def _title_case(group: str) -> str:
    return group.replace("-", " ").capitalize().replace(" centric", "-centric")


@dataclass
class _Box:
    x0: float
    y0: float
    x1: float
    y1: float
    label: str
    fill: str
    hover: str
    ident: str


def workflows_diagram(workflows: schema.Workflows, *, static: bool = False) -> go.Figure:
    """One section per workflow, top to bottom.  A ``pipeline`` workflow is a row of
    boxes joined by arrows (in YAML order); a platform workflow is a framed platform
    whose spectrum groups (e.g. data-centric -> model-centric) are columns, with the
    remaining groups (e.g. foundation) as rows underneath.  Hovering a box shows the
    component's description; the invisible marker trace per workflow (named after the
    workflow) carries the component ids in ``customdata``."""
    W = 12.0
    gap = 0.25
    font = 15 if static else 12
    px_per_x = (STATIC_WIDTH - 40) / (W + 0.2) if static else 58.0  # app: assume a ~720 px wide column

    def chars(width_units: float) -> int:
        return max(10, int(width_units * px_per_x / (font * 0.58)) - 2)

    boxes: dict[str, list[_Box]] = {}
    arrows: list[tuple[float, float, float, float]] = []
    headers: list[tuple[float, float, str, str]] = []  # x, y, text, anchor
    frames: list[tuple[float, float, float, float]] = []
    y = 0.0  # grows downwards; flipped at the end
    bh = 1.15
    for k, wf in enumerate(workflows.workflows):
        bl: list[_Box] = []
        headers.append((0.0, y, f"<b>{esc(wf.name)}</b>  ·  {esc(wf.spectrum)}", "left"))
        y += 0.55
        if wf.pipeline:
            n = len(wf.components)
            per_row = min(n, 5)
            aw = 0.55  # arrow space
            bw = (W - aw * (per_row - 1)) / per_row
            colour = palette_colour(k)
            for j, c in enumerate(wf.components):
                r, col = divmod(j, per_row)
                x0 = col * (bw + aw)
                y0 = y + r * (bh + 0.5)
                bl.append(_Box(x0, y0, x0 + bw, y0 + bh, wrap(c.name, chars(bw)), colour,
                               f"<b>{esc(c.name)}</b><br>{wrap(c.description, 55)}", c.id))
            for a, b in zip(bl, bl[1:]):
                if abs(a.y0 - b.y0) < 1e-9:
                    arrows.append((a.x1 + 0.04, (a.y0 + a.y1) / 2, b.x0 - 0.04, (b.y0 + b.y1) / 2))
            rows = math.ceil(n / per_row)
            y += rows * bh + (rows - 1) * 0.5 + 0.7
        else:
            cols_groups, rest = _group_order(wf)
            comps = {g: [c for c in wf.components if c.group == g] for g in dict.fromkeys(c.group for c in wf.components)}
            max_rows = 3
            sub_cols = {g: max(1, math.ceil(len(comps[g]) / max_rows)) for g in cols_groups}
            n_sub = sum(sub_cols.values())
            pad = 0.3
            inner_w = W - 2 * pad
            group_gap = 0.5
            bw = (inner_w - group_gap * (len(cols_groups) - 1) - gap * (n_sub - len(cols_groups))) / n_sub
            fy0 = y
            y += 0.25
            if len(cols_groups) > 1:  # spectrum arrow over the columns
                arrows.append((pad + 0.1, y + 0.2, W - pad - 0.1, y + 0.2))
                y += 0.45
            x = pad
            col_bottom = y
            for g in cols_groups:
                colour = _group_colour(g, len(headers) + 2)
                headers.append((x, y, f"<b>{esc(_title_case(g))}</b>", "left"))
                items = comps[g]
                rows_here = math.ceil(len(items) / sub_cols[g])
                for j, c in enumerate(items):
                    col, r = divmod(j, rows_here)
                    x0 = x + col * (bw + gap)
                    y0 = y + 0.45 + r * (bh * 0.8 + gap)
                    bl.append(_Box(x0, y0, x0 + bw, y0 + bh * 0.8, wrap(c.name, chars(bw)), colour,
                                   f"<b>{esc(c.name)}</b> ({esc(_title_case(g))})<br>{wrap(c.description, 55)}", c.id))
                    col_bottom = max(col_bottom, y0 + bh * 0.8)
                x += sub_cols[g] * bw + (sub_cols[g] - 1) * gap + group_gap
            y = col_bottom + 0.35
            for g in rest:
                colour = _group_colour(g, len(headers) + 4)
                headers.append((pad, y, f"<b>{esc(_title_case(g))}</b>", "left"))
                items = comps[g]
                bw_r = (inner_w - gap * (len(items) - 1)) / len(items)
                for j, c in enumerate(items):
                    x0 = pad + j * (bw_r + gap)
                    y0 = y + 0.45
                    bl.append(_Box(x0, y0, x0 + bw_r, y0 + bh * 0.7, wrap(c.name, chars(bw_r)), colour,
                                   f"<b>{esc(c.name)}</b> ({esc(_title_case(g))})<br>{wrap(c.description, 55)}", c.id))
                y += 0.45 + bh * 0.7 + 0.3
            frames.append((0.0, fy0, W, y))
            y += 0.6
        boxes[wf.id] = bl
    total = y - 0.5
    flip = lambda v: total - v  # noqa: E731
    shapes: list[dict] = []
    notes: list[dict] = []
    traces: list[dict] = []
    for fx0, fy0, fx1, fy1 in frames:
        shapes.append({"type": "rect", "x0": fx0, "x1": fx1, "y0": flip(fy0), "y1": flip(fy1), "layer": "below",
                       "line": {"color": FAINT, "width": 1.5}, "fillcolor": FAINT_FILL})
    for wf in workflows.workflows:
        for b in boxes[wf.id]:
            shapes.append({"type": "rect", "x0": b.x0, "x1": b.x1, "y0": flip(b.y0), "y1": flip(b.y1),
                           "fillcolor": b.fill, "line": {"width": 0}, "layer": "below"})
            notes.append({"x": (b.x0 + b.x1) / 2, "y": flip((b.y0 + b.y1) / 2), "text": b.label, "showarrow": False,
                          "font": {"color": text_colour_on(b.fill), "size": font}})
        traces.append(dict(
            type="scatter", name=wf.name, x=[(b.x0 + b.x1) / 2 for b in boxes[wf.id]], y=[flip((b.y0 + b.y1) / 2) for b in boxes[wf.id]],
            customdata=[b.ident for b in boxes[wf.id]], text=[b.label for b in boxes[wf.id]],
            hovertext=[b.hover for b in boxes[wf.id]], hovertemplate="%{hovertext}<extra></extra>", mode="markers",
            marker={"size": 44, "color": TRANSPARENT, "symbol": "square"}, showlegend=False, meta=wf.id,
        ))
    for x0, y0, x1, y1 in arrows:
        notes.append({"x": x1, "y": flip(y1), "ax": x0, "ay": flip(y0), "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                      "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.1, "arrowwidth": 2.5, "arrowcolor": GREY})
    for hx, hy, text, anchor in headers:
        notes.append({"x": hx, "y": flip(hy), "text": text, "showarrow": False, "xanchor": anchor, "yanchor": "top",
                      "font": {"size": font + 2 if "·" in text else font}})
    layout = {
        "shapes": shapes, "annotations": notes,
        "xaxis": hidden_axis(range=[-0.1, W + 0.1]),
        "yaxis": hidden_axis(range=[-0.1, total + 0.1]),
    }
    parts = []
    for wf in workflows.workflows:
        kind = "a pipeline" if wf.pipeline else "a platform"
        parts.append(f"{wf.name} ({kind}, {wf.spectrum.replace(' -> ', ' to ')}): " + ", ".join(c.name for c in wf.components) + ".")
    desc = "Diagram of the MLOps workflows. " + " ".join(parts)
    px_per_unit = 60 if static else 50
    subtitle = wrap(workflows.summary, 120 if static else 100)
    top = top_margin(static, subtitle)
    return figure(traces, layout, title="Light and heavy MLOps workflows", subtitle=subtitle,
                   description=desc, static=static, height=int(total * px_per_unit + top + 12), margin={"b": 12})


def workflows_table(workflows: schema.Workflows) -> pd.DataFrame:
    rows = []
    for wf in workflows.workflows:
        for i, c in enumerate(wf.components):
            rows.append(
                {
                    "Workflow": wf.name,
                    "Step": i + 1 if wf.pipeline else None,
                    "Group": c.group,
                    "Component": c.name,
                    "Description": c.description,
                    "workflow_id": wf.id,
                    "component_id": c.id,
                }
            )
    return pd.DataFrame(rows)

