"""Two clean builds of the same sources give the same bytes (DESIGN.md section 7)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conftest import Build, build_copy

COMPARED = ("data/processed", "report/_generated", "_book")


def hashes(root: Path) -> dict[str, str]:
    return {
        f.relative_to(root).as_posix(): hashlib.sha256(f.read_bytes()).hexdigest()
        for folder in COMPARED
        for f in sorted((root / folder).rglob("*"))
        if f.is_file()
    }


def test_two_clean_builds_are_byte_identical(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> None:
    """The second build comes first: under xdist, the other worker may still be making the
    shared one (``built``, tests/conftest.py), and this one need not wait for it."""
    second = build_copy(tmp_path_factory.mktemp("build-b"))
    built: Build = request.getfixturevalue("built")
    first_hashes, second_hashes = hashes(built.root), hashes(second.root)
    assert len(first_hashes) > 40
    assert "_book/konstruktiv-uro.pdf" in first_hashes
    assert sorted(first_hashes) == sorted(second_hashes)
    differing = [name for name in first_hashes if first_hashes[name] != second_hashes[name]]
    assert differing == []
