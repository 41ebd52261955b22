"""The report's figures, one module per figure family, all drawn through ``style``.

- ``build``: ``build_all``, the stage's entry point (reads results, writes every figure)
- ``style``: palette, fonts, sizes and Norwegian number formats
- ``timeline`` (Figur 1), ``facts``, ``evaluation`` (Figur 2), ``effect`` (Figur 3 and the
  other Effect figures): one function per figure, returning the figure with its caption
  and alt text
- ``programme``: reads ``data/reference/programme.yaml``
- ``inputs``: reads the statistics stage's results; ``save``: deterministic, atomic files
- ``contract``: figure names and ids the chapters refer to
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.figures.build import FigureFiles, build_all

__all__ = ["FigureFiles", "build_all"]


def __getattr__(name: str) -> Any:
    """``build`` on first use: the profiles import ``style`` and ``layout`` without the
    report's figure modules (and scipy.stats behind them) in every kernel."""
    if name in __all__:
        from pipeline.figures import build

        return getattr(build, name)
    raise AttributeError(f"module 'pipeline.figures' has no attribute {name!r}")
