"""One book, two renderers: Quarto and the built-in renderer give the same words per page.

Renders the fixture book both ways (the Quarto lane) and compares the reader's text of
every HTML page's <main>: same page names, numbers, reference words and labels. What may
differ is listed in IGNORED with the reason; everything else must be identical. In the
PDFs: the same cover note, page labels (roman front matter, Sammendrag on page 1) and
appendix headings; the layout differences left are listed in src/pipeline/render/README.md.
"""

from __future__ import annotations

import difflib
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader

from pipeline.render import RenderResult, render

from .conftest import TIMESTAMP, copy_book

pytestmark = pytest.mark.quarto

IGNORED = {
    # Quarto's HTML only
    "quarto-title-meta": "Quarto prints author and date under every page title; the built-in "
    "renderer prints them once, on the home page's title block and in every footer",
    "quarto-page-breadcrumbs": "Quarto's breadcrumb navigation above a page title",
    "screen-reader-only": "Quarto reads a titled callout's type ('Merknad') to screen readers "
    "before its title; the built-in renderer marks the callout role=note",
    "edition-marking": "status and synthetic marking: Quarto's pages get them at the top of "
    "<main> (marking.lua), the built-in renderer's in its page header; "
    "test_quarto.py::test_every_page_shows_the_status_and_links_the_style_sheet",
    "quarto-title-block": "styling only: Quarto puts the title page's subtitle in the page "
    "header (the chapter's h1 is compared separately)",
    # the built-in renderer's HTML only
    "pager": "previous/next links: inside <main> in the built-in renderer, in Quarto's "
    "page navigation after it",
    "book-intro": "the home page's title block (title, subtitle, publisher, date); Quarto "
    "shows the same in its title block, set apart above",
}
VOID = frozenset({"img", "br", "hr", "meta", "link", "input", "source", "wbr", "col"})


class MainText(HTMLParser):
    """The words of <main> (and of every <h1>), without the IGNORED blocks, scripts, styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # tag, inside main, skipped
        self.parts: list[str] = []
        self.h1: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        inside, skipped = self.stack[-1][1:] if self.stack else (False, False)
        skipped = skipped or bool(classes & IGNORED.keys()) or tag in ("script", "style")
        self.stack.append((tag, inside or tag == "main", skipped))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.stack:
            return
        if any(t == "h1" for t, _, _ in self.stack):
            self.h1.append(data)  # compared on its own: Quarto sets it in the title block
            return
        _, inside, skipped = self.stack[-1]
        if inside and not skipped:
            self.parts.append(data)


def _words(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts).replace("\xa0", " ")).strip()


def page_text(path: Path) -> tuple[str, str]:
    """(h1 text, body text) of one page."""
    parser = MainText()
    parser.feed(path.read_text(encoding="utf-8"))
    return _words(parser.h1), _words(parser.parts)


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[RenderResult, RenderResult]:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        base = tmp_path_factory.mktemp("both")
        quarto = render(copy_book(base / "q"), renderer="quarto", timestamp=TIMESTAMP)
        builtin = render(copy_book(base / "b"), renderer="builtin", timestamp=TIMESTAMP)
        return quarto, builtin


def _pages(result: RenderResult) -> list[str]:
    return sorted(p.relative_to(result.out_dir).as_posix() for p in result.pages)


def test_same_page_names(both: tuple[RenderResult, RenderResult]) -> None:
    quarto, builtin = both
    assert _pages(quarto) == _pages(builtin)
    for result in both:
        assert (result.out_dir / "search.json").is_file()


def test_same_text_on_every_page(both: tuple[RenderResult, RenderResult]) -> None:
    quarto, builtin = both
    differ = []
    for page in _pages(quarto):
        q_h1, q_text = page_text(quarto.out_dir / page)
        b_h1, b_text = page_text(builtin.out_dir / page)
        assert len(b_text) > 50 and b_h1, page  # the comparison compares something
        if b_h1 not in q_h1:  # Quarto's h1 may add the book title on the home page
            differ.append(f"{page}: h1 {q_h1!r} ≠ {b_h1!r}")
        differ += [f"{page}: {change}" for change in word_changes(q_text, b_text)]
    assert not differ, "\n".join(differ)


def word_changes(quarto: str, builtin: str) -> list[str]:
    """The runs of words that differ, as ``quarto «…» builtin «…»``."""
    a, b = quarto.split(" "), builtin.split(" ")
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [
        f"quarto «{' '.join(a[i1:i2])}» builtin «{' '.join(b[j1:j2])}»"
        for op, i1, i2, j1, j2 in matcher.get_opcodes()
        if op != "equal"
    ]


def test_same_cover_note(both: tuple[RenderResult, RenderResult]) -> None:
    """Status (draft: 'Utkast' + the build's date), data date and synthetic marking."""
    covers = []
    for result in both:
        assert result.pdf is not None
        covers.append(re.sub(r"\s+", " ", PdfReader(result.pdf).pages[0].extract_text()))
    for cover in covers:
        assert "Testboka" in cover
        assert "Utkast – 31. mai 2024" in cover  # TIMESTAMP: no publication record yet
        assert "Datagrunnlag per 31. mai 2024" in cover  # the edition's date
        assert "SYNTETISKE DATA" in cover and "Tallene er beregnet fra syntetiske data." in cover


def _pdf_pages(result: RenderResult) -> tuple[list[str], list[str]]:
    """(page labels, text of each page) of a render's PDF."""
    assert result.pdf is not None
    reader = PdfReader(result.pdf)
    texts = [re.sub(r"\s+", " ", page.extract_text()).strip() for page in reader.pages]
    return list(reader.page_labels), texts


def test_same_page_numbering(both: tuple[RenderResult, RenderResult]) -> None:
    """No number on the cover, the contents from page i, Sammendrag on page 1, then 2, 3, …

    Page labels are what a PDF viewer shows and what a citation gives; Quarto's book adds
    blank left-hand pages before chapters, so the page counts may differ.
    """
    for result in both:
        labels, texts = _pdf_pages(result)
        contents = next(i for i, text in enumerate(texts) if text.startswith("Innhold"))
        summary = next(i for i, text in enumerate(texts) if text.startswith("Sammendrag"))
        assert labels[0] == "", result.renderer
        front = [label for label in labels[1:summary] if label]
        assert front == ["i", "ii", "iii", "iv", "v"][: len(front)], (result.renderer, labels)
        assert labels[contents] == "i", (result.renderer, labels)
        assert labels[summary:] == [str(n) for n in range(1, len(labels) - summary + 1)], (
            result.renderer,
            labels,
        )


def test_same_appendix_headings(both: tuple[RenderResult, RenderResult]) -> None:
    """'Vedlegg A — Tabeller' (crossref: appendix-title, appendix-delim), not 'A. Tabeller'."""
    for result in both:
        _, texts = _pdf_pages(result)
        summary = next(i for i, text in enumerate(texts) if text.startswith("Sammendrag"))
        body = " ".join(texts[summary:])
        for heading in ("Vedlegg A — Tabeller Vedlegget", "Vedlegg B — Figurer"):
            assert heading in body, (result.renderer, heading)
