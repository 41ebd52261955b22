"""The Effect analyses: group scores, GTEI, Table 1, Table 2, reliable change, follow-up.

Definitions are DESIGN.md section 3. Decisions the definitions leave open:

- A factor nobody in a group answered in a wave has no group score (NaN) there, and that
  group drops out of that factor's paired analysis only (its ``n_groups`` is lower).
- The GTEI requires all factor scores of the group-wave. The factors sit at different
  levels (Kontinuerlig gruppelæring about one point below the rest), so averaging over a
  different subset at t1 and t2 would create change that is not there. A group without a
  complete GTEI in both waves drops out of the GTEI row, the improved counts and RC.
- When every group changed by exactly the same amount (zero variance of the differences)
  the paired t is undefined: t, p and the CI are NaN (shown as "–") rather than ±inf;
  Cohen's d stays defined as long as the t1 and t2 SDs are not both zero.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd
from scipy import stats

from pipeline.data.codebook import GTEI, Codebook
from pipeline.errors import AnalysisError
from pipeline.stats.group_change import classify_change
from pipeline.stats.multiplicity import holm

GTEI_LABEL = "Global Team Effectiveness Index"

EPS = 1e-9
"""Tolerance for comparing differences of group means, which are fractions like 16/3: their
difference 0.1 may come out as 0.09999999999999964 in binary floating point."""

RELIABLE_Z = 1.96
"""Jacobson & Truax: a change is reliable when |RC| exceeds the two-sided 95 % normal quantile."""

SIGNIFICANCE = 0.05
"""The level ``n_significant`` counts at, the weakest of Table 2's stars."""

EFFECT_BANDS = (("large", 0.8), ("medium", 0.5), ("small", 0.2))
"""Cohen's conventional lower bounds for d, as the 2019 report uses them."""

TABLE2_COLUMNS = [
    "factor", "label", "category", "n_groups", "t1_mean", "t1_sd", "t2_mean", "t2_sd",
    "diff", "ci_low", "ci_high", "t", "df", "p", "d", "n_dev_area",
]  # fmt: skip
TABLE1_COLUMNS = ["factor", "label", "n_positive", "n_not_positive"]
EFFECT_SIZE_COLUMNS = ["p_holm", "d_z", "d_individual"]
GTEI_GROUP_COLUMNS = [
    "group_id", "kull", "t1", "t2", "change", "se_change", "clear_change", "rc", "reliable",
]  # fmt: skip
FOLLOWUP_COLUMNS = [
    "factor", "label", "n_groups", "t1_mean", "t2_mean", "t3_mean", "diff_t3_t2",
]  # fmt: skip


@dataclass(frozen=True)
class PairedStats:
    """One row of Table 2 without its labels."""

    n_groups: int
    t1_mean: float
    t1_sd: float
    t2_mean: float
    t2_sd: float
    diff: float
    ci_low: float
    ci_high: float
    t: float
    df: int
    p: float
    d: float


def group_scores(
    effect: pd.DataFrame, group_ids: Sequence[str], factor_keys: Sequence[str]
) -> pd.DataFrame:
    """Mean of the respondents' non-missing scores per group and wave, plus the GTEI.

    Index (group_id, wave); one column per factor, then ``gtei``.
    """
    rows = effect.loc[effect["group_id"].isin(list(group_ids))]
    scores = rows.groupby(["group_id", "wave"])[list(factor_keys)].mean()
    scores[GTEI] = gtei(scores[list(factor_keys)])
    return scores.sort_index()


def gtei(factor_scores: pd.DataFrame) -> pd.Series:
    """Mean of a group-wave's factor scores; NaN unless every factor has a score (see module)."""
    return factor_scores.mean(axis=1, skipna=False)


def wave_scores(scores: pd.DataFrame, number: int, group_ids: Sequence[str]) -> pd.DataFrame:
    """The group scores of one wave, one row per group in ``group_ids`` (NaN where absent)."""
    if number in scores.index.get_level_values("wave"):
        frame = scores.xs(number, level="wave")
    else:
        frame = scores.iloc[0:0].droplevel("wave")
    return frame.reindex(list(group_ids))


def cohens_d(diff: float, sd1: float, sd2: float) -> float:
    """Mean difference over the root mean square of the two SDs (the 2019 report's d)."""
    pooled = np.sqrt((sd1**2 + sd2**2) / 2)
    return float(diff / pooled) if pooled > 0 else float("nan")


