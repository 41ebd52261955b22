"""What the report says about the published 2019 report: its figures beside this edition's.

``data/reference/published.yaml`` holds the figures the 2019 report printed. Appendix C uses
them twice: to explain why the development-area column is counted afresh (the printed column
holds a d value in one row and adds up to more areas than the groups could choose), and, in
the 2019 edition of the synthetic data, to list where the rebuilt figures miss the printed
ones, so that "kalibrert slik at … gjengir tallene" is never more than the data bear out.
Every number here is derived from the two sources, none is typed into the prose.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pipeline.errors import ReferenceDataError
from pipeline.format.numbers import fmt_int, fmt_number
from pipeline.paths import PATHS
from pipeline.stats.effect import GTEI

CALIBRATION_DATE = dt.date(2019, 6, 30)
"""The data date of the 2019 report: the synthetic data are calibrated to its figures there."""
LEARNING = "kontinuerlig_gruppelaering"
"""The factor whose cell in the printed count column holds its d value instead of a count."""


def load_published(path: Path | None = None) -> dict:
    """``published.yaml`` as a mapping; a missing or malformed file names itself."""
    path = path or PATHS.published
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"{path}: cannot read the published figures ({exc})") from exc
    if not isinstance(doc, Mapping) or "effect_2019" not in doc or "facts_2019" not in doc:
        raise ReferenceDataError(f"{path}: needs the sections effect_2019 and facts_2019")
    return dict(doc)


@dataclass(frozen=True)
class Figure:
    """One figure as the 2019 report printed it and as this edition computes it."""

    label: str
    published: float
    built: float | None
    decimals: int

    def shown(self, value: float | None) -> str:
        return fmt_int(value) if self.decimals == 0 else fmt_number(value, self.decimals)

    @property
    def differs(self) -> bool:
        """Compared as printed: a difference that rounding hides is no difference."""
        return self.shown(self.published) != self.shown(self.built)


def headline_figures(published: Mapping, summary: Mapping) -> list[Figure]:
    """The 2019 report's key figures beside this edition's, at the precision each is printed."""
    facts, pf = summary["facts"], published["facts_2019"]
    effect, pe = summary["effect"], published["effect_2019"]
    gtei = pe["global_index"]
    evaluation, pv = summary["evaluation"], published["evaluation_2019"]
    return [
        Figure("antall ledergrupper", pf["groups"], facts["groups"], 0),
        Figure("antall ledere", pf["leaders"], facts["leaders"], 0),
        Figure("gjennomsnittlig antall medlemmer per gruppe", pf["mean_members_per_group"],
               facts["mean_group_size"], 1),
        Figure("gjennomsnittsalderen", pf["mean_age"], facts["mean_age"], 1),
        Figure("antall svar på sluttevalueringen", pv["respondents"], evaluation["respondents"], 0),
        Figure("antall parede grupper", pe["groups_with_both_waves"], effect["paired_groups"], 0),
        Figure("GTEI ved oppstart", pe["gtei_t1"], effect["gtei_t1"], 2),
        Figure("GTEI ved avslutning", pe["gtei_t2"], effect["gtei_t2"], 2),
        Figure("endringen i GTEI", gtei["diff"], effect["gtei_diff"], 2),
        Figure("t-verdien for GTEI", gtei["t"], effect["gtei_t"], 2),
        Figure("effektstørrelsen d for GTEI", gtei["d"], effect["gtei_d"], 2),
        Figure("antall grupper med høyere GTEI", pe["groups_improved_gtei"], effect["improved"], 0),
        Figure("antall reliable forbedringer", pe["reliable_change_positive"],
               effect["reliable_positive"], 0),
        Figure("korrelasjonen r", pe["devarea_change_correlation"]["r"],
               summary["correlation"]["r"], 2),
    ]  # fmt: skip


TABLE_CELLS = (("t1", "t1_mean"), ("sd1", "t1_sd"), ("t2", "t2_mean"), ("sd2", "t2_sd"),
               ("diff", "diff"), ("t", "t"), ("d", "d"))  # fmt: skip
"""Tabell 2's numeric cells per factor (published key, effect_factors.csv column)."""


