"""notebooks/02_statistics.ipynb: literal parameters, no outputs, and it runs under papermill."""

from __future__ import annotations

import ast
import inspect
import json
import subprocess
import sys
from dataclasses import fields
from pathlib import Path

import nbformat
import pytest

from pipeline.paths import PATHS
from pipeline.stats.params import StatsParams, make_params

NOTEBOOK = PATHS.notebooks / "02_statistics.ipynb"
PARAMETERS = {
    "processed_dir": "data/processed",
    "generated_dir": "report/_generated",
    "cohorts": "all",
    "as_of": "",
    "allow_future": False,
    "min_respondents": 3,
    "positive_threshold": 0.1,
    "reliability": 0.90,
    "confidence": 0.95,
    "clear_change_z": 1.96,
}
MIRRORED = ("min_respondents", "positive_threshold", "reliability", "confidence", "clear_change_z")
"""StatsParams fields the parameters cell repeats as literals."""
PARSED = ("as_of", "as_of_future", "cohorts")
"""StatsParams fields make_params derives from the cell's text (as_of, allow_future, cohorts)."""


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_parameters_cell_holds_literals_only(notebook) -> None:
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    values = {}
    for node in ast.parse(tagged[0].source).body:
        assert isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        values[node.targets[0].id] = node.value.value
    assert values == PARAMETERS


def test_parameters_cell_mirrors_stats_params(notebook) -> None:
    """One typed parameter object: every tunable StatsParams field is a notebook parameter
    with the same default, and make_params accepts every notebook parameter."""
    tagged = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    values = {
        node.targets[0].id: node.value.value
        for node in ast.parse(tagged.source).body
        if isinstance(node, ast.Assign)
    }
    defaults = {f.name: f.default for f in fields(StatsParams) if f.name not in PARSED}
    assert set(defaults) == set(MIRRORED)
    assert {name: values[name] for name in MIRRORED} == defaults
    accepted = set(inspect.signature(make_params).parameters)
    assert set(values) - {"processed_dir", "generated_dir"} == accepted


def test_committed_notebook_has_no_outputs(notebook) -> None:
    nbformat.validate(notebook)
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None


def _execute(processed_dir: Path, out: Path, *params: str) -> dict:
    """Runs the notebook with the papermill CLI, as ``-p NAME VALUE`` pairs arrive from make."""
    out.mkdir(parents=True)
    generated = out / "generated"
    args = ["-p", "processed_dir", str(processed_dir), "-p", "generated_dir", str(generated)]
    for name, value in zip(params[::2], params[1::2], strict=True):
        args += ["-p", name, value]
    command = [sys.executable, "-m", "papermill", str(NOTEBOOK), str(out / "executed.ipynb")]
    done = subprocess.run(
        [*command, *args, "-k", "python3", "--cwd", str(PATHS.root), "--no-progress-bar"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert (generated / "_variables.yml").exists()
    return json.loads((processed_dir / "results" / "summary.json").read_text(encoding="utf-8"))


@pytest.mark.notebook
def test_as_of_through_papermill_changes_the_edition(processed_dir: Path, tmp_path: Path) -> None:
    later = _execute(processed_dir, tmp_path / "later", "as_of", "2019-06-30")
    earlier = _execute(processed_dir, tmp_path / "earlier", "as_of", "2018-06-30")
    assert later["as_of"] == "2019-06-30" and earlier["as_of"] == "2018-06-30"
    assert earlier["effect"]["paired_groups"] < later["effect"]["paired_groups"]
    assert earlier["facts"]["groups"] < later["facts"]["groups"]
    executed = nbformat.read(tmp_path / "earlier" / "executed.ipynb", as_version=4)
    shown = "".join(
        o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs
    )
    assert "8 parede grupper av 8 avsluttede per 2018-06-30" in shown
