"""A clean `make report` against its floor, measured side by side in one run.

Usage: .venv/bin/python benchmarks/floor.py [--repeat 3] [--as-of 2019-06-30]

The floor is the work a clean build cannot avoid, done once in one fresh process: import
pandas, scipy, seaborn and matplotlib; the three stages' library calls (clean, statistics,
figures) one after another; pandoc on the whole book to HTML and to Typst; one Typst
compile of the book's PDF source. Everything a build spends beyond that (kernel starts,
repeated imports, one pandoc per chapter, HTML and PDF in turn) is overhead, so the ratio
clean ÷ floor says how much of the build is overhead, whatever the machine's speed.

Both run in a temporary copy of the project (the checkout is left alone), alternating,
and each figure is the median of the repeats. A no-op `make report` is timed too.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from pipeline.build.workspace import copy_project

FLOOR = """
import sys, time
started = time.perf_counter()
import matplotlib, pandas, scipy.stats, seaborn  # noqa: F401
from pathlib import Path
import typst
from pipeline.data.clean import clean
from pipeline.figures import build_all
from pipeline.paths import PATHS
from pipeline.render.pandoc import run_pandoc
from pipeline.report.fragments import write_fragments
from pipeline.stats.params import make_params
from pipeline.stats.run import run_statistics

root, scratch, as_of = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
processed, generated = scratch / "processed", scratch / "generated"
clean(root / "data" / "raw", processed)
results = run_statistics(processed, processed / "results", make_params(as_of=as_of))
write_fragments(processed, generated, results)
build_all(processed / "results", generated / "figures", PATHS.programme)
book = sys.stdin.read()
run_pandoc(["--from", "markdown", "--to", "html", "--wrap", "none"], book)
run_pandoc(["--from", "markdown", "--to", "typst", "--wrap", "none"], book)
source = (scratch / "book.typ").read_bytes()
typst.compile(source, root=str(root), ignore_system_fonts=True, timestamp=0,
              pdf_standards=["a-2a", "ua-1"])
print(f"{time.perf_counter() - started:.3f}")
"""


def environment(root: Path) -> dict[str, str]:
    return {
        **os.environ,
        "PIPELINE_ROOT": str(root),
        "SOURCE_DATE_EPOCH": "1561852800",
        "MPLBACKEND": "Agg",
        "PYTHONHASHSEED": "0",
    }


def timed_make(root: Path, *args: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["make", "--no-print-directory", "SETUP=", *args],
        cwd=root,
        env=environment(root),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def book_markdown(root: Path) -> str:
    """Every chapter of ``_quarto.yml``, in book order, as one markdown text."""
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8"))["book"]
    chapters = [*config["chapters"], *config.get("appendices", [])]
    return "\n\n".join((root / c).read_text(encoding="utf-8") for c in chapters)


def write_typst_source(root: Path, target: Path) -> None:
    """The Typst source of the built book, so the floor compiles exactly the real document."""
    code = (
        "import sys; from pathlib import Path; from pipeline.render import book, analysis, pdf;"
        "from pipeline.render import variables;"
        "root = Path(sys.argv[1]); variables.sync_variables(root);"
        "a = analysis.analyse(book.load_book(root));"
        "Path(sys.argv[2]).write_text(pdf.typst_source(a, 0), encoding='utf-8')"
    )
    subprocess.run(
        [sys.executable, "-c", code, str(root), str(target)],
        env=environment(root),
        check=True,
    )


def timed_floor(root: Path, scratch: Path, as_of: str, book: str) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", FLOOR, str(root), str(scratch), as_of],
        input=book,
        text=True,
        env=environment(root),
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--as-of", default="2019-06-30")
    args = parser.parse_args()
    report = ("report", f"AS_OF={args.as_of}", "RENDERER=builtin")
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp) / "project")
        scratch = Path(tmp) / "floor"
        scratch.mkdir()
        timed_make(root, *report)  # warms the OS caches and gives the floor its Typst source
        write_typst_source(root, scratch / "book.typ")
        book = book_markdown(root)
        clean, floor, noop = [], [], []
        for _ in range(args.repeat):
            timed_make(root, "clean")
            clean.append(timed_make(root, *report))
            noop.append(timed_make(root, *report))
            floor.append(timed_floor(root, scratch, args.as_of, book))
    c, f, n = (statistics.median(x) for x in (clean, floor, noop))
    print(f"make {' '.join(report)}   ({args.repeat} runs each, median; same run, alternating)")
    print(f"  clean build:   {c:6.2f} s   (runs: {', '.join(f'{x:.2f}' for x in clean)})")
    print(f"  floor:         {f:6.2f} s   (runs: {', '.join(f'{x:.2f}' for x in floor)})")
    print(f"  no-op build:   {n:6.2f} s   (runs: {', '.join(f'{x:.2f}' for x in noop)})")
    print(f"  clean ÷ floor: {c / f:6.2f}     (target ≤ 2.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
