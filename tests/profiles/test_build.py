"""Which profiles a build redoes, and the notebook that defines a profile."""

from __future__ import annotations

import ast
import dataclasses

import nbformat
import pandas as pd

from pipeline.paths import PATHS
from pipeline.profiles.build import NOTEBOOK, group_digests
from pipeline.profiles.data import Edition, programme_aggregates

PARAMS = {"as_of": "2019-06-30", "min_respondents": 3, "source_date_epoch": "0"}


def test_new_development_areas_change_that_group_alone(edition: Edition) -> None:
    before = group_digests(edition, "code", PARAMS)
    areas = pd.concat(
        [edition.development_areas, pd.DataFrame({"group_id": ["G3"], "factor": ["dialog"]})]
    )
    after = group_digests(dataclasses.replace(edition, development_areas=areas), "code", PARAMS)
    assert [g for g in before if before[g] != after[g]] == ["G3"]


def test_new_answers_move_the_programme_and_so_every_profile(edition: Edition) -> None:
    before = group_digests(edition, "code", PARAMS)
    changes = edition.changes.copy()
    changes.loc[changes["group_id"] == "G2", "mean1"] += 0.5
    moved = dataclasses.replace(
        edition, changes=changes, programme=programme_aggregates(changes, 3)
    )
    after = group_digests(moved, "code", PARAMS)
    assert all(before[g] != after[g] for g in before)


def test_code_and_parameters_change_every_digest(edition: Edition) -> None:
    base = group_digests(edition, "code", PARAMS)
    other_code = group_digests(edition, "code2", PARAMS)
    other_date = group_digests(edition, "code", {**PARAMS, "source_date_epoch": "1"})
    assert all(base[g] != other_code[g] != other_date[g] for g in base)


def test_notebook_is_thin_parameterised_and_without_outputs() -> None:
    notebook = nbformat.read(PATHS.notebooks / NOTEBOOK, as_version=4)
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    names = {t.id for node in ast.parse(tagged[0].source).body for t in node.targets}
    assert {"group_id", "as_of", "min_respondents"} <= names
    code = [c for c in notebook.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert all("def " not in c.source for c in code)  # logic lives in pipeline.profiles
