"""The edition metadata: conditional-content flags and both dates (DESIGN.md section 8)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import yaml

from pipeline.report.edition import edition_metadata, edition_yaml, programme_ended
from pipeline.report.publication import Edition

BUILT = dt.date(2026, 11, 25)


def _groups(*ends: str | None, organisation: str = "Kartverket") -> pd.DataFrame:
    return pd.DataFrame({"group_id": [f"g{i}" for i in range(len(ends))],
                         "organisation": [organisation] * len(ends),
                         "start_date": pd.to_datetime(["2018-09-01"] * len(ends)),
                         "end_date": pd.to_datetime(list(ends))})  # fmt: skip


def test_programme_ended_only_when_every_group_has_ended_by_as_of() -> None:
    ended = _groups("2019-05-01", "2021-11-25")
    assert programme_ended(ended, dt.date(2022, 1, 1))
    assert not programme_ended(ended, dt.date(2019, 6, 30))  # a group ends after as_of
    assert not programme_ended(_groups("2019-05-01", None), dt.date(2030, 1, 1))  # running
    assert not programme_ended(_groups(), dt.date(2030, 1, 1))


def test_without_a_publication_the_edition_is_a_draft_dated_by_the_build() -> None:
    draft = Edition(dt.date(2019, 6, 30), None, BUILT)
    meta = edition_metadata(_groups("2019-05-01"), draft)["edition"]
    assert meta["draft"] is True
    assert meta["publication"] == "Utkast – 25. november 2026"  # as the cover prints it
    assert meta["publication_date"] == "2026-11-25"
    assert meta["data_date"] == "Datagrunnlag per 30. juni 2019"
    assert meta["after_2019"] is False


def test_a_published_edition_carries_its_date() -> None:
    published = Edition(dt.date(2024, 3, 1), dt.date(2024, 4, 2), BUILT)
    meta = edition_metadata(_groups("2019-05-01"), published, synthetic=True)["edition"]
    assert meta["draft"] is False and meta["publication"] == "Publisert 2. april 2024"
    assert meta["after_2019"] is True and meta["programme_ended"] is True
    assert meta["synthetic"] is True


def test_the_file_is_yaml_quarto_can_read_as_metadata() -> None:
    meta = edition_metadata(_groups("2019-05-01"), Edition(dt.date(2019, 6, 30), None, BUILT))
    assert yaml.safe_load(edition_yaml(meta)) == meta


def test_the_pdf_record_paragraph_names_data_date_code_and_where_the_rest_is() -> None:
    from pipeline.report.record import record_paragraph

    prov = {
        "code": {"commit": "273c334d9eafe1d157f7e0f018c4f1a94385a674", "dirty": False},
        "parameters": {"as_of": "2019-06-30"},
        "synthetic_cohorts": [0, 1, 2],
        "real_cohorts": [],
    }
    text = record_paragraph(prov)
    assert "syntetiske data" in text and "per 30. juni 2019" in text
    assert "273c334d" not in text  # the short commit, no checksum
    assert "HTML-utgaven" in text and "build-manifest.json" not in text
    assert "Tallene er beregnet med programkoden i versjon 273c334." in text
    mixed = record_paragraph({**prov, "real_cohorts": [17], "code": {"commit": None}})
    assert "(kull 17)" in mixed and "(kull 0–2)" in mixed and "ukjent versjon" in mixed


def test_an_unnamed_organisation_is_flagged_only_once_its_group_has_started() -> None:
    unnamed = _groups("2019-05-01", organisation="ikke oppgitt")
    before = Edition(dt.date(2018, 6, 30), None, BUILT)
    after = Edition(dt.date(2019, 6, 30), None, BUILT)
    assert edition_metadata(unnamed, before)["edition"]["org_not_given"] is False
    assert edition_metadata(unnamed, after)["edition"]["org_not_given"] is True
    named = edition_metadata(_groups("2019-05-01"), after)["edition"]
    assert named["org_not_given"] is False


def test_only_the_synthetic_2019_edition_lists_its_calibration_gaps() -> None:
    def flag(as_of: dt.date, synthetic: bool) -> bool:
        edition = Edition(as_of, None, BUILT)
        return edition_metadata(_groups("2019-05-01"), edition, synthetic)["edition"]["calibration"]

    assert flag(dt.date(2019, 6, 30), synthetic=True)
    assert not flag(dt.date(2019, 6, 30), synthetic=False)  # real answers: nothing calibrated
    assert not flag(dt.date(2026, 11, 30), synthetic=True)  # not the 2019 report's date
