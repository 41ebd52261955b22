"""No real data in git history: the pre-commit hook, the index check and validate's warning."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.data.guard import find_leaks
from pipeline.data.marker import marker_text, sha256_bytes
from pipeline.paths import PATHS
from tests.data.conftest import RawTree

GROUPS = b"group_id,kull\nk00-g1,0\n"
MEMBERS = b"member_id,group_id,gender,age\nk17-g1-m01,k17-g1,kvinne,57\n"
# Assembled here so that this file itself holds no key.
FAKE_KEY = "AGE-SECRET-KEY-1" + "Q" * 58


def _synthetic(files: dict[str, bytes], folder: str = "data/raw/kull-00") -> dict[str, bytes]:
    """A cohort's files plus a marker recording their digests."""
    digests = {name: sha256_bytes(data) for name, data in files.items()}
    marked = {f"{folder}/{name}": data for name, data in files.items()}
    return marked | {f"{folder}/SYNTHETIC": marker_text("test", digests).encode()}


def test_synthetic_and_encrypted_cohorts_pass() -> None:
    files = _synthetic({"groups.csv": GROUPS}) | {
        "data/raw/README.md": b"# raw\n",
        "data/raw/.gitkeep": b"",
        "data/raw/kull-17/members.csv.age": b"age-encryption.org/v1\n...",
    }
    assert find_leaks(files) == []


def test_plain_real_data_is_a_leak_wherever_it_is() -> None:
    files = _synthetic({"groups.csv": GROUPS}) | {
        "data/raw/kull-17/members.csv": MEMBERS,
        "data/raw/kull-17/groups.csv.age": b"age-encryption.org/v1\n",
        "data/raw/eksport.xlsx": b"PK",
        "data/decrypted/kull-17/members.csv": MEMBERS,
        "tests/fixtures/members.csv": MEMBERS,  # outside the data folders: not raw data
    }
    leaks = {leak.path: leak.reason for leak in find_leaks(files)}
    assert sorted(leaks) == ["data/decrypted/kull-17/members.csv", "data/raw/eksport.xlsx",
                             "data/raw/kull-17"]  # fmt: skip
    assert "(members.csv;" in leaks["data/raw/kull-17"]
    assert "python -m pipeline encrypt data/raw/kull-17" in leaks["data/raw/kull-17"]


