"""Builds every report figure from the results and the programme design, and writes them.

This is the figures stage's one entry point: the notebook calls ``build_all`` and shows
what it returns, and tests call it on fixture results.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.data.codebook import Codebook, load_codebook
from pipeline.data.programme import Programme, load_programme
from pipeline.figures.contract import Built
from pipeline.figures.effect import (
    change_counts_figure,
    dev_area_figure,
    effect_figure,
    gtei_change_figure,
)
from pipeline.figures.evaluation import evaluation_figure
from pipeline.figures.facts import facts_figure
from pipeline.figures.inputs import Results, load_results
from pipeline.figures.model import model_figure
from pipeline.figures.save import figure_files, index_bytes, write_all
from pipeline.figures.style import house_style
from pipeline.figures.timeline import timeline_figure
from pipeline.stats.params import CLEAR_CHANGE_Z, POSITIVE_THRESHOLD


@dataclass(frozen=True)
class FigureFiles:
    """What one figure became on disk, with the words the report shows beside it."""

    name: str
    fig_id: str
    svg: Path
    png: Path
    fragment: Path
    caption: str
    alt: str


def draw_all(results: Results, programme: Programme, codebook: Codebook) -> list[Built]:
    """Draws the figures in report order; call inside ``house_style()``."""
    summary = results.summary
    threshold = summary.get("parameters", {}).get("positive_threshold", POSITIVE_THRESHOLD)
    built = [
        timeline_figure(programme),
        facts_figure(summary["facts"], str(summary["as_of"])),
        evaluation_figure(results.evaluation, codebook),
        effect_figure(results.factors, results.gtei, codebook),
        change_counts_figure(results.change_counts, float(threshold)),
        gtei_change_figure(
            results.gtei_groups,
            float(summary["effect"]["reliability"]),
            float(summary.get("parameters", {}).get("clear_change_z", CLEAR_CHANGE_Z)),
        ),
        dev_area_figure(results.factors, summary["correlation"]),
        model_figure(codebook),
    ]
    return built


def build_all(
    results_dir: Path,
    figures_dir: Path,
    programme: Path,
    codebook: Codebook | None = None,
) -> dict[str, FigureFiles]:
    """Draws and writes every figure (SVG, PNG, fragment) and ``figures.yml`` beside the folder.

    Args:
        results_dir: the statistics stage's ``data/processed/results``.
        figures_dir: where figure files go (``report/_generated/figures``); ``figures.yml``
            is written to its parent.
        programme: ``data/reference/programme.yaml``.
        codebook: the instruments; defaults to the project's codebook.

    Returns:
        One FigureFiles per figure, by name, in report order.
    """
    results = load_results(Path(results_dir))
    design = load_programme(Path(programme))
    figures_dir = Path(figures_dir)
    rendered: dict[Path, bytes] = {}
    with house_style():
        built = draw_all(results, design, codebook or load_codebook())
        for item in built:
            rendered |= figure_files(item, figures_dir)
    rendered[figures_dir.parent / "figures.yml"] = index_bytes(built)
    write_all(rendered)
    return {
        item.name: FigureFiles(
            name=item.name,
            fig_id=item.fig_id,
            svg=figures_dir / f"{item.name}.svg",
            png=figures_dir / f"{item.name}.png",
            fragment=figures_dir / f"_{item.name}.md",
            caption=item.caption,
            alt=item.alt,
        )
        for item in built
    }
