"""Renders with real Quarto (the renderer of record) when it is on PATH.

Quarto reads ``_quarto.yml`` itself; nothing here changes what it renders. Two things
are arranged around it:

* ``SOURCE_DATE_EPOCH`` is set for it (Typst and pandoc honour it; Quarto passes the
  environment on).
* The cover date is the edition's (``-M date:``), as in the built-in renderer.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from pipeline.errors import RenderError
from pipeline.render.analysis import analyse
from pipeline.render.book import Book
from pipeline.render.result import RenderResult

MINIMUM_VERSION = (1, 9, 18)
"""Typst book output (``project: book`` + ``format: typst``) arrived in Quarto 1.9.18."""


def quarto_executable() -> str | None:
    return shutil.which("quarto")


def render_quarto(book: Book, out_dir: Path, timestamp: int) -> RenderResult:
    """Run ``quarto render`` on the book and move its output folder to ``out_dir``."""
    executable = quarto_executable()
    if executable is None:
        raise RenderError(
            "renderer 'quarto' was asked for, but quarto is not on PATH; install Quarto "
            f"{'.'.join(map(str, MINIMUM_VERSION))} or later, or use --renderer builtin"
        )
    _check_version(executable)
    for fmt in book.formats:  # the subset check: what Quarto would render differently fails here
        analyse(book, fmt)
    if book.chapters[0].path != "index.qmd":
        raise RenderError("Quarto books need index.qmd beside _quarto.yml as the first chapter")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(timestamp)}
    date = book.date_label or book.date  # the edition's cover line, else the ISO date
    command = [executable, "render", *(["-M", f"date:{date}"] if date else [])]
    proc = subprocess.run(
        command,
        cwd=book.root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode != 0:
        raise RenderError(f"quarto render failed:\n{proc.stderr.strip()[-4000:]}")
    produced = book.root / book.output_dir
    if produced.resolve() != out_dir.resolve():
        shutil.rmtree(out_dir, ignore_errors=True)
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        shutil.move(produced, out_dir)
    pdf = out_dir / book.pdf_name
    return RenderResult(
        renderer="quarto",
        out_dir=out_dir,
        pages=tuple(sorted(out_dir.rglob("*.html"))),
        pdf=pdf if pdf.is_file() else None,
    )


def _check_version(executable: str) -> None:
    proc = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", proc.stdout)
    version = tuple(int(part) for part in match.groups()) if match else (0, 0, 0)
    if version < MINIMUM_VERSION:
        wanted = ".".join(map(str, MINIMUM_VERSION))
        found = proc.stdout.strip() or "unknown"
        raise RenderError(f"quarto {found} is too old: Typst books need Quarto {wanted} or later")
