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
from pipeline.render.apparatus import document_metadata
from pipeline.render.book import NORWEGIAN_MONTHS


@dataclass(frozen=True)
class Cover:
    status: str
    data_date: str | None
    marking: str | None
    marking_label: str = SYNTHETIC_LABEL
    draft: bool = False

    def metadata(self) -> dict[str, str]:
        """For Quarto: the partial partials/typst-show.typ reads these keys."""
        values = {
            "cover-status": self.status,
            "cover-data-date": self.data_date,
            "cover-marking": self.marking,
            "cover-marking-label": self.marking_label,
            # A draft says so on every page, in the footer (print-layout.typ).
            "draft-status": self.status if self.draft else None,
        }
        return {key: value for key, value in values.items() if value}


def norwegian_date(timestamp: int) -> str:
    day = datetime.fromtimestamp(timestamp, tz=UTC).date()
    return f"{day.day}. {NORWEGIAN_MONTHS[day.month - 1]} {day.year}"


def cover_of(analysed: AnalysedBook, timestamp: int) -> Cover:
    """The status line comes from the edition metadata (``edition.publication``, which the
    statistics stage takes from the publication record); without it the edition is a
    draft: "Utkast – <date of the build>". A draft is one the edition marks so (its
    publication line then reads "Utkast – …" too) or one without that metadata."""
    book = analysed.book
    edition = document_metadata(book).get("edition")
    published = edition.get("publication") if isinstance(edition, dict) else None
    return Cover(
        status=str(published) if published else f"Utkast – {norwegian_date(timestamp)}",
        data_date=f"Datagrunnlag per {book.date_text}" if book.date else None,
        marking=analysed.synthetic_notice,
        draft=not published or bool(edition.get("draft")),
    )
