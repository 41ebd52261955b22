"""The profile's one figure: the group's 26 factors per wave against the programme's spread.

It is drawn in the report's house style (``pipeline.figures.style``) with the report's wave
markers (start light orange, end dark blue), plus a hollow black diamond for one year after,
so waves differ by shape and lightness and the figure reads in greyscale. The programme's
mean ± one SD is a grey band behind each row; development areas carry a ▶ before the label;
a withheld value (too few answers) draws no marker and gets a * after the label.
"""

from __future__ import annotations

import io

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from pipeline.data.codebook import CATEGORIES
from pipeline.figures.layout import draw_heading, row_groups
from pipeline.figures.save import SVG_METADATA
from pipeline.figures.style import (
    FIGURE_FONT,
    GREY,
    TEXT,
    TEXT_WIDTH_CM,
    WAVE_MARKERS,
    decimal_comma,
    house_style,
    new_figure,
)
from pipeline.profiles.data import GTEI, Profile

ROW_CM = 0.42
LABELS_CM = 6.2
LEGEND_CM = 1.3
AXIS_CM = 1.0
"""Fixed margins (the labels are the codebook's, so their width is known): a layout engine
would cost a second draw of every profile's figure."""
MARKERS: dict[int, dict[str, object]] = {
    **WAVE_MARKERS,
    3: {"marker": "D", "markersize": 5.0, "color": "white", "markeredgecolor": TEXT},
}
WAVE_LABELS = {1: "Gruppen ved oppstart", 2: "Gruppen ved avslutning", 3: "Gruppen ett år etter"}
DEV_MARK = "▶ "
BAND = "#d9d9d9"
SUPPRESSED_MARK = " *"
FALLBACK_FONT = "DejaVu Serif"
"""Shipped with matplotlib like the house font, and it has the ▶ that bold STIX lacks
(without it a development area's label began with an empty box)."""


def comparison_wave(profile: Profile) -> int:
    """The programme band shown: at the end where the group has an end, else at the start."""
    return 2 if profile.has_change else 1


def _label(row: object) -> str:
    suppressed = any(getattr(row, f"suppressed{w}") for w in (1, 2, 3))
    mark = DEV_MARK if row.dev_area else ""  # type: ignore[attr-defined]
    return f"{mark}{row.label}{SUPPRESSED_MARK if suppressed else ''}"  # type: ignore[attr-defined]


def profile_svg(profile: Profile) -> bytes:
    """The figure as SVG bytes without dates or versions, so a profile's PDF is reproducible."""
    with house_style(), mpl.rc_context({"font.family": [FIGURE_FONT, FALLBACK_FONT]}):
        fig = draw(profile)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="svg", metadata=SVG_METADATA)
    return buffer.getvalue()


def draw(profile: Profile) -> Figure:
    """Draws the figure; call inside ``house_style()``."""
    frame = profile.factors
    groups = [frame[frame["category"] == c] for c in CATEGORIES] + [frame[frame["factor"] == GTEI]]
    headings = [*CATEGORIES, "Samlet"]
    layout = row_groups([len(g) for g in groups], [1.0] * len(groups), gap=0.4)
    height = ROW_CM * (layout.rows[-1][-1] + 1) + LEGEND_CM + AXIS_CM
    fig, ax = new_figure(height, layout=None)
    fig.subplots_adjust(
        left=LABELS_CM / TEXT_WIDTH_CM,
        right=1 - 0.3 / TEXT_WIDTH_CM,
        top=1 - LEGEND_CM / height,
        bottom=AXIS_CM / height,
    )
    wave = comparison_wave(profile)
    for heading, heading_y in zip(headings, layout.headings, strict=True):
        draw_heading(ax, heading_y, heading)
    rows = pd.concat(groups, ignore_index=True)
    y = np.array([y for ys in layout.rows for y in ys])
    _draw_rows(ax, rows, y, wave)
    ax.set_xlim(1, 7)
    ax.set_xticks(np.arange(1, 7.01, 1))
    ax.xaxis.set_major_formatter(decimal_comma(0))
    ax.grid(axis="x")
    _row_labels(ax, rows, y)
    ax.set_ylim(layout.rows[-1][-1] + 0.7, -0.7)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("Gjennomsnitt på skalaen 1–7")
    _legend(ax, profile, wave)
    return fig


def _row_labels(ax: Axes, rows: pd.DataFrame, y: np.ndarray) -> None:
    """The factor names where y tick labels would stand, as plain texts.

    The y ticks have no marks (``ytick.major.size`` is 0), and a tick per row costs more to
    build and draw than the figure's data: one text per label looks the same for less.
    """
    ax.set_yticks([])
    pad = mpl.rcParams["ytick.major.pad"] + mpl.rcParams["ytick.major.size"]
    transform, va, ha = ax.get_yaxis_text1_transform(pad)
    for row, row_y in zip(rows.itertuples(index=False), y, strict=True):
        ax.text(
            0,
            row_y,
            _label(row),
            transform=transform,
            va=va,
            ha=ha,
            fontsize=mpl.rcParams["ytick.labelsize"],
            color=mpl.rcParams["ytick.color"],
            fontweight="bold" if row.dev_area else "normal",
        )


def _draw_rows(ax: Axes, rows: pd.DataFrame, y: np.ndarray, wave: int) -> None:
    """All rows at once, one artist per kind: 63 profiles must not cost 63 × 150 artists."""
    mean = rows[f"prog_mean{wave}"].to_numpy(dtype=float)
    sd = np.nan_to_num(rows[f"prog_sd{wave}"].to_numpy(dtype=float))
    shown = np.isfinite(mean)
    low, high, mid = (mean - sd)[shown], (mean + sd)[shown], y[shown]
    bands = [
        [(a, m - 0.32), (a, m + 0.32), (b, m + 0.32), (b, m - 0.32)]
        for a, b, m in zip(low, high, mid, strict=True)
    ]
    ax.add_collection(PolyCollection(bands, facecolors=BAND, edgecolors="none", zorder=0))
    ax.vlines(mean[shown], y[shown] - 0.32, y[shown] + 0.32, color=GREY, linewidth=1.2, zorder=1)
    start, end = rows["mean1"].to_numpy(dtype=float), rows["mean2"].to_numpy(dtype=float)
    both = np.isfinite(start) & np.isfinite(end)
    ax.hlines(y[both], start[both], end[both], color=GREY, linewidth=1.2, zorder=2)
    for w in (1, 2, 3):
        values = rows[f"mean{w}"].to_numpy(dtype=float)
        ok = np.isfinite(values)
        if ok.any():
            ax.plot(values[ok], y[ok], linestyle="none", zorder=3 + w, **MARKERS[w])


def _legend(ax: Axes, profile: Profile, wave: int) -> None:
    handles = [
        Line2D([], [], linestyle="none", label=WAVE_LABELS[w], **MARKERS[w])
        for w in (1, 2, 3)
        if profile.has_wave[w]
    ]
    when = "ved avslutning" if wave == 2 else "ved oppstart"
    handles.append(Patch(facecolor=BAND, label=f"Programmet {when}: snitt ± ett standardavvik"))
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 1.0),
        bbox_transform=ax.figure.transFigure,
        ncol=2,
        handletextpad=0.3,
        columnspacing=1.2,
        borderaxespad=0.2,
    )
