"""One group's Effect profile as numbers (DESIGN.md section 9): its own data, and nothing else.

A profile holds the group's factor scores per wave, its change with its own uncertainty
(``se_change`` from ``pipeline.stats.group_change``), and the programme's mean and spread
over the edition's groups. Confidential by construction:

- the only group-level rows it ever receives are its own (``group_profile`` filters the
  edition's change table to one ``group_id``);
- a group value from fewer than ``min_respondents`` answers is replaced by NaN and marked
  in ``suppressed`` (the threshold rule), and so is the change built on it;
- a programme aggregate over fewer than ``PROGRAMME_MIN_GROUPS`` groups is withheld, so no
  comparison figure can be unpicked into another group's score.

Edition rules follow the statistics stage: only the kull that ``cohorts`` selects count
(``COHORTS``; all by default), both for who gets a profile and for the programme the
profiles compare with; a wave-1 answer counts for a group that had started by ``as_of``;
wave-2 and wave-3 answers only for groups that had ended by then (the data carry no
answer dates, so a running group's later waves are not yet "in").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipeline.data.codebook import Codebook, load_codebook
from pipeline.disclosure.rules import PROGRAMME_MIN_GROUPS
from pipeline.errors import PipelineError
from pipeline.paths import PATHS
from pipeline.stats.group_change import GTEI, WAVES, group_changes
from pipeline.stats.inputs import load_processed
from pipeline.stats.params import ALL_COHORTS, parse_cohorts

GTEI_LABEL = "Samlet indeks (GTEI)"


class UnknownGroupError(PipelineError):
    """A GROUP that has no profile in this edition; the message says how to list the ids."""


@dataclass(frozen=True, eq=False)
class Edition:
    """Everything every profile of one edition is computed from, loaded once per process.

    Compared and hashed by identity, so per-edition results can be memoised.
    """

    as_of: dt.date
    min_respondents: int
    codebook: Codebook
    groups: pd.DataFrame
    """Every group in the data, selected or not: the disclosure check looks for them all."""
    development_areas: pd.DataFrame
    changes: pd.DataFrame
    programme: pd.DataFrame
    synthetic_cohorts: frozenset[int]
    group_ids: tuple[str, ...] = field(default=())
    cohorts: tuple[int, ...] | None = None
    """The kull the edition covers; None for all."""


@dataclass(frozen=True)
class Profile:
    """One group's profile: the numbers the notebook shows and the document prints."""

    group_id: str
    kull: int
    organisation: str
    as_of: dt.date
    min_respondents: int
    synthetic: bool
    respondents: dict[int, int]
    factors: pd.DataFrame
    """One row per factor and ``gtei`` (last): label, category, dev_area, n/mean per wave,
    change, se_change, clear_change, programme mean/sd/groups per wave, suppression flags."""
    strengths: tuple[str, ...]
    gaps: tuple[str, ...]

    @cached_property
    def rows(self) -> dict[str, dict[str, Any]]:
        """``factors`` as one record per factor key, built once: the text looks rows up often."""
        records = self.factors.to_dict("records")
        return {str(r["factor"]): r for r in records}

    @cached_property
    def has_wave(self) -> dict[int, bool]:
        """Whether a wave has a publishable GTEI (enough answers) for this group.

        Cached: the text and the figure ask a few dozen times per profile.
        """
        gtei = self.rows[GTEI]
        return {w: bool(np.isfinite(gtei[f"mean{w}"])) for w in WAVES}

    @property
    def has_change(self) -> bool:
        return self.has_wave[2]


