"""What the cover says besides title and author: status, dates and the synthetic marking.

DESIGN.md section 8: an edition has a data date (``as_of``) and a publication date from
the publication record; without a record the edition is a draft, and the cover says
"Utkast" with the date of ``SOURCE_DATE_EPOCH`` (so builds stay byte-identical). Both
renderers print these same strings (assets/cover-note.typ).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pipeline.render.analysis import SYNTHETIC_LABEL, AnalysedBook
from pipeline.render.book import NORWEGIAN_MONTHS


@dataclass(frozen=True)
class Cover:
    status: str
    data_date: str | None
    marking: str | None
    marking_label: str = SYNTHETIC_LABEL

    def metadata(self) -> dict[str, str]:
        """For Quarto: the partial partials/typst-show.typ reads these keys."""
        values = {
            "cover-status": self.status,
            "cover-data-date": self.data_date,
            "cover-marking": self.marking,
            "cover-marking-label": self.marking_label,
        }
        return {key: value for key, value in values.items() if value}


def norwegian_date(timestamp: int) -> str:
    day = datetime.fromtimestamp(timestamp, tz=UTC).date()
    return f"{day.day}. {NORWEGIAN_MONTHS[day.month - 1]} {day.year}"


def cover_of(analysed: AnalysedBook, timestamp: int) -> Cover:
    """The draft cover (no publication record yet): "Utkast – <date of the build>"."""
    book = analysed.book
    return Cover(
        status=f"Utkast – {norwegian_date(timestamp)}",
        data_date=f"Datagrunnlag per {book.date_text}" if book.date else None,
        marking=analysed.synthetic_notice,
    )
