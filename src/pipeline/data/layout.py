"""The shape of a raw data tree: which folders are cohorts and which files hold which table."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from pipeline.data.problems import FILE_LEVEL, NO_COLUMN, Problem
from pipeline.paths import PATHS

COHORT_FOLDER = re.compile(r"kull-(\d{2})")
LOOKS_LIKE_COHORT = re.compile(r"kull", re.IGNORECASE)
SYNTHETIC_MARKER = "SYNTHETIC"
EXTENSIONS = (".csv", ".xlsx")
LEFTOVERS = (
    re.compile(r"~\$.*"),  # Excel's owner file while a workbook is open
    re.compile(r"\.~lock\..*#"),  # LibreOffice's lock file
    re.compile(r"\.DS_Store|Thumbs\.db|desktop\.ini", re.IGNORECASE),
)


@dataclass(frozen=True)
class Cohort:
    """One ``kull-NN`` folder and the table files found in it (table name → path)."""

    number: int
    folder: Path
    files: dict[str, Path]
    ignored: tuple[str, ...] = ()
    """Files a spreadsheet program or the OS left behind, skipped with a note."""


def display_base(raw_dir: Path) -> Path:
    """How problems name the raw folder: relative to the project root when inside it.

    That keeps messages (and validation.json) the same whether the raw folder was given
    as ``data/raw`` or as an absolute path, e.g. by a notebook running in build/notebooks.
    """
    try:
        return raw_dir.resolve().relative_to(PATHS.root)
    except ValueError:
        return raw_dir


def is_synthetic(raw_dir: Path) -> bool:
    """The synthetic generator leaves a marker file so no one mistakes its data for real data."""
    return (raw_dir / SYNTHETIC_MARKER).is_file()


def find_cohorts(raw_dir: Path, tables: Collection[str]) -> tuple[list[Cohort], list[Problem]]:
    """Lists the cohort folders in number order, with a problem for each misfit.

    Entries that do not start with ``kull`` (README.md, SYNTHETIC) are not data and are
    skipped; those that do but are misnamed (``kull-1``, ``kull_03``) would otherwise be
    skipped silently, so they are problems.
    """
    base = display_base(raw_dir)
    if not raw_dir.is_dir():
        rule = f"raw data folder not found: looked for {raw_dir.resolve()}"
        return [], [Problem(str(base), FILE_LEVEL, NO_COLUMN, None, rule)]
    cohorts: list[Cohort] = []
    problems: list[Problem] = []
    for entry in sorted(raw_dir.iterdir()):
        match = COHORT_FOLDER.fullmatch(entry.name)
        if match and entry.is_dir():
            files, ignored, found = _table_files(entry, base / entry.name, tables)
            cohorts.append(Cohort(int(match.group(1)), entry, files, ignored))
            problems += found
        elif LOOKS_LIKE_COHORT.match(entry.name):
            rule = "not a cohort folder: name cohort folders kull-NN (two digits, e.g. kull-03)"
            problems.append(Problem(str(base / entry.name), FILE_LEVEL, NO_COLUMN, None, rule))
    if not cohorts and not problems:
        rule = "no cohort folders (kull-NN) in the raw data folder"
        problems.append(Problem(str(base), FILE_LEVEL, NO_COLUMN, None, rule))
    return cohorts, problems


def _table_files(
    folder: Path, shown: Path, tables: Collection[str]
) -> tuple[dict[str, Path], tuple[str, ...], list[Problem]]:
    """Maps table names to files; an unknown or doubled file is a problem, not a guess.

    Leftovers of spreadsheet programs (``~$groups.xlsx``, ``.~lock.groups.csv#``) are
    ignored and named, so the user knows they were seen; other dot-files are skipped.
    """
    files: dict[str, Path] = {}
    ignored: list[str] = []
    problems: list[Problem] = []
    for entry in sorted(folder.iterdir()):
        if any(pattern.fullmatch(entry.name) for pattern in LEFTOVERS):
            ignored.append(str(shown / entry.name))
            continue
        if entry.name.startswith("."):
            continue
        name, suffix = entry.stem.lower(), entry.suffix.lower()
        if not entry.is_file() or name not in tables or suffix not in EXTENSIONS:
            expected = ", ".join(f"{t}.csv" for t in tables)
            rule = f"unexpected file in a cohort folder; expected {expected} (or .xlsx)"
            problems.append(Problem(str(shown / entry.name), FILE_LEVEL, NO_COLUMN, None, rule))
        elif name in files:
            rule = f"two files hold the table '{name}' ({files[name].name} and {entry.name})"
            problems.append(Problem(str(shown / entry.name), FILE_LEVEL, NO_COLUMN, None, rule))
        else:
            files[name] = entry
    return files, tuple(ignored), problems
