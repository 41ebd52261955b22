"""Provenance manifest and the change summary between builds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.build.manifest import (
    build_manifest,
    change_summary,
    data_description,
    key_figures,
    provenance_markdown,
    write_manifest,
)
from pipeline.paths import Paths

NBSP = "\u00a0"


def _project(root: Path, gtei_t2: float, cohorts: dict[int, tuple[int, int]]) -> Paths:
    paths = Paths(root)
    paths.results.mkdir(parents=True)
    summary = {
        "as_of": "2019-06-30",
        "synthetic": True,
        "synthetic_cohorts": list(range(8)),
        "real_cohorts": [],
        "parameters": {"min_respondents": 3},
        "facts": {"groups": sum(g for g, _ in cohorts.values()), "leaders": 350},
        "effect": {"paired_groups": 31, "gtei_t1": 5.06, "gtei_t2": gtei_t2, "improved": 27},
        "evaluation": {"respondents": 177, "response_rate_pct": 67.04},
        "correlation": {"r": 0.64},
    }
    (paths.results / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    lines = ["kull,group_id,organisation,org_type,start_date,end_date,members"]
    for kull, (groups, leaders) in cohorts.items():
        sizes = [leaders // groups] * groups
        sizes[0] += leaders - sum(sizes)
        lines += [f"{kull},k{kull}-g{i},Org,direktorat,,,{n}" for i, n in enumerate(sizes)]
    (paths.results / "participants.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (paths.processed / "validation.json").write_text(
        json.dumps({"files": [{"path": "kull-00/groups.csv", "sha256": "ab" * 32, "rows": 4}]}),
        encoding="utf-8",
    )
    return paths


def test_key_figures_count_groups_and_leaders_per_cohort(tmp_path: Path) -> None:
    paths = _project(tmp_path, 5.49, {0: (4, 30), 1: (4, 29)})
    figures = key_figures(paths)
    assert figures["cohorts"] == {
        "0": {"groups": 4, "leaders": 30},
        "1": {"groups": 4, "leaders": 29},
    }
    assert figures["gtei_t2"] == 5.49


def test_change_summary_names_new_cohort_and_moved_figures() -> None:
    old = {"cohorts": {"16": {"groups": 4, "leaders": 30}}, "gtei_t2": 5.49, "groups": 63}
    new = {
        "cohorts": {"16": {"groups": 4, "leaders": 30}, "17": {"groups": 4, "leaders": 29}},
        "gtei_t2": 5.5101,
        "groups": 67,
    }
    lines = change_summary(old, new)
    assert "Kull 17 lagt til: 4 grupper, 29 ledere" in lines
    assert "GTEI t2: 5,49 → 5,51" in lines
    assert "Grupper: 63 → 67" in lines


def test_change_summary_names_only_what_moved_in_a_cohort() -> None:
    old = {"cohorts": {"0": {"groups": 4, "leaders": 36}, "1": {"groups": 4, "leaders": 28}}}
    new = {"cohorts": {"0": {"groups": 4, "leaders": 38}, "1": {"groups": 3, "leaders": 28}}}
    assert change_summary(old, new) == [
        "Kull 0 endret: 36 → 38 ledere",
        "Kull 1 endret: 4 → 3 grupper",
    ]


def test_change_summary_ignores_moves_below_the_shown_precision() -> None:
    old = {"cohorts": {}, "gtei_t2": 5.4901}
    new = {"cohorts": {}, "gtei_t2": 5.4899}
    assert change_summary(old, new) == ["Ingen av nøkkeltallene er endret siden forrige bygg."]


def test_change_summary_without_baseline() -> None:
    assert change_summary(None, {"groups": 1}) == ["Ingen tidligere bygg å sammenligne med."]


def test_manifest_is_deterministic_and_compares_with_previous_build(tmp_path: Path) -> None:
    paths = _project(tmp_path / "a", 5.49, {0: (4, 30)})
    (paths.book).mkdir()
    (paths.book / "index.html").write_text("<html></html>", encoding="utf-8")
    keep = tmp_path / "keep.json"
    write_manifest(paths, keep=keep)
    first = (paths.book / "build-manifest.json").read_bytes()
    lines = write_manifest(paths, keep=keep)
    assert (paths.book / "build-manifest.json").read_bytes() == first
    assert lines == ["Ingen av nøkkeltallene er endret siden forrige bygg."]
    manifest = json.loads(first)
    assert manifest["inputs"][0] == {
        "path": "data/raw/kull-00/groups.csv",
        "sha256": "ab" * 32,
        "rows": 4,
    }
    assert "_book/index.html" in manifest["outputs"]
    assert "_book/build-manifest.json" not in manifest["outputs"]
    assert manifest["parameters"] == {"as_of": "2019-06-30", "min_respondents": 3}


def test_baseline_overrides_the_kept_manifest(tmp_path: Path) -> None:
    old = _project(tmp_path / "old", 5.40, {0: (4, 30)})
    write_manifest(old, keep=tmp_path / "old.json")
    new = _project(tmp_path / "new", 5.49, {0: (4, 30), 17: (4, 29)})
    lines = write_manifest(new, baseline=old.book / "build-manifest.json", keep=tmp_path / "k.json")
    assert "Kull 17 lagt til: 4 grupper, 29 ledere" in lines
    assert "GTEI t2: 5,40 → 5,49" in lines
    assert (new.book / "endringer.md").read_text(encoding="utf-8").startswith("# Endringer")


@pytest.mark.parametrize(("dirty", "suffix"), [(False, "`abc`."), (True, "innsjekket).")])
def test_provenance_markdown_states_commit_and_parameters(
    tmp_path: Path, dirty: bool, suffix: str
) -> None:
    prov = build_manifest(_project(tmp_path, 5.49, {0: (4, 30)}))
    prov["code"] = {"commit": "abc", "dirty": dirty}
    text = provenance_markdown(prov)
    assert text.splitlines()[0].endswith(suffix)
    assert "`as_of` = 2019-06-30" in text
    assert "pandas" in text
    assert "- Datagrunnlag: kull 0–7 syntetiske data." in text
    assert prov["synthetic_cohorts"] == list(range(8)) and prov["real_cohorts"] == []


def test_data_description_states_a_mix() -> None:
    mixed = data_description([0, 1, 2, 5], [17])
    assert mixed == "kull 0–2, 5 syntetiske data; kull 17 virkelige svar"
    assert data_description([], [3]) == "kull 3 virkelige svar"
