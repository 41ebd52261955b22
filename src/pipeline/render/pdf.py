"""Writes the PDF: pandoc's Typst writer on the numbered book, our template, the typst wheel.

Reproducible bytes: the compile gets an explicit ``timestamp`` (the wheel ignores
``SOURCE_DATE_EPOCH``), system fonts are ignored so another machine cannot swap in a
different font, and the document's title and author are set (Typst derives the PDF ID
from them).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import typst

from pipeline.atomic import write_bytes
from pipeline.errors import RenderError
from pipeline.render.analysis import AnalysedBook
from pipeline.render.cover import cover_of
from pipeline.render.pandoc import apply_filter, document, meta_string

TEMPLATE = Path(__file__).parent / "assets" / "template.typ"
COVER_NOTE = Path(__file__).parent / "assets" / "cover-note.typ"
BOOK_PAGES = Path(__file__).parent / "assets" / "book-pages.typ"
"""Both shared with Quarto's Typst book (partials/typst-show.typ imports them)."""
DEFAULT_FONT = "Libertinus Serif"
"""A serif the typst wheel embeds (with New Computer Modern and DejaVu Sans Mono)."""

PDF_STANDARDS = ("a-2a", "ua-1")
"""PDF/A-2a (archival, tagged) and PDF/UA-1 (accessible): Typst refuses to write the file
when, e.g., an image has no alt text or the document no title or language, so both are
checked at every build. (PDF/A-4 cannot be combined with UA-1: it needs PDF 2.0.)"""

TYPST_LENGTH = re.compile(r"^\d+(\.\d+)?(pt|mm|cm|in|em)$")


def write_pdf(analysed: AnalysedBook, target: Path, timestamp: int) -> Path:
    """Compile the book to ``target``; a Typst error becomes a RenderError."""
    source = typst_source(analysed, timestamp)
    options = analysed.book.typst_options
    font_paths = [str(analysed.book.root / p) for p in _as_list(options.get("font-paths"))]
    _check_font(str(options.get("mainfont", DEFAULT_FONT)), font_paths)
    try:
        pdf = typst.compile(
            source.encode("utf-8"),
            root=str(analysed.book.root),
            font_paths=font_paths,
            ignore_system_fonts=True,
            timestamp=timestamp,
            pdf_standards=list(PDF_STANDARDS),
        )
    except typst.TypstError as exc:
        raise RenderError(f"Typst could not compile {target.name}: {exc}") from exc
    return write_bytes(target, pdf)


def _check_font(family: str, font_paths: list[str]) -> None:
    """Typst would silently fall back to another font; a missing one is an error instead."""
    fonts = typst.Fonts(
        include_system_fonts=False, include_embedded_fonts=True, font_paths=font_paths
    )
    if family not in fonts.families():
        available = ", ".join(fonts.families())
        raise RenderError(f"mainfont {family!r} is not available to Typst (available: {available})")


def typst_source(analysed: AnalysedBook, timestamp: int) -> str:
    """The whole Typst document: template, the book's settings, and pandoc's body."""
    config = {"appendices_title": analysed.book.labels["appendices-title"]}
    meta = {"book-typst": meta_string(json.dumps(config, ensure_ascii=False))}
    ast = document(analysed.ast["pandoc-api-version"], meta, analysed.ast["blocks"])
    body = apply_filter(ast, "typst", "typst")
    template = "\n".join(p.read_text(encoding="utf-8") for p in (COVER_NOTE, BOOK_PAGES, TEMPLATE))
    return f"{template}\n#show: book.with(\n{_settings(analysed, timestamp)})\n\n{body}"


def _settings(analysed: AnalysedBook, timestamp: int) -> str:
    book = analysed.book
    cover = cover_of(analysed, timestamp)
    options = book.typst_options
    lang, _, region = book.lang.partition("-")
    fontsize = str(options.get("fontsize", "11pt"))
    if not TYPST_LENGTH.match(fontsize):
        raise RenderError(
            f"_quarto.yml: format: typst: fontsize: {fontsize!r} is not a Typst length"
        )
    settings = {
        "title": _string(book.title),
        "subtitle": _string(book.subtitle),
        "authors": "(" + "".join(_string(a) + ", " for a in book.authors) + ")",
        "publisher": _string(book.publisher),
        "status": _string(cover.status),
        "data-date": _string(cover.data_date),
        "lang": _string(lang.lower()),
        "region": _string(region.upper() or None),
        "paper": _string(str(options.get("papersize", "a4"))),
        "font": _string(str(options.get("mainfont", DEFAULT_FONT))),
        "fontsize": fontsize,
        "toc": "true" if options.get("toc") is True else "false",
        "toc-title": _string(book.labels["toc-title"]),
        "toc-depth": str(book.toc_depth["typst"]),
        "marking": _string(cover.marking),
        "marking-label": _string(cover.marking_label),
    }
    return "".join(f"  {key}: {value},\n" for key, value in settings.items())


def _string(value: str | None) -> str:
    """A Typst string literal (or ``none``)."""
    if value is None:
        return "none"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]
