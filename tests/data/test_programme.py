"""programme.yaml: the shipped plan loads and agrees with its own design numbers."""

from __future__ import annotations

import copy

import pytest
import yaml

from pipeline.data.programme import load_programme, parse_programme
from pipeline.errors import ReferenceDataError
from pipeline.paths import PATHS


@pytest.fixture
def doc() -> dict:
    return yaml.safe_load(PATHS.programme.read_text(encoding="utf-8"))


def test_shipped_programme_matches_the_published_design():
    programme = load_programme(PATHS.programme)
    design = programme.design
    assert design["duration_months"] == 9
    assert (design["groups_per_cohort"], design["cohorts_per_year"]) == (4, 3)
    assert design["participants_per_cohort"] == {"min": 25, "max": 45}
    assert programme.count("samling") == design["gatherings"] == 4
    assert programme.count("parmote") == design["pair_meetings"] == 2
    assert programme.count("effect") == design["effect_waves"] == 2
    assert programme.count("effect", within=False) == 3
    assert design["individual_sessions_max"] == 5
    assert design["development_areas_per_group"] == {"min": 3, "max": 4}


def test_first_and_last_gathering_are_the_long_ones():
    programme = load_programme(PATHS.programme)
    gatherings = [a for a in programme.activities if a.kind == "samling"]
    days = [a.days for a in sorted(gatherings, key=lambda a: a.start)]
    long = programme.design["long_gathering_days"]
    assert days[0] == days[-1] == long
    assert all(d < long for d in days[1:-1])


def test_activities_fall_inside_the_programme_except_the_follow_up():
    programme = load_programme(PATHS.programme)
    for activity in programme.activities:
        end = activity.end if activity.end is not None else activity.start
        if activity.after_end:
            assert activity.start > programme.duration_months
        else:
            assert 0 <= activity.start <= end <= programme.duration_months


def test_plan_that_drops_a_gathering_is_refused(doc):
    broken = copy.deepcopy(doc)
    broken["months"][9] = []
    with pytest.raises(ReferenceDataError, match=r"design\.gatherings is 4 but the plan has 3"):
        parse_programme(broken)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["months"].update({10: d["months"][9]}), "month 10 is outside 1–9"),
        (lambda d: d["months"][4][0].update(when="soon"), "when must be one of"),
        (lambda d: d["months"][4][0].update(kind="middag"), "not listed under kinds"),
        (lambda d: d["ongoing"][0].update(to_month=12), "outside 1–9"),
        (lambda d: d.pop("kinds"), "lacks 'kinds'"),
    ],
)
def test_malformed_plans_name_the_problem(doc, edit, message):
    broken = copy.deepcopy(doc)
    edit(broken)
    with pytest.raises(ReferenceDataError, match=message):
        parse_programme(broken)


def test_unreadable_file_is_a_reference_data_error(tmp_path):
    with pytest.raises(ReferenceDataError, match="cannot read"):
        load_programme(tmp_path / "missing.yaml")
