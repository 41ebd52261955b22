"""What a render produced, whichever renderer ran."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class RenderResult:
    """The renderer that ran and the files it wrote (``pdf`` is None without a typst format)."""

    renderer: str
    out_dir: Path
    pages: tuple[Path, ...]
    pdf: Path | None

    @property
    def index(self) -> Path:
        return self.out_dir / "index.html"

    def __str__(self) -> str:
        pdf = f" and {self.pdf.name}" if self.pdf else ""
        return f"rendered {len(self.pages)} HTML page(s){pdf} into {self.out_dir} ({self.renderer})"
