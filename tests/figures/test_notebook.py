"""notebooks/03_figures.ipynb: committed clean, parameterised, and runnable by papermill."""

from __future__ import annotations

import ast
from pathlib import Path

import nbformat
import papermill as pm
import pytest

from pipeline.paths import PATHS

NOTEBOOK = PATHS.notebooks / "03_figures.ipynb"


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    return nbformat.read(NOTEBOOK, as_version=4)


def test_notebook_is_committed_without_outputs(notebook):
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, cell.id


def test_parameters_cell_holds_literals_only(notebook):
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1
    assignments = ast.parse(tagged[0].source).body
    assert {a.targets[0].id: ast.literal_eval(a.value) for a in assignments} == {
        "processed_dir": "data/processed",
        "generated_dir": "report/_generated",
    }


@pytest.mark.notebook
def test_notebook_runs_with_papermill(results_dir: Path, tmp_path: Path):
    processed = tmp_path / "processed"
    processed.mkdir()
    (processed / "results").symlink_to(results_dir)
    executed = pm.execute_notebook(
        str(NOTEBOOK),
        str(tmp_path / "executed.ipynb"),
        parameters={"processed_dir": str(processed), "generated_dir": str(tmp_path / "gen")},
        cwd=str(PATHS.root),
        kernel_name="python3",
        progress_bar=False,
    )
    shown = [
        o for c in executed.cells for o in c.get("outputs", []) if "image/png" in o.get("data", {})
    ]
    assert len(shown) == 7
    assert (tmp_path / "gen" / "figures.yml").is_file()
