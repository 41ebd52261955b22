"""The per-cohort synthetic marker (DESIGN.md §10): synthetic only while the files match it."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from pipeline.data.marker import (
    MARKER,
    is_synthetic_cohort,
    is_synthetic_listing,
    parse_marker,
    write_marker,
)


@pytest.fixture
def cohort(tmp_path: Path) -> Path:
    folder = tmp_path / "kull-03"
    folder.mkdir()
    (folder / "groups.csv").write_bytes(b"group_id\nk03-g1\n")
    (folder / "members.csv").write_bytes(b"member_id,group_id\nm1,k03-g1\n")
    write_marker(folder, "made by a test")
    return folder


def test_marker_records_each_files_sha256(cohort: Path) -> None:
    text = (cohort / MARKER).read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# made by a test"
    expected = hashlib.sha256(b"group_id\nk03-g1\n").hexdigest()
    assert parse_marker(text) == {
        "groups.csv": expected,
        "members.csv": hashlib.sha256(b"member_id,group_id\nm1,k03-g1\n").hexdigest(),
    }
    assert is_synthetic_cohort(cohort)


def test_marker_is_sha256sum_format(cohort: Path) -> None:
    """Anyone can check a folder without the pipeline: ``sha256sum -c SYNTHETIC``."""
    done = subprocess.run(
        ["sha256sum", "-c", MARKER], cwd=cohort, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "groups.csv: OK" in done.stdout


def test_an_edited_file_makes_the_folder_real(cohort: Path) -> None:
    (cohort / "members.csv").write_bytes(b"member_id,group_id\nm1,k03-g1\nm2,k03-g1\n")
    assert not is_synthetic_cohort(cohort)


def test_an_extra_or_missing_file_makes_the_folder_real(cohort: Path) -> None:
    (cohort / "effect.csv").write_bytes(b"respondent_id\n")
    assert not is_synthetic_cohort(cohort)
    (cohort / "effect.csv").unlink()
    assert is_synthetic_cohort(cohort)
    (cohort / "groups.csv").unlink()
    assert not is_synthetic_cohort(cohort)


def test_hidden_files_and_spreadsheet_leftovers_do_not_count(cohort: Path) -> None:
    (cohort / ".DS_Store").write_bytes(b"\0")
    (cohort / "~$members.xlsx").write_bytes(b"lock")
    assert is_synthetic_cohort(cohort)


def test_no_marker_or_a_foreign_marker_is_real(cohort: Path) -> None:
    (cohort / MARKER).write_text("Synthetic, trust me\n", encoding="utf-8")
    assert not is_synthetic_cohort(cohort)
    (cohort / MARKER).unlink()
    assert not is_synthetic_cohort(cohort)
    assert not is_synthetic_listing(None, {"groups.csv": "0" * 64})
