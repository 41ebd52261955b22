"""The whole statistics stage: results and summary.json on disk, then the report's fragments
(``pipeline.report.fragments``, which the statistics notebook runs after the analyses)."""

from __future__ import annotations

import datetime as dt
import json
import math
import shutil
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.errors import AnalysisError
from pipeline.report.fragments import write_fragments
from pipeline.stats import effect, evaluation, facts, mixed_model
from pipeline.stats import run as run_module
from pipeline.stats.devareas import DEVAREA_COLUMNS
from pipeline.stats.mixed_model import MODEL_COLUMNS
from pipeline.stats.params import StatsParams
from pipeline.stats.run import compute_results, run_statistics

RESULT_COLUMNS = {
    "effect_factors.csv": effect.TABLE2_COLUMNS + effect.EFFECT_SIZE_COLUMNS,
    "effect_change_counts.csv": effect.TABLE1_COLUMNS,
    "evaluation_items.csv": evaluation.ITEM_COLUMNS,
    "gtei_groups.csv": effect.GTEI_GROUP_COLUMNS,
    "effect_followup.csv": effect.FOLLOWUP_COLUMNS,
    "participants.csv": facts.PARTICIPANT_COLUMNS,
    "effect_model.csv": MODEL_COLUMNS,
    "devarea_change.csv": DEVAREA_COLUMNS,
}
GENERATED = [
    "_variables.yml",
    "_effect_model.md",
    "tables/_tabell1.md",
    "tables/_tabell2.md",
    "tables/_modell.md",
    "tables/_evaluering.md",
    "tables/_deltakere.md",
    "tables/_inndata.md",
    "_edition.yml",
]


def test_summary_says_which_cohorts_are_synthetic(hand_worked, params, codebook) -> None:
    """Per cohort, from the markers validation.json records (DESIGN.md §2 and §10)."""
    data = replace(hand_worked, validation={**hand_worked.validation,
                                                        "synthetic_cohorts": [2]})  # fmt: skip
    summary = compute_results(data, params, codebook).summary
    assert summary["synthetic"] is True
    assert (summary["synthetic_cohorts"], summary["real_cohorts"]) == ([2], [1, 3])
    data = replace(hand_worked, validation={**hand_worked.validation,
                                                        "synthetic_cohorts": []})  # fmt: skip
    summary = compute_results(data, params, codebook).summary
    assert summary["synthetic"] is False and summary["real_cohorts"] == [1, 2, 3]


def test_summary_of_the_hand_worked_edition(hand_worked, params, codebook) -> None:
    summary = compute_results(hand_worked, params, codebook).summary
    assert summary["as_of"] == "2019-06-30" and summary["synthetic"] is True
    assert (summary["synthetic_cohorts"], summary["real_cohorts"]) == ([1, 2, 3], [])
    e = summary["effect"]
    assert (e["groups_ended"], e["paired_groups"], e["gtei_n"]) == (5, 4, 4)
    assert e["gtei_t1"] == pytest.approx(4.75) and e["gtei_t2"] == pytest.approx(5.15)
    assert e["gtei_diff"] == pytest.approx(0.4)
    assert (e["improved"], e["not_improved"]) == (3, 1)  # G4 did not change
    assert (e["reliable_positive"], e["reliable_negative"]) == (2, 0)
    assert e["n_factors"] == 26 and e["reliability"] == 0.9
    # every factor moves like the GTEI: d = 0.75 is medium for all 26
    assert (e["n_large"], e["n_medium"], e["n_small"]) == (0, 26, 0)
    assert e["n_positive_d"] == 26 and e["n_significant"] == 0  # p = 0.116
    assert summary["correlation"]["r"] is None  # every d is equal: undefined, null in JSON
    assert summary["evaluation"] == {
        "groups": 2,
        "members": 11,
        "respondents": 4,
        "response_rate_pct": pytest.approx(400 / 11),
        # all five ended groups (G1–G5: 5 + 6 + 7 + 8 + 5 members), G3–G5 without answers
        "ended_groups": 5,
        "ended_members": 31,
        "response_rate_ended_pct": pytest.approx(400 / 31),
    }
    assert summary["facts"]["groups"] == 7
    followup = summary["followup"]
    assert {k: followup[k] for k in ("groups", "gtei_groups", "min_groups", "shown")} == {
        "groups": 2,
        "gtei_groups": 2,
        "min_groups": 5,
        "shown": False,  # two groups are below the minimum of five
    }
    assert followup["gtei_t1"] == pytest.approx(4.5)
    assert followup["gtei_t2"] == pytest.approx(4.9)
    assert followup["gtei_t3"] == pytest.approx(4.9)


