"""The facts panel: who took part, as large numbers with short labels.

A panel of tiles rather than a chart: these are counts with nothing to compare against,
so the honest picture is the number itself, set large enough to find at a glance.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.axes import Axes

from pipeline.figures.contract import Built
from pipeline.figures.style import (
    BLUE,
    LIGHT_BLUE,
    SMALL_FONT_SIZE,
    TEXT_WIDTH_CM,
    format_date,
    format_number,
    format_pct,
    new_figure,
)

COLUMNS = 4
NUMBER_SIZE = 22
TILE_HEIGHT_CM = 2.9
"""Tiles are laid out in centimetres (the axes' data units) so the spacing prints as drawn."""


@dataclass(frozen=True)
class Tile:
    number: str
    label: str
    note: str = ""


def tiles(facts: dict) -> list[Tile]:
    """The eight facts in reading order: who took part (top row), then who the leaders are."""
    first, last = str(facts["first_start"])[:4], str(facts["last_start"])[:4]
    years = first if first == last else f"{first}–{last}"
    return [
        Tile(str(facts["groups"]), "ledergrupper"),
        Tile(str(facts["departementer"]), "fra departementer"),
        Tile(str(facts["direktorater"]), "fra direktorater o.l."),
        Tile(str(facts["cohorts"]), "kull", f"startet {years}"),
        Tile(str(facts["leaders"]), "ledere"),
        Tile(format_pct(facts["women_pct"]), "kvinner", f"og {format_pct(facts['men_pct'])} menn"),
        Tile(
            format_number(facts["mean_group_size"], 1),
            "ledere per gruppe i snitt",
            f"fra {facts['min_group_size']} til {facts['max_group_size']}",
        ),
        Tile(format_number(facts["mean_age"], 1), "år i gjennomsnittsalder"),
    ]


def _origin(index: int) -> tuple[float, float]:
    """Top-left corner of a tile, in centimetres."""
    width = TEXT_WIDTH_CM / COLUMNS
    return (index % COLUMNS) * width + 0.1, (index // COLUMNS) * TILE_HEIGHT_CM


def _draw_tile(ax: Axes, index: int, tile: Tile) -> None:
    """One tile: a short rule, the number, its label and an optional note, left-aligned."""
    x, top = _origin(index)
    ax.plot(
        [x, x + 1.2], [top + 0.25, top + 0.25], color=BLUE, linewidth=2.2, solid_capstyle="butt"
    )
    ax.text(x, top + 1.25, tile.number, fontsize=NUMBER_SIZE, color=BLUE, va="baseline")
    ax.text(x, top + 1.8, tile.label, va="baseline")
    if tile.note:
        ax.text(x, top + 2.2, tile.note, va="baseline", fontsize=SMALL_FONT_SIZE, color="#595959")


def _gender_bar(ax: Axes, index: int, women_pct: float) -> None:
    """A thin split bar under the gender tile, women first as in the label above it."""
    x, top = _origin(index)
    width, share = 3.0, women_pct / 100
    ax.barh(top + 2.45, width * share, left=x, height=0.18, color=BLUE)
    ax.barh(top + 2.45, width * (1 - share), left=x + width * share, height=0.18, color=LIGHT_BLUE)


def facts_figure(facts: dict, as_of: str) -> Built:
    """Draws the facts panel from summary.json's ``facts``."""
    panel = tiles(facts)
    height = TILE_HEIGHT_CM * -(-len(panel) // COLUMNS) + 0.1
    fig, ax = new_figure(height, layout=None)
    fig.subplots_adjust(left=0, right=1, top=1, bottom=0)
    for index, tile in enumerate(panel):
        _draw_tile(ax, index, tile)
    _gender_bar(ax, [t.label for t in panel].index("kvinner"), float(facts["women_pct"]))
    ax.set_xlim(0, TEXT_WIDTH_CM)
    ax.set_ylim(height, 0)
    ax.axis("off")
    return Built("fakta", fig, facts_caption(facts, as_of), facts_alt(facts))


def facts_caption(facts: dict, as_of: str) -> str:
    """The date is the data's, not the time of participation (the programme may have ended)."""
    groups = facts["groups"]
    return f"Nøkkeltall for de {groups} ledergruppene i datagrunnlaget per {format_date(as_of)}."


def facts_alt(facts: dict) -> str:
    return (
        f"Panel med nøkkeltall: {facts['groups']} ledergrupper i {facts['cohorts']} kull, "
        f"{facts['departementer']} fra departementer og {facts['direktorater']} fra "
        f"direktorater og andre underliggende virksomheter, til sammen {facts['leaders']} ledere, "
        f"{format_pct(facts['women_pct'])} kvinner og {format_pct(facts['men_pct'])} menn. "
        f"En ledergruppe hadde i snitt {format_number(facts['mean_group_size'], 1)} medlemmer "
        f"(fra {facts['min_group_size']} til {facts['max_group_size']}), og "
        f"gjennomsnittsalderen var {format_number(facts['mean_age'], 1)} år."
    )
