"""Cross-file plausibility rules (DESIGN.md section 2): what one file allows another to say.

A group's respondents in a wave, and its evaluation answers, are at most its members:
more answers than members lifts a response rate above the truth (69 % became 78 %).
Answers at the end of the programme (wave 2) or a year after (wave 3) belong to a group
that has started. Each rule reports the first row that breaks it, per group (and wave).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import pandas as pd

from pipeline.data.problems import CROSS_FILE_CAUSE, Problem
from pipeline.data.values import whole_number


def member_counts(members: pd.DataFrame) -> dict[str, int]:
    """Rows per group in a members file (text frame, index = line)."""
    if "group_id" not in members:
        return {}
    return {str(k): int(v) for k, v in members["group_id"].dropna().value_counts().items()}


def too_many_answers(
    answers: pd.DataFrame,
    members: Mapping[str, int],
    shown: str,
    members_shown: str,
    by_wave: bool,
) -> list[Problem]:
    """The row that makes a group's answers (per wave, for Effect) outnumber its members."""
    keys = ["group_id", "wave"] if by_wave else ["group_id"]
    if not {"respondent_id", *keys} <= set(answers.columns):
        return []
    frame = answers.dropna(subset=["respondent_id", *keys])
    allowed = frame["group_id"].astype(str).map(members)
    position = frame.groupby(keys, sort=False).cumcount()  # 0 for a group's first answer
    problems = []
    for line in frame.index[allowed.notna() & (position == allowed)]:
        group_id, limit = frame.at[line, "group_id"], int(allowed[line])
        where = f" in wave {frame.at[line, 'wave']}" if by_wave else ""
        rule = (
            f"group {group_id} has {limit} members in {members_shown}, but this is answer "
            f"{limit + 1}{where}; a group's answers are at most its members"
        )
        value = str(frame.at[line, "respondent_id"])
        problems.append(Problem(shown, int(line), "respondent_id", value, rule, CROSS_FILE_CAUSE))
    return problems


def start_dates(groups: pd.DataFrame) -> dict[str, dt.date]:
    """Each group's start date, where it is a valid ISO date (the schema reports the rest)."""
    if not {"group_id", "start_date"} <= set(groups.columns):
        return {}
    dates = pd.to_datetime(groups["start_date"], format="%Y-%m-%d", errors="coerce")
    return {str(g): d.date() for g, d in zip(groups["group_id"], dates, strict=True) if pd.notna(d)}


def later_waves_before_start(
    effect: pd.DataFrame, starts: Mapping[str, dt.date], shown: str, today: dt.date
) -> list[Problem]:
    """Wave 2 or 3 answers for a group whose start date lies after ``today``."""
    if not {"group_id", "wave"} <= set(effect.columns):
        return []
    problems = []
    seen: set[tuple[str, int]] = set()
    for line, group_id, wave_text in zip(
        effect.index, effect["group_id"], effect["wave"], strict=True
    ):
        wave = whole_number(wave_text) if isinstance(wave_text, str) else None
        start = starts.get(str(group_id))
        if wave not in (2, 3) or start is None or start <= today or (group_id, wave) in seen:
            continue
        seen.add((group_id, wave))
        rule = (
            f"wave {wave} answer for group {group_id}, which starts on {start.isoformat()} "
            f"(after today, {today.isoformat()}); wave 2 and 3 answers need a group that "
            "has started"
        )
        problems.append(Problem(shown, int(line), "wave", wave_text, rule, CROSS_FILE_CAUSE))
    return problems
