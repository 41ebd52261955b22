"""How a cell's text reads: numbers with either decimal mark, ISO dates and labels.

The schema checks and the normalisation share these functions, so a value that passes
validation is always read the same way when it is converted. Each rule exists for one
cell and for a whole column; the column form applies the one-cell rule once per distinct
text, so a table of 100 000 rows costs a hash pass, not 100 000 calls.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date

import numpy as np
import pandas as pd

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")
_WHOLE = re.compile(r"\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def number(text: str) -> float | None:
    """The number written with `.` or `,` as decimal mark, or None if it is not one."""
    if not _NUMBER.fullmatch(text):
        return None
    return float(text.replace(",", "."))


def whole_number(text: str) -> int | None:
    """The non-negative integer in ``text`` (``"03"`` reads as 3), or None."""
    return int(text) if _WHOLE.fullmatch(text) else None


def iso_date(text: str) -> date | None:
    """The date written as YYYY-MM-DD, or None; other spellings are ambiguous (01.02.2019)."""
    if not _ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def numbers(column: pd.Series) -> pd.Series:
    """``number`` for every cell: float64, NaN where a cell is missing or not a number."""
    return _each_distinct(column, number).astype("float64")


def whole_numbers(column: pd.Series) -> pd.Series:
    """``whole_number`` for every cell: Python ints (any size), None where a cell is not one."""
    return _each_distinct(column, whole_number)


def iso_dates(column: pd.Series) -> pd.Series:
    """``iso_date`` for every cell (None where a cell is missing or not a date)."""
    return _each_distinct(column, iso_date)


def label_keys(column: pd.Series) -> pd.Series:
    """``label_key`` for every cell (None where a cell is missing)."""
    return _each_distinct(column, label_key)


def _each_distinct(column: pd.Series, rule: Callable[[str], object]) -> pd.Series:
    """``rule`` applied once per distinct text in ``column`` and spread back to every cell.

    A survey column holds few distinct texts (scores, labels, dates), so this costs one
    hash pass over the column instead of one Python call per cell, and reads every cell
    exactly as the one-cell rule does.
    """
    codes, distinct = pd.factorize(column, use_na_sentinel=True)
    read = np.array([None, *(rule(text) for text in distinct)], dtype=object)
    return pd.Series(read[codes + 1], index=column.index, dtype=object)


def label_key(text: str) -> str:
    """What two spellings of a label must share to be the same label: case and spacing aside."""
    return " ".join(text.split()).casefold()


def vocabulary(labels: Iterable[str]) -> dict[str, str]:
    """Maps each label's key to its canonical spelling."""
    return {label_key(label): label for label in labels}
