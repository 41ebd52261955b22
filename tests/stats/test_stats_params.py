"""Parsing the notebook's parameters into StatsParams."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.errors import AnalysisError
from pipeline.stats.params import (
    StatsParams,
    check_as_of,
    make_params,
    parse_as_of,
    parse_cohorts,
)

TODAY = dt.date(2024, 3, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", TODAY),
        ("  ", TODAY),
        (None, TODAY),
        ("2019-06-30", dt.date(2019, 6, 30)),
        (dt.date(2018, 6, 30), dt.date(2018, 6, 30)),
        (dt.datetime(2018, 6, 30, 12, 0), dt.date(2018, 6, 30)),
    ],
)
def test_parse_as_of(value, expected) -> None:
    assert parse_as_of(value, today=TODAY) == expected


@pytest.mark.parametrize("value", ["30.06.2019", "2019-13-01", "soon"])
def test_parse_as_of_rejects_non_iso(value) -> None:
    with pytest.raises(AnalysisError, match="ISO date"):
        parse_as_of(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("all", None),
        ("ALL", None),
        ("", None),
        (None, None),
        (3, (3,)),
        ([9, 0, 9, 1], (0, 1, 9)),
        ("0-7,9", (0, 1, 2, 3, 4, 5, 6, 7, 9)),
        ("12, 10", (10, 12)),
    ],
)
def test_parse_cohorts(value, expected) -> None:
    assert parse_cohorts(value) == expected


@pytest.mark.parametrize("value", ["kull-1", [1, "x"], ","])
def test_parse_cohorts_rejects_nonsense(value) -> None:
    with pytest.raises(AnalysisError, match="cohorts"):
        parse_cohorts(value)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("reliability", 1.0, "reliability"),
        ("reliability", -0.1, "reliability"),
        ("confidence", 1.0, "confidence"),
        ("min_respondents", 0, "min_respondents"),
    ],
)
def test_invalid_parameters_are_refused(field, value, message) -> None:
    with pytest.raises(AnalysisError, match=message):
        StatsParams(**{field: value})


def test_make_params_from_notebook_literals() -> None:
    params = make_params(as_of="2019-06-30", cohorts="0-2", min_respondents="4")
    assert params.as_of == dt.date(2019, 6, 30)
    assert params.cohorts == (0, 1, 2)
    assert params.min_respondents == 4
    assert params.describe() == "as_of=2019-06-30, cohorts=0,1,2"
    assert params.as_dict()["cohorts"] == [0, 1, 2]
    assert make_params().cohorts_label == "all"


def test_an_as_of_after_today_is_refused_unless_allowed() -> None:
    with pytest.raises(AnalysisError, match=r"as_of 2024-03-02 is after today \(2024-03-01\)"):
        check_as_of("2024-03-02", today=TODAY)
    assert check_as_of("2024-03-02", "true", today=TODAY) == dt.date(2024, 3, 2)
    assert check_as_of("2024-03-01", today=TODAY) == TODAY
    with pytest.raises(AnalysisError, match="allow_future must be true or false"):
        check_as_of("2024-03-02", "kanskje", today=TODAY)


def test_make_params_records_an_allowed_future_as_of() -> None:
    future = dt.date.today() + dt.timedelta(days=30)
    params = make_params(as_of=future.isoformat(), allow_future=True)
    assert params.as_of_future and params.as_dict()["as_of_future"] is True
    assert not make_params(as_of="2019-06-30").as_of_future
