"""Runs the pandoc binary of the ``pypandoc_binary`` wheel, and builds the book's AST.

Pandoc is called directly (not through pypandoc's convert helpers) so that every call
sees the same arguments and the JSON AST can be passed in and out unchanged.
"""

from __future__ import annotations

import json
import subprocess
from functools import cache
from pathlib import Path
from typing import Any

import pypandoc

from pipeline.errors import RenderError

FILTERS = Path(__file__).parent / "filters"

READER = "markdown-auto_identifiers"
"""Pandoc's markdown without generated ids: every id left in the AST was written by hand,
so the subset's id rules can be checked; book.lua then generates the missing heading ids."""

Ast = dict[str, Any]


@cache
def pandoc_binary() -> str:
    return pypandoc.get_pandoc_path()


def run_pandoc(args: list[str], stdin: str) -> str:
    """Run pandoc; a failure becomes a RenderError carrying pandoc's own message."""
    proc = subprocess.run(
        [pandoc_binary(), *args],
        input=stdin.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    if proc.returncode != 0:
        message = proc.stderr.decode("utf-8", "replace").strip()
        raise RenderError(f"pandoc {' '.join(args)} failed:\n{message}")
    return proc.stdout.decode("utf-8")


def read_markdown(text: str) -> Ast:
    return json.loads(run_pandoc(["--from", READER, "--to", "json"], text))


def apply_filter(ast: Ast, name: str, to: str, *extra: str) -> str:
    """Run ``filters/<name>.lua`` on ``ast`` and write it as ``to``."""
    filter_path = str(FILTERS / f"{name}.lua")
    args = ["--from", "json", "--to", to, "--lua-filter", filter_path, "--wrap", "none", *extra]
    return run_pandoc(args, json.dumps(ast, ensure_ascii=False))


def run_filter_file(ast: Ast, path: Path) -> str:
    """Run a project filter (a path named in ``_quarto.yml``) on ``ast``; JSON out."""
    args = ["--from", "json", "--to", "json", "--lua-filter", str(path)]
    return run_pandoc(args, json.dumps(ast, ensure_ascii=False))


def meta_string(value: str) -> dict[str, Any]:
    return {"t": "MetaString", "c": value}


def div(classes: list[str], attributes: dict[str, str], blocks: list[Any]) -> dict[str, Any]:
    """A pandoc Div block in the JSON AST."""
    return {"t": "Div", "c": [["", classes, sorted(attributes.items())], blocks]}


def document(api_version: list[int], meta: dict[str, Any], blocks: list[Any]) -> Ast:
    return {"pandoc-api-version": api_version, "meta": meta, "blocks": blocks}
