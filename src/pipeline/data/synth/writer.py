"""Turns group plans into the raw files of DESIGN.md section 2, byte for byte reproducibly.

UTF-8 without BOM, ``,`` as separator, ``\\n`` line ends, scores with two decimals, blanks
as empty fields, rows in group, wave and respondent order, and no timestamps anywhere.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from pipeline.data.codebook import Codebook
from pipeline.data.marker import MARKER, is_synthetic_cohort, write_marker
from pipeline.data.synth.comments import comment_for
from pipeline.data.synth.evaluation import BLANK, answer_labels
from pipeline.data.synth.plan import GroupPlan
from pipeline.errors import PipelineError

README = "README.md"
COHORT_DIR = re.compile(r"kull-\d\d")
FILES = ("groups", "members", "effect", "evaluation", "development_areas")


def _score(value: float) -> str:
    return "" if np.isnan(value) else f"{value:.2f}"


def cohort_tables(plans: Sequence[GroupPlan], codebook: Codebook) -> dict[str, list[list[str]]]:
    """The five tables of one cohort, header first."""
    labels = answer_labels(codebook)
    tables: dict[str, list[list[str]]] = {
        "groups": [["group_id", "kull", "organisation", "org_type", "start_date", "end_date"]],
        "members": [["member_id", "group_id", "gender", "age"]],
        "effect": [["respondent_id", "group_id", "wave", *codebook.factor_keys]],
        "evaluation": [["respondent_id", "group_id", *codebook.item_keys, "kommentar"]],
        "development_areas": [["group_id", "factor"]],
    }
    for plan in plans:
        g = plan.group
        gid = g.group_id
        tables["groups"].append(
            [gid, str(g.kull), g.organisation, g.org_type, g.start.isoformat(), g.end.isoformat()]
        )
        tables["members"] += [
            [f"{gid}-m{i:02d}", gid, m.gender, str(m.age)]
            for i, m in enumerate(plan.members, start=1)
        ]
        for wave, scores in sorted(plan.waves.items()):
            tables["effect"] += [
                [f"{gid}-w{wave}-r{i:02d}", gid, str(wave), *map(_score, row)]
                for i, row in enumerate(scores, start=1)
            ]
        if plan.evaluation is not None:
            tables["evaluation"] += [
                [
                    f"{gid}-eval-r{i:02d}",
                    gid,
                    *("" if a == BLANK else labels[a] for a in row),
                    comment_for(f"{gid}-eval-r{i:02d}"),
                ]
                for i, row in enumerate(plan.evaluation, start=1)
            ]
        keys = codebook.factor_keys
        tables["development_areas"] += [[gid, f] for f in sorted(keys[i] for i in plan.areas)]
    return tables


def _write_csv(path: Path, rows: Iterable[list[str]]) -> int:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        count = 0
        for row in rows:
            writer.writerow(row)
            count += 1
    return count - 1


def _check_target(out: Path, kulls: list[int]) -> None:
    """Refuses to write over anything that may be real data.

    Besides the README, ``out`` may hold only cohort folders; a folder this run would
    replace must be synthetic (its files match its marker), and real cohorts beside them
    are left alone.
    """
    if not out.exists():
        return
    if not out.is_dir():
        raise PipelineError(f"synth: {out} exists and is not a folder")
    for entry in sorted(out.iterdir()):
        if entry.name.startswith(".") or entry.name == README:
            continue
        if not (entry.is_dir() and COHORT_DIR.fullmatch(entry.name)):
            raise PipelineError(
                f"synth: {out} holds {entry.name}, which synth did not write and may be "
                "real data; choose an empty or new folder"
            )
        if int(entry.name[5:]) in kulls and not is_synthetic_cohort(entry):
            raise PipelineError(
                f"synth: {entry} has no {MARKER} marker matching its files, so it is real "
                "data; move it away or choose an empty or new folder"
            )


def _clear_previous(out: Path) -> None:
    """Removes what an earlier run wrote (synthetic cohorts and the README), nothing else."""
    for entry in out.iterdir():
        if entry.is_dir() and COHORT_DIR.fullmatch(entry.name) and is_synthetic_cohort(entry):
            shutil.rmtree(entry)
        elif entry.name == README:
            entry.unlink()


def write_tree(
    out: Path, cohorts: dict[int, dict[str, list[list[str]]]], readme: str, note: str
) -> dict[str, int]:
    """Writes the tree next to ``out`` first, then swaps it in; returns data rows per file kind.

    Each cohort folder gets a ``SYNTHETIC`` marker with the digests of its files and
    ``note`` (how they were made). A run that fails half-way leaves the previous tree in place.
    """
    _check_target(out, sorted(cohorts))
    staging = out.parent / f".{out.name}.synth-staging"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    rows = dict.fromkeys(FILES, 0)
    try:
        for kull, tables in sorted(cohorts.items()):
            folder = staging / f"kull-{kull:02d}"
            folder.mkdir()
            for name in FILES:
                rows[name] += _write_csv(folder / f"{name}.csv", tables[name])
            write_marker(folder, note)
        (staging / README).write_text(readme, encoding="utf-8")
        out.mkdir(parents=True, exist_ok=True)
        _clear_previous(out)
        for entry in sorted(staging.iterdir()):
            entry.rename(out / entry.name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return rows
