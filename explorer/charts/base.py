"""What every chart shares: the one palette, colour and contrast helpers, text helpers and the
figure / axis layout.

Colours
    Every colour a chart uses is named here (the view modules hold no colour literals).  Fills are
    mid-tones (relative luminance ``LUMINANCE_RANGE``: at least 3:1 against white *and* against
    Streamlit's near-black, and white text on them reaches 4.5:1); :func:`readable` moves any colour
    into that range keeping its hue.

Layout
    :func:`figure` builds a figure in one go with the common layout: title (+ subtitle) pinned to the
    top, transparent backgrounds so that Streamlit's light and dark themes supply the text colour,
    the text alternative in ``layout.meta["description"]`` (read back with :func:`describe`) and a
    fixed, empty template.  ``static=True`` switches to a white background, dark text, larger fonts
    and a fixed ``STATIC_WIDTH`` for exported images.  :func:`subplot_layout` gives the figures that
    :func:`plotly.subplots.make_subplots` draws the same transparent, theme-led look.
"""

from __future__ import annotations

import colorsys
import html
import textwrap
from collections.abc import Iterable, Mapping

import plotly.graph_objects as go

# --------------------------------------------------------------------------- the palette
WHITE = "#FFFFFF"
NEAR_BLACK = "#0E1117"  # Streamlit's dark background
DARK_TEXT = "#111111"  # text on a light fill
STATIC_TEXT = "#1F2430"  # text of exported images (and the printable report)
STATIC_SUBTITLE = "#4A4F5C"
STATIC_GRID = "#E3E5EA"
STATIC_LINE = "#9AA0AC"
STATIC_EMPTY = "#C9CCD3"  # empty-cell dots of exported images
STATIC_FONT = "Liberation Sans, DejaVu Sans, Arial, Helvetica, sans-serif"
STATIC_WIDTH = 1200
COMPACT_WIDTH = 800  # an exported figure narrower than this is drawn with the app's column geometry
TRANSPARENT = "rgba(0,0,0,0)"
GREY = "#808080"  # neutral mid-tone for reference marks (3.9:1 on white, 5.0:1 on near-black)
MUTED_GREY = "#6C6C6C"  # what unselected marks fade towards (white text still reads on it)
FAINT = "rgba(128,128,128,0.35)"  # grid-like lines that work on both themes
FAINT_FILL = "rgba(128,128,128,0.07)"  # a frame's background on both themes
HATCH = "rgba(255,255,255,0.45)"  # pattern lines drawn over a fill
HIGHLIGHT = "#D62728"  # "you are here" marker (mid-tone red)
PALETTE = ("#3B6FB6", "#2E8B57", "#8E5CB5", "#C8661A", "#B03A5B", "#3F8A8C", "#7A7A2E", "#6A6FA8")
STATUS_COLOURS = {"active": "#2E8B57", "retired": "#B03A5B", "not-a-certification": "#6A6FA8"}
GROUP_COLOURS = {"data-centric": "#2E8B57", "model-centric": "#8E5CB5", "foundation": "#56708A"}  # workflow groups
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
    return DARK_TEXT if contrast(fill, DARK_TEXT) >= contrast(fill, WHITE) else WHITE


def mute(hex_colour: str, amount: float = 0.6) -> str:
    """Blend an (opaque) colour towards neutral grey: used to dim marks that are not selected."""
    return readable(_hex(c + (g - c) * amount for c, g in zip(_rgb(hex_colour), _rgb(MUTED_GREY))))


def palette_colour(i: int) -> str:
    """The ``i``-th palette colour (cycling), as a readable mid-tone."""
    return readable(PALETTE[i % len(PALETTE)])


def rgba(hex_colour: str, alpha: float) -> str:
    """``#RRGGBB`` at opacity ``alpha`` as a CSS ``rgba(...)`` string."""
    r, g, b = (round(c * 255) for c in _rgb(hex_colour))
    return f"rgba({r},{g},{b},{alpha:g})"


# manual -> automated, for cells that carry white text (every stop reaches 4.5:1 with white)
CROSSWALK_SCALE = [[0.0, readable("#3F8A8C")], [0.5, readable("#3B6FB6")], [1.0, readable("#6A4FA0")]]


# --------------------------------------------------------------------------- text
def esc(text: object) -> str:
    """Text for a Plotly label: HTML-escaped (Plotly reads a subset of HTML), " -> " drawn as an arrow."""
    return html.escape(str(text).replace(" -> ", " → "), quote=False)


def wrap(text: object, width: int = 60) -> str:
    """Escaped text wrapped into ``<br>``-separated lines of at most ``width`` characters
    (a longer word keeps its own line)."""
    lines = textwrap.wrap(str(text).replace(" -> ", " → "), width, break_long_words=False, break_on_hyphens=False)
    return "<br>".join(html.escape(line, quote=False) for line in lines) or ""


def describe(fig: go.Figure) -> str:
    """The plain-text description a builder attached to its figure ("" if none)."""
    meta = fig.layout.meta
    if isinstance(meta, Mapping):
        return str(meta.get("description", ""))
    return ""


