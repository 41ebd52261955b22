"""The built-in renderer: pandoc + Lua filters for HTML, pandoc → Typst → PDF.

It exists for machines without Quarto (DESIGN.md section 6) and reads the same
``_quarto.yml`` and sources as Quarto does.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pipeline.render.analysis import analyse
from pipeline.render.book import Book
from pipeline.render.html import write_site
from pipeline.render.pdf import write_pdf
from pipeline.render.result import RenderResult


def render_builtin(book: Book, out_dir: Path, timestamp: int) -> RenderResult:
    """Render into a sibling staging folder and swap it in, so a failure keeps the last book."""
    staging = out_dir.with_name(f".{out_dir.name}.rendering")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    try:
        pages = write_site(analyse(book, "html"), staging) if "html" in book.formats else []
        pdf = (
            write_pdf(analyse(book, "typst"), staging / book.pdf_name, timestamp)
            if "typst" in book.formats
            else None
        )
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, out_dir)
    return RenderResult(
        renderer="builtin",
        out_dir=out_dir,
        pages=tuple(out_dir / page.relative_to(staging) for page in pages),
        pdf=out_dir / pdf.name if pdf else None,
    )


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Replace ``out_dir`` by ``staging`` with two renames: no moment with half a book."""
    retired = out_dir.with_name(f".{out_dir.name}.old")
    shutil.rmtree(retired, ignore_errors=True)
    if out_dir.exists():
        out_dir.rename(retired)
    staging.rename(out_dir)
    shutil.rmtree(retired, ignore_errors=True)
