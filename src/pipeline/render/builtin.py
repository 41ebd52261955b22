"""The built-in renderer: pandoc + Lua filters for HTML, pandoc → Typst → PDF.

It exists for machines without Quarto (DESIGN.md section 6) and reads the same
``_quarto.yml`` and sources as Quarto does.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path

import pypandoc

from pipeline.render.analysis import analyse
from pipeline.render.book import Book
from pipeline.render.html import write_site
from pipeline.render.pdf import write_pdf
from pipeline.render.result import RenderResult
from pipeline.render.scan import check_output
from pipeline.render.staging import staging_for, swap_in


def builtin_version() -> str:
    """The tools that decide the built-in renderer's output: ``pandoc 3.9; typst 0.15.2``."""
    return f"pandoc {pypandoc.get_pandoc_version()}; typst {metadata.version('typst')}"


def render_builtin(book: Book, out_dir: Path, timestamp: int) -> RenderResult:
    """Render into a staging folder, check it, and swap it in (a failure keeps the last book).

    Each format sees the book as it would (conditional content differs); the PDF is written
    in a second thread while the HTML pages are written (both mostly wait on pandoc and
    Typst, which run outside Python).
    """
    staging = staging_for(out_dir)
    staging.mkdir()
    try:
        with ThreadPoolExecutor(max_workers=1) as pool:
            pdf_job = (
                pool.submit(write_pdf, analyse(book, "typst"), staging / book.pdf_name, timestamp)
                if "typst" in book.formats
                else None
            )
            pages = write_site(analyse(book, "html"), staging) if "html" in book.formats else []
            pdf = pdf_job.result() if pdf_job else None
        check_output(staging, pdf, "builtin")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, out_dir)
    return RenderResult(
        renderer="builtin",
        out_dir=out_dir,
        pages=tuple(out_dir / page.relative_to(staging) for page in pages),
        pdf=out_dir / pdf.name if pdf else None,
    )
