"""The disclosure checks (DESIGN.md section 9): names, small cells, dominance.

- **no group_id** in a public output (a respondent id contains one too);
- **no organisation beside its own scores**: a table row or sentence that names a
  participating organisation must not also hold an Effect score or an evaluation share
  (a decimal number or a percentage); a bare list of participants is fine;
- **threshold** on every published result row with a count of contributors, and
  **p-ratio / nk-dominance** on the programme aggregates a profile prints.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from pipeline.disclosure.rules import Finding, nk_dominance, p_ratio, threshold
from pipeline.disclosure.scan import Unit

SCORE = re.compile(r"(?<![\w,])\d+,\d+(?![\w])|\d+\s?%")
"""A score (``5,06``) or a share (``73 %``): what must not stand beside an organisation."""

PUBLISHED_COUNTS: dict[str, tuple[str, ...]] = {
    "effect_factors.csv": ("n_groups",),
    "effect_followup.csv": ("n_groups",),
    "effect_model.csv": ("n_groups", "n_respondents"),
    "evaluation_items.csv": ("n_answered",),
}
"""Result files behind the report's tables and figures, and their contributor counts."""


def id_pattern(group_ids: Iterable[str]) -> re.Pattern[str] | None:
    ids = sorted({str(g) for g in group_ids}, key=len, reverse=True)
    if not ids:
        return None
    return re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, ids)) + r")(?![\w])")


def group_id_findings(units: Iterable[Unit], group_ids: Iterable[str]) -> list[Finding]:
    pattern = id_pattern(group_ids)
    if pattern is None:
        return []
    return [
        Finding(u.where, "group_id", f"names the group {m.group(1)!r}: {u.text[:120]!r}")
        for u in units
        for m in [pattern.search(u.text)]
        if m
    ]


def organisation_score_findings(
    units: Iterable[Unit], organisations: Iterable[str]
) -> list[Finding]:
    """Rows or sentences holding both an organisation and a score or share."""
    names = sorted({str(o) for o in organisations}, key=len, reverse=True)
    findings = []
    for unit in units:
        text = unit.text
        named = [n for n in names if n in text]
        if not named:
            continue
        rest = text
        for n in named:
            rest = rest.replace(n, " ")
        score = SCORE.search(rest)
        if score:
            findings.append(
                Finding(
                    unit.where,
                    "organisation beside its scores",
                    f"{named[0]!r} next to {score.group(0)!r}: {text[:160]!r}",
                )
            )
    return findings


def threshold_findings(results_dir: Path, minimum: int) -> list[Finding]:
    """Threshold rule over the result files the report publishes, naming file, row, column."""
    findings = []
    for name, columns in PUBLISHED_COUNTS.items():
        path = Path(results_dir) / name
        if not path.exists():
            continue
        frame = pd.read_csv(path)
        key = frame.columns[0]
        for column in (c for c in columns if c in frame.columns):
            for line, row in enumerate(frame.itertuples(index=False), start=2):
                count = int(getattr(row, column))
                if threshold(count, minimum):
                    findings.append(
                        Finding(
                            f"{name}, line {line} ({key}={getattr(row, key)}), column {column}",
                            "threshold",
                            f"{count} < min_respondents={minimum}",
                        )
                    )
    return findings


def dominance_findings(where: str, contributions: Sequence[float]) -> list[Finding]:
    """p-ratio and nk-dominance on one magnitude cell's contributions."""
    findings = []
    if p_ratio(contributions):
        findings.append(Finding(where, "p-ratio", "the largest contribution can be estimated"))
    if nk_dominance(contributions):
        findings.append(Finding(where, "nk-dominance", "two contributions dominate the cell"))
    return findings
