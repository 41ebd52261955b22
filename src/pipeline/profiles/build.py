"""``make profiles`` / ``make profile GROUP=ID``: the profile notebook, once per group, fast.

The notebook stays the one definition of a profile and every group gets its own executed
copy (``build/profiles/notebooks/kull-NN/<group_id>.ipynb``), but a papermill run per group
with its own kernel would pay a kernel start and the imports of pandas, matplotlib and
typst every time (about four seconds). So each worker starts one kernel and papermill runs
the notebook in it for group after group, taken from one queue; the edition's data are read
once per kernel (``profiles.data.edition_for``), and one Typst compiler per kernel compiles
each profile (``profiles.document.compiler``). Two workers share the groups.

Only groups whose inputs changed are rebuilt: ``group_digests`` hashes each group's own
rows, the programme aggregates its profile compares with, the code and the parameters;
the digests of the last successful build are kept in ``build/profiles/digests.json``.
The project's build lock (``pipeline.build.lock``) keeps a report build and a profiles
build from running at once.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from pipeline.atomic import write_text
from pipeline.build.digest import combine, files_under, hash_files
from pipeline.build.lock import build_lock
from pipeline.errors import PipelineError, StageError
from pipeline.paths import Paths
from pipeline.profiles.data import Edition, check_group, edition_for
from pipeline.stats.params import ALL_COHORTS, MIN_RESPONDENTS

NOTEBOOK = "04_profile.ipynb"
CODE = (
    "src/pipeline/profiles",
    "src/pipeline/disclosure",
    "src/pipeline/stats/group_change.py",
    "src/pipeline/stats/params.py",
    "src/pipeline/data/codebook.py",
    "src/pipeline/stats/inputs.py",
    "src/pipeline/figures/style.py",
    "src/pipeline/figures/effect.py",
    "src/pipeline/figures/layout.py",
    "src/pipeline/figures/save.py",
    "src/pipeline/format/numbers.py",
    "src/pipeline/render/pdf.py",
    "data/reference/codebook.yaml",
    f"notebooks/{NOTEBOOK}",
)
"""What a profile is made by: a change here rebuilds every profile."""
DEFAULT_WORKERS = 2
KERNEL_ARGUMENTS = ["--HistoryManager.enabled=False"]
"""A batch kernel keeps no input history: an SQLite write per cell, for nobody to read."""


@dataclass(frozen=True)
class Job:
    group_id: str
    kull: int
    pdf: Path
    notebook: Path


def cohorts_label(cohorts: tuple[int, ...] | None) -> str:
    """``all`` or ``0,1,2``: the notebook parameter and the digests' spelling of a selection."""
    return ALL_COHORTS if cohorts is None else ",".join(str(k) for k in cohorts)


def profiles_dir(paths: Paths) -> Path:
    return paths.root / "_profiles"


def state_dir(paths: Paths) -> Path:
    return paths.root / "build" / "profiles"


def code_digest(paths: Paths) -> str:
    files: list[Path] = []
    for name in CODE:
        path = paths.root / name
        files += files_under(path, (".py", ".lua", ".typ")) if path.is_dir() else [path]
    return combine({"files": hash_files(paths.root, files), "typst": version("typst")})


def group_digests(edition: Edition, code: str, params: Mapping[str, object]) -> dict[str, str]:
    """One digest per group: its own rows, the programme it is compared with, code, parameters.

    The one place that decides "changed"; the programme part is shared, so new answers from
    any group (which move the programme's means) rebuild every profile, while a group's new
    development areas or name rebuild that group alone.
    """
    programme = combine({"programme": _records(edition.programme.reset_index())})
    shared = {"code": code, "params": dict(params), "programme": programme}
    shared["synthetic"] = sorted(edition.synthetic_cohorts)
    digests = {}
    for group_id in edition.group_ids:
        own = {
            "group": _records(edition.groups.loc[edition.groups["group_id"] == group_id]),
            "changes": _records(edition.changes.loc[edition.changes["group_id"] == group_id]),
            "areas": _records(
                edition.development_areas.loc[edition.development_areas["group_id"] == group_id]
            ),
        }
        digests[group_id] = combine({**shared, **own})
    return digests


