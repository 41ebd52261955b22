"""How one cell's text reads: numbers with either decimal mark, ISO dates and labels.

The schema checks and the normalisation share these functions, so a value that passes
validation is always read the same way when it is converted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

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


def label_key(text: str) -> str:
    """What two spellings of a label must share to be the same label: case and spacing aside."""
    return " ".join(text.split()).casefold()


def vocabulary(labels: Iterable[str]) -> dict[str, str]:
    """Maps each label's key to its canonical spelling."""
    return {label_key(label): label for label in labels}
