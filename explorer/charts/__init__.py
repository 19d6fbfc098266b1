"""Plotly figures (and their text and table alternatives): one module per view on one shared base.

Every builder is a pure, cheap function: models in, a new ``plotly.graph_objects.Figure`` out, no
I/O, the same figure for the same input.  Build them once per process (``st.cache_resource``) and
pass them to ``st.plotly_chart(fig, theme="streamlit")``: app figures leave the font colour unset
and use transparent backgrounds so that Streamlit's light and dark themes supply the text colour;
all fills are mid-tones of the one palette in :mod:`.base`.  ``static=True`` switches a figure to a
white background, dark text, larger fonts and a fixed 1200 px width for exported images
(:mod:`explorer.figures`).  Every figure carries a plain-text description (:func:`describe`) and
every chart has a table alternative (``*_table``).  Clickable marks carry the id of what they show
in ``customdata``, so a Streamlit selection maps straight back to the content.

Modules
    base            the palette, colour/contrast helpers, text helpers, figure and axis layout
    breakdown       breakdown_donut, breakdown_table, split_comparison, split_table
    ladders         ladder_chart, ladder_table
    crosswalk       crosswalk_matrix, crosswalk_table
    hierarchy       hierarchy_pyramid, hierarchy_table
    workflows       workflows_diagram, workflows_table
    analogy         analogy_chart, analogy_table
    certifications  certs_by, certs_by_table, certs_quarter_matrix, certs_quarter_table, certs_table
    assessment      radar_figure, scores_table, trend_figure, trend_table, mlts_bar_figure, mlts_table
    study           forecast_figure, forecast_table, heatmap_figure, heatmap_table, ...
    movement        movement_figure, movement_table

The logic behind some views lives with its idea, not here: the split analysis in
:mod:`explorer.content.breakdown`, rung labels, rung differences and the two-rung comparison in
:mod:`explorer.assess.ladders`, the movement series in :mod:`explorer.assess.movement`.

This package re-exports every public builder, so ``from explorer import charts;
charts.ladder_chart(...)`` works; the modules import each other's public names only.
"""

from __future__ import annotations

from explorer.charts.analogy import analogy_chart, analogy_table
from explorer.charts.assessment import mlts_bar_figure, mlts_table, radar_figure, scores_table, trend_figure, trend_table
from explorer.charts.base import (
    CROSSWALK_SCALE,
    HIGHLIGHT,
    NEAR_BLACK,
    PALETTE,
    STATIC_WIDTH,
    WHITE,
    contrast,
    describe,
    luminance,
    readable,
    text_colour_on,
)
from explorer.charts.breakdown import breakdown_donut, breakdown_table, split_comparison, split_table
from explorer.charts.certifications import (
    CERT_FIELDS,
    certs_by,
    certs_by_table,
    certs_quarter_matrix,
    certs_quarter_table,
    certs_table,
)
from explorer.charts.crosswalk import crosswalk_matrix, crosswalk_table
from explorer.charts.hierarchy import hierarchy_pyramid, hierarchy_table
from explorer.charts.ladders import ladder_chart, ladder_table
from explorer.charts.movement import movement_figure, movement_table
from explorer.charts.study import (
    forecast_description,
    forecast_figure,
    forecast_table,
    heatmap_description,
    heatmap_figure,
    heatmap_levels,
    heatmap_table,
)
from explorer.charts.workflows import workflows_diagram, workflows_table

__all__ = [
    "CERT_FIELDS",
    "CROSSWALK_SCALE",
    "HIGHLIGHT",
    "NEAR_BLACK",
    "PALETTE",
    "STATIC_WIDTH",
    "WHITE",
    "analogy_chart",
    "analogy_table",
    "breakdown_donut",
    "breakdown_table",
    "certs_by",
    "certs_by_table",
    "certs_quarter_matrix",
    "certs_quarter_table",
    "certs_table",
    "contrast",
    "crosswalk_matrix",
    "crosswalk_table",
    "describe",
    "forecast_description",
    "forecast_figure",
    "forecast_table",
    "heatmap_description",
    "heatmap_figure",
    "heatmap_levels",
    "heatmap_table",
    "hierarchy_pyramid",
    "hierarchy_table",
    "ladder_chart",
    "ladder_table",
    "luminance",
    "mlts_bar_figure",
    "mlts_table",
    "movement_figure",
    "movement_table",
    "radar_figure",
    "readable",
    "scores_table",
    "split_comparison",
    "split_table",
    "text_colour_on",
    "trend_figure",
    "trend_table",
    "workflows_diagram",
    "workflows_table",
]
