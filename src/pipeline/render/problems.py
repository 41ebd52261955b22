"""Problems in the report sources, addressed as ``file:line`` so an editor can jump to them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.errors import RenderError


@dataclass(frozen=True, order=True)
class SourceProblem:
    """One construct outside the supported Quarto subset, or a broken reference.

    ``file`` is relative to the project root; ``line`` is 1-based (0 when the problem
    concerns the whole file).
    """

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


def fail(problems: Iterable[SourceProblem]) -> None:
    """Raise one RenderError listing every problem, so a run shows them all at once."""
    found = sorted(set(problems))
    if found:
        lines = [f"{len(found)} problem(s) in the report sources:"]
        lines += [f"  {p}" for p in found]
        raise RenderError("\n".join(lines))


def fail_at(file: str, line: int, message: str) -> RenderError:
    """A RenderError for a single problem (for errors that stop the reading at once)."""
    return RenderError(
        f"1 problem(s) in the report sources:\n  {SourceProblem(file, line, message)}"
    )
