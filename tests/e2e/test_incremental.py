"""make reruns only what changed: nothing after a build, the render after a prose edit,
and everything downstream of the data (with a change summary) when a cohort is added."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from pipeline.build.workspace import copy_project
from tests.conftest import Build, make

LATEST = "AS_OF=2022-06-30"
ARGS = ("report", LATEST, "RENDERER=builtin")


@pytest.fixture(scope="module")
def latest(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = copy_project(tmp_path_factory.mktemp("build-latest"))
    done = make(root, *ARGS)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return Build(root, done.stdout + done.stderr)


def _age_everything(root: Path) -> None:
    """Pushes every file's mtime a little into the past, so a later edit is surely newer."""
    past = time.time() - 60
    for path in root.rglob("*"):
        if path.is_file() and ".venv" not in path.parts:
            os.utime(path, (past, past))
    for stamp in sorted((root / "build" / "stamps").iterdir()):
        os.utime(stamp, (past + 30, past + 30))


def test_the_latest_edition_covers_all_cohorts(latest: Build) -> None:
    assert "[statistics] done" in latest.log
    text = (latest.root / "_book" / "index.html").read_text(encoding="utf-8")
    assert "30. juni 2022" in text


def test_a_second_make_does_nothing(latest: Build) -> None:
    question = make(latest.root, "-q", "build/stamps/manifest", LATEST, "RENDERER=builtin")
    assert question.returncode == 0, question.stdout + question.stderr
    again = make(latest.root, *ARGS)
    assert again.returncode == 0
    assert "done in" not in again.stdout + again.stderr
    assert "rendered" not in again.stdout + again.stderr


def test_editing_prose_reruns_only_the_render(latest: Build) -> None:
    _age_everything(latest.root)
    chapter = latest.root / "report" / "02-toppledergrupper.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    plan = make(latest.root, "-n", *ARGS).stdout
    assert "pipeline render" in plan
    assert "--stage" not in plan


def _add_cohort(raw: Path, source: str, target: str) -> None:
    old, new = int(source), int(target)
    folder = raw / f"kull-{target}"
    folder.mkdir()
    for csv in sorted((raw / f"kull-{source}").glob("*.csv")):
        text = csv.read_text(encoding="utf-8").replace(f"k{source}-", f"k{target}-")
        if csv.name == "groups.csv":
            text = re.sub(rf"^(k{target}-g\d+),{old},", rf"\1,{new},", text, flags=re.M)
        (folder / csv.name).write_text(text, encoding="utf-8")


def test_a_new_cohort_reruns_the_data_stages_and_reports_what_moved(latest: Build) -> None:
    _add_cohort(latest.root / "data" / "raw", "16", "17")
    done = make(latest.root, *ARGS)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    for stage in ("[clean] done", "[statistics] done", "[figures] done", "rendered"):
        assert stage in log
    assert re.search(r"Kull 17 lagt til: 4 grupper, \d+ ledere", log), log[-2000:]
    assert re.search(r"Grupper: 63 → 67", log), log[-2000:]
    changes = (latest.root / "_book" / "endringer.md").read_text(encoding="utf-8")
    assert "Kull 17 lagt til" in changes
