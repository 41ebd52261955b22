"""One source of truth for defaults: where a default must be written out as a literal (a
notebook's ``parameters`` cell for papermill, the Makefile, the CLI's parser), it equals the
Python definition it stands for."""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from pipeline import cli
from pipeline.data.synth import targets
from pipeline.paths import PATHS
from pipeline.stats import params

DEFINED = {
    "raw_dir": PATHS.raw.relative_to(PATHS.root).as_posix(),
    "processed_dir": PATHS.processed.relative_to(PATHS.root).as_posix(),
    "generated_dir": PATHS.generated.relative_to(PATHS.root).as_posix(),
    "cohorts": params.ALL_COHORTS,
    "min_respondents": params.MIN_RESPONDENTS,
    "positive_threshold": params.POSITIVE_THRESHOLD,
    "reliability": params.RELIABILITY,
    "confidence": params.CONFIDENCE,
    "clear_change_z": params.CLEAR_CHANGE_Z,
}
"""Notebook parameter → the Python definition of its default."""
UNDEFINED = {"as_of", "allow_future", "group_id", "profiles_dir"}
"""Parameters whose default is the notebook's own (today, off, an example group, the
profiles' folder that only the profile notebook and its runner name)."""


def _parameters(name: str) -> dict[str, object]:
    notebook = nbformat.read(PATHS.notebooks / name, as_version=4)
    cell = next(c for c in notebook.cells if "parameters" in c.metadata.get("tags", []))
    body = ast.parse(cell.source).body
    return {n.targets[0].id: ast.literal_eval(n.value) for n in body if isinstance(n, ast.Assign)}


@pytest.mark.parametrize("name", sorted(p.name for p in PATHS.notebooks.glob("*.ipynb")))
def test_notebook_parameter_defaults_are_the_python_ones(name: str) -> None:
    values = _parameters(name)
    assert set(values) <= set(DEFINED) | UNDEFINED, sorted(set(values) - set(DEFINED) - UNDEFINED)
    assert {k: v for k, v in values.items() if k in DEFINED} == {
        k: DEFINED[k] for k in values if k in DEFINED
    }


def _make_default(variable: str) -> str:
    text = (PATHS.root / "Makefile").read_text(encoding="utf-8")
    found = re.search(rf"^{variable} \?= (.*)$", text, flags=re.MULTILINE)
    assert found, variable
    return found.group(1).strip()


def test_makefile_defaults_are_the_python_ones() -> None:
    assert _make_default("COHORTS") == params.ALL_COHORTS
    assert _make_default("RENDERER") == cli.RENDERERS[0]
    assert _make_default("PORT") == str(cli.PORT)


def test_cli_renderers_are_the_render_package_ones() -> None:
    from pipeline.render import RENDERERS

    assert cli.RENDERERS == RENDERERS


def test_synthetic_data_are_calibrated_at_the_default_settings() -> None:
    """The generator aims at the 2019 report's counts, which used the same settings."""
    assert targets.MIN_RESPONDENTS == params.MIN_RESPONDENTS
    assert targets.POSITIVE_THRESHOLD == params.POSITIVE_THRESHOLD
    assert targets.GTEI.reliability == params.RELIABILITY
