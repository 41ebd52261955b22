"""The one house style every figure is drawn with: palette, fonts, sizes and Norwegian numbers.

The report is read on screen and printed in black and white, so the palette steps clearly in
lightness (it survives greyscale and the common colour-vision deficiencies) and no figure
lets colour alone carry meaning: marker shapes, positions or direct labels say it too.
Sizes are fixed in centimetres for the A4 text width so that the fonts come out at the same
size on paper in every figure. Numbers go through ``pipeline.format.numbers``, so a figure
and the sentence beside it print a value the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib as mpl
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipeline.format.numbers import MINUS, MISSING, fmt_date, fmt_number, fmt_p, fmt_pct

# Colours: dark blue, teal and orange step from dark to light; the greys are for context.
BLUE = "#1b3a5c"
TEAL = "#2a8c82"
ORANGE = "#e69532"

WAVE_MARKERS: dict[int, dict[str, object]] = {
    1: {"marker": "o", "markersize": 5.5, "color": ORANGE, "markeredgecolor": "#8a5410"},
    2: {"marker": "o", "markersize": 5.5, "color": BLUE, "markeredgecolor": BLUE},
}
"""Start light, end dark: the order reads in greyscale too (the report's Effect figures and
the group profiles)."""

PALETTE: tuple[str, ...] = (BLUE, TEAL, ORANGE)
LIGHT_BLUE = "#b7cde0"
GREY = "#8c8c8c"
LIGHT_GREY = "#e6e6e6"
TEXT = "#262626"

CM = 1 / 2.54
TEXT_WIDTH_CM = 16.0
"""A4 text width of the report; every figure is this wide so its fonts print at true size."""

FONT_SIZE = 9.0
SMALL_FONT_SIZE = 8.0

FIGURE_FONT = "STIXGeneral"
"""A serif shipped with matplotlib (so every machine draws the same glyphs), close in
colour and proportions to the report's Libertinus Serif: figures and text read as one
family in print (issue 14), where the earlier DejaVu Sans stood out."""

SVG_HASH_SALT = "konstruktiv-uro"
PNG_DPI = 300

SEABORN_TICKS: dict[str, Any] = {
    "figure.facecolor": "white", "axes.labelcolor": ".15", "xtick.direction": "out",
    "ytick.direction": "out", "xtick.color": ".15", "ytick.color": ".15",
    "axes.axisbelow": True, "grid.linestyle": "-", "text.color": ".15",
    "font.family": ["sans-serif"],
    "font.sans-serif": [
        "Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif",
    ],
    "lines.solid_capstyle": "round", "patch.edgecolor": "w", "patch.force_edgecolor": True,
    "xtick.top": False, "ytick.right": False, "axes.grid": False,
    "axes.facecolor": "white", "axes.edgecolor": ".15", "grid.color": ".8",
    "axes.spines.left": True, "axes.spines.bottom": True, "axes.spines.right": True,
    "axes.spines.top": True, "xtick.bottom": True, "ytick.left": True,
}  # fmt: skip
"""seaborn's ``axes_style("ticks")``, written out: importing seaborn brings scipy.stats
(0,8 s) into every profile kernel for these values alone. tests/figures/test_style.py
holds them equal to seaborn's, but for ``image.cmap`` ("rocket", a colour map seaborn
registers on import; no figure here draws an image)."""

_RC: dict[str, Any] = {
    **SEABORN_TICKS,
    "font.family": "serif",
    "font.serif": [FIGURE_FONT],
    "font.size": FONT_SIZE,
    "axes.labelsize": FONT_SIZE,
    "axes.titlesize": FONT_SIZE + 0.5,
    "xtick.labelsize": SMALL_FONT_SIZE + 0.5,
    "ytick.labelsize": FONT_SIZE,
    "legend.fontsize": SMALL_FONT_SIZE + 0.5,
    "legend.frameon": False,
    "text.color": TEXT,
    "axes.labelcolor": TEXT,
    "axes.edgecolor": "#595959",
    "xtick.color": "#595959",
    "ytick.color": TEXT,
    "axes.linewidth": 0.6,
    "xtick.major.width": 0.6,
    "ytick.major.width": 0.6,
    "xtick.major.size": 3.0,
    "ytick.major.size": 0.0,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": False,
    "grid.color": LIGHT_GREY,
    "grid.linewidth": 0.6,
    "axes.axisbelow": True,
    "axes.unicode_minus": True,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "patch.force_edgecolor": False,
    "lines.solid_capstyle": "butt",
    "figure.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.dpi": 100,
    "savefig.dpi": PNG_DPI,
    "svg.fonttype": "path",
    "svg.hashsalt": SVG_HASH_SALT,
}


@contextmanager
def house_style() -> Iterator[None]:
    """Applies the house style for the duration of a block, leaving the caller's rcParams alone.

    It starts from matplotlib's defaults, so a user's matplotlibrc or a notebook backend's
    settings cannot change a figure's bytes.
    """
    with mpl.rc_context():
        mpl.rcdefaults()
        mpl.rcParams.update(_RC)
        yield


def figure_size(height_cm: float, width_cm: float = TEXT_WIDTH_CM) -> tuple[float, float]:
    """Figure size in inches for matplotlib, given in the centimetres the report is laid out in."""
    return (width_cm * CM, height_cm * CM)


def new_figure(height_cm: float, layout: str | None = "constrained") -> tuple[Figure, Axes]:
    """A text-width figure with one axes, kept away from pyplot.

    Outside pyplot a notebook never shows a figure twice and no figure outlives its save;
    the Agg canvas lets layout code measure text before saving.
    """
    fig = Figure(figsize=figure_size(height_cm), layout=layout)
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def format_number(value: float, decimals: int = 2) -> str:
    """Norwegian number (``5,06``, ``−0,13``), by the same rules as the report's prose."""
    return fmt_number(value, decimals)


def format_signed(value: float, decimals: int = 2) -> str:
    """A change with its sign always shown (``+0,43``), since the direction is the point."""
    text = fmt_number(value, decimals)
    if text.startswith(MINUS) or not text.strip("0,") or text == MISSING:
        return text
    return f"+{text}"


def format_pct(value: float, decimals: int = 0) -> str:
    """Percentage with a no-break space before ``%`` (``73 %``)."""
    return fmt_pct(value, decimals)


def format_p(p: float) -> str:
    """p with its relation as the prose writes it (``p < 0,001``, ``p = 0,012``)."""
    return f"p {fmt_p(p)}"


def decimal_comma(decimals: int = 1) -> FuncFormatter:
    """Axis tick formatter with decimal comma; matplotlib's default would print a point."""
    return FuncFormatter(lambda value, _pos: format_number(value, decimals))


def decimal_axis(axis: Axis, decimals: int = 1) -> None:
    """Decimal-comma ticks on round steps that ``decimals`` shows exactly.

    Matplotlib's default steps include 2,5, which one decimal would print as 0,2 next to 0,5.
    """
    axis.set_major_locator(MaxNLocator(steps=[1, 2, 5, 10]))
    axis.set_major_formatter(decimal_comma(decimals))


def percent_axis() -> FuncFormatter:
    """Axis tick formatter for 0–100 percentages (``50 %``)."""
    return FuncFormatter(lambda value, _pos: format_pct(value))


def quote(text: str) -> str:
    """Norwegian quotation marks, which also keep straight quotes out of alt attributes."""
    return f"«{text}»"


def format_date(iso_date: str) -> str:
    """Norwegian long date (``30. juni 2019``) from an ISO date string."""
    return fmt_date(dt.date.fromisoformat(iso_date[:10]))
