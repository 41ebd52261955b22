"""Norwegian formatting: decimal comma, U+2212, NBSP before % and in large numbers."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import pytest

from pipeline.format.numbers import (
    MINUS,
    NBSP,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_p,
    fmt_pct,
    fmt_plain,
)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (5.0638, 2, "5,06"),
        (5.49, 2, "5,49"),
        (0.43, 2, "0,43"),
        (-0.04, 2, f"{MINUS}0,04"),
        (-0.001, 2, "0,00"),  # rounds to zero: no sign
        (7.2916, 1, "7,3"),
        (1.0, 2, "1,00"),
        (350, 0, "350"),
        (9999, 0, "9999"),  # four digits stay ungrouped
        (10_000, 0, f"10{NBSP}000"),
        (1_234_567.891, 2, f"1{NBSP}234{NBSP}567,89"),
        (-12_345.6, 0, f"{MINUS}12{NBSP}346"),
        (math.nan, 2, "–"),
        (None, 2, "–"),
        (pd.NA, 0, "–"),
    ],
)
def test_fmt_number(value, decimals, expected) -> None:
    assert fmt_number(value, decimals) == expected


def test_fmt_int_and_pct() -> None:
    assert fmt_int(31) == "31"
    assert fmt_int(12_000) == f"12{NBSP}000"
    assert fmt_pct(73.4) == f"73{NBSP}%"
    assert fmt_pct(66.666, 1) == f"66,7{NBSP}%"
    assert fmt_pct(math.nan) == "–"


@pytest.mark.parametrize(
    ("p", "expected"),
    [
        (0.0000002, "< 0,001"),
        (0.000999, "< 0,001"),
        (0.001, "= 0,001"),
        (0.0123, "= 0,012"),
        (0.5, "= 0,500"),
        (math.nan, "–"),
    ],
)
def test_fmt_p(p, expected) -> None:
    assert fmt_p(p) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(0.1, "0,1"), (0.95, "0,95"), (3, "3"), (0.001, "0,001"), (1.5, "1,5")],
)
def test_fmt_plain(value, expected) -> None:
    assert fmt_plain(value) == expected


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2019, 6, 30), "30. juni 2019"),
        (dt.date(2021, 1, 4), "4. januar 2021"),
        (dt.date(2018, 12, 31), "31. desember 2018"),
        (dt.date(2020, 5, 1), "1. mai 2020"),
    ],
)
def test_fmt_date(date, expected) -> None:
    assert fmt_date(date) == expected
