"""Facts and the participant list, against counts worked out from the fixture by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pipeline.stats import facts, selection
from pipeline.stats.params import StatsParams


def test_facts_of_the_started_groups(hand_worked, params) -> None:
    started = selection.started_groups(hand_worked.groups, params)
    result = facts.facts(started, hand_worked.members)
    # G1–G7 started (G8 starts after as_of); sizes 5, 6, 7, 8, 5, 9, 4; women first
    sizes = [5, 6, 7, 8, 5, 9, 4]
    women = sum((n + 1) // 2 for n in sizes)
    ages = sum(40 * n + n * (n - 1) / 2 for n in sizes)
    assert result == {
        "groups": 7,
        "departementer": 2,
        "direktorater": 5,
        "cohorts": 3,
        "leaders": 44,
        "women": women,
        "men": 44 - women,
        "women_pct": pytest.approx(women / 44 * 100),
        "men_pct": pytest.approx((44 - women) / 44 * 100),
        "mean_group_size": pytest.approx(44 / 7),
        "min_group_size": 4,
        "max_group_size": 9,
        "mean_age": pytest.approx(ages / 44),
        "first_start": "2018-01-10",
        "last_start": "2019-02-01",
    }
    assert women == 24


def test_group_without_members_counts_as_size_zero(hand_worked, params) -> None:
    started = selection.started_groups(hand_worked.groups, params)
    members = hand_worked.members[hand_worked.members["group_id"] != "G7"]
    result = facts.facts(started, members)
    assert result["min_group_size"] == 0
    assert result["leaders"] == 40


def test_participants_blank_end_dates_after_as_of(hand_worked, params) -> None:
    started = selection.started_groups(hand_worked.groups, params)
    table = facts.participants(started, hand_worked.members, params.as_of)
    assert list(table.columns) == facts.PARTICIPANT_COLUMNS
    by_id = table.set_index("group_id")
    assert pd.isna(by_id.loc["G7", "end_date"])  # ends 2019-07-01, after as_of
    assert pd.isna(by_id.loc["G6", "end_date"])  # still running
    assert by_id.loc["G1", "end_date"] == pd.Timestamp("2018-10-01")
    assert by_id.loc["G4", "members"] == 8
    assert list(table["kull"]) == sorted(table["kull"])


def test_facts_honour_the_cohort_selection(hand_worked) -> None:
    params = StatsParams(as_of=dt.date(2019, 6, 30), cohorts=(1,))
    started = selection.started_groups(hand_worked.groups, params)
    assert facts.facts(started, hand_worked.members)["leaders"] == 11
