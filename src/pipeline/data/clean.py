"""Writes the validated raw data to data/processed, replacing the previous outputs atomically.

The new outputs are written beside the old ones and swapped in with renames, so a
failure at any point leaves the last good outputs in place.
"""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path

import pandas as pd
import pyarrow
import pyarrow.parquet as pq

from pipeline.data.layout import display_base
from pipeline.data.schemas import TABLE_NAMES
from pipeline.data.validate import RawData, validate_raw
from pipeline.errors import PipelineError

VALIDATION_FILE = "validation.json"
FREE_TEXT_FILE = "free_text.parquet"
"""The free-text answers (``kommentar``): confidential, read only by an analyst's selection."""
OUTPUTS = frozenset(
    {f"{name}.parquet" for name in TABLE_NAMES} | {VALIDATION_FILE, FREE_TEXT_FILE}
)
"""The entries of the processed folder that this stage owns; later stages own the rest."""


def validation_report(raw: RawData) -> dict:
    """The audit record of validation.json; no timestamps, so equal inputs give equal bytes."""
    tables = raw.tables()
    return {
        "raw_dir": display_base(raw.raw_dir).as_posix(),
        "synthetic": raw.synthetic,
        "cohorts": list(raw.cohorts),
        "files": [
            {
                "path": record.path,
                "sha256": record.sha256,
                "rows": record.rows,
                "rows_excluded": len(record.excluded),
                "excluded": [{"line": e.line, "reason": e.reason} for e in record.excluded],
                "sheet": record.sheet,
                "ignored_columns": list(record.ignored_columns),
                "free_text_columns": list(record.free_text_columns),
            }
            for record in raw.files
        ],
        "notes": list(raw.notes),
        "totals": {"cohorts": len(raw.cohorts)} | {name: len(t) for name, t in tables.items()},
    }


def clean(raw_dir: Path, out_dir: Path) -> RawData:
    """Validates ``raw_dir`` and, only if it is valid, replaces the outputs in ``out_dir``."""
    raw = validate_raw(Path(raw_dir))
    write_processed(raw, Path(out_dir))
    return raw


def write_processed(raw: RawData, out_dir: Path) -> Path:
    """Writes the tables as parquet plus validation.json and swaps them into ``out_dir``.

    Entries of ``out_dir`` this stage does not write (``results/`` of later stages, a
    README) are carried over into the new folder.
    """
    out_dir = Path(out_dir)
    _refuse_overlap(raw.raw_dir, out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = _sibling(out_dir, "new")
    staging.mkdir()
    try:
        _write_outputs(raw, staging)
        _swap_in(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return out_dir


def _refuse_overlap(raw_dir: Path, out_dir: Path) -> None:
    """Swapping a folder that contains the raw data, or lies inside it, would move raw files."""
    raw, out = raw_dir.resolve(), out_dir.resolve()
    if out == raw or out.is_relative_to(raw) or raw.is_relative_to(out):
        raise PipelineError(
            f"the processed folder {out_dir} and the raw folder {raw_dir} must not contain "
            "each other: nothing under the raw folder may be written"
        )


def _sibling(out_dir: Path, role: str) -> Path:
    """A hidden, unique name beside ``out_dir``: same file system, so renames are atomic."""
    return out_dir.with_name(f".{out_dir.name}.{role}-{uuid.uuid4().hex[:12]}")


def _write_outputs(raw: RawData, folder: Path) -> None:
    for name, frame in raw.tables().items():
        _write_parquet(frame, folder / f"{name}.parquet")
    _write_parquet(raw.free_text, folder / FREE_TEXT_FILE)
    report = json.dumps(validation_report(raw), indent=2, ensure_ascii=False) + "\n"
    (folder / VALIDATION_FILE).write_text(report, encoding="utf-8")


def _write_parquet(frame: pd.DataFrame, path: Path) -> None:
    """Without the pandas index, so the bytes depend only on the rows and their order."""
    table = pyarrow.Table.from_pandas(frame, preserve_index=False)
    pq.write_table(table, path)


def _swap_in(staging: Path, out_dir: Path) -> None:
    """Renames the old folder aside, moves foreign entries across, renames the new one in.

    If a step fails, the moves are undone and the old folder is renamed back.
    """
    if not out_dir.exists():
        staging.rename(out_dir)
        return
    retired = _sibling(out_dir, "old")
    out_dir.rename(retired)
    carried: list[str] = []
    try:
        for entry in sorted(retired.iterdir()):
            if entry.name not in OUTPUTS:
                entry.rename(staging / entry.name)
                carried.append(entry.name)
        staging.rename(out_dir)
    except BaseException:
        for name in carried:
            (staging / name).rename(retired / name)
        retired.rename(out_dir)
        raise
    shutil.rmtree(retired)
