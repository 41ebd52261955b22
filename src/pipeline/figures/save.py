"""Turns drawn figures into files: the same inputs give the same bytes, and no half edition.

Matplotlib stamps SVGs with a date and its version and PNGs with its name, and it draws
random ids into SVGs; the metadata and the salt below remove all three. Every file of the
stage is rendered in memory first and only then written, each by an atomic rename, so a
run that fails leaves the last good figures in place rather than a mix of two editions.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from pipeline.atomic import write_bytes
from pipeline.figures.contract import URL_PREFIX, Built
from pipeline.figures.style import PNG_DPI

SVG_METADATA: dict[str, str | None] = {"Date": None, "Creator": None}
PNG_METADATA: dict[str, str | None] = {"Software": None}
FORMATS = ("svg", "png")


def figure_bytes(built: Built, fmt: str) -> bytes:
    """Renders one figure to SVG or PNG without timestamps or tool versions.

    Call it inside ``style.house_style()``: the SVG salt and font handling are rcParams.
    """
    metadata = SVG_METADATA if fmt == "svg" else PNG_METADATA
    buffer = io.BytesIO()
    built.figure.savefig(buffer, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return buffer.getvalue()


def one_line(text: str) -> str:
    """Folds line breaks and runs of spaces, but keeps the no-break spaces before ``%``."""
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


def escape_caption(text: str) -> str:
    """Keeps a caption on one line and stops brackets from ending the image's link text."""
    flat = one_line(text)
    return flat.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def escape_attribute(text: str) -> str:
    """Escapes a value for a double-quoted Pandoc attribute such as ``fig-alt``."""
    flat = one_line(text)
    return flat.replace("\\", "\\\\").replace('"', '\\"')


def figure_url(name: str, fmt: str) -> str:
    """The root path chapters use for a figure file, whichever folder it was written to."""
    return f"{URL_PREFIX}/{name}.{fmt}"


def fragment(built: Built) -> str:
    """The one-line Markdown include for a figure (docs/architecture.md)."""
    return (
        f"![{escape_caption(built.caption)}]({figure_url(built.name, 'svg')})"
        f'{{#{built.fig_id} fig-alt="{escape_attribute(built.alt)}"}}\n'
    )


def figure_files(built: Built, figures_dir: Path) -> dict[Path, bytes]:
    """A figure's SVG, PNG and fragment as bytes by target path; call inside ``house_style()``."""
    files = {figures_dir / f"{built.name}.{fmt}": figure_bytes(built, fmt) for fmt in FORMATS}
    files[figures_dir / f"_{built.name}.md"] = fragment(built).encode("utf-8")
    return files


def index_entry(built: Built) -> dict[str, str]:
    """One figure's entry in figures.yml, for renderers and checks that need the parts."""
    return {
        "id": built.fig_id,
        "svg": figure_url(built.name, "svg"),
        "png": figure_url(built.name, "png"),
        "caption": one_line(built.caption),
        "alt": one_line(built.alt),
    }


def index_bytes(figures: Iterable[Built]) -> bytes:
    """figures.yml: {name: {id, svg, png, caption, alt}} in report order."""
    doc = {built.name: index_entry(built) for built in figures}
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=10_000).encode("utf-8")


def write_all(files: dict[Path, bytes]) -> None:
    """Writes rendered files in a fixed order, each replaced in one rename."""
    for path, data in sorted(files.items()):
        write_bytes(path, data)
