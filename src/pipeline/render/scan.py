"""The check every render ends with: nothing unresolved may reach a reader.

Quarto only warns about an unknown variable, metadata key, citation or cross-reference and
writes a placeholder into the page (``?var:key``, ``?meta:key``, ``?@fig-x``); Typst writes
``??`` for a reference it cannot number; a shortcode the renderer did not know stays as
``{{< … >}}``. This module reads the text of every HTML page (not its scripts) and of every
PDF page, and raises a RenderError naming page and key for each placeholder it finds, so a
broken page never passes as a green build (DESIGN.md section 6).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

from pipeline.errors import RenderError

_KEY = r"[^\s<>\"'«»()\[\],;]+"
PLACEHOLDER = re.compile(
    rf"\?var:{_KEY}|\?meta:{_KEY}|\?@{_KEY}|\?(?:fig|tbl|sec|eq|lst)-{_KEY}"
    r"|\?\?|\{\{<[^\n]*?(?:>\}\}|$)"
)
"""``?var:``, ``?meta:``, ``?@`` (citation or cross-reference; Quarto's HTML drops the ``@``:
``?fig-x``), ``??`` and ``{{<``."""


@dataclass(frozen=True, order=True)
class Unresolved:
    """One placeholder: the page (relative to the output folder) and the key as printed."""

    page: str
    key: str

    def __str__(self) -> str:
        return f"{self.page}: {self.key}"


class _TextOf(HTMLParser):
    """The text a reader sees: everything outside ``<script>``, ``<style>`` and ``<template>``."""

    HIDDEN = frozenset({"script", "style", "template"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.HIDDEN:
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in self.HIDDEN and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(path: Path) -> str:
    return html_string_text(path.read_text(encoding="utf-8"))


def html_string_text(html: str) -> str:
    """The text a reader sees in a page or a fragment of one (entities resolved)."""
    parser = _TextOf()
    parser.feed(html)
    return "".join(parser.parts)


def pdf_pages(path: Path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def unresolved_in(text: str, page: str) -> list[Unresolved]:
    """The placeholders in one page's text (soft hyphens of a hyphenated PDF line dropped)."""
    text = text.replace("\xad\n", "").replace("\xad", "")
    return [Unresolved(page, match.group(0).rstrip(".:")) for match in PLACEHOLDER.finditer(text)]


def find_unresolved(out_dir: Path, pdf: Path | None) -> list[Unresolved]:
    """Every placeholder in the HTML pages below ``out_dir`` and on the pages of ``pdf``."""
    found: list[Unresolved] = []
    for page in sorted(out_dir.rglob("*.html")):
        found += unresolved_in(html_text(page), page.relative_to(out_dir).as_posix())
    if pdf is not None and pdf.is_file():
        for number, text in enumerate(pdf_pages(pdf), start=1):
            found += unresolved_in(text, f"{pdf.name} page {number}")
    return sorted(set(found))


def check_output(out_dir: Path, pdf: Path | None, renderer: str) -> None:
    """Raise a RenderError listing every unresolved item the render left in its output."""
    found = find_unresolved(out_dir, pdf)
    if found:
        lines = [f"{len(found)} unresolved item(s) in the {renderer} output:"]
        lines += [f"  {item}" for item in found]
        raise RenderError("\n".join(lines))
