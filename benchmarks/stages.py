"""How the data, statistics and figures stages grow with the number of groups.

Usage: .venv/bin/python benchmarks/stages.py [--scales 1 10 100] [--repeat 3]

For each scale it writes a synthetic tree (``synth --scale N``: 63·N groups) into a
temporary folder and times each stage's library call in a fresh process (median of the
repeats), with that process's peak memory, and prints how the three stages together grow
against the first scale (target at 100×: ≤ 3× the 1× time, peak < 1 GB). The numbers are
for a note or the README, not for a test: the machines are noisy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

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
    global MODEL_SECONDS
    begun = time.perf_counter()
    try:
        return fit(*args, **kwargs)
    finally:
        MODEL_SECONDS += time.perf_counter() - begun
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
import resource, sys, time
from pathlib import Path
RAW, PROCESSED, GENERATED = (Path(p) for p in sys.argv[1:4])
MODEL_SECONDS = 0.0
started = time.perf_counter()
"""
EPILOGUE = """
elapsed = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{elapsed - MODEL_SECONDS:.3f} {peak:.0f} {MODEL_SECONDS:.3f}")
"""


def run_stage(
    stage: str, raw: Path, processed: Path, generated: Path
) -> tuple[float, float, float]:
    """Seconds without the model fits, peak MB, and the seconds of the model fits."""
    code = PROLOGUE + STAGE_CODE[stage] + EPILOGUE
    done = subprocess.run(
        [sys.executable, "-c", code, str(raw), str(processed), str(generated)],
        capture_output=True,
        text=True,
        check=True,
        env={"MPLBACKEND": "Agg", "PYTHONHASHSEED": "0", "PATH": "/usr/bin:/bin"},
    )
    seconds, megabytes, models = done.stdout.split()[-3:]
    return float(seconds), float(megabytes), float(models)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    from pipeline.data.synth import write_synthetic

    rows = []
    for scale in args.scales:
        with tempfile.TemporaryDirectory() as tmp:
            raw, processed, generated = (Path(tmp) / n for n in ("raw", "processed", "gen"))
            summary = write_synthetic(raw, seed=2019, scale=scale)
            row = {"scale": scale, "groups": 63 * scale, "synth": str(summary)}
            for stage in STAGE_CODE:
                runs = [run_stage(stage, raw, processed, generated) for _ in range(args.repeat)]
                row[stage] = {
                    "median_s": round(statistics.median(s for s, _, _ in runs), 2),
                    "peak_mb": round(max(m for _, m, _ in runs)),
                }
                if stage == "statistics":
                    row["model_fits_s"] = round(statistics.median(f for _, _, f in runs), 2)
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    print()
    print("Statistics without the respondent-level model fits, which are timed apart (their")
    print("cost grows with the data by nature).")
    print(
        "| groups | clean s | statistics s | figures s | total s | ÷ first | peak MB (c/s/f) "
        "| model fits s |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|---:|")
    first = sum(rows[0][s]["median_s"] for s in STAGE_CODE)
    for r in rows:
        total = sum(r[s]["median_s"] for s in STAGE_CODE)
        peaks = "/".join(str(r[s]["peak_mb"]) for s in STAGE_CODE)
        print(
            f"| {r['groups']} | {r['clean']['median_s']} | {r['statistics']['median_s']} "
            f"| {r['figures']['median_s']} | {total:.2f} | {total / first:.2f} | {peaks} "
            f"| {r['model_fits_s']} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
