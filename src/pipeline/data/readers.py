"""Reads one raw file (CSV or .xlsx) into a table of text, keeping each row's line number.

Everything is read as text so that identifiers such as ``007`` survive and so that a
problem can quote the cell exactly as it was written. Conversion happens only after
validation (see ``normalise``).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import zipfile
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils.exceptions import InvalidFileException

from pipeline.data.problems import FILE_LEVEL, NO_COLUMN, Problem

SEPARATORS = (",", ";")
LEGACY_LETTERS = "æøåÆØÅ"

Row = tuple[int, list[str]]
"""A physical line number (or sheet row) and the stripped text of its cells."""


@dataclass(frozen=True)
class Excluded:
    """A row left out of the data, recorded in validation.json so the omission is visible."""

    line: int
    reason: str


@dataclass(frozen=True)
class TextTable:
    """A raw table as text: lower-case column names, blank cells missing, index = line."""

    frame: pd.DataFrame
    header_line: int
    excluded: tuple[Excluded, ...]
    sha256: str
    sheet: str | None = None
    """The sheet read, when a workbook had several (validation.json says which)."""


def read_table(
    path: Path, shown: str, required: Collection[str] = (), sheet: str | None = None
) -> tuple[TextTable | None, list[Problem]]:
    """Reads ``path``; problems name it as ``shown``. No table comes back with problems.

    A workbook's sheet is ``sheet`` when given, else the one whose header holds every
    ``required`` column (DESIGN.md section 2).
    """
    data = path.read_bytes()
    if not data:
        return None, [Problem(shown, FILE_LEVEL, NO_COLUMN, None, "empty file (0 bytes)")]
    chosen = None
    if path.suffix.lower() == ".xlsx":
        rows, problems, chosen = _xlsx_rows(data, shown, required, sheet)
    else:
        rows, problems = _csv_rows(data, shown)
    if problems:
        return None, problems
    table, problems = _text_table(rows, shown, hashlib.sha256(data).hexdigest())
    return (replace(table, sheet=chosen) if table else None), problems


def _csv_rows(data: bytes, shown: str) -> tuple[list[Row], list[Problem]]:
    """Decodes UTF-8 (BOM optional), sniffs the separator from the header and splits rows."""
    body = data.removeprefix(codecs.BOM_UTF8)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [], [_not_utf8(body, exc.start, shown)]
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        rule = "contains a NUL byte: not a text file, or text saved as UTF-16; save it as UTF-8"
        return [], [Problem(shown, line, NO_COLUMN, None, rule)]
    separator = _sniff(next((line for line in text.splitlines() if line.strip()), ""))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True)
    rows: list[Row] = []
    while True:
        line = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            return rows, []
        except csv.Error as exc:
            rule = f"malformed CSV ({exc}); check the quotes on this line"
            return [], [Problem(shown, line, NO_COLUMN, None, rule)]
        rows.append((line, [field.strip() for field in fields]))


def _sniff(header: str) -> str:
    """The separator that splits the header into the most columns (`,` when none splits it)."""
    return max(SEPARATORS, key=lambda sep: (len(_split(header, sep)), sep == ","))


def _split(line: str, separator: str) -> list[str]:
    return next(csv.reader([line], delimiter=separator), [])


def _not_utf8(body: bytes, position: int, shown: str) -> Problem:
    """Locates the first byte that is not UTF-8 and says which encoding the file likely has.

    Excel on Windows saves "CSV" as cp1252, where æøå are single bytes; naming that
    encoding tells the user exactly how to fix the export.
    """
    start = body.rfind(b"\n", 0, position) + 1
    line = body.count(b"\n", 0, position) + 1
    character = len(body[start:position].decode("utf-8")) + 1
    column, value = _cell_at(body, start, position)
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        likely, value = "; it looks like UTF-16", None
    elif any(letter in _legacy_decode(body) for letter in LEGACY_LETTERS):
        likely = "; it looks like cp1252/latin-1 (how Excel on Windows saves æøå)"
    else:
        likely = ""
    rule = (
        f"text is not UTF-8: byte 0x{body[position]:02X} at character {character} of the line"
        f"{likely}; save the file as UTF-8"
    )
    return Problem(shown, line, column, value, rule)


def _cell_at(body: bytes, start: int, position: int) -> tuple[str, str | None]:
    """The column name and the cell text (read as cp1252) around the byte at ``position``."""
    header = _legacy_decode(body.split(b"\n", 1)[0]).strip()
    separator = _sniff(header)
    index = len(_split(_legacy_decode(body[start:position]) + "x", separator)) - 1
    end = body.find(b"\n", position)
    fields = _split(_legacy_decode(body[start : end if end >= 0 else None]).strip(), separator)
    names = _split(header, separator)
    column = names[index].strip().lower() if start > 0 and index < len(names) else NO_COLUMN
    return column, fields[index].strip() if index < len(fields) else None


def _legacy_decode(data: bytes) -> str:
    """cp1252 where it can, latin-1 (which decodes any byte) where cp1252 has gaps."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _xlsx_rows(
    data: bytes, shown: str, required: Collection[str], sheet: str | None
) -> tuple[list[Row], list[Problem], str | None]:
    """The rows of the table's sheet, numbered as the sheet numbers them, and its name
    when the workbook had several sheets to choose from."""
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        rule = f"cannot read as an Excel workbook (.xlsx): {exc}"
        return [], [Problem(shown, FILE_LEVEL, NO_COLUMN, None, rule)], None
    sheets = {ws.title: _sheet_rows(ws) for ws in book.worksheets}
    names = ", ".join(f"'{name}'" for name in sheets)
    if sheet is not None:
        if sheet not in sheets:
            rule = f"no sheet named '{sheet}' (the codebook names it); the workbook has {names}"
            return [], [Problem(shown, FILE_LEVEL, NO_COLUMN, None, rule)], None
        return sheets[sheet], [], sheet if len(sheets) > 1 else None
    if len(sheets) == 1:
        return next(iter(sheets.values())), [], None
    wanted = {c.lower() for c in required}
    for name, rows in sheets.items():
        header = next((fields for _, fields in rows if any(fields)), [])
        if wanted <= {field.lower() for field in header}:
            return rows, [], name
    rule = (
        f"none of the sheets ({names}) has a header with {', '.join(sorted(wanted))}; "
        "name the table's sheet under export.sheets in the codebook"
    )
    return [], [Problem(shown, FILE_LEVEL, NO_COLUMN, None, rule)], None


