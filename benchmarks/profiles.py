"""Wall time of `make profiles` against the naive loop (one papermill run per group).

Usage: .venv/bin/python benchmarks/profiles.py [--repeat 3] [--naive-repeat 1] [--as-of 2021-12-31]

Works in a temporary copy of the project (the files git sees, .venv linked): builds the
report once for the processed data, then times

- `make profiles` from clean (``_profiles/`` and ``build/profiles/`` removed),
- `make profiles` after one group's inputs changed (its development areas, as a new export
  would change them; the processed file is edited so the clean stage is not timed),
- the naive loop: ``papermill.execute_notebook`` per group, each with its own kernel (the
  notebook writes the PDF, so that is one run and one render per group). It has no change
  detection, so after one changed group it reruns every group: its clean time is its time
  for one changed group too.

Prints medians, CPU seconds (this process and its children: kernels included) and whether
the naive loop's PDFs are byte-identical to `make profiles`' (they must be).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from pipeline.build.workspace import copy_project

EPOCH = "1561852800"


def _env(root: Path) -> dict[str, str]:
    env = {**os.environ, "PIPELINE_ROOT": str(root), "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("MAKEFLAGS", None)
    return env


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(action: Callable[[], object]) -> tuple[float, float, float]:
    """Wall and CPU seconds of ``action()``, and the 1-minute load average as it started.

    The machine is shared: CPU seconds vary less than wall time, and the load says how
    much the wall time was stretched.
    """
    load, cpu, started = os.getloadavg()[0], _cpu(), time.perf_counter()
    action()
    return time.perf_counter() - started, _cpu() - cpu, load


def make(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", "SETUP=", *args],
        cwd=root,
        env=_env(root),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"make {' '.join(args)} failed:\n{(done.stdout + done.stderr)[-3000:]}")
    return done.stderr


def hashes(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*.pdf"))
    }


def change_one_group(root: Path, group_id: str, turn: int) -> None:
    """Gives ``group_id`` a different development area each turn."""
    path = root / "data/processed/development_areas.parquet"
    areas = pd.read_parquet(path)
    factors = ["dialog", "lagand", "klart_formal"]
    own = areas["group_id"] == group_id
    extra = areas.loc[own].head(1).assign(factor=factors[turn % len(factors)])
    kept = areas.loc[~(own & areas["factor"].isin(factors))]
    pd.concat([kept, extra], ignore_index=True).astype(areas.dtypes).to_parquet(path)


def naive_loop(root: Path, group_ids: list[str], as_of: str, out: Path) -> None:
    """One papermill run (own kernel) per group: the loop this issue replaces."""
    code = (
        "import sys, papermill as pm\n"
        "root, as_of, out = sys.argv[1:4]\n"
        "for g in sys.argv[4:]:\n"
        "    pm.execute_notebook(f'{root}/notebooks/04_profile.ipynb', f'{out}/{g}.ipynb',\n"
        "        parameters={'group_id': g, 'as_of': as_of, 'profiles_dir': f'{out}/pdf',\n"
        "                    'processed_dir': f'{root}/data/processed'},\n"
        "        cwd=root, progress_bar=False, kernel_name='python3')\n"
    )
    out.mkdir(parents=True)
    done = subprocess.run(
        [sys.executable, "-c", code, str(root), as_of, str(out), *group_ids],
        env={**_env(root), "PYTHONPATH": str(root / "src")},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"the naive loop failed:\n{done.stderr[-3000:]}")


def med(runs: list[tuple[float, float, float]]) -> str:
    """Median wall and CPU seconds, and every run's wall, CPU and load average."""
    wall = statistics.median(r[0] for r in runs)
    cpu = statistics.median(r[1] for r in runs)
    each = ", ".join(f"{r[0]:.1f}/{r[1]:.1f}/{r[2]:.1f}" for r in runs)
    return f"{wall:7.1f} s wall {cpu:7.1f} s CPU   (wall/CPU/load per run: {each})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--naive-repeat", type=int, default=1)
    parser.add_argument("--as-of", default="2021-12-31")
    args = parser.parse_args()
    profiles = ("profiles", f"AS_OF={args.as_of}")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        make(root, "report", f"AS_OF={args.as_of}", "RENDERER=builtin")
        areas = root / "data/processed/development_areas.parquet"
        original = areas.read_bytes()
        clean, changed, built = [], [], []
        for turn in range(args.repeat):
            areas.write_bytes(original)  # every clean build from the same inputs
            shutil.rmtree(root / "_profiles", ignore_errors=True)
            shutil.rmtree(root / "build/profiles", ignore_errors=True)
            clean.append(timed(lambda: make(root, *profiles)))
            built.append(hashes(root / "_profiles"))
            change_one_group(root, "k05-g2", turn)
            log: list[str] = []
            changed.append(timed(lambda log=log: log.append(make(root, *profiles))))
            assert "1 to build" in log[0], log[0][-500:]
        change_one_group(root, "k05-g2", args.repeat - 1)  # areas as in the last build
        groups = sorted(p.stem for p in (root / "_profiles").rglob("*.pdf"))
        print(f"{len(groups)} profiles, as_of {args.as_of}, {os.cpu_count()} cores; medians")
        print(f"  make profiles, clean:                {med(clean)}", flush=True)
        print(f"  make profiles, one group changed:    {med(changed)}", flush=True)
        naive = []
        for n in range(args.naive_repeat):
            out = Path(tmp) / f"naive-{n}"
            naive.append(timed(lambda out=out: naive_loop(root, groups, args.as_of, out)))
        same = not naive or hashes(Path(tmp) / "naive-0" / "pdf") == hashes(root / "_profiles")
        if not naive:
            print("  naive loop: not run (--naive-repeat 0)")
            naive = [(float("nan"), float("nan"), float("nan"))]

    print(f"  naive loop, clean (= one changed):   {med(naive)}   [{args.naive_repeat} run(s)]")
    print(f"  clean builds byte-identical to each other: {all(b == built[0] for b in built)}")
    print(f"  naive loop's PDFs byte-identical to make profiles': {same}")
    return 0 if same and all(b == built[0] for b in built) else 1


if __name__ == "__main__":
    sys.exit(main())
