"""Plotly figures (and their text alternatives) built from the content models.

Every builder is a pure, cheap function: schema models in, a new
``plotly.graph_objects.Figure`` out, no I/O, the same figure for the same input.
Build them once per process (``st.cache_resource``) and pass them to
``st.plotly_chart(fig, theme="streamlit")``: the app figures leave the font colour
unset and use transparent backgrounds so that Streamlit's light and dark themes
supply the text colour; all fills are mid-tone colours (relative luminance
0.12-0.18: at least 3:1 against white *and* near-black, and white text on them
reaches 4.5:1).
``static=True`` switches a figure to a white background, dark text, larger fonts
and a fixed 1200 px width for exported images (:mod:`explorer.figures`).

Every figure carries a plain-text description (``describe(fig)``) and every chart
has a table alternative (``*_table``) for screen readers and copying.

Clickable marks carry the id of what they show in ``customdata`` (a quarter id,
a level id, a tier id, ...), so a Streamlit selection maps straight back to the
content: ``event.selection.points[i]["customdata"]``.

Public API
----------
Breakdown (the 25/25/25/25 rule)
    breakdown_donut(breakdown, selected=None, *, static=False) -> Figure
    breakdown_table(breakdown) -> DataFrame
    split_analysis(breakdown, split) -> SplitAnalysis
    split_comparison(breakdown, split, *, static=False) -> Figure
    split_table(breakdown, split) -> DataFrame
Maturity ladders
    ladder_chart(vendors, selected=None, positions=None, *, compact=False, static=False, taglines=False) -> Figure
    ladder_table(vendors) -> DataFrame
    rung_label(vendor, level) -> str                      # "Phase 2", "Level 0"
    level_diff(vendor, level) -> list[str]                 # what changes from the rung below ([] for the first rung)
    compare_levels(a_vendor, a_level, b_vendor, b_level) -> DataFrame
    crosswalk_matrix(crosswalk, vendors, *, static=False) -> Figure
    crosswalk_table(crosswalk, vendors) -> DataFrame
Hierarchy, workflows, analogy
    hierarchy_pyramid(hierarchy, selected=None, *, static=False) -> Figure
    hierarchy_table(hierarchy) -> DataFrame
    workflows_diagram(workflows, *, static=False) -> Figure
    workflows_table(workflows) -> DataFrame
    analogy_chart(analogy, selected=None, *, static=False) -> Figure
    analogy_table(analogy) -> DataFrame
Certifications
    certs_by(certs, field, *, static=False) -> Figure       # field in CERT_FIELDS
    certs_by_table(certs, field) -> DataFrame
    certs_quarter_matrix(certs, breakdown, *, static=False) -> Figure
    certs_quarter_table(certs, breakdown) -> DataFrame
    certs_table(certs) -> DataFrame
Helpers
    describe(fig) -> str                                   # the figure's text alternative
    readable(hex_colour) -> str                            # the mid-tone version of a colour
    text_colour_on(hex_colour) -> str                      # black or white text on that fill
    contrast(hex_a, hex_b) -> float                        # WCAG contrast ratio
"""

from __future__ import annotations

import colorsys
import html
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from . import schema

__all__ = [
    "CERT_FIELDS",
    "SplitAnalysis",
    "analogy_chart",
    "analogy_table",
    "breakdown_donut",
    "breakdown_table",
    "certs_by",
    "certs_by_table",
    "certs_quarter_matrix",
    "certs_quarter_table",
    "certs_table",
    "compare_levels",
    "contrast",
    "crosswalk_matrix",
    "crosswalk_table",
    "describe",
    "hierarchy_pyramid",
    "hierarchy_table",
    "ladder_chart",
    "ladder_table",
    "level_diff",
    "readable",
    "rung_label",
    "split_analysis",
    "split_comparison",
    "split_table",
    "text_colour_on",
    "workflows_diagram",
    "workflows_table",
]

