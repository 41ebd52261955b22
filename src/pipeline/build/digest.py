"""Content digests: a stage reruns exactly when the digest of what it reads changes.

Modification times say nothing after ``unzip``, ``cp -p`` or ``rsync -a``, so the build
hashes names and bytes instead, the way DVC and ``targets`` decide (DESIGN.md section 7).
Hashing the raw data, the code and the sources takes a few milliseconds.
"""

from __future__ import annotations

import ast
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from pipeline.data.marker import sha256_file as file_sha256

SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}


def files_under(folder: Path, suffixes: tuple[str, ...] = ()) -> list[Path]:
    """Every file below ``folder`` (sorted), optionally only those with one of ``suffixes``."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and not SKIPPED_PARTS & set(path.parts)
        and (not suffixes or path.name.endswith(suffixes))
    )


def hash_files(root: Path, files: Iterable[Path]) -> dict[str, str]:
    """``{relative path: sha256}``: names count as much as bytes, so a rename is a change."""
    return {path.relative_to(root).as_posix(): file_sha256(path) for path in sorted(set(files))}


def combine(record: Mapping[str, object]) -> str:
    """One digest for a record of named parts (nested dicts, lists and text)."""
    text = json.dumps(record, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def notebook_parameters(notebook: Path) -> set[str]:
    """Names assigned in the notebook's ``parameters`` cell, read without papermill.

    Importing papermill costs more than a whole no-op build may take.
    """
    cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
    for cell in cells:
        if "parameters" in cell.get("metadata", {}).get("tags", []):
            source = "".join(cell.get("source", []))
            tree = ast.parse(source)
            return {
                target.id
                for node in tree.body
                if isinstance(node, ast.Assign | ast.AnnAssign)
                for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
                if isinstance(target, ast.Name)
            }
    return set()
