"""The publication record: published or draft, and the dates the cover shows."""

from __future__ import annotations

import datetime as dt

import pytest

from pipeline.cli import main
from pipeline.errors import PipelineError
from pipeline.report.publication import (
    RECORD,
    edition,
    edition_variables,
    load_record,
    newest_recorded,
    parse_record,
)

RECORD_TEXT = """
editions:
  - as_of: 2019-06-30
    publication_date: 2019-09-02
  - as_of: "2021-06-30"
    publication_date: "2021-10-01"
"""
JUNE_30 = dt.date(2019, 6, 30)


def test_record_maps_editions_to_publication_dates() -> None:
    record = parse_record(RECORD_TEXT)
    assert record == {JUNE_30: dt.date(2019, 9, 2), dt.date(2021, 6, 30): dt.date(2021, 10, 1)}
    assert newest_recorded(record) == dt.date(2021, 6, 30)
    assert newest_recorded({}) is None


def test_a_named_edition_is_published_with_its_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    ed = edition(JUNE_30, parse_record(RECORD_TEXT))
    assert not ed.draft and ed.publication_date == dt.date(2019, 9, 2)
    assert edition_variables(ed) == {
        "publication_date": "2. september 2019",
        "publication_iso": "2019-09-02",
        "draft": "nei",
        "status": "Publisert",
    }


def test_an_edition_not_named_is_a_draft_dated_by_source_date_epoch(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14 22:13 UTC
    ed = edition(dt.date(2020, 6, 30), parse_record(RECORD_TEXT))
    assert ed.draft and ed.publication_date is None
    assert edition_variables(ed) == {
        "publication_date": "14. november 2023",
        "publication_iso": "2023-11-14",
        "draft": "ja",
        "status": "Utkast",
    }


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("editions: {as_of: 2019-06-30}", "'editions' must be a list"),
        ("editions:\n  - as_of: 2019-06-30", "edition 1 needs both as_of and publication_date"),
        ("editions:\n  - {as_of: 2019-06-31, publication_date: 2019-09-02}", "is not a date"),
        ("editions:\n  - {as_of: 2019-06-30, publication_date: 2019-06-01}", "is before as_of"),
        (
            "editions:\n  - {as_of: 2019-06-30, publication_date: 2019-09-02}"
            "\n  - {as_of: 2019-06-30, publication_date: 2019-09-03}",
            "edition 2: as_of 2019-06-30 is named twice",
        ),
    ],
)
def test_a_record_that_says_something_else_is_refused(text: str, message: str) -> None:
    with pytest.raises(PipelineError, match=message):
        parse_record(text)


def test_the_shipped_record_parses() -> None:
    assert RECORD.is_file()
    assert isinstance(load_record(), dict)


def test_edition_command_for_the_workflow(tmp_path, capsys: pytest.CaptureFixture) -> None:
    record = tmp_path / "publisering.yml"
    record.write_text(RECORD_TEXT, encoding="utf-8")
    at = ["--record", str(record)]

    assert main(["edition", *at, "--github-output"]) == 0
    assert capsys.readouterr().out == "as_of=2021-06-30\npublish=true\n"
    assert main(["edition", *at, "--as-of", "2020-06-30", "--github-output"]) == 0
    assert capsys.readouterr().out == "as_of=2020-06-30\npublish=false\n"
    assert main(["edition", *at, "--as-of", "2019-06-30"]) == 0
    assert capsys.readouterr().out == "2019-06-30: published 2019-09-02 (report/publisering.yml)\n"


def test_a_draft_without_source_date_epoch_does_not_follow_the_clock(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert edition(dt.date(2020, 6, 30), {}).shown_date == dt.date(1970, 1, 1)
