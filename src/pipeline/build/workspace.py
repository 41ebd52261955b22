"""A throwaway copy of the project, for builds that must not touch the checkout.

The end-to-end tests and ``benchmarks/make_timings.py`` build the report in such copies,
with ``PIPELINE_ROOT`` pointing at the copy and ``make SETUP=`` so the linked venv is reused.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from pipeline.paths import PATHS


def copy_project(target: Path, root: Path = PATHS.root) -> Path:
    """Copies the files git would see (tracked or not ignored) and links the venv."""
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in filter(None, listed.split("\0")):
        src = root / rel
        if src.is_file():
            dst = target / rel
            dst.parent.mkdir(parents=True, exist_ok=True)
            dst.write_bytes(src.read_bytes())
    (target / ".venv").symlink_to(root / ".venv")
    return target
