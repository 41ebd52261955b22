"""Which renderer ``auto`` means on this machine, with its version, for the build's digest.

``auto`` is not an input: installing Quarto later changes what ``auto`` renders with, so
the build records the resolved renderer and its version (DESIGN.md section 7). The answer
comes from ``pipeline.render.resolve_renderer``; asking ``quarto --version`` and importing
both renderers take longer than a whole no-op build may, so it is cached per executable
(path, size and modification time) in ``build/quarto-version.json``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from pipeline.atomic import write_text


def resolved_renderer(requested: str, cache_dir: Path) -> str:
    """``quarto 1.10.18 (<path>)``, or ``builtin`` (pandoc's and typst's wheels are already
    in the upstream digest's list of installed packages)."""
    executable = shutil.which("quarto") if requested in ("auto", "quarto") else None
    if executable is None:
        return "quarto (not on PATH)" if requested == "quarto" else "builtin"
    real = Path(executable).resolve()
    stat = real.stat()
    key = f"{real}:{stat.st_size}:{stat.st_mtime_ns}"
    cache = cache_dir / "quarto-version.json"
    try:
        known = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        known = {}
    if key not in known:
        from pipeline.render import resolve_renderer

        known = {key: " ".join(resolve_renderer(requested))}
        if os.access(cache_dir.parent, os.W_OK):
            write_text(cache, json.dumps(known) + "\n")
    return f"{known[key]} ({executable})"
