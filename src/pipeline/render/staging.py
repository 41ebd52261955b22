"""Render into a sibling staging folder and swap it in: no moment with half a book.

Both renderers write here first; the output folder is replaced only after the render and
its check (scan.py) passed, so a failed render leaves the last good book in place.
"""

from __future__ import annotations

import shutil
from pathlib import Path


def staging_for(out_dir: Path) -> Path:
    """An empty ``.<name>.rendering`` folder beside ``out_dir``."""
    staging = out_dir.with_name(f".{out_dir.name}.rendering")
    shutil.rmtree(staging, ignore_errors=True)
    staging.parent.mkdir(parents=True, exist_ok=True)
    return staging


def swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames."""
    retired = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)
