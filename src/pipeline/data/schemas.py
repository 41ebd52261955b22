"""The rules each raw table must follow, as pandera schemas built from the codebook.

The schemas check the text as read (see ``readers``), so a failure can quote the cell as
it was written. Rules that need more than one file live in ``validate``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import pandas as pd
import pandera.pandas as pa

from pipeline.data.codebook import Codebook
from pipeline.data.values import iso_dates, label_keys, numbers, vocabulary, whole_numbers

TABLE_NAMES = ("groups", "members", "effect", "evaluation", "development_areas")
ORG_TYPES = ("departement", "direktorat")
GENDERS = ("kvinne", "mann")
AGE_RANGE = (18.0, 80.0)
KULL_RANGE = (0, 99)
END_BEFORE_START = "end_date is before start_date"


@dataclass(frozen=True)
class TableSpec:
    """A raw table's schema and the facts about it that the schema cannot hold.

    ``key`` identifies a row (no duplicates; processed rows sort by it). ``required``
    tables must exist in every cohort folder with at least one row. ``blame`` names the
    column a row-wide check reports, keyed by the check's rule.
    """

    name: str
    schema: pa.DataFrameSchema
    key: tuple[str, ...]
    required: bool
    unknown_column: str
    blame: dict[str, str] = field(default_factory=dict)

    @property
    def duplicate_rule(self) -> str:
        *within, subject = self.key
        if not within:
            return f"{subject} appears twice in this file"
        return f"{subject} appears twice for the same {' and '.join(within)}"


def table_specs(codebook: Codebook) -> dict[str, TableSpec]:
    """The five raw tables in the order the pipeline reads them."""
    specs = (
        _groups(),
        _members(),
        _effect(codebook),
        _evaluation(codebook),
        _development_areas(codebook),
    )
    return {spec.name: spec for spec in specs}


def _spec(
    name: str,
    columns: dict[str, pa.Column],
    key: tuple[str, ...],
    *,
    required: bool,
    unknown_column: str,
    checks: Sequence[pa.Check] = (),
    blame: dict[str, str] | None = None,
) -> TableSpec:
    schema = pa.DataFrameSchema(
        columns,
        checks=list(checks),
        strict=True,
        unique=list(key),
        report_duplicates="exclude_first",
        name=name,
    )
    return TableSpec(name, schema, key, required, unknown_column, blame or {})


def _text(*checks: pa.Check, required: bool = True) -> pa.Column:
    """A text column; ``required`` means every row must have a value."""
    return pa.Column(str, checks=list(checks), nullable=not required)


def _column_check(ok: Callable[[pd.Series], pd.Series], rule: str) -> pa.Check:
    """A rule checked on the whole column at once; pandera reports each failing cell."""
    return pa.Check(ok, error=rule)


def _one_of(labels: Sequence[str], what: str) -> pa.Check:
    """Labels match regardless of case and spacing; normalisation restores the spelling."""
    known = vocabulary(labels)
    rule = f"{what} must be one of: {', '.join(labels)}"
    return _column_check(lambda column: label_keys(column).isin(list(known)), rule)


def _number_between(low: float, high: float, what: str) -> pa.Check:
    return _column_check(
        lambda column: numbers(column).between(low, high),
        f"{what} must be a number from {low:g} to {high:g}",
    )


def _whole_number_in(allowed: Sequence[int], rule: str) -> pa.Check:
    return _column_check(lambda column: whole_numbers(column).isin(allowed), rule)


def _date(column: str) -> pa.Check:
    return _column_check(
        lambda cells: iso_dates(cells).notna(), f"{column} must be a date written YYYY-MM-DD"
    )


def _end_not_before_start(frame: pd.DataFrame) -> pd.Series:
    """True where the dates are in order or cannot be compared (missing or invalid dates)."""
    if not {"start_date", "end_date"} <= set(frame.columns):
        return pd.Series(True, index=frame.index)
    first, last = iso_dates(frame["start_date"]), iso_dates(frame["end_date"])
    comparable = first.notna() & last.notna()
    in_order = pd.Series(True, index=frame.index)
    in_order[comparable] = last[comparable] >= first[comparable]
    return in_order


def _groups() -> TableSpec:
    low, high = KULL_RANGE
    kull_rule = f"kull must be a whole number from {low} to {high}"
    columns = {
        "group_id": _text(),
        "kull": _text(_whole_number_in(range(low, high + 1), kull_rule)),
        "organisation": _text(),
        "org_type": _text(_one_of(ORG_TYPES, "org_type")),
        "start_date": _text(_date("start_date")),
        "end_date": _text(_date("end_date"), required=False),
    }
    return _spec(
        "groups",
        columns,
        ("group_id",),
        required=True,
        unknown_column=f"unknown column; groups has {', '.join(columns)}",
        checks=[pa.Check(_end_not_before_start, error=END_BEFORE_START)],
        blame={END_BEFORE_START: "end_date"},
    )


def _members() -> TableSpec:
    columns = {
        "member_id": _text(),
        "group_id": _text(),
        "gender": _text(_one_of(GENDERS, "gender")),
        "age": _text(_number_between(*AGE_RANGE, "age")),
    }
    return _spec(
        "members",
        columns,
        ("group_id", "member_id"),
        required=True,
        unknown_column=f"unknown column; members has {', '.join(columns)}",
    )


def _effect(codebook: Codebook) -> TableSpec:
    waves = sorted(codebook.waves)
    wave_rule = f"wave must be {', '.join(map(str, waves[:-1]))} or {waves[-1]}"
    score = _number_between(codebook.score_min, codebook.score_max, "score")
    columns = {
        "respondent_id": _text(),
        "group_id": _text(),
        "wave": _text(_whole_number_in(waves, wave_rule)),
    } | {key: _text(score, required=False) for key in codebook.factor_keys}
    return _spec(
        "effect",
        columns,
        ("group_id", "wave", "respondent_id"),
        required=False,
        unknown_column="unknown column: not an Effect factor key in the codebook",
    )


def _evaluation(codebook: Codebook) -> TableSpec:
    answer = _one_of(codebook.answer_labels, "answer")
    columns = {"respondent_id": _text(), "group_id": _text()} | {
        key: _text(answer, required=False) for key in codebook.item_keys
    }
    return _spec(
        "evaluation",
        columns,
        ("group_id", "respondent_id"),
        required=False,
        unknown_column="unknown column: not an evaluation item key in the codebook",
    )


def _development_areas(codebook: Codebook) -> TableSpec:
    known = vocabulary(codebook.factor_keys)
    factor = _column_check(
        lambda column: label_keys(column).isin(list(known)),
        "factor must be an Effect factor key in the codebook",
    )
    columns = {"group_id": _text(), "factor": _text(factor)}
    return _spec(
        "development_areas",
        columns,
        ("group_id", "factor"),
        required=False,
        unknown_column=f"unknown column; development_areas has {', '.join(columns)}",
    )