def paired_statistics(t1: np.ndarray, t2: np.ndarray, confidence: float) -> PairedStats:
    """Means, SDs (n−1), paired t-test and CI of the mean difference, and Cohen's d.

    Pairs with a NaN on either side are dropped. Raises AnalysisError below two pairs.
    """
    t1, t2 = np.asarray(t1, dtype=float), np.asarray(t2, dtype=float)
    keep = ~(np.isnan(t1) | np.isnan(t2))
    x1, x2 = t1[keep], t2[keep]
    n = len(x1)
    if n < 2:
        raise AnalysisError(f"a paired comparison needs at least 2 groups with scores, got {n}")
    sd1, sd2 = float(np.std(x1, ddof=1)), float(np.std(x2, ddof=1))
    differences = x2 - x1
    diff = float(np.mean(differences))
    t = p = ci_low = ci_high = float("nan")
    if np.ptp(differences) > EPS:
        result = stats.ttest_rel(x2, x1)
        ci = result.confidence_interval(confidence_level=confidence)
        t, p = float(result.statistic), float(result.pvalue)
        ci_low, ci_high = float(ci.low), float(ci.high)
    return PairedStats(
        n_groups=n,
        t1_mean=float(np.mean(x1)),
        t1_sd=sd1,
        t2_mean=float(np.mean(x2)),
        t2_sd=sd2,
        diff=diff,
        ci_low=ci_low,
        ci_high=ci_high,
        t=t,
        df=n - 1,
        p=p,
        d=cohens_d(diff, sd1, sd2),
    )


def development_area_counts(
    development_areas: pd.DataFrame, group_ids: Sequence[str], factor_keys: Sequence[str]
) -> pd.Series:
    """How many of ``group_ids`` chose each factor as a development area (0 when none did)."""
    chosen = development_areas.loc[development_areas["group_id"].isin(list(group_ids))]
    counts = chosen.drop_duplicates(["group_id", "factor"]).groupby("factor").size()
    return counts.reindex(list(factor_keys), fill_value=0).astype(int)


def effect_table(
    t1: pd.DataFrame,
    t2: pd.DataFrame,
    codebook: Codebook,
    dev_counts: pd.Series,
    confidence: float,
) -> pd.DataFrame:
    """Table 2: one row per factor sorted by d (descending, ties by key), then the GTEI row."""
    rows = []
    for key in [*codebook.factor_keys, GTEI]:
        try:
            paired = paired_statistics(t1[key].to_numpy(), t2[key].to_numpy(), confidence)
        except AnalysisError as exc:
            raise AnalysisError(f"Table 2, {key}: {exc}") from exc
        if key == GTEI:
            meta = {"factor": GTEI, "label": GTEI_LABEL, "category": pd.NA, "n_dev_area": pd.NA}
        else:
            f = codebook.factor(key)
            meta = {
                "factor": key,
                "label": f.label,
                "category": f.category,
                "n_dev_area": int(dev_counts[key]),
            }
        rows.append({**meta, **asdict(paired)})
    table = pd.DataFrame(rows)
    factors = table[table["factor"] != GTEI].sort_values(
        ["d", "factor"], ascending=[False, True], na_position="last"
    )
    table = pd.concat([factors, table[table["factor"] == GTEI]], ignore_index=True)
    table["n_dev_area"] = table["n_dev_area"].astype("Int64")
    return table[TABLE2_COLUMNS]


def is_positive_change(diff: pd.Series | np.ndarray, threshold: float) -> np.ndarray:
    """True where a change reaches ``threshold``; a change of exactly the threshold counts."""
    return np.asarray(diff, dtype=float) >= threshold - EPS


def change_counts(
    t1: pd.DataFrame, t2: pd.DataFrame, codebook: Codebook, threshold: float
) -> pd.DataFrame:
    """Table 1: per factor, groups whose score rose by ≥ ``threshold`` and the rest.

    Only groups with a score in both waves are counted. Sorted by ``n_positive``
    (descending, ties by key), as the 2019 report's Table 1.
    """
    rows = []
    for f in codebook.factors:
        diff = (t2[f.key] - t1[f.key]).dropna()
        positive = int(is_positive_change(diff, threshold).sum())
        rows.append(
            {
                "factor": f.key,
                "label": f.label,
                "n_positive": positive,
                "n_not_positive": len(diff) - positive,
            }
        )
    table = pd.DataFrame(rows, columns=TABLE1_COLUMNS)
    return table.sort_values(["n_positive", "factor"], ascending=[False, True], ignore_index=True)


