"""Leaders: group sizes, gender and age, with the 2019 facts as exact totals.

The facts figure fixes, over the 48 groups started by June 2019: 350 leaders, 58 % men,
mean age 53.2, groups of 5 to 13. The evaluation adds that the 31 groups it covered had
about 264 members (177 answers at 67 %), so those groups are larger (8.5 on average) and
the other 17 (the ended group that fell away and the 16 running ones) small (5, one of
them 6): the report's own numbers force this.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pipeline.data.synth.respondents import split_total

AGE_RANGE = (36, 67)
AGE_SD = 6.5
MEN_SHARE = 0.58


@dataclass(frozen=True)
class Member:
    gender: str
    age: int


def sizes_with_total(
    rng: np.random.Generator, n_groups: int, total: int, low: int, high: int, extremes: bool
) -> np.ndarray:
    """Group sizes in [low, high] adding up to ``total``; with ``extremes`` both bounds occur."""
    lows, highs = np.full(n_groups, low), np.full(n_groups, high)
    sizes = split_total(rng, np.full(n_groups, total / n_groups), total, lows, highs, spread=2.0)
    if extremes:
        pinned = rng.choice(n_groups, size=2, replace=False)
        lows[pinned], highs[pinned] = (low, high), (low, high)
        rest = np.setdiff1d(np.arange(n_groups), pinned)
        sizes[pinned] = (low, high)
        sizes[rest] = split_total(
            rng, sizes[rest].astype(float), total - low - high, lows[rest], highs[rest]
        )
    return sizes


def members_with_totals(
    rng: np.random.Generator, n: int, men: int, mean_age: float
) -> list[Member]:
    """``n`` leaders with exactly ``men`` men and a mean age of exactly ``mean_age`` (to 0.1/n)."""
    is_man = np.zeros(n, dtype=bool)
    is_man[rng.choice(n, size=men, replace=False)] = True
    ages = split_total(
        rng,
        np.full(n, mean_age),
        round(mean_age * n),
        np.full(n, AGE_RANGE[0]),
        np.full(n, AGE_RANGE[1]),
        spread=AGE_SD,
    )
    return [Member("mann" if m else "kvinne", int(a)) for m, a in zip(is_man, ages, strict=True)]


def random_members(rng: np.random.Generator, n: int, mean_age: float) -> list[Member]:
    """Leaders of groups outside the 2019 facts: same make-up, drawn freely."""
    is_man = rng.random(n) < MEN_SHARE
    ages = np.clip(np.rint(rng.normal(mean_age, AGE_SD, n)), *AGE_RANGE).astype(int)
    return [Member("mann" if m else "kvinne", int(a)) for m, a in zip(is_man, ages, strict=True)]