def _records(frame: pd.DataFrame) -> list[dict[str, object]]:
    return json.loads(frame.to_json(orient="records", date_format="iso", double_precision=12))


def job_for(paths: Paths, edition: Edition, group_id: str) -> Job:
    kull = int(edition.groups.loc[edition.groups["group_id"] == group_id, "kull"].iloc[0])
    folder = f"kull-{kull:02d}"
    return Job(
        group_id=group_id,
        kull=kull,
        pdf=profiles_dir(paths) / folder / f"{group_id}.pdf",
        notebook=state_dir(paths) / "notebooks" / folder / f"{group_id}.ipynb",
    )


def _load_state(path: Path) -> dict[str, str]:
    try:
        return dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return {}


def _say(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def build_profiles(
    paths: Paths,
    as_of: dt.date,
    min_respondents: int = MIN_RESPONDENTS,
    group: str | None = None,
    workers: int = DEFAULT_WORKERS,
    say: Callable[[str], None] = _say,
    cohorts: object = ALL_COHORTS,
) -> list[str]:
    """Builds the stale profiles of the edition (or ``group`` alone, always); returns their ids.

    ``cohorts`` (``COHORTS``) limits the edition to some kull, as it does the report.
    """
    from pipeline.build.incremental import prepare_environment

    prepare_environment(paths)
    if not (paths.processed / "validation.json").is_file():
        raise PipelineError(f"{paths.processed} holds no processed data: run make report first")
    with build_lock(paths.root / "build", say=say):
        edition = edition_for(paths.processed, as_of, min_respondents, cohorts)
        params = {
            "as_of": as_of.isoformat(),
            "cohorts": cohorts_label(edition.cohorts),
            "min_respondents": int(min_respondents),
            "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", ""),
        }
        digests = group_digests(edition, code_digest(paths), params)
        state_file = state_dir(paths) / "digests.json"
        state = _load_state(state_file)
        if group is not None:
            check_group(edition, group)
            todo = [job_for(paths, edition, group)]
        else:
            jobs = [job_for(paths, edition, g) for g in edition.group_ids]
            _remove_others(paths, jobs)
            state = {g: d for g, d in state.items() if g in digests}
            todo = [
                j
                for j in jobs
                if state.get(j.group_id) != digests[j.group_id] or not j.pdf.is_file()
            ]
            say(
                f"[profiles] {len(jobs)} groups with wave-1 answers per {as_of.isoformat()}"
                f"{'' if edition.cohorts is None else ' in kull ' + params['cohorts']}: "
                f"{len(todo)} to build, {len(jobs) - len(todo)} up to date"
            )
        done, failures = run_jobs(paths, todo, params, workers, say)
        for group_id in done:
            state[group_id] = digests[group_id]
        write_text(state_file, json.dumps(state, indent=2, sort_keys=True) + "\n")
        if failures:
            raise StageError("profiles failed:\n" + "\n".join(f"  {f}" for f in failures))
        return done


def _remove_others(paths: Paths, jobs: Sequence[Job]) -> None:
    """Profiles and executed notebooks of groups outside this edition go (another ``as_of``
    or ``COHORTS``): ``_profiles/`` is one edition, and so is its audit trail."""
    keep = {j.pdf for j in jobs} | {j.notebook for j in jobs}
    for folder, pattern in (
        (profiles_dir(paths), "*.pdf"),
        (state_dir(paths) / "notebooks", "*.ipynb"),
    ):
        for path in folder.glob(f"kull-*/{pattern}"):
            if path not in keep:
                path.unlink()
        for kull in folder.glob("kull-*"):
            if kull.is_dir() and not any(kull.iterdir()):
                kull.rmdir()


