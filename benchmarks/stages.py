"""How the data, statistics and figures stages grow with the number of groups.

Usage: .venv/bin/python benchmarks/stages.py [--scales 1 10 100] [--repeat 3]

For each scale it writes a synthetic tree (``synth --scale N``: 63·N groups) into a
temporary folder and times each stage's library call in a fresh process (median of the
repeats, wall and CPU seconds, with the load average: the machines are shared), with that
process's peak memory. The respondent-level model fits are timed apart from the rest of
the statistics stage (their cost grows with the data by nature; they run in worker
processes at scale, whose CPU time and largest peak are counted with them). It prints each
part's ratio to the first scale and that of the three stages without the fits (target at
100×: ≤ 3× the 1× time, peak < 1 GB). The numbers are for a note or the README, not for a
test.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

STAGE_CODE = {
    "clean": """
from pipeline.data.clean import clean
clean(RAW, PROCESSED)
""",
    "statistics": """
import pipeline.stats.run as run
from pipeline.report.fragments import write_fragments
from pipeline.stats.params import make_params
fit = run.effect_model
def timed_fit(*args, **kwargs):
    global FIT_WALL, FIT_CPU
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        return fit(*args, **kwargs)
    finally:
        FIT_WALL += time.perf_counter() - wall
        FIT_CPU += time.process_time() - cpu
run.effect_model = timed_fit
results = run.run_statistics(PROCESSED, PROCESSED / "results", make_params(as_of="2022-06-30"))
write_fragments(PROCESSED, GENERATED, results)
""",
    "figures": """
from pipeline.figures import build_all
from pipeline.paths import PATHS
build_all(PROCESSED / "results", GENERATED / "figures", PATHS.programme)
""",
}
PROLOGUE = """
import json, multiprocessing.forkserver, os, resource, sys, threading, time
from pathlib import Path
RAW, PROCESSED, GENERATED = (Path(p) for p in sys.argv[1:4])
FIT_WALL = FIT_CPU = 0.0
TREE_PEAK_MB = 0.0

def tree_mb(pid):
    # proportional set size of a process and its descendants: shared pages counted once
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    pss = next(int(line.split()[1]) for line in rollup.splitlines() if line.startswith("Pss:"))
    return pss / 1024 + sum(tree_mb(int(kid)) for kid in kids)

def sample_tree():
    global TREE_PEAK_MB
    while True:
        TREE_PEAK_MB = max(TREE_PEAK_MB, tree_mb(os.getpid()))
        time.sleep(0.5)

threading.Thread(target=sample_tree, daemon=True).start()
started, cpu_started = time.perf_counter(), time.process_time()
"""
EPILOGUE = """
wall, cpu = time.perf_counter() - started, time.process_time() - cpu_started
# The fit workers are the forkserver's children: stop it, so that it reaps them and is
# reaped itself, and their CPU time counts in RUSAGE_CHILDREN. (Their peak memory is not
# read from there: a child's maxrss starts from its parent's at the fork.)
server = multiprocessing.forkserver._forkserver
if server._forkserver_pid is not None:
    server._stop()
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({
    "wall": wall - FIT_WALL,
    "cpu": cpu - FIT_CPU,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "fit_wall": FIT_WALL,
    "fit_cpu": FIT_CPU + children.ru_utime + children.ru_stime,
    "tree_peak_mb": TREE_PEAK_MB,
}))
"""
STAGES = tuple(STAGE_CODE)
PARTS = (*STAGES, "model fits")


def run_stage(stage: str, raw: Path, processed: Path, generated: Path) -> dict[str, float]:
    """Wall and CPU seconds without the model fits, peak MB, and the fits' own figures."""
    code = PROLOGUE + STAGE_CODE[stage] + EPILOGUE
    done = subprocess.run(
        [sys.executable, "-c", code, str(raw), str(processed), str(generated)],
        capture_output=True,
        text=True,
        check=True,
        env={"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(scale: int, repeat: int) -> dict[str, Any]:
    """Median wall and CPU seconds and the highest peak of each part at one scale."""
    from pipeline.data.synth import write_synthetic

    with tempfile.TemporaryDirectory() as tmp:
        raw, processed, generated = (Path(tmp) / n for n in ("raw", "processed", "gen"))
        summary = write_synthetic(raw, seed=2019, scale=scale)
        row: dict[str, Any] = {"scale": scale, "groups": 63 * scale, "synth": str(summary)}
        for stage in STAGES:
            runs = [run_stage(stage, raw, processed, generated) for _ in range(repeat)]
            row[stage] = {
                "wall_s": round(statistics.median(r["wall"] for r in runs), 2),
                "cpu_s": round(statistics.median(r["cpu"] for r in runs), 2),
                "peak_mb": round(max(r["peak_mb"] for r in runs)),
            }
            if stage == "statistics":
                row["model fits"] = {
                    "wall_s": round(statistics.median(r["fit_wall"] for r in runs), 2),
                    "cpu_s": round(statistics.median(r["fit_cpu"] for r in runs), 2),
                    "peak_mb": round(max(r["tree_peak_mb"] for r in runs)),
                }
        row["load"] = [round(x, 2) for x in os.getloadavg()]
    return row


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for scale in args.scales:
        rows.append(measure(scale, args.repeat))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    first = rows[0]
    print()
    print("Wall and CPU seconds (medians), peak memory of the stage's process; the")
    print("statistics without the respondent-level model fits, which are timed apart (their")
    print("cost grows with the data by nature; the fits' peak is that of the whole statistics")
    print("stage, its worker processes included: their summed proportional set size, sampled")
    print("every 0.5 s). Ratios against the first scale.")
    print("| groups | part | wall s | CPU s | peak MB | wall ÷ first | CPU ÷ first | load 1/5/15 |")
    print("|---:|---|---:|---:|---:|---:|---:|---|")
    for r in rows:
        load = "/".join(str(x) for x in r["load"])
        for part in PARTS:
            now, then = r[part], first[part]
            print(
                f"| {r['groups']} | {part} | {now['wall_s']} | {now['cpu_s']} | {now['peak_mb']} "
                f"| {_ratio(now['wall_s'], then['wall_s'])} "
                f"| {_ratio(now['cpu_s'], then['cpu_s'])} | {load} |"
            )
        wall = sum(r[s]["wall_s"] for s in STAGES)
        cpu = sum(r[s]["cpu_s"] for s in STAGES)
        first_wall = sum(first[s]["wall_s"] for s in STAGES)
        first_cpu = sum(first[s]["cpu_s"] for s in STAGES)
        print(
            f"| {r['groups']} | three stages without the fits | {wall:.2f} | {cpu:.2f} | "
            f"| {_ratio(wall, first_wall)} | {_ratio(cpu, first_cpu)} | {load} |"
        )
    return 0


def _ratio(now: float, then: float) -> str:
    return f"{now / then:.2f}" if then else "–"


if __name__ == "__main__":
    sys.exit(main())
