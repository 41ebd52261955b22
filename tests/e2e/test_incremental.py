"""Builds you can trust, in one copy of the project built once (DESIGN.md section 7).

Nothing reruns after a build; a prose edit reruns only the render; a cohort unzipped or
copied with old modification times is in the report and a deleted one is gone; a second
concurrent build waits; Ctrl-C during the render keeps the previous book; a ``cp -a`` copy
builds into itself. The tests run in file order and share the copy, to keep `make test`
short: each leaves the copy built and up to date for the next.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.conftest import Build, make

LATEST = "AS_OF=2022-06-30"
ARGS = ("report", LATEST, "RENDERER=builtin")
PAGES = 12  # Sammendrag, Kolofon, five chapters, Kilder, four appendices
CHAPTER = "_book/report/02-toppledergrupper.html"
DEBRIS = ("._book.old", "._book.rendering", "build/staging", "data/.processed.old")
OLD = time.mktime((2001, 1, 1, 0, 0, 0, 0, 0, -1))


@pytest.fixture(scope="module")
def latest(built: Build, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The session's built copy, copied with ``cp -a`` and brought to the latest edition:
    an incremental build (the clean stage is reused), not a second clean build."""
    root = tmp_path_factory.mktemp("build-latest") / "project"
    subprocess.run(["cp", "-a", str(built.root), str(root)], check=True)
    done = make(root, *ARGS)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return Build(root, done.stdout + done.stderr)


def _tree(root: Path) -> dict[str, str]:
    """Every file's SHA-256 (the linked venv aside)."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and ".venv" not in p.relative_to(root).parts
    }


def _book(root: Path) -> dict[str, str]:
    return {k: v for k, v in _tree(root).items() if k.startswith("_book/")}


def _complete(root: Path) -> None:
    book = root / "_book"
    assert len(list(book.rglob("*.html"))) == PAGES
    for name in ("konstruktiv-uro.pdf", "build-manifest.json", "endringer.md"):
        assert (book / name).is_file(), name
    for rel in DEBRIS:
        assert not (root / rel).exists(), rel


def _edit_prose(root: Path, text: str) -> None:
    chapter = root / "report" / "02-toppledergrupper.qmd"
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")


def _start(root: Path, log: Path, *args: str) -> subprocess.Popen[bytes]:
    """``make`` in its own process group, as a terminal runs it (Ctrl-C reaches the group)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1561852800"}
    env.pop("MAKEFLAGS", None)
    env.pop("PIPELINE_ROOT", None)
    with log.open("wb") as out:
        return subprocess.Popen(
            ["make", "--no-print-directory", "SETUP=", *args],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def test_a_second_make_does_nothing(latest: Build) -> None:
    """How quickly is benchmarks/floor.py's no-op figure: a timed test fails on a busy machine."""
    _complete(latest.root)
    again = make(latest.root, *ARGS)
    log = again.stdout + again.stderr
    assert again.returncode == 0, log
    assert "report is up to date" in log
    assert "done in" not in log and "rendered" not in log


def test_editing_prose_reruns_only_the_render(latest: Build) -> None:
    _edit_prose(latest.root, "Et nytt avsnitt.")
    done = make(latest.root, *ARGS)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "rendered" in log
    assert "[clean]" not in log and "[statistics]" not in log
    assert "Et nytt avsnitt." in (latest.root / CHAPTER).read_text(encoding="utf-8")


def test_editing_index_qmd_reruns_the_render(latest: Build) -> None:
    """index.qmd lives beside _quarto.yml, not in report/: the render's inputs come from
    _quarto.yml's chapter list, so an edit there is seen like any chapter's."""
    index = latest.root / "index.qmd"
    index.write_text(index.read_text(encoding="utf-8") + "\nEn ny setning i sammendraget.\n")
    done = make(latest.root, *ARGS)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-3000:]
    assert "rendered" in log
    assert "[clean]" not in log and "[statistics]" not in log and "[figures]" not in log
    html = (latest.root / "_book" / "index.html").read_text(encoding="utf-8")
    assert "En ny setning i sammendraget." in html


def test_ctrl_c_during_the_render_keeps_the_previous_book(latest: Build, tmp_path: Path) -> None:
    before = _book(latest.root)
    _edit_prose(latest.root, "Et avsnitt som aldri blir ferdig.")
    proc = _start(latest.root, tmp_path / "make.log", *ARGS)
    deadline = time.monotonic() + 120
    while not (latest.root / "._book.rendering").exists():
        assert proc.poll() is None, (tmp_path / "make.log").read_text(encoding="utf-8")
        assert time.monotonic() < deadline, "the render never started"
        time.sleep(0.05)
    time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGINT)
    proc.wait(timeout=60)
    log = (tmp_path / "make.log").read_text(encoding="utf-8")
    assert proc.returncode != 0
    assert "interrupted: the previous outputs are left as they were" in log, log
    assert "Traceback" not in log, log
    assert _book(latest.root) == before
    _complete(latest.root)
    # The interrupted render is not recorded as done: the next build renders the edit.
    done = make(latest.root, *ARGS)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    assert "Et avsnitt som aldri blir ferdig." in (latest.root / CHAPTER).read_text("utf-8")


