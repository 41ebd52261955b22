"""What the figures stage promises the report (docs/architecture.md): names, ids, links.

Chapters cross-reference figures by these ids (``@fig-evaluering``) and include the
fragments by these names, so they change only together with the chapters.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure

FIGURE_IDS: dict[str, str] = {
    "tidslinje": "fig-tidslinje",
    "fakta": "fig-fakta",
    "evaluering": "fig-evaluering",
    "effect_for_etter": "fig-effect-for-etter",
    "endring_faktorer": "fig-endring-faktorer",
    "gtei_endring": "fig-gtei-endring",
    "utviklingsomrader": "fig-utviklingsomrader",
    "effect_modell": "fig-effect-modell",
}
"""Figure name (file stem) → Quarto id, in the order the report shows them."""

URL_PREFIX = "/report/_generated/figures"
"""Where the fragments link to: a project-root path, as Quarto resolves ``/`` in a book."""


@dataclass(frozen=True)
class Built:
    """One drawn figure with the words that go with it; saving turns it into files."""

    name: str
    figure: Figure
    caption: str
    alt: str

    @property
    def fig_id(self) -> str:
        return FIGURE_IDS[self.name]
