"""Deterministic synthetic raw data, calibrated to the published 2019 figures.

The real survey answers are confidential, so the pipeline is developed and shipped with a
synthetic ``data/raw`` tree that reproduces what the 2019 report published (Tabell 1 and 2,
the GTEI counts, Figur 2, the facts figure) when analysed the way DESIGN.md section 3
defines. ``write_synthetic`` is the only entry point; ``python -m pipeline synth`` calls it.

Modules, in the order the data are made: ``targets`` (the published figures),
``cohorts`` (kull, organisations, dates), ``people`` (members), ``calibrate`` (group-level
Effect scores), ``respondents`` (individual scores with exact group means),
``evaluation`` (Questback answers), ``devareas`` (development areas), ``plan`` (puts it
together per group), ``writer`` and ``readme`` (the files).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pipeline.data.codebook import Codebook, load_codebook
from pipeline.data.synth.cohorts import extra_cohort_sizes
from pipeline.data.synth.plan import GroupPlan, plan_extra, plan_real
from pipeline.data.synth.readme import marker_note, readme_text
from pipeline.data.synth.writer import cohort_tables, write_tree
from pipeline.errors import PipelineError

__all__ = ["SynthSummary", "write_synthetic"]


@dataclass(frozen=True)
class SynthSummary:
    """What ``write_synthetic`` wrote: counts of cohorts, groups and data rows per file kind."""

    out: Path
    seed: int
    scale: int
    cohorts: int
    groups: int
    members: int
    effect_rows: int
    evaluation_rows: int
    development_area_rows: int

    def __str__(self) -> str:
        return (
            f"wrote synthetic data to {self.out} (seed {self.seed}, scale {self.scale}): "
            f"{self.cohorts} cohorts, {self.groups} groups, {self.members} members, "
            f"{self.effect_rows} Effect answers, {self.evaluation_rows} evaluation answers, "
            f"{self.development_area_rows} development areas"
        )


def write_synthetic(
    out: Path, seed: int = 2019, scale: int = 1, codebook: Codebook | None = None
) -> SynthSummary:
    """Writes ``out/kull-NN/*.csv`` with a ``SYNTHETIC`` marker in each, and ``out/README.md``.

    ``seed`` (a non-negative integer) fixes every random draw: the same seed gives the same
    bytes. ``scale`` (at least 1) multiplies the number of groups for benchmarks: kull 0-16
    stay exactly as at scale 1 (the calibrated programme), and ``63 * (scale - 1)`` fictional
    groups follow in kull 17-99, four per cohort while the numbers last and more per cohort
    beyond that (scale 7 and up), dated like the real cohorts in turn. Only the real cohorts
    are calibrated. ``out`` must be new, empty, or hold only cohort folders; a cohort folder
    this run writes must be synthetic (files match its marker): anything else may be real
    data and is refused, and real cohorts beside it are kept.
    """
    if seed < 0:
        raise PipelineError(f"synth: the seed must be a non-negative integer, got {seed}")
    codebook = codebook or load_codebook()
    extra = extra_cohort_sizes(scale)
    plans: list[GroupPlan] = plan_real(seed, codebook)
    for kull, size in extra.items():
        plans += plan_extra(seed, kull, size, codebook)
    by_kull: dict[int, list[GroupPlan]] = {}
    for plan in plans:
        by_kull.setdefault(plan.group.kull, []).append(plan)
    tables = {kull: cohort_tables(group_plans, codebook) for kull, group_plans in by_kull.items()}
    rows = write_tree(Path(out), tables, readme_text(seed, scale), marker_note(seed, scale))
    return SynthSummary(
        out=Path(out),
        seed=seed,
        scale=scale,
        cohorts=len(by_kull),
        groups=rows["groups"],
        members=rows["members"],
        effect_rows=rows["effect"],
        evaluation_rows=rows["evaluation"],
        development_area_rows=rows["development_areas"],
    )
