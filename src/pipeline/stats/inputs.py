"""Reads the processed tables the cleaning stage wrote (docs/architecture.md, "Processed data")."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from pipeline.errors import AnalysisError

TABLES = ("groups", "members", "effect", "evaluation", "development_areas")


@dataclass(frozen=True)
class Processed:
    """The cleaned inputs of one run; every statistic is a function of these."""

    groups: pd.DataFrame
    members: pd.DataFrame
    effect: pd.DataFrame
    evaluation: pd.DataFrame
    development_areas: pd.DataFrame
    validation: dict


def load_processed(processed_dir: Path) -> Processed:
    """Loads every processed table, failing with the missing file's name rather than a KeyError."""
    processed_dir = Path(processed_dir)
    missing = [
        f"{name}.parquet" for name in TABLES if not (processed_dir / f"{name}.parquet").exists()
    ]
    if not (processed_dir / "validation.json").exists():
        missing.append("validation.json")
    if missing:
        raise AnalysisError(
            f"{processed_dir} lacks {', '.join(missing)}: run the clean stage first "
            "(python -m pipeline run --stage clean)"
        )
    frames = {name: pd.read_parquet(processed_dir / f"{name}.parquet") for name in TABLES}
    validation = json.loads((processed_dir / "validation.json").read_text(encoding="utf-8"))
    return Processed(**frames, validation=validation)
