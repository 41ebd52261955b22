"""The programme's change per factor on respondent scores: a linear mixed model (DESIGN.md 3).

``score ~ wave`` (wave coded 0 at the start, 1 at the end) with a random intercept and a
random wave slope per group, fitted by REML with statsmodels ``MixedLM``. Respondents are
anonymous per wave, so there is no person-level pairing: the group is the only cluster.
The fixed wave coefficient is the programme's average change; its Wald interval and p use
the normal reference, as statsmodels reports them.

Why the choices:

- Start values come from the group-mean analysis the model generalises (the mean and spread
  of the groups' cell means, the pooled within-cell variance). From there the optimiser
  needs a handful of iterations, and it converges where statsmodels' default start (an
  identity covariance) often stalls, so the 27 fits stay fast enough to run in every build.
- The random slope is dropped, and ``random_slope`` says so, when its variance is at or next
  to zero (below statsmodels' own boundary threshold of 0.01, i.e. a slope SD under 0.1
  point on the 1–7 scale) or when the fit with it does not converge cleanly.
- A random-intercept fit that does not converge either is an error naming the factor: a
  number from a failed fit must not reach the report. ``compute_results`` computes every
  table before writing any file, so nothing is half-written.
- A factor whose scores have no variance at all has no model: its estimate is the (zero)
  change and its interval and p are empty, as for the paired t.
- A fit's cost grows with the respondents (statsmodels loops over the groups in Python:
  about 7 s CPU per factor at 100× the cohorts, with little memory), so from PARALLEL_ROWS on
  the factors are fitted in worker processes, at most MAX_WORKERS at a time.
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pandas as pd
from statsmodels.regression.mixed_linear_model import MixedLM, MixedLMParams
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from pipeline.errors import AnalysisError
from pipeline.stats.group_change import GTEI, respondent_scores
from pipeline.stats.multiplicity import holm

BOUNDARY_VARIANCE = 0.01
"""statsmodels' threshold for "the MLE may be on the boundary" (a variance under 0.01)."""

MAX_ITER = 200
"""Iterations for one fit; the start values make 5–20 the rule."""

PARALLEL_ROWS = 20_000
"""Respondent rows from which the fits run in worker processes. Below, starting a worker
(importing statsmodels, about a second) costs more than the fits it would share."""

MAX_WORKERS = 2
"""Worker processes at most. Each holds statsmodels and one factor's rows (about 250 MB
at 100× the cohorts), so two keep the stage under 1 GB; the machines have two cores."""

MODEL_COLUMNS = [
    "factor", "estimate", "ci_low", "ci_high", "p", "p_holm",
    "n_groups", "n_respondents", "random_slope",
]  # fmt: skip


@dataclass(frozen=True)
class ModelFit:
    """One factor's fixed wave effect and how it was reached."""

    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p: float
    n_groups: int
    n_respondents: int
    random_slope: bool | None
    """True with a random slope, False after falling back to a random intercept, None when
    the scores have no variance (no model)."""


class FitFailed(Exception):
    """A fit that did not converge cleanly; the message says why."""


def _start(cells: pd.DataFrame, slope: bool) -> MixedLMParams:
    """Moment start values from the groups' cell means and the pooled within-cell variance."""
    within = cells["var"].fillna(0) * (cells["count"] - 1)
    dof = float((cells["count"] - 1).sum())
    scale = float(within.sum() / dof) if dof > 0 and within.sum() > 0 else 1.0
    means = cells["mean"].unstack("wave")
    level, change = means[0], means[1] - means[0]
    fe = np.array([np.nanmean(level), np.nanmean(change)])
    n = float(cells["count"].mean())
    if slope:
        both = np.column_stack([level, change])
        both = both[~np.isnan(both).any(axis=1)]
        cov = np.cov(both.T) - scale / n * np.array([[1.0, -1.0], [-1.0, 2.0]])
    else:
        cov = np.atleast_2d(np.nanvar(means.to_numpy(), ddof=1) - scale / n)
    values, vectors = np.linalg.eigh(np.atleast_2d(cov))
    cov = (vectors * np.maximum(values, 0.05 * scale)) @ vectors.T
    return MixedLMParams.from_components(fe_params=fe, cov_re=cov / scale)


