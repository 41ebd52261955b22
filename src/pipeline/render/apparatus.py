"""Conditional content and citations for the built-in renderer, as Quarto treats them.

Both run on one format's copy of the book before book.lua numbers it (QUARTO-SUBSET.md
section 9): ``.content-visible``/``.content-hidden`` keep or drop text by format and by the
document's metadata (``_quarto.yml`` plus its ``metadata-files:``, e.g. the edition file the
statistics stage writes), and pandoc's citeproc resolves ``[@key]`` against
``bibliography:`` and lays out the list where ``::: {#refs}`` stands.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import RenderError
from pipeline.render.book import Book
from pipeline.render.pandoc import FILTERS, Ast, run_pandoc

PANDOC_FORMAT = {"html": "html", "typst": "typst"}


def document_metadata(book: Book) -> dict[str, Any]:
    """``_quarto.yml``'s document keys with each ``metadata-files:`` file merged over them."""
    return _deep_merge(book.metadata, files_metadata(book))


def files_metadata(book: Book) -> dict[str, Any]:
    """The keys of the ``metadata-files:`` listed in ``_quarto.yml``, later files winning."""
    merged: dict[str, Any] = {}
    for name in _as_list(book.metadata.get("metadata-files")):
        path = book.root / name
        if not path.is_file():
            raise RenderError(
                f"_quarto.yml: metadata-files: {name} does not exist (the statistics stage "
                "writes it: make report)"
            )
        loaded = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        merged = _deep_merge(merged, loaded)
    return merged


def flat_metadata(metadata: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """``{"edition": {"draft": True}}`` → ``{"edition": {...}, "edition.draft": True}``."""
    flat: dict[str, Any] = {}
    for key, value in metadata.items():
        dotted = f"{prefix}{key}"
        flat[dotted] = value if not isinstance(value, Mapping) else True
        if isinstance(value, Mapping):
            flat |= flat_metadata(value, f"{dotted}.")
    return flat


def apply_apparatus(ast: Ast, book: Book, fmt: str, then: Sequence[Path] = ()) -> Ast:
    """The book's AST for ``fmt`` with conditional content decided and citations resolved.

    ``then`` are Lua filters to run next in the same pandoc process: each filter runs in a
    fresh Lua state on the document the previous one returned, as with one process per
    filter, without writing and reading the whole book as JSON in between.
    """
    metadata = document_metadata(book)
    flags = {k: v for k, v in flat_metadata(metadata).items() if isinstance(v, bool)}
    settings = {"format": PANDOC_FORMAT[fmt], "meta": flags}
    meta = dict(ast["meta"])
    meta["book-conditional"] = {"t": "MetaString", "c": json.dumps(settings, ensure_ascii=False)}
    args = ["--from", "json", "--to", "json", "--lua-filter", str(FILTERS / "conditional.lua")]
    bibliography = metadata.get("bibliography")
    if bibliography:
        meta["bibliography"] = _meta_list([str(book.root / b) for b in _as_list(bibliography)])
        meta["lang"] = {"t": "MetaString", "c": _citeproc_lang(book.lang)}
        if metadata.get("csl"):
            meta["csl"] = {"t": "MetaString", "c": str(book.root / str(metadata["csl"]))}
        args += ["--lua-filter", str(FILTERS / "citations.lua"), "--fail-if-warnings"]
    for path in then:
        args += ["--lua-filter", str(path)]
    document = {**ast, "meta": meta}
    try:
        return json.loads(run_pandoc(args, json.dumps(document, ensure_ascii=False)))
    except RenderError as exc:
        what = (
            "conditional content, citations or filters"
            if then
            else "conditional content or citations"
        )
        raise RenderError(f"{what} ({fmt}): {exc}") from exc


def _citeproc_lang(lang: str) -> str:
    """Citeproc's locale: ``nb`` alone would fall back to English terms ("and", "n.d.")."""
    return {"nb": "nb-NO", "nn": "nn-NO", "no": "nb-NO"}.get(lang, lang)


def _meta_list(values: list[str]) -> dict[str, Any]:
    return {"t": "MetaList", "c": [{"t": "MetaString", "c": v} for v in values]}


def _as_list(value: object) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = _deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged
