"""The Effect figures' helpers: cut axes, Figur D.1's intervals and the 2019 reliable band."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from pipeline.figures.effect import (
    COHEN_BANDS,
    FULL_SIZE_ROWS,
    axis_range,
    correlation_text,
    dev_area_figure,
    effect_rows,
    gtei_change_figure,
    notable_factors,
    reliable_band,
)
from pipeline.figures.inputs import FigureInputError, load_results
from pipeline.figures.style import house_style


def test_axis_range_cuts_on_half_points_around_the_data():
    assert axis_range(np.array([3.92, 5.95])) == (3.5, 6.5)
    assert axis_range(np.array([4.6, 5.3])) == (4.0, 5.5)


def test_reliable_band_is_the_change_where_rc_crosses_196(results_dir):
    groups = load_results(results_dir).gtei_groups
    band = reliable_band(groups)
    sd1 = groups["t1"].std(ddof=1)
    assert band == pytest.approx(1.96 * sd1 * math.sqrt(2 * 0.1))
    outside = groups["change"].abs() > band
    assert (outside == (groups["reliable"] != 0)).all()


def test_reliable_band_reads_the_se_the_statistics_divided_by():
    """rc = change / SE with SE = 0.25 (hand-worked): the band is 1.96 × 0.25 whatever t1 holds;
    a row with rc = 0 says nothing about the SE."""
    groups = pd.DataFrame(
        {"t1": [4.0, 5.0, 6.0], "change": [0.5, -0.1, 0.0], "rc": [2.0, -0.4, 0.0]}
    )
    assert reliable_band(groups) == pytest.approx(1.96 * 0.25)


def test_reliable_band_without_a_usable_rc_is_named():
    groups = pd.DataFrame({"t1": [4.0], "change": [0.0], "rc": [0.0]})
    with pytest.raises(FigureInputError, match=r"gtei_groups\.csv: no group has an rc"):
        reliable_band(groups)


def test_effect_rows_follow_the_model_and_sort_by_change(results_dir):
    factors = load_results(results_dir).factors
    rows = effect_rows(factors)
    assert [r["category"].iloc[0] for r in rows] == ["Forutsetninger", "Prosesser", "Resultater"]
    assert sum(len(r) for r in rows) == 26
    assert all(r["diff"].is_monotonic_decreasing for r in rows)


def test_notable_factors_are_few_and_distinct():
    factors = pd.DataFrame(
        {
            "factor": list("abcdef"),
            "d": [1.9, 1.4, 0.9, 0.5, 0.3, 0.0],
            "n_dev_area": [16, 25, 22, 1, 2, 1],
        }
    )
    assert notable_factors(factors)["factor"].tolist() == ["a", "b", "c", "f"]


@pytest.mark.filterwarnings("ignore:gtei_groups.csv:UserWarning")
def test_groups_without_a_complete_gtei_are_left_out(results_dir):
    groups = load_results(results_dir).gtei_groups
    groups.loc[0, ["t1", "t2", "change", "se_change", "clear_change", "rc", "reliable"]] = None
    with house_style():
        built = gtei_change_figure(groups, 0.9, 1.96)
    assert f"{len(groups) - 1} grupper" in built.alt


def test_gtei_change_figure_stays_page_sized_for_many_groups(results_dir):
    """At 100 times the groups every group still gets its interval, in the height of
    FULL_SIZE_ROWS rows (the figure's memory would otherwise grow with the groups)."""
    few = load_results(results_dir).gtei_groups
    many = pd.concat([few] * 100, ignore_index=True)
    many["group_id"] = [f"g{i}" for i in range(len(many))]
    with house_style():
        small = gtei_change_figure(few, 0.9, 1.96).figure
        large = gtei_change_figure(many, 0.9, 1.96).figure
        cap = gtei_change_figure(many.iloc[:FULL_SIZE_ROWS], 0.9, 1.96).figure
    assert len(large.axes[0].collections[0].get_segments()) == len(many)
    assert large.get_figheight() == pytest.approx(cap.get_figheight())
    assert small.get_figheight() < large.get_figheight()


def test_gtei_change_figure_draws_each_interval_and_counts_clear_changes(results_dir):
    groups = load_results(results_dir).gtei_groups
    with house_style():
        built = gtei_change_figure(groups, 0.9, 1.96)
    ax = built.figure.axes[0]
    segments = ax.collections[0].get_segments()
    ordered = groups.sort_values(["change", "group_id"])
    expected_low = ordered["change"] - 1.96 * ordered["se_change"]
    assert [seg[0][0] for seg in segments] == pytest.approx(list(expected_low))
    up = int((groups["clear_change"] == 1).sum())
    assert f"hadde {up} grupper en tydelig økning" in built.alt
    assert "organisation" not in groups.columns


def test_gtei_change_figure_stays_within_the_printed_page_however_many_groups(results_dir):
    from pipeline.figures.effect import GTEI_CHANGE_MAX_CM

    groups = load_results(results_dir).gtei_groups
    many = pd.concat(
        [groups.assign(group_id=groups["group_id"] + f"-{copy}") for copy in range(10)],
        ignore_index=True,
    )
    with house_style():
        few = gtei_change_figure(groups.head(5), 0.9, 1.96).figure.get_size_inches()[1] * 2.54
        tall = gtei_change_figure(many, 0.9, 1.96).figure.get_size_inches()[1] * 2.54
    assert few < GTEI_CHANGE_MAX_CM  # a short list keeps its natural height
    assert tall == pytest.approx(GTEI_CHANGE_MAX_CM)


def test_the_correlation_is_given_with_its_bootstrap_interval_not_a_p_value():
    correlation = {"r": 0.6412, "p": 0.0004, "boot_ci_low": 0.444, "boot_ci_high": 0.696}
    assert correlation_text(correlation) == "r = 0,64 (bootstrap-KI 0,44 til 0,70)"
    assert correlation_text({"r": 0.6412, "p": 0.0004}) == "r = 0,64"  # no interval computed
    assert correlation_text({"r": float("nan"), "p": float("nan")}) == "r kan ikke beregnes"


def test_each_band_is_named_just_above_its_own_line(results_dir):
    """Figur D.3: a band's name sits above its lower line (inside the band it names), so
    «stor» cannot be read as naming the band below 0,8."""
    results = load_results(results_dir)
    with house_style():
        built = dev_area_figure(results.factors, results.summary["correlation"])
    ax = built.figure.axes[0]
    names = {name: value for value, name in COHEN_BANDS}
    labels = [t for t in ax.texts if t.get_text() in names]
    assert sorted(t.get_text() for t in labels) == sorted(names)
    built.figure.canvas.draw()
    to_pixels = ax.transData.transform
    for label in labels:
        line_y = to_pixels((0, names[label.get_text()]))[1]
        box = label.get_window_extent()
        assert box.y0 >= line_y, label.get_text()  # the whole name above its line
        assert box.y0 - line_y < 0.5 * box.height  # and close to it
        assert box.x1 <= ax.get_window_extent().x1 + 0.5  # inside the plot, at its right edge
