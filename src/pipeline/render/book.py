"""Reads ``_quarto.yml``: the one table of chapters, labels and formats both renderers share.

Only the keys of the subset in QUARTO-SUBSET.md are interpreted. Keys that would make real
Quarto produce something the built-in renderer cannot (``embed-resources``, Lua ``filters``,
``jupyter`` …) are refused here with their line in ``_quarto.yml``, so that the two
renderers cannot drift apart silently.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, Literal

import yaml

from pipeline.render.problems import fail_at

CONFIG = "_quarto.yml"

ChapterKind = Literal["preface", "chapter", "appendix"]

REQUIRED_LANGUAGE_KEYS = (
    "crossref-fig-title",
    "crossref-tbl-title",
    "crossref-ch-prefix",
    "crossref-sec-prefix",
    "crossref-apx-prefix",
    "section-title-appendices",
    "callout-note-title",
    "callout-tip-title",
    "callout-warning-title",
    "callout-important-title",
    "callout-caution-title",
    "toc-title-document",
)
"""DESIGN.md section 6: every label is pinned in ``_quarto.yml`` (Quarto's nb strings are
partly Danish), so the built-in renderer has no defaults of its own and refuses a gap."""

CROSSREF_KEYS = frozenset(
    {
        "fig-title",
        "tbl-title",
        "fig-prefix",
        "tbl-prefix",
        "sec-prefix",
        "ch-prefix",
        "title-delim",
        "appendix-title",
        "appendix-delim",
        "chapters",
    }
)

FORBIDDEN_KEYS = {
    "embed-resources": "embed-resources breaks Quarto book renders (quarto-cli#11206)",
    "self-contained": "self-contained is the deprecated spelling of embed-resources",
    "shortcodes": "custom shortcodes would run under Quarto only",
    "jupyter": "executable code is not in the supported subset",
}

FORBIDDEN_KEYS["filters"] = "filters belong at the top of _quarto.yml, for both renderers"
"""(Top-level ``filters:`` are allowed: the built-in renderer runs them as Quarto does.)"""

FORMATS = ("html", "typst")

PROJECT_KEYS = frozenset({"project", "book"})
"""Keys of ``_quarto.yml`` that configure the project rather than each document."""

LITERAL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

NORWEGIAN_MONTHS = (
    "januar", "februar", "mars", "april", "mai", "juni",
    "juli", "august", "september", "oktober", "november", "desember",
)  # fmt: skip


@dataclass(frozen=True)
class Chapter:
    """One source file of the book and where it sits in the book's structure."""

    path: str
    kind: ChapterKind
    part: str | None = None

    @property
    def page(self) -> str:
        """The HTML page, where Quarto writes it: ``index.html`` for the preface, else the
        source path with ``.html`` (``report/01-innledning.html``)."""
        if self.kind == "preface":
            return "index.html"
        return PurePosixPath(self.path).with_suffix(".html").as_posix()

    @property
    def root(self) -> str:
        """The way from the page back to the site's root: ``""`` or ``"../"`` per folder."""
        return "../" * (len(PurePosixPath(self.page).parts) - 1)


@dataclass(frozen=True)
class Book:
    """What the renderers need from ``_quarto.yml``, already checked and normalised."""

    root: Path
    title: str
    subtitle: str | None
    authors: tuple[str, ...]
    date: str | None
    publisher: str | None
    lang: str
    output_dir: str
    output_file: str
    chapters: tuple[Chapter, ...]
    labels: Mapping[str, str]
    formats: tuple[str, ...]
    number_depth: int
    toc_depth: Mapping[str, int]
    typst_options: Mapping[str, Any]
    metadata: Mapping[str, Any]
    index_metadata: Mapping[str, Any]
    downloads: tuple[str, ...] = ()
    """``book: downloads:`` (``pdf``): the site links the book's other formats."""
    css: tuple[str, ...] = ()
    """``format: html: css:`` (paths from the root): both renderers link these style sheets
    after their own."""
    filters: tuple[str, ...] = ()
    """The project's Lua filters (``filters:``, paths from the root): Quarto runs them, and
    the built-in renderer runs them too, in order, on the numbered book."""

    @property
    def pdf_name(self) -> str:
        return f"{self.output_file}.pdf"

    @property
    def date_text(self) -> str:
        """The date as a Norwegian reader writes it (``31. mai 2024``); ISO for other languages."""
        if not self.date or self.lang.split("-")[0] not in ("nb", "nn", "no"):
            return self.date or ""
        year, month, day = (int(part) for part in self.date.split("-"))
        return f"{day}. {NORWEGIAN_MONTHS[month - 1]} {year}"


