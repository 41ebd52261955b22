"""Effect statistics against hand-worked numbers and independent formulas."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipeline.errors import AnalysisError
from pipeline.stats import effect
from pipeline.stats.group_change import group_changes

PAIRED = ["G1", "G2", "G3", "G4"]
X1 = np.array([4.0, 5.0, 4.5, 5.5])  # the hand_worked group means at t1 …
X2 = np.array([4.6, 5.2, 5.3, 5.5])  # … and at t2


def test_paired_statistics_match_the_hand_formulas() -> None:
    s = effect.paired_statistics(X1, X2, confidence=0.95)
    diffs = X2 - X1  # 0.6 0.2 0.8 0.0: mean 0.4, SS of deviations 0.4
    sd_diff = math.sqrt(0.4 / 3)
    se = sd_diff / math.sqrt(4)
    t_crit = stats.t.ppf(0.975, df=3)
    assert s.n_groups == 4 and s.df == 3
    assert s.t1_mean == pytest.approx(4.75)
    assert s.t1_sd == pytest.approx(math.sqrt(1.25 / 3))
    assert s.t2_mean == pytest.approx(5.15)
    assert s.t2_sd == pytest.approx(math.sqrt(0.45 / 3))
    assert s.diff == pytest.approx(diffs.mean()) == pytest.approx(0.4)
    assert s.t == pytest.approx(0.4 / se) == pytest.approx(2.19089, abs=1e-5)
    assert s.p == pytest.approx(2 * stats.t.sf(0.4 / se, df=3))
    assert s.ci_low == pytest.approx(0.4 - t_crit * se)
    assert s.ci_high == pytest.approx(0.4 + t_crit * se)
    assert s.d == pytest.approx(0.4 / math.sqrt((1.25 / 3 + 0.45 / 3) / 2))


def test_confidence_level_widens_the_interval() -> None:
    narrow = effect.paired_statistics(X1, X2, confidence=0.90)
    wide = effect.paired_statistics(X1, X2, confidence=0.99)
    se = math.sqrt(0.4 / 3) / 2
    assert narrow.ci_high - narrow.diff == pytest.approx(stats.t.ppf(0.95, 3) * se)
    assert wide.ci_high - wide.diff == pytest.approx(stats.t.ppf(0.995, 3) * se)


def test_pairs_with_a_missing_side_are_dropped() -> None:
    s = effect.paired_statistics(np.append(X1, np.nan), np.append(X2, 6.0), 0.95)
    assert s.n_groups == 4
    assert s.diff == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("t1", "t2", "expect_d"),
    [
        # every group gains exactly 0.5: no variance of the differences, d defined
        ([4.0, 5.0, 6.0], [4.5, 5.5, 6.5], 0.5),
        # nobody changes: d = 0 / sd = 0
        ([4.0, 5.0, 6.0], [4.0, 5.0, 6.0], 0.0),
        # all groups identical at both waves and the same gain: d undefined too
        ([5.0, 5.0, 5.0], [5.5, 5.5, 5.5], math.nan),
    ],
    ids=["constant-gain", "no-change", "no-variance-at-all"],
)
def test_zero_variance_of_differences_gives_nan_t_p_ci(t1, t2, expect_d) -> None:
    s = effect.paired_statistics(np.array(t1), np.array(t2), 0.95)
    assert math.isnan(s.t) and math.isnan(s.p)
    assert math.isnan(s.ci_low) and math.isnan(s.ci_high)
    if math.isnan(expect_d):
        assert math.isnan(s.d)
    else:
        assert s.d == pytest.approx(expect_d)


def test_float_noise_in_differences_counts_as_zero_variance() -> None:
    t1 = np.array([(5 + 5 + 5.3) / 3, 5.1, 4.1])  # 5.1 with binary noise
    t2 = t1 + 0.1
    t2[0] = (5.2 * 3) / 3
    assert math.isnan(effect.paired_statistics(t1, t2, 0.95).t)


@pytest.mark.parametrize("n", [0, 1])
def test_fewer_than_two_pairs_raise(n: int) -> None:
    with pytest.raises(AnalysisError, match="at least 2 groups"):
        effect.paired_statistics(X1[:n], X2[:n], 0.95)


def test_cohens_d_direct_formula() -> None:
    # the 2019 GTEI row: diff 0.43, SDs 0.45 and 0.34 give the published d = 1.08
    assert effect.cohens_d(0.43, 0.45, 0.34) == pytest.approx(0.43 / math.sqrt(0.15905))
    assert round(effect.cohens_d(0.43, 0.45, 0.34), 2) == 1.08
    assert math.isnan(effect.cohens_d(0.1, 0.0, 0.0))


def test_group_scores_average_non_missing_answers(codebook, build) -> None:
    keys = codebook.factor_keys
    groups = build.groups([("A", 1, "A", "direktorat", "2018-01-01", "2018-09-01")])
    rows = [*build.three_around("A", 1, 5.0), {"group_id": "A", "wave": 1, "score": np.nan}]
    rows[0][keys[1]] = np.nan  # one missing answer on factor 2
    scores = effect.group_scores(build.effect(rows, groups, keys), ["A"], keys)
    assert scores.loc[("A", 1), keys[0]] == pytest.approx(5.0)
    assert scores.loc[("A", 1), keys[1]] == pytest.approx(5.25)  # mean of 5.0 and 5.5
    assert scores.loc[("A", 1), effect.GTEI] == pytest.approx((25 * 5.0 + 5.25) / 26)


def test_all_missing_factor_gives_nan_score_and_nan_gtei(codebook, build) -> None:
    keys = codebook.factor_keys
    groups = build.groups([("A", 1, "A", "direktorat", "2018-01-01", "2018-09-01")])
    rows = build.three_around("A", 1, 5.0, **{keys[3]: np.nan})
    scores = effect.group_scores(build.effect(rows, groups, keys), ["A"], keys)
    assert math.isnan(scores.loc[("A", 1), keys[3]])
    assert math.isnan(scores.loc[("A", 1), effect.GTEI])  # GTEI needs every factor


def test_gtei_is_the_plain_mean_of_complete_rows() -> None:
    frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, np.nan], "c": [5.0, 6.0]})
    result = effect.gtei(frame)
    assert result.iloc[0] == pytest.approx(3.0)
    assert math.isnan(result.iloc[1])


def test_wave_scores_reindexes_to_the_groups_asked_for(hand_worked, codebook) -> None:
    scores = effect.group_scores(hand_worked.effect, PAIRED, codebook.factor_keys)
    t3 = effect.wave_scores(scores, 3, PAIRED)
    assert list(t3.index) == PAIRED
    assert t3.loc["G1", effect.GTEI] == pytest.approx(4.8)
    assert t3.loc[["G3", "G4"], effect.GTEI].isna().all()
    assert effect.wave_scores(scores, 9, PAIRED).isna().all().all()


def _waves(hand_worked, codebook):
    scores = effect.group_scores(hand_worked.effect, PAIRED, codebook.factor_keys)
    return effect.wave_scores(scores, 1, PAIRED), effect.wave_scores(scores, 2, PAIRED)


def test_effect_table_rows_columns_and_order(hand_worked, codebook) -> None:
    t1, t2 = _waves(hand_worked, codebook)
    t2 = t2.copy()
    t2["dialog"] += 0.5  # dialog gains more than the rest: largest d
    t2["lagand"] -= 0.3  # lagand falls: smallest d
    dev = effect.development_area_counts(
        hand_worked.development_areas, PAIRED, codebook.factor_keys
    )
    table = effect.effect_table(t1, t2, codebook, dev, 0.95)
    assert list(table.columns) == effect.TABLE2_COLUMNS
    assert len(table) == 27
    assert table["factor"].iloc[0] == "dialog"
    assert table["factor"].iloc[-2] == "lagand"
    assert table["factor"].iloc[-1] == effect.GTEI
    assert pd.isna(table["n_dev_area"].iloc[-1]) and pd.isna(table["category"].iloc[-1])
    factors = table.iloc[:-1]
    assert factors["d"].is_monotonic_decreasing
    ties = factors.iloc[1:-1]  # every other factor has the same d
    assert list(ties["factor"]) == sorted(ties["factor"])  # ties by key
    row = table.set_index("factor").loc["riktige_saker"]
    assert row["n_dev_area"] == 2 and row["category"] == "Forutsetninger"


def test_factor_missing_in_one_group_lowers_its_n_only(hand_worked, codebook) -> None:
    t1, t2 = _waves(hand_worked, codebook)
    t1 = t1.copy()
    t1.loc["G3", "dialog"] = np.nan
    dev = effect.development_area_counts(
        hand_worked.development_areas, PAIRED, codebook.factor_keys
    )
    table = effect.effect_table(t1, t2, codebook, dev, 0.95).set_index("factor")
    assert table.loc["dialog", "n_groups"] == 3
    assert table.loc["dialog", "diff"] == pytest.approx((0.6 + 0.2 + 0.0) / 3)
    assert table.loc["lagand", "n_groups"] == 4


def test_effect_table_names_the_factor_that_lacks_pairs(hand_worked, codebook) -> None:
    t1, t2 = _waves(hand_worked, codebook)
    t1 = t1.copy()
    t1.loc[["G1", "G2", "G3"], "dialog"] = np.nan
    dev = effect.development_area_counts(
        hand_worked.development_areas, PAIRED, codebook.factor_keys
    )
    with pytest.raises(AnalysisError, match="Table 2, dialog"):
        effect.effect_table(t1, t2, codebook, dev, 0.95)


def test_development_area_counts_only_paired_groups_once(hand_worked, codebook) -> None:
    dev = pd.concat([hand_worked.development_areas, hand_worked.development_areas.head(1)])
    counts = effect.development_area_counts(dev, PAIRED, codebook.factor_keys)
    assert counts["klart_formal"] == 1  # G1; G5 chose it but is not paired; duplicate ignored
    assert counts["riktige_saker"] == 2
    assert counts["dialog"] == 1
    assert counts.sum() == 4 and len(counts) == 26


@pytest.mark.parametrize(
    ("diff", "positive"),
    [
        (0.1, True),
        (0.09999999999999964, True),  # (5.2*3)/3 - (5+5+5.3)/3
        (5.2 - 5.1, True),
        (0.0999, False),
        (0.0, False),
        (-0.3, False),
        (0.35, True),
    ],
)
def test_positive_change_boundary(diff: float, positive: bool) -> None:
    assert bool(effect.is_positive_change(np.array([diff]), 0.1)[0]) is positive


def test_change_counts_table1(hand_worked, codebook) -> None:
    t1, t2 = _waves(hand_worked, codebook)
    t2 = t2.copy()
    t2.loc["G4", "dialog"] = t1.loc["G4", "dialog"] + 0.1  # exactly the threshold
    t1.loc["G2", "lagand"] = np.nan  # G2 not counted for lagand
    table = effect.change_counts(t1, t2, codebook, 0.1)
    assert list(table.columns) == effect.TABLE1_COLUMNS
    by_key = table.set_index("factor")
    assert tuple(by_key.loc["klart_formal", ["n_positive", "n_not_positive"]]) == (3, 1)
    assert tuple(by_key.loc["dialog", ["n_positive", "n_not_positive"]]) == (4, 0)
    assert tuple(by_key.loc["lagand", ["n_positive", "n_not_positive"]]) == (2, 1)
    assert table["factor"].iloc[0] == "dialog"
    assert table["n_positive"].is_monotonic_decreasing


def test_reliable_change_index_direct_formula() -> None:
    diff = pd.Series([0.6, 0.2, 0.8, 0.0, -0.7])
    sd1 = math.sqrt(1.25 / 3)
    rc = effect.reliable_change_index(diff, sd1, 0.90)
    se = math.sqrt(2 * (sd1 * math.sqrt(0.1)) ** 2)
    assert list(rc) == pytest.approx(list(diff / se))
    assert list(effect.classify_reliable(rc)) == [1, 0, 1, 0, -1]


def test_reliable_change_undefined_without_t1_spread() -> None:
    rc = effect.reliable_change_index(pd.Series([0.5]), 0.0, 0.9)
    assert rc.isna().all()
    assert effect.classify_reliable(rc).isna().all()


def test_reliable_change_boundary_is_strict() -> None:
    rc = pd.Series([1.96, -1.96, 1.9600001, np.nan])
    assert list(effect.classify_reliable(rc).astype("object")) == [0, 0, 1, pd.NA]


def test_gtei_groups(hand_worked, codebook) -> None:
    t1, t2 = _waves(hand_worked, codebook)
    sd1 = float(np.std(X1, ddof=1))
    changes = group_changes(hand_worked.effect, PAIRED, codebook.factor_keys)
    se = changes[changes["factor"] == "gtei"].set_index("group_id")["se_change"]
    # three respondents at m − 0.5, m, m + 0.5 in each wave: se = sqrt(2 · 0.25/3)
    assert list(se) == pytest.approx([math.sqrt(1 / 6)] * 4)
    frame = effect.gtei_groups(t1, t2, hand_worked.groups, sd1, 0.9, se, z=1.0)
    assert list(frame.columns) == effect.GTEI_GROUP_COLUMNS
    assert list(frame["group_id"]) == PAIRED
    assert list(frame["change"]) == pytest.approx([0.6, 0.2, 0.8, 0.0])
    assert list(frame["se_change"]) == pytest.approx([math.sqrt(1 / 6)] * 4)
    assert list(frame["clear_change"]) == [1, 0, 1, 0]  # beyond ±0.408
    assert list(frame["reliable"]) == [1, 0, 1, 0]  # RC 2.08, 0.69, 2.77, 0
    assert list(frame["kull"]) == [1, 1, 2, 2]
    # at z = 1.96 the band is ±0.800: even the change of 0.8 is not clear
    strict = effect.gtei_groups(t1, t2, hand_worked.groups, sd1, 0.9, se, z=1.96)
    assert list(strict["clear_change"]) == [0, 0, 0, 0]


def _table(n_dev: list[int], d: list[float]) -> pd.DataFrame:
    rows = [
        {"factor": f"f{i}", "n_dev_area": n, "d": x}
        for i, (n, x) in enumerate(zip(n_dev, d, strict=True))
    ]
    rows.append({"factor": effect.GTEI, "n_dev_area": pd.NA, "d": 9.0})
    return pd.DataFrame(rows)


def test_dev_area_correlation_matches_numpy() -> None:
    n_dev = [25, 17, 10, 5, 1, 0, 8, 3]
    d = [1.40, 1.02, 1.03, 0.88, 0.74, 0.30, 0.56, 0.66]
    corr = effect.dev_area_correlation(_table(n_dev, d))
    assert corr.r == pytest.approx(np.corrcoef(n_dev, d)[0, 1])
    r, n = corr.r, len(d)
    t = r * math.sqrt((n - 2) / (1 - r**2))
    assert corr.p == pytest.approx(2 * stats.t.sf(abs(t), n - 2))
    assert corr.n_factors == 8


@pytest.mark.parametrize(
    ("n_dev", "d"),
    [([3, 3, 3, 3], [0.1, 0.5, 0.9, 1.2]), ([1, 2, 3, 4], [0.5] * 4), ([1, 2], [0.3, 0.4])],
    ids=["constant-n_dev_area", "constant-d", "two-factors"],
)
def test_dev_area_correlation_undefined_cases(n_dev, d) -> None:
    corr = effect.dev_area_correlation(_table(n_dev, d))
    assert math.isnan(corr.r) and math.isnan(corr.p)


def test_followup_table(hand_worked, codebook) -> None:
    scores = effect.group_scores(hand_worked.effect, PAIRED, codebook.factor_keys)
    follow = effect.followup_table(scores, ["G1", "G2"], codebook)
    assert list(follow.columns) == effect.FOLLOWUP_COLUMNS
    row = follow.set_index("factor").loc[effect.GTEI]
    assert row["n_groups"] == 2
    assert (row["t1_mean"], row["t2_mean"], row["t3_mean"]) == pytest.approx((4.5, 4.9, 4.9))
    assert row["diff_t3_t2"] == pytest.approx(0.0)
    assert len(follow) == 27


def test_followup_table_is_empty_without_third_wave(hand_worked, codebook) -> None:
    scores = effect.group_scores(hand_worked.effect, PAIRED, codebook.factor_keys)
    follow = effect.followup_table(scores, [], codebook)
    assert follow.empty and list(follow.columns) == effect.FOLLOWUP_COLUMNS


def test_effect_bands_count_the_shown_d() -> None:
    d = pd.Series([1.86, 0.80, 0.796, 0.794, 0.5, 0.497, 0.2, 0.19, -0.4, np.nan])
    assert effect.effect_bands(d) == {"n_large": 3, "n_medium": 3, "n_small": 1}
