"""group_changes against hand-worked values and an independent numpy/scipy computation."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipeline.stats.group_change import GROUP_CHANGE_COLUMNS, group_changes

KEYS = ["a", "b"]


def frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (group_id, wave, a, b)."""
    data = pd.DataFrame(rows, columns=["group_id", "wave", *KEYS])
    data.insert(0, "respondent_id", [f"R{i}" for i in range(len(data))])
    data["group_id"] = data["group_id"].astype("string")
    data[KEYS] = data[KEYS].astype(float)
    return data


def row(table: pd.DataFrame, group: str, factor: str) -> pd.Series:
    match = table[(table["group_id"] == group) & (table["factor"] == factor)]
    assert len(match) == 1
    return match.iloc[0]


def test_hand_worked_group() -> None:
    # wave 1: a = 4, 5, 6 (mean 5, sd 1); wave 2: a = 6, 6, 7, 7 (mean 6.5, sd 1/sqrt(3))
    effect = frame(
        [
            ("G", 1, 4, 3),
            ("G", 1, 5, 3),
            ("G", 1, 6, 3),
            ("G", 2, 6, 3),
            ("G", 2, 6, 3),
            ("G", 2, 7, 3),
            ("G", 2, 7, 3),
        ]
    )
    table = group_changes(effect, ["G"], KEYS)
    a = row(table, "G", "a")
    assert (a["n1"], a["n2"], a["n3"]) == (3, 4, 0)
    assert a["mean1"] == pytest.approx(5.0)
    assert a["sd1"] == pytest.approx(1.0)
    assert a["mean2"] == pytest.approx(6.5)
    assert a["sd2"] == pytest.approx(math.sqrt(1 / 3))
    assert math.isnan(a["mean3"])
    assert a["change"] == pytest.approx(1.5)
    se = math.sqrt(1 / 3 + (1 / 3) / 4)  # = sqrt(5/12) ≈ 0.645
    assert a["se_change"] == pytest.approx(se)
    assert a["clear_change"] == 1  # 1.5 > 1.96 · 0.645 = 1.265
    # with a stricter z the same change is no longer clear
    strict = group_changes(effect, ["G"], KEYS, z=2.5)
    assert row(strict, "G", "a")["clear_change"] == 0
    # b has no variance and no change: se 0, never a clear change
    b = row(table, "G", "b")
    assert b["se_change"] == 0
    assert b["clear_change"] == 0


def test_columns_and_row_order() -> None:
    effect = frame([("G2", 1, 4, 4), ("G1", 1, 5, 5)])
    table = group_changes(effect, ["G2", "G1", "G0"], KEYS)
    assert list(table.columns) == GROUP_CHANGE_COLUMNS
    assert list(zip(table["group_id"], table["factor"], strict=True)) == [
        (g, f) for g in ("G2", "G1", "G0") for f in ("a", "b", "gtei")
    ]
    empty = row(table, "G0", "a")  # a requested group without answers keeps its rows
    assert (empty["n1"], empty["n2"], empty["clear_change"]) == (0, 0, 0)
    assert math.isnan(empty["mean1"]) and math.isnan(empty["se_change"])


def test_respondent_gtei_uses_non_missing_scores() -> None:
    # one respondent skipped b: their GTEI is their a score alone
    effect = frame(
        [
            ("G", 1, 4, 6),
            ("G", 1, 5, np.nan),
            ("G", 1, 3, 5),
            ("G", 2, 6, 6),
            ("G", 2, 6, 4),
            ("G", 2, 5, 5),
        ]
    )
    g = row(group_changes(effect, ["G"], KEYS), "G", "gtei")
    t1 = np.array([5.0, 5.0, 4.0])
    t2 = np.array([6.0, 5.0, 5.0])
    assert g["mean1"] == pytest.approx(t1.mean())
    assert g["sd1"] == pytest.approx(t1.std(ddof=1))
    assert g["change"] == pytest.approx(t2.mean() - t1.mean())
    assert row(group_changes(effect, ["G"], KEYS), "G", "b")["n1"] == 2


def test_one_respondent_in_a_wave() -> None:
    effect = frame([("G", 1, 4, 4), ("G", 2, 6, 6), ("G", 2, 5, 5), ("G", 2, 7, 7)])
    a = row(group_changes(effect, ["G"], KEYS, min_respondents=1), "G", "a")
    assert a["n1"] == 1
    assert math.isnan(a["sd1"])
    assert a["change"] == pytest.approx(2.0)
    assert math.isnan(a["se_change"])
    assert a["clear_change"] == 0


def test_below_min_respondents_has_no_verdict() -> None:
    effect = frame([("G", 1, 1, 4), ("G", 1, 2, 4), ("G", 2, 7, 6), ("G", 2, 7, 5), ("G", 2, 6, 7)])
    a = row(group_changes(effect, ["G"], KEYS, min_respondents=3), "G", "a")
    assert a["change"] == pytest.approx(6.6666667 - 1.5)
    assert math.isnan(a["se_change"])
    assert a["clear_change"] == 0
    relaxed = row(group_changes(effect, ["G"], KEYS, min_respondents=2), "G", "a")
    assert relaxed["se_change"] > 0
    assert relaxed["clear_change"] == 1


def test_decline_and_wave_three() -> None:
    effect = frame(
        [
            ("G", 1, 6, 6),
            ("G", 1, 6.5, 6),
            ("G", 1, 7, 6),
            ("G", 2, 3, 6),
            ("G", 2, 3.5, 6),
            ("G", 2, 4, 6),
            ("G", 3, 5, 6),
            ("G", 3, 6, 6),
        ]
    )
    a = row(group_changes(effect, ["G"], KEYS), "G", "a")
    assert a["clear_change"] == -1
    assert (a["n3"], a["mean3"]) == (2, pytest.approx(5.5))


def test_against_independent_computation() -> None:
    rng = np.random.default_rng(13)
    records = []
    for g in range(8):
        shift = rng.normal(0, 0.6)
        for wave in (1, 2):
            for _ in range(int(rng.integers(2, 9))):
                a, b = rng.normal(5 + shift * (wave - 1), 0.8, size=2).round(1)
                if rng.random() < 0.1:
                    b = np.nan
                records.append((f"G{g}", wave, a, b))
    effect = frame(records)
    table = group_changes(effect, [f"G{g}" for g in range(8)], KEYS, min_respondents=2)
    for g in range(8):
        for key in KEYS:
            x1 = effect.query(f"group_id == 'G{g}' and wave == 1")[key].dropna().to_numpy()
            x2 = effect.query(f"group_id == 'G{g}' and wave == 2")[key].dropna().to_numpy()
            # Welch's t statistic is change / se_change; scipy computes it independently
            welch = stats.ttest_ind(x2, x1, equal_var=False)
            got = row(table, f"G{g}", key)
            assert got["change"] == pytest.approx(x2.mean() - x1.mean())
            assert got["change"] / got["se_change"] == pytest.approx(welch.statistic)
            expected = int(np.sign(welch.statistic)) if abs(welch.statistic) > 1.96 else 0
            assert got["clear_change"] == expected
