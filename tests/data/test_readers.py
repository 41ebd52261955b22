"""Raw files in any of the allowed spellings read to the same tables, with true line numbers."""

from __future__ import annotations

import codecs
import hashlib
import re
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import openpyxl
import pandas as pd
import pytest

from pipeline.data.readers import Excluded, read_table
from pipeline.data.validate import validate_raw

if TYPE_CHECKING:
    from conftest import RawTree

DECIMAL = re.compile(r"\d+\.\d+")
WHOLE = re.compile(r"\d+")
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _each_csv(tree: RawTree, write: Callable[[RawTree, str, list[str], list[list[str]]], None]):
    """Rewrites every CSV of the tree through ``write``."""
    for path in sorted(tree.root.glob("kull-*/*.csv")):
        rel = path.relative_to(tree.root).as_posix()
        header, rows = tree.read_csv(rel)
        write(tree, rel, header, rows)


def _semicolon_decimal_comma(tree: RawTree, rel: str, header: list[str], rows: list[list[str]]):
    rows = [[DECIMAL.sub(lambda m: m[0].replace(".", ","), cell) for cell in row] for row in rows]
    tree.write_csv(rel, header, rows, separator=";")


def _comma_decimal_comma(tree: RawTree, rel: str, header: list[str], rows: list[list[str]]):
    """A comma inside a number forces the CSV writer to quote it."""
    rows = [[DECIMAL.sub(lambda m: m[0].replace(".", ","), cell) for cell in row] for row in rows]
    tree.write_csv(rel, header, rows)


def _bom_crlf(tree: RawTree, rel: str, header: list[str], rows: list[list[str]]):
    text = (tree.root / rel).read_text(encoding="utf-8").replace("\n", "\r\n")
    tree.write_bytes(rel, codecs.BOM_UTF8 + text.encode("utf-8"))


def _shouty_headers(tree: RawTree, rel: str, header: list[str], rows: list[list[str]]):
    tree.write_csv(rel, [f" {name.upper()} " for name in header], rows)


def _blank_rows_and_padding(tree: RawTree, rel: str, header: list[str], rows: list[list[str]]):
    padded = [[f"  {cell} " if cell else cell for cell in row] for row in rows]
    tree.write_csv(rel, header, [[""] * len(header), *padded, [""] * len(header)])


def _typed(column: str, text: str) -> object:
    """A cell as Excel would store it; identifiers stay text so that 001 survives."""
    if column.endswith("_id") or not text:
        return text or None
    if WHOLE.fullmatch(text):
        return int(text)
    if DECIMAL.fullmatch(text):
        return float(text)
    if ISO_DATE.fullmatch(text):
        return datetime.fromisoformat(text)
    return text


def _xlsx(tree: RawTree, rel: str, header: list[str], rows: list[list[str]]):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append([_typed(column, text) for column, text in zip(header, row, strict=True)])
    book.create_sheet("notes").append(["ignored", "second sheet"])
    (tree.root / rel).unlink()
    book.save(tree.root / rel.replace(".csv", ".xlsx"))


@pytest.mark.parametrize(
    "write",
    [
        _semicolon_decimal_comma,
        _comma_decimal_comma,
        _bom_crlf,
        _shouty_headers,
        _blank_rows_and_padding,
        _xlsx,
    ],
)
def test_every_allowed_spelling_reads_to_the_same_tables(
    raw_tree: RawTree, write: Callable[..., None]
) -> None:
    expected = validate_raw(raw_tree.root).tables()
    _each_csv(raw_tree, write)

    tables = validate_raw(raw_tree.root).tables()

    for name, frame in expected.items():
        pd.testing.assert_frame_equal(tables[name], frame, obj=name)


def _rows(frame: pd.DataFrame) -> dict[int, dict[str, str | None]]:
    """Rows by line number, with missing cells as None so they compare plainly."""
    return {
        line: {column: None if pd.isna(value) else value for column, value in row.items()}
        for line, row in frame.iterrows()
    }


def _write(tmp_path: Path, text: str, name: str = "t.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_index_is_the_physical_line_and_blank_rows_are_recorded(tmp_path: Path) -> None:
    path = _write(tmp_path, 'id,note\r\n1,"two\r\nlines"\r\n\r\n,\r\n007, x \r\n')

    table, problems = read_table(path, "t.csv")

    assert problems == []
    assert table is not None
    assert _rows(table.frame) == {
        2: {"id": "1", "note": "two\r\nlines"},
        6: {"id": "007", "note": "x"},
    }
    assert table.excluded == (Excluded(4, "blank row"), Excluded(5, "blank row"))
    assert table.header_line == 1


@pytest.mark.parametrize(
    ("text", "columns", "first"),
    [
        ("a;b\n1,5;2\n", ["a", "b"], ["1,5", "2"]),
        ("a,b\n1.5,2\n", ["a", "b"], ["1.5", "2"]),
        ('a,b\n"1,5",2\n', ["a", "b"], ["1,5", "2"]),
        (" Group_ID ;KULL\nG1;03\n", ["group_id", "kull"], ["G1", "03"]),
        ("a,b,\n1,2,\n", ["a", "b"], ["1", "2"]),
    ],
    ids=["semicolon", "comma", "quoted_decimal_comma", "names_normalised", "trailing_separator"],
)
def test_separator_is_sniffed_and_names_are_normalised(
    tmp_path: Path, text: str, columns: list[str], first: list[str]
) -> None:
    table, problems = read_table(_write(tmp_path, text), "t.csv")

    assert problems == []
    assert table is not None
    assert list(table.frame.columns) == columns
    assert table.frame.iloc[0].tolist() == first


def test_blank_cells_are_missing_not_empty_text(tmp_path: Path) -> None:
    table, _ = read_table(_write(tmp_path, "a,b\n1,\n"), "t.csv")

    assert table is not None
    assert table.frame["b"].isna().all()


def test_checksum_is_of_the_bytes_on_disk(tmp_path: Path) -> None:
    path = _write(tmp_path, "\ufeffa,b\n1,2\n")

    table, _ = read_table(path, "t.csv")

    assert table is not None
    assert table.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_xlsx_reads_the_first_sheet_as_a_csv_export_would(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["ID", "Score", "Start", "Note"])
    sheet.append(["007", 5.0, datetime(2019, 6, 30), None])
    sheet.append([None, None, None, None])
    sheet.append(["8", 4.5, date(2020, 1, 2), " text "])
    book.create_sheet("other").append(["x"])
    book.save(tmp_path / "t.xlsx")

    table, problems = read_table(tmp_path / "t.xlsx", "t.xlsx")

    assert problems == []
    assert table is not None
    assert _rows(table.frame) == {
        2: {"id": "007", "score": "5", "start": "2019-06-30", "note": None},
        4: {"id": "8", "score": "4.5", "start": "2020-01-02", "note": "text"},
    }
    assert table.excluded == (Excluded(3, "blank row"),)
