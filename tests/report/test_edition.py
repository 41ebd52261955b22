"""The edition metadata: conditional-content flags and both dates (DESIGN.md section 8)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import yaml

from pipeline.report.edition import edition_metadata, edition_yaml, programme_ended


def _groups(*ends: str | None) -> pd.DataFrame:
    return pd.DataFrame({"group_id": [f"g{i}" for i in range(len(ends))],
                         "end_date": pd.to_datetime(list(ends))})  # fmt: skip


def test_programme_ended_only_when_every_group_has_ended_by_as_of() -> None:
    ended = _groups("2019-05-01", "2021-11-25")
    assert programme_ended(ended, dt.date(2022, 1, 1))
    assert not programme_ended(ended, dt.date(2019, 6, 30))  # a group ends after as_of
    assert not programme_ended(_groups("2019-05-01", None), dt.date(2030, 1, 1))  # running
    assert not programme_ended(_groups(), dt.date(2030, 1, 1))


def test_without_a_publication_the_edition_is_a_draft_dated_by_source_date_epoch() -> None:
    epoch = str(int(dt.datetime(2026, 11, 25, 12, tzinfo=dt.UTC).timestamp()))
    meta = edition_metadata(_groups("2019-05-01"), dt.date(2019, 6, 30),
                            environ={"SOURCE_DATE_EPOCH": epoch})["edition"]  # fmt: skip
    assert meta["draft"] is True
    assert meta["publication"] == "Utkast 25. november 2026"
    assert meta["publication_date"] == "2026-11-25"
    assert meta["data_date"] == "Datagrunnlag per 30. juni 2019"
    assert meta["after_2019"] is False


def test_a_published_edition_carries_its_date() -> None:
    meta = edition_metadata(
        _groups("2019-05-01"), dt.date(2024, 3, 1), publication=dt.date(2024, 4, 2)
    )["edition"]
    assert meta["draft"] is False and meta["publication"] == "Publisert 2. april 2024"
    assert meta["after_2019"] is True and meta["programme_ended"] is True


def test_the_file_is_yaml_quarto_can_read_as_metadata() -> None:
    meta = edition_metadata(_groups("2019-05-01"), dt.date(2019, 6, 30), environ={})
    assert yaml.safe_load(edition_yaml(meta)) == meta
