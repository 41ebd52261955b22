"""Exception hierarchy: every failure the user can cause has its own class and a clear message."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class; the CLI prints these without a traceback and exits 1."""


class CodebookError(PipelineError):
    """The codebook YAML is malformed or inconsistent."""


class ReferenceDataError(PipelineError):
    """A reference file other than the codebook (``programme.yaml``) is malformed."""


class ValidationError(PipelineError):
    """Raw data broke the contract; ``problems`` holds every problem found."""

    def __init__(self, problems: list) -> None:
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in the raw data:"]
        lines += [f"  {p}" for p in problems]
        super().__init__("\n".join(lines))


class AnalysisError(PipelineError):
    """The data selected cannot support a statistic (e.g. fewer than two paired groups)."""


class RenderError(PipelineError):
    """The report sources use something the renderer does not support, or a tool failed."""


class StageError(PipelineError):
    """A notebook stage failed; the message names the notebook and the failing cell."""


class BuildBusyError(PipelineError):
    """Another build holds the project's lock and the caller chose not to wait."""
