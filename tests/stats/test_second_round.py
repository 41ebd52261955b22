"""Effect sizes, Holm, the within-group development-area comparison, the bootstrap and the
follow-up, each against an independent computation on data made here."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipeline.stats import devareas, effect, followup
from pipeline.stats.multiplicity import holm

KEYS = ["a", "b", "c"]


def test_holm_by_hand() -> None:
    p = pd.Series([0.01, 0.04, np.nan, 0.03, 0.2], index=list("vwxyz"))
    # sorted: 0.01·4, 0.03·3, 0.04·2, 0.2·1 → 0.04, 0.09, 0.08 → 0.09 (monotone), 0.2
    assert holm(p).to_dict() == pytest.approx(
        {"v": 0.04, "w": 0.09, "x": np.nan, "y": 0.09, "z": 0.2}, nan_ok=True
    )
    assert holm(pd.Series([np.nan])).isna().all()


def _respondents(seed: int, groups: int = 6) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(groups):
        for wave in (1, 2):
            for _ in range(int(rng.integers(3, 7))):
                rows.append(
                    {"group_id": f"G{g}", "wave": wave,
                     **{k: rng.normal(4.5 + 0.4 * wave + 0.2 * g, 0.8) for k in KEYS}}
                )  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["gtei"] = frame[KEYS].mean(axis=1)
    return frame


def test_d_z_and_d_individual_against_numpy() -> None:
    resp = _respondents(4)
    means = resp.groupby(["group_id", "wave"])[[*KEYS, "gtei"]].mean()
    t1, t2 = means.xs(1, level="wave"), means.xs(2, level="wave")
    t1["gtei"], t2["gtei"] = t1[KEYS].mean(axis=1), t2[KEYS].mean(axis=1)
    table = pd.DataFrame(
        {
            "factor": [*KEYS, "gtei"],
            "diff": [float((t2[k] - t1[k]).mean()) for k in [*KEYS, "gtei"]],
            "p": [0.01, 0.02, 0.5, 0.001],
        }
    )
    table = table.reindex(columns=effect.TABLE2_COLUMNS)
    out = effect.effect_sizes(table, t1, t2, resp).set_index("factor")
    for key in [*KEYS, "gtei"]:
        diffs = (t2[key] - t1[key]).to_numpy()
        assert out.loc[key, "d_z"] == pytest.approx(diffs.mean() / np.std(diffs, ddof=1))
        v1 = np.var(resp.loc[resp["wave"] == 1, key].to_numpy(), ddof=1)
        v2 = np.var(resp.loc[resp["wave"] == 2, key].to_numpy(), ddof=1)
        assert out.loc[key, "d_individual"] == pytest.approx(
            diffs.mean() / math.sqrt((v1 + v2) / 2)
        )
    # the paired t is d_z · sqrt(n): the same effect size scipy's test implies
    diffs = (t2["a"] - t1["a"]).to_numpy()
    t = stats.ttest_rel(t2["a"], t1["a"]).statistic
    assert out.loc["a", "d_z"] == pytest.approx(t / math.sqrt(len(diffs)))
    assert list(out["p_holm"].iloc[:3]) == pytest.approx([0.03, 0.04, 0.5])
    assert math.isnan(out.loc["gtei", "p_holm"])


def test_d_z_is_undefined_when_every_group_changed_alike() -> None:
    t1 = pd.DataFrame({"a": [4.0, 5.0, 6.0]}, index=["G1", "G2", "G3"])
    t2 = t1 + 0.5
    resp = pd.DataFrame({"group_id": ["G1"] * 4, "wave": [1, 1, 2, 2], "a": [4, 5, 5, 6.0]})
    table = pd.DataFrame({"factor": ["a"], "diff": [0.5], "p": [np.nan]})
    table = table.reindex(columns=effect.TABLE2_COLUMNS)
    out = effect.effect_sizes(table, t1, t2, resp)
    assert math.isnan(out["d_z"].iloc[0])
    assert out["d_individual"].iloc[0] == pytest.approx(
        0.5 / math.sqrt(0.5)
    )  # both waves: variance 0.5


def _waves() -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    index = ["G1", "G2", "G3", "G4"]
    t1 = pd.DataFrame({"a": [4.0, 4.0, 4.0, 4.0], "b": [5.0] * 4, "c": [3.0] * 4}, index=index)
    t2 = pd.DataFrame(
        {"a": [4.9, 4.1, 4.6, 4.2], "b": [5.1, 5.8, 5.2, 5.0], "c": [3.0, 3.1, 3.8, 3.5]},
        index=index,
    )
    chosen = pd.DataFrame(
        {"a": [True, False, True, False], "b": [False, True, False, False],
         "c": [False, False, True, True]}, index=index,
    )  # fmt: skip
    return t1, t2, chosen


def test_within_group_contrast_by_hand() -> None:
    t1, t2, chosen = _waves()
    changes = t2 - t1
    centred = changes - changes.mean()  # a: 0.45, b: 0.275, c: 0.35 on average
    expected = []
    for g in chosen.index:
        on = centred.loc[g][chosen.loc[g]].mean()
        off = centred.loc[g][~chosen.loc[g]].mean()
        expected.append(on - off)
    got = devareas.group_contrasts(changes, chosen)
    assert list(got) == pytest.approx(expected)
    row = devareas.devarea_change(t1, t2, chosen, confidence=0.9).iloc[0]
    ref = stats.ttest_1samp(expected, 0.0)
    ci = ref.confidence_interval(confidence_level=0.9)
    assert row["estimate"] == pytest.approx(np.mean(expected))
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((ci.low, ci.high))
    assert row["p"] == pytest.approx(ref.pvalue)
    assert row["n_groups"] == 4


def test_groups_without_a_choice_drop_out() -> None:
    t1, t2, chosen = _waves()
    chosen.loc["G4"] = False
    chosen.loc["G3"] = True  # chose everything: nothing to compare with
    assert devareas.devarea_change(t1, t2, chosen, 0.95)["n_groups"].iloc[0] == 2


def test_chosen_matrix() -> None:
    areas = pd.DataFrame({"group_id": ["G1", "G1", "G2", "G9"], "factor": ["a", "c", "a", "b"]})
    m = devareas.chosen_matrix(areas, ["G1", "G2", "G3"], KEYS)
    assert m.to_dict("list") == {
        "a": [True, True, False],
        "b": [False] * 3,
        "c": [True, False, False],
    }


def test_bootstrap_interval_is_seeded_and_brackets_the_estimate() -> None:
    rng = np.random.default_rng(11)
    keys = [f"f{i}" for i in range(8)]
    index = [f"G{g}" for g in range(20)]
    t1 = pd.DataFrame(rng.normal(5, 0.4, (20, 8)), index=index, columns=keys)
    gain = np.linspace(0.0, 0.8, 8)
    t2 = t1 + gain + rng.normal(0, 0.3, (20, 8))
    chosen = pd.DataFrame(rng.random((20, 8)) < gain / 1.2, index=index, columns=keys)
    first = devareas.bootstrap_correlation(t1, t2, chosen, 0.95, resamples=500)
    again = devareas.bootstrap_correlation(t1, t2, chosen, 0.95, resamples=500)
    assert first == again and first.resamples == 500
    sd = np.sqrt((t1.var(ddof=1) + t2.var(ddof=1)) / 2)
    d = (t2 - t1).mean() / sd
    r = np.corrcoef(chosen.sum(), d)[0, 1]
    assert first.low < r < first.high


def test_bootstrap_matches_resampling_groups_one_by_one() -> None:
    """The weighted sums give each resample's d and choice counts as drawing the rows would."""
    rng = np.random.default_rng(5)
    keys = [f"f{i}" for i in range(6)]
    index = [f"G{g}" for g in range(9)]
    t1 = pd.DataFrame(rng.normal(5, 0.5, (9, 6)), index=index, columns=keys)
    t2 = t1 + rng.normal(0.3, 0.4, (9, 6))
    t2.iloc[4, 2] = np.nan  # an incomplete group is left out of the resampling
    chosen = pd.DataFrame(rng.random((9, 6)) < 0.4, index=index, columns=keys)
    got = devareas.bootstrap_correlation(t1, t2, chosen, 0.9, resamples=300, seed=3)
    complete = t1.notna().all(axis=1) & t2.notna().all(axis=1)
    a, b, c = t1[complete], t2[complete], chosen[complete].astype(float)
    draw = np.random.default_rng(3).integers(0, len(a), size=(300, len(a)))
    rs = []
    for rows in draw:
        x1, x2, picks = a.iloc[rows], b.iloc[rows], c.iloc[rows]
        sd = np.sqrt((x1.var(ddof=1) + x2.var(ddof=1)) / 2)
        d = (x2 - x1).mean() / sd
        if len(set(rows)) > 1:
            rs.append(stats.pearsonr(picks.sum(), d).statistic)
    rs = np.array(rs)[np.isfinite(rs)]
    assert got.resamples == len(rs)
    assert (got.low, got.high) == pytest.approx(tuple(np.percentile(rs, [5, 95])), abs=1e-12)


def test_followup_interval_and_minimum() -> None:
    rows = []
    t3 = [5.4, 5.6, 5.1, 5.9, 5.5, 5.2]
    for g, late in enumerate(t3):
        for wave, score in ((1, 5.0), (2, 5.5), (3, late)):
            rows.append({"group_id": f"G{g}", "wave": wave, "a": score, "b": score})
    scores = pd.DataFrame(rows).set_index(["group_id", "wave"])
    scores["gtei"] = scores[["a", "b"]].mean(axis=1)
    ids = [f"G{g}" for g in range(6)]
    out = followup.followup_summary(scores, ids, 0.95)
    ci = stats.ttest_1samp(np.array(t3) - 5.5, 0.0).confidence_interval(0.95)
    assert out["shown"] and out["gtei_groups"] == 6
    assert out["gtei_diff_t3_t2"] == pytest.approx(np.mean(t3) - 5.5)
    assert (out["ci_low"], out["ci_high"]) == pytest.approx((ci.low, ci.high))
    few = followup.followup_summary(scores, ids[:4], 0.95)
    assert few["groups"] == 4 and few["shown"] is False
    assert few["min_groups"] == followup.MIN_FOLLOWUP_GROUPS == 5
