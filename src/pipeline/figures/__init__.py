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

from pipeline.figures.build import FigureFiles, build_all

__all__ = ["FigureFiles", "build_all"]
