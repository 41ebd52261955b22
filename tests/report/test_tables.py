"""Pipe tables: well-formed, Norwegian headers and numbers, caption line with the right id."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
import pytest

from pipeline.format.numbers import MINUS, NBSP
from pipeline.report import tables
from pipeline.report.effect_model import effect_model_markdown


def _parts(markdown: str) -> tuple[list[str], str]:
    """The table lines and the caption line; checks the blank line between them."""
    body, caption = markdown.rstrip("\n").split("\n\n")
    return body.split("\n"), caption


def _cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip() for c in re.split(r"(?<!\\)\|", inner)]


def assert_pipe_table(markdown: str, table_id: str) -> list[list[str]]:
    lines, caption = _parts(markdown)
    widths = {len(_cells(line)) for line in lines}
    assert len(widths) == 1, "every row needs as many cells as the header"
    assert re.fullmatch(r"\|(:?---:?\|)+", lines[1])
    assert caption.startswith(": ") and caption.endswith(f"{{#{table_id}}}")
    return [_cells(line) for line in lines]


def test_tabell2(effect_table) -> None:
    table = effect_table.copy()
    table.loc[0, "n_groups"] = 29
    table.loc[1, ["t", "p", "ci_low", "ci_high"]] = float("nan")  # zero-variance row
    table.loc[2, "ci_low"] = -0.04
    markdown = tables.tabell2(table, confidence=0.95, paired_groups=31)
    rows = assert_pipe_table(markdown, "tbl-effect")
    assert rows[0] == [
        "Faktor",
        "T1 M (SD)",
        "T2 M (SD)",
        "Diff.",
        f"95{NBSP}% KI",
        "t",
        "d",
        "Antall grupper",
    ]
    first = rows[2]
    assert first[1] == "5,00 (0,50)" and first[6] == "1,30"
    assert first[5] == "4,00\\*\\*\\*"  # p = 0.0001
    assert rows[3][4] == "–" and rows[3][5] == "–"
    assert rows[4][4] == f"[{MINUS}0,04; 0,80]"  # d = 1.20, diff 0.60
    gtei = rows[-1]
    assert gtei[0] == "Global Team Effectiveness Index" and gtei[7] == ""
    caption = _parts(markdown)[1]
    assert "N = 31" in caption and "bygger på 29 grupper" in caption
    assert "\\*\\*\\* p < 0,001, \\*\\* p < 0,01, \\* p < 0,05" in caption


@pytest.mark.parametrize(
    ("p", "mark"),
    [(0.0009, "\\*\\*\\*"), (0.001, "\\*\\*"), (0.0099, "\\*\\*"), (0.04, "\\*"), (0.05, "")],
)
def test_stars(p: float, mark: str) -> None:
    assert tables.stars(p) == mark


def test_tabell1(change_counts) -> None:
    markdown = tables.tabell1(change_counts, threshold=0.1, paired_groups=31)
    rows = assert_pipe_table(markdown, "tbl-endring-antall")
    assert rows[0][1:] == ["Positiv endring (≥ +0,1)", "Under +0,1"]  # rises below +0,1 too
    assert rows[2][1:] == ["29", "2"]
    assert len(rows) == 2 + 26
    assert "minst +0,1" in markdown and "N = 31" in markdown
    assert "antall som har endret seg mindre enn +0,1 eller gått ned" in markdown


def test_evaluering(items, codebook) -> None:
    markdown = tables.evaluering(items, codebook, {"respondents": 177, "groups": 31})
    rows = assert_pipe_table(markdown, "tbl-evaluering")
    assert rows[0] == ["Påstand", "Antall svar", "Andel positive"]
    assert rows[2] == [f"**{codebook.sections[0].title}**", "", ""]
    assert rows[3] == [codebook.items[0].text, "170", f"60{NBSP}%"]
    assert len(rows) == 2 + len(codebook.sections) + len(codebook.items)
    assert "«Helt enig» eller «Delvis enig»" in markdown and "«Vet ikke»" in markdown
    assert "177 svar fra 31 ledergrupper" in markdown


def test_deltakere() -> None:
    participants = pd.DataFrame(
        {
            "kull": [0, 12],
            "group_id": ["a", "b"],
            "organisation": ["Klima- og miljødepartementet", "Kartverket"],
            "org_type": ["departement", "direktorat"],
            "start_date": pd.to_datetime(["2015-09-01", "2019-03-01"]),
            "end_date": pd.to_datetime(["2016-06-01", None]),
            "members": [7, 8],
        }
    )
    markdown = tables.deltakere(participants, dt.date(2019, 6, 30))
    rows = assert_pipe_table(markdown, "tbl-deltakere")
    assert rows[0] == ["Kull", "Virksomhet", "Type", "Periode"]
    assert rows[2] == ["0", "Klima- og miljødepartementet", "Departement", "2015–2016"]
    assert rows[3] == ["12", "Kartverket", "Direktorat", "2019–"]
    assert "per 30. juni 2019" in markdown and "(2 ledergrupper)" in markdown


def test_inndata() -> None:
    validation = {
        "files": [
            {"path": "kull-01/groups.csv", "sha256": "0123456789abcdef" * 4, "rows": 4},
            {"path": "kull-00/effect.csv", "sha256": "f" * 64, "rows": 10_500},
        ]
    }
    rows = assert_pipe_table(tables.inndata(validation), "tbl-inndata")
    assert rows[0] == ["Fil", "Rader", "SHA-256"]
    assert rows[2] == ["`kull-00/effect.csv`", f"10{NBSP}500", "`ffffffffffff`"]
    assert rows[3][2] == "`0123456789ab`"


def test_cells_are_escaped() -> None:
    assert tables.escape("A | B *x*") == "A \\| B \\*x\\*"


def test_effect_model_lists_every_factor_under_level_two_headings(codebook) -> None:
    markdown = effect_model_markdown(codebook)
    headings = re.findall(r"^(#+) (.+)$", markdown, flags=re.MULTILINE)
    assert headings == [("##", c) for c in ("Forutsetninger", "Prosesser", "Resultater")]
    for f in codebook.factors:
        assert f"- **{f.label}**" in markdown and f.definition in markdown
    assert "(også kalt teamfungering)" in markdown
    assert markdown.endswith("\n") and not markdown.endswith("\n\n")


def test_the_participant_note_names_the_pilot_and_the_skipped_number() -> None:
    assert tables.kull_note([0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]) == (
        " Kull 0 var pilotkullet. Numrene følger programmets egen nummerering, som ikke har "
        "noe kull 8."
    )
    assert tables.kull_note([1, 2, 3]) == ""  # no pilot, nothing skipped
    assert tables.kull_note([0, 3, 6]).endswith("som ikke har kull 1, 2, 4 og 5.")
    # kull 1-2 and 4-5 left out by the edition's selection are not missing from the programme
    assert tables.kull_note([0, 3, 6, 9], selected=[0, 3, 6, 7, 8, 9]).endswith(
        "som ikke har kull 7 og 8."
    )
    assert tables.kull_note([0, 3], selected=[0, 3]) == " Kull 0 var pilotkullet."
    assert tables.kull_note([]) == ""


def test_the_participant_table_says_names_are_as_at_participation() -> None:
    participants = pd.DataFrame(
        {
            "kull": [0, 9],
            "group_id": ["a", "b"],
            "organisation": ["Klima- og miljødepartementet", "Politidirektoratet"],
            "org_type": ["departement", "direktorat"],
            "start_date": pd.to_datetime(["2015-09-01", "2018-09-01"]),
            "end_date": pd.to_datetime(["2016-06-01", "2019-05-01"]),
            "members": [7, 8],
        }
    )
    caption = tables.deltakere(participants, dt.date(2019, 6, 30)).splitlines()[-1]
    assert "Kull 0 var pilotkullet" in caption and "ikke har noe kull 1, 2" not in caption
    assert "ikke har kull 1, 2, 3, 4, 5, 6, 7 og 8" in caption
    assert "navnet de hadde da de deltok" in caption
    assert "andre underliggende virksomheter" in caption


def test_an_ended_programme_gives_its_years_and_marks_a_name_not_given() -> None:
    participants = pd.DataFrame(
        {
            "kull": [0, 9],
            "group_id": ["a", "b"],
            "organisation": ["Kartverket", "ikke oppgitt"],
            "org_type": ["direktorat", "direktorat"],
            "start_date": pd.to_datetime(["2015-09-01", "2020-09-01"]),
            "end_date": pd.to_datetime(["2016-06-01", "2021-11-01"]),
            "members": [7, 8],
        }
    )
    markdown = tables.deltakere(participants, dt.date(2026, 11, 30))
    rows = assert_pipe_table(markdown, "tbl-deltakere")
    assert rows[3][1] == "*(ikke oppgitt)*"
    caption = markdown.splitlines()[-1]
    assert "deltok i programmet (2015–2021)" in caption and "per 30. november" not in caption
    assert "Der virksomheten er «(ikke oppgitt)», står navnet ikke i datagrunnlaget" in caption