def _fit(data: pd.DataFrame, slope: bool, confidence: float, max_iter: int):
    """One REML fit; raises FitFailed on non-convergence or a non-positive-definite Hessian."""
    wave = data["wave01"].to_numpy(dtype=float)
    exog = np.column_stack([np.ones_like(wave), wave])
    exog_re = exog if slope else exog[:, :1]
    cells = data.groupby(["group_id", "wave01"])["score"].agg(["mean", "var", "count"])
    cells.index = cells.index.set_names(["group_id", "wave"])
    model = MixedLM(
        data["score"].to_numpy(dtype=float),
        exog,
        groups=data["group_id"].to_numpy(),
        exog_re=exog_re,
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = model.fit(
                reml=True, start_params=_start(cells, slope), method=["lbfgs"], maxiter=max_iter
            )
        except (np.linalg.LinAlgError, ValueError) as exc:
            raise FitFailed(f"the optimiser stopped ({exc})") from exc
    # A variance at the boundary is judged below (slope) or harmless (intercept alone);
    # any other convergence warning means the optimiser or the Hessian failed.
    problems = [
        str(w.message)
        for w in caught
        if issubclass(w.category, ConvergenceWarning) and "boundary" not in str(w.message)
    ]
    if not result.converged or problems:
        raise FitFailed("; ".join(problems) or "the optimiser did not converge")
    if slope and np.asarray(result.cov_re)[1, 1] < BOUNDARY_VARIANCE:
        raise FitFailed(
            f"the slope variance is at the boundary ({np.asarray(result.cov_re)[1, 1]:.3g})"
        )
    alpha = 1 - confidence
    low, high = np.asarray(result.conf_int(alpha=alpha))[1]
    return result, float(low), float(high)


def fit_change(
    data: pd.DataFrame, factor: str, confidence: float, max_iter: int = MAX_ITER
) -> ModelFit:
    """The fixed wave effect for one factor from rows ``group_id, wave01, score`` (no NaN).

    Tries the random slope first, falls back to a random intercept, and raises
    AnalysisError naming the factor when that fails too.
    """
    n_groups, n_rows = int(data["group_id"].nunique()), len(data)
    if np.ptp(data["score"].to_numpy(dtype=float)) == 0:
        change = float(data.groupby("wave01")["score"].mean().diff().iloc[-1])
        nan = float("nan")
        return ModelFit(change, nan, nan, nan, nan, n_groups, n_rows, None)
    reasons = []
    for slope in (True, False):
        try:
            result, low, high = _fit(data, slope, confidence, max_iter)
        except FitFailed as exc:
            reasons.append(f"{'random slope' if slope else 'random intercept'}: {exc}")
            continue
        return ModelFit(
            estimate=float(result.fe_params[1]),
            se=float(result.bse_fe[1]),
            ci_low=low,
            ci_high=high,
            p=float(result.pvalues[1]),
            n_groups=n_groups,
            n_respondents=n_rows,
            random_slope=slope,
        )
    raise AnalysisError(
        f"effect model, factor {factor}: the mixed model did not converge ({'; '.join(reasons)})"
    )


def model_rows(
    effect: pd.DataFrame, group_ids: Sequence[str], factor_keys: Sequence[str]
) -> pd.DataFrame:
    """Respondent scores of ``group_ids`` in waves 1 and 2, with ``wave01`` = wave − 1."""
    rows = effect.loc[effect["group_id"].isin(list(group_ids)) & effect["wave"].isin([1, 2])]
    scores = respondent_scores(rows, factor_keys)
    scores["group_id"] = scores["group_id"].astype(str)
    scores["wave01"] = scores["wave"].astype(int) - 1
    return scores


def effect_model(
    effect: pd.DataFrame,
    group_ids: Sequence[str],
    factor_keys: Sequence[str],
    confidence: float,
    max_iter: int = MAX_ITER,
) -> pd.DataFrame:
    """``effect_model.csv``: one row per factor (codebook order) plus ``gtei`` last.

    ``p_holm`` is Holm-adjusted over the factors (empty for ``gtei``, which is not one of
    the family of tests).
    """
    scores = model_rows(effect, group_ids, factor_keys)
    keys = [*factor_keys, GTEI]
    frames = (
        scores[["group_id", "wave01", key]].dropna().rename(columns={key: "score"}) for key in keys
    )
    workers = fit_workers(len(scores))
    arguments = (frames, keys, repeat(confidence), repeat(max_iter))
    if workers > 1:
        # forkserver: the stage may run in a notebook kernel, whose threads make fork unsafe;
        # the server imports this module (statsmodels) once and forks the workers from it
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            fits = list(pool.map(fit_change, *arguments))
    else:
        fits = list(map(fit_change, *arguments))
    rows = [
        {"factor": key, **{k: v for k, v in fit.__dict__.items() if k != "se"}}
        for key, fit in zip(keys, fits, strict=True)
    ]
    table = pd.DataFrame(rows)
    table["random_slope"] = table["random_slope"].astype("boolean")
    table["p_holm"] = holm(table["p"].where(table["factor"] != GTEI))
    return table[MODEL_COLUMNS]


def fit_workers(n_rows: int) -> int:
    """Processes for the fits: one below PARALLEL_ROWS, else the free cores up to MAX_WORKERS.

    Each fit is deterministic and the results are collected in factor order, so the table
    is the same whichever process fitted a factor.
    """
    if n_rows < PARALLEL_ROWS:
        return 1
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0))))
