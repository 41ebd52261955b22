"""Layout helpers shared by the figures: grouped rows with headings, labels that avoid overlap."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.text import Annotation
from matplotlib.transforms import Bbox

from pipeline.figures.style import SMALL_FONT_SIZE, TEXT


@dataclass(frozen=True)
class RowGroups:
    """Vertical positions (data units, top = 0, axis inverted) of headed groups of rows."""

    headings: list[float]
    rows: list[list[float]]

    @property
    def bottom(self) -> float:
        return max(self.rows[-1]) if self.rows and self.rows[-1] else max(self.headings)


def row_groups(sizes: Sequence[int], heading_units: Sequence[float], gap: float) -> RowGroups:
    """Stacks groups of one-unit rows, each under a heading ``heading_units`` tall."""
    headings, rows, y = [], [], 0.0
    for size, units in zip(sizes, heading_units, strict=True):
        headings.append(y + (units - 1) / 2)
        y += units
        rows.append([y + i for i in range(size)])
        y += size + gap
    return RowGroups(headings, rows)


def note(
    ax: Axes,
    text: str,
    xy: tuple[float, float],
    offset: tuple[float, float] = (0, 0),
    ha: str = "left",
    xycoords: str | tuple[str, str] = "data",
    **style: Any,
) -> Annotation:
    """Text placed at a point plus an offset in points, so gaps stay the same at any scale."""
    style = {"va": "center", "color": TEXT, **style}
    return ax.annotate(
        text, xy, xycoords=xycoords, xytext=offset, textcoords="offset points", ha=ha, **style
    )


def draw_heading(ax: Axes, y: float, text: str) -> None:
    """A group heading flush with the figure's left edge, above the row labels it introduces."""
    note(ax, text, (0, y), (3, 0), xycoords=("figure fraction", "data"), fontweight="bold")


# (dx, dy) in points, with the alignment that keeps the text on that side of the point
CANDIDATES: tuple[tuple[float, float, str, str], ...] = (
    (6, 0, "left", "center"),
    (-6, 0, "right", "center"),
    (0, 6, "center", "bottom"),
    (0, -6, "center", "top"),
    (5, 5, "left", "bottom"),
    (-5, 5, "right", "bottom"),
    (5, -5, "left", "top"),
    (-5, -5, "right", "top"),
    (12, 10, "left", "bottom"),
    (-12, 10, "right", "bottom"),
    (12, -10, "left", "top"),
    (-12, -10, "right", "top"),
)
POINT_RADIUS_PT = 3.5


def _free(box: Bbox, frame: Bbox, taken: list[Bbox]) -> bool:
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return inside and not any(box.overlaps(other) for other in taken)


def place_labels(
    ax: Axes, labels: Sequence[tuple[float, float, str]], points: np.ndarray
) -> list[Annotation]:
    """Labels a few points, trying positions around each until one clears points and labels.

    The figure is drawn once first so that the constrained layout has fixed the axes;
    the labels stay out of the layout, so placing them cannot move the axes again. A label
    that fits nowhere is left out rather than drawn over another.
    """
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    radius = POINT_RADIUS_PT * fig.dpi / 72
    taken = [
        Bbox.from_bounds(px - radius, py - radius, 2 * radius, 2 * radius)
        for px, py in ax.transData.transform(points)
    ]
    placed = []
    for x, y, text in labels:
        for dx, dy, ha, va in CANDIDATES:
            label = note(ax, text, (x, y), (dx, dy), ha, va=va, fontsize=SMALL_FONT_SIZE)
            label.set_in_layout(False)
            box = label.get_window_extent(renderer).padded(1.5)
            if _free(box, frame, taken):
                taken.append(box)
                placed.append(label)
                break
            label.remove()
    return placed


def dodge(x: np.ndarray, y: np.ndarray, gap_y: float, step_x: float) -> np.ndarray:
    """Nudges points that would hide one another sideways, nearest free slot first.

    Counts on the x axis tie often (several factors chosen by nobody); without this the
    reader would see fewer points than there are. ``gap_y`` and ``step_x`` are a marker's
    size in data units; a point with no free slot within four steps takes the last one.
    """
    shifted = np.asarray(x, dtype=float).copy()
    placed: list[tuple[float, float]] = []
    for index in np.lexsort((y, x)):
        for k in (0, 1, -1, 2, -2, 3, -3, 4, -4):
            candidate = float(x[index]) + k * step_x
            if all(
                abs(candidate - px) >= 0.99 * step_x or abs(float(y[index]) - py) >= gap_y
                for px, py in placed
            ):
                break
        shifted[index] = candidate
        placed.append((candidate, float(y[index])))
    return shifted