# --------------------------------------------------------------------------- layout
_TITLE_SIZES = {True: (24, 15), False: (17, 13)}  # static -> (title, subtitle) font sizes


def compact(static: bool, width: int | None) -> bool:
    """Whether an exported figure of ``width`` px is *compact*: narrower than ``COMPACT_WIDTH``, shown at
    about its own size in a column (the home page), so drawn with the app's geometry and font sizes in
    the exported colours.  ``width`` (None: ``STATIC_WIDTH``) applies to exported figures only."""
    if width is not None and not static:
        raise ValueError("width applies to exported (static=True) figures only")
    if width is not None and width < 240:
        raise ValueError(f"a figure {width} px wide is too narrow to draw")
    return static and width is not None and width < COMPACT_WIDTH


def top_margin(static: bool, subtitle: str | None) -> int:
    """Pixels the title and its subtitle need above the plot area."""
    title_size, sub_size = _TITLE_SIZES[static]
    lines = subtitle.count("<br>") + 1 if subtitle else 0
    return 14 + int(title_size * 1.45) + int(lines * sub_size * 1.4) + 18


def figure(
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
    width: int | None = None,
) -> go.Figure:
    """One figure from trace dicts and layout entries, built in one go (cheap: no
    incremental updates).  Common layout: title (+ subtitle) pinned to the top of the figure, a top margin
    sized to hold them (plus ``top_extra`` px for a legend or a top axis), transparent
    backgrounds (white and dark text when ``static``), the text alternative in
    ``layout.meta["description"]`` and a fixed, empty template (so the figure does not
    depend on ``plotly.io.templates.default``).  A static figure is ``width`` px wide (default
    ``STATIC_WIDTH``); a :func:`compact` one keeps the app's title sizes."""
    big = not compact(static, width) and static  # compact() first: it checks width
    title_size, sub_size = _TITLE_SIZES[big]
    title_d: dict = {
        "text": esc(title), "x": 0.0, "xanchor": "left", "xref": "container",
        "y": 1.0, "yanchor": "top", "yref": "container", "pad": {"l": 12, "t": 14},
        "font": {"size": title_size},
    }
    if subtitle:
        title_d["subtitle"] = {"text": subtitle, "font": {"size": sub_size}}
        if static:
            title_d["subtitle"]["font"]["color"] = STATIC_SUBTITLE
    top = top_margin(big, subtitle) + top_extra
    m = {"l": 20, "r": 20, "t": top, "b": 40}
    m.update(margin or {})
    layout: dict = {
        "template": {},  # fixed: figures do not depend on plotly.io.templates.default
        "title": title_d,
        "height": height,
        "margin": m,
        "showlegend": showlegend,
        "meta": {"description": description},
        "paper_bgcolor": TRANSPARENT,
        "plot_bgcolor": TRANSPARENT,
        "hoverlabel": {"align": "left"},
        "separators": ". ",
    }
    if static:
        layout.update(
            paper_bgcolor=WHITE,
            plot_bgcolor=WHITE,
            width=width or STATIC_WIDTH,
            font={"family": STATIC_FONT, "color": STATIC_TEXT, "size": 15 if big else 14},
        )
    for key, value in (layout_extra or {}).items():
        if key == "margin":
            layout["margin"] = {**layout["margin"], **value}
        else:
            layout[key] = value
    return go.Figure(data=data, layout=layout)


def subplot_layout(fig: go.Figure, *, title: str | None, height: int, left: int, right: int, **extra) -> go.Figure:
    """The common look for a figure built with ``make_subplots`` (or trace by trace): transparent
    backgrounds and the font colour left to the host theme, ``title`` (escaped) over a 60 px top
    margin (40 px without one), 40 px at the bottom; ``extra`` are further layout entries
    (``meta={"description": ...}`` for the text alternative).  Updates ``fig`` and returns it."""
    fig.update_layout(
        title={"text": esc(title)} if title else None,
        paper_bgcolor=TRANSPARENT,
        plot_bgcolor=TRANSPARENT,
        height=height,
        margin={"l": left, "r": right, "t": 60 if title else 40, "b": 40},
        **extra,
    )
    return fig


def axis(title: str | None = None, *, static: bool, grid: bool = True, **extra) -> dict:
    """A visible axis: optional (escaped) title, grid lines and axis line in theme-neutral colours."""
    d: dict = {"showgrid": grid, "zeroline": False, "automargin": True}
    if title:
        d["title"] = {"text": esc(title), "standoff": 12}
    if grid:
        d["gridcolor"] = STATIC_GRID if static else FAINT
    d["linecolor"] = STATIC_LINE if static else FAINT
    d.update(extra)
    return d


def hidden_axis(**extra) -> dict:
    """An axis that is not drawn and cannot be zoomed (diagrams placed in data units)."""
    d = {"visible": False, "showgrid": False, "zeroline": False, "fixedrange": True}
    d.update(extra)
    return d
