"""``_variables.yml``: generated under report/_generated/, read by Quarto beside ``_quarto.yml``.

The statistics stage writes ``report/_generated/_variables.yml`` (generated files live
under ``report/_generated/``), while Quarto only reads ``_variables.yml`` next to
``_quarto.yml``. The render step therefore copies the generated file to the project root
before either renderer runs; the root copy is a build artefact, never edited by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from pipeline.atomic import write_bytes
from pipeline.errors import RenderError
from pipeline.paths import Paths

ROOT_VARIABLES = "_variables.yml"

_MISSING = object()


def sync_variables(root: Path) -> Path:
    """Copy the generated variables to ``root/_variables.yml`` when they differ.

    Writing only on change keeps the file's mtime stable, so ``make`` does not rerun
    anything for an identical copy. Without a generated file the root copy is left alone
    (a fixture or a hand-made project may keep its own).
    """
    target = root / ROOT_VARIABLES
    source = Paths(root).variables
    if source.is_file():
        data = source.read_bytes()
        if not target.is_file() or target.read_bytes() != data:
            write_bytes(target, data)
    return target


def load_variables(root: Path) -> Mapping[str, Any]:
    """The mapping behind ``{{< var >}}`` (empty when the project has no variables file)."""
    path = root / ROOT_VARIABLES
    if not path.is_file():
        return {}
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{ROOT_VARIABLES}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RenderError(f"{ROOT_VARIABLES}: must hold a YAML mapping")
    return data


def lookup(mapping: Mapping[str, Any], dotted: str) -> Any:
    """Follow a dotted key (``effect.top.1.label``) through nested mappings.

    Each step tries the text key first and then its integer form, because YAML reads
    ``1:`` as the number 1. Returns None when any step is missing.
    """
    node: Any = mapping
    for part in dotted.split("."):
        if not isinstance(node, Mapping):
            return None
        value = node.get(part, _MISSING)
        if value is _MISSING and part.lstrip("-").isdigit():
            value = node.get(int(part), _MISSING)
        if value is _MISSING:
            return None
        node = value
    return node
