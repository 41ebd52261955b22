"""Converts validated text tables into the processed formats of docs/architecture.md.

Only validated text reaches these functions, so every conversion here succeeds; a value
that would not convert has already been reported as a problem.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd

from pipeline.data.codebook import Codebook
from pipeline.data.schemas import GENDERS, ORG_TYPES, TableSpec
from pipeline.data.values import label_keys, numbers, vocabulary, whole_numbers


def normalise(spec: TableSpec, text: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Typed columns in contract order, rows sorted by the table's key.

    ``text`` is the table's text from every cohort folder with an integer ``kull``
    column holding the folder's number (validation made it equal to the groups' ``kull``).
    """
    convert = _CONVERTERS[spec.name]
    frame = convert(text.reset_index(drop=True), codebook)
    return frame.sort_values(list(spec.key), kind="stable").reset_index(drop=True)


def _strings(column: pd.Series) -> pd.Series:
    return column.astype("string")


def _labels(column: pd.Series, labels: Sequence[str]) -> pd.Series:
    """The label as the codebook spells it, whatever case and spacing the file used."""
    known = vocabulary(labels)
    return label_keys(column).map(known).astype("string")


def _whole_numbers(column: pd.Series) -> pd.Series:
    return whole_numbers(column).astype("int64")


def _dates(column: pd.Series) -> pd.Series:
    return pd.to_datetime(column, format="%Y-%m-%d").astype("datetime64[ns]")


def _groups(text: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_id": _strings(text["group_id"]),
            "kull": text["kull"].astype("int64"),
            "organisation": _strings(text["organisation"]),
            "org_type": _labels(text["org_type"], ORG_TYPES),
            "start_date": _dates(text["start_date"]),
            "end_date": _dates(text["end_date"]),
        }
    )


def _members(text: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "member_id": _strings(text["member_id"]),
            "group_id": _strings(text["group_id"]),
            "kull": text["kull"].astype("int64"),
            "gender": _labels(text["gender"], GENDERS),
            "age": numbers(text["age"]),
        }
    )


def _effect(text: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    ids = {
        "respondent_id": _strings(text["respondent_id"]),
        "group_id": _strings(text["group_id"]),
        "kull": text["kull"].astype("int64"),
        "wave": _whole_numbers(text["wave"]),
    }
    scores = {key: numbers(text[key]) for key in codebook.factor_keys}
    return pd.DataFrame(ids | scores)


def _evaluation(text: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    ids = {
        "respondent_id": _strings(text["respondent_id"]),
        "group_id": _strings(text["group_id"]),
        "kull": text["kull"].astype("int64"),
    }
    answers = {key: _labels(text[key], codebook.answer_labels) for key in codebook.item_keys}
    return pd.DataFrame(ids | answers)


def _development_areas(text: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "group_id": _strings(text["group_id"]),
            "kull": text["kull"].astype("int64"),
            "factor": _labels(text["factor"], codebook.factor_keys),
        }
    )


_CONVERTERS: dict[str, Callable[[pd.DataFrame, Codebook], pd.DataFrame]] = {
    "groups": _groups,
    "members": _members,
    "effect": _effect,
    "evaluation": _evaluation,
    "development_areas": _development_areas,
}
