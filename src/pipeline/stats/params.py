"""The parameters of the statistics stage, parsed once from what papermill or a caller passes.

Papermill hands the notebook literals (``-p as_of 2019-06-30`` arrives as a string, ``-p
cohorts 0-7`` too), so the parsing lives here, tested, rather than in a notebook cell.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from pipeline.errors import AnalysisError

ALL_COHORTS = "all"
MIN_RESPONDENTS = 3
POSITIVE_THRESHOLD = 0.1
RELIABILITY = 0.90
CONFIDENCE = 0.95
CLEAR_CHANGE_Z = 1.96
"""The defaults of DESIGN.md section 3, defined here once: StatsParams, make_params, the CLI,
the figures, the profiles and (through a test) the notebooks' parameter cells read them."""


@dataclass(frozen=True)
class StatsParams:
    """Everything that changes what the statistics stage reports.

    ``reliability`` is the r_xx of the reliable change index. The default 0.90 is the
    internal consistency typically reported for Effect-type team scales aggregated to the
    group level (Cronbach's alpha around 0.9); it is an *assumption*, not a finding, which
    the method appendix says: only the 2019-comparable count uses it. A lower value widens
    the band of change that counts as reliable.

    ``clear_change_z`` is the cut-off for a group's change against its own standard error
    (``se_change``, from its respondents); 1.96 is the two-sided 95 % normal quantile.
    The notebook's ``parameters`` cell mirrors these fields (a test keeps them in step).
    """

    as_of: dt.date = field(default_factory=dt.date.today)
    as_of_future: bool = False
    cohorts: tuple[int, ...] | None = None
    min_respondents: int = MIN_RESPONDENTS
    positive_threshold: float = POSITIVE_THRESHOLD
    reliability: float = RELIABILITY
    confidence: float = CONFIDENCE
    clear_change_z: float = CLEAR_CHANGE_Z

    def __post_init__(self) -> None:
        if self.min_respondents < 1:
            raise AnalysisError(f"min_respondents must be at least 1, got {self.min_respondents}")
        if not 0.0 <= self.reliability < 1.0:
            raise AnalysisError(
                f"reliability (r_xx) must be in [0, 1), got {self.reliability}: "
                "at 1 every change would count as reliable"
            )
        if not 0.0 < self.confidence < 1.0:
            raise AnalysisError(f"confidence must be in (0, 1), got {self.confidence}")
        if not self.clear_change_z > 0:
            raise AnalysisError(f"clear_change_z must be positive, got {self.clear_change_z}")

    @property
    def cohorts_label(self) -> str:
        """How error messages and summary.json name the cohort selection."""
        if self.cohorts is None:
            return ALL_COHORTS
        return ",".join(str(k) for k in self.cohorts)

    def describe(self) -> str:
        """Names the edition in error messages, so a failing run says which selection failed."""
        return f"as_of={self.as_of.isoformat()}, cohorts={self.cohorts_label}"

    def as_dict(self) -> dict[str, object]:
        """The parameters as summary.json records them."""
        return {
            "as_of": self.as_of.isoformat(),
            "as_of_future": self.as_of_future,
            "cohorts": ALL_COHORTS if self.cohorts is None else list(self.cohorts),
            "min_respondents": self.min_respondents,
            "positive_threshold": self.positive_threshold,
            "reliability": self.reliability,
            "confidence": self.confidence,
            "clear_change_z": self.clear_change_z,
        }


def parse_as_of(value: object, today: dt.date | None = None) -> dt.date:
    """Reads ``as_of``: empty or None means today, else an ISO date (string, date or datetime)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return today or dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise AnalysisError(f"as_of must be an ISO date like 2019-06-30, got {value!r}") from exc


FLAG_VALUES = {"true": True, "ja": True, "yes": True, "1": True,
               "false": False, "nei": False, "no": False, "0": False, "": False}  # fmt: skip


def parse_flag(name: str, value: object) -> bool:
    """Reads a yes/no parameter given as a bool or as text (``-p allow_future true``)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in FLAG_VALUES:
        raise AnalysisError(f"{name} must be true or false, got {value!r}")
    return FLAG_VALUES[text]


def check_as_of(
    value: object, allow_future: object = False, today: dt.date | None = None
) -> dt.date:
    """``as_of``, refused when after today unless ``allow_future`` says a future date is meant.

    An edition dated after the build would present answers not yet given as complete.
    """
    today = today or dt.date.today()
    as_of = parse_as_of(value, today)
    if as_of > today and not parse_flag("allow_future", allow_future):
        raise AnalysisError(
            f"as_of {as_of.isoformat()} is after today ({today.isoformat()}): the edition would "
            "miss answers not yet given. If a future data date is meant, pass -p allow_future "
            "true (make: PARAMS='-p allow_future true'); the report then says so."
        )
    return as_of


def _cohort_tokens(text: str) -> Iterable[int]:
    for token in text.replace(" ", "").split(","):
        if not token:
            continue
        low, sep, high = token.partition("-")
        if sep:
            yield from range(int(low), int(high) + 1)
        else:
            yield int(token)


def parse_cohorts(value: object) -> tuple[int, ...] | None:
    """Reads ``cohorts``: ``"all"`` (None), an int, a list of ints, or text like ``"0-7,9"``.

    Returns a sorted tuple without duplicates, or None for every cohort.
    """
    if value is None or (isinstance(value, str) and value.strip().lower() in {"", ALL_COHORTS}):
        return None
    try:
        if isinstance(value, int):
            numbers = [value]
        elif isinstance(value, str):
            numbers = list(_cohort_tokens(value))
        else:
            numbers = [int(v) for v in value]  # type: ignore[union-attr]
    except (TypeError, ValueError) as exc:
        raise AnalysisError(
            f"cohorts must be 'all', a list of kull numbers or text like '0-7,9', got {value!r}"
        ) from exc
    if not numbers:
        raise AnalysisError(f"cohorts selects no kull: {value!r}")
    return tuple(sorted(set(numbers)))


def make_params(
    as_of: object = "",
    cohorts: object = ALL_COHORTS,
    allow_future: object = False,
    min_respondents: int = MIN_RESPONDENTS,
    positive_threshold: float = POSITIVE_THRESHOLD,
    reliability: float = RELIABILITY,
    confidence: float = CONFIDENCE,
    clear_change_z: float = CLEAR_CHANGE_Z,
) -> StatsParams:
    """Builds StatsParams from the notebook's ``parameters`` cell values."""
    checked = check_as_of(as_of, allow_future)
    return StatsParams(
        as_of=checked,
        as_of_future=checked > dt.date.today(),
        cohorts=parse_cohorts(cohorts),
        min_respondents=int(min_respondents),
        positive_threshold=float(positive_threshold),
        reliability=float(reliability),
        confidence=float(confidence),
        clear_change_z=float(clear_change_z),
    )
