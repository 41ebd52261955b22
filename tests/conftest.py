"""One real build of the report, in a copy of the project, shared by the end-to-end tests.

The copy keeps the repository clean while the tests build, and lets a second copy check
that two builds of the same sources give the same bytes.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.build.workspace import copy_project

AS_OF = "2019-06-30"


BUILD_FIXTURES = frozenset({"built", "latest"})
"""Fixtures holding a built copy of the whole project: their tests are end-to-end."""

BUILD_GROUP = "project-build"
"""The xdist group of the tests that change the session's built copy or copy it (cp -a)."""

READ_GROUP = "project-build-readers"
READERS = (
    "tests/e2e/test_reproducible.py",
    "tests/e2e/test_report.py",
    "tests/e2e/test_edition_pdf.py",
    "tests/quality/test_accessibility.py",
)
"""Modules that only read the built copy: a second group, which the other worker runs while
the first changes the copy. test_reproducible comes first: it makes its own clean build
before it asks for the shared one, so neither worker waits for the other."""


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers by where a test lives and what it uses, so no test has to remember them.

    ``e2e``: it builds the project (tests/e2e, or a built-copy fixture). The Quarto lane
    runs where quarto is on PATH, and is skipped, saying why, elsewhere.

    xdist groups (``make test`` runs ``--dist loadgroup``): the tests on the session's built
    copy (``built``, made once per run) form two groups, those that change it and those that
    only read it (``READERS``), sent first to the two workers, being the longest; every
    other test is grouped with its module, so a module's fixtures (a synthetic tree, a
    rendered book, one run of a stage) are made once, not once per worker. The modules
    follow largest first (``--no-loadscope-reorder`` keeps this order). ``tryfirst``:
    pytest-xdist reads the group in its own hook of this name.
    """
    quarto = shutil.which("quarto")
    skip = pytest.mark.skip(reason="Quarto lane skipped: quarto is not on PATH (make test-quarto)")
    e2e_folder = Path(__file__).parent / "e2e"
    groups: dict[pytest.Item, str] = {}
    for item in items:
        module = item.nodeid.split("::")[0]
        on_built_copy = bool(BUILD_FIXTURES & set(getattr(item, "fixturenames", ())))
        if on_built_copy or e2e_folder in item.path.parents:
            item.add_marker(pytest.mark.e2e)
        if module in READERS:
            groups[item] = READ_GROUP
        else:
            groups[item] = BUILD_GROUP if on_built_copy else module
        item.add_marker(pytest.mark.xdist_group(groups[item]))
        if "quarto" in item.keywords and not quarto:
            item.add_marker(skip)
    first = {BUILD_GROUP: 0, READ_GROUP: 1}
    size = Counter(groups.values())
    order = {item: i for i, item in enumerate(items)}
    items.sort(
        key=lambda it: (
            first.get(groups[it], 2),
            -size[groups[it]],
            READERS.index(it.nodeid.split("::")[0]) if groups[it] == READ_GROUP else 0,
            order[it],
        )
    )


def pytest_collection_finish(session: pytest.Session) -> None:
    """Fails the run when pytest-xdist silently dropped the groups (pytest-xdist#1386: its
    loadgroup does nothing under pytest 9.2), since each worker would then build its own
    copy of the project and run part of the incremental chain on it."""
    if not getattr(session.config.option, "loadgroup", False):
        return
    lost = [item.nodeid for item in session.items if "@" not in item.nodeid]
    if lost:
        raise pytest.UsageError(
            f"pytest-xdist did not apply the xdist groups ({len(lost)} tests, e.g. {lost[0]}): "
            "this pytest and pytest-xdist do not work together (see requirements.lock)"
        )


NOTEBOOK_COMMANDS = frozenset({"ipykernel_launcher", "papermill"})
BUILD_TARGETS = frozenset({"report", "profiles", "profile"})
BUILD_COMMANDS = frozenset({"build", "run", "profiles"})
_markers: list[frozenset[str]] = [frozenset({"e2e", "notebook"})]
"""The running test's e2e/notebook markers; outside a test everything is allowed."""


def _needs(argv: list[str]) -> str | None:
    """Which marker a command needs: a kernel or papermill is ``notebook``, a build ``e2e``."""
    words = [os.path.basename(a) for a in argv]
    if NOTEBOOK_COMMANDS & set(words):
        return "notebook"
    if words[:1] == ["make"] and BUILD_TARGETS & set(words[1:]):
        return "e2e"
    if words[1:3] == ["-m", "pipeline"] and BUILD_COMMANDS & set(words[3:4]):
        return "e2e"
    return None


def _guard(event: str, args: tuple) -> None:
    """Audit hook: a test that starts a kernel or a build must carry the marker saying so,
    so that make test-fast (``-m "not e2e and not notebook"``) never does either."""
    if event != "subprocess.Popen":
        return
    argv = [args[1]] if isinstance(args[1], (str, bytes, os.PathLike)) else list(args[1])
    needed = _needs([os.fsdecode(a) for a in argv])
    if needed and needed not in _markers[-1] and "e2e" not in _markers[-1]:
        raise RuntimeError(
            f"this test runs {' '.join(map(os.fsdecode, argv))[:160]} but is not marked "
            f"{needed} (tests/conftest.py: builds are e2e, kernels and papermill notebook)"
        )


sys.addaudithook(_guard)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Iterator[object]:
    """Sets the markers ``_guard`` checks for the whole test, its fixtures' setup included."""
    _markers.append(frozenset(m for m in ("e2e", "notebook") if item.get_closest_marker(m)))
    try:
        return (yield)
    finally:
        _markers.pop()


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
    """One build for the whole run: the first worker to need it builds it, under a lock in
    the folder all workers of the run share; the other waits for it, then reads it."""
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if "PYTEST_XDIST_WORKER" in os.environ else base
    with (shared / "build-a.lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        log = shared / "build-a.log"
        if log.is_file():
            return Build(shared / "build-a", log.read_text(encoding="utf-8"))
        build = build_copy(shared / "build-a")
        log.write_text(build.log, encoding="utf-8")
        return build
