"""The food analogy: options placed by effort and control, and its table.

Public API
    analogy_chart(analogy, selected=None, *, static=False) -> Figure
    analogy_table(analogy) -> DataFrame
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from explorer.charts.base import GREY, axis, esc, figure, palette_colour, wrap
from explorer.content import schema

__all__ = ["analogy_chart", "analogy_table"]


def analogy_chart(analogy: schema.Analogy, selected: str | None = None, *, static: bool = False) -> go.Figure:
    """The options placed by effort (x) and control (y), each labelled "food / ML";
    ``customdata`` is the row id; ``selected`` enlarges one option."""
    rows = analogy.rows
    seen: dict[tuple[int, int], int] = {}
    xs, ys = [], []
    for r in rows:  # nudge options that share a spot so that none hides another
        k = seen.get((r.effort, r.control), 0)
        seen[(r.effort, r.control)] = k + 1
        xs.append(r.effort + 0.18 * k)
        ys.append(r.control - 0.18 * k)
    colours = [palette_colour(i) for i in range(len(rows))]
    points = dict(
            type="scatter", name="Options", x=xs, y=ys, mode="markers+text", customdata=[r.id for r in rows],
            text=[f"<b>{esc(r.food)}</b> / {esc(r.ml)}" for r in rows],
            textposition=["middle right" if x < 3.8 else "middle left" for x in xs],
            textfont={"size": 16 if static else 13},
            hovertext=[f"<b>{esc(r.food)} / {esc(r.ml)}</b><br>Effort {r.effort}/5, control {r.control}/5<br>{wrap(r.explanation, 60)}" for r in rows],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": [30 if r.id == selected else 20 for r in rows], "color": colours, "opacity": 1,
                    "line": {"width": [3 if r.id == selected else 0 for r in rows], "color": GREY}},
            cliponaxis=False,
    )
    layout = dict(
        xaxis=axis("Effort (1 = least, 5 = most)", static=static, range=[0.5, 5.6], dtick=1, fixedrange=True),
        yaxis=axis("Control over the result (1 = least, 5 = most)", static=static, range=[0.5, 5.6], dtick=1, fixedrange=True),
    )
    sub = "Ratings are this app's reading"
    if not analogy.confirmed:
        sub += "; the analogy itself is not confirmed as course content"
    desc = f"Scatter chart of {len(rows)} options by effort and control: " + "; ".join(
        f"{r.food} / {r.ml}: effort {r.effort}, control {r.control}" for r in rows
    ) + "."
    return figure([points], layout, title=analogy.title, subtitle=sub, description=desc, static=static, height=520 if static else 440,
                   margin={"l": 30, "r": 30})


def analogy_table(analogy: schema.Analogy) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Food": r.food, "ML": r.ml, "Effort (1-5)": r.effort, "Control (1-5)": r.control, "Explanation": r.explanation, "id": r.id}
         for r in analogy.rows]
    )

