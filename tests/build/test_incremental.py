"""Content digests, the build lock and whole-folder swaps, without running a notebook."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pipeline.build.digest import hash_files, notebook_parameters
from pipeline.build.incremental import check_cohorts, resolve_parameters
from pipeline.build.inputs import DATA_STAGES, book_sources, data_stage_records
from pipeline.build.lock import build_lock
from pipeline.build.staging import previous_book_kept, recover, retired, staged_outputs
from pipeline.build.workspace import copy_project
from pipeline.errors import BuildBusyError, PipelineError
from pipeline.paths import PATHS, Paths, find_root

DECLARED = {s.name: notebook_parameters(PATHS.notebooks / s.notebook) for s in DATA_STAGES}


@pytest.fixture
def project(tmp_path: Path) -> Paths:
    """The files the digests read: notebooks, code, reference data, two cohorts, the book."""
    root = tmp_path / "project"
    for rel in ("notebooks", "src/pipeline", "data/reference", "report"):
        shutil.copytree(PATHS.root / rel, root / rel, ignore=shutil.ignore_patterns("_*", ".*"))
    for rel in ("_quarto.yml", "index.qmd"):
        shutil.copy(PATHS.root / rel, root / rel)
    for kull in ("kull-00", "kull-01"):
        shutil.copytree(PATHS.raw / kull, root / "data" / "raw" / kull)
    return Paths(root)


def _digests(paths: Paths, params: dict[str, object] | None = None) -> dict[str, str]:
    from pipeline.build.digest import combine

    records = data_stage_records(paths, params or {"as_of": "2019-06-30"}, DECLARED)
    return {name: combine(record) for name, record in records.items()}


def test_notebook_parameters_are_read_without_papermill() -> None:
    assert DECLARED["clean"] == {"raw_dir", "processed_dir"}
    assert {"as_of", "cohorts", "allow_future", "min_respondents"} <= DECLARED["statistics"]
    assert "as_of" not in DECLARED["figures"]


def test_a_cohort_copied_with_old_mtimes_changes_the_digests(project: Paths) -> None:
    before = _digests(project)
    copy = shutil.copytree(project.raw / "kull-01", project.raw / "kull-02")  # copy2 keeps mtimes
    old = time.time() - 10 * 365 * 86400
    for path in copy.rglob("*"):
        os.utime(path, (old, old))
    added = _digests(project)
    assert all(added[name] != before[name] for name in before)

    shutil.rmtree(copy)
    assert _digests(project) == before


def test_a_renamed_file_with_the_same_bytes_is_a_change(project: Paths) -> None:
    files = sorted(project.raw.rglob("*.csv"))
    before = hash_files(project.root, files)
    target = files[0].with_name("renamed.csv")
    files[0].rename(target)
    after = hash_files(project.root, sorted(project.raw.rglob("*.csv")))
    assert sorted(before.values()) == sorted(after.values())
    assert before != after


def test_a_parameter_reruns_only_the_stages_that_take_it(project: Paths) -> None:
    before = _digests(project, {"as_of": "2019-06-30"})
    after = _digests(project, {"as_of": "2020-06-30"})
    assert before["clean"] == after["clean"]
    assert before["statistics"] != after["statistics"]
    assert before["figures"] != after["figures"]  # downstream of the statistics


def test_code_changes_rerun_their_stage_and_what_follows(project: Paths) -> None:
    before = _digests(project)
    module = project.root / "src" / "pipeline" / "figures" / "style.py"
    module.write_text(module.read_text(encoding="utf-8") + "\n# a comment\n", encoding="utf-8")
    after = _digests(project)
    assert [name for name in before if before[name] != after[name]] == ["figures"]


def test_render_sources_come_from_quarto_yml(project: Paths) -> None:
    sources = {p.relative_to(project.root).as_posix() for p in book_sources(project.root)}
    assert {"_quarto.yml", "index.qmd", "report/01-innledning.qmd"} <= sources
    assert "report/vedlegg-d-effect-utvikling.qmd" in sources
    config = project.root / "_quarto.yml"
    extra = project.root / "report" / "style.css"
    extra.write_text("body {}\n", encoding="utf-8")
    config.write_text(
        config.read_text(encoding="utf-8") + "\nformat-extra:\n  css: report/style.css\n",
        encoding="utf-8",
    )
    assert extra in book_sources(project.root)


def test_unknown_future_and_missing_cohort_parameters_are_refused(project: Paths) -> None:
    unknown = r"no notebook declares the parameter\(s\) min_respondent"
    with pytest.raises(PipelineError, match=unknown):
        resolve_parameters({"min_respondent": "4"}, DECLARED)
    future = "2999-01-01"
    with pytest.raises(PipelineError, match=f"as_of {future} is after today"):
        resolve_parameters({"as_of": future}, DECLARED)
    allowed = resolve_parameters({"as_of": future, "allow_future": "true"}, DECLARED)
    assert allowed["as_of"] == future and allowed["cohorts"] == "all"
    with pytest.raises(PipelineError, match=r"no kull 7 in .*; the cohorts there are 0, 1"):
        check_cohorts(project.raw, "0,7")
    check_cohorts(project.raw, "0-1")


def test_the_project_is_found_from_where_the_command_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "copy"
    (root / "src" / "pipeline").mkdir(parents=True)
    (root / "_quarto.yml").write_text("project: {}\n", encoding="utf-8")
    (root / "report").mkdir()
    monkeypatch.delenv("PIPELINE_ROOT", raising=False)
    assert find_root(root / "report") == root.resolve()
    monkeypatch.setenv("PIPELINE_ROOT", str(tmp_path))
    assert find_root(root / "report") == tmp_path.resolve()


def test_a_second_build_waits_with_one_line_or_refuses(tmp_path: Path) -> None:
    said: list[str] = []
    released = threading.Event()
    with build_lock(tmp_path / "build"):
        busy = pytest.raises(BuildBusyError, match=f"a build is already running in {tmp_path}")
        with busy, build_lock(tmp_path / "build", wait=False):
            pass

        def second() -> None:
            with build_lock(tmp_path / "build", say=said.append):
                released.set()

        waiter = threading.Thread(target=second)
        waiter.start()
        time.sleep(0.3)
        assert not released.is_set()
    waiter.join(timeout=10)
    assert released.is_set()
    assert len(said) == 1 and said[0].startswith("waiting for the build already running in")


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _outputs(paths: Paths) -> None:
    for folder, name in ((paths.processed, "a.parquet"), (paths.generated, "_variables.yml")):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("old\n", encoding="utf-8")
    paths.book.mkdir()
    (paths.book / "index.html").write_text("<p>old</p>\n", encoding="utf-8")


def test_a_failed_data_stage_leaves_the_outputs_as_they_were(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    _outputs(paths)
    before = _tree(tmp_path)
    with pytest.raises(KeyboardInterrupt), staged_outputs(paths) as (processed, generated):
        (processed / "a.parquet").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt
    assert _tree(tmp_path) == before
    with staged_outputs(paths) as (processed, generated):
        (generated / "_variables.yml").write_text("new\n", encoding="utf-8")
    assert (paths.variables).read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.rglob("*") if p.name.startswith(".")) == []


def test_a_failed_render_puts_the_previous_book_back(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    _outputs(paths)
    before = _tree(tmp_path)
    with pytest.raises(RuntimeError), previous_book_kept(paths):
        (paths.book / "index.html").write_text("<p>half</p>", encoding="utf-8")
        (paths.book / "extra.html").write_text("", encoding="utf-8")
        raise RuntimeError("renderer crashed")
    assert _tree(tmp_path) == before
    assert not (tmp_path / "build" / "staging").exists()
    with previous_book_kept(paths):
        (paths.book / "index.html").write_text("<p>new</p>", encoding="utf-8")
    assert (paths.book / "index.html").read_text(encoding="utf-8") == "<p>new</p>"
    assert not (tmp_path / "build" / "staging").exists()


def test_recover_undoes_a_half_done_swap(tmp_path: Path) -> None:
    paths = Paths(tmp_path)
    _outputs(paths)
    before = _tree(tmp_path)
    paths.book.rename(retired(paths.book))  # killed between the two renames
    (tmp_path / "._book.rendering").mkdir()
    (tmp_path / "._book.rendering.refs.json").write_text("{}", encoding="utf-8")
    (tmp_path / "data" / ".processed.new-0123").mkdir()
    recover(paths)
    assert _tree(tmp_path) == before
    assert sorted(p.name for p in tmp_path.rglob(".*")) == []


@pytest.mark.e2e  # runs `python -m pipeline build` in a copy of the project
def test_build_refusals_leave_raw_data_and_outputs_alone(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "copy")
    (root / "_book").mkdir()
    (root / "_book" / "index.html").write_text("<p>previous</p>\n", encoding="utf-8")
    before = _tree(root / "data") | {f"_book/{k}": v for k, v in _tree(root / "_book").items()}
    env = {k: v for k, v in os.environ.items() if k != "PIPELINE_ROOT"}
    cases = [
        (["-p", "as_of", "2999-01-01"], "as_of 2999-01-01 is after today"),
        (["-p", "cohorts", "3,42"], "cohorts: no kull 42 in"),
        (["-p", "as_of_typo", "x"], "no notebook declares the parameter(s) as_of_typo"),
    ]
    for args, message in cases:
        done = subprocess.run(
            [sys.executable, "-m", "pipeline", "build", *args],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("error: ") and message in done.stderr, done.stderr
        assert "Traceback" not in done.stderr
    after = _tree(root / "data") | {f"_book/{k}": v for k, v in _tree(root / "_book").items()}
    assert after == before


def test_a_single_step_makes_the_next_build_redo_what_it_replaced(tmp_path: Path) -> None:
    from pipeline.build.incremental import STATE_FILE, forget

    paths = Paths(tmp_path)
    state = tmp_path / "build" / STATE_FILE
    state.parent.mkdir()
    state.write_text('{"clean": "a", "statistics": "b", "figures": "c", "render": "d"}')
    forget(paths, "figures")
    assert state.read_text(encoding="utf-8").split() == ["{", '"clean":', '"a",',
                                                         '"statistics":', '"b"', "}"]  # fmt: skip
    forget(paths, "render")
    forget(paths, "clean")
    assert state.read_text(encoding="utf-8").strip() == "{}"
