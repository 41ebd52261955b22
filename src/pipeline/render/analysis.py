"""Reads, numbers and checks the whole book: the first half of the built-in renderer.

``analyse`` expands the sources (sources.py), parses each chapter with pandoc and runs
filters/book.lua over the book. It is also the subset check run before real Quarto
renders, so a construct the two renderers would treat differently fails in both.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import RenderError
from pipeline.render.apparatus import apply_apparatus
from pipeline.render.book import Book, Chapter
from pipeline.render.pandoc import (
    FILTERS,
    Ast,
    div,
    document,
    meta_string,
    read_all_markdown,
)
from pipeline.render.problems import SourceProblem, fail
from pipeline.render.sources import Source, SourceReader
from pipeline.render.variables import ROOT_VARIABLES, load_variables, lookup

SYNTHETIC_LABEL = "Syntetiske data"


@dataclass(frozen=True)
class Section:
    """A heading of a page: for the on-page contents and the search index."""

    id: str
    level: int
    number: str
    title: str
    text: str

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class Page:
    """One chapter as a page of the site, with the numbers book.lua gave it."""

    chapter: Chapter
    number: str
    id: str
    title: str
    sections: tuple[Section, ...]

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}" if self.number else self.title


@dataclass(frozen=True)
class AnalysedBook:
    """The numbered book: AST with one Div per chapter, and what the writers need besides."""

    book: Book
    ast: Ast
    pages: tuple[Page, ...]
    anchors: Mapping[str, str]
    images: tuple[str, ...]
    synthetic_notice: str | None
    targets: Mapping[str, Mapping[str, Any]]
    """id → ``{ref, number, numbered, file}``: what ``@id`` says and where it points."""


def analyse(book: Book, fmt: str = "html") -> AnalysedBook:
    """Expand, parse, number and check the whole book as ``fmt`` ("html" or "typst") sees it.

    Raises RenderError listing every problem.
    """
    variables = load_variables(book.root)
    reader = SourceReader(book, variables)
    sources = [reader.read(chapter) for chapter in book.chapters]
    if reader.uses_variables and not variables:
        raise RenderError(
            f"the sources use {{{{< var >}}}} but there is no {ROOT_VARIABLES}: it is copied from "
            "report/_generated/_variables.yml, which the statistics stage writes (make report)"
        )
    fail(reader.problems)
    parsed = read_all_markdown([source.markdown for source in sources])
    config = {"labels": dict(book.labels), "number_depth": book.number_depth}
    blocks = [_chapter_div(source, ast) for source, ast in zip(sources, parsed, strict=True)]
    api = parsed[0]["pandoc-api-version"]
    meta = {"book-config": meta_string(json.dumps(config, ensure_ascii=False))}
    # book.lua numbers the book, then the project's own filters run, as Quarto runs them:
    # all in the pandoc process that decides conditional content and citations.
    filters = [FILTERS / "book.lua", *(book.root / name for name in book.filters)]
    numbered = apply_apparatus(document(api, meta, blocks), book, fmt, then=filters)
    data = json.loads(numbered["meta"].pop("book-data")["c"])
    problems = [_locate(sources, problem) for problem in data["problems"]]
    problems += _missing_images(book.root, sources, data["images"])
    fail(problems)
    return AnalysedBook(
        book=book,
        ast=numbered,
        pages=tuple(
            _page(chapter, entry)
            for chapter, entry in zip(book.chapters, data["outline"], strict=True)
        ),
        anchors=data["anchors"] or {},
        images=tuple(sorted({image["path"] for image in data["images"]})),
        synthetic_notice=_synthetic_notice(variables),
        targets=data["targets"] or {},
    )


def _chapter_div(source: Source, ast: Ast) -> dict[str, Any]:
    chapter = source.chapter
    attributes = {
        "file": chapter.path,
        "page": chapter.page,
        "kind": chapter.kind,
        "part": chapter.part or "",
    }
    return div(["book-chapter"], attributes, ast["blocks"])


def _locate(sources: list[Source], problem: dict[str, Any]) -> SourceProblem:
    """Find the line a filter's problem came from: the ``nth`` source line holding its needle."""
    source = sources[problem["chapter"] - 1]
    file, line = source.locate(problem["needle"], int(problem.get("nth", 1)))
    return SourceProblem(file, line, problem["message"])


def _missing_images(
    root: Path, sources: list[Source], images: list[dict[str, Any]]
) -> list[SourceProblem]:
    problems = []
    for image in images:
        if not (root / image["path"].lstrip("/")).is_file():
            file, line = sources[image["chapter"] - 1].locate(image["needle"])
            problems.append(SourceProblem(file, line, f"image {image['needle']} not found"))
    return problems


def _page(chapter: Chapter, entry: dict[str, Any]) -> Page:
    sections = tuple(
        Section(s["id"], int(s["level"]), s["number"], s["title"], s.get("text", ""))
        for s in entry["sections"] or []
    )
    return Page(chapter, entry["number"], entry["id"], entry["title"], sections)


def _synthetic_notice(variables: Mapping[str, Any]) -> str | None:
    """The marking for books built from synthetic data (``data.synthetic: ja``)."""
    if str(lookup(variables, "data.synthetic")).strip().lower() != "ja":
        return None
    notice = lookup(variables, "data.notice")
    return str(notice).strip() if notice else SYNTHETIC_LABEL
