"""The one place that knows where things live in the project tree.

Everything is derived from the repository root so that notebooks executed by
papermill (whose working directory is ``build/notebooks``) find the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("PIPELINE_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "_quarto.yml").exists() and (parent / "src" / "pipeline").is_dir():
            return parent
    return Path.cwd().resolve()


ROOT = _find_root()


@dataclass(frozen=True)
class Paths:
    """Project locations; a test can build one around a temporary root."""

    root: Path

    @property
    def raw(self) -> Path:
        return self.root / "data" / "raw"

    @property
    def processed(self) -> Path:
        return self.root / "data" / "processed"

    @property
    def results(self) -> Path:
        return self.processed / "results"

    @property
    def codebook(self) -> Path:
        return self.root / "data" / "reference" / "codebook.yaml"

    @property
    def programme(self) -> Path:
        return self.root / "data" / "reference" / "programme.yaml"

    @property
    def notebooks(self) -> Path:
        return self.root / "notebooks"

    @property
    def executed_notebooks(self) -> Path:
        return self.root / "build" / "notebooks"

    @property
    def report(self) -> Path:
        return self.root / "report"

    @property
    def generated(self) -> Path:
        return self.report / "_generated"

    @property
    def figures(self) -> Path:
        return self.generated / "figures"

    @property
    def tables(self) -> Path:
        return self.generated / "tables"

    @property
    def variables(self) -> Path:
        return self.generated / "_variables.yml"

    @property
    def book(self) -> Path:
        return self.root / "_book"


PATHS = Paths(ROOT)
