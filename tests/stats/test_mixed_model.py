"""The respondent-level mixed model against closed forms and the group-mean analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipeline.errors import AnalysisError
from pipeline.stats import mixed_model
from pipeline.stats.mixed_model import MODEL_COLUMNS, effect_model, fit_change

Z95 = stats.norm.ppf(0.975)


def balanced(groups: int, n: int, slope_sd: float, seed: int) -> pd.DataFrame:
    """Every group with ``n`` respondents in each wave: rows group_id, wave01, score."""
    rng = np.random.default_rng(seed)
    rows = []
    for g in range(groups):
        level, change = rng.normal(5.0, 0.5), rng.normal(0.4, slope_sd)
        for wave in (0, 1):
            for score in rng.normal(level + change * wave, 0.6, size=n):
                rows.append({"group_id": f"G{g:02d}", "wave01": wave, "score": score})
    return pd.DataFrame(rows)


def group_mean_diffs(data: pd.DataFrame) -> np.ndarray:
    means = data.groupby(["group_id", "wave01"])["score"].mean().unstack()
    return (means[1] - means[0]).to_numpy()


def test_balanced_design_reduces_to_the_group_mean_analysis() -> None:
    # Balanced, with the variance components inside the parameter space, REML's fixed wave
    # effect is the mean of the groups' changes and its SE that of the paired t on them.
    data = balanced(groups=14, n=6, slope_sd=0.5, seed=3)
    fit = fit_change(data, "f", confidence=0.95)
    diffs = group_mean_diffs(data)
    assert fit.random_slope is True
    assert fit.estimate == pytest.approx(diffs.mean(), abs=1e-8)
    assert fit.se == pytest.approx(diffs.std(ddof=1) / np.sqrt(len(diffs)), rel=1e-3)
    assert fit.ci_low == pytest.approx(fit.estimate - Z95 * fit.se, abs=1e-9)
    assert fit.ci_high == pytest.approx(fit.estimate + Z95 * fit.se, abs=1e-9)
    assert fit.p == pytest.approx(2 * stats.norm.sf(abs(fit.estimate / fit.se)), rel=1e-6)
    assert (fit.n_groups, fit.n_respondents) == (14, 14 * 2 * 6)


def test_no_slope_variance_falls_back_to_a_random_intercept() -> None:
    # Every group changes by exactly 0.4 plus noise: the slope variance is at zero, and the
    # intercept-only model's SE is the closed form sqrt(2·sigma²/(n·G)) in a balanced design.
    data = balanced(groups=12, n=5, slope_sd=0.0, seed=5)
    fit = fit_change(data, "f", confidence=0.95)
    assert fit.random_slope is False
    assert fit.estimate == pytest.approx(group_mean_diffs(data).mean(), abs=1e-8)
    cells = data.groupby(["group_id", "wave01"])["score"]
    sigma2 = (cells.var() * (cells.count() - 1)).sum() / (cells.count() - 1).sum()
    # the residual variance also absorbs the within-group wave noise: compare loosely
    assert fit.se == pytest.approx(np.sqrt(2 * sigma2 / (5 * 12)), rel=0.1)


def test_factor_without_variance_has_no_interval() -> None:
    data = balanced(groups=4, n=3, slope_sd=0.3, seed=1).assign(score=5.0)
    fit = fit_change(data, "flat", confidence=0.95)
    assert fit.estimate == 0
    assert fit.random_slope is None
    assert np.isnan(fit.ci_low) and np.isnan(fit.p)


def test_non_convergence_names_the_factor() -> None:
    # unbalanced, so the moment start values are not already the optimum
    data = balanced(groups=10, n=6, slope_sd=0.4, seed=2).sample(frac=0.6, random_state=1)
    with pytest.raises(AnalysisError, match="factor dialog: the mixed model did not converge"):
        fit_change(data, "dialog", confidence=0.95, max_iter=1)


def test_effect_model_table(codebook) -> None:
    keys = codebook.factor_keys[:3]
    data = balanced(groups=9, n=4, slope_sd=0.4, seed=8)
    rng = np.random.default_rng(0)
    effect = pd.DataFrame(
        {
            "respondent_id": [f"R{i}" for i in range(len(data))],
            "group_id": data["group_id"].astype("string"),
            "wave": data["wave01"] + 1,
            **{k: data["score"] + rng.normal(0, 0.3, len(data)) for k in keys},
        }
    )
    table = effect_model(effect, sorted(data["group_id"].unique()), keys, confidence=0.9)
    assert list(table.columns) == MODEL_COLUMNS
    assert list(table["factor"]) == [*keys, "gtei"]
    factor_p = table["p"].iloc[:3].to_numpy()
    order = np.argsort(factor_p)
    # Holm by hand: the k-th smallest p times (m − k + 1), kept monotone
    expected = np.maximum.accumulate(np.minimum(1, (3 - np.arange(3)) * factor_p[order]))
    assert table["p_holm"].iloc[:3].to_numpy()[order] == pytest.approx(expected)
    assert np.isnan(table["p_holm"].iloc[3])
    width = table["ci_high"] - table["ci_low"]
    gtei = fit_change(
        pd.DataFrame(
            {
                "group_id": data["group_id"],
                "wave01": data["wave01"],
                "score": effect[keys].mean(axis=1),
            }
        ),
        "gtei",
        confidence=0.9,
    )
    assert table["estimate"].iloc[3] == pytest.approx(gtei.estimate)
    assert width.iloc[3] == pytest.approx(2 * stats.norm.ppf(0.95) * gtei.se)


def _effect_rows(keys: list[str], groups: int, seed: int) -> pd.DataFrame:
    data = balanced(groups=groups, n=4, slope_sd=0.4, seed=seed)
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            "respondent_id": [f"R{i}" for i in range(len(data))],
            "group_id": data["group_id"].astype("string"),
            "wave": data["wave01"] + 1,
            **{k: data["score"] + rng.normal(0, 0.3, len(data)) for k in keys},
        }
    )


def test_fits_in_worker_processes_give_the_same_table(codebook, monkeypatch) -> None:
    keys = codebook.factor_keys[:3]
    effect = _effect_rows(keys, groups=9, seed=4)
    ids = sorted(effect["group_id"].unique())
    serial = effect_model(effect, ids, keys, confidence=0.95)
    monkeypatch.setattr(mixed_model, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(mixed_model.os, "sched_getaffinity", lambda pid: {0, 1})
    assert mixed_model.fit_workers(len(effect)) == 2
    parallel = effect_model(effect, ids, keys, confidence=0.95)
    pd.testing.assert_frame_equal(parallel, serial, check_exact=True)


def test_a_failed_fit_in_a_worker_names_the_factor(codebook, monkeypatch) -> None:
    keys = codebook.factor_keys[:2]
    effect = _effect_rows(keys, groups=10, seed=2).sample(frac=0.6, random_state=1)
    monkeypatch.setattr(mixed_model, "PARALLEL_ROWS", 0)
    monkeypatch.setattr(mixed_model.os, "sched_getaffinity", lambda pid: {0, 1})
    with pytest.raises(AnalysisError, match=f"factor {keys[0]}: the mixed model did not"):
        effect_model(effect, sorted(effect["group_id"].unique()), keys, 0.95, max_iter=1)


def test_small_data_fits_in_process_and_large_in_at_most_two_workers(monkeypatch) -> None:
    monkeypatch.setattr(mixed_model.os, "sched_getaffinity", lambda pid: set(range(8)))
    assert mixed_model.fit_workers(mixed_model.PARALLEL_ROWS - 1) == 1
    assert mixed_model.fit_workers(mixed_model.PARALLEL_ROWS) == mixed_model.MAX_WORKERS == 2
    monkeypatch.setattr(mixed_model.os, "sched_getaffinity", lambda pid: {0})
    assert mixed_model.fit_workers(10**6) == 1
