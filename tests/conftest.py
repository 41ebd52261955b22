"""One real build of the report, in a copy of the project, shared by the end-to-end tests.

The copy keeps the repository clean while the tests build, and lets a second copy check
that two builds of the same sources give the same bytes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.build.workspace import copy_project

AS_OF = "2019-06-30"


BUILD_FIXTURES = frozenset({"built", "latest"})
"""Fixtures holding a built copy of the whole project: their tests are end-to-end."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers by where a test lives and what it uses, so no test has to remember them.

    ``e2e``: it builds the project (tests/e2e, or a built-copy fixture); these tests also
    share one xdist group, so with ``-n 2`` one worker builds the copy once for all of
    them. The Quarto lane runs where quarto is on PATH, and is skipped, saying why, elsewhere.
    """
    quarto = shutil.which("quarto")
    skip = pytest.mark.skip(reason="Quarto lane skipped: quarto is not on PATH (make test-quarto)")
    e2e_folder = Path(__file__).parent / "e2e"
    for item in items:
        if e2e_folder in item.path.parents or BUILD_FIXTURES & set(
            getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.e2e)
            item.add_marker(pytest.mark.xdist_group("project-build"))
        if "quarto" in item.keywords and not quarto:
            item.add_marker(skip)


@dataclass(frozen=True)
class Build:
    root: Path
    log: str

    def run(self, *args: str) -> subprocess.CompletedProcess[str]:
        return make(self.root, *args)


def make(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PIPELINE_ROOT": str(root),
        "SOURCE_DATE_EPOCH": "1561852800",  # 2019-06-30, fixed so copies agree
    }
    env.pop("MAKEFLAGS", None)
    return subprocess.run(
        ["make", "--no-print-directory", "SETUP=", *args],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def build_copy(target: Path) -> Build:
    root = copy_project(target)
    done = make(root, "report", f"AS_OF={AS_OF}", "RENDERER=builtin")
    log = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"make report failed in {root}:\n{log[-6000:]}")
    return Build(root, log)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    return build_copy(tmp_path_factory.mktemp("build-a"))