def test_followup_summary_without_third_wave(hand_worked, params, codebook) -> None:
    no_wave3 = hand_worked.effect[hand_worked.effect["wave"] != 3]
    results = compute_results(replace(hand_worked, effect=no_wave3), params, codebook)
    followup = results.summary["followup"]
    assert (followup["groups"], followup["shown"]) == (0, False)
    assert {followup[k] for k in ("gtei_t1", "gtei_t2", "gtei_t3", "ci_low")} == {None}
    assert results.followup.empty


def _run(processed_dir: Path, out: Path, **kwargs) -> object:
    params = StatsParams(**{"as_of": dt.date(2019, 6, 30), **kwargs})
    results = run_statistics(processed_dir, out / "results", params)
    write_fragments(processed_dir, out / "generated", results, programme={})
    return results


def _files(root: Path) -> dict[Path, bytes]:
    return {p.relative_to(root): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@dataclass(frozen=True)
class GoodRun:
    """One run of the whole stage on ``random_processed`` at 2019-06-30, shared by the tests
    below that only read its outputs or need last good outputs to keep (each on a copy)."""

    processed_dir: Path
    out: Path
    summary: dict


@pytest.fixture(scope="module")
def good_run(shared_processed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> GoodRun:
    out = tmp_path_factory.mktemp("good-run")
    return GoodRun(shared_processed_dir, out, _run(shared_processed_dir, out).summary)


@pytest.fixture
def last_good_outputs(good_run: GoodRun, tmp_path: Path) -> Path:
    """A writable copy of the good run's outputs, as a later failing run finds them."""
    shutil.copytree(good_run.out, tmp_path, dirs_exist_ok=True)
    return tmp_path


def test_outputs_follow_the_contract(good_run: GoodRun) -> None:
    out = good_run.out
    for name, columns in RESULT_COLUMNS.items():
        frame = pd.read_csv(out / "results" / name)
        assert list(frame.columns) == columns, name
    for name in GENERATED:
        assert (out / "generated" / name).read_text(encoding="utf-8").strip(), name
    summary = json.loads((out / "results" / "summary.json").read_text(encoding="utf-8"))
    for section in ("facts", "evaluation", "effect", "correlation", "followup", "parameters"):
        assert section in summary
    table2 = pd.read_csv(out / "results" / "effect_factors.csv")
    assert table2["factor"].iloc[-1] == "gtei" and len(table2) == 27
    assert math.isnan(table2["n_dev_area"].iloc[-1])
    items = pd.read_csv(out / "results" / "evaluation_items.csv")
    assert items["pct_positive"].between(0, 100).all()
    variables = yaml.safe_load((out / "generated" / "_variables.yml").read_text("utf-8"))
    assert variables["effect"]["paired_groups"] == "12"


def test_outputs_are_byte_identical_across_runs(good_run: GoodRun, tmp_path: Path) -> None:
    _run(good_run.processed_dir, tmp_path)
    first, second = _files(good_run.out), _files(tmp_path)
    assert sorted(first) == sorted(second)
    assert len(first) == len(RESULT_COLUMNS) + 1 + len(GENERATED)
    for rel in first:
        assert first[rel] == second[rel], rel
    raw = first[Path("results", "summary.json")]
    assert b"\r\n" not in raw and b"NaN" not in raw


def test_as_of_makes_a_smaller_edition(good_run: GoodRun, tmp_path: Path) -> None:
    later = good_run.summary
    earlier = _run(good_run.processed_dir, tmp_path, as_of=dt.date(2018, 6, 30)).summary
    assert earlier["effect"]["groups_ended"] == 8 < later["effect"]["groups_ended"] == 12
    assert earlier["facts"]["groups"] == 12 < later["facts"]["groups"] == 16


def test_a_failing_edition_keeps_the_last_outputs(
    good_run: GoodRun, last_good_outputs: Path
) -> None:
    before = _files(last_good_outputs)
    with pytest.raises(AnalysisError, match=r"as_of=2017-01-01, cohorts=all"):
        _run(good_run.processed_dir, last_good_outputs, as_of=dt.date(2017, 1, 1))
    assert _files(last_good_outputs) == before


def test_a_model_that_does_not_converge_writes_nothing(
    good_run: GoodRun, last_good_outputs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real non-convergence (an iteration budget of one) names the factor, and the last
    good outputs stay as they were."""
    before = _files(last_good_outputs)
    monkeypatch.setattr(run_module, "effect_model", partial(mixed_model.effect_model, max_iter=1))
    with pytest.raises(AnalysisError, match=r"effect model, factor \w+: the mixed model did not"):
        _run(good_run.processed_dir, last_good_outputs)
    assert _files(last_good_outputs) == before


def test_missing_processed_files_are_named(tmp_path: Path) -> None:
    with pytest.raises(AnalysisError, match=r"groups\.parquet.*validation\.json"):
        _run(tmp_path, tmp_path / "out")
