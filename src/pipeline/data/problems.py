"""One problem in the raw data, addressed like a compiler error so an editor can jump to it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import total_ordering

FILE_LEVEL = 0
"""``line`` of a problem that concerns a whole file or folder rather than one row."""

NO_COLUMN = "-"
"""``column`` of a problem that concerns a whole row, file or folder."""


FILE_CAUSE, COLUMN_CAUSE, ROW_CAUSE, CROSS_FILE_CAUSE = 0, 1, 2, 3
"""How far up the chain of causes a problem sits; problems are listed cause first."""


@total_ordering
@dataclass(frozen=True)
class Problem:
    """Where (file, line, column), what (value) and which rule was broken.

    ``line`` is the physical line of a CSV file (the header is line 1) or the sheet row
    of an .xlsx file. ``value`` is None when the problem is not about one cell's text.
    Problems sort by cause (whole files, then columns, then rows, then what one file says
    about another), then by file, line and column, so that a file with the wrong columns
    comes before the rows it leaves without a group, and every run lists the same order.
    """

    file: str
    line: int
    column: str
    value: str | None
    rule: str
    cause: int = ROW_CAUSE

    def _key(self) -> tuple[int, str, int, str, str, str]:
        cause = FILE_CAUSE if self.line == FILE_LEVEL else self.cause
        return (cause, self.file, self.line, self.column, self.rule, self.value or "")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        if self.line == FILE_LEVEL:
            return f"{self.file}: {self.rule}"
        where = f"{self.file}:{self.line}:{self.column}"
        if self.value is None:
            return f"{where}: {self.rule}"
        return f"{where}: value '{self.value}' — {self.rule}"
