"""Reads ``data/reference/programme.yaml``: the programme design behind Figur 1 and the prose.

The one reader of that file: the statistics stage takes ``design`` for ``programme.*``
variables, the figures stage the month-by-month plan for Figur 1.

The file is written by hand, so the loader checks it against itself: a plan that drops
a gathering while ``design`` still says four would make the timeline and the text disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import ReferenceDataError
from pipeline.paths import PATHS

WHEN = {"early": 0.2, "mid": 0.5, "late": 0.8}
"""Where in its month an activity sits, as a fraction of the month."""

# design key → the activity kind whose count it states
COUNTED_KINDS = {"gatherings": "samling", "pair_meetings": "parmote", "effect_waves": "effect"}


@dataclass(frozen=True)
class Activity:
    """One row of the timeline; times are months from the programme's first day."""

    kind: str
    label: str
    start: float
    end: float | None = None
    days: float | None = None
    after_end: bool = False


@dataclass(frozen=True)
class Programme:
    design: dict[str, Any]
    kinds: dict[str, str]
    activities: tuple[Activity, ...]

    @property
    def duration_months(self) -> int:
        return int(self.design["duration_months"])

    def count(self, kind: str, within: bool = True) -> int:
        """Activities of a kind, by default only those inside the programme period."""
        return sum(a.kind == kind and not (within and a.after_end) for a in self.activities)


def _field(entry: dict, key: str, where: str) -> Any:
    if not isinstance(entry, dict) or key not in entry:
        raise ReferenceDataError(f"programme.yaml: {where} lacks '{key}'")
    return entry[key]


def _monthly(months: dict, duration: int) -> list[Activity]:
    activities = []
    for month, entries in sorted(months.items()):
        if not 1 <= int(month) <= duration:
            raise ReferenceDataError(f"programme.yaml: month {month} is outside 1–{duration}")
        for entry in entries or []:
            where = f"months.{month}"
            when = _field(entry, "when", where)
            if when not in WHEN:
                raise ReferenceDataError(
                    f"programme.yaml: {where}: when must be one of {list(WHEN)}"
                )
            activities.append(
                Activity(
                    kind=str(_field(entry, "kind", where)),
                    label=str(_field(entry, "label", where)),
                    start=int(month) - 1 + WHEN[when],
                    days=entry.get("days"),
                )
            )
    return activities


def _ongoing(entries: list, duration: int) -> list[Activity]:
    activities = []
    for entry in entries:
        first = int(_field(entry, "from_month", "ongoing"))
        last = int(_field(entry, "to_month", "ongoing"))
        if not 1 <= first <= last <= duration:
            raise ReferenceDataError(
                f"programme.yaml: ongoing '{entry.get('label')}' runs {first}–{last}, "
                f"outside 1–{duration}"
            )
        activities.append(
            Activity(
                kind=str(_field(entry, "kind", "ongoing")),
                label=str(_field(entry, "label", "ongoing")),
                start=first - 1.0,
                end=float(last),
            )
        )
    return activities


def _after_end(entries: list, duration: int) -> list[Activity]:
    return [
        Activity(
            kind=str(_field(entry, "kind", "after_end")),
            label=str(_field(entry, "label", "after_end")),
            start=duration + float(_field(entry, "months_after", "after_end")),
            after_end=True,
        )
        for entry in entries
    ]


def _check(programme: Programme) -> None:
    unknown = sorted({a.kind for a in programme.activities} - set(programme.kinds))
    if unknown:
        raise ReferenceDataError(f"programme.yaml: kind(s) {unknown} are not listed under kinds")
    for key, kind in COUNTED_KINDS.items():
        stated, planned = int(programme.design[key]), programme.count(kind)
        if stated != planned:
            raise ReferenceDataError(
                f"programme.yaml: design.{key} is {stated} but the plan has {planned} '{kind}'"
            )


def parse_programme(doc: dict) -> Programme:
    """Builds a Programme from parsed YAML and checks the plan against the design."""
    design = _field(doc, "design", "the top level")
    duration = int(_field(design, "duration_months", "design"))
    for key in COUNTED_KINDS:
        _field(design, key, "design")
    activities = (
        _monthly(_field(doc, "months", "the top level"), duration)
        + _ongoing(doc.get("ongoing") or [], duration)
        + _after_end(doc.get("after_end") or [], duration)
    )
    programme = Programme(
        design=dict(design),
        kinds={str(k): str(v) for k, v in _field(doc, "kinds", "the top level").items()},
        activities=tuple(sorted(activities, key=lambda a: (a.end is not None, a.start))),
    )
    _check(programme)
    return programme


def load_programme(path: Path = PATHS.programme) -> Programme:
    """Reads and checks programme.yaml."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ReferenceDataError(f"programme.yaml: cannot read {path}: {exc}") from exc
    return parse_programme(doc)
