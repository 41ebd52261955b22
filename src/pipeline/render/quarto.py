"""Renders with real Quarto (the renderer of record) when it is on PATH.

Quarto reads ``_quarto.yml`` itself; nothing here changes what it renders. Around it:

* ``SOURCE_DATE_EPOCH`` is set for it (Typst and pandoc honour it; Quarto passes the
  environment on), and the cover date is the edition's (``-M date:``).
* It renders into a staging folder (``--output-dir``) that replaces the output folder
  only after the render and its check passed, so a failure keeps the last good book.
* Its warnings are shown to the user, never swallowed; the ones that mean a placeholder
  in the output (unknown var/meta, unresolved cross-reference or citation) fail the render.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from pipeline.errors import RenderError
from pipeline.render.analysis import analyse
from pipeline.render.book import Book
from pipeline.render.cover import cover_of
from pipeline.render.result import RenderResult
from pipeline.render.scan import check_output
from pipeline.render.staging import staging_for, swap_in

MINIMUM_VERSION = (1, 9, 18)
"""Typst book output (``project: book`` + ``format: typst``) arrived in Quarto 1.9.18."""

TESTED_VERSIONS = ("1.10.18",)
"""Quarto releases the report is rendered and compared with (README, CI workflow)."""

FATAL_WARNING = re.compile(
    r"Unknown (var|meta)|unable to resolve crossref|Unable to resolve crossref"
    r"|citeproc: citation .* not found|Citeproc: citation .* not found",
    re.IGNORECASE,
)
"""Warnings after which Quarto writes ``?var:``/``?meta:``/``?@`` into the page."""

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_LEVEL = re.compile(r"^(WARN(ING)?|ERROR)\b")
_PROGRESS = re.compile(r"^\[\s*\d+/\d+\]\s+(\S+)")
_LOCATION = re.compile(r" \(/[^)]*\.lua:\d+\)")
"""Quarto's own filter path in a warning, which says nothing to a report author."""


def quarto_executable() -> str | None:
    return shutil.which("quarto")


@cache
def _version_of(executable: str) -> tuple[int, int, int]:
    proc = subprocess.run([executable, "--version"], capture_output=True, text=True, check=False)
    match = re.search(r"(\d+)\.(\d+)\.(\d+)", _ANSI.sub("", proc.stdout))
    return tuple(int(part) for part in match.groups()) if match else (0, 0, 0)  # type: ignore[return-value]


def quarto_version(executable: str | None = None) -> str | None:
    """``"1.10.18"`` for the quarto on PATH (or ``executable``); None without one."""
    executable = executable or quarto_executable()
    if executable is None:
        return None
    return ".".join(map(str, _version_of(executable)))


def render_quarto(book: Book, out_dir: Path, timestamp: int) -> RenderResult:
    """Run ``quarto render`` on the book into a staging folder, check it, and swap it in."""
    executable = quarto_executable()
    if executable is None:
        raise RenderError(
            "renderer 'quarto' was asked for, but quarto is not on PATH; install Quarto "
            f"{'.'.join(map(str, MINIMUM_VERSION))} or later, or use --renderer builtin"
        )
    _check_version(executable)
    analysed = analyse(book)  # the subset check: what Quarto would render differently fails
    if book.chapters[0].path != "index.qmd":
        raise RenderError("Quarto books need index.qmd beside _quarto.yml as the first chapter")
    staging = staging_for(out_dir)
    refs = staging.with_name(f"{staging.name}.refs.json")
    refs.write_text(json.dumps(analysed.targets, ensure_ascii=False), encoding="utf-8")
    cover = staging.with_name(f"{staging.name}.cover.json")  # JSON is YAML: a metadata file
    cover_values = cover_of(analysed, timestamp).metadata()
    cover.write_text(json.dumps(cover_values, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": str(timestamp)}
    command = [
        executable,
        "render",
        "--output-dir",
        os.path.relpath(staging, book.root),
        "-M",
        f"book-refs:{refs}",
        f"--metadata-file={cover}",
        *(["-M", f"date:{book.date}"] if book.date else []),
    ]
    try:
        proc = subprocess.run(
            command, cwd=book.root, env=env, capture_output=True, text=True, check=False
        )
        warnings = _warnings(proc.stderr)
        for warning in warnings:
            print(f"[quarto] {warning}", file=sys.stderr)
        if proc.returncode != 0:
            message = _ANSI.sub("", proc.stderr).strip()[-4000:]
            raise RenderError(f"quarto render failed:\n{message}")
        fatal = [w for w in warnings if FATAL_WARNING.search(w)]
        if fatal:
            listed = "\n".join(f"  {w}" for w in fatal)
            raise RenderError(f"quarto left {len(fatal)} item(s) unresolved:\n{listed}")
        pdf = staging / book.pdf_name
        check_output(staging, pdf if pdf.is_file() else None, "quarto")
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        refs.unlink(missing_ok=True)
        cover.unlink(missing_ok=True)
    swap_in(staging, out_dir)
    pdf = out_dir / book.pdf_name
    return RenderResult(
        renderer="quarto",
        out_dir=out_dir,
        pages=tuple(sorted(out_dir.rglob("*.html"))),
        pdf=pdf if pdf.is_file() else None,
    )


def _warnings(stderr: str) -> list[str]:
    """Quarto's WARN/ERROR lines, once each, with the file it was rendering when known.

    A warning's continuation lines (up to a blank, progress or output line) are joined to
    it; the progress line ``[2/6] kapitler/innledning.qmd`` names the file.
    """
    found: list[str] = []
    current, open_warning = "", False
    for raw in stderr.splitlines():
        line = _ANSI.sub("", raw).strip()
        progress = _PROGRESS.match(line)
        if progress:
            current, open_warning = progress.group(1), False
        elif _LEVEL.match(line):
            where = f" [{current}]" if current and current not in line else ""
            found.append(_LOCATION.sub("", line) + where)
            open_warning = True
        elif open_warning and line and not line.startswith(("[", "Output created")):
            found[-1] += f" {line}"
        else:
            open_warning = False
            if not line:
                current = ""  # the per-file pass has ended (the book's PDF pass follows)
    return list(dict.fromkeys(found))


def _check_version(executable: str) -> None:
    version = _version_of(executable)
    if version < MINIMUM_VERSION:
        wanted = ".".join(map(str, MINIMUM_VERSION))
        found = ".".join(map(str, version)) if version != (0, 0, 0) else "unknown"
        raise RenderError(f"quarto {found} is too old: Typst books need Quarto {wanted} or later")
