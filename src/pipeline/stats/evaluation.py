"""The participants' final evaluation: positive share per statement and the response rate.

DESIGN.md section 3: positive share = (``Helt enig`` + ``Delvis enig``) / answers, where
the answers exclude ``Vet ikke`` and blanks; which labels are positive or excluded comes
from the codebook's scale, not from this module.

The evaluated groups are the ended groups of the selection with at least one answer: the
data hold no invitation list, and a group without a single answer was, as far as the data
tell, not surveyed. The response rate is respondents over the members of those groups.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from pipeline.data.codebook import Codebook

ITEM_COLUMNS = ["item", "section", "text", "n_answered", "pct_positive"]


def _labels(answers: pd.Series) -> pd.Series:
    """The answers as stripped text, blank text turned into NA (blank = not answered)."""
    text = answers.astype("string").str.strip()
    return text.mask(text == "")


def respondents(
    evaluation: pd.DataFrame, group_ids: Sequence[str], item_keys: Sequence[str]
) -> pd.DataFrame:
    """Evaluation rows of ``group_ids`` that answered at least one statement."""
    rows = evaluation.loc[evaluation["group_id"].isin(list(group_ids))]
    any_answer = rows[list(item_keys)].apply(_labels).notna().any(axis=1)
    return rows.loc[any_answer]


def positive_share(answers: pd.Series, positive: Sequence[str], excluded: Sequence[str]) -> float:
    """Percent positive among the answers that take a stand; NaN when none do."""
    labels = _labels(answers).dropna()
    stand = labels[~labels.isin(list(excluded))]
    if stand.empty:
        return float("nan")
    return float(stand.isin(list(positive)).sum() / len(stand) * 100)


def item_table(responses: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """One row per codebook statement, in codebook order: n answering and percent positive."""
    rows = [
        {
            "item": item.key,
            "section": item.section,
            "text": item.text,
            "n_answered": int(_labels(responses[item.key]).notna().sum()),
            "pct_positive": positive_share(
                responses[item.key], codebook.positive_labels, codebook.excluded_labels
            ),
        }
        for item in codebook.items
    ]
    return pd.DataFrame(rows, columns=ITEM_COLUMNS)


def response_summary(
    responses: pd.DataFrame, members: pd.DataFrame, ended_ids: Sequence[str]
) -> dict[str, object]:
    """Respondents over members, two ways.

    ``response_rate_pct`` counts the members of the groups with at least one answer, as the
    2019 report did (kept for comparison). ``response_rate_ended_pct`` counts the members of
    *every* group that had ended (DESIGN.md section 3): a group where nobody answered is
    non-response, not a group that was never asked.
    """
    group_ids = sorted(responses["group_id"].unique())
    n_members = int(members["group_id"].isin(group_ids).sum())
    rate = len(responses) / n_members * 100 if n_members else np.nan
    ended_members = int(members["group_id"].isin(list(ended_ids)).sum())
    ended_rate = len(responses) / ended_members * 100 if ended_members else np.nan
    return {
        "groups": len(group_ids),
        "members": n_members,
        "respondents": len(responses),
        "response_rate_pct": float(rate),
        "ended_groups": len(ended_ids),
        "ended_members": ended_members,
        "response_rate_ended_pct": float(ended_rate),
    }
