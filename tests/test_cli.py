"""The command line: exit codes and messages a user sees."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main


def _tree_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for f in sorted(root.rglob("*")):
        if f.is_file():
            digest.update(f.relative_to(root).as_posix().encode())
            digest.update(f.read_bytes())
    return digest.hexdigest()


def test_help_lists_the_commands() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline", "--help"], capture_output=True, text=True, check=True
    )
    for command in ("synth", "validate", "run", "render", "provenance", "manifest"):
        assert command in done.stdout


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth") / "raw"
    assert main(["synth", "--out", str(out), "--seed", "7"]) == 0
    return out


def test_synth_then_validate_succeeds(synthetic: Path, capsys: pytest.CaptureFixture) -> None:
    capsys.readouterr()
    assert main(["validate", str(synthetic)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("OK: 16 cohorts, 63 groups")
    assert "synthetic" in out


def test_synth_is_deterministic_for_a_seed(synthetic: Path, tmp_path: Path) -> None:
    again = tmp_path / "raw"
    assert main(["synth", "--out", str(again), "--seed", "7"]) == 0
    assert _tree_hash(again) == _tree_hash(synthetic)


def test_validate_lists_problems_and_exits_1(
    synthetic: Path, tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    broken = tmp_path / "raw"
    broken.mkdir()
    for folder in ("kull-00", "kull-01"):
        (broken / folder).mkdir()
        for f in (synthetic / folder).iterdir():
            (broken / folder / f.name).write_bytes(f.read_bytes())
    effect = broken / "kull-01" / "effect.csv"
    lines = effect.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("dialog")] = "9"
    lines[1] = ",".join(row)
    effect.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = _tree_hash(broken)
    capsys.readouterr()
    assert main(["validate", str(broken)]) == 1
    err = capsys.readouterr().err
    assert "kull-01/effect.csv:2:dialog" in err
    assert "'9'" in err
    assert _tree_hash(broken) == before


def test_run_refuses_a_parameter_no_notebook_declares(capsys: pytest.CaptureFixture) -> None:
    assert main(["run", "-p", "as_off", "2019-06-30"]) == 1
    assert "as_off" in capsys.readouterr().err
