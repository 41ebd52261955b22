"""Seconds from a prose edit to the refreshed page, measured through `make preview`'s server.

Usage: .venv/bin/python benchmarks/preview.py [--repeat 3]

Builds the report once in a temporary copy of the project, starts `make preview` there,
then edits a chapter and times until the page the server returns holds the new sentence
(the way the browser sees it: the long poll answers, the page is fetched again). Prints
each edit's wall time, the server's CPU seconds for it (its own and its pandoc runs'), the
median wall time (target ≤ 1.5 s) and the load average (the machines are shared).
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


def cpu_seconds(pid: int) -> float:
    """CPU seconds of a process and of its children that ended (pandoc), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    utime, stime, cutime, cstime = (int(f) for f in fields[11:15])
    return (utime + stime + cutime + cstime) / os.sysconf("SC_CLK_TCK")


def server_pid(make_pid: int) -> int:
    """The Python process ``make preview`` started (below make, and a shell if any)."""
    pid = make_pid
    while not Path(f"/proc/{pid}/comm").read_text().startswith("python"):
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if not children:
            raise RuntimeError(f"make preview (pid {make_pid}) runs no Python process")
        pid = int(children[0])
    return pid


def edit_and_wait(root: Path, url: str, n: int, pid: int) -> tuple[float, float]:
    """Wall and server CPU seconds from writing a new sentence to a page that shows it."""
    version = json.loads(get(f"{url}{WAIT_PATH}?version=-1"))["version"]
    sentence = f"Endring nummer {n} for målingen."
    chapter = root / CHAPTER
    cpu = cpu_seconds(pid)
    started = time.perf_counter()
    chapter.write_text(chapter.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")
    while sentence not in get(url + PAGE):
        version = json.loads(get(f"{url}{WAIT_PATH}?version={version}"))["version"]
    return time.perf_counter() - started, cpu_seconds(pid) - cpu


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
            pid = server_pid(server.pid)
            runs = [edit_and_wait(root, url, n, pid) for n in range(args.repeat)]
            times = [wall for wall, _ in runs]
            print("prose edit → refreshed page through make preview's server")
            print(f"  runs: {', '.join(f'{t:.2f}' for t in times)} s")
            print(f"  server CPU: {', '.join(f'{c:.2f}' for _, c in runs)} s")
            print(f"  median: {statistics.median(times):.2f} s   (target ≤ 1.5 s)")
            load = "/".join(f"{x:.2f}" for x in os.getloadavg())
            print(f"  load average 1/5/15 min: {load}", flush=True)
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
