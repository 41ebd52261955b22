"""The one place that knows where things live in the project tree.

Everything is derived from the project root, found from where the command runs (papermill
runs the notebooks with the project root as their working directory), so a copied working
folder always reads and writes its own files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


def _is_project(folder: Path) -> bool:
    return (folder / "_quarto.yml").exists() and (folder / "src" / "pipeline").is_dir()


def find_root(cwd: Path | None = None) -> Path:
    """The project the command runs in: ``PIPELINE_ROOT``, else the working folder or a parent.

    Never the folder the package was installed from: the editable install in a copied
    ``.venv`` still points at the original checkout, and a copy must build into itself.
    """
    env = os.environ.get("PIPELINE_ROOT")
    if env:
        return Path(env).resolve()
    here = (cwd or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if _is_project(folder):
            return folder
    return here


ROOT = find_root()


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
    def published(self) -> Path:
        return self.root / "data" / "reference" / "published.yaml"

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