def test_an_edited_synthetic_cohort_is_real() -> None:
    files = _synthetic({"groups.csv": GROUPS, "members.csv": MEMBERS})
    files["data/raw/kull-00/members.csv"] = MEMBERS + b"k00-g1-m02,k00-g1,mann,44\n"
    assert [leak.path for leak in find_leaks(files)] == ["data/raw/kull-00"]
    files = _synthetic({"groups.csv": GROUPS}) | {"data/raw/kull-00/members.csv": MEMBERS}
    assert [leak.path for leak in find_leaks(files)] == ["data/raw/kull-00"]  # an extra file


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Analytiker",
        "GIT_AUTHOR_EMAIL": "analytiker@example.org",
        "GIT_COMMITTER_NAME": "Analytiker",
        "GIT_COMMITTER_EMAIL": "analytiker@example.org",
    }
    return subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository with the project's hook and guard, and one synthetic cohort."""
    repo = tmp_path / "repo"
    shutil.copytree(PATHS.root / ".githooks", repo / ".githooks")
    for rel in ("__init__.py", "data/__init__.py", "data/marker.py", "data/guard.py"):
        (repo / "src/pipeline" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(PATHS.root / "src/pipeline" / rel, repo / "src/pipeline" / rel)
    for rel, data in _synthetic({"groups.csv": GROUPS}).items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_bytes(data)
    assert _git(repo, "init", "-q").returncode == 0
    assert _git(repo, "config", "core.hooksPath", ".githooks").returncode == 0
    _git(repo, "add", "-A")
    done = _git(repo, "commit", "-q", "-m", "synthetic data")
    assert done.returncode == 0, done.stderr
    return repo


def test_hook_refuses_a_real_cohort_in_the_clear(repo: Path) -> None:
    (repo / "data/raw/kull-17").mkdir()
    (repo / "data/raw/kull-17/members.csv").write_bytes(MEMBERS)
    _git(repo, "add", "data/raw/kull-17")

    done = _git(repo, "commit", "-m", "kull 17")

    assert done.returncode == 1
    assert "refused: data/raw/kull-17: a real cohort in the clear (members.csv;" in done.stderr
    assert "this commit is refused" in done.stderr
    assert _git(repo, "log", "--oneline").stdout.count("\n") == 1  # nothing was committed


def test_hook_lets_an_encrypted_cohort_through(repo: Path) -> None:
    (repo / "data/raw/kull-17").mkdir()
    (repo / "data/raw/kull-17/members.csv.age").write_bytes(b"age-encryption.org/v1\n-> X")
    _git(repo, "add", "data/raw/kull-17")

    done = _git(repo, "commit", "-q", "-m", "kull 17, encrypted")

    assert done.returncode == 0, done.stderr


def test_hook_refuses_an_edited_synthetic_cohort_and_a_key(repo: Path) -> None:
    (repo / "data/raw/kull-00/groups.csv").write_bytes(GROUPS + b"k00-g2,0\n")
    _git(repo, "add", "-A")
    done = _git(repo, "commit", "-m", "edit")
    assert done.returncode == 1 and "refused: data/raw/kull-00" in done.stderr

    _git(repo, "checkout", "HEAD", "--", "data/raw/kull-00")
    (repo / "notes.txt").write_text(f"key: {FAKE_KEY}\n", encoding="utf-8")
    _git(repo, "add", "-A")
    done = _git(repo, "commit", "-m", "notes")
    assert done.returncode == 1 and "refused: notes.txt: holds an age private key" in done.stderr


def test_validate_warns_about_a_tracked_real_cohort(
    raw_tree: RawTree, capsys: pytest.CaptureFixture
) -> None:
    root = raw_tree.root.parent.parent
    (raw_tree.root / "kull-01" / "SYNTHETIC").unlink()  # kull-01 is real data now
    assert _git(root, "init", "-q").returncode == 0
    assert main(["validate", str(raw_tree.root)]) == 0
    assert "warning" not in capsys.readouterr().err  # untracked: nothing in git yet

    _git(root, "add", "data/raw")
    assert main(["validate", str(raw_tree.root)]) == 0

    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: data/raw/kull-01: a real cohort in the clear")
    assert "(synthetic data: kull 0; real: kull 1)" in captured.out


def test_the_decrypted_working_folder_is_git_ignored() -> None:
    done = subprocess.run(
        ["git", "check-ignore", "-q", "data/decrypted/kull-17/members.csv"],
        cwd=PATHS.root,
        check=False,
    )
    assert done.returncode == 0


def test_guard_checks_the_files_of_a_folder_without_git(tmp_path: Path) -> None:
    """An unpacked archive has no index: CI's first step then checks what would be built."""
    shutil.copytree(PATHS.root / "src", tmp_path / "src")
    (tmp_path / "data/raw/kull-17").mkdir(parents=True)
    (tmp_path / "data/raw/kull-17/members.csv").write_bytes(MEMBERS)
    done = subprocess.run(
        ["python3", "-m", "pipeline.data.guard"],
        cwd=tmp_path,
        env={
            **os.environ,
            "PYTHONPATH": str(tmp_path / "src"),
            "GIT_CEILING_DIRECTORIES": str(tmp_path.parent),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr.startswith("refused: data/raw/kull-17: a real cohort in the clear")
    assert "nothing is built from it" in done.stderr


def test_ci_learns_whether_every_cohort_is_synthetic(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workflow uploads executed notebooks only when ``all_synthetic`` is true."""
    from pipeline.data.guard import main as guard

    output = tmp_path / "github_output"
    monkeypatch.setenv("GITHUB_OUTPUT", str(output))
    monkeypatch.chdir(repo)
    assert guard(["--github-output"]) == 0
    (repo / "data/raw/kull-17").mkdir()
    (repo / "data/raw/kull-17/members.csv.age").write_bytes(b"age-encryption.org/v1\n-> X")
    assert guard(["--github-output"]) == 0
    assert output.read_text(encoding="utf-8") == "all_synthetic=true\nall_synthetic=false\n"
