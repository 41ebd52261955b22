"""The 2019 edition's PDF from real Quarto, checked page by page as the built-in one is.

The Quarto lane (``make test-quarto``; skipped, saying why, where quarto is not on PATH).
Quarto writes its book to one Typst file and deletes it; the copy built here keeps it
(``keep-typ``, the only change to the copy), so the checks can measure where Typst put
each table row and chart, as tests/e2e/test_edition_pdf.py does for the built-in renderer.
The file is laid out again with probes added; that it gives Quarto's page count is checked.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from pipeline.build.workspace import copy_project
from tests.conftest import AS_OF, Build, make
from tests.e2e.test_edition_pdf import MIN_FILL, PAGE_MM, PDF, PPI, _chapter_starts, _fill

pytestmark = pytest.mark.quarto

BODY_TOP_MM, BODY_BOTTOM_MM = 30, 272
"""orange-book: A4 with a 3 cm top and 2,5 cm bottom margin around the body."""
PAGE_NUMBER_MM = 20
"""The page number in the footer is narrower than this; anything wider overruns it."""
TABLE = re.compile(r'kind: "quarto-float-tbl", \n[^\n]*\n\)\n<(tbl-[^>]+)>')
FIRST_ROW = re.compile(r"(table\.hline\(\),\n  \[)")
CHART_CAPTION = re.compile(
    r"(\], caption: figure\.caption\(\nposition: bottom, \n\[\n)"
    r"(?=(?:[^\n]*\n){1,3}\]\), \nkind: \"quarto-float-fig\")"
)
KIND_TABLE = re.compile(r'^kind: "quarto-float-tbl"', re.MULTILINE)
KIND_CHART = re.compile(r'^kind: "quarto-float-fig"', re.MULTILINE)
PROBE = "#context [#metadata((page: here().page(), y: here().position().y.pt())) <{}>]"
HEADINGS_LAID_OUT = (
    "#context for h in query(heading.where(level: 2).or(heading.where(level: 3))) { "
    "[#metadata((page: h.location().page(), y: h.location().position().y.pt())) <heading>] }"
)
REFERENCES_STYLE = (
    "#context [#metadata((page: here().page(), indent: par.hanging-indent.to-absolute().pt(), "
    "justify: par.justify)) <references>]"
)
HEADING_ROOM_MM = 20
"""A heading this close to the foot of the body has no room for the lines after it."""
TABLES_LAID_OUT = (
    '#context for f in query(figure.where(kind: "quarto-float-tbl")) { [#metadata((page: '
    "f.location().page(), y: f.location().position().y.pt())) <table-start>] }"
)


@pytest.fixture(scope="module")
def quarto_built(tmp_path_factory: pytest.TempPathFactory) -> Build:
    root = copy_project(tmp_path_factory.mktemp("quarto-build"))
    config = root / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    assert "\n  typst:\n" in text
    config.write_text(text.replace("\n  typst:\n", "\n  typst:\n    keep-typ: true\n", 1), "utf-8")
    done = make(root, "report", f"AS_OF={AS_OF}", "RENDERER=quarto")
    log = done.stdout + done.stderr
    if done.returncode != 0:
        pytest.fail(f"make report RENDERER=quarto failed in {root}:\n{log[-6000:]}")
    return Build(root, log)


@pytest.fixture(scope="module")
def source(quarto_built: Build) -> str:
    return (quarto_built.root / "index.typ").read_text(encoding="utf-8")


def _typst(root: Path) -> dict[str, object]:
    """What Quarto gives Typst: the project root and the packages it staged."""
    return {"root": str(root), "package_cache_path": str(root / ".quarto/typst/packages")}


def _positions(source: str, root: Path, label: str) -> list[tuple[int, float]]:
    import typst

    found = json.loads(
        typst.query(source.encode("utf-8"), f"<{label}>", field="value", **_typst(root))
    )
    return [(int(v["page"]), float(v["y"])) for v in found]


def _has_header(png: bytes) -> bool:
    """Ink above the body: orange-book's running header (page number, title, rule)."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    band = image.crop(
        (0, round(height * 10 / PAGE_MM), width, round(height * BODY_TOP_MM / PAGE_MM))
    )
    return band.getextrema()[0] < 200


