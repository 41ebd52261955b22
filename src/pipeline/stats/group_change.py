"""Each group's change with its own uncertainty, from its respondents (DESIGN.md section 3).

The 2019 report judged a group's change against the spread of *all* groups' means and an
assumed reliability (Jacobson–Truax). A group's own respondents say more: the change of its
mean has a standard error from their spread and their number,
``se_change = sqrt(s1²/n1 + s2²/n2)`` (Welch's SE: respondents are anonymous per wave, so
the two waves are treated as independent samples), and the change is *clear* when it lies
beyond ±z·se_change.

Edge cases, all deliberate and tested:

- A wave with one respondent on a factor has no SD (n − 1 = 0): ``sd`` and ``se_change``
  are NaN and ``clear_change`` is 0. A wave with none has NaN mean and ``n`` 0.
- Fewer than ``min_respondents`` respondents on the factor in wave 1 or wave 2: the means and
  ``change`` are still given (the group profile suppresses them itself), but ``se_change`` is
  NaN and ``clear_change`` 0, since an SD from two answers is no basis for a verdict.
- No variance in either wave (everyone answered alike both times): ``se_change`` is 0 and
  the z ratio undefined, so ``clear_change`` is 0; a zero SE from a handful of answers is
  chance, not certainty.
- A respondent's GTEI is the mean of that respondent's non-missing factor scores (NaN when
  they scored none), so one skipped item does not drop the whole answer.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.data.codebook import GTEI
from pipeline.stats.params import CLEAR_CHANGE_Z, MIN_RESPONDENTS

WAVES = (1, 2, 3)
GROUP_CHANGE_COLUMNS = [
    "group_id", "factor", "n1", "mean1", "sd1", "n2", "mean2", "sd2", "n3", "mean3",
    "change", "se_change", "clear_change",
]  # fmt: skip


def respondent_gtei(effect: pd.DataFrame, factor_keys: Sequence[str]) -> pd.Series:
    """Each respondent's GTEI: the mean of their non-missing factor scores (NaN if none)."""
    return effect[list(factor_keys)].mean(axis=1, skipna=True)


def respondent_scores(effect: pd.DataFrame, factor_keys: Sequence[str]) -> pd.DataFrame:
    """The factor columns plus ``gtei``, beside ``group_id`` and ``wave``."""
    frame = effect[["group_id", "wave", *factor_keys]].copy()
    frame[GTEI] = respondent_gtei(effect, factor_keys)
    return frame


def se_of_change(sd1: np.ndarray, n1: np.ndarray, sd2: np.ndarray, n2: np.ndarray) -> np.ndarray:
    """sqrt(s1²/n1 + s2²/n2); NaN where either wave lacks an SD (n < 2)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.sqrt(sd1**2 / n1 + sd2**2 / n2)


def classify_change(change: np.ndarray, se: np.ndarray, z: float) -> np.ndarray:
    """+1 / −1 beyond ±z·se, 0 inside it or where se is NaN or 0 (see module docstring)."""
    change, se = np.asarray(change, dtype=float), np.asarray(se, dtype=float)
    usable = np.isfinite(change) & np.isfinite(se) & (se > 0)
    with np.errstate(invalid="ignore"):
        up = usable & (change > z * se)
        down = usable & (change < -z * se)
    return np.select([up, down], [1, -1], default=0).astype(int)


def group_changes(
    effect: pd.DataFrame,
    group_ids: Sequence[str],
    factor_keys: Sequence[str],
    *,
    min_respondents: int = MIN_RESPONDENTS,
    z: float = CLEAR_CHANGE_Z,
) -> pd.DataFrame:
    """One row per (group_id, factor) for every factor key plus ``gtei``.

    ``effect`` is the processed respondent table (``respondent_id, group_id, wave`` and one
    column per factor). Rows follow ``group_ids``, then ``factor_keys`` and ``gtei`` last;
    a group without answers still gets its rows (``n`` 0, NaN means). Columns are
    GROUP_CHANGE_COLUMNS: per wave ``n`` (respondents scoring the factor), ``mean``, ``sd``
    (n − 1; wave 3 only ``n3``/``mean3``), ``change`` = mean2 − mean1, ``se_change`` and
    ``clear_change`` (+1/−1/0, 0 where not computable).
    """
    ids = [str(g) for g in group_ids]
    keys = [*factor_keys, GTEI]
    rows = respondent_scores(effect.loc[effect["group_id"].isin(ids)], factor_keys)
    long = rows.melt(id_vars=["group_id", "wave"], var_name="factor", value_name="score")
    long["group_id"] = long["group_id"].astype(str)
    stats = long.groupby(["group_id", "factor", "wave"])["score"].agg(["count", "mean", "std"])
    full = pd.MultiIndex.from_product([ids, keys, list(WAVES)], names=stats.index.names)
    stats = stats.reindex(full)
    stats["count"] = stats["count"].fillna(0).astype(int)
    wide = stats.unstack("wave")

    def col(name: str, wave: int) -> np.ndarray:
        return wide[(name, wave)].to_numpy(dtype=float)

    n1, n2 = col("count", 1), col("count", 2)
    sd1, sd2 = col("std", 1), col("std", 2)
    change = col("mean", 2) - col("mean", 1)
    se = se_of_change(sd1, n1, sd2, n2)
    se[(n1 < min_respondents) | (n2 < min_respondents)] = np.nan
    table = pd.DataFrame(
        {
            "group_id": wide.index.get_level_values("group_id"),
            "factor": wide.index.get_level_values("factor"),
            "n1": n1.astype(int),
            "mean1": col("mean", 1),
            "sd1": sd1,
            "n2": n2.astype(int),
            "mean2": col("mean", 2),
            "sd2": sd2,
            "n3": col("count", 3).astype(int),
            "mean3": col("mean", 3),
            "change": change,
            "se_change": se,
            "clear_change": classify_change(change, se, z),
        }
    )
    order = pd.MultiIndex.from_product([ids, keys])
    table = (
        table.set_index(["group_id", "factor"]).reindex(order).rename_axis(["group_id", "factor"])
    )
    return table.reset_index()[GROUP_CHANGE_COLUMNS]