def se_difference(sd1: float, reliability: float) -> float:
    """Jacobson & Truax's standard error of a difference, sqrt(2·(sd1·sqrt(1 − r_xx))²).

    The reliable change index divides by it, and Figur D.1 draws 1,96 times it as the band.
    """
    return float(np.sqrt(2 * (sd1 * np.sqrt(1 - reliability)) ** 2))


def reliable_change_index(diff: pd.Series, sd1: float, reliability: float) -> pd.Series:
    """Jacobson & Truax RC = diff / SE of a difference; NaN when that SE is 0.

    ``sd1`` is the SD of the paired groups' t1 GTEI, ``reliability`` the scale's r_xx.
    """
    se_diff = se_difference(sd1, reliability)
    if not se_diff > 0:
        return pd.Series(np.nan, index=diff.index)
    return diff / se_diff


def classify_reliable(rc: pd.Series) -> pd.Series:
    """1 for reliable improvement, −1 for reliable decline, 0 otherwise, NA without an RC."""
    values = np.select([rc > RELIABLE_Z, rc < -RELIABLE_Z], [1, -1], default=0)
    return pd.Series(values, index=rc.index, dtype="Int64").mask(rc.isna())


def gtei_groups(
    t1: pd.DataFrame,
    t2: pd.DataFrame,
    groups: pd.DataFrame,
    sd1: float,
    reliability: float,
    se_change: pd.Series,
    z: float,
) -> pd.DataFrame:
    """One row per paired group: GTEI at t1 and t2, the change with its own SE and verdict,
    and beside them the 2019-comparable RC and reliable class.

    ``se_change`` (by group_id) comes from the group's respondents' GTEIs
    (``pipeline.stats.group_change``); ``clear_change`` judges this file's ``change``
    against ±z·se_change, so the columns of a row always agree.
    """
    frame = pd.DataFrame({"t1": t1[GTEI], "t2": t2[GTEI]})
    frame["change"] = frame["t2"] - frame["t1"]
    frame["se_change"] = se_change.reindex(frame.index).astype(float)
    frame["clear_change"] = pd.array(
        classify_change(frame["change"].to_numpy(), frame["se_change"].to_numpy(), z),
        dtype="Int64",
    )
    frame["clear_change"] = frame["clear_change"].mask(frame["change"].isna())
    frame["rc"] = reliable_change_index(frame["change"], sd1, reliability)
    frame["reliable"] = classify_reliable(frame["rc"])
    frame = frame.join(groups.set_index("group_id")[["kull"]]).rename_axis("group_id")
    frame = frame.reset_index()
    return frame.sort_values(["kull", "group_id"], ignore_index=True)[GTEI_GROUP_COLUMNS]


def effect_sizes(
    table: pd.DataFrame, t1: pd.DataFrame, t2: pd.DataFrame, respondents: pd.DataFrame
) -> pd.DataFrame:
    """Table 2 with ``p_holm``, ``d_z`` and ``d_individual`` added (DESIGN.md section 3).

    - ``d_z`` = mean change / SD of the groups' changes: the paired t's own effect size
      (t = d_z·sqrt(n)); NaN when every group changed alike.
    - ``d_individual`` = mean change / sqrt((v1 + v2)/2), v = the variance of all paired
      groups' respondents' scores in a wave: the d readers know from studies of people.
      Group means vary less than people, so the 2019 ``d`` (group-mean SDs) is larger.
    - ``p_holm``: the paired t's p, Holm-adjusted over the factors (empty for GTEI).

    ``respondents`` holds the paired groups' rows of waves 1 and 2 with a ``gtei`` column.
    """
    table = table.copy()
    wave = respondents["wave"].astype(int)
    d_z, d_ind = [], []
    for key, diff in zip(table["factor"], table["diff"], strict=True):
        changes = (t2[key] - t1[key]).dropna()
        sd_change = float(changes.std(ddof=1)) if len(changes) > 1 else float("nan")
        d_z.append(diff / sd_change if sd_change > EPS else float("nan"))
        v1 = float(respondents.loc[wave == 1, key].var(ddof=1))
        v2 = float(respondents.loc[wave == 2, key].var(ddof=1))
        pooled = np.sqrt((v1 + v2) / 2)
        d_ind.append(diff / pooled if pooled > 0 else float("nan"))
    table["p_holm"] = holm(table["p"].where(table["factor"] != GTEI))
    table["d_z"] = d_z
    table["d_individual"] = d_ind
    return table[TABLE2_COLUMNS + EFFECT_SIZE_COLUMNS]


