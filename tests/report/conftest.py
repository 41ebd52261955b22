"""Hand-made statistics results for the report tests: known numbers, known strings."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pipeline.data.codebook import Codebook, load_codebook
from pipeline.stats import effect, evaluation


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook()


@pytest.fixture
def effect_table(codebook: Codebook) -> pd.DataFrame:
    """Table 2 with d = 1.30, 1.25, … (factor i gets 1.30 − 0.05 i) and the 2019 GTEI row."""
    rows = []
    for i, f in enumerate(codebook.factors):
        d = 1.30 - 0.05 * i
        rows.append(
            {
                "factor": f.key,
                "label": f.label,
                "category": f.category,
                "n_groups": 31,
                "t1_mean": 5.0,
                "t1_sd": 0.5,
                "t2_mean": 5.0 + d / 2,
                "t2_sd": 0.5,
                "diff": d / 2,
                "ci_low": d / 2 - 0.2,
                "ci_high": d / 2 + 0.2,
                "t": 4.0 - 0.15 * i,
                "df": 30,
                "p": 10 ** -(4 - 0.12 * i),
                "d": d,
                "n_dev_area": i % 5,
            }
        )
    rows.append(
        {
            "factor": "gtei",
            "label": effect.GTEI_LABEL,
            "category": pd.NA,
            "n_groups": 31,
            "t1_mean": 5.06,
            "t1_sd": 0.45,
            "t2_mean": 5.49,
            "t2_sd": 0.34,
            "diff": 0.43,
            "ci_low": 0.29,
            "ci_high": 0.58,
            "t": 6.18,
            "df": 30,
            "p": 2e-7,
            "d": 1.08,
            "n_dev_area": pd.NA,
        }
    )
    table = pd.DataFrame(rows, columns=effect.TABLE2_COLUMNS)
    table["n_dev_area"] = table["n_dev_area"].astype("Int64")
    return table


@pytest.fixture
def change_counts(codebook: Codebook) -> pd.DataFrame:
    rows = [
        {"factor": f.key, "label": f.label, "n_positive": 29 - i, "n_not_positive": 2 + i}
        for i, f in enumerate(codebook.factors[:16])
    ] + [
        {"factor": f.key, "label": f.label, "n_positive": 13, "n_not_positive": 18}
        for f in codebook.factors[16:]
    ]
    return pd.DataFrame(rows, columns=effect.TABLE1_COLUMNS)


@pytest.fixture
def items(codebook: Codebook) -> pd.DataFrame:
    rows = [
        {
            "item": i.key,
            "section": i.section,
            "text": i.text,
            "n_answered": 170 + n,
            "pct_positive": math.nan if n == 3 else 60.0 + n + 0.5,
        }
        for n, i in enumerate(codebook.items)
    ]
    return pd.DataFrame(rows, columns=evaluation.ITEM_COLUMNS)


@pytest.fixture
def summary() -> dict:
    """A summary.json as the statistics stage writes it (numbers near the 2019 edition)."""
    return {
        "as_of": "2019-06-30",
        "synthetic": True,
        "parameters": {
            "as_of": "2019-06-30",
            "cohorts": "all",
            "min_respondents": 3,
            "positive_threshold": 0.1,
            "reliability": 0.9,
            "confidence": 0.95,
            "clear_change_z": 1.96,
        },
        "facts": {
            "groups": 48,
            "departementer": 12,
            "direktorater": 36,
            "cohorts": 12,
            "leaders": 350,
            "women": 147,
            "men": 203,
            "women_pct": 42.0,
            "men_pct": 58.0,
            "mean_group_size": 350 / 48,
            "min_group_size": 5,
            "max_group_size": 13,
            "mean_age": 53.2,
            "first_start": "2015-09-01",
            "last_start": "2019-03-01",
        },
        "evaluation": {
            "groups": 31,
            "members": 264,
            "respondents": 177,
            "response_rate_pct": 177 / 264 * 100,
            "ended_groups": 32,
            "ended_members": 269,
            "response_rate_ended_pct": 177 / 269 * 100,
        },
        "effect": {
            "groups_ended": 32,
            "paired_groups": 31,
            "reliability": 0.9,
            "gtei_n": 31,
            "gtei_t1": 5.0638,
            "gtei_t1_sd": 0.45,
            "gtei_t2": 5.4912,
            "gtei_t2_sd": 0.34,
            "gtei_diff": 0.4274,
            "gtei_ci_low": 0.29,
            "gtei_ci_high": 0.58,
            "gtei_t": 6.18,
            "gtei_p": 2e-7,
            "gtei_d": 1.08,
            "improved": 27,
            "not_improved": 4,
            "reliable_positive": 19,
            "reliable_negative": 1,
            "n_large": 10,
            "n_medium": 14,
            "n_small": 1,
            "n_positive_d": 26,
            "n_significant": 24,
            "n_factors": 26,
        },
        "correlation": {"r": 0.64, "p": 0.0004, "n_factors": 26},
        "followup": {
            "groups": 0,
            "gtei_groups": 0,
            "min_groups": 5,
            "shown": False,
            **dict.fromkeys(
                ("gtei_t1", "gtei_t2", "gtei_t3", "gtei_diff_t3_t2", "ci_low", "ci_high")
            ),
        },
    }
