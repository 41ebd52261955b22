"""The Effect model as a diagram: the three categories and their factors, from the codebook.

The 2019 report shows the model as a drawing; here it is drawn from the same codebook the
statistics and appendix B use, so the diagram cannot list a factor the data do not have.
Three boxes stand left to right (Forutsetninger → Prosesser → Resultater, the model's
input–process–output logic), each listing its factors; the arrows carry the reading order.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

from pipeline.data.codebook import CATEGORIES, Codebook
from pipeline.figures.contract import Built
from pipeline.figures.style import BLUE, FONT_SIZE, LIGHT_BLUE, TEXT, new_figure

LINE_CM = 0.48
"""Height of one factor line; the figure grows with the longest category."""
HEAD_CM = 1.3
BOX_WIDTH = 0.29
GAP = (1 - 3 * BOX_WIDTH) / 2


def model_figure(codebook: Codebook) -> Built:
    """Three boxes, one per category in codebook order, each with its factors' labels."""
    groups = [(c, [f.label for f in codebook.factors if f.category == c]) for c in CATEGORIES]
    groups = [(c, labels) for c, labels in groups if labels]
    longest = max(len(labels) for _, labels in groups)
    height_cm = HEAD_CM + longest * LINE_CM + 0.6
    fig, ax = new_figure(height_cm, layout=None)
    fig.subplots_adjust(left=0.005, right=0.995, top=0.995, bottom=0.005)
    ax.set_axis_off()
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    line = LINE_CM / height_cm
    head = HEAD_CM / height_cm
    for i, (category, labels) in enumerate(groups):
        _box(fig, i, category, labels, head, line)
        if i:
            x_from = (i - 1) * (BOX_WIDTH + GAP) + BOX_WIDTH
            arrow = FancyArrowPatch(
                (x_from + 0.004, 1 - head / 2),
                (x_from + GAP - 0.004, 1 - head / 2),
                arrowstyle="-|>",
                mutation_scale=12,
                color=BLUE,
                lw=1.2,
            )
            ax.add_patch(arrow)
    n = sum(len(labels) for _, labels in groups)
    names = "; ".join(f"{c}: {', '.join(labels)}" for c, labels in groups)
    return Built(
        name="effect_modell",
        figure=fig,
        caption=(
            f"Effect-modellen: {n} faktorer i tre grupper, fra forutsetninger via prosesser "
            "til resultater."
        ),
        alt=f"Diagram med tre bokser forbundet med piler. {names}.",
    )


def _box(fig: Figure, i: int, category: str, labels: list[str], head: float, line: float) -> None:
    ax = fig.axes[0]
    x = i * (BOX_WIDTH + GAP)
    top = 1 - 0.01
    bottom = top - head - len(labels) * line - 0.02
    ax.add_patch(
        FancyBboxPatch(
            (x, bottom),
            BOX_WIDTH,
            top - bottom,
            boxstyle="round,pad=0,rounding_size=0.015",
            facecolor="white",
            edgecolor=BLUE,
            lw=0.9,
        )
    )
    ax.add_patch(
        FancyBboxPatch(
            (x, top - head * 0.8),
            BOX_WIDTH,
            head * 0.8,
            boxstyle="round,pad=0,rounding_size=0.015",
            facecolor=LIGHT_BLUE,
            edgecolor=BLUE,
            lw=0.9,
        )
    )
    ax.text(
        x + BOX_WIDTH / 2,
        top - head * 0.4,
        category,
        ha="center",
        va="center",
        fontsize=FONT_SIZE + 1.5,
        fontweight="bold",
        color=TEXT,
    )
    for n, label in enumerate(labels):
        y = top - head - (n + 0.5) * line + 0.01
        ax.text(x + 0.015, y, label, ha="left", va="center", fontsize=FONT_SIZE, color=TEXT)
