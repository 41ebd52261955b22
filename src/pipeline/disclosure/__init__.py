"""Disclosure control for everything published and every profile (DESIGN.md section 9).

``check_book`` runs after the report's render, ``check_profile`` inside the profile notebook
before a PDF is written; both raise DisclosureError listing every finding by its cell.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from pipeline.disclosure.checks import (
    dominance_findings,
    group_id_findings,
    organisation_score_findings,
    threshold_findings,
)
from pipeline.disclosure.rules import PROGRAMME_MIN_GROUPS, DisclosureError, Finding, raise_if
from pipeline.disclosure.scan import Unit, html_units, json_units, svg_units, text_units
from pipeline.paths import Paths
from pipeline.stats.group_change import WAVES
from pipeline.stats.params import MIN_RESPONDENTS

if TYPE_CHECKING:  # the profile's shape only: profiles sit above disclosure (docs/architecture.md)
    from pipeline.profiles.data import Edition, Profile

__all__ = [
    "DisclosureError",
    "Finding",
    "book_units",
    "check_book",
    "check_profile",
    "check_published",
]

TEXT_SUFFIXES = {".md", ".yml", ".yaml", ".txt", ".js"}


def book_units(book_dir: Path) -> list[Unit]:
    """Every published page, figure and text file of ``_book/`` as cells (PDFs excluded:
    the PDF is typeset from the same sources as the pages)."""
    units: list[Unit] = []
    for path in sorted(Path(book_dir).rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(book_dir))
        if path.suffix == ".html":
            units += html_units(name, path.read_text(encoding="utf-8"))
        elif path.suffix == ".svg":
            units += svg_units(name, path.read_text(encoding="utf-8"))
        elif path.suffix == ".json":
            units += json_units(name, path.read_text(encoding="utf-8", errors="replace"))
        elif path.suffix in TEXT_SUFFIXES:
            units += text_units(name, path.read_text(encoding="utf-8", errors="replace"))
    return units


def check_book(
    book_dir: Path, results_dir: Path, groups: pd.DataFrame, min_respondents: int
) -> int:
    """Fails when the public report names a group, pairs an organisation with its scores, or
    publishes a result from fewer than ``min_respondents`` contributors. Returns units checked."""
    units = book_units(book_dir)
    findings = group_id_findings(units, groups["group_id"])
    findings += organisation_score_findings(units, groups["organisation"])
    findings += threshold_findings(results_dir, min_respondents)
    raise_if(findings)
    return len(units)


def check_published(paths: Paths) -> str:
    """The report build's check after render: ``_book/`` and the result files behind it.

    ``min_respondents`` is the one the statistics stage used (``summary.json``).
    """
    summary = json.loads((paths.results / "summary.json").read_text(encoding="utf-8"))
    minimum = int(summary.get("parameters", {}).get("min_respondents", MIN_RESPONDENTS))
    groups = pd.read_parquet(paths.processed / "groups.parquet")
    checked = check_book(paths.book, paths.results, groups, minimum)
    return f"disclosure control: {checked} cells in _book/ checked, nothing disclosive"


def check_profile(profile: Profile, source: str, edition: Edition) -> None:
    """Fails when a profile would show another group, a thin value or a thin aggregate."""
    where, minimum = f"profile {profile.group_id}", profile.min_respondents
    others = edition.groups.loc[edition.groups["group_id"] != profile.group_id]
    other_orgs = set(others["organisation"].astype(str)) - {profile.organisation}
    units = text_units(where, source)
    findings = group_id_findings(units, others["group_id"])
    findings += [
        Finding(u.where, "other organisation", f"names {org!r}")
        for u in units
        for org in sorted(other_orgs)
        if org in u.text.replace(profile.organisation, " ")
    ]
    for row in profile.factors.itertuples(index=False):
        for wave in WAVES:
            cell = f"{where}, factor {row.factor}, wave {wave}"
            n, mean = int(getattr(row, f"n{wave}")), getattr(row, f"mean{wave}")
            if np.isfinite(mean) and n < minimum:
                findings.append(Finding(cell, "threshold", f"{n} answers < {minimum}"))
            prog_n, prog = int(getattr(row, f"prog_n{wave}")), getattr(row, f"prog_mean{wave}")
            if np.isfinite(prog):
                if prog_n < PROGRAMME_MIN_GROUPS:
                    detail = f"{prog_n} groups < {PROGRAMME_MIN_GROUPS}"
                    findings.append(Finding(f"{cell}, programme", "threshold", detail))
                findings += [
                    Finding(f"{cell}, programme", f.rule, f.detail)
                    for f in programme_dominance(edition).get((row.factor, wave), [])
                ]
        fewest = min(row.n1, row.n2)
        if np.isfinite(row.change) and fewest < minimum:
            cell = f"{where}, factor {row.factor}, change"
            findings.append(Finding(cell, "threshold", f"{fewest} answers < {minimum}"))
    raise_if(findings)


@cache
def programme_dominance(edition: Edition) -> dict[tuple[str, int], list[Finding]]:
    """p-ratio and nk-dominance for every programme aggregate, once per edition.

    The contributors of an aggregate are the group means it is made of.
    """
    changes = edition.changes
    out = {}
    for wave in WAVES:
        usable = changes.loc[changes[f"n{wave}"] >= edition.min_respondents]
        for factor, values in usable.groupby("factor")[f"mean{wave}"]:
            found = dominance_findings("", values.dropna().tolist())
            if found:
                out[(str(factor), wave)] = found
    return out