def _sheet_rows(sheet: object) -> list[Row]:
    cells = sheet.iter_rows(min_row=1, values_only=True)  # type: ignore[attr-defined]
    return [(n, [_cell_text(v) for v in row]) for n, row in enumerate(cells, start=1)]


def _cell_text(value: object) -> str:
    """A cell as the text a CSV export would show (whole floats without ``.0``, ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def _text_table(rows: list[Row], shown: str, sha256: str) -> tuple[TextTable | None, list[Problem]]:
    """Turns rows into a frame; header faults and ragged rows are problems, blank rows excluded."""
    filled = [(line, fields) for line, fields in rows if any(fields)]
    if not filled:
        return None, [Problem(shown, FILE_LEVEL, NO_COLUMN, None, "empty file (no header row)")]
    header_line, header = filled[0]
    names = [name.lower() for name in header]
    problems = _doubled_names(names, shown, header_line)
    records: list[Row] = []
    excluded: list[Excluded] = []
    for line, fields in rows:
        if line <= header_line:
            continue
        if not any(fields):
            excluded.append(Excluded(line, "blank row"))
        elif len(fields) != len(names):
            rule = f"row has {len(fields)} fields but the header has {len(names)}"
            problems.append(Problem(shown, line, NO_COLUMN, None, rule))
        else:
            records.append((line, fields))
    problems += _unnamed_with_values(names, records, shown)
    if problems:
        return None, problems
    named = [n for n, name in enumerate(names) if name]
    frame = pd.DataFrame(
        [[fields[n] or None for n in named] for _, fields in records],
        index=pd.Index([line for line, _ in records], name="line", dtype="int64"),
        columns=[names[n] for n in named],
        dtype="str",
    )
    return TextTable(frame, header_line, tuple(excluded), sha256), []


def _doubled_names(names: list[str], shown: str, line: int) -> list[Problem]:
    """Two columns with one name (after lower-casing) would make every value ambiguous."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name and name in seen:
            rule = f"column name appears twice (columns {seen[name]} and {position})"
            problems.append(Problem(shown, line, name, None, rule))
        seen.setdefault(name, position)
    return problems


def _unnamed_with_values(names: list[str], records: list[Row], shown: str) -> list[Problem]:
    """An unnamed column is dropped when empty (a trailing separator), else it is a problem."""
    problems: list[Problem] = []
    for n, name in enumerate(names):
        if name:
            continue
        filled = next(((line, fields[n]) for line, fields in records if fields[n]), None)
        if filled:
            rule = "this column has values but no name in the header"
            problems.append(Problem(shown, filled[0], f"column {n + 1}", filled[1], rule))
    return problems
