"""publisert.*: the printed 2019 figures beside an edition's, and the printed count column."""

from __future__ import annotations

import copy
import json

import pytest

from pipeline.errors import ReferenceDataError
from pipeline.paths import PATHS
from pipeline.report.published import (
    Figure,
    ci_figures,
    devarea_column,
    deviation_sentence,
    largest_gap,
    load_published,
    published_variables,
    table_figures,
)


@pytest.fixture(scope="module")
def published() -> dict:
    return load_published(PATHS.published)


def test_figures_differ_only_as_printed() -> None:
    assert not Figure("d", 1.08, 1.0849, 2).differs  # rounds to the printed 1,08
    assert Figure("d", 1.08, 1.0851, 2).differs  # 1,09
    assert Figure("medlemmer", 7.2, 7.29, 1).differs  # 350 / 48 is 7,3, not the printed 7,2
    assert not Figure("grupper", 48, 48, 0).differs
    assert Figure("r", 0.64, None, 2).differs  # nothing computed is a deviation too


def test_the_deviation_sentence_names_each_gap_with_both_values() -> None:
    figures = [
        Figure("t-verdien for GTEI", 6.18, 6.2249, 2),
        Figure("antall ledere", 350, 350, 0),
        Figure("effektstørrelsen d for GTEI", 1.08, 1.0912, 2),
        Figure("gjennomsnittlig antall medlemmer per gruppe", 7.2, 350 / 48, 1),
    ]
    assert deviation_sentence(figures) == (
        "Blant hovedtallene avviker t-verdien for GTEI (6,22 her, 6,18 i 2019-rapporten), "
        "effektstørrelsen d for GTEI (1,09 her, 1,08 i 2019-rapporten) og gjennomsnittlig "
        "antall medlemmer per gruppe (7,3 her, 7,2 i 2019-rapporten)."
    )
    assert deviation_sentence(figures[1:2]) == "Alle hovedtallene er de samme som i 2019-rapporten."
    assert largest_gap(figures) == pytest.approx(0.1)  # 7,3 − 7,2, at the printed precision


def test_the_printed_count_column_against_what_the_groups_could_choose(published) -> None:
    column = devarea_column(published)
    # Hand-counted from the 2019 report's Tabell 2: Kontinuerlig gruppelæring's cell holds its
    # d (1.86); seven other rows are empty; the 18 counts printed add up to 167, while 31
    # paired groups with at most four areas each can make at most 124 choices.
    assert column == {
        "learning_cell": "1,86",
        "empty_rows": "7",
        "sum": "167",
        "groups": "31",
        "most_per_group": "4",
        "most": "124",
    }


def test_the_table_comparison_covers_every_printed_cell(published, effect_table) -> None:
    figures = table_figures(published, effect_table)
    assert len(figures) == (26 + 1) * 7  # 26 factors and the GTEI row, seven cells each
    gtei = {f.label: f for f in figures if f.label.startswith("gtei.")}
    assert not gtei["gtei.t1"].differs and not gtei["gtei.t"].differs  # fixture = 2019 GTEI
    missing = table_figures(published, effect_table[effect_table["factor"] != "dialog"])
    assert all(f.differs for f in missing if f.label.startswith("dialog."))


def test_published_variables_from_a_summary(published, effect_table) -> None:
    summary = {
        "facts": {"groups": 48, "leaders": 350, "mean_group_size": 350 / 48, "mean_age": 53.2},
        "evaluation": {"respondents": 177},
        "effect": {"paired_groups": 31, "gtei_t1": 5.06, "gtei_t2": 5.49, "gtei_diff": 0.43,
                   "gtei_t": 6.18, "gtei_d": 1.08, "improved": 27, "reliable_positive": 19},
        "correlation": {"r": 0.64},
    }  # fmt: skip
    v = published_variables(published, summary, effect_table)
    assert v["deviations"] == (
        "Blant hovedtallene avviker gjennomsnittlig antall medlemmer per gruppe "
        "(7,3 her, 7,2 i 2019-rapporten)."
    )
    assert v["table_cells"] == "189"
    assert int(v["table_off"]) > 0  # the fixture's factor rows are not the published ones


def test_a_missing_or_incomplete_published_file_names_itself(tmp_path, published) -> None:
    with pytest.raises(ReferenceDataError, match=r"published\.yaml"):
        load_published(tmp_path / "published.yaml")
    broken = copy.deepcopy(published)
    del broken["facts_2019"]
    path = tmp_path / "published.yaml"
    path.write_text(json.dumps(broken, default=str), encoding="utf-8")  # JSON is YAML
    with pytest.raises(ReferenceDataError, match="facts_2019"):
        load_published(path)


def test_the_ci_comparison_covers_both_bounds_of_every_printed_interval(
    published, effect_table
) -> None:
    figures = ci_figures(published, effect_table)
    assert len(figures) == (26 + 1) * 2  # 26 factors and the GTEI row, two bounds each
    bounds = {f.label: f for f in figures if f.label.startswith("gtei.")}
    assert bounds["gtei.ci_low"].published == 0.29 and bounds["gtei.ci_high"].published == 0.58
    shifted = effect_table.assign(ci_high=effect_table["ci_high"] + 0.5)
    assert all(f.differs for f in ci_figures(published, shifted) if f.label.endswith("ci_high"))
