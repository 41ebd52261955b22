"""The Quarto path with the real Quarto CLI (the Quarto lane: ``make test-quarto``).

Skipped, with the reason printed, where ``quarto`` is not on PATH (tests/conftest.py).
The fixture book is rendered once by Quarto for the module; tests that change the sources
work on copies of their own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from pipeline.errors import RenderError
from pipeline.render import RenderResult, render, resolve_renderer
from pipeline.render.quarto import TESTED_VERSIONS, quarto_version
from pipeline.render.scan import find_unresolved, html_string_text, html_text

from .conftest import TIMESTAMP, copy_book

pytestmark = pytest.mark.quarto


@pytest.fixture(scope="module")
def quarto_rendered(tmp_path_factory: pytest.TempPathFactory) -> RenderResult:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        root = copy_book(tmp_path_factory.mktemp("quarto") / "book")
        return render(root, renderer="quarto", timestamp=TIMESTAMP)


def test_the_tested_release_is_on_path() -> None:
    assert quarto_version() in TESTED_VERSIONS, "update TESTED_VERSIONS, README and the workflow"
    assert resolve_renderer("auto") == ("quarto", quarto_version())


def test_auto_takes_quarto_and_writes_the_book(quarto_rendered: RenderResult) -> None:
    out = quarto_rendered.out_dir
    assert quarto_rendered.renderer == "quarto"
    assert quarto_rendered.pdf == out / "testboka.pdf"
    pages = sorted(p.relative_to(out).as_posix() for p in quarto_rendered.pages)
    assert pages == [
        "index.html",
        "kapitler/innledning.html",
        "kapitler/metode.html",
        "kilder.html",
        "vedlegg-a.html",
        "vedlegg-b.html",
    ]
    assert (out / "search.json").is_file()
    assert not (out.parent / "._book.rendering").exists()
    assert find_unresolved(out, quarto_rendered.pdf) == []


def test_variables_and_the_edition_date_reach_the_page(quarto_rendered: RenderResult) -> None:
    text = re.sub(r"\s+", " ", html_text(quarto_rendered.index))
    assert "Den største endringen gjaldt «Tydelig formål» (d = 0,85)" in text  # top.1 = list
    assert "31. mai 2024" in text  # -M date: the edition date, in Norwegian


def _append(book: Path, chapter: str, snippet: str) -> int:
    path = book / chapter
    text = path.read_text(encoding="utf-8")
    path.write_text(f"{text}\n{snippet}\n", encoding="utf-8")
    return len(text.splitlines()) + 2


@pytest.mark.parametrize(
    ("snippet", "key"),
    [
        ("Tall: {{< var effect.top.9.label >}}.", "variable effect.top.9.label is not defined"),
        ("Se @fig-fordelingen.", "@fig-fordelingen points to no"),
    ],
)
def test_a_misspelling_fails_and_keeps_the_last_book(
    make_book: Callable[[str], Path], snippet: str, key: str
) -> None:
    book = make_book("book")
    render(book, renderer="quarto")
    before = (book / "_book" / "index.html").read_bytes()
    line = _append(book, "kapitler/metode.qmd", snippet)
    with pytest.raises(RenderError, match=rf"kapitler/metode\.qmd:{line}: .*{key}"):
        render(book, renderer="quarto")
    assert (book / "_book" / "index.html").read_bytes() == before


def test_the_subset_is_checked_before_quarto_runs(make_book: Callable[[str], Path]) -> None:
    book = make_book("book")
    line = _append(book, "kilder.qmd", "{{< env HOME >}}")
    with pytest.raises(RenderError, match=rf"kilder\.qmd:{line}: shortcode"):
        render(book, renderer="quarto")
    assert not (book / "_book").exists() and not (book / ".quarto").exists()


def test_quarto_needs_index_beside_the_project_file(make_book: Callable[[str], Path]) -> None:
    book = make_book("book")
    (book / "report" / "index.qmd").write_text(
        "# Sammendrag {.unnumbered}\n\nKort.\n", encoding="utf-8"
    )
    (book / "index.qmd").unlink()
    config = book / "_quarto.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("- index.qmd", "- report/index.qmd"),
        encoding="utf-8",
    )
    with pytest.raises(RenderError, match=r"index\.qmd beside _quarto\.yml"):
        render(book, renderer="quarto")
    assert not (book / "_book").exists()


def test_every_page_shows_the_status_and_links_the_style_sheet(
    quarto_rendered: RenderResult,
) -> None:
    """Quarto's pages have no header of the project's: marking.lua puts the status there."""
    for page in quarto_rendered.pages:
        html = page.read_text(encoding="utf-8")
        marking = re.search(r'<div class="edition-marking"[^>]*>(.*?)</div>', html, re.S)
        assert marking, page.name
        text = " ".join(html_string_text(marking.group(1)).split())  # &nbsp; as a space
        assert text.startswith("Utkast – 31. mai 2024. Syntetiske data:"), page.name
        assert re.search(r'<link rel="stylesheet" href="[./]*stil\.css">', html), page.name
