"""Which renderer ``auto`` means on this machine, with its version, for the build's digest.

It lives here rather than in ``pipeline.render`` because importing that package loads both
renderers, which costs more than a whole no-op build may take.

``auto`` is not an input: installing Quarto later changes what ``auto`` renders with, so
the build records the resolved renderer and its version (DESIGN.md section 7). Asking
``quarto --version`` takes a good part of a second, so the answer is cached per
executable (path, size and modification time) in ``build/quarto-version.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from pipeline.atomic import write_text


def resolved_renderer(requested: str, cache_dir: Path) -> str:
    """``quarto <version> (<path>)`` or ``builtin``."""
    executable = shutil.which("quarto") if requested in ("auto", "quarto") else None
    if executable is not None:
        return f"quarto {quarto_version(executable, cache_dir)} ({executable})"
    if requested == "quarto":
        return "quarto (not on PATH)"
    # pandoc and typst come as wheels, whose versions the upstream digest already holds.
    return "builtin"


def quarto_version(executable: str, cache_dir: Path) -> str:
    """``quarto --version``, remembered for as long as the executable file is unchanged."""
    real = Path(executable).resolve()
    stat = real.stat()
    key = f"{real}:{stat.st_size}:{stat.st_mtime_ns}"
    cache = cache_dir / "quarto-version.json"
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if key not in known:
        done = subprocess.run(
            [executable, "--version"], capture_output=True, text=True, check=False, timeout=60
        )
        known = {key: done.stdout.strip() or f"unknown (exit {done.returncode})"}
        if os.access(cache_dir.parent, os.W_OK):
            write_text(cache, json.dumps(known) + "\n")
    return str(known[key])
