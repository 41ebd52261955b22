"""Runs the pandoc binary of the ``pypandoc_binary`` wheel, and builds the book's AST.

Pandoc is called directly (not through pypandoc's convert helpers) so that every call
sees the same arguments and the JSON AST can be passed in and out unchanged.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
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

PARALLEL_RUNS = max(2, min(8, os.cpu_count() or 2))
"""Pandoc processes run at once where a render has independent ones (chapters, pages)."""


@cache
def pandoc_binary() -> str:
    return pypandoc.get_pandoc_path()


class PandocMemo:
    """While active (``with memo:``), a pandoc run with the same arguments, filter files and
    input is answered from memory instead of run again.

    The preview renders the book again after every edit; most chapters and pages are then
    unchanged, so only the runs the edit touched cost a pandoc process. Entries the last
    render did not use are dropped when it ends, so the memo holds about one book.
    """

    def __init__(self) -> None:
        self._entries: dict[str, str] = {}
        self._used: set[str] = set()
        self._lock = threading.Lock()  # pages and chapters are run from several threads
        self.runs = 0
        self.reused = 0

    def __enter__(self) -> PandocMemo:
        global _active_memo
        _active_memo = self
        self._used, self.runs, self.reused = set(), 0, 0
        return self

    def __exit__(self, *exc: object) -> None:
        global _active_memo
        _active_memo = None
        self._entries = {k: v for k, v in self._entries.items() if k in self._used}

    def output(self, args: list[str], stdin: str) -> str:
        digest = hashlib.sha256()
        for arg in args:
            digest.update(arg.encode("utf-8") + b"\0")
            if arg.endswith(".lua") and Path(arg).is_file():  # an edited filter is a change,
                for lua in sorted(Path(arg).parent.glob("*.lua")):  # or a module it loads
                    digest.update(lua.read_bytes())
        digest.update(stdin.encode("utf-8"))
        key = digest.hexdigest()
        with self._lock:
            self._used.add(key)
            known = self._entries.get(key)
            if known is not None:
                self.reused += 1
                return known
            self.runs += 1
        output = _run(args, stdin)
        with self._lock:
            self._entries[key] = output
        return output


_active_memo: PandocMemo | None = None


def run_pandoc(args: list[str], stdin: str) -> str:
    """Run pandoc (or answer from the active PandocMemo); a failure is a RenderError."""
    if _active_memo is not None:
        return _active_memo.output(args, stdin)
    return _run(args, stdin)


def _run(args: list[str], stdin: str) -> str:
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


def read_all_markdown(texts: list[str]) -> list[Ast]:
    """``read_markdown`` for each text, the pandoc processes side by side.

    Each chapter is still parsed on its own (its footnotes and reference links stay its
    own, and a problem keeps its chapter's line numbers).
    """
    with ThreadPoolExecutor(max_workers=PARALLEL_RUNS) as pool:
        return list(pool.map(read_markdown, texts))


def apply_filter(ast: Ast, name: str, to: str, *extra: str) -> str:
    """Run ``filters/<name>.lua`` on ``ast`` and write it as ``to``."""
    filter_path = str(FILTERS / f"{name}.lua")
    args = ["--from", "json", "--to", to, "--lua-filter", filter_path, "--wrap", "none", *extra]
    return run_pandoc(args, json.dumps(ast, ensure_ascii=False))


def meta_string(value: str) -> dict[str, Any]:
    return {"t": "MetaString", "c": value}


def div(classes: list[str], attributes: dict[str, str], blocks: list[Any]) -> dict[str, Any]:
    """A pandoc Div block in the JSON AST."""
    return {"t": "Div", "c": [["", classes, sorted(attributes.items())], blocks]}


def document(api_version: list[int], meta: dict[str, Any], blocks: list[Any]) -> Ast:
    return {"pandoc-api-version": api_version, "meta": meta, "blocks": blocks}