def load_book(root: Path) -> Book:
    """Read and check ``root/_quarto.yml``; a RenderError names the offending line."""
    path = root / CONFIG
    if not path.is_file():
        raise fail_at(CONFIG, 0, "no _quarto.yml in the project root")
    text = path.read_text(encoding="utf-8")
    config = _parse_yaml(text)
    _refuse_forbidden({k: v for k, v in config.items() if k != "filters"}, text)
    project = _mapping(config.get("project"), "project", text)
    if project.get("type") != "book":
        raise fail_at(CONFIG, _line_of(text, "project"), "project: type: must be book")
    book = _mapping(config.get("book"), "book", text)
    title = _text(book.get("title") or config.get("title"))
    if not title:
        raise fail_at(CONFIG, _line_of(text, "book"), "book: title: is missing")
    formats = _formats(config, text)
    return Book(
        root=root,
        title=title,
        subtitle=_text(book.get("subtitle") or config.get("subtitle")) or None,
        authors=_authors(book.get("author") or config.get("author")),
        date=_date(book.get("date") or config.get("date"), text),
        publisher=_text(book.get("publisher") or config.get("publisher")) or None,
        lang=_text(config.get("lang")) or "en",
        output_dir=_text(project.get("output-dir")) or "_book",
        output_file=_text(book.get("output-file")) or title,
        chapters=_chapters(book, text),
        labels=_labels(config, text, root),
        formats=tuple(name for name in FORMATS if name in formats),
        number_depth=_number_depth(config, formats, text),
        toc_depth={name: _toc_depth(config, formats.get(name, {})) for name in FORMATS},
        typst_options=formats.get("typst", {}),
        css=_css(formats.get("html", {}), root, text),
        metadata={k: v for k, v in config.items() if k not in PROJECT_KEYS} | _book_titles(book),
        index_metadata=_index_metadata(config, book),
        downloads=tuple(str(d) for d in book.get("downloads") or ()),
        filters=_filters(config, text, root),
    )


def _filters(config: dict[str, Any], text: str, root: Path) -> tuple[str, ...]:
    """``filters:``: Lua files of the project (``quarto`` marks where Quarto's own run)."""
    entries = config.get("filters") or []
    if not isinstance(entries, list):
        raise fail_at(CONFIG, _line_of(text, "filters"), "filters: must be a list of .lua files")
    found = []
    for entry in entries:
        if entry == "quarto":
            continue
        if not isinstance(entry, str) or not entry.endswith(".lua"):
            message = f"filters: entry {entry!r} must be the path of a .lua file"
            raise fail_at(CONFIG, _line_of(text, "filters"), message)
        if not (root / entry).is_file():
            raise fail_at(CONFIG, _line_of(text, "filters"), f"filter {entry} not found")
        found.append(entry)
    return tuple(found)


def _parse_yaml(text: str) -> dict[str, Any]:
    try:
        config = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        raise fail_at(CONFIG, line, f"invalid YAML: {exc}") from exc
    if not isinstance(config, dict):
        raise fail_at(CONFIG, 1, "the file must hold a YAML mapping")
    return config


def _line_of(text: str, key: str, nested: bool = False) -> int:
    """First line that sets ``key`` (YAML loses positions; keys are distinctive enough);
    ``nested``: only an indented one (the top-level key of that name is allowed)."""
    indent = r"\s+" if nested else r"\s*"
    pattern = re.compile(rf"^{indent}(-\s*)?{re.escape(key)}\s*:")
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.match(line):
            return number
    return 0


