"""The hierarchy of needs as a stepped pyramid (foundation at the bottom), and its table.

Public API
    hierarchy_pyramid(hierarchy, selected=None, *, static=False, width=None) -> Figure
    hierarchy_table(hierarchy) -> DataFrame
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from explorer.charts.base import GREY, TRANSPARENT, compact, esc, figure, hidden_axis, mute, palette_colour, text_colour_on, wrap
from explorer.content import schema

__all__ = ["hierarchy_pyramid", "hierarchy_table"]


def hierarchy_pyramid(hierarchy: schema.Hierarchy, selected: str | None = None, *, static: bool = False,
                      width: int | None = None) -> go.Figure:
    """A stepped pyramid: one centred horizontal bar per tier, the first (foundation)
    tier widest at the bottom (y = 0), the last at the top.  ``customdata`` is the tier
    id; ``selected`` dims the other tiers.  An exported figure is ``width`` px wide; a compact
    one (:func:`.base.compact`) has the app's proportions."""
    big = not compact(static, width) and static  # compact() first: it checks width
    tiers = hierarchy.tiers
    n = len(tiers)
    ids = [t.id for t in tiers]
    sel = selected if selected in ids else None
    widths = [1.0 - 0.55 * i / (n - 1) for i in range(n)] if n > 1 else [1.0]
    base_cols = [palette_colour(i) for i in range(n)]
    fills = [c if sel in (None, t.id) else mute(c) for c, t in zip(base_cols, tiers)]
    text = []
    for t, w in zip(tiers, widths):
        ex = " · ".join(t.examples[:3])
        wrap_at = int(24 + 80 * w) if big else int(18 + 46 * w)
        text.append(f"<b>{esc(t.name)}</b><br><span style='font-size:{13 if big else 11}px'>{wrap(ex, wrap_at)}</span>")
    bars = dict(
            type="bar", orientation="h", name="Tiers", y=list(range(n)), x=widths, base=[-w / 2 for w in widths],
            customdata=ids, text=text, textposition="inside", insidetextanchor="middle",
            textfont={"color": [text_colour_on(c) for c in fills], "size": 17 if big else 14},
            hovertext=[f"<b>{esc(t.name)}</b> (tier {i + 1} of {n})<br>{wrap(t.summary, 60)}<br><i>{wrap('; '.join(t.examples), 60)}</i>"
                       for i, t in enumerate(tiers)],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"color": fills, "line": {"color": [GREY if t.id == sel else TRANSPARENT for t in tiers],
                                               "width": [3 if t.id == sel else 0 for t in tiers]}},
            width=0.92,
    )
    arrow = dict(
        x=0.6, y=n - 0.6, ax=0.6, ay=-0.4, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
        arrowhead=2, arrowsize=1.2, arrowwidth=2, arrowcolor=GREY, text="",
    )
    side = dict(
        x=0.64, y=(n - 1) / 2, text="more automation,<br>closer to business value", showarrow=False,
        textangle=-90, xanchor="left", yanchor="middle", font={"size": 14 if big else 12},
    )
    layout = dict(
        annotations=[arrow, side],
        xaxis=hidden_axis(range=[-0.55, 0.75]),
        yaxis=hidden_axis(range=[-0.6, n - 0.4]),
        bargap=0.08,
    )
    order = " → ".join(t.name for t in tiers)
    desc = f"Pyramid of {n} tiers from the foundation at the bottom to the top: {order}."
    if sel:
        desc += f" Selected: {next(t.name for t in tiers if t.id == sel)}."
    sub = "Each tier needs the ones beneath it; the foundation is at the bottom"
    return figure([bars], layout, title=hierarchy.title, subtitle=sub, description=desc, static=static, height=(640 if big else 480),
                  width=width)


def hierarchy_table(hierarchy: schema.Hierarchy) -> pd.DataFrame:
    n = len(hierarchy.tiers)
    return pd.DataFrame(
        [
            {
                "Tier": f"{i + 1} of {n}" + (" (foundation)" if i == 0 else " (top)" if i == n - 1 else ""),
                "Name": t.name,
                "Summary": t.summary,
                "Examples": "; ".join(t.examples),
                "id": t.id,
            }
            for i, t in enumerate(hierarchy.tiers)
        ]
    )
