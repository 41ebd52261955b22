"""One problem in the raw data, addressed like a compiler error so an editor can jump to it."""

from __future__ import annotations

from dataclasses import dataclass
from functools import total_ordering

FILE_LEVEL = 0
"""``line`` of a problem that concerns a whole file or folder rather than one row."""

NO_COLUMN = "-"
"""``column`` of a problem that concerns a whole row, file or folder."""


@total_ordering
@dataclass(frozen=True)
class Problem:
    """Where (file, line, column), what (value) and which rule was broken.

    ``line`` is the physical line of a CSV file (the header is line 1) or the sheet row
    of an .xlsx file. ``value`` is None when the problem is not about one cell's text.
    Problems sort by file, line and column so that every run lists them in the same order.
    """

    file: str
    line: int
    column: str
    value: str | None
    rule: str

    def _key(self) -> tuple[str, int, str, str, str]:
        return (self.file, self.line, self.column, self.rule, self.value or "")

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Problem):
            return NotImplemented
        return self._key() < other._key()

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        if self.value is None:
            return f"{where}: {self.rule}"
        return f"{where}: value '{self.value}' — {self.rule}"
