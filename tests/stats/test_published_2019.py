"""The 2019 edition of the shipped synthetic data reproduces the published 2019 numbers.

The synthetic generator is calibrated to ``data/reference/published.yaml``; this test
checks the whole chain (clean → statistics) against it at ``as_of = 2019-06-30`` within
the tolerances the rounding of the published tables and the sampling allow.
It runs when the shipped raw data (``data/raw/kull-00``, synthetic by its marker) and
``pipeline.data.clean.clean`` exist, or when ``data/processed`` holds synthetic data.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json

import pytest
import yaml

from pipeline.data.codebook import load_codebook
from pipeline.data.marker import is_synthetic_cohort
from pipeline.format.numbers import fmt_number
from pipeline.paths import PATHS
from pipeline.stats.inputs import load_processed
from pipeline.stats.params import StatsParams
from pipeline.stats.run import Results, compute_results

PUBLISHED = PATHS.root / "data" / "reference" / "published.yaml"
AS_OF = dt.date(2019, 6, 30)


def _shipped_raw() -> bool:
    return (PATHS.raw / "kull-00").is_dir() and is_synthetic_cohort(PATHS.raw / "kull-00")


def _synthetic_processed() -> bool:
    report = PATHS.processed / "validation.json"
    return report.exists() and json.loads(report.read_text(encoding="utf-8")).get("synthetic")


def _can_clean() -> bool:
    return importlib.util.find_spec("pipeline.data.clean") is not None


pytestmark = [
    pytest.mark.skipif(
        not ((_shipped_raw() and _can_clean()) or _synthetic_processed()),
        reason="needs the shipped synthetic data/raw (with pipeline.data.clean) "
        "or synthetic data in data/processed",
    ),
]


@pytest.fixture(scope="module")
def published() -> dict:
    return yaml.safe_load(PUBLISHED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Results:
    if _shipped_raw() and _can_clean():
        from pipeline.data.clean import clean

        processed = tmp_path_factory.mktemp("published") / "processed"
        clean(PATHS.raw, processed)
    else:
        processed = PATHS.processed
    return compute_results(load_processed(processed), StatsParams(as_of=AS_OF), load_codebook())


def test_facts_match_exactly(results: Results, published: dict) -> None:
    facts, summary = published["facts_2019"], results.summary
    assert summary["facts"]["groups"] == facts["groups"] == 48
    assert summary["facts"]["departementer"] == facts["departementer"] == 12
    assert summary["facts"]["direktorater"] == facts["direktorater"] == 36
    assert summary["facts"]["leaders"] == facts["leaders"] == 350
    assert summary["effect"]["paired_groups"] == 31
    assert summary["evaluation"]["respondents"] == published["evaluation_2019"]["respondents"]
    assert summary["evaluation"]["groups"] == published["evaluation_2019"]["groups_invited"] == 31


def test_table2_matches(results: Results, published: dict) -> None:
    table = results.effect_factors.set_index("factor")
    effect_2019 = published["effect_2019"]
    rows = [*effect_2019["factors"], {"key": "gtei", **effect_2019["global_index"]}]
    for row in rows:
        ours = table.loc[row["key"]]
        for col, theirs in (("t1_mean", "t1"), ("t1_sd", "sd1"), ("t2_mean", "t2"),
                            ("t2_sd", "sd2"), ("diff", "diff")):  # fmt: skip
            assert ours[col] == pytest.approx(row[theirs], abs=0.02), (row["key"], col)
        assert ours["d"] == pytest.approx(row["d"], abs=0.05), row["key"]
        assert ours["n_groups"] == 31


def test_table1_matches(results: Results, published: dict) -> None:
    counts = results.change_counts.set_index("factor")
    for row in published["effect_2019"]["factors"]:
        assert abs(counts.loc[row["key"], "n_positive"] - row["pos"]) <= 1, row["key"]
        assert abs(counts.loc[row["key"], "n_not_positive"] - row["nonpos"]) <= 1, row["key"]


def test_figure2_shares_match(results: Results, published: dict) -> None:
    shares = results.evaluation_items.set_index("text")["pct_positive"]
    for section in published["evaluation_2019"]["figure_2"]:
        for item in section["items"]:
            assert abs(shares[item["text"]] - item["pct"]) <= 1, item["text"]


def test_text_shares_match(results: Results, published: dict) -> None:
    shares = results.evaluation_items.set_index("text")["pct_positive"]
    for item in published["evaluation_2019"]["other_items_in_text"]:
        assert abs(shares[item["text"]] - item["pct"]) <= 1, item["text"]


def test_gtei_counts_and_correlation_match(results: Results, published: dict) -> None:
    effect_2019, summary = published["effect_2019"], results.summary
    e = summary["effect"]
    assert abs(e["improved"] - effect_2019["groups_improved_gtei"]) <= 1
    assert abs(e["not_improved"] - effect_2019["groups_declined_gtei"]) <= 1
    assert abs(e["reliable_positive"] - effect_2019["reliable_change_positive"]) <= 1
    assert abs(e["reliable_negative"] - effect_2019["reliable_change_negative"]) <= 1
    correlation = effect_2019["devarea_change_correlation"]
    assert summary["correlation"]["r"] == pytest.approx(correlation["r"], abs=0.05)
    assert fmt_number(summary["correlation"]["r"]) == fmt_number(correlation["r"]) == "0,64"
    assert summary["correlation"]["p"] < correlation["p_below"]
    rate = published["evaluation_2019"]["response_rate_pct"]
    assert abs(summary["evaluation"]["response_rate_pct"] - rate) <= 1
