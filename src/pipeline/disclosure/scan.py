"""Reads what a public output shows, as cells: table cells, sentences, alt texts, figure text.

Each unit keeps a location ("01-innledning.html, table tbl-deltakere, row 3, column 2"), so a
finding names the cell to fix. Figures are SVGs written with text as paths; matplotlib keeps
each text as a comment beside its glyphs, which is what a reader of the figure sees.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«0-9])")
SVG_TEXT = re.compile(r"<!-- (.*?) -->", re.S)
BLOCKS = {"p", "li", "figcaption", "caption", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd"}


@dataclass(frozen=True)
class Unit:
    """A piece of published text read as one cell: a table row or one sentence."""

    where: str
    cells: tuple[str, ...]

    @property
    def text(self) -> str:
        return " | ".join(self.cells)


@dataclass
class _Table:
    ident: str
    rows: list[list[str]] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[_Table] = []
        self.blocks: list[str] = []
        self.alts: list[str] = []
        self._stack: list[_Table] = []
        self._cell: list[str] | None = None
        self._block: list[str] | None = None
        self._depth = 0
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = dict(attrs)
        if tag in {"script", "style"}:
            self._skip += 1
        elif tag == "table":
            table = _Table(attr.get("id") or f"#{len(self.tables) + 1}")
            self.tables.append(table)
            self._stack.append(table)
        elif tag == "tr" and self._stack:
            self._stack[-1].rows.append([])
        elif tag in {"td", "th"} and self._stack:
            self._cell = []
        elif tag in BLOCKS and self._cell is None:
            if self._block is None:
                self._block, self._depth = [], 0
            self._depth += 1
        if tag == "img" and attr.get("alt"):
            self.alts.append(str(attr["alt"]))

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style"}:
            self._skip -= 1
        elif tag == "table" and self._stack:
            self._stack.pop()
        elif tag in {"td", "th"} and self._stack and self._cell is not None:
            if self._stack[-1].rows:
                self._stack[-1].rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag in BLOCKS and self._block is not None and self._cell is None:
            self._depth -= 1
            if self._depth == 0:
                self.blocks.append(" ".join("".join(self._block).split()))
                self._block = None

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._cell is not None:
            self._cell.append(data)
        elif self._block is not None:
            self._block.append(data)


def sentences(text: str) -> list[str]:
    return [s for s in SENTENCE.split(" ".join(text.split())) if s]


def html_units(name: str, html: str) -> list[Unit]:
    """A page's table rows, text sentences and image alt texts."""
    parser = _PageParser()
    parser.feed(html)
    units = [
        Unit(f"{name}, table {t.ident}, row {i}", tuple(row))
        for t in parser.tables
        for i, row in enumerate(t.rows, start=1)
    ]
    for b, block in enumerate(parser.blocks, start=1):
        units += [Unit(f"{name}, text block {b}", (s,)) for s in sentences(block)]
    units += [Unit(f"{name}, alt text {a}", (alt,)) for a, alt in enumerate(parser.alts, start=1)]
    return units


def svg_units(name: str, svg: str) -> list[Unit]:
    """A figure's texts (tick labels, annotations, legend) as one unit per text."""
    return [
        Unit(f"{name}, figure text {i}", (" ".join(t.split()),))
        for i, t in enumerate(SVG_TEXT.findall(svg), start=1)
    ]


def text_units(name: str, text: str) -> list[Unit]:
    """Plain text or Markdown (the change summary, figures.yml) as sentences per line."""
    units = []
    for n, line in enumerate(text.splitlines(), start=1):
        units += [Unit(f"{name}, line {n}", (s,)) for s in sentences(line)]
    return units


def json_units(name: str, text: str) -> list[Unit]:
    """Every string of a JSON file (Quarto's search index) as sentences per line of the value.

    Read as JSON rather than as text: the index keeps a section's table cells and paragraphs
    as escaped newlines on one physical line, which would run a participant table's last
    organisation into the next paragraph's numbers.
    """
    try:
        data = json.loads(text)
    except ValueError:
        return text_units(name, text)
    units: list[Unit] = []

    def walk(node: object, where: str) -> None:
        if isinstance(node, str):
            for n, line in enumerate(node.splitlines(), start=1):
                units.extend(Unit(f"{where}, line {n}", (s,)) for s in sentences(line))
        elif isinstance(node, dict):
            for key, value in node.items():
                walk(value, f"{where}.{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node, start=1):
                walk(value, f"{where}[{i}]")

    walk(data, name)
    return units
