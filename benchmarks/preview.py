"""Seconds from a prose edit to the refreshed page, measured through `make preview`'s server.

Usage: .venv/bin/python benchmarks/preview.py [--repeat 3]

Builds the report once in a temporary copy of the project, starts `make preview` there,
then edits a chapter and times until the page the server returns holds the new sentence
(the way the browser sees it: the long poll answers, the page is fetched again). Prints
each edit's time and the median (target ≤ 1.5 s).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import urlopen

from pipeline.build.workspace import copy_project
from pipeline.render.preview import WAIT_PATH

CHAPTER = "report/02-toppledergrupper.qmd"
PAGE = "report/02-toppledergrupper.html"


def get(url: str) -> str:
    with urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def edit_and_wait(root: Path, url: str, n: int) -> float:
    """Seconds from writing a new sentence into the chapter to a page that shows it."""
    version = json.loads(get(f"{url}{WAIT_PATH}?version=-1"))["version"]
    sentence = f"Endring nummer {n} for målingen."
    chapter = root / CHAPTER
    started = time.perf_counter()
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    while sentence not in get(url + PAGE):
        version = json.loads(get(f"{url}{WAIT_PATH}?version={version}"))["version"]
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = copy_project(Path(tmp))
        env = {**os.environ, "PIPELINE_ROOT": str(root), "SOURCE_DATE_EPOCH": "1561852800"}
        make = ["make", "--no-print-directory", "SETUP=", "RENDERER=builtin"]
        subprocess.run(
            [*make, "report", "AS_OF=2019-06-30"],
            cwd=root,
            env=env,
            check=True,
            capture_output=True,
        )
        server = subprocess.Popen(
            [*make, "preview", "PORT=0"],
            cwd=root,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        try:
            assert server.stdout is not None
            url = ""
            for line in server.stdout:
                found = re.search(r"\[preview\] (http://\S+/)", line)
                if found:
                    url = found.group(1)
                    break
            times = [edit_and_wait(root, url, n) for n in range(args.repeat)]
            print("prose edit → refreshed page through make preview's server")
            print(f"  runs: {', '.join(f'{t:.2f}' for t in times)} s")
            print(f"  median: {statistics.median(times):.2f} s   (target ≤ 1.5 s)", flush=True)
        finally:
            os.killpg(server.pid, signal.SIGINT)  # Ctrl-C, as from the terminal
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                print("  make preview did not stop within 30 s of Ctrl-C")
        print("  server log:", *(f"    {line.rstrip()}" for line in server.stdout), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
