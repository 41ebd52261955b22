"""Edition selection: started, ended, respondents per wave and paired groups."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pipeline.errors import AnalysisError
from pipeline.stats import selection
from pipeline.stats.params import StatsParams


def test_started_groups_use_start_date(hand_worked, params) -> None:
    started = selection.started_groups(hand_worked.groups, params)
    assert list(started["group_id"]) == ["G1", "G2", "G3", "G4", "G5", "G6", "G7"]


def test_ended_groups_skip_running_and_later_ends(hand_worked, params) -> None:
    ended = selection.ended_groups(hand_worked.groups, params)
    assert list(ended["group_id"]) == ["G1", "G2", "G3", "G4", "G5"]  # not G6 (NaT), G7


def test_an_end_on_as_of_counts(hand_worked) -> None:
    ended = selection.ended_groups(hand_worked.groups, StatsParams(as_of=dt.date(2019, 7, 1)))
    assert "G7" in set(ended["group_id"])


def test_cohort_selection(hand_worked) -> None:
    params = StatsParams(as_of=dt.date(2019, 6, 30), cohorts=(2,))
    assert list(selection.ended_groups(hand_worked.groups, params)["group_id"]) == [
        "G3",
        "G4",
        "G5",
    ]


def test_respondent_counts_ignore_blank_rows(hand_worked, codebook) -> None:
    effect = hand_worked.effect.copy()
    blank = effect.iloc[[0]].copy()
    blank[codebook.factor_keys] = np.nan
    blank["respondent_id"] = "BLANK"
    counts = selection.respondent_counts(pd.concat([effect, blank]), codebook.factor_keys)
    assert counts.loc["G1", 1] == 3
    assert counts.loc["G5", 2] == 2
    assert counts.loc["G1", 3] == 3 and counts.loc["G3", 3] == 0


def test_paired_groups_need_min_respondents_in_both_waves(hand_worked, codebook, params) -> None:
    ended = selection.ended_groups(hand_worked.groups, params)
    paired = selection.paired_groups(hand_worked.effect, ended, codebook.factor_keys, params)
    assert paired == ["G1", "G2", "G3", "G4"]  # G5 has 2 respondents in wave 2
    lower = StatsParams(as_of=params.as_of, min_respondents=2)
    assert "G5" in selection.paired_groups(hand_worked.effect, ended, codebook.factor_keys, lower)


def test_followup_groups(hand_worked, codebook, params) -> None:
    ended = selection.ended_groups(hand_worked.groups, params)
    assert selection.followup_groups(hand_worked.effect, ended, codebook.factor_keys, params) == [
        "G1",
        "G2",
    ]


@pytest.mark.parametrize(
    ("as_of", "cohorts", "min_respondents", "found"),
    [
        (dt.date(2018, 6, 30), None, 3, "has 0 among 0 ended"),
        (dt.date(2018, 6, 30), None, 4, "has 0 among 0 ended"),
    ],
)
def test_too_few_paired_groups_raise_naming_the_edition(
    hand_worked, codebook, as_of, cohorts, min_respondents, found
) -> None:
    params = StatsParams(as_of=as_of, cohorts=cohorts, min_respondents=min_respondents)
    ended = selection.ended_groups(hand_worked.groups, params)
    with pytest.raises(AnalysisError) as info:
        selection.paired_groups(hand_worked.effect, ended, codebook.factor_keys, params)
    message = str(info.value)
    assert f"as_of={as_of.isoformat()}" in message
    assert f"cohorts={params.cohorts_label}" in message
    assert found in message


@pytest.mark.parametrize(
    ("cohorts", "min_respondents", "empty"),
    [((1,), 4, "kull 1"), ((3,), 3, "kull 3"), ((1, 3), 4, "kull 1, 3")],
)
def test_a_selected_kull_with_nothing_to_analyse_is_named(
    hand_worked, codebook, cohorts, min_respondents, empty
) -> None:
    params = StatsParams(
        as_of=dt.date(2019, 6, 30), cohorts=cohorts, min_respondents=min_respondents
    )
    ended = selection.ended_groups(hand_worked.groups, params)
    with pytest.raises(AnalysisError) as info:
        selection.paired_groups(hand_worked.effect, ended, codebook.factor_keys, params)
    message = str(info.value)
    assert message.startswith(f"nothing to analyse in {empty}: no group there had ended by")
    assert "Choose a later as_of" not in message


def test_two_paired_groups_are_enough(hand_worked, codebook) -> None:
    params = StatsParams(as_of=dt.date(2018, 12, 31))
    ended = selection.ended_groups(hand_worked.groups, params)
    assert selection.paired_groups(hand_worked.effect, ended, codebook.factor_keys, params) == [
        "G1",
        "G2",
    ]
