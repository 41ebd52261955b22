"""Universal design: the HTML passes axe-core at WCAG 2.1 A/AA in a real browser, and the
PDF is tagged, titled, in Norwegian, with embedded fonts and chapter bookmarks."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from tests.conftest import Build

QUALITY = Path(__file__).parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def _axe(node: str, pages: list[Path]) -> dict:
    if not Path(CHROMIUM).exists():
        pytest.fail("Debian's chromium is required (.ci/run installs it: apt-get install chromium)")
    done = subprocess.run(
        [node, str(QUALITY / "axe.cjs"), CHROMIUM, *map(str, pages)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_every_html_page_passes_axe_wcag21_aa(built: Build, node: str) -> None:
    pages = sorted((built.root / "_book").rglob("*.html"))
    result = _axe(node, pages)
    assert result["pages"] == len(pages) >= 10
    assert result["violations"] == [], json.dumps(result["violations"], indent=1)


def test_axe_finds_a_violation_when_there_is_one(node: str, tmp_path: Path) -> None:
    page = tmp_path / "bad.html"
    page.write_text(
        '<!doctype html><html><head><title>x</title></head><body><main><img src="a.png">'
        "</main></body></html>",
        encoding="utf-8",
    )
    ids = {v["id"] for v in _axe(node, [page])["violations"]}
    assert {"image-alt", "html-has-lang"} <= ids


def _fonts(reader: PdfReader) -> list[DictionaryObject]:
    found = []
    for page in reader.pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources else None
        for ref in fonts.get_object().values() if fonts else []:
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", []):
                found.append(descendant.get_object())
            if "/FontDescriptor" in font:
                found.append(font)
    return found


def test_pdf_is_accessible_and_self_contained(built: Build) -> None:
    reader = PdfReader(built.root / "_book" / "konstruktiv-uro.pdf")
    catalog = reader.trailer["/Root"]
    assert str(catalog.get("/Lang", "")).startswith("nb")
    assert reader.metadata is not None and reader.metadata.title == "Konstruktiv uro"
    assert bool(catalog.get("/MarkInfo", {}).get("/Marked")), "PDF is not tagged"
    assert "/StructTreeRoot" in catalog
    fonts = _fonts(reader)
    assert fonts
    for font in fonts:
        descriptor = font["/FontDescriptor"].get_object()
        embedded = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
        assert embedded, f"font {font.get('/BaseFont')} is not embedded"
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert any("Innledning" in t for t in titles), titles
    assert any("Vedlegg" in t or "Datagrunnlag" in t for t in titles), titles
