"""Do groups improve more on the development areas they chose? (DESIGN.md section 3)

The 2019 report correlated, across the 26 factors, how many groups chose a factor with
its effect size. The factors are not 26 independent observations (the same groups answer
them all, and they move together), and the correlation cannot tell whether a group
improved on *its own* choices. So the question is asked within each group here:

- For each paired group and factor, the change t2 − t1 minus that factor's average change
  over all paired groups (a factor that rises everywhere, such as continuous group
  learning, would otherwise count as a success of every group that chose it).
- A group's contrast = mean of those centred changes on the factors it chose − mean on
  the factors it did not choose. Groups without a choice, or that chose everything, drop out.
- The estimate is the mean contrast over groups with a t interval (df = groups − 1) and
  a two-sided p, the groups being the independent units.

The 2019 correlation is kept for comparison, with a bootstrap interval that resamples
*groups* (recomputing every factor's d and choice count), so the interval carries the
dependence between factors that the textbook p ignores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

DEVAREA_COLUMNS = ["estimate", "ci_low", "ci_high", "p", "n_groups"]
BOOTSTRAP_RESAMPLES = 2000
BOOTSTRAP_SEED = 2019
"""Fixed, so that two builds give the same interval."""
RESAMPLE_BLOCK = 200
"""Resamples weighted at a time: 10 MB of weights per block at 100× the cohorts."""


def chosen_matrix(
    development_areas: pd.DataFrame, group_ids: Sequence[str], factor_keys: Sequence[str]
) -> pd.DataFrame:
    """True where a group chose a factor; rows ``group_ids``, columns ``factor_keys``."""
    chosen = development_areas.loc[development_areas["group_id"].isin(list(group_ids))]
    marks = pd.crosstab(chosen["group_id"].astype(str), chosen["factor"]) > 0
    index, columns = [str(g) for g in group_ids], list(factor_keys)
    return marks.reindex(index=index, columns=columns, fill_value=False).astype(bool)


def group_contrasts(changes: pd.DataFrame, chosen: pd.DataFrame) -> pd.Series:
    """Per group: mean centred change on chosen factors − mean on the others (NaN if undefined)."""
    centred = changes - changes.mean(axis=0)
    on = centred.where(chosen).mean(axis=1)
    off = centred.where(~chosen).mean(axis=1)
    return (on - off).rename("contrast")


def devarea_change(
    t1: pd.DataFrame, t2: pd.DataFrame, chosen: pd.DataFrame, confidence: float
) -> pd.DataFrame:
    """``devarea_change.csv``: one row, the within-group comparison (see module docstring)."""
    keys = list(chosen.columns)
    changes = (t2[keys] - t1[keys]).reindex(chosen.index)
    contrast = group_contrasts(changes, chosen).dropna().to_numpy()
    n = len(contrast)
    estimate = float(contrast.mean()) if n else float("nan")
    low = high = p = float("nan")
    if n >= 2 and np.ptp(contrast) > 0:
        result = stats.ttest_1samp(contrast, 0.0)
        ci = result.confidence_interval(confidence_level=confidence)
        low, high, p = float(ci.low), float(ci.high), float(result.pvalue)
    return pd.DataFrame(
        [{"estimate": estimate, "ci_low": low, "ci_high": high, "p": p, "n_groups": n}],
        columns=DEVAREA_COLUMNS,
    )


@dataclass(frozen=True)
class Interval:
    low: float
    high: float
    resamples: int


def _correlations(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Row-wise Pearson r of two (B × k) arrays; NaN where a row is constant or not finite."""
    with np.errstate(invalid="ignore", divide="ignore"):
        xc = x - x.mean(axis=1, keepdims=True)
        yc = y - y.mean(axis=1, keepdims=True)
        denominator = np.sqrt((xc**2).sum(axis=1) * (yc**2).sum(axis=1))
        return (xc * yc).sum(axis=1) / denominator


def _resampled_d_and_counts(
    x1: np.ndarray, x2: np.ndarray, picks: np.ndarray, draw: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Every resample's d per factor and choice count per factor, both (B × k).

    A resample enters only through how often it drew each group, so each is a weight row
    and its sums are one matrix product: memory grows with a block of resamples × groups,
    not with resamples × groups × factors (2.6 GB per array at 100× the cohorts). The
    scores are centred on their column means first, which leaves d unchanged and keeps the
    sums of squares accurate.
    """
    n = draw.shape[1]
    c1, c2 = x1 - x1.mean(axis=0), x2 - x2.mean(axis=0)
    d, counts = [], []
    for start in range(0, len(draw), RESAMPLE_BLOCK):
        block = draw[start : start + RESAMPLE_BLOCK]
        offsets = (np.arange(len(block)) * n)[:, None]
        weights = np.bincount((block + offsets).ravel(), minlength=len(block) * n)
        weights = weights.reshape(len(block), n).astype(float)
        with np.errstate(invalid="ignore", divide="ignore"):
            pooled = np.sqrt((_weighted_var(weights, c1) + _weighted_var(weights, c2)) / 2)
            d.append(weights @ (x2 - x1) / n / pooled)
        counts.append(weights @ picks)
    return np.concatenate(d), np.concatenate(counts)


def _weighted_var(weights: np.ndarray, x: np.ndarray) -> np.ndarray:
    """Per weight row, the variance (n − 1) of the rows of ``x`` drawn that often."""
    n = x.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = weights @ x / n
        var = (weights @ (x * x) - n * mean**2) / (n - 1)
    single = (weights > 0).sum(axis=1) < 2  # one group drawn n times: no spread at all
    return np.where(single[:, None], 0.0, np.maximum(var, 0.0))


def bootstrap_correlation(
    t1: pd.DataFrame,
    t2: pd.DataFrame,
    chosen: pd.DataFrame,
    confidence: float,
    resamples: int = BOOTSTRAP_RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Interval:
    """Percentile interval of r(n_dev_area, d) across factors, resampling groups.

    Each resample draws the paired groups with replacement and recomputes every factor's
    d (the 2019 d_av) and choice count. Groups lacking a score on a factor are left out
    of the resampling (the interval is for the complete groups).
    """
    keys = list(chosen.columns)
    x1 = t1[keys].reindex(chosen.index).to_numpy(dtype=float)
    x2 = t2[keys].reindex(chosen.index).to_numpy(dtype=float)
    complete = ~(np.isnan(x1).any(axis=1) | np.isnan(x2).any(axis=1))
    x1, x2, picks = x1[complete], x2[complete], chosen.to_numpy(dtype=float)[complete]
    rng = np.random.default_rng(seed)
    draw = rng.integers(0, len(x1), size=(resamples, len(x1)))
    d, counts = _resampled_d_and_counts(x1, x2, picks, draw)
    r = _correlations(counts, np.where(np.isfinite(d), d, np.nan))
    r = r[np.isfinite(r)]
    if len(r) == 0:
        return Interval(float("nan"), float("nan"), 0)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(r, [tail, 100 - tail])
    return Interval(float(low), float(high), len(r))
