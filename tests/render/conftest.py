"""Fixtures for the renderer tests: a fresh copy of the fixture book, rendered once per module."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.render import RenderResult, render

FIXTURE = Path(__file__).parents[1] / "fixtures" / "book"
TIMESTAMP = 1_717_113_600  # 2024-05-31T00:00:00Z


RENDER = Path(__file__).parents[2] / "src" / "pipeline" / "render"
SHARED = ("filters", "partials", "assets")
"""What _quarto.yml names from the package: filters, Typst partials, the cover note."""


def copy_book(target: Path) -> Path:
    """The fixture book in a writable place (rendering writes _variables.yml and _book/).

    The project's shared filters and partials are copied to where the real project keeps
    them, so the fixture's ``_quarto.yml`` names the same paths as the report's.
    """
    shutil.copytree(FIXTURE, target)
    for name in SHARED:
        shutil.copytree(RENDER / name, target / "src" / "pipeline" / "render" / name)
    return target


@pytest.fixture
def make_book(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Fresh copies of the fixture book, named inside this test's tmp_path."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    return lambda name: copy_book(tmp_path / name)


@pytest.fixture
def book(make_book: Callable[[str], Path]) -> Path:
    return make_book("book")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        root = copy_book(tmp_path_factory.mktemp("rendered") / "book")
        return render(root, renderer="builtin", timestamp=TIMESTAMP)
