"""Norwegian (bokmål) number, percent, p-value and date formatting for the report.

The rules (docs/architecture.md, "Variables"): decimal comma, the minus sign U+2212,
a no-break space (U+00A0) before ``%`` and between thousands groups from 10 000 (a
four-digit number stays ungrouped, as Språkrådet recommends), ``–`` for a missing value.
Locale modules are not used: the result must not depend on the machine's locales.
"""

from __future__ import annotations

import datetime as dt
import math
from numbers import Real

NBSP = "\u00a0"
MINUS = "\u2212"
MISSING = "–"
MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip


def _is_missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return str(value) in {"<NA>", "NaT"}


def _group_thousands(digits: str) -> str:
    if len(digits) <= 4:
        return digits
    groups = []
    while digits:
        digits, groups = digits[:-3], [digits[-3:], *groups]
    return NBSP.join(groups)


def fmt_number(value: Real | None, decimals: int = 2) -> str:
    """``5.0638`` → ``5,06``; ``-0.04`` → ``−0,04``; ``12345.6`` → ``12 346`` (NBSP)."""
    if _is_missing(value):
        return MISSING
    text = f"{abs(float(value)):.{decimals}f}"
    whole, _, fraction = text.partition(".")
    sign = MINUS if float(value) < 0 and float(text) != 0 else ""
    body = _group_thousands(whole) + (f",{fraction}" if fraction else "")
    return sign + body


def fmt_int(value: Real | None) -> str:
    """A count: ``350``, ``10 000`` (NBSP)."""
    return fmt_number(value, 0)


def fmt_pct(value: Real | None, decimals: int = 0) -> str:
    """A percentage given on the 0–100 scale: ``73.4`` → ``73 %`` (NBSP before %)."""
    if _is_missing(value):
        return MISSING
    return f"{fmt_number(value, decimals)}{NBSP}%"


def fmt_plain(value: Real) -> str:
    """A parameter with as many decimals as it was given: ``0.1`` → ``0,1``, ``3`` → ``3``."""
    text = repr(float(value))
    decimals = 0 if text.endswith(".0") else len(text.partition(".")[2])
    return fmt_number(value, decimals)


def fmt_p(value: Real | None, decimals: int = 3) -> str:
    """A p-value with its relation, so prose can write ``p {{< var … >}}``.

    Below 0.001 it is ``< 0,001``; otherwise ``= 0,012``.
    """
    if _is_missing(value):
        return MISSING
    floor = 10.0**-decimals
    if float(value) < floor:
        return f"< {fmt_number(floor, decimals)}"
    return f"= {fmt_number(value, decimals)}"


def fmt_date(value: dt.date) -> str:
    """``2019-06-30`` → ``30. juni 2019``."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year}"
