"""Conditional content and citations in the built-in renderer, as QUARTO-SUBSET.md §9 says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.errors import RenderError
from pipeline.render.apparatus import apply_apparatus, document_metadata, flat_metadata
from pipeline.render.book import load_book
from pipeline.render.pandoc import read_markdown, run_pandoc

SOURCE = """\
::: {.content-visible when-format="html"}
Bare på nett.
:::

::: {.content-hidden when-format="html"}
Bare på papir.
:::

[Programmet er avsluttet.]{.content-visible when-meta="edition.programme_ended"}
[Programmet pågår.]{.content-hidden when-meta="edition.programme_ended"}

::: {.content-visible unless-meta="edition.draft"}
Publisert.
:::

Ifølge @bang2010 og [se @snowden2007, s. 70] er dette kjent. Se @fig-x.

::: {#refs}
:::
"""

BIB = """\
@book{bang2010, author = {Bang, Henning and Midelfart, Thomas}, title = {Effektive ledergrupper},
  publisher = {Gyldendal}, year = {2010}}
@article{snowden2007, author = {Snowden, David}, title = {A Leader's Framework},
  journal = {Harvard Business Review}, year = {2007}}
"""


@pytest.fixture
def project(book: Path) -> Path:
    (book / "refs.bib").write_text(BIB, encoding="utf-8")
    (book / "edition.yml").write_text(
        "edition:\n  programme_ended: true\n  draft: true\n", encoding="utf-8"
    )
    config = book / "_quarto.yml"
    text = config.read_text(encoding="utf-8")
    config.write_text(
        text + "\nbibliography: refs.bib\nmetadata-files:\n  - edition.yml\n", encoding="utf-8"
    )
    return book


def _text(project: Path, fmt: str, source: str = SOURCE) -> str:
    ast = read_markdown(source)
    out = apply_apparatus(ast, load_book(project), fmt)
    return run_pandoc(["--from", "json", "--to", "plain", "--wrap", "none"], json.dumps(out))


def test_format_conditions_follow_the_format(project: Path) -> None:
    html, typst = _text(project, "html"), _text(project, "typst")
    assert "Bare på nett." in html and "Bare på papir." not in html
    assert "Bare på papir." in typst and "Bare på nett." not in typst


def test_meta_conditions_read_the_metadata_files(project: Path) -> None:
    text = _text(project, "html")
    assert "Programmet er avsluttet." in text and "Programmet pågår." not in text
    assert "Publisert." not in text  # edition.draft is true


def test_citations_resolve_and_the_list_stands_where_refs_is(project: Path) -> None:
    text = _text(project, "typst")
    assert "Bang og Midelfart (2010)" in text  # Norwegian citeproc terms ("og")
    assert "se Snowden 2007, 70" in text
    assert "Effektive ledergrupper" in text and "Harvard Business Review" in text
    assert "@fig-x" in text  # cross-references are left for book.lua


def test_a_missing_citation_key_is_an_error(project: Path) -> None:
    with pytest.raises(RenderError, match="nosuchkey"):
        _text(project, "html", "Se [@nosuchkey].\n")


def test_an_unknown_meta_key_is_an_error(project: Path) -> None:
    with pytest.raises(RenderError, match=r"edition\.typo is not in the document's metadata"):
        _text(project, "html", '[x]{.content-visible when-meta="edition.typo"}\n')


def test_a_missing_metadata_file_is_named(project: Path) -> None:
    (project / "edition.yml").unlink()
    with pytest.raises(RenderError, match=r"metadata-files: edition\.yml does not exist"):
        document_metadata(load_book(project))


def test_flat_metadata_gives_dotted_keys() -> None:
    assert flat_metadata({"edition": {"draft": True, "x": {"y": False}}}) == {
        "edition": True, "edition.draft": True, "edition.x": True, "edition.x.y": False,
    }  # fmt: skip


def test_downloads_are_read_from_the_book_section(project: Path) -> None:
    assert load_book(project).downloads == ()
    config = project / "_quarto.yml"
    config.write_text(
        config.read_text("utf-8").replace("book:\n", "book:\n  downloads: [pdf]\n", 1), "utf-8"
    )
    assert load_book(project).downloads == ("pdf",)


def test_the_book_title_and_subtitle_are_metadata_in_every_chapter(project: Path) -> None:
    """Quarto 1.10.18 resolves {{< meta book.subtitle >}} in any chapter (HTML and Typst),
    so the colophon can repeat the cover's subtitle from the one value in _quarto.yml; the
    promoted top-level keys (author) stay known in index.qmd only (quarto-cli#8675)."""
    book = load_book(project)
    assert book.metadata["book"]["title"] == book.title
    assert book.metadata["book"].get("subtitle") == book.subtitle
    assert "chapters" not in book.metadata["book"]  # the project's structure stays out
    assert "author" not in book.metadata
