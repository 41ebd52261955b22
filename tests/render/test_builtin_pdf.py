"""The PDF of the built-in renderer, on the fixture book."""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from pipeline.render import RenderResult
from pipeline.render.analysis import analyse
from pipeline.render.book import load_book
from pipeline.render.pdf import typst_source


@pytest.fixture(scope="module")
def reader(rendered: RenderResult) -> PdfReader:
    assert rendered.pdf is not None
    return PdfReader(rendered.pdf)


@pytest.fixture(scope="module")
def text(reader: PdfReader) -> str:
    raw = "\n".join(page.extract_text() for page in reader.pages)
    return re.sub(r"\s+", " ", raw.replace("\xa0", " "))


def test_named_after_output_file(rendered: RenderResult) -> None:
    assert rendered.pdf == rendered.out_dir / "testboka.pdf"


def test_metadata_and_paper(reader: PdfReader) -> None:
    assert reader.metadata.title == "Testboka"
    assert reader.metadata.author == "Programstaben"
    assert reader.metadata["/CreationDate"] == "D:20240531000000Z"
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_cover_and_contents(text: str) -> None:
    assert "SYNTETISKE DATA" in text and "Tallene er beregnet fra syntetiske data." in text
    assert "En liten bok med hele Quarto-utvalget" in text
    assert "Direktoratet for testing" in text and "31. mai 2024" in text
    assert "Innhold" in text


def test_chapters_appendices_and_numbers(text: str) -> None:
    for title in ("Sammendrag", "1 Innledning", "2 Metode", "Kilder", "Del I: Grunnlaget"):
        assert title in text
    assert "Vedlegg A — Tabeller" in text and "Vedlegg B — Figurer" in text
    assert "1.1 Bakgrunn" in text and "A.1 Detaljer" in text
    assert "Figur 1.1: Fordeling av gruppene per kull" in text
    assert "Tabell A.1: Grupper per kull" in text
    assert "Figur 1.1, Figur 2.1" in text and "Vedlegg B" in text and "Kapittel 1" in text


def test_variables_and_callouts(text: str) -> None:
    assert "48 grupper" in text and "Tydelig formål" in text and "0,85" in text
    assert "Advarsel om utvalget" in text and "Tips" in text


def _alt_texts(node: object, seen: set[int]) -> list[str]:
    """Every /Alt in the structure tree (PDF/UA: figures carry their fig-alt)."""
    if isinstance(node, IndirectObject):
        if node.idnum in seen:
            return []
        seen.add(node.idnum)
        node = node.get_object()
    if isinstance(node, ArrayObject):
        return [alt for item in node for alt in _alt_texts(item, seen)]
    if isinstance(node, DictionaryObject):
        own = [str(node["/Alt"])] if "/Alt" in node else []
        return own + (_alt_texts(node["/K"], seen) if "/K" in node else [])
    return []


def test_figures_are_tagged_with_alt_text(reader: PdfReader) -> None:
    tree = reader.trailer["/Root"]["/StructTreeRoot"]
    alts = _alt_texts(tree, set())
    assert "Søylediagram: antall grupper i hvert kull, mellom to og fire." in alts
    assert len(alts) == 4


def test_typst_source_sizes_images_like_html(rendered: RenderResult) -> None:
    source = typst_source(analyse(load_book(rendered.out_dir.parent)), 0)
    alt = "Søylediagram, gjentatt i vedlegget."
    assert f'image("/report/_generated/figures/fordeling.svg", alt: "{alt}", width: 60%)' in source
    html = (rendered.out_dir / "vedlegg-b.html").read_text(encoding="utf-8")
    assert 'style="width:60.0%"' in html
