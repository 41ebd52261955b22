"""The column forms of the cell rules read every cell exactly as the cell forms do."""

from __future__ import annotations

import math

import pandas as pd

from pipeline.data.values import (
    iso_date,
    iso_dates,
    label_key,
    label_keys,
    number,
    numbers,
    whole_number,
    whole_numbers,
)

CELLS = [
    "3",
    "03",
    "1,5",
    "+2.25",
    "-4",
    " 4",
    "4 ",
    "1.",
    ",5",
    "1,5,0",
    "١٢",
    "x",
    "",
    "99999999999999999999",
    "2019-01-05",
    "2019-02-30",
    "2019-1-5",
    "05.01.2019",
    "  Mann   Kvinne ",
    "KVINNE",
    "Mann\u00a0\tKvinne",
    None,
]
COLUMN = pd.Series(CELLS, dtype="str", index=range(2, 2 + len(CELLS)))


def _same(column: pd.Series, cell_rule) -> None:
    for text, value in zip(CELLS, column, strict=True):
        expected = cell_rule(text) if text is not None else None
        if expected is None:
            assert value is None or pd.isna(value), (text, value)
        else:
            assert value == expected, (text, value, expected)


def test_numbers_read_either_decimal_mark_and_nothing_else() -> None:
    _same(numbers(COLUMN), number)
    assert numbers(COLUMN).dtype == "float64"
    assert numbers(COLUMN)[4] == 1.5 and math.isnan(numbers(COLUMN)[7])


def test_whole_numbers_keep_large_values_exact() -> None:
    _same(whole_numbers(COLUMN), whole_number)
    assert whole_numbers(COLUMN)[15] == 99999999999999999999


def test_dates_are_iso_and_real() -> None:
    dates = iso_dates(COLUMN)
    _same(dates, iso_date)
    assert dates.notna().sum() == 1


def test_label_keys_ignore_case_and_spacing() -> None:
    _same(label_keys(COLUMN), label_key)
    assert label_keys(COLUMN)[20] == "mann kvinne"


def test_the_index_is_kept_for_line_numbers() -> None:
    for column in (numbers(COLUMN), whole_numbers(COLUMN), iso_dates(COLUMN), label_keys(COLUMN)):
        assert list(column.index) == list(COLUMN.index)
