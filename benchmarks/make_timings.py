"""Wall time of `make report` for a clean build, a no-op build and a one-cohort change.

Usage: .venv/bin/python benchmarks/make_timings.py [--repeat 3] [--as-of 2019-06-30]

Works in a temporary copy of the project (the files git sees, with .venv linked), so
the checkout is left alone. Prints the median of the repeats, the exact commands, and
the SHA-256 of the PDF and index.html after each clean build (they must all agree).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from pipeline.build.workspace import copy_project


def timed_make(root: Path, *args: str) -> float:
    env = {**os.environ, "PIPELINE_ROOT": str(root), "SOURCE_DATE_EPOCH": "1561852800"}
    started = time.perf_counter()
    subprocess.run(
        ["make", "--no-print-directory", "SETUP=", *args],
        cwd=root,
        env=env,
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", default="2019-06-30")
    args = parser.parse_args()
    report = ("report", f"AS_OF={args.as_of}", "RENDERER=builtin")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        clean, noop, cohort, hashes = [], [], [], []
        for _ in range(args.repeat):
            timed_make(root, "clean")
            clean.append(timed_make(root, *report))
            hashes.append((sha(root / "_book/konstruktiv-uro.pdf"), sha(root / "_book/index.html")))
            noop.append(timed_make(root, *report))
            (root / "data/raw/kull-05/effect.csv").touch()
            cohort.append(timed_make(root, *report))
    line = " ".join(report)
    print(f"make {line}   (SETUP= skips the venv check; {args.repeat} runs each, median)")
    print(f"  clean build (after make clean):        {statistics.median(clean):6.2f} s")
    print(f"  no-op build (right after a build):     {statistics.median(noop):6.2f} s")
    print(f"  one cohort's file touched (kull-05):   {statistics.median(cohort):6.2f} s")
    for i, (pdf, html) in enumerate(hashes, 1):
        print(f"  clean build {i}: PDF sha256 {pdf}…  index.html sha256 {html}…")
    return 0 if len(set(hashes)) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
