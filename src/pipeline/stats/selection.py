"""Which groups an edition covers (DESIGN.md section 3, ``as_of`` and ``cohorts``).

Facts describe the groups that had *started* by ``as_of``; the Effect and evaluation
analyses the groups that had *ended* by then (a group still running, ``end_date`` NaT,
never counts as ended). Wave 3 is not filtered by date: the data carry no answer dates,
so an edition takes every wave of the groups it covers.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pipeline.errors import AnalysisError
from pipeline.stats.params import StatsParams

MIN_PAIRED_GROUPS = 2
"""A paired t-test, an SD and a correlation need at least two groups."""


def _in_cohorts(frame: pd.DataFrame, params: StatsParams) -> pd.Series:
    if params.cohorts is None:
        return pd.Series(True, index=frame.index)
    return frame["kull"].isin(params.cohorts)


def started_groups(groups: pd.DataFrame, params: StatsParams) -> pd.DataFrame:
    """Groups in the cohort selection whose ``start_date`` ≤ ``as_of``: the facts' population."""
    cutoff = pd.Timestamp(params.as_of)
    mask = _in_cohorts(groups, params) & (groups["start_date"] <= cutoff)
    return groups.loc[mask].sort_values(["kull", "group_id"]).reset_index(drop=True)


def ended_groups(groups: pd.DataFrame, params: StatsParams) -> pd.DataFrame:
    """Groups in the cohort selection whose ``end_date`` ≤ ``as_of`` (NaT never counts)."""
    cutoff = pd.Timestamp(params.as_of)
    ended = groups["end_date"].notna() & (groups["end_date"] <= cutoff)
    mask = _in_cohorts(groups, params) & ended
    return groups.loc[mask].sort_values(["kull", "group_id"]).reset_index(drop=True)


def respondent_counts(effect: pd.DataFrame, factor_keys: Sequence[str]) -> pd.DataFrame:
    """Respondents per group (rows) and wave (columns).

    A respondent counts when they scored at least one factor: a row of blanks is a form
    opened and abandoned, and must not lift a group over ``min_respondents``.
    """
    answered = effect.loc[effect[list(factor_keys)].notna().any(axis=1), ["group_id", "wave"]]
    counts = answered.groupby(["group_id", "wave"]).size().unstack("wave", fill_value=0)
    counts.columns = counts.columns.astype(int)
    return counts


def groups_with_waves(
    counts: pd.DataFrame,
    group_ids: Sequence[str],
    waves: Sequence[int],
    min_respondents: int,
) -> list[str]:
    """The ``group_ids`` with at least ``min_respondents`` respondents in every one of ``waves``."""
    selected = counts.reindex(index=list(group_ids), columns=list(waves), fill_value=0)
    keep = (selected >= min_respondents).all(axis=1)
    return sorted(selected.index[keep])


def paired_groups(
    effect: pd.DataFrame, ended: pd.DataFrame, factor_keys: Sequence[str], params: StatsParams
) -> list[str]:
    """Ended groups with ≥ ``min_respondents`` respondents in wave 1 and in wave 2.

    Raises AnalysisError when fewer than two remain: Table 2 would be NaN, and a report
    must not print NaN where the edition simply holds too few groups.
    """
    counts = respondent_counts(effect, factor_keys)
    paired = groups_with_waves(counts, ended["group_id"], (1, 2), params.min_respondents)
    if len(paired) < MIN_PAIRED_GROUPS:
        empty = _cohorts_without_paired_groups(params, ended, paired)
        if empty:
            raise AnalysisError(
                f"nothing to analyse in kull {', '.join(str(k) for k in empty)}: no group there "
                f"had ended by as_of {params.as_of.isoformat()} with ≥ {params.min_respondents} "
                "respondents in wave 1 and wave 2, and the Effect analysis needs at least "
                f"{MIN_PAIRED_GROUPS} paired groups. Leave that kull out of COHORTS, or add "
                "cohorts that have ended."
            )
        raise AnalysisError(
            f"the Effect analysis needs at least {MIN_PAIRED_GROUPS} paired groups "
            f"(≥ {params.min_respondents} respondents in wave 1 and wave 2), but the selection "
            f"{params.describe()} has {len(paired)} among {len(ended)} ended group(s). "
            "Choose a later as_of or more cohorts."
        )
    return paired


def _cohorts_without_paired_groups(
    params: StatsParams, ended: pd.DataFrame, paired: Sequence[str]
) -> list[int]:
    """The selected kull (when ``cohorts`` names some) that contribute no paired group."""
    if params.cohorts is None:
        return []
    contributing = set(ended.loc[ended["group_id"].isin(paired), "kull"].astype(int))
    return [k for k in params.cohorts if k not in contributing]


def followup_groups(
    effect: pd.DataFrame, ended: pd.DataFrame, factor_keys: Sequence[str], params: StatsParams
) -> list[str]:
    """Ended groups with ≥ ``min_respondents`` respondents in waves 1, 2 and 3 (may be none)."""
    counts = respondent_counts(effect, factor_keys)
    return groups_with_waves(counts, ended["group_id"], (1, 2, 3), params.min_respondents)
