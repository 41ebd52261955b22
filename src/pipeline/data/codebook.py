"""Loads ``data/reference/codebook.yaml``: the instruments every stage agrees on."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from pipeline.errors import CodebookError
from pipeline.paths import PATHS

CATEGORIES = ("Forutsetninger", "Prosesser", "Resultater")
GTEI = "gtei"
"""The Global Team Effectiveness Index's key, beside the factor keys in every results table."""


@dataclass(frozen=True)
class Factor:
    key: str
    label: str
    category: str
    definition: str
    alias: str | None = None


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    in_figure: bool


@dataclass(frozen=True)
class Item:
    key: str
    section: str
    text: str
    in_figure: bool


@dataclass(frozen=True)
class AnswerLabel:
    label: str
    positive: bool
    excluded: bool = False


@dataclass(frozen=True)
class ExportRules:
    """How real exports differ from the contract: columns to ignore, free text, named sheets.

    Column names are lower-case, as the readers see them.
    """

    ignored_columns: frozenset[str] = frozenset()
    free_text: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Codebook:
    factors: tuple[Factor, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    scale: tuple[AnswerLabel, ...]
    score_min: float
    score_max: float
    waves: dict[int, str]
    category_descriptions: dict[str, str]
    export: ExportRules = field(default_factory=ExportRules)

    @property
    def factor_keys(self) -> list[str]:
        return [f.key for f in self.factors]

    @property
    def item_keys(self) -> list[str]:
        return [i.key for i in self.items]

    @property
    def answer_labels(self) -> list[str]:
        return [a.label for a in self.scale]

    @property
    def positive_labels(self) -> list[str]:
        return [a.label for a in self.scale if a.positive]

    @property
    def excluded_labels(self) -> list[str]:
        return [a.label for a in self.scale if a.excluded]

    def factor(self, key: str) -> Factor:
        for f in self.factors:
            if f.key == key:
                return f
        raise KeyError(key)

    def section(self, key: str) -> Section:
        for s in self.sections:
            if s.key == key:
                return s
        raise KeyError(key)


def _require(mapping: dict, key: str, where: str) -> object:
    if not isinstance(mapping, dict) or key not in mapping:
        raise CodebookError(f"codebook: '{where}' lacks the key '{key}'")
    return mapping[key]


def parse_codebook(doc: dict) -> Codebook:
    """Builds a Codebook from parsed YAML, checking the cross-references it relies on."""
    effect = _require(doc, "effect", "top level")
    evaluation = _require(doc, "evaluation", "top level")
    factors = tuple(
        Factor(
            key=str(_require(f, "key", "effect.factors")),
            label=str(_require(f, "label", "effect.factors")),
            category=str(_require(f, "category", "effect.factors")),
            definition=str(_require(f, "definition", "effect.factors")),
            alias=f.get("alias"),
        )
        for f in _require(effect, "factors", "effect")
    )
    bad = [f.key for f in factors if f.category not in CATEGORIES]
    if bad:
        raise CodebookError(f"codebook: unknown category for factor(s) {bad}; use {CATEGORIES}")
    keys = [f.key for f in factors]
    if len(set(keys)) != len(keys):
        raise CodebookError("codebook: duplicate factor keys")
    sections = tuple(
        Section(key=str(s["key"]), title=str(s["title"]), in_figure=bool(s.get("in_figure")))
        for s in _require(evaluation, "sections", "evaluation")
    )
    section_keys = {s.key for s in sections}
    items = tuple(
        Item(
            key=str(i["key"]),
            section=str(i["section"]),
            text=str(i["text"]),
            in_figure=bool(i.get("in_figure")),
        )
        for i in _require(evaluation, "items", "evaluation")
    )
    orphans = [i.key for i in items if i.section not in section_keys]
    if orphans:
        raise CodebookError(f"codebook: item(s) {orphans} name an unknown section")
    scale = tuple(
        AnswerLabel(
            label=str(a["label"]),
            positive=bool(a.get("positive")),
            excluded=bool(a.get("excluded")),
        )
        for a in _require(evaluation, "scale", "evaluation")
    )
    score = _require(effect, "scale", "effect")
    return Codebook(
        factors=factors,
        sections=sections,
        items=items,
        scale=scale,
        score_min=float(score["min"]),
        score_max=float(score["max"]),
        waves={int(k): str(v) for k, v in _require(effect, "waves", "effect").items()},
        category_descriptions={
            str(c["key"]): str(c["description"]) for c in effect.get("categories", [])
        },
        export=_export_rules(doc.get("export") or {}),
    )


def _export_rules(doc: dict) -> ExportRules:
    return ExportRules(
        ignored_columns=frozenset(str(c).lower() for c in doc.get("ignored_columns") or []),
        free_text={
            str(t): tuple(str(c).lower() for c in cols)
            for t, cols in (doc.get("free_text") or {}).items()
        },
        sheets={str(t): str(name) for t, name in (doc.get("sheets") or {}).items()},
    )


@cache
def load_codebook(path: Path = PATHS.codebook) -> Codebook:
    """Reads and checks the codebook once per process."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CodebookError(f"codebook: cannot read {path}: {exc}") from exc
    return parse_codebook(doc)
