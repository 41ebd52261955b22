"""Facts about the participating groups ("Fakta om toppledergruppene") and the participant list.

The population is the groups that had started by ``as_of`` (``selection.started_groups``);
a leader is a row of ``members``. Group sizes count every started group, a group without
member rows as size 0, so a missing members file shows up instead of hiding.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

PARTICIPANT_COLUMNS = [
    "kull", "group_id", "organisation", "org_type", "start_date", "end_date", "members",
]  # fmt: skip


def group_sizes(started: pd.DataFrame, members: pd.DataFrame) -> pd.Series:
    """Members per started group, indexed by group_id (0 for a group without member rows)."""
    counts = members.groupby("group_id").size()
    return counts.reindex(started["group_id"], fill_value=0).astype(int)


def _share(count: int, total: int) -> float:
    return count / total * 100 if total else float("nan")


def facts(started: pd.DataFrame, members: pd.DataFrame) -> dict[str, object]:
    """Counts, gender shares, group sizes and mean age of the started groups' leaders."""
    leaders = members.loc[members["group_id"].isin(started["group_id"])]
    sizes = group_sizes(started, members)
    women = int((leaders["gender"] == "kvinne").sum())
    men = int((leaders["gender"] == "mann").sum())
    return {
        "groups": len(started),
        "departementer": int((started["org_type"] == "departement").sum()),
        "direktorater": int((started["org_type"] == "direktorat").sum()),
        "cohorts": int(started["kull"].nunique()),
        "leaders": len(leaders),
        "women": women,
        "men": men,
        "women_pct": _share(women, len(leaders)),
        "men_pct": _share(men, len(leaders)),
        "mean_group_size": float(sizes.mean()) if len(sizes) else float("nan"),
        "min_group_size": int(sizes.min()) if len(sizes) else 0,
        "max_group_size": int(sizes.max()) if len(sizes) else 0,
        "mean_age": float(leaders["age"].mean()),
        "first_start": _iso(started["start_date"].min()),
        "last_start": _iso(started["start_date"].max()),
    }


def _iso(value: object) -> str | None:
    return None if pd.isna(value) else pd.Timestamp(value).date().isoformat()


def participants(started: pd.DataFrame, members: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The started groups with their size, sorted by kull and organisation.

    An ``end_date`` after ``as_of`` is blanked: the edition describes the programme as it
    stood on that day, when those groups were still running.
    """
    frame = started.copy()
    frame["members"] = group_sizes(started, members).to_numpy()
    frame["end_date"] = frame["end_date"].where(frame["end_date"] <= pd.Timestamp(as_of))
    frame = frame.sort_values(["kull", "organisation", "group_id"], ignore_index=True)
    return frame[PARTICIPANT_COLUMNS]
