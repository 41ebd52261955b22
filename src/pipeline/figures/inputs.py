"""Reads what the statistics stage wrote, checking the columns the figures rely on.

A missing column would otherwise surface as a KeyError deep inside a plot; naming the
file and the columns tells the reader which stage broke the contract.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.data.codebook import GTEI
from pipeline.errors import PipelineError
from pipeline.stats.effect import GTEI_GROUP_COLUMNS, TABLE1_COLUMNS, TABLE2_COLUMNS
from pipeline.stats.evaluation import ITEM_COLUMNS

SUMMARY_KEYS = ("facts", "effect", "correlation")


class FigureInputError(PipelineError):
    """A results file or programme.yaml lacks what a figure needs."""


@dataclass(frozen=True)
class Results:
    """The statistics stage's results, as the figures use them."""

    factors: pd.DataFrame
    """Table 2 without the GTEI row: one row per Effect factor."""
    gtei: pd.Series
    """Table 2's GTEI row."""
    change_counts: pd.DataFrame
    evaluation: pd.DataFrame
    gtei_groups: pd.DataFrame
    summary: dict


def read_table(path: Path, columns: Sequence[str]) -> pd.DataFrame:
    """Reads a results CSV and fails with the file's name if a column is missing."""
    if not path.is_file():
        raise FigureInputError(f"{path}: missing; run the statistics stage first")
    frame = pd.read_csv(path, dtype={"group_id": str, "factor": str, "item": str})
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise FigureInputError(f"{path}: lacks column(s) {', '.join(missing)}")
    return frame


def read_summary(path: Path) -> dict:
    """Reads summary.json and checks the sections the figures read."""
    if not path.is_file():
        raise FigureInputError(f"{path}: missing; run the statistics stage first")
    summary = json.loads(path.read_text(encoding="utf-8"))
    missing = [k for k in SUMMARY_KEYS if k not in summary]
    if missing:
        raise FigureInputError(f"{path}: lacks section(s) {', '.join(missing)}")
    return summary


def load_results(results_dir: Path) -> Results:
    """Loads every results file the figures draw on."""
    effect = read_table(results_dir / "effect_factors.csv", TABLE2_COLUMNS)
    is_gtei = effect["factor"] == GTEI
    if is_gtei.sum() != 1:
        raise FigureInputError(
            f"{results_dir / 'effect_factors.csv'}: expected one row with factor = {GTEI}"
        )
    return Results(
        factors=effect[~is_gtei].reset_index(drop=True),
        gtei=effect[is_gtei].iloc[0],
        change_counts=read_table(results_dir / "effect_change_counts.csv", TABLE1_COLUMNS),
        evaluation=read_table(results_dir / "evaluation_items.csv", ITEM_COLUMNS),
        gtei_groups=read_table(results_dir / "gtei_groups.csv", GTEI_GROUP_COLUMNS),
        summary=read_summary(results_dir / "summary.json"),
    )