def _footer_ink_mm(png: bytes) -> float:
    """How wide the ink below the body is around the page number (the middle third of
    the page: a draft's status stands at the left margin), in millimetres."""
    image = Image.open(io.BytesIO(png)).convert("L")
    width, height = image.size
    top = round(height * BODY_BOTTOM_MM / PAGE_MM) + 1
    band = image.crop((width // 3, top, 2 * width // 3, height))
    box = band.point(lambda v: 255 if v < 200 else 0).getbbox()
    return 0.0 if box is None else (box[2] - box[0]) * 25.4 / PPI


@pytest.fixture(scope="module")
def pngs(quarto_built: Build, source: str) -> list[bytes]:
    import typst

    pages = typst.compile(
        source.encode("utf-8"), format="png", ppi=PPI, **_typst(quarto_built.root)
    )
    assert len(pages) == len(PdfReader(quarto_built.root / PDF).pages)  # Quarto's layout
    return pages


def test_every_page_is_at_least_a_third_full_except_before_a_chapter(
    quarto_built: Build, pngs: list[bytes]
) -> None:
    """orange-book opens a chapter on a right-hand page: the blank page before it and the
    chapter's last page before that blank page count as pages before a chapter."""
    fills = [_fill(png, BODY_TOP_MM, BODY_BOTTOM_MM) for png in pngs]
    starts = _chapter_starts(PdfReader(quarto_built.root / PDF))

    def before_a_chapter(n: int) -> bool:
        nxt = n + 1
        while nxt < len(fills) and nxt not in starts and fills[nxt] == 0.0:
            nxt += 1
        return nxt in starts

    short = [
        (n + 1, round(fill, 2))
        for n, fill in enumerate(fills)
        if n >= min(starts) and fill < MIN_FILL and not before_a_chapter(n)
    ]
    assert short == [], f"pages (1-based) less than a third full: {short}"


def test_nothing_runs_over_the_page_number(pngs: list[bytes]) -> None:
    """The cover (page 1) has no page number; every other page's footer holds it alone."""
    footer = [(n + 1, round(_footer_ink_mm(png))) for n, png in enumerate(pngs) if n > 0]
    wide = [(page, mm) for page, mm in footer if mm > PAGE_NUMBER_MM]
    assert wide == [], f"pages (1-based) with ink beside the page number (mm wide): {wide}"


def test_a_running_header_on_every_page_but_openings_and_blank_pages(
    quarto_built: Build, pngs: list[bytes]
) -> None:
    """orange-book left it out where the printed number equals an opening's sheet number
    (pages 7, 9, 17, … of the report) and on the Sammendrag's pages."""
    starts = _chapter_starts(PdfReader(quarto_built.root / PDF))
    wrong = [
        n + 1
        for n, png in enumerate(pngs)
        if n > min(starts)
        and n not in starts
        and _has_header(png) != (_fill(png, BODY_TOP_MM, BODY_BOTTOM_MM) > 0)
    ]
    assert wrong == [], f"pages (1-based) without a header, or a blank page with one: {wrong}"


def test_tables_keep_their_caption_and_no_chart_is_set_inside_one(
    quarto_built: Build, source: str
) -> None:
    """Probes after each table, in its first row and in each chart's caption report where
    Typst set them: a table's caption and first row share a page, and no chart lands
    between a table's start and its end."""
    probed = TABLE.sub(lambda m: m.group(0) + "\n" + PROBE.format("table-end"), source)
    probed = FIRST_ROW.sub(lambda m: m.group(1) + PROBE.format("first-row"), probed)
    probed = CHART_CAPTION.sub(lambda m: m.group(1) + PROBE.format("chart"), probed)
    probed += "\n" + TABLES_LAID_OUT + "\n"
    root = quarto_built.root
    starts = _positions(probed, root, "table-start")
    first_rows = _positions(probed, root, "first-row")
    ends = _positions(probed, root, "table-end")
    charts = _positions(probed, root, "chart")
    assert len(starts) == len(ends) == len(first_rows) == len(KIND_TABLE.findall(source)) > 0
    assert len(charts) == len(KIND_CHART.findall(source)) > 0
    apart = [(s, f) for s, f in zip(starts, first_rows, strict=True) if s[0] != f[0]]
    assert apart == [], f"table captions (page, y) on another page than the first row: {apart}"
    inside = [
        (chart, start, end)
        for start, end in zip(starts, ends, strict=True)
        for chart in charts
        if start < chart < end
    ]
    assert inside == [], f"charts (page, y) set inside a table (start, end): {inside}"


def test_no_heading_stands_at_the_foot_of_a_page(quarto_built: Build, source: str) -> None:
    """B.1 stood at a page foot with one line, its list on the next page."""
    found = _positions(source + "\n" + HEADINGS_LAID_OUT + "\n", quarto_built.root, "heading")
    assert found
    foot = (BODY_BOTTOM_MM - HEADING_ROOM_MM) * 72 / 25.4
    low = [(page, round(y)) for page, y in found if y > foot]
    assert low == [], f"headings (page, y in pt) with no room for their text: {low}"


def test_a_draft_says_so_on_every_page_of_the_report(quarto_built: Build) -> None:
    """The 2019 edition has no publication record here: every numbered page carries
    «Utkast» in its footer, not only the cover and the colophon."""
    reader = PdfReader(quarto_built.root / PDF)
    starts = _chapter_starts(reader)
    texts = [page.extract_text() for page in reader.pages]
    missing = [n + 1 for n, text in enumerate(texts) if n >= min(starts) and "Utkast" not in text]
    assert missing == [], f"pages (1-based) of a draft without its status: {missing}"


def test_the_references_hang_and_are_set_ragged_right(quarto_built: Build, source: str) -> None:
    """Kilder was justified (stretched word spacing) with no hanging indent."""
    assert source.count("\n] <refs>") == 1
    probed = source.replace("\n] <refs>", "\n" + REFERENCES_STYLE + "\n] <refs>")
    import typst

    found = json.loads(
        typst.query(
            probed.encode("utf-8"), "<references>", field="value", **_typst(quarto_built.root)
        )
    )
    assert len(found) == 1
    assert found[0]["indent"] > 0 and found[0]["justify"] is False, found
