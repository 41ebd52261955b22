"""Statistical disclosure rules, by the names SACRO's ``acro`` gives them.

``acro`` (1.0.2) checks pandas tables with these rules but pins ``pandas<=2.3.3``, below our
lock, so the three rules are applied here as acro documents them, with its defaults:

- **threshold**: a cell built from fewer than ``threshold`` contributors is disclosive
  (acro's default is 10 respondents; we use the report's ``min_respondents``, DESIGN.md 9);
- **p-ratio**: a magnitude cell is disclosive when the contributions other than the two
  largest sum to less than ``p`` (default 10 %) of the largest: the second-largest
  contributor could then estimate the largest too closely;
- **nk-dominance**: a magnitude cell is disclosive when its ``n`` (default 2) largest
  contributions make up more than ``k`` (default 90 %) of the total.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.errors import PipelineError

PROGRAMME_MIN_GROUPS = 5
"""Programme comparisons are published in a profile only when at least this many groups
contribute (DESIGN.md section 9)."""
P_RATIO = 0.10
NK_N = 2
NK_K = 0.90


@dataclass(frozen=True)
class Finding:
    """One disclosive cell: where it is, which rule it breaks and why."""

    where: str
    rule: str
    detail: str

    def __str__(self) -> str:
        return f"{self.where}: {self.rule}: {self.detail}"


class DisclosureError(PipelineError):
    """Something about to be published or handed out breaks a disclosure rule."""

    def __init__(self, findings: list[Finding]) -> None:
        self.findings = findings
        lines = [f"disclosure control stopped the build: {len(findings)} problem(s)"]
        lines += [f"  {f}" for f in findings]
        super().__init__("\n".join(lines))


def threshold(count: int, minimum: int) -> bool:
    """True when a cell from ``count`` contributors is disclosive (0 means no cell at all)."""
    return 0 < count < minimum


def p_ratio(values: Iterable[float], p: float = P_RATIO) -> bool:
    """True when the contributions beyond the two largest are below ``p`` of the largest."""
    ordered = sorted((abs(float(v)) for v in values), reverse=True)
    if len(ordered) < 3:
        return bool(ordered)
    return sum(ordered[2:]) < p * ordered[0]


def nk_dominance(values: Iterable[float], n: int = NK_N, k: float = NK_K) -> bool:
    """True when the ``n`` largest contributions exceed ``k`` of the cell's total."""
    ordered = sorted((abs(float(v)) for v in values), reverse=True)
    total = sum(ordered)
    return total > 0 and sum(ordered[:n]) > k * total


def raise_if(findings: list[Finding]) -> None:
    if findings:
        raise DisclosureError(findings)
