"""The one-year follow-up (wave 3): shown only with its number of groups and an interval.

In 2019 three groups had answered a third time and the report gave their means without
a caveat. Below ``MIN_FOLLOWUP_GROUPS`` groups the report states only how many answered:
five is the smallest number of groups the programme publishes an aggregate over (the group
profiles use the same floor), and with fewer a t interval is too wide to say anything.
From five groups on, the change from the end to the follow-up is given with its t interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from pipeline.stats.effect import GTEI, wave_scores

MIN_FOLLOWUP_GROUPS = 5


def followup_summary(
    scores: pd.DataFrame, group_ids: Sequence[str], confidence: float
) -> dict[str, object]:
    """Groups with waves 1–3, whether they are enough to show, GTEI per wave and the t
    interval of the change from wave 2 to wave 3.

    The numbers are kept at full precision whatever ``shown`` says; the report's variables
    leave them out below the minimum.
    """
    waves = pd.concat(
        [wave_scores(scores, n, group_ids)[GTEI].rename(n) for n in (1, 2, 3)], axis=1
    ).dropna()
    n = len(waves)
    shown = n >= MIN_FOLLOWUP_GROUPS
    nan = float("nan")
    summary: dict[str, object] = {
        "groups": len(group_ids),
        "gtei_groups": n,
        "min_groups": MIN_FOLLOWUP_GROUPS,
        "shown": shown,
        **{f"gtei_t{w}": float(waves[w].mean()) if n else nan for w in (1, 2, 3)},
        "gtei_diff_t3_t2": nan,
        "ci_low": nan,
        "ci_high": nan,
    }
    if n:
        diff = (waves[3] - waves[2]).to_numpy()
        summary["gtei_diff_t3_t2"] = float(diff.mean())
        if n >= 2 and np.ptp(diff) > 0:
            ci = stats.ttest_1samp(diff, 0.0).confidence_interval(confidence_level=confidence)
            summary["ci_low"], summary["ci_high"] = float(ci.low), float(ci.high)
    return summary
