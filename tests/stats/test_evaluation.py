"""Evaluation: positive shares and response rate, worked by hand on tiny frames."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.stats import evaluation

POSITIVE = ["Helt enig", "Delvis enig"]
EXCLUDED = ["Vet ikke"]


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (["Helt enig", "Delvis enig", "Helt uenig", "Verken enig eller uenig"], 50.0),
        (["Helt enig", "Vet ikke", "Delvis uenig", None], 50.0),  # Vet ikke + blank left out
        (["Helt enig", "  ", "", pd.NA], 100.0),  # blank text is no answer
        (["Helt enig", "Delvis enig", "Delvis enig"], 100.0),
        (["Helt uenig", "Delvis uenig"], 0.0),
        (["Vet ikke", "Vet ikke"], math.nan),  # nobody took a stand
        ([None, None], math.nan),
        (["Helt enig", "Helt enig", "Vet ikke", "Delvis uenig", "Helt uenig", "Helt uenig"], 40.0),
    ],
)
def test_positive_share(answers, expected) -> None:
    share = evaluation.positive_share(pd.Series(answers, dtype="object"), POSITIVE, EXCLUDED)
    if math.isnan(expected):
        assert math.isnan(share)
    else:
        assert share == pytest.approx(expected)


def test_respondents_only_evaluated_groups_with_an_answer(hand_worked, codebook) -> None:
    rows = evaluation.respondents(hand_worked.evaluation, ["G1", "G2", "G3"], codebook.item_keys)
    assert len(rows) == 4  # G2's empty form and G7 (not selected) left out
    assert sorted(rows["group_id"].unique()) == ["G1", "G2"]


def test_item_table_by_hand(hand_worked, codebook) -> None:
    rows = evaluation.respondents(hand_worked.evaluation, ["G1", "G2"], codebook.item_keys)
    table = evaluation.item_table(rows, codebook)
    assert list(table.columns) == evaluation.ITEM_COLUMNS
    assert list(table["item"]) == codebook.item_keys
    first, second = table.iloc[0], table.iloc[1]
    # item 1: Helt enig, Delvis enig, Verken, Vet ikke → 4 answers, 2 of 3 positive
    assert first["n_answered"] == 4
    assert first["pct_positive"] == pytest.approx(200 / 3)
    # item 2: Vet ikke, Helt uenig, Helt enig → 3 answers, 1 of 2 positive
    assert second["n_answered"] == 3
    assert second["pct_positive"] == pytest.approx(50.0)
    assert (table["n_answered"].iloc[2:] == 0).all()
    assert table["pct_positive"].iloc[2:].isna().all()
    assert first["section"] == codebook.items[0].section
    assert first["text"] == codebook.items[0].text


def test_response_summary(hand_worked, codebook) -> None:
    rows = evaluation.respondents(hand_worked.evaluation, ["G1", "G2", "G3"], codebook.item_keys)
    summary = evaluation.response_summary(rows, hand_worked.members, ["G1", "G2", "G3"])
    # G3 has no answer: left out of the 2019-style rate (members of G1 (5) and G2 (6)),
    # but counted in the rate over all ended groups (+ G3's 7 members)
    assert summary == {
        "groups": 2,
        "members": 11,
        "respondents": 4,
        "response_rate_pct": pytest.approx(400 / 11),
        "ended_groups": 3,
        "ended_members": 18,
        "response_rate_ended_pct": pytest.approx(400 / 18),
    }


def test_response_summary_without_answers(hand_worked, codebook) -> None:
    rows = evaluation.respondents(hand_worked.evaluation, ["G3"], codebook.item_keys)
    summary = evaluation.response_summary(rows, hand_worked.members, ["G3"])
    assert summary["respondents"] == 0 and summary["members"] == 0
    assert math.isnan(summary["response_rate_pct"])
    assert summary["ended_members"] == 7 and summary["response_rate_ended_pct"] == 0