def _mapping(value: Any, key: str, text: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise fail_at(CONFIG, _line_of(text, key), f"{key}: must be a mapping")
    return value


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _refuse_forbidden(node: Any, text: str) -> None:
    """Walk the whole config: forbidden keys are refused wherever they are nested."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in FORBIDDEN_KEYS:
                reason = FORBIDDEN_KEYS[key]
                line = _line_of(text, key, nested=key == "filters")
                raise fail_at(CONFIG, line, f"{key}: is not supported ({reason})")
            if key == "engine" and value != "markdown":
                raise fail_at(CONFIG, _line_of(text, key), "engine: may only be markdown")
            if key == "number-sections" and value is not True:
                raise fail_at(CONFIG, _line_of(text, key), "number-sections: must stay true")
            _refuse_forbidden(value, text)
    elif isinstance(node, list):
        for item in node:
            _refuse_forbidden(item, text)


def _formats(config: dict[str, Any], text: str) -> dict[str, dict[str, Any]]:
    """``format:`` as name → options; Quarto's default is html alone."""
    raw = config.get("format", "html")
    if isinstance(raw, str):
        raw = {raw: {}}
    if not isinstance(raw, dict):
        raise fail_at(CONFIG, _line_of(text, "format"), "format: must be a name or a mapping")
    formats: dict[str, dict[str, Any]] = {}
    for name, options in raw.items():
        if name not in FORMATS:
            message = f"format {name!r} is not supported (only html and typst)"
            raise fail_at(CONFIG, _line_of(text, name), message)
        formats[name] = options if isinstance(options, dict) else {}
    return formats


def _authors(value: Any) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if value else []
    names = [item.get("name", "") if isinstance(item, dict) else item for item in items]
    return tuple(_text(name) for name in names if _text(name))


def _date(value: Any, text: str) -> str | None:
    """Only literal ISO dates: ``today``/``now``/``last-modified`` depend on the clock."""
    if value is None:
        return None
    date = _text(value)
    if not LITERAL_DATE.match(date):
        message = f"date: {date!r} must be a literal YYYY-MM-DD date (reproducible builds)"
        raise fail_at(CONFIG, _line_of(text, "date"), message)
    return date


def _chapters(book: dict[str, Any], text: str) -> tuple[Chapter, ...]:
    chapters: list[Chapter] = []
    for entry in book.get("chapters") or []:
        if isinstance(entry, str):
            chapters.append(Chapter(entry, "chapter"))
        elif isinstance(entry, dict) and isinstance(entry.get("part"), str):
            part = entry["part"]
            if part.endswith((".qmd", ".md")):
                message = "part: must be a title; a part file is not supported"
                raise fail_at(CONFIG, _line_of(text, "part"), message)
            chapters += [Chapter(path, "chapter", part) for path in entry.get("chapters") or []]
        else:
            message = f"chapters: entry {entry!r} must be a file name or a part"
            raise fail_at(CONFIG, _line_of(text, "chapters"), message)
    chapters += [Chapter(path, "appendix") for path in book.get("appendices") or []]
    if not chapters or PurePosixPath(chapters[0].path).name != "index.qmd":
        message = "the first chapter must be index.qmd (Quarto books require one)"
        raise fail_at(CONFIG, _line_of(text, "chapters"), message)
    chapters[0] = Chapter(chapters[0].path, "preface", chapters[0].part)
    _refuse_clashing_pages(chapters, text)
    return tuple(chapters)


def _refuse_clashing_pages(chapters: list[Chapter], text: str) -> None:
    seen: dict[str, str] = {}
    for chapter in chapters:
        if chapter.page in seen:
            message = f"{chapter.path} and {seen[chapter.page]} would both become {chapter.page}"
            raise fail_at(CONFIG, _line_of(text, "chapters"), message)
        seen[chapter.page] = chapter.path


def _labels(config: dict[str, Any], text: str, root: Path) -> dict[str, str]:
    """Merge ``language:`` and ``crossref:`` into the label table the filters use."""
    language = _language(config, text, root)
    missing = [key for key in REQUIRED_LANGUAGE_KEYS if not language.get(key)]
    if missing:
        message = f"pin these labels under language: {', '.join(missing)}"
        raise fail_at(CONFIG, _line_of(text, "language") or 1, message)
    crossref = _mapping(config.get("crossref"), "crossref", text)
    unknown = sorted(set(crossref) - CROSSREF_KEYS)
    if unknown:
        message = f"crossref: key(s) {', '.join(unknown)} not supported"
        raise fail_at(CONFIG, _line_of(text, unknown[0]), message)
    if crossref.get("chapters", True) is not True:
        raise fail_at(CONFIG, _line_of(text, "chapters"), "crossref: chapters: must stay true")
    fig_title = _text(crossref.get("fig-title")) or language["crossref-fig-title"]
    tbl_title = _text(crossref.get("tbl-title")) or language["crossref-tbl-title"]
    labels = {
        "fig-title": fig_title,
        "tbl-title": tbl_title,
        "fig-prefix": _text(crossref.get("fig-prefix"))
        or language.get("crossref-fig-prefix", fig_title),
        "tbl-prefix": _text(crossref.get("tbl-prefix"))
        or language.get("crossref-tbl-prefix", tbl_title),
        "sec-prefix": _text(crossref.get("sec-prefix")) or language["crossref-sec-prefix"],
        "ch-prefix": _text(crossref.get("ch-prefix")) or language["crossref-ch-prefix"],
        "apx-prefix": language["crossref-apx-prefix"],
        "appendix-title": _text(crossref.get("appendix-title")) or language["crossref-apx-prefix"],
        "appendix-delim": str(crossref.get("appendix-delim", " —")),
        "title-delim": str(crossref.get("title-delim", ":")),
        "appendices-title": language["section-title-appendices"],
        "toc-title": language["toc-title-document"],
    }
    for kind in ("note", "tip", "warning", "important", "caution"):
        labels[f"callout-{kind}-title"] = language[f"callout-{kind}-title"]
    return labels


def _language(config: dict[str, Any], text: str, root: Path) -> dict[str, str]:
    """``language:`` inline, per language tag, or as a file; ``_language.yml`` is read first."""
    table: dict[str, Any] = {}
    default_file = root / "_language.yml"
    if default_file.is_file():
        table.update(yaml.safe_load(default_file.read_text(encoding="utf-8")) or {})
    value = config.get("language")
    if isinstance(value, str):
        file = root / value
        if not file.is_file():
            raise fail_at(CONFIG, _line_of(text, "language"), f"language file {value} not found")
        value = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    value = _mapping(value, "language", text)
    lang = _text(config.get("lang"))
    flat = {k: v for k, v in value.items() if not isinstance(v, dict)}
    table.update(flat)
    for tag in _lang_prefixes(lang):
        table.update(_mapping(value.get(tag), tag, text))
    return {key: _text(item) for key, item in table.items()}


def _lang_prefixes(lang: str) -> list[str]:
    """``nb-NO`` → ``["nb", "nb-NO"]``: most general first, like Quarto's loader."""
    parts = lang.split("-") if lang else []
    return ["-".join(parts[: i + 1]) for i in range(len(parts))]


def _css(options: dict[str, Any], root: Path, text: str) -> tuple[str, ...]:
    """``css:`` as one path or a list; a sheet that is not there fails at its line."""
    value = options.get("css") or []
    paths = [value] if isinstance(value, str) else list(value)
    for path in paths:
        if not isinstance(path, str) or not (root / path).is_file():
            raise fail_at(CONFIG, _line_of(text, "css"), f"css: no such style sheet: {path}")
    return tuple(paths)


def _number_depth(config: dict[str, Any], formats: dict[str, dict[str, Any]], text: str) -> int:
    for options in (formats.get("html", {}), formats.get("typst", {}), config):
        if "number-depth" in options:
            depth = options["number-depth"]
            if not isinstance(depth, int) or depth < 1:
                raise fail_at(CONFIG, _line_of(text, "number-depth"), "number-depth: must be ≥ 1")
            return depth
    return 6


def _toc_depth(config: dict[str, Any], options: dict[str, Any]) -> int:
    depth = options.get("toc-depth", config.get("toc-depth", 3))
    return depth if isinstance(depth, int) and depth > 0 else 3


BOOK_TITLE_KEYS = ("title", "subtitle")
"""``book.*`` keys Quarto resolves in every chapter (``{{< meta book.subtitle >}}``; checked
with Quarto 1.10.18, HTML and Typst), unlike the promoted top-level ``author`` (#8675)."""


def _book_titles(book: dict[str, Any]) -> dict[str, Any]:
    """``{"book": {"title": …, "subtitle": …}}`` for ``{{< meta >}}`` in every chapter."""
    titles = {key: book[key] for key in BOOK_TITLE_KEYS if key in book}
    return {"book": titles} if titles else {}


def _index_metadata(config: dict[str, Any], book: dict[str, Any]) -> dict[str, Any]:
    """What ``{{< meta >}}`` sees in index.qmd: the project file with the book's keys promoted.

    Quarto resolves the book's keys (``title``, ``author``, ``book.*``) in index.qmd only:
    in other chapters its HTML output prints ``?meta:author`` (quarto-cli#8675), so the
    other chapters see the project file without them (``Book.metadata``).
    """
    metadata = dict(config)
    for key in ("title", "subtitle", "author", "date", "publisher"):
        if key in book and key not in metadata:
            metadata[key] = book[key]
    return metadata
