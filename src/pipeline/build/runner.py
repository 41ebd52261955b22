"""Executes the stage notebooks with papermill, so each run leaves an audit-trail copy.

The notebooks are thin: they take parameters, call ``pipeline`` functions and show what
was computed. This module decides which parameters each notebook receives and turns a
failing cell into a ``StageError`` that names the notebook and the cell.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill as pm
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from papermill.exceptions import PapermillExecutionError

from pipeline.errors import StageError
from pipeline.paths import PATHS, Paths


class LocalKernelManager(AsyncKernelManager):
    """Talks to the kernel over Unix sockets: no TCP ports, and no warning that TCP is
    unencrypted in every stage's log."""

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.transport = "ipc"


@dataclass(frozen=True)
class Stage:
    name: str
    notebook: str


STAGES: tuple[Stage, ...] = (
    Stage("clean", "01_clean.ipynb"),
    Stage("statistics", "02_statistics.ipynb"),
    Stage("figures", "03_figures.ipynb"),
)
STAGE_NAMES = tuple(s.name for s in STAGES)


def stage(name: str) -> Stage:
    for s in STAGES:
        if s.name == name:
            return s
    raise StageError(f"unknown stage '{name}'; choose one of {', '.join(STAGE_NAMES)}")


def coerce(value: str) -> object:
    """Reads a command-line value the way papermill's own ``-p`` does: int, float, else text."""
    for kind in (int, float):
        try:
            return kind(value)
        except ValueError:
            continue
    return value


def declared_parameters(notebook: Path) -> set[str]:
    """Names in the notebook's ``parameters`` cell; papermill only warns about unknown ones."""
    return set(pm.inspect_notebook(str(notebook)).keys())


def parameters_for(
    notebook: Path, base: Mapping[str, object], extra: Mapping[str, object]
) -> dict[str, object]:
    """Passes each parameter only to notebooks that declare it (DESIGN.md section 5)."""
    declared = declared_parameters(notebook)
    merged = {**base, **extra}
    return {k: v for k, v in sorted(merged.items()) if k in declared}


def unknown_parameters(extra: Mapping[str, object], paths: Paths = PATHS) -> list[str]:
    """Parameters no stage declares: almost always a typo, so the CLI refuses them."""
    declared: set[str] = set()
    for s in STAGES:
        declared |= declared_parameters(paths.notebooks / s.notebook)
    return sorted(set(extra) - declared)


@contextlib.contextmanager
def shared_kernel() -> Iterator[LocalKernelManager]:
    """One kernel for the stages of a build, shut down when they are done.

    Each notebook still runs on its own and leaves its own executed copy, but the kernel
    start and the imports of pandas, scipy and matplotlib are paid once, not per stage.
    """
    km = LocalKernelManager(kernel_name="python3")
    try:
        yield km
    finally:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=False)


_RESET = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("%reset -f")])


def clear_namespace(km: LocalKernelManager, cwd: Path) -> None:
    """Forget the previous notebook's variables, so no stage can lean on another's names.

    ``cwd`` is the folder the kernel was started in: its sockets are named relative to it.
    """
    if km.has_kernel:
        with contextlib.chdir(cwd):
            NotebookClient(nbformat.from_dict(_RESET), km=km, kernel_name="python3").execute()


def execute_stage(
    s: Stage,
    params: Mapping[str, object],
    paths: Paths = PATHS,
    progress: bool = True,
    km: LocalKernelManager | None = None,
) -> Path:
    """Runs one notebook into ``build/notebooks/`` and returns the executed copy.

    With ``km`` (see ``shared_kernel``) the notebook runs in that kernel, started on first use.
    """
    source = paths.notebooks / s.notebook
    out_dir = paths.executed_notebooks
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / s.notebook
    try:
        pm.execute_notebook(
            str(source),
            str(target),
            parameters=dict(params),
            cwd=str(paths.root),
            progress_bar=progress,
            kernel_name="python3",
            kernel_manager_class=LocalKernelManager,
            **({"km": km} if km is not None else {}),
        )
    except PapermillExecutionError as exc:
        raise StageError(
            f"stage '{s.name}' failed in {source.relative_to(paths.root)}, cell {exc.exec_count} "
            f"(index {exc.cell_index}): {exc.ename}: {exc.evalue}\n"
            f"The executed copy with the traceback is {target}."
        ) from exc
    return target


def run_stages(
    names: Iterable[str],
    base: Mapping[str, object],
    extra: Mapping[str, object],
    paths: Paths = PATHS,
    progress: bool = True,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr, flush=True),
) -> list[Path]:
    """Runs stages in order in one kernel, printing one line per stage with its duration."""
    executed = []
    with shared_kernel() as km:
        for name in names:
            s = stage(name)
            nb = paths.notebooks / s.notebook
            params = parameters_for(nb, base, extra)
            shown = " ".join(f"{k}={v}" for k, v in params.items())
            log(f"[{s.name}] {s.notebook} {shown}")
            started = time.perf_counter()
            clear_namespace(km, paths.root)
            executed.append(execute_stage(s, params, paths, progress, km))
            log(f"[{s.name}] done in {time.perf_counter() - started:.1f} s")
    return executed
