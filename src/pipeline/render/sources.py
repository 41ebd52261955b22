"""Reads chapter sources the way Quarto does before pandoc sees them: YAML front matter,
``{{< include >}}`` (recursive), and the inline shortcodes ``{{< var >}}``/``{{< meta >}}``.

Every output line remembers the file and line it came from, so that a problem found
later in pandoc's AST can still be reported as ``file:line`` (pandoc's markdown reader
keeps no source positions).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.render.book import CONFIG, Book, Chapter
from pipeline.render.problems import SourceProblem
from pipeline.render.variables import lookup

SHORTCODE = re.compile(r"\{\{<\s*(?P<name>[^\s>]*)\s*(?P<args>.*?)\s*>\}\}")
INCLUDE_LINE = re.compile(r"^\{\{<\s*include\s")
PAGEBREAK_LINE = re.compile(r"^\s*\{\{<\s*pagebreak\s*>\}\}")
FENCE = re.compile(r"^\s*(?P<fence>`{3,}|~{3,})\s*(?P<info>.*)$")
EXECUTABLE_CELL = re.compile(r"^\{\s*[A-Za-z][\w-]*\s*([\s,}])")
INLINE_EXECUTABLE = re.compile(r"`\{[A-Za-z][\w-]*\}\s")
RENDERING_KEYS = frozenset(
    {"format", "filters", "execute", "engine", "jupyter", "bibliography", "csl", "crossref",
     "lang", "language", "number-sections", "number-depth", "shortcodes", "metadata-files"}
)  # fmt: skip
"""Front matter keys that change how Quarto renders the chapter (refused: the built-in
renderer takes them from ``_quarto.yml`` only). Every other key is metadata for
``{{< meta >}}``, as in Quarto."""
PAGEBREAK_DIV = ("", "::: {.quarto-pagebreak}", ":::", "")
"""What ``{{< pagebreak >}}`` becomes: an empty div the format filters turn into a break."""

UNSUPPORTED_SHORTCODES = {
    "env": "its output depends on the environment",
    "embed": "write figures and tables to files and include them instead",
}


@dataclass(frozen=True)
class Line:
    """One line of expanded text and the source line it came from."""

    text: str
    file: str
    number: int


@dataclass
class Source:
    """A chapter after includes and shortcodes: the text pandoc reads, line by line."""

    chapter: Chapter
    lines: list[Line]

    @property
    def markdown(self) -> str:
        return "".join(line.text + "\n" for line in self.lines)

    def locate(self, needle: str, nth: int = 1) -> tuple[str, int]:
        """``file, line`` of the ``nth`` (else the last) line containing ``needle``.

        Falls back to the chapter file itself when the needle is nowhere (line 0).
        """
        found = (self.chapter.path, 0)
        seen = 0
        for line in self.lines:
            if needle and needle in line.text:
                seen += 1
                found = (line.file, line.number)
                if seen == nth:
                    break
        return found


class SourceReader:
    """Expands chapters of one book; problems are collected, not raised, to report all."""

    def __init__(self, book: Book, variables: Mapping[str, Any]) -> None:
        self.book = book
        self.variables = variables
        self.problems: list[SourceProblem] = []
        self.uses_variables = False

    def read(self, chapter: Chapter) -> Source:
        path = self.book.root / chapter.path
        if not path.is_file():
            self._problem(CONFIG, 0, f"chapter {chapter.path} not found")
            return Source(chapter, [])
        lines = self._lines(path, chapter.path)
        front, body = self._split_front_matter(lines)
        if "title" in front:
            body.insert(0, Line(f"# {front['title']}", chapter.path, 1))
        expanded = self._expand_includes(body, (chapter.path,))
        project = self.book.index_metadata if chapter.kind == "preface" else self.book.metadata
        return Source(chapter, self._substitute(expanded, [front, project]))

    def _problem(self, file: str, line: int, message: str) -> None:
        self.problems.append(SourceProblem(file, line, message))

    def _lines(self, path: Path, rel: str) -> list[Line]:
        text = path.read_text(encoding="utf-8-sig")
        return [Line(t, rel, n) for n, t in enumerate(text.splitlines(), start=1)]

    def _split_front_matter(self, lines: list[Line]) -> tuple[dict[str, Any], list[Line]]:
        if not lines or lines[0].text.rstrip() != "---":
            return {}, lines
        end = next(
            (i for i, ln in enumerate(lines[1:], 1) if ln.text.rstrip() in ("---", "...")), 0
        )
        if not end:
            self._problem(lines[0].file, 1, "YAML front matter is not closed")
            return {}, lines
        try:
            front = yaml.safe_load("\n".join(ln.text for ln in lines[1:end])) or {}
        except yaml.YAMLError as exc:
            self._problem(lines[0].file, 1, f"invalid YAML front matter: {exc}")
            return {}, lines[end + 1 :]
        if not isinstance(front, dict):
            self._problem(lines[0].file, 1, "YAML front matter must be a mapping")
            return {}, lines[end + 1 :]
        for key in sorted(set(front) & RENDERING_KEYS):
            line = next((ln.number for ln in lines[1:end] if ln.text.startswith(f"{key}:")), 1)
            message = f"front matter key {key}: is not supported (set it in _quarto.yml)"
            self._problem(lines[0].file, line, message)
        return front, lines[end + 1 :]

    def _expand_includes(self, lines: list[Line], stack: tuple[str, ...]) -> list[Line]:
        out: list[Line] = []
        for line in lines:
            match = SHORTCODE.search(line.text)
            if not match or match.group("name") != "include":
                out.append(line)
                continue
            if not INCLUDE_LINE.match(line.text) or line.text.rstrip() != match.group(0):
                self._problem(line.file, line.number, "include must stand alone on its own line")
                continue
            out += self._include(line, match.group("args").strip(), stack)
        return out

    def _include(self, line: Line, target: str, stack: tuple[str, ...]) -> list[Line]:
        rel = self._resolve(stack[0], target)
        path = self.book.root / rel if rel else None
        if path is None or not path.is_file():
            self._problem(line.file, line.number, f"included file {target} not found")
            return []
        if rel in stack:
            self._problem(line.file, line.number, f"include cycle: {' → '.join((*stack, rel))}")
            return []
        included = self._lines(path, rel)
        if included and included[0].text.rstrip() == "---":
            self._problem(rel, 1, "an included file must not have a YAML block")
            return []
        return self._expand_includes(included, (*stack, rel))

    def _resolve(self, document: str, target: str) -> str | None:
        """Root paths (``/x``) resolve against the project, others against the chapter file.

        Quarto resolves every include, nested ones too, against the document being rendered
        (``handlerContext.resolvePath`` in ``include-standalone.ts``), not the including file.
        """
        base = self.book.root if target.startswith("/") else (self.book.root / document).parent
        resolved = (base / target.lstrip("/")).resolve()
        root = self.book.root.resolve()
        if not resolved.is_relative_to(root):
            return None
        return resolved.relative_to(root).as_posix()

    def _substitute(self, lines: list[Line], metadata: list[Mapping[str, Any]]) -> list[Line]:
        out: list[Line] = []
        fence = ""
        for line in lines:
            fence = self._track_fence(line, fence)
            if INLINE_EXECUTABLE.search(line.text):
                self._problem(line.file, line.number, "inline executable code is not supported")
            if PAGEBREAK_LINE.match(line.text):
                out += self._pagebreak(line)
                continue
            text = SHORTCODE.sub(lambda m, ln=line: self._inline(m, ln, metadata), line.text)
            if "{{<" in text:
                self._problem(line.file, line.number, "shortcode is not closed on its line")
            out += [Line(part, line.file, line.number) for part in text.split("\n")]
        return out

    def _track_fence(self, line: Line, fence: str) -> str:
        """Follow fenced code blocks; refuse executable cells such as ```` ```{python} ````."""
        match = FENCE.match(line.text)
        if not match:
            return fence
        marker, info = match.group("fence"), match.group("info").strip()
        if fence:
            closes = marker[0] == fence[0] and len(marker) >= len(fence) and not info
            return "" if closes else fence
        if EXECUTABLE_CELL.match(info):
            self._problem(line.file, line.number, f"executable code cell {info} is not supported")
        return marker

    def _pagebreak(self, line: Line) -> list[Line]:
        if line.text.rstrip() != "{{< pagebreak >}}":
            self._problem(line.file, line.number, "pagebreak must stand alone on its own line")
            return []
        return [Line(text, line.file, line.number) for text in PAGEBREAK_DIV]

    def _inline(self, match: re.Match[str], line: Line, metadata: list[Mapping[str, Any]]) -> str:
        """The text of an inline shortcode; ``metadata`` is searched first to last."""
        name, key = match.group("name"), match.group("args").strip()
        if name == "var":
            self.uses_variables = True
            return self._value(lookup(self.variables, key), f"variable {key}", line)
        if name == "meta":
            found = (lookup(mapping, key) for mapping in metadata)
            value = next((v for v in found if v is not None), None)
            if value is None and lookup(self.book.index_metadata, key) is not None:
                message = f"metadata {key} is known in index.qmd only (quarto-cli#8675); use a var"
                self._problem(line.file, line.number, message)
                return ""
            return self._value(value, f"metadata {key}", line)
        if name in ("include", "pagebreak"):
            self._problem(line.file, line.number, f"{name} must stand alone on its own line")
            return ""
        reason = UNSUPPORTED_SHORTCODES.get(name, "supported: var, meta, include, pagebreak")
        self._problem(
            line.file, line.number, f"shortcode {{{{< {name} >}}}} is not supported ({reason})"
        )
        return ""

    def _value(self, value: Any, what: str, line: Line) -> str:
        """Scalars as Quarto prints them; a missing key or a mapping is a problem, not ``?var``."""
        if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
            return ", ".join(self._scalar(v) for v in value)
        if value is None or isinstance(value, dict | list):
            problem = "is not defined" if value is None else "is not a single value"
            self._problem(line.file, line.number, f"{what} {problem}")
            return ""
        return self._scalar(value)

    @staticmethod
    def _scalar(value: Any) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)
