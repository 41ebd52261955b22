"""The papermill runner: parameter routing and failure messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import nbformat
import pytest

from pipeline.build.runner import (
    STAGES,
    Stage,
    clear_namespace,
    coerce,
    declared_parameters,
    execute_stage,
    parameters_for,
    shared_kernel,
    stage,
    unknown_parameters,
)
from pipeline.errors import StageError
from pipeline.paths import PATHS, Paths

HERE = Path(__file__).parent / "notebooks"


@pytest.fixture
def project(tmp_path: Path) -> Paths:
    (tmp_path / "notebooks").mkdir()
    for nb in HERE.glob("*.ipynb"):
        shutil.copy(nb, tmp_path / "notebooks" / nb.name)
    return Paths(tmp_path)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("3", 3), ("0.1", 0.1), ("2019-06-30", "2019-06-30"), ("all", "all"), ("0,1,2", "0,1,2")],
)
def test_coerce_reads_values_like_papermill(text: str, expected: object) -> None:
    assert coerce(text) == expected
    assert type(coerce(text)) is type(expected)


def test_parameters_go_only_to_notebooks_that_declare_them() -> None:
    nb = HERE / "ok.ipynb"
    assert declared_parameters(nb) == {"value", "label"}
    got = parameters_for(nb, {"label": "b", "raw_dir": "/x"}, {"value": 5, "as_of": "2019-06-30"})
    assert got == {"label": "b", "value": 5}


@pytest.mark.notebook
def test_execute_stage_writes_executed_copy(project: Paths) -> None:
    out = execute_stage(Stage("ok", "ok.ipynb"), {"value": 21}, project, progress=False)
    assert out == project.executed_notebooks / "ok.ipynb"
    assert (project.root / "result.txt").read_text() == "a:42"


@pytest.mark.notebook
def test_failing_cell_is_named(project: Paths) -> None:
    with pytest.raises(StageError) as err:
        execute_stage(Stage("bad", "fail.ipynb"), {"value": 7}, project, progress=False)
    message = str(err.value)
    assert "fail.ipynb" in message
    assert "ValueError" in message
    assert "broken on purpose: 7" in message
    assert "cell" in message


def test_unknown_stage_is_refused() -> None:
    with pytest.raises(StageError, match="unknown stage"):
        stage("publish")


def test_every_stage_notebook_has_a_parameters_cell() -> None:
    for s in STAGES:
        assert "processed_dir" in declared_parameters(PATHS.notebooks / s.notebook), s.notebook


def test_makefile_parameters_are_declared_by_the_notebooks() -> None:
    """papermill only warns about unknown names, so a typo in the Makefile would pass silently."""
    makefile = (PATHS.root / "Makefile").read_text(encoding="utf-8")
    passed = set(re.findall(r"-p (\w+) \$", makefile))
    assert passed == {"as_of", "cohorts"}
    assert not unknown_parameters(dict.fromkeys(passed, ""))
    assert passed <= declared_parameters(PATHS.notebooks / stage("statistics").notebook)


def test_unknown_parameters_are_reported() -> None:
    assert unknown_parameters({"as_of": "", "min_respondent": 4}) == ["min_respondent"]


@pytest.mark.notebook
def test_stages_share_one_kernel_but_not_their_variables(project: Paths) -> None:
    code = (
        "import os\nfrom pathlib import Path\n"
        "Path(f'probe-{value}.txt').write_text(f\"{os.getpid()} {'label' in globals()}\")"
    )
    probe = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell("value = 0", metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(code),
        ],
        metadata={
            "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"}
        },
    )
    nbformat.write(probe, project.notebooks / "probe.ipynb")
    with shared_kernel() as km:
        execute_stage(Stage("ok", "ok.ipynb"), {"value": 21}, project, False, km)
        execute_stage(Stage("probe", "probe.ipynb"), {"value": 1}, project, False, km)
        clear_namespace(km, project.root)
        execute_stage(Stage("probe", "probe.ipynb"), {"value": 2}, project, False, km)
    first, second = ((project.root / f"probe-{n}.txt").read_text().split() for n in (1, 2))
    assert first[0] == second[0], "the second notebook ran in another kernel"
    assert (first[1], second[1]) == ("True", "False")
    assert not km.has_kernel