def run_jobs(
    paths: Paths,
    jobs: Sequence[Job],
    params: Mapping[str, object],
    workers: int,
    say: Callable[[str], None],
) -> tuple[list[str], list[str]]:
    """Runs the jobs over ``workers`` kernels; returns the ids built and the failures.

    The kernels take the next group from one queue as they finish, so neither sits idle
    while the other still has a share of slow groups to do.
    """
    if not jobs:
        return [], []
    kernels = max(1, min(workers, len(jobs)))
    queue = deque(jobs)
    done: list[str] = []
    failures: list[str] = []
    counter = {"n": 0}
    lock = threading.Lock()
    started = time.perf_counter()

    def take() -> Job | None:
        with lock:
            return queue.popleft() if queue else None

    def report(job: Job, seconds: float, error: str | None) -> None:
        with lock:
            counter["n"] += 1
            status = "ok" if error is None else "FAILED"
            say(
                f"[profiles] {counter['n']:>3}/{len(jobs)} {job.group_id:<8} {status} "
                f"{seconds:4.1f} s -> {job.pdf.relative_to(paths.root)}"
            )
            (done if error is None else failures).append(error or job.group_id)

    with (
        tempfile.TemporaryDirectory(prefix="profile-kernels-") as sockets,
        ThreadPoolExecutor(kernels) as pool,
    ):
        for n in range(kernels):
            pool.submit(_worker, paths, take, params, Path(sockets) / f"w{n}", report)
    for job in queue:  # every kernel died before these were taken
        report(job, 0.0, f"{job.group_id}: no kernel left to run it (see the failures above)")
    say(f"[profiles] {len(done)} built in {time.perf_counter() - started:.1f} s")
    return sorted(done), failures


def _worker(
    paths: Paths,
    take: Callable[[], Job | None],
    params: Mapping[str, object],
    socket: Path,
    report: Callable[[Job, float, str | None], None],
) -> None:
    """One kernel, many groups: papermill runs the notebook for each job in the same kernel.

    A kernel that dies fails the group it was running and stops; the other kernels take
    the rest.
    """
    import papermill as pm
    from jupyter_core.utils import run_sync
    from papermill.exceptions import PapermillExecutionError

    from pipeline.build.runner import LocalKernelManager

    km = LocalKernelManager(kernel_name="python3")
    km.ip = str(socket)  # each kernel its own Unix sockets, never another worker's
    job = None
    try:
        run_sync(km.start_kernel)(cwd=str(paths.root), extra_arguments=KERNEL_ARGUMENTS)
        while (job := take()) is not None:
            started = time.perf_counter()
            job.notebook.parent.mkdir(parents=True, exist_ok=True)
            error = None
            try:
                pm.execute_notebook(
                    str(paths.notebooks / NOTEBOOK),
                    str(job.notebook),
                    parameters=notebook_parameters(paths, job, params),
                    cwd=str(paths.root),
                    progress_bar=False,
                    request_save_on_cell_execute=False,  # one write per notebook, not 27
                    km=km,
                )
            except PapermillExecutionError as exc:
                error = (
                    f"{job.group_id}: cell {exc.exec_count}: {exc.ename}: {exc.evalue} "
                    f"(executed copy: {job.notebook})"
                )
            report(job, time.perf_counter() - started, error)
    except Exception as exc:  # a kernel that dies fails its group loudly
        if job is not None:
            report(job, 0.0, f"{job.group_id}: {type(exc).__name__}: {exc}")
    finally:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)


def notebook_parameters(paths: Paths, job: Job, params: Mapping[str, object]) -> dict[str, object]:
    """What papermill injects: the same for ``make profile`` and ``make profiles``."""
    return {
        "group_id": job.group_id,
        "as_of": params["as_of"],
        "cohorts": params["cohorts"],
        "min_respondents": params["min_respondents"],
        "processed_dir": str(paths.processed),
        "profiles_dir": str(profiles_dir(paths)),
    }
