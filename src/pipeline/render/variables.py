"""``_variables.yml``: generated under report/_generated/, read by Quarto beside ``_quarto.yml``.

The statistics stage writes ``report/_generated/_variables.yml`` (generated files live
under ``report/_generated/``), while Quarto only reads ``_variables.yml`` next to
``_quarto.yml``. The render step therefore copies the generated file to the project root
before either renderer runs; the root copy is a build artefact, never edited by hand.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from pipeline.atomic import write_bytes
from pipeline.errors import RenderError
from pipeline.paths import Paths

ROOT_VARIABLES = "_variables.yml"
_NUMBER = re.compile(r"^\s*[+-]?\d+\s*$")
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader where PyYAML has it: the same mapping, parsed faster."""


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
    return _parse_variables(path.read_text(encoding="utf-8"))


@lru_cache(maxsize=4)
def _parse_variables(text: str) -> Mapping[str, Any]:
    """Parsed once per content: a render reads the file for the cover and again for each
    format, and the preview on every edit (read-only, like every Mapping handed out here)."""
    try:
        data = yaml.load(text, Loader=SAFE_LOADER) or {}
    except yaml.YAMLError as exc:
        raise RenderError(f"{ROOT_VARIABLES}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RenderError(f"{ROOT_VARIABLES}: must hold a YAML mapping")
    return data


def lookup(mapping: Mapping[str, Any], dotted: str) -> Any:
    """Follow a dotted key (``effect.top.1.label``) the way Quarto does.

    Quarto (``parseOption`` in ``quarto-pre/options.lua``) splits on ``.`` (``\\.`` keeps
    a literal dot), reads the first part as a key, and every later part that is a number
    as a 1-based list index (``tonumber(key) or key``); a mapping key ``'1'`` is therefore
    never found. Returns None when any step is missing, as Quarto's lookup gives nil.
    """
    parts = [part.replace("\x01", ".") for part in dotted.replace("\\.", "\x01").split(".")]
    node: Any = mapping.get(parts[0]) if isinstance(mapping, Mapping) else None
    for part in parts[1:]:
        if node is None:
            return None
        index = _list_index(part)
        if index is not None:
            node = node[index - 1] if isinstance(node, list) and 1 <= index <= len(node) else None
        elif isinstance(node, Mapping):
            node = node.get(part)
        else:
            return None
    return node


def _list_index(part: str) -> int | None:
    """The number Lua's ``tonumber`` reads in a whole-number path part (None: a plain key)."""
    return int(part) if _NUMBER.match(part) else None
