"""The 2019 edition as a reader gets it: cover dates, apparatus, record and printed pages.

Runs on the session's real build (``built``, tests/conftest.py): what the issue-14 reviewer
checked by eye is checked here on every build.
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from pipeline.render.analysis import analyse
from pipeline.render.book import load_book
from pipeline.render.pdf import typst_source
from tests.conftest import Build

PDF = "_book/konstruktiv-uro.pdf"
PAGE_MM = 297
BODY_TOP_MM, BODY_BOTTOM_MM = 28, 272
"""template.typ: A4 with a 2,8 cm top and 2,5 cm bottom margin around the body."""
MIN_FILL = 1 / 3
PPI = 18


def _normal(text: str) -> str:
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u00ad", "")
    return re.sub(r"\s+", " ", re.sub(r"-\n(?=\w)", "", text))


@pytest.fixture(scope="module")
def reader(built: Build) -> PdfReader:
    return PdfReader(built.root / PDF)


@pytest.fixture(scope="module")
def pages(reader: PdfReader) -> list[str]:
    return [_normal(page.extract_text() or "") for page in reader.pages]


def test_the_cover_shows_the_publication_and_the_data_date(pages: list[str]) -> None:
    cover = pages[0]
    assert "Datagrunnlag per 30. juni 2019" in cover
    assert re.search(r"Utkast – \d{1,2}\. \w+ 20\d\d", cover)  # no publication record: a draft


def test_no_checksum_or_package_version_in_the_pdf(pages: list[str]) -> None:
    text = " ".join(pages)
    assert not re.search(r"\b[0-9a-f]{16,}\b", text)
    assert "SHA-256" not in text and "pandas" not in text
    # where the rest is; a hyphen at a line end is read as hyphenation, so "HTML-" may lose it
    assert re.search(r"tekniske dokumentasjonen i HTML-?utgaven", text)
    assert not re.search(r"build-?\s?manifest|kontrollsum", text)  # file names stay there


def test_the_site_keeps_the_technical_record(built: Build) -> None:
    page = next((built.root / "_book").rglob("vedlegg-c-metode.html")).read_text("utf-8")
    assert "Teknisk dokumentasjon" in page and "SHA-256" in page


def test_citations_are_resolved_and_the_bibliography_is_printed(pages: list[str]) -> None:
    text = " ".join(pages)
    assert "(Bang og Midelfart 2010)" in text
    kilder = next(p for p in pages if p.startswith("Kilder"))
    assert "Effektive ledergrupper" in kilder and "Psychological Safety" in kilder
    assert "?@" not in text and "[@" not in text


def test_quotes_are_printed_and_marked_synthetic(pages: list[str]) -> None:
    text = " ".join(pages)
    quotes = re.findall(r"— Deltaker i sluttevalueringen \(syntetisk\)", text)
    assert len(quotes) >= 15


def test_no_organisation_that_is_not_in_the_cohort_data(built: Build, pages: list[str]) -> None:
    known = {
        org
        for path in (built.root / "data" / "raw").glob("kull-*/groups.csv")
        for org in pd.read_csv(path, dtype=str)["organisation"]
    }
    table = " ".join(pages[i] for i, p in enumerate(pages) if "Virksomhet Type Periode" in p)
    assert "fiktiv" not in " ".join(pages)
    named = set(re.findall(r"\b[A-ZÆØÅ][\w-]*(?:direktorat|departementet|tilsynet)\b", table))
    assert named and all(any(n in org for org in known) for n in named)


def test_the_house_style_writes_small_counts_as_words(pages: list[str]) -> None:
    text = " ".join(pages)
    assert "tre kull i året" in text and "fire fellessamlinger" in text
    assert not re.search(r"\b[1-9] (kull i året|fellessamlinger|individuelle samtaler)", text)


def _chapter_starts(reader: PdfReader) -> set[int]:
    """Pages where a chapter, a part or an appendix begins (level-one outline entries)."""
    return {
        reader.get_destination_page_number(e) for e in reader.outline if not isinstance(e, list)
    }


def _fill(png: bytes, top_mm: float = BODY_TOP_MM, bottom_mm: float = BODY_BOTTOM_MM) -> float:
    """How far down the body the last ink reaches, as a share of the body's height."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    top, bottom = (round(height * mm / PAGE_MM) for mm in (top_mm, bottom_mm))
    ink = [y for y in range(top, bottom) if image.crop((0, y, width, y + 1)).getextrema()[0] < 200]
    return 0.0 if not ink else (ink[-1] - top) / (bottom - top)


def test_every_page_is_at_least_a_third_full_except_before_a_chapter(
    built: Build, reader: PdfReader
) -> None:
    import typst

    source = typst_source(analyse(load_book(built.root), "typst"), 0)
    pngs = typst.compile(source.encode("utf-8"), root=str(built.root), format="png", ppi=PPI)
    assert len(pngs) == len(reader.pages)
    starts = _chapter_starts(reader)
    first = min(starts)
    fills = {n: _fill(png) for n, png in enumerate(pngs) if n >= first and n + 1 not in starts}
    short = [(n + 1, round(fill, 2)) for n, fill in fills.items() if fill < MIN_FILL]
    assert short == [], f"pages (1-based) less than a third full: {short}"


TABLE = re.compile(r"#figure\(\n  book-table\(.*?\n\)(?: <[^>]+>)?", re.DOTALL)
PROBE = "#context [#metadata((page: here().page(), y: here().position().y.pt())) <{}>]"
CHART_CAPTION = re.compile(r"(#figure\(image\([^\n]*?caption: \[)")
TABLES_LAID_OUT = (
    "#context for f in query(figure.where(kind: table)) { [#metadata((page: "
    "f.location().page(), y: f.location().position().y.pt())) <table-start>] }"
)


def _positions(source: str, root: str, label: str) -> list[tuple[int, float]]:
    import typst

    found = json.loads(typst.query(source.encode("utf-8"), f"<{label}>", field="value", root=root))
    return [(int(v["page"]), float(v["y"])) for v in found]


def test_no_chart_is_set_inside_a_table(built: Build) -> None:
    """Measured on the laid-out pages: no chart lands between a table's first and last row.

    Each table gets a probe after its last row and each chart one in its caption (a
    floating figure's own location is where it was anchored, not where it was put), so
    they report the page and height where Typst set them. A chart on a page a table
    continues onto, below the table's start or above its end, splits the table (Tabell D.2
    and Figur D.2 before the fix).
    """
    source = typst_source(analyse(load_book(built.root), "typst"), 0)
    probed = TABLE.sub(lambda m: m.group(0) + "\n" + PROBE.format("table-end"), source)
    probed = CHART_CAPTION.sub(lambda m: m.group(1) + PROBE.format("chart"), probed)
    probed += "\n" + TABLES_LAID_OUT + "\n"
    root = str(built.root)
    starts = _positions(probed, root, "table-start")
    ends = _positions(probed, root, "table-end")
    charts = _positions(probed, root, "chart")
    assert starts and charts and len(starts) == len(ends)
    inside = [
        (chart, start, end)
        for start, end in zip(starts, ends, strict=True)
        for chart in charts
        if start < chart < end and start[0] != end[0]
    ]
    assert inside == [], f"charts (page, y) set inside a table (start, end): {inside}"
