"""Development areas: the 3-4 Effect factors each group chose to work on.

For the paired groups the number of groups per factor is fixed (``targets.devarea_targets``).
They are dealt out greedily, factor by factor from the most chosen, always to the groups
with the most free places left: that is the constructive proof of the Gale-Ryser theorem,
so it succeeds whenever the counts are possible at all. Among groups with equally many
places, a group that gained more on the factor is preferred, as a group working on an area
plausibly improves on it.
"""

from __future__ import annotations

import numpy as np

AREAS_PER_GROUP = (3, 4)


def areas_per_group(rng: np.random.Generator, n_groups: int, total: int) -> np.ndarray:
    """How many areas each group chose (3 or 4) so that they add up to ``total``."""
    low, high = AREAS_PER_GROUP
    if not low * n_groups <= total <= high * n_groups:
        raise ValueError(f"{total} areas cannot be spread as {low}-{high} over {n_groups} groups")
    places = np.full(n_groups, low)
    places[rng.choice(n_groups, size=total - low * n_groups, replace=False)] = high
    return places


def deal_areas(
    rng: np.random.Generator, counts: np.ndarray, preference: np.ndarray
) -> list[list[int]]:
    """Factor indices chosen per group, with exactly ``counts[f]`` groups choosing factor f.

    ``preference`` (groups x factors) breaks ties between groups with equal free places.
    """
    n_groups = preference.shape[0]
    places = areas_per_group(rng, n_groups, int(counts.sum()))
    chosen: list[list[int]] = [[] for _ in range(n_groups)]
    for f in np.argsort(-counts, kind="stable"):
        order = np.lexsort((-preference[:, f], -places))
        takers = order[: counts[f]]
        if counts[f] and places[takers].min() == 0:
            raise ValueError("the development-area counts cannot be dealt out")
        for g in takers:
            chosen[g].append(int(f))
        places[takers] -= 1
    return chosen


def random_areas(rng: np.random.Generator, weights: np.ndarray) -> list[int]:
    """3 or 4 distinct factor indices, drawn with probability proportional to ``weights``."""
    n = int(rng.integers(AREAS_PER_GROUP[0], AREAS_PER_GROUP[1] + 1))
    picked = rng.choice(len(weights), size=n, replace=False, p=weights / weights.sum())
    return sorted(int(f) for f in picked)