def edition_effect(effect: pd.DataFrame, groups: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The Effect answers an edition counts: wave 1 of started groups, later waves of ended."""
    cutoff = pd.Timestamp(as_of)
    started = set(groups.loc[groups["start_date"] <= cutoff, "group_id"])
    ended_mask = groups["end_date"].notna() & (groups["end_date"] <= cutoff)
    ended = set(groups.loc[ended_mask, "group_id"])
    keep = (effect["wave"].eq(1) & effect["group_id"].isin(started)) | (
        effect["wave"].isin([2, 3]) & effect["group_id"].isin(ended)
    )
    return effect.loc[keep].reset_index(drop=True)


def profile_group_ids(changes: pd.DataFrame) -> tuple[str, ...]:
    """Groups with wave-1 answers in the edition: they choose their areas from that survey."""
    gtei = changes.loc[changes["factor"] == GTEI]
    return tuple(sorted(gtei.loc[gtei["n1"] > 0, "group_id"]))


def programme_aggregates(changes: pd.DataFrame, min_respondents: int) -> pd.DataFrame:
    """Per factor and wave: mean and SD of the group means over groups with enough answers.

    Rows are indexed by factor; columns ``prog_n{w}``, ``prog_mean{w}``, ``prog_sd{w}``.
    Aggregates over fewer than PROGRAMME_MIN_GROUPS groups are NaN (withheld).
    """
    out = {}
    for wave in WAVES:
        usable = changes.loc[changes[f"n{wave}"] >= min_respondents]
        stats = usable.groupby("factor", sort=False)[f"mean{wave}"].agg(["count", "mean", "std"])
        stats = stats.reindex(changes["factor"].unique())
        enough = stats["count"].fillna(0) >= PROGRAMME_MIN_GROUPS
        out[f"prog_n{wave}"] = stats["count"].fillna(0).astype(int)
        out[f"prog_mean{wave}"] = stats["mean"].where(enough)
        out[f"prog_sd{wave}"] = stats["std"].where(enough)
    return pd.DataFrame(out)


def build_edition(
    processed_dir: Path,
    as_of: dt.date,
    min_respondents: int,
    codebook_path: Path,
    cohorts: tuple[int, ...] | None = None,
) -> Edition:
    """Loads the processed tables and computes every group's change once for the edition."""
    processed = load_processed(processed_dir)
    codebook = load_codebook(codebook_path)
    selected = processed.groups
    if cohorts is not None:
        selected = selected.loc[selected["kull"].isin(cohorts)]
    effect = edition_effect(processed.effect, selected, as_of)
    ids = sorted(effect["group_id"].astype(str).unique())
    changes = group_changes(effect, ids, codebook.factor_keys, min_respondents=min_respondents)
    return Edition(
        as_of=as_of,
        min_respondents=min_respondents,
        codebook=codebook,
        groups=processed.groups,
        development_areas=processed.development_areas,
        changes=changes,
        programme=programme_aggregates(changes, min_respondents),
        synthetic_cohorts=synthetic_cohorts(processed.validation, processed.groups),
        group_ids=profile_group_ids(changes),
        cohorts=cohorts,
    )


@cache
def load_edition(
    processed_dir: str,
    as_of: str,
    min_respondents: int,
    codebook_path: str,
    cohorts: tuple[int, ...] | None,
    stamp: str,
) -> Edition:
    """``build_edition`` memoised per process: a kernel that builds many profiles reads once.

    ``stamp`` (the processed folder's file sizes and times) makes a changed folder a new key.
    """
    del stamp
    return build_edition(
        Path(processed_dir),
        dt.date.fromisoformat(as_of),
        min_respondents,
        Path(codebook_path),
        cohorts,
    )


def processed_stamp(processed_dir: Path) -> str:
    """Cheap identity of the processed tables, so the memo never serves a stale edition."""
    folder = Path(processed_dir)
    files = [*sorted(folder.glob("*.parquet")), folder / "validation.json"]
    return ";".join(f"{p.name}:{p.stat().st_size}:{p.stat().st_mtime_ns}" for p in files)


def edition_for(
    processed_dir: Path, as_of: dt.date, min_respondents: int, cohorts: object = ALL_COHORTS
) -> Edition:
    """The edition of the profiles, read once per process however many groups it serves.

    ``cohorts`` as the report takes it: ``"all"``, ``"0-7,9"`` or a list of kull numbers.
    """
    return load_edition(
        str(Path(processed_dir).resolve()),
        as_of.isoformat(),
        int(min_respondents),
        str(PATHS.codebook),
        parse_cohorts(cohorts),
        processed_stamp(Path(processed_dir)),
    )


def synthetic_cohorts(validation: dict, groups: pd.DataFrame) -> frozenset[int]:
    """The cohorts whose data are synthetic: a profile of one of them says so on its front.

    ``validation.json`` lists them (``synthetic_cohorts``); an older one says only whether
    the data are synthetic (``synthetic``), which then holds for every cohort.
    """
    if "synthetic_cohorts" in validation:
        return frozenset(int(k) for k in validation["synthetic_cohorts"])
    if validation.get("synthetic"):
        return frozenset(int(k) for k in groups["kull"].unique())
    return frozenset()


def check_group(edition: Edition, group_id: str) -> None:
    """Fails for a group without a profile in this edition, saying how to list the ids."""
    if group_id in edition.group_ids:
        return
    kull = dict(zip(edition.groups["group_id"].astype(str), edition.groups["kull"], strict=True))
    if group_id not in kull:
        why = "is not a group_id in data/processed/groups.parquet"
    elif edition.cohorts is not None and kull[group_id] not in edition.cohorts:
        chosen = ",".join(str(k) for k in edition.cohorts)
        why = f"is in kull {kull[group_id]}, outside COHORTS={chosen}"
    else:
        why = "has no wave-1 Effect answers by as_of"
    raise UnknownGroupError(
        f"GROUP={group_id!r} {why} ({edition.as_of.isoformat()}). "
        "List the groups with a profile with 'make profiles-list' "
        "(python -m pipeline profiles --list)."
    )


def _suppress(frame: pd.DataFrame, min_respondents: int) -> pd.DataFrame:
    """Threshold rule: a mean from fewer than ``min_respondents`` answers becomes NaN, marked."""
    for wave in WAVES:
        small = (frame[f"n{wave}"] > 0) & (frame[f"n{wave}"] < min_respondents)
        frame[f"suppressed{wave}"] = small
        frame.loc[small | (frame[f"n{wave}"] == 0), f"mean{wave}"] = np.nan
    no_change = frame["mean1"].isna() | frame["mean2"].isna()
    frame.loc[no_change, ["change", "se_change"]] = np.nan
    frame.loc[no_change, "clear_change"] = 0
    frame["suppressed_change"] = frame["suppressed1"] | frame["suppressed2"]
    return frame.drop(columns=["sd1", "sd2"])


def strengths_and_gaps(frame: pd.DataFrame, count: int = 3) -> tuple[tuple[str, ...], ...]:
    """The factors furthest above and below the programme, in the latest wave with both.

    Comparing with the programme at the same wave says where the group stands among its
    peers; the raw score alone would mostly repeat which factors everyone scores high.
    """
    rows = frame.loc[frame["factor"] != GTEI]
    for wave in (2, 1):
        gap = rows[f"mean{wave}"] - rows[f"prog_mean{wave}"]
        if gap.notna().sum() >= 2 * count:
            order = pd.DataFrame({"factor": rows["factor"], "gap": gap}).dropna()
            order = order.sort_values(["gap", "factor"], ascending=[False, True], kind="stable")
            return tuple(order["factor"].head(count)), tuple(order["factor"].tail(count)[::-1])
    return (), ()


def group_profile(edition: Edition, group_id: str) -> Profile:
    """The profile of ``group_id``: its own rows, suppressed where thin, beside the programme."""
    check_group(edition, group_id)
    own = edition.changes.loc[edition.changes["group_id"] == group_id].drop(columns="group_id")
    frame = own.merge(edition.programme, left_on="factor", right_index=True, how="left")
    labels = {f.key: f.label for f in edition.codebook.factors}
    categories = {f.key: f.category for f in edition.codebook.factors}
    chosen = set(
        edition.development_areas.loc[edition.development_areas["group_id"] == group_id, "factor"]
    )
    frame.insert(1, "label", frame["factor"].map(labels).fillna(GTEI_LABEL))
    frame.insert(2, "category", frame["factor"].map(categories).fillna(""))
    frame.insert(3, "dev_area", frame["factor"].isin(chosen))
    frame = _suppress(frame.reset_index(drop=True), edition.min_respondents)
    row = edition.groups.loc[edition.groups["group_id"] == group_id].iloc[0]
    gtei = own.loc[own["factor"] == GTEI].iloc[0]
    strengths, gaps = strengths_and_gaps(frame)
    return Profile(
        group_id=group_id,
        kull=int(row["kull"]),
        organisation=str(row["organisation"]),
        as_of=edition.as_of,
        min_respondents=edition.min_respondents,
        synthetic=int(row["kull"]) in edition.synthetic_cohorts,
        respondents={w: int(gtei[f"n{w}"]) for w in WAVES},
        factors=frame,
        strengths=strengths,
        gaps=gaps,
    )
