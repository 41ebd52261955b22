"""The publication record: which editions an analyst has decided to publish, and when.

``report/publisering.yml`` is committed and reviewed like code (DESIGN.md §8 and §10).
An edition (its data date ``as_of``) named there is published on its ``publication_date``:
the workflow deploys the site only for such an edition, and the cover shows that date. An
edition not named there is a draft: the cover says "Utkast" and shows the date of
``SOURCE_DATE_EPOCH``, so a draft builds byte-identically.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pipeline.errors import PipelineError
from pipeline.format.numbers import fmt_date
from pipeline.paths import PATHS

RECORD = PATHS.report / "publisering.yml"


@dataclass(frozen=True)
class Edition:
    """One edition's dates: ``publication_date`` is None for a draft."""

    as_of: dt.date
    publication_date: dt.date | None
    draft_date: dt.date

    @property
    def draft(self) -> bool:
        return self.publication_date is None

    @property
    def shown_date(self) -> dt.date:
        """The date the cover gives: the publication date, or the build's date for a draft."""
        return self.draft_date if self.publication_date is None else self.publication_date


def _date(value: object, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise PipelineError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from None


def parse_record(text: str, name: str = "report/publisering.yml") -> dict[dt.date, dt.date]:
    """``as_of`` → ``publication_date`` for every edition the record names.

    Each entry needs both dates, the publication date on or after the data date, and no
    edition twice: a record that says something else is refused rather than guessed at.
    """
    import yaml  # here, so the build's digests can read source_date without loading PyYAML

    try:  # every scalar as text, so a bad date is reported here rather than by the YAML parser
        doc = yaml.load(text, Loader=yaml.BaseLoader) or {}
    except yaml.YAMLError as exc:
        raise PipelineError(f"{name}: not valid YAML: {exc}") from None
    entries = doc.get("editions") if isinstance(doc, Mapping) else None
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise PipelineError(f"{name}: 'editions' must be a list of {{as_of, publication_date}}")
    record: dict[dt.date, dt.date] = {}
    for n, entry in enumerate(entries, start=1):
        where = f"{name}: edition {n}"
        if not isinstance(entry, Mapping) or {"as_of", "publication_date"} - set(entry):
            raise PipelineError(f"{where} needs both as_of and publication_date")
        as_of = _date(entry["as_of"], f"{where}, as_of")
        published = _date(entry["publication_date"], f"{where}, publication_date")
        if published < as_of:
            raise PipelineError(f"{where}: publication_date {published} is before as_of {as_of}")
        if as_of in record:
            raise PipelineError(f"{where}: as_of {as_of} is named twice")
        record[as_of] = published
    return record


def load_record(path: Path = RECORD) -> dict[dt.date, dt.date]:
    """The committed record; a project without one has published nothing."""
    if not path.is_file():
        return {}
    return parse_record(path.read_text(encoding="utf-8"), path.name)


def source_date() -> dt.date:
    """The date of ``SOURCE_DATE_EPOCH`` (the build sets it to the newest input's commit
    time); without it 1 January 1970, so a draft's date never follows the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch) if epoch.isdigit() else 0, dt.UTC).date()


def edition(as_of: dt.date, record: Mapping[dt.date, dt.date] | None = None) -> Edition:
    """The reader the cover, the workflow and the variables use: published or draft."""
    record = load_record() if record is None else record
    return Edition(as_of, record.get(as_of), source_date())


def newest_recorded(record: Mapping[dt.date, dt.date]) -> dt.date | None:
    """The newest edition the record names (the one the site shows), if any."""
    return max(record, default=None)


def edition_variables(ed: Edition) -> dict[str, str]:
    """``edition.publication_date``, ``edition.draft`` … for ``_variables.yml``.

    ``publication_date`` is the date the cover prints in either case; ``status`` is
    "Publisert" or "Utkast"; ``draft`` is ``ja``/``nei`` for conditional content.
    """
    return {
        "publication_date": fmt_date(ed.shown_date),
        "publication_iso": ed.shown_date.isoformat(),
        "draft": "ja" if ed.draft else "nei",
        "status": "Utkast" if ed.draft else "Publisert",
    }