def test_a_concurrent_second_build_waits_and_both_succeed(latest: Build, tmp_path: Path) -> None:
    # Its own edit, so the first build has a render to do whatever ran before this test.
    _edit_prose(latest.root, "Et avsnitt fra den første av to samtidige bygg.")
    lock = latest.root / "build" / "build.lock"
    first = _start(latest.root, tmp_path / "first.log", *ARGS)
    while not (lock.is_file() and lock.read_text(encoding="utf-8").strip()):
        assert first.poll() is None, (tmp_path / "first.log").read_text(encoding="utf-8")
        time.sleep(0.05)
    second = _start(latest.root, tmp_path / "second.log", *ARGS)
    first.wait(timeout=600)
    second.wait(timeout=600)
    logs = [(tmp_path / f"{n}.log").read_text(encoding="utf-8") for n in ("first", "second")]
    assert (first.returncode, second.returncode) == (0, 0), "\n".join(logs)
    assert "rendered" in logs[0]
    assert "waiting for the build already running in" in logs[1]
    assert "report is up to date" in logs[1]
    _complete(latest.root)
    html = (latest.root / CHAPTER).read_text(encoding="utf-8")
    assert "Et avsnitt fra den første av to samtidige bygg." in html


def test_a_cp_a_copy_builds_into_itself(latest: Build, tmp_path: Path) -> None:
    copy = tmp_path / "kopi"
    subprocess.run(["cp", "-a", str(latest.root), str(copy)], check=True)
    original = _tree(latest.root)
    _edit_prose(copy, "Bare i kopien.")
    proc = _start(copy, tmp_path / "copy.log", *ARGS)
    proc.wait(timeout=600)
    log = (tmp_path / "copy.log").read_text(encoding="utf-8")
    assert proc.returncode == 0, log[-3000:]
    assert "rendered" in log and "[clean]" not in log
    assert "Bare i kopien." in (copy / CHAPTER).read_text("utf-8")
    assert _tree(latest.root) == original


def _replace_cohort(raw: Path, source: str, target: str) -> None:
    """kull-``target`` from kull-``source``'s files with new ids, as an old archive would
    unpack it (modification times in 2001); then kull-``source`` is deleted."""
    old, new = int(source), int(target)
    folder = raw / f"kull-{target}"
    folder.mkdir()
    for csv in sorted((raw / f"kull-{source}").glob("*.csv")):
        text = csv.read_text(encoding="utf-8").replace(f"k{source}-", f"k{target}-")
        if csv.name == "groups.csv":
            text = re.sub(rf"^(k{target}-g\d+),{old},", rf"\1,{new},", text, flags=re.M)
        (folder / csv.name).write_text(text, encoding="utf-8")
    for path in (folder, *folder.iterdir()):
        os.utime(path, (OLD, OLD))
    shutil.rmtree(raw / f"kull-{source}")


def test_a_cohort_with_old_mtimes_is_in_the_report_and_a_deleted_one_gone(
    latest: Build,
) -> None:
    _replace_cohort(latest.root / "data" / "raw", "16", "17")
    done = make(latest.root, *ARGS)
    log = done.stdout + done.stderr
    assert done.returncode == 0, log[-4000:]
    for stage in ("[clean] done", "[statistics] done", "[figures] done", "rendered"):
        assert stage in log
    changes = (latest.root / "_book" / "endringer.md").read_text(encoding="utf-8")
    assert re.search(r"Kull 17 lagt til: 4 grupper, \d+ ledere", changes), changes
    assert "Kull 16 fjernet: 4 grupper" in changes, changes
    participants = (latest.root / "report/_generated/tables/_deltakere.md").read_text("utf-8")
    kull = {line.split("|")[1].strip() for line in participants.splitlines()[2:] if "|" in line}
    assert "17" in kull and "16" not in kull
    html = " ".join(p.read_text(encoding="utf-8") for p in (latest.root / "_book").rglob("*.html"))
    row = r"<td[^>]*>{}</td>\s*<td[^>]*>[^<]+</td>\s*<td[^>]*>(?:Direktorat|Departement)</td>"
    assert re.search(row.format(17), html) and not re.search(row.format(16), html)
    _complete(latest.root)
