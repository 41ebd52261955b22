"""The edition's metadata: what the chapters' conditional content and the cover read.

``report/_generated/_edition.yml`` is listed under ``metadata-files:`` in ``_quarto.yml``,
so both renderers see its keys as document metadata: ``when-meta="edition.programme_ended"``
picks the text that holds for this edition only (DESIGN.md section 8), and the cover and
colophon take both dates from it. The publication date comes from the publication record
(``report/publisering.yml``, section 10); an edition without an entry there is a draft
dated by ``SOURCE_DATE_EPOCH``, so two builds of one commit stay byte-identical.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd
import yaml

from pipeline.format.numbers import fmt_date
from pipeline.report.publication import Edition
from pipeline.report.published import CALIBRATION_DATE
from pipeline.report.variables import not_given_count

DRAFT_LABEL = "Utkast"
DFO_FROM = dt.date(2020, 1, 1)
"""Difi was closed at the end of 2019 and DFØ took the programme over: an edition whose data
date is later says so, the 2019 edition does not (it was written while Difi ran it)."""


def programme_ended(groups: pd.DataFrame, as_of: dt.date) -> bool:
    """True when every group in the data had started and ended by ``as_of``.

    The data cannot know of cohorts that are not in it; but a running or future group
    proves the programme was still going, which is what the 2019 edition must say.
    """
    if groups.empty:
        return False
    cut = pd.Timestamp(as_of)
    ended = groups["end_date"].notna() & (groups["end_date"] <= cut)
    return bool(ended.all())


def org_not_given(groups: pd.DataFrame, as_of: dt.date) -> bool:
    """True when a group that had started by ``as_of`` has no organisation name in the data."""
    started = groups[groups["start_date"] <= pd.Timestamp(as_of)]
    return not_given_count(started) > 0


def edition_metadata(
    groups: pd.DataFrame, published: Edition, synthetic: bool = False
) -> dict[str, dict[str, object]]:
    """The ``edition`` metadata: flags for conditional content and both dates as text.

    ``published`` is the edition as the publication record has it (issue 16's
    ``pipeline.report.publication``): its publication date, or the build's date for a draft.
    """
    as_of, draft = published.as_of, published.draft
    shown = published.shown_date
    status = f"{DRAFT_LABEL} – {fmt_date(shown)}" if draft else f"Publisert {fmt_date(shown)}"
    return {
        "edition": {
            "programme_ended": programme_ended(groups, as_of),
            "programme_running": not programme_ended(groups, as_of),
            "after_2019": as_of >= DFO_FROM,
            "synthetic": synthetic,
            "calibration": synthetic and as_of == CALIBRATION_DATE,
            "org_not_given": org_not_given(groups, as_of),
            "draft": draft,
            "data_date": f"Datagrunnlag per {fmt_date(as_of)}",
            "publication": status,
            "publication_date": shown.isoformat(),
        }
    }


def edition_yaml(metadata: Mapping) -> str:
    return yaml.safe_dump(dict(metadata), allow_unicode=True, sort_keys=True, width=10_000)