@dataclass(frozen=True)
class Correlation:
    r: float
    p: float
    n_factors: int


def dev_area_correlation(table: pd.DataFrame) -> Correlation:
    """Pearson r (two-sided p) across factors between ``n_dev_area`` and d.

    NaN when fewer than three factors have a d or either column is constant: a correlation
    is then undefined, and scipy would only warn.
    """
    rows = table[(table["factor"] != GTEI) & table["d"].notna()]
    x = rows["n_dev_area"].to_numpy(dtype=float)
    y = rows["d"].to_numpy(dtype=float)
    n = len(rows)
    if n < 3 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return Correlation(float("nan"), float("nan"), n)
    result = stats.pearsonr(x, y)
    return Correlation(float(result.statistic), float(result.pvalue), n)


def followup_table(
    scores: pd.DataFrame, group_ids: Sequence[str], codebook: Codebook
) -> pd.DataFrame:
    """Means per factor and GTEI at t1, t2 and t3 over the groups answering all three waves.

    A factor's row covers the groups with a score in all three waves; with no such group
    the table is empty (header only), which the report states in ``followup.sentence``.
    """
    waves = [wave_scores(scores, n, group_ids) for n in (1, 2, 3)]
    rows = []
    for key in [*codebook.factor_keys, GTEI]:
        values = pd.concat([w[key] for w in waves], axis=1).dropna()
        if values.empty:
            continue
        means = values.mean().to_numpy()
        label = GTEI_LABEL if key == GTEI else codebook.factor(key).label
        rows.append(
            {
                "factor": key,
                "label": label,
                "n_groups": len(values),
                "t1_mean": means[0],
                "t2_mean": means[1],
                "t3_mean": means[2],
                "diff_t3_t2": means[2] - means[1],
            }
        )
    return pd.DataFrame(rows, columns=FOLLOWUP_COLUMNS)


def effect_bands(d: pd.Series) -> dict[str, int]:
    """Factors per Cohen band, counted on d rounded to two decimals as Table 2 shows it.

    Counting on the shown value keeps the prose and the table in agreement (the 2019 report
    said 12 large where its own table showed 10).
    """
    shown = d.dropna().round(2)
    counts, upper = {}, np.inf
    for name, lower in EFFECT_BANDS:
        counts[f"n_{name}"] = int(((shown >= lower) & (shown < upper)).sum())
        upper = lower
    return counts


def effect_summary(table: pd.DataFrame, per_group: pd.DataFrame) -> dict[str, object]:
    """The Effect numbers summary.json and the prose use, from Table 2 and the GTEI groups."""
    factors = table[table["factor"] != GTEI]
    row = table[table["factor"] == GTEI].iloc[0]
    changes = per_group["change"].dropna()
    return {
        "gtei_n": int(row["n_groups"]),
        "gtei_t1": row["t1_mean"],
        "gtei_t1_sd": row["t1_sd"],
        "gtei_t2": row["t2_mean"],
        "gtei_t2_sd": row["t2_sd"],
        "gtei_diff": row["diff"],
        "gtei_ci_low": row["ci_low"],
        "gtei_ci_high": row["ci_high"],
        "gtei_t": row["t"],
        "gtei_p": row["p"],
        "gtei_d": row["d"],
        "improved": int((changes > EPS).sum()),
        "not_improved": int((changes <= EPS).sum()),
        "reliable_positive": int((per_group["reliable"] == 1).sum()),
        "reliable_negative": int((per_group["reliable"] == -1).sum()),
        "clear_positive": int((per_group["clear_change"] == 1).sum()),
        "clear_negative": int((per_group["clear_change"] == -1).sum()),
        "clear_none": int((per_group["clear_change"] == 0).sum()),
        "gtei_d_z": row["d_z"],
        "gtei_d_individual": row["d_individual"],
        "median_se_change": float(per_group["se_change"].median()),
        **effect_bands(factors["d"]),
        "n_positive_d": int((factors["d"].round(2) > 0).sum()),
        "n_significant": int((factors["p"] < SIGNIFICANCE).sum()),
        "n_factors": len(factors),
    }
