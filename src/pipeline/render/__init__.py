"""Renders the book: Quarto where installed, else the built-in pandoc + Typst renderer.

``render(root)`` is the one entry point. Both renderers read the same ``_quarto.yml`` and
sources, and both first run the built-in renderer's subset check, so a construct the two
would treat differently fails with a RenderError naming file and line instead of drifting.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipeline.errors import RenderError
from pipeline.render.book import LITERAL_DATE, Book, load_book
from pipeline.render.builtin import builtin_version, render_builtin
from pipeline.render.quarto import quarto_executable, quarto_version, render_quarto
from pipeline.render.result import RenderResult
from pipeline.render.variables import load_variables, lookup, sync_variables

__all__ = ["RENDERERS", "RenderResult", "render", "resolve_renderer", "resolve_timestamp"]

RENDERERS = ("auto", "quarto", "builtin")


def render(
    root: Path,
    renderer: str = "auto",
    out_dir: Path | None = None,
    *,
    timestamp: int | None = None,
) -> RenderResult:
    """Render the book in ``root`` into ``out_dir`` (default: the project's output-dir).

    ``renderer`` is "quarto", "builtin" or "auto" (Quarto when on PATH). The PDF's dates
    come from ``SOURCE_DATE_EPOCH`` when set, else from ``timestamp``, else from the book's
    literal ``date`` (see ``resolve_timestamp``).
    """
    if renderer not in RENDERERS:
        raise RenderError(f"unknown renderer {renderer!r}; choose one of {', '.join(RENDERERS)}")
    root = Path(root).resolve()
    sync_variables(root)
    book = with_edition_date(load_book(root), load_variables(root))
    out = Path(out_dir).resolve() if out_dir else root / book.output_dir
    stamp = resolve_timestamp(book, timestamp)
    if resolve_renderer(renderer)[0] == "quarto":
        return render_quarto(book, out, stamp)
    return render_builtin(book, out, stamp)


def resolve_renderer(renderer: str = "auto") -> tuple[str, str]:
    """``(name, version)`` of the renderer ``auto|quarto|builtin`` stands for on this machine.

    For build digests (DESIGN.md section 7): "auto" resolves to Quarto when it is on PATH,
    so installing or upgrading Quarto changes the result. Quarto's version is its own
    (``"1.10.18"``; ``"missing"`` when asked for but absent, which render() refuses); the
    built-in renderer's is the pandoc and typst versions it runs with.
    """
    if renderer not in RENDERERS:
        raise RenderError(f"unknown renderer {renderer!r}; choose one of {', '.join(RENDERERS)}")
    if renderer == "quarto" or (renderer == "auto" and quarto_executable()):
        return "quarto", quarto_version() or "missing"
    return "builtin", builtin_version()


def with_edition_date(book: Book, variables: Mapping[str, Any]) -> Book:
    """The cover shows the edition (``edition.date``, from ``as_of``), not the config's date."""
    edition = lookup(variables, "edition.date")
    if edition is None:
        return book
    if not LITERAL_DATE.match(str(edition)):
        raise RenderError(f"_variables.yml: edition.date {edition!r} is not a YYYY-MM-DD date")
    return replace(book, date=str(edition))


def resolve_timestamp(book: Book, fallback: int | None = None) -> int:
    """Seconds since 1970 for the PDF's dates: the environment, the caller, or the book.

    The typst wheel ignores ``SOURCE_DATE_EPOCH``, so it is read here. Without it and
    without a caller's value, the book's literal date (midnight UTC) keeps output stable.
    """
    env = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if env:
        if not env.isdigit():
            raise RenderError(f"SOURCE_DATE_EPOCH={env!r} is not a whole number of seconds")
        return int(env)
    if fallback is not None:
        return fallback
    if book.date:
        return int(datetime.fromisoformat(book.date).replace(tzinfo=UTC).timestamp())
    return 0