def table_figures(published: Mapping, effect_table: pd.DataFrame) -> list[Figure]:
    """Every printed mean, SD, difference, t and d of Tabell 2 beside this edition's."""
    built = effect_table.set_index("factor")
    rows = [
        *published["effect_2019"]["factors"],
        {"key": GTEI, **published["effect_2019"]["global_index"]},
    ]
    figures = []
    for row in rows:
        for key, column in TABLE_CELLS:
            value = built.at[row["key"], column] if row["key"] in built.index else None
            figures.append(Figure(f"{row['key']}.{key}", row[key], value, 2))
    return figures


def ci_figures(published: Mapping, effect_table: pd.DataFrame) -> list[Figure]:
    """Both bounds of every printed confidence interval in Tabell 2 beside this edition's."""
    built = effect_table.set_index("factor")
    rows = [
        *published["effect_2019"]["factors"],
        {"key": GTEI, **published["effect_2019"]["global_index"]},
    ]
    figures = []
    for row in rows:
        for bound, column in zip(row["ci"], ("ci_low", "ci_high"), strict=True):
            value = built.at[row["key"], column] if row["key"] in built.index else None
            figures.append(Figure(f"{row['key']}.{column}", bound, value, 2))
    return figures


def _join(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def deviation_sentence(figures: Sequence[Figure]) -> str:
    """The headline figures that differ from the printed ones, or that none do."""
    off = [f for f in figures if f.differs]
    if not off:
        return "Alle hovedtallene er de samme som i 2019-rapporten."
    parts = [f"{f.label} ({f.shown(f.built)} her, {f.shown(f.published)} i 2019-rapporten)"
             for f in off]  # fmt: skip
    return f"Blant hovedtallene avviker {_join(parts)}."


def largest_gap(figures: Sequence[Figure]) -> float:
    """The largest difference between a printed and a rebuilt value, at printed precision."""
    gaps = [abs(round(float(f.built), f.decimals) - round(float(f.published), f.decimals))
            for f in figures if f.differs and f.built is not None]  # fmt: skip
    return max(gaps, default=0.0)


def devarea_column(published: Mapping) -> dict[str, str]:
    """The printed "Antall grupper" column: its d slip, its sum and what the groups allow."""
    effect = published["effect_2019"]
    rows = {row["key"]: row for row in effect["factors"]}
    counts = [row["n_dev_area"] for row in rows.values() if row["n_dev_area"] is not None]
    most = max(published["programme"]["development_areas_per_group"])
    groups = effect["groups_with_both_waves"]
    return {
        "learning_cell": fmt_number(rows[LEARNING]["d"]),
        "empty_rows": fmt_int(
            sum(row["n_dev_area"] is None for key, row in rows.items() if key != LEARNING)
        ),
        "sum": fmt_int(sum(counts)),
        "groups": fmt_int(groups),
        "most_per_group": fmt_int(most),
        "most": fmt_int(groups * most),
    }


def published_variables(
    published: Mapping, summary: Mapping, effect_table: pd.DataFrame
) -> dict[str, object]:
    """``publisert.*``: the printed column's facts and this edition against the 2019 figures."""
    headline = headline_figures(published, summary)
    table = table_figures(published, effect_table)
    cis = ci_figures(published, effect_table)
    return {
        "ci_cells": fmt_int(len(cis)),
        "ci_off": fmt_int(sum(f.differs for f in cis)),
        "ci_gap": fmt_number(largest_gap(cis)),
        "devarea": devarea_column(published),
        "deviations": deviation_sentence(headline),
        "table_cells": fmt_int(len(table)),
        "table_off": fmt_int(sum(f.differs for f in table)),
        "table_gap": fmt_number(largest_gap(table)),
    }
