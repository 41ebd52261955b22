"""Layout helpers: grouped rows, sideways dodging and labels that must not collide."""

from __future__ import annotations

import numpy as np

from pipeline.figures.layout import dodge, place_labels, row_groups
from pipeline.figures.style import house_style, new_figure


def test_row_groups_stack_headings_above_their_rows():
    layout = row_groups([2, 1], [1.0, 2.0], gap=0.5)
    assert layout.headings == [0.0, 4.0]
    assert layout.rows == [[1.0, 2.0], [5.5]]
    assert layout.bottom == 5.5


def test_dodge_separates_tied_points_and_leaves_lone_ones():
    x = np.array([0, 0, 0, 5])
    y = np.array([0.60, 0.61, 0.90, 0.60])
    shifted = dodge(x, y, gap_y=0.05, step_x=0.25)
    assert shifted[3] == 5 and shifted[2] == 0
    assert abs(shifted[0] - shifted[1]) >= 0.25 * 0.99


def test_placed_labels_never_overlap_each_other_or_leave_the_axes():
    rng = np.random.default_rng(1)
    points = rng.uniform(0, 10, size=(25, 2))
    with house_style():
        fig, ax = new_figure(8)
        ax.plot(points[:, 0], points[:, 1], "o")
        ax.set_xlim(-1, 11)
        ax.set_ylim(-1, 11)
        labels = [(x, y, f"Faktor nummer {i}") for i, (x, y) in enumerate(points[:6])]
        placed = place_labels(ax, labels, points)
        renderer = fig.canvas.get_renderer()
        boxes = [note.get_window_extent(renderer) for note in placed]
        frame = ax.get_window_extent(renderer)
    assert len(placed) >= 4
    for i, box in enumerate(boxes):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1
        assert not any(box.overlaps(other) for other in boxes[i + 1 :])