# --------------------------------------------------------------------------- colours
WHITE = "#FFFFFF"
NEAR_BLACK = "#0E1117"  # Streamlit's dark background
STATIC_TEXT = "#1F2430"
STATIC_FONT = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"
STATIC_WIDTH = 1200
GREY = "#808080"  # neutral mid-tone for reference marks (3.9:1 on white, 5.0:1 on near-black)
MUTED_GREY = "#6C6C6C"  # what unselected marks fade towards (white text still reads on it)
FAINT = "rgba(128,128,128,0.35)"  # grid-like lines that work on both themes
HIGHLIGHT = "#D62728"  # "you are here" marker (mid-tone red)
PALETTE = ("#3B6FB6", "#2E8B57", "#8E5CB5", "#C8661A", "#B03A5B", "#3F8A8C", "#7A7A2E", "#6A6FA8")
STATUS_COLOURS = {"active": "#2E8B57", "retired": "#B03A5B", "not-a-certification": "#6A6FA8"}
LUMINANCE_RANGE = (0.12, 0.18)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    h = hex_colour.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"{hex_colour!r} is not a #RRGGBB colour")
    return tuple(int(h[i : i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def _hex(rgb: Iterable[float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in rgb)


def luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #RRGGBB colour."""

    def lin(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (lin(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two #RRGGBB colours (1..21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def readable(hex_colour: str) -> str:
    """The colour with its lightness moved (hue kept) so that its luminance lies in
    ``LUMINANCE_RANGE``: at least 3:1 against white and against near-black."""
    lo, hi = LUMINANCE_RANGE
    lum = luminance(hex_colour)
    if lo <= lum <= hi:
        return hex_colour.upper()
    hue, light, sat = colorsys.rgb_to_hls(*_rgb(hex_colour))
    target = (lo + hi) / 2
    a, b = 0.0, 1.0  # bisection on HLS lightness (luminance grows with it)
    for _ in range(40):
        mid = (a + b) / 2
        if luminance(_hex(colorsys.hls_to_rgb(hue, mid, sat))) < target:
            a = mid
        else:
            b = mid
    return _hex(colorsys.hls_to_rgb(hue, (a + b) / 2, sat))


def text_colour_on(fill: str) -> str:
    """Text colour for an opaque ``fill``: white when it reaches 4.5:1 (every mid-tone
    from :func:`readable` does, so labels look alike), otherwise the better of black/white."""
    if contrast(fill, WHITE) >= 4.5:
        return WHITE
    return "#111111" if contrast(fill, "#111111") >= contrast(fill, WHITE) else WHITE


def _mute(hex_colour: str, amount: float = 0.6) -> str:
    """Blend an (opaque) colour towards neutral grey: used to dim marks that are not selected."""
    return readable(_hex(c + (g - c) * amount for c, g in zip(_rgb(hex_colour), _rgb(MUTED_GREY))))


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (round(c * 255) for c in _rgb(hex_colour))
    return f"rgba({r},{g},{b},{alpha:g})"


# --------------------------------------------------------------------------- text helpers
def _esc(text: str) -> str:
    return html.escape(str(text).replace(" -> ", " → "), quote=False)


def _wrap(text: str, width: int = 60) -> str:
    """Escaped text wrapped into ``<br>``-separated lines."""
    lines = textwrap.wrap(str(text).replace(" -> ", " → "), width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(html.escape(line, quote=False) for line in lines) or ""


def _pct(value: float) -> str:
    """25 -> '25%', 33.333 -> '33.3%'."""
    return f"{value:.1f}".rstrip("0").rstrip(".") + "%"


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _bullets(items: Sequence[str]) -> str:
    return "\n".join(f"• {x}" for x in items) if items else "—"


def describe(fig: go.Figure) -> str:
    """The plain-text description a builder attached to its figure ("" if none)."""
    meta = fig.layout.meta
    if isinstance(meta, Mapping):
        return str(meta.get("description", ""))
    return ""


# --------------------------------------------------------------------------- layout
_TITLE_SIZES = {True: (24, 15), False: (17, 13)}  # static -> (title, subtitle) font sizes


def _top_margin(static: bool, subtitle: str | None) -> int:
    """Pixels the title and its subtitle need above the plot area."""
    title_size, sub_size = _TITLE_SIZES[static]
    lines = subtitle.count("<br>") + 1 if subtitle else 0
    return 14 + int(title_size * 1.45) + int(lines * sub_size * 1.4) + 18


def _figure(
    data: list,
    layout_extra: Mapping | None = None,
    *,
    title: str,
    description: str,
    static: bool,
    height: int,
    subtitle: str | None = None,
    showlegend: bool = False,
    margin: Mapping[str, int] | None = None,
    top_extra: int = 0,
) -> go.Figure:
    """One figure from trace dicts and layout entries, built in one go (cheap: no
    incremental updates).  Common layout: title (+ subtitle) pinned to the top of the figure, a top margin
    sized to hold them (plus ``top_extra`` px for a legend or a top axis), transparent
    backgrounds (white and dark text when ``static``), the text alternative in
    ``layout.meta["description"]`` and a fixed, empty template (so the figure does not
    depend on ``plotly.io.templates.default``)."""
    title_size, sub_size = _TITLE_SIZES[static]
    title_d: dict = {
        "text": _esc(title), "x": 0.0, "xanchor": "left", "xref": "container",
        "y": 1.0, "yanchor": "top", "yref": "container", "pad": {"l": 12, "t": 14},
        "font": {"size": title_size},
    }
    if subtitle:
        title_d["subtitle"] = {"text": subtitle, "font": {"size": sub_size}}
        if static:
            title_d["subtitle"]["font"]["color"] = "#4A4F5C"
    top = _top_margin(static, subtitle) + top_extra
    m = {"l": 20, "r": 20, "t": top, "b": 40}
    m.update(margin or {})
    layout: dict = {
        "template": {},  # fixed: figures do not depend on plotly.io.templates.default
        "title": title_d,
        "height": height,
        "margin": m,
        "showlegend": showlegend,
        "meta": {"description": description},
        "paper_bgcolor": "rgba(0,0,0,0)",
        "plot_bgcolor": "rgba(0,0,0,0)",
        "hoverlabel": {"align": "left"},
        "separators": ". ",
    }
    if static:
        layout.update(
            paper_bgcolor=WHITE,
            plot_bgcolor=WHITE,
            width=STATIC_WIDTH,
            font={"family": STATIC_FONT, "color": STATIC_TEXT, "size": 15},
        )
    for key, value in (layout_extra or {}).items():
        if key == "margin":
            layout["margin"] = {**layout["margin"], **value}
        else:
            layout[key] = value
    return go.Figure(data=data, layout=layout)


def _axis(title: str | None = None, *, static: bool, grid: bool = True, **extra) -> dict:
    d: dict = {"showgrid": grid, "zeroline": False, "automargin": True}
    if title:
        d["title"] = {"text": _esc(title), "standoff": 12}
    if grid:
        d["gridcolor"] = "#E3E5EA" if static else FAINT
    d["linecolor"] = "#9AA0AC" if static else FAINT
    d.update(extra)
    return d


def _hidden_axis(**extra) -> dict:
    d = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    d.update(extra)
    return d


# =========================================================================== breakdown
def breakdown_donut(breakdown: schema.Breakdown, selected: str | None = None, *, static: bool = False) -> go.Figure:
    """Donut of the quarters in YAML order, clockwise from 12 o'clock.

    ``selected`` (a quarter id) pulls its slice out and dims the others; unknown
    ids are ignored.  ``customdata`` of each slice is its quarter id.
    """
    qs = breakdown.quarters
    ids = [q.id for q in qs]
    sel = selected if selected in ids else None
    base = [readable(q.color) for q in qs]
    fills = [c if sel in (None, q.id) else _mute(c) for c, q in zip(base, qs)]
    pie = dict(
            type="pie",
            labels=[q.name for q in qs],
            values=[q.share for q in qs],
            customdata=ids,
            text=[f"<b>{_esc(q.short)}</b><br>{_pct(q.share)}" for q in qs],
            textinfo="text",
            textposition="inside",
            insidetextorientation="horizontal",
            insidetextfont={"color": [text_colour_on(c) for c in fills], "size": 18 if static else 14},
            hovertext=[f"<b>{_esc(q.name)}</b> · {_pct(q.share)}<br>{_wrap(q.description, 55)}" for q in qs],
            hovertemplate="%{hovertext}<extra></extra>",
            sort=False,
            direction="clockwise",
            rotation=0,
            hole=0.48,
            pull=[0.1 if q.id == sel else 0.0 for q in qs],
            marker={"colors": fills, "line": {"color": GREY, "width": [3 if q.id == sel else 1 for q in qs]}},
            name="Quarters",
            # in the app the donut sits in a narrow column: full width, legend underneath
            domain={"x": [0.0, 0.62], "y": [0.0, 1.0]} if static else {"x": [0.0, 1.0], "y": [0.0, 1.0]},
            title={"text": "<b>MLOps</b><br>effort", "position": "middle center", "font": {"size": 18 if static else 15}},
    )
    parts = ", ".join(f"{q.name} {_pct(q.share)}" for q in qs)
    desc = f"Donut chart of the {len(qs)} quarters of MLOps work: {parts}."
    if sel:
        desc += f" Selected: {next(q.name for q in qs if q.id == sel)}."
    legend = (
        {"orientation": "v", "x": 0.66, "xanchor": "left", "y": 0.5, "yanchor": "middle"}
        if static
        else {"orientation": "h", "x": 0.5, "xanchor": "center", "y": -0.02, "yanchor": "top"}
    )
    data: list = [pie]
    layout: dict = {"legend": legend}
    if not static:
        # Plotly cannot *select* pie slices (Streamlit's on_select sees no points), so an invisible
        # marker sits in the middle of each slice's ring; clicking a slice selects that marker.
        total = sum(q.share for q in qs) or 1.0
        xs, ys, start = [], [], 0.0
        for q in qs:
            mid = 2 * math.pi * (start + q.share / 2) / total  # clockwise from 12 o'clock
            xs.append(round(0.74 * math.sin(mid), 4))
            ys.append(round(0.74 * math.cos(mid), 4))
            start += q.share
        data.append(dict(
            type="scatter", x=xs, y=ys, mode="markers", customdata=ids, name="Select a quarter",
            marker={"size": 58, "color": "rgba(0,0,0,0)"}, showlegend=False,
            hovertext=pie["hovertext"], hovertemplate="%{hovertext}<extra></extra>",
        ))
        axis = {"visible": False, "range": [-1.08, 1.08], "fixedrange": True}
        layout.update(xaxis=axis, yaxis={**axis, "scaleanchor": "x", "scaleratio": 1})
    return _figure(
        data,
        layout,
        title=breakdown.title,
        subtitle="Click a slice to see what each quarter covers" if not static else _wrap(breakdown.summary, 110),
        description=desc,
        static=static,
        height=620 if static else 480,
        showlegend=True,
    )


def breakdown_table(breakdown: schema.Breakdown) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": q.id,
                "Quarter": q.name,
                "Short": q.short,
                "Share (%)": float(q.share),
                "Description": q.description,
                "Examples": "; ".join(q.examples),
            }
            for q in breakdown.quarters
        ]
    )


# --------------------------------------------------------------------------- your split
BALANCED_TOLERANCE = 0.5  # percentage points: a split this close to the reference counts as even


@dataclass(frozen=True)
class SplitAnalysis:
    """A user's effort split compared with the breakdown (the even split).

    ``shares`` are the entered numbers rescaled to add up to 100 (all 0.0 when
    everything entered is 0); ``diffs`` are ``share - reference`` in percentage
    points (empty when everything entered is 0); ``largest`` is the quarter id with
    the largest absolute difference (ties: the first in breakdown order), or None
    when all entries are zero or every quarter is within ``BALANCED_TOLERANCE``.
    """

    quarters: tuple[str, ...]
    entered: dict[str, float]
    total: float
    shares: dict[str, float]
    reference: dict[str, float]
    diffs: dict[str, float]
    largest: str | None
    largest_diff: float
    message: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def all_zero(self) -> bool:
        return self.total <= 0

    @property
    def normalised(self) -> bool:
        return not self.all_zero and abs(self.total - 100) > 1e-6

    @property
    def balanced(self) -> bool:
        return not self.all_zero and self.largest is None


def _clean_number(value: object) -> tuple[float, str | None]:
    if value is None or value == "":
        return 0.0, None
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0, "not a number"
    if math.isnan(x) or math.isinf(x):
        return 0.0, "not a number"
    if x < 0:
        return 0.0, "negative"
    return x, None


def split_analysis(breakdown: schema.Breakdown, split: Mapping[str, object]) -> SplitAnalysis:
    """Compare ``split`` (quarter id -> effort, any unit: percent, hours, ...) with the breakdown."""
    qs = breakdown.quarters
    ids = tuple(q.id for q in qs)
    names = {q.id: q.name for q in qs}
    notes: list[str] = []
    entered: dict[str, float] = {}
    bad: dict[str, list[str]] = {"negative": [], "not a number": []}
    for q in qs:
        x, why = _clean_number(split.get(q.id))
        if why:
            bad[why].append(q.name)
        entered[q.id] = x
    unknown = sorted(str(k) for k in split if k not in names)
    if bad["negative"]:
        notes.append(f"Negative values were counted as 0 ({', '.join(bad['negative'])}).")
    if bad["not a number"]:
        notes.append(f"Values that are not numbers were counted as 0 ({', '.join(bad['not a number'])}).")
    if unknown:
        notes.append(f"Ignored values for unknown quarters: {', '.join(unknown)}.")
    total = sum(entered.values())
    reference = {q.id: float(q.share) for q in qs}
    if total <= 0:
        return SplitAnalysis(
            quarters=ids,
            entered=entered,
            total=0.0,
            shares={i: 0.0 for i in ids},
            reference=reference,
            diffs={},
            largest=None,
            largest_diff=0.0,
            message="All your values are zero, so there is no split to compare yet: enter how your team spends its effort.",
            notes=tuple(notes),
        )
    if abs(total - 100) > 1e-6:
        notes.append(f"Your numbers add up to {_num(total)}, not 100, so they were rescaled to percentages of that total.")
    shares = {i: entered[i] * 100.0 / total for i in ids}
    diffs = {i: shares[i] - reference[i] for i in ids}
    largest = max(ids, key=lambda i: (round(abs(diffs[i]), 9), -ids.index(i)))
    d = diffs[largest]
    if abs(d) < BALANCED_TOLERANCE:
        msg = (
            "Your split matches the even split: every quarter is within "
            f"{_num(BALANCED_TOLERANCE)} percentage points of its reference share."
        )
        return SplitAnalysis(ids, entered, total, shares, reference, diffs, None, 0.0, msg, tuple(notes))
    name = names[largest]
    if d > 0:
        msg = (
            f"The largest imbalance is {name}: it takes {_pct(shares[largest])} of your effort against "
            f"{_pct(reference[largest])} in the even split ({d:+.1f} percentage points)."
        )
    else:
        msg = (
            f"The largest imbalance is {name}: it gets only {_pct(shares[largest])} of your effort against "
            f"{_pct(reference[largest])} in the even split ({d:+.1f} percentage points)."
        )
    return SplitAnalysis(ids, entered, total, shares, reference, diffs, largest, d, msg, tuple(notes))


def split_table(breakdown: schema.Breakdown, split: Mapping[str, object]) -> pd.DataFrame:
    a = split_analysis(breakdown, split)
    return pd.DataFrame(
        [
            {
                "id": q.id,
                "Quarter": q.name,
                "Entered": a.entered[q.id],
                "Your share (%)": round(a.shares[q.id], 1),
                "Even split (%)": a.reference[q.id],
                "Difference (pp)": round(a.diffs[q.id], 1) if a.diffs else None,
            }
            for q in breakdown.quarters
        ]
    )


def split_comparison(breakdown: schema.Breakdown, split: Mapping[str, object], *, static: bool = False) -> go.Figure:
    """Grouped bars: the even split (grey) next to the user's split (quarter colours).

    Trace 0 is "Even split", trace 1 "Your split"; ``customdata`` is the quarter id.
    The largest imbalance is outlined and named in the subtitle.
    """
    a = split_analysis(breakdown, split)
    qs = breakdown.quarters
    x = [q.short for q in qs]
    ids = [q.id for q in qs]
    colours = [readable(q.color) for q in qs]
    ref = [a.reference[i] for i in ids]
    mine = [a.shares[i] for i in ids]
    data: list[dict] = []
    data.append(dict(
        type="bar",
        name="Even split",
        x=x,
        y=ref,
        customdata=ids,
        marker={"color": GREY, "pattern": {"shape": "/", "fillmode": "overlay", "fgcolor": "rgba(255,255,255,0.45)", "size": 8}},
        text=[_pct(v) for v in ref],
        textposition="outside",
        hovertemplate="%{x}: %{y:.1f}% in the even split<extra></extra>",
    ))
    data.append(dict(
        type="bar",
        name="Your split",
        x=x,
        y=mine,
        customdata=ids,
        marker={
            "color": colours,
            "line": {"color": [HIGHLIGHT if i == a.largest else "rgba(0,0,0,0)" for i in ids], "width": [3 if i == a.largest else 0 for i in ids]},
        },
        text=[_pct(v) for v in mine],
        textposition="outside",
        hovertemplate="%{x}: %{y:.1f}% of your effort<extra></extra>",
    ))
    top = max([*ref, *mine, 1.0])
    layout = dict(
        barmode="group",
        bargap=0.3,
        bargroupgap=0.08,
        xaxis=_axis("Quarter of MLOps work", static=static, grid=False),
        yaxis=_axis("Share of effort (%)", static=static, range=[0, top * 1.18 + 2], ticksuffix="%"),
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
    )
    sub = _wrap(a.message, 100)
    if a.normalised:
        sub += "<br>" + _wrap("(Rescaled: your numbers did not add up to 100.)", 100)
    desc = "Bar chart of your effort split against the even split: " + ", ".join(
        f"{q.name} {_pct(a.shares[q.id])} (even {_pct(a.reference[q.id])})" for q in qs
    ) + ". " + a.message
    return _figure(data, layout, title="Your split against the even split", subtitle=sub, description=desc, static=static, height=480, showlegend=True,
                   top_extra=26)


# =========================================================================== maturity ladders
def rung_label(vendor: schema.Vendor, level: schema.Level) -> str:
    """'Phase 2', 'Level 0', ... (the vendor's own word and rank)."""
    return f"{vendor.level_word} {level.rank}"


def _find_level(vendor: schema.Vendor, level: schema.Level | str) -> int:
    lid = level if isinstance(level, str) else level.id
    for i, lv in enumerate(vendor.levels):
        if lv.id == lid:
            return i
    raise ValueError(f"vendor {vendor.id!r} has no level {lid!r}")


def _rung_heights(n: int, base: float, band: float = 1.0) -> list[float]:
    lo, span = 0.14 * band, 0.70 * band
    return [base + lo + span * j / (n - 1) for j in range(n)] if n > 1 else [base + lo + span / 2]


def _ladder_hover(vendor: schema.Vendor, lv: schema.Level) -> str:
    parts = [f"<b>{_esc(vendor.name)} · {_esc(rung_label(vendor, lv))}: {_esc(lv.name)}</b>"]
    if lv.tagline:
        parts.append(f"<i>{_esc(lv.tagline)}</i>")
    parts.append(_wrap(lv.summary, 60))
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
            line={"width": 0, "color": _rgba(colour, 0)}, hoverinfo="skip", showlegend=False,
        ))
        data.append(dict(
            type="scatter", name=f"{v.name} steps", x=[*xs, x_end], y=[*ys, ys[-1]], mode="lines",
            line={"color": colour, "width": 3, "shape": "hv"}, fill="tonexty", fillcolor=_rgba(colour, 0.16),
            hoverinfo="skip", showlegend=False,
        ))
        labels, positions_txt, sizes, line_w = [], [], [], []
        for j, lv in enumerate(levels):
            is_sel = lv.id == selected
            name = f"{_esc(rung_label(v, lv))} · {_esc(lv.name)}" if not single else _esc(lv.name)
            if taglines and lv.tagline:
                name = f"<b>{name}</b><br><span style='font-size:{font_size - 2}px'>{_esc(lv.tagline)}</span>"
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
            ticktext.extend(_esc(rung_label(v, lv)) for lv in levels)
        else:
            tickvals.append(base + 0.5)
            ticktext.append(f"<b>{_esc(v.name)}</b><br>{len(levels)} {v.level_word.lower()}s")
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
        xaxis=_axis(x_title, static=static, range=[-0.06, 1.06], tickvals=[0, 0.25, 0.5, 0.75, 1.0],
                    ticktext=["Manual", "", "Partly automated", "", "Fully automated"], fixedrange=True),
        yaxis=_axis(
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
    return _figure(data, layout, title=title, subtitle=_esc(subtitle).replace("&lt;br&gt;", "<br>"), description=desc, static=static,
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


_LIST_FIELDS: tuple[tuple[str, str], ...] = (
    ("components", "Components"),
    ("triggers", "Triggers"),
    ("accounts", "Accounts"),
    ("capabilities", "Capabilities"),
    ("technology", "Technology"),
)
_CELL_FIELDS: tuple[tuple[str, str], ...] = (
    ("people", "People"),
    ("model_creation", "Model creation"),
    ("model_release", "Model release"),
    ("application_integration", "Application integration"),
)


def level_diff(vendor: schema.Vendor, level: schema.Level | str) -> list[str]:
    """What changes from the rung below: ``level.changes`` when given, otherwise derived
    from the list fields (components, triggers, accounts, capabilities, technology) and
    Azure's four dimensions.  ``[]`` for the first rung."""
    idx = _find_level(vendor, level)
    if idx == 0:
        return []
    lv, prev = vendor.levels[idx], vendor.levels[idx - 1]
    if lv.changes:
        return list(lv.changes)
    out: list[str] = []
    for attr, label in _LIST_FIELDS:
        now, before = getattr(lv, attr), getattr(prev, attr)
        out.extend(f"New in {label.lower()}: {x}" for x in now if x not in before)
        out.extend(f"No longer in {label.lower()}: {x}" for x in before if x not in now)
    if lv.cells and prev.cells:
        for attr, label in _CELL_FIELDS:
            if getattr(lv.cells, attr) != getattr(prev.cells, attr):
                out.append(f"{label}: {getattr(lv.cells, attr)}")
    if not out:
        out.append(f"No listed differences from {rung_label(vendor, prev)}; in short: {lv.summary}")
    return out


def compare_levels(
    a_vendor: schema.Vendor, a_level: schema.Level | str, b_vendor: schema.Vendor, b_level: schema.Level | str
) -> pd.DataFrame:
    """Two rungs side by side: one row per aspect, one column per rung.

    Rows: Ladder, Rung, Name, Tagline, Summary, Automation, Details, What changes,
    Still manual, then only the dimension rows either rung fills (Azure's four
    cells, components, triggers, accounts, capabilities, technology), then Source.
    Lists are joined as "• item" lines; an empty value is "—".
    """
    sides = []
    for vendor, level in ((a_vendor, a_level), (b_vendor, b_level)):
        lv = vendor.levels[_find_level(vendor, level)]
        sides.append((vendor, lv))
    names = [f"{v.name} · {rung_label(v, lv)}" for v, lv in sides]
    if names[0] == names[1]:
        names = [names[0] + " (A)", names[1] + " (B)"]
    rows: dict[str, list[str]] = {
        "Ladder": [v.model_name for v, _ in sides],
        "Rung": [f"{rung_label(v, lv)} ({v.levels.index(lv) + 1} of {len(v.levels)})" for v, lv in sides],
        "Name": [lv.name for _, lv in sides],
        "Tagline": [lv.tagline or "—" for _, lv in sides],
        "Summary": [lv.summary for _, lv in sides],
        "Automation": [f"{lv.automation:.2f}" for _, lv in sides],
        "Details": [_bullets(lv.details) for _, lv in sides],
        "What changes": [_bullets(level_diff(v, lv)) for v, lv in sides],
        "Still manual": [_bullets(lv.still_manual) for _, lv in sides],
    }
    for attr, label in _CELL_FIELDS:
        vals = [getattr(lv.cells, attr) if lv.cells else "" for _, lv in sides]
        if any(vals):
            rows[label] = [x or "—" for x in vals]
    for attr, label in _LIST_FIELDS:
        vals = [getattr(lv, attr) for _, lv in sides]
        if any(vals):
            rows[label] = [_bullets(x) for x in vals]
    rows["Source"] = [lv.source_url for _, lv in sides]
    return pd.DataFrame.from_dict(rows, orient="index", columns=names)


# --------------------------------------------------------------------------- crosswalk
CROSSWALK_SCALE = [[0.0, readable("#3F8A8C")], [0.5, readable("#3B6FB6")], [1.0, readable("#6A4FA0")]]  # white text reads on all


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
    stages = [_wrap(r.stage, 26) for r in crosswalk.rows]
    cols = [_esc(v.name) for v in vendors]
    z, text, custom, hover = [], [], [], []
    empty: list[tuple[str, str]] = []
    for (row, cells), stage in zip(_crosswalk_cells(crosswalk, vendors), stages):
        zr, tr, cr, hr = [], [], [], []
        for (v, lvs), col in zip(cells, cols):
            if lvs:
                zr.append(sum(lv.automation for lv in lvs) / len(lvs))
                tr.append("<br>".join(f"<b>{_esc(rung_label(v, lv))}</b><br>{_wrap(lv.name, 20)}" for lv in lvs))
                names = ", ".join(f"{rung_label(v, lv)} ({lv.name})" for lv in lvs)
                hr.append(f"<b>{_esc(row.stage)}</b><br>{_esc(v.name)}: {_esc(names)}<br><br>{_wrap(row.rationale, 60)}")
            else:
                zr.append(None)
                tr.append("")
                hr.append(f"<b>{_esc(row.stage)}</b><br>{_esc(v.name)}: no rung at this stage<br><br>{_wrap(row.rationale, 60)}")
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
        xaxis=_axis("Vendor", static=static, grid=False, side="top", fixedrange=True),
        yaxis=_axis("Shared stage (manual at the top)", static=static, grid=False, autorange="reversed", fixedrange=True),
    )
    lines = []
    for row, cells in _crosswalk_cells(crosswalk, vendors):
        parts = [f"{v.name}: " + (", ".join(f"{rung_label(v, lv)} {lv.name}" for lv in lvs) or "none") for v, lvs in cells]
        lines.append(f"{row.stage} — " + "; ".join(parts) + ".")
    desc = f"Crosswalk matrix of {len(crosswalk.rows)} shared stages against {len(vendors)} vendors. " + " ".join(lines)
    height = 140 + 92 * len(crosswalk.rows)
    return _figure([heat], layout, title="Crosswalk: the three ladders lined up", subtitle=_wrap(crosswalk.caveat, 120 if static else 95),
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


# =========================================================================== hierarchy
def hierarchy_pyramid(hierarchy: schema.Hierarchy, selected: str | None = None, *, static: bool = False) -> go.Figure:
    """A stepped pyramid: one centred horizontal bar per tier, the first (foundation)
    tier widest at the bottom (y = 0), the last at the top.  ``customdata`` is the tier
    id; ``selected`` dims the other tiers."""
    tiers = hierarchy.tiers
    n = len(tiers)
    ids = [t.id for t in tiers]
    sel = selected if selected in ids else None
    widths = [1.0 - 0.55 * i / (n - 1) for i in range(n)] if n > 1 else [1.0]
    base_cols = [readable(PALETTE[i % len(PALETTE)]) for i in range(n)]
    fills = [c if sel in (None, t.id) else _mute(c) for c, t in zip(base_cols, tiers)]
    text = []
    for t, w in zip(tiers, widths):
        ex = " · ".join(t.examples[:3])
        wrap_at = int(24 + 80 * w) if static else int(18 + 46 * w)
        text.append(f"<b>{_esc(t.name)}</b><br><span style='font-size:{13 if static else 11}px'>{_wrap(ex, wrap_at)}</span>")
    bars = dict(
            type="bar", orientation="h", name="Tiers", y=list(range(n)), x=widths, base=[-w / 2 for w in widths],
            customdata=ids, text=text, textposition="inside", insidetextanchor="middle",
            textfont={"color": [text_colour_on(c) for c in fills], "size": 17 if static else 14},
            hovertext=[f"<b>{_esc(t.name)}</b> (tier {i + 1} of {n})<br>{_wrap(t.summary, 60)}<br><i>{_wrap('; '.join(t.examples), 60)}</i>"
                       for i, t in enumerate(tiers)],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"color": fills, "line": {"color": [GREY if t.id == sel else "rgba(0,0,0,0)" for t in tiers],
                                               "width": [3 if t.id == sel else 0 for t in tiers]}},
            width=0.92,
    )
    arrow = dict(
        x=0.6, y=n - 0.6, ax=0.6, ay=-0.4, xref="x", yref="y", axref="x", ayref="y", showarrow=True,
        arrowhead=2, arrowsize=1.2, arrowwidth=2, arrowcolor=GREY, text="",
    )
    side = dict(
        x=0.64, y=(n - 1) / 2, text="more automation,<br>closer to business value", showarrow=False,
        textangle=-90, xanchor="left", yanchor="middle", font={"size": 14 if static else 12},
    )
    layout = dict(
        annotations=[arrow, side],
        xaxis=_hidden_axis(range=[-0.55, 0.75]),
        yaxis=_hidden_axis(range=[-0.6, n - 0.4]),
        bargap=0.08,
    )
    order = " → ".join(t.name for t in tiers)
    desc = f"Pyramid of {n} tiers from the foundation at the bottom to the top: {order}."
    if sel:
        desc += f" Selected: {next(t.name for t in tiers if t.id == sel)}."
    sub = "Each tier needs the ones beneath it; the foundation is at the bottom"
    return _figure([bars], layout, title=hierarchy.title, subtitle=sub, description=desc, static=static, height=(640 if static else 480))


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


# =========================================================================== workflows
_GROUP_COLOURS = {
    "data-centric": "#2E8B57",
    "model-centric": "#8E5CB5",
    "foundation": "#56708A",
}


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
        headers.append((0.0, y, f"<b>{_esc(wf.name)}</b>  ·  {_esc(wf.spectrum)}", "left"))
        y += 0.55
        if wf.pipeline:
            n = len(wf.components)
            per_row = min(n, 5)
            aw = 0.55  # arrow space
            bw = (W - aw * (per_row - 1)) / per_row
            colour = readable(PALETTE[0] if k == 0 else PALETTE[k % len(PALETTE)])
            for j, c in enumerate(wf.components):
                r, col = divmod(j, per_row)
                x0 = col * (bw + aw)
                y0 = y + r * (bh + 0.5)
                bl.append(_Box(x0, y0, x0 + bw, y0 + bh, _wrap(c.name, chars(bw)), colour,
                               f"<b>{_esc(c.name)}</b><br>{_wrap(c.description, 55)}", c.id))
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
                colour = readable(_GROUP_COLOURS.get(g, PALETTE[(len(headers) + 2) % len(PALETTE)]))
                headers.append((x, y, f"<b>{_esc(_title_case(g))}</b>", "left"))
                items = comps[g]
                rows_here = math.ceil(len(items) / sub_cols[g])
                for j, c in enumerate(items):
                    col, r = divmod(j, rows_here)
                    x0 = x + col * (bw + gap)
                    y0 = y + 0.45 + r * (bh * 0.8 + gap)
                    bl.append(_Box(x0, y0, x0 + bw, y0 + bh * 0.8, _wrap(c.name, chars(bw)), colour,
                                   f"<b>{_esc(c.name)}</b> ({_esc(_title_case(g))})<br>{_wrap(c.description, 55)}", c.id))
                    col_bottom = max(col_bottom, y0 + bh * 0.8)
                x += sub_cols[g] * bw + (sub_cols[g] - 1) * gap + group_gap
            y = col_bottom + 0.35
            for g in rest:
                colour = readable(_GROUP_COLOURS.get(g, PALETTE[(len(headers) + 4) % len(PALETTE)]))
                headers.append((pad, y, f"<b>{_esc(_title_case(g))}</b>", "left"))
                items = comps[g]
                bw_r = (inner_w - gap * (len(items) - 1)) / len(items)
                for j, c in enumerate(items):
                    x0 = pad + j * (bw_r + gap)
                    y0 = y + 0.45
                    bl.append(_Box(x0, y0, x0 + bw_r, y0 + bh * 0.7, _wrap(c.name, chars(bw_r)), colour,
                                   f"<b>{_esc(c.name)}</b> ({_esc(_title_case(g))})<br>{_wrap(c.description, 55)}", c.id))
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
                       "line": {"color": FAINT, "width": 1.5}, "fillcolor": "rgba(128,128,128,0.07)"})
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
            marker={"size": 44, "color": "rgba(0,0,0,0)", "symbol": "square"}, showlegend=False, meta=wf.id,
        ))
    for x0, y0, x1, y1 in arrows:
        notes.append({"x": x1, "y": flip(y1), "ax": x0, "ay": flip(y0), "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
                      "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.1, "arrowwidth": 2.5, "arrowcolor": GREY})
    for hx, hy, text, anchor in headers:
        notes.append({"x": hx, "y": flip(hy), "text": text, "showarrow": False, "xanchor": anchor, "yanchor": "top",
                      "font": {"size": font + 2 if "·" in text else font}})
    layout = {
        "shapes": shapes, "annotations": notes,
        "xaxis": _hidden_axis(range=[-0.1, W + 0.1]),
        "yaxis": _hidden_axis(range=[-0.1, total + 0.1]),
    }
    parts = []
    for wf in workflows.workflows:
        kind = "a pipeline" if wf.pipeline else "a platform"
        parts.append(f"{wf.name} ({kind}, {wf.spectrum.replace(' -> ', ' to ')}): " + ", ".join(c.name for c in wf.components) + ".")
    desc = "Diagram of the MLOps workflows. " + " ".join(parts)
    px_per_unit = 60 if static else 50
    subtitle = _wrap(workflows.summary, 120 if static else 100)
    top = _top_margin(static, subtitle)
    return _figure(traces, layout, title="Light and heavy MLOps workflows", subtitle=subtitle,
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


# =========================================================================== analogy
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
    colours = [readable(PALETTE[i % len(PALETTE)]) for i in range(len(rows))]
    points = dict(
            type="scatter", name="Options", x=xs, y=ys, mode="markers+text", customdata=[r.id for r in rows],
            text=[f"<b>{_esc(r.food)}</b> / {_esc(r.ml)}" for r in rows],
            textposition=["middle right" if x < 3.8 else "middle left" for x in xs],
            textfont={"size": 16 if static else 13},
            hovertext=[f"<b>{_esc(r.food)} / {_esc(r.ml)}</b><br>Effort {r.effort}/5, control {r.control}/5<br>{_wrap(r.explanation, 60)}" for r in rows],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={"size": [30 if r.id == selected else 20 for r in rows], "color": colours, "opacity": 1,
                    "line": {"width": [3 if r.id == selected else 0 for r in rows], "color": GREY}},
            cliponaxis=False,
    )
    layout = dict(
        xaxis=_axis("Effort (1 = least, 5 = most)", static=static, range=[0.5, 5.6], dtick=1, fixedrange=True),
        yaxis=_axis("Control over the result (1 = least, 5 = most)", static=static, range=[0.5, 5.6], dtick=1, fixedrange=True),
    )
    sub = "Ratings are this app's reading"
    if not analogy.confirmed:
        sub += "; the analogy itself is not confirmed as course content"
    desc = f"Scatter chart of {len(rows)} options by effort and control: " + "; ".join(
        f"{r.food} / {r.ml}: effort {r.effort}, control {r.control}" for r in rows
    ) + "."
    return _figure([points], layout, title=analogy.title, subtitle=sub, description=desc, static=static, height=520 if static else 440,
                   margin={"l": 30, "r": 30})


def analogy_table(analogy: schema.Analogy) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Food": r.food, "ML": r.ml, "Effort (1-5)": r.effort, "Control (1-5)": r.control, "Explanation": r.explanation, "id": r.id}
         for r in analogy.rows]
    )


# =========================================================================== certifications
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
        colours = [readable(PALETTE[0])] * len(cats)
    bars = dict(
            type="bar", orientation="h", name=label, y=[_esc(k) for k in cats], x=counts, customdata=cats, marker={"color": colours},
            text=[str(n) for n in counts], textposition="outside", cliponaxis=False,
            hovertext=[f"<b>{_esc(k)}</b>: {len(v)}<br>" + "<br>".join(_esc(c.name) for c in v) for k, v in groups],
            hovertemplate="%{hovertext}<extra></extra>",
    )
    layout = dict(
        xaxis=_axis("Number of certifications", static=static, dtick=1, range=[0, max(counts + [1]) * 1.15 + 0.2], fixedrange=True),
        yaxis=_axis(label, static=static, grid=False, autorange="reversed", fixedrange=True),
        bargap=0.3,
    )
    desc = f"Bar chart of {len(certs)} certifications by {label.lower()}: " + "; ".join(f"{k} {n}" for k, n in zip(cats, counts)) + "."
    return _figure([bars], layout, title=f"Certifications by {label.lower()}", description=desc, static=static,
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
    ys = [_esc(_cert_label(c)) for c in certs]
    on_x, on_y, on_c, on_cd, on_h = [], [], [], [], []
    off_x, off_y = [], []
    for c, y in zip(certs, ys):
        for q in qs:
            if q.id in c.quarters:
                on_x.append(q.short)
                on_y.append(y)
                on_c.append(qcol[q.id])
                on_cd.append([c.id, q.id])
                on_h.append(f"<b>{_esc(c.name)}</b> serves <b>{_esc(q.name)}</b><br>{_esc(c.issuer)} · {_esc(c.level)} · {_esc(c.status)}")
            else:
                off_x.append(q.short)
                off_y.append(y)
    data = [
        dict(type="scatter", name="Not served", x=off_x, y=off_y, mode="markers", hoverinfo="skip", showlegend=False,
             marker={"size": 6, "color": FAINT if not static else "#C9CCD3", "symbol": "circle"}),
        dict(type="scatter", name="Serves", x=on_x, y=on_y, mode="markers", customdata=on_cd, hovertext=on_h,
             hovertemplate="%{hovertext}<extra></extra>", showlegend=False,
             marker={"size": 22 if static else 18, "color": on_c, "symbol": "square"}),
    ]
    layout = dict(
        xaxis=_axis("Quarter of the breakdown", static=static, grid=False, side="top", fixedrange=True,
                    categoryorder="array", categoryarray=[q.short for q in qs], range=[-0.5, len(qs) - 0.5]),
        yaxis=_axis("Certification", static=static, grid=True, autorange="reversed", fixedrange=True,
                    categoryorder="array", categoryarray=ys),
    )
    lines = [f"{c.name}: " + ", ".join(qshort[q] for q in c.quarters if q in qshort) for c in certs]
    desc = f"Matrix of {len(certs)} certifications against the {len(qs)} quarters they serve. " + "; ".join(lines) + "."
    return _figure(data, layout, title="Which quarter each certification serves", description=desc, static=static,
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
