"""Results fixtures for the figure tests, shaped like the statistics stage's output.

The values follow the 2019 report's published tables (Tabell 1 and 2, Figur 2, the facts),
so the figures are tested on realistic ranges. Where the report lost a value
(``n_dev_area`` for eight factors) a plausible small count stands in. The groups' GTEI
changes are drawn with a fixed seed, and their reliable-change flags follow from the same
formula the figure uses.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from pipeline.data.codebook import load_codebook
from pipeline.data.synth.targets import EVALUATION_PCT
from pipeline.figures import FigureFiles, build_all
from pipeline.paths import PATHS

N_GROUPS = 31
RELIABILITY = 0.9

# Tabell 1 (pos, nonpos) and Tabell 2 (t1, sd1, t2, sd2, diff, ci_low, ci_high, t, d), n_dev_area
FACTORS_CSV = """\
factor,pos,nonpos,t1,sd1,t2,sd2,diff,ci_low,ci_high,t,d,n_dev_area
kontinuerlig_gruppelaering,29,2,3.92,0.81,5.22,0.57,1.30,1.00,1.61,8.65,1.86,16
riktige_saker,29,2,4.71,0.52,5.39,0.45,0.68,0.52,0.86,8.16,1.40,25
hensiktsmessig_gruppekultur,26,5,4.51,0.61,5.05,0.42,0.54,0.31,0.76,4.82,1.03,10
klart_formal,24,7,5.02,0.68,5.60,0.43,0.58,0.36,0.81,5.35,1.02,17
lagand,25,6,5.17,0.56,5.69,0.50,0.52,0.35,0.68,6.44,0.98,15
saksresultater,26,5,4.99,0.59,5.51,0.47,0.52,0.35,0.69,6.12,0.97,22
dialog,23,8,4.93,0.52,5.34,0.41,0.41,0.26,0.57,5.37,0.88,5
atferdsmessig_integrasjon,23,8,5.06,0.51,5.48,0.45,0.42,0.23,0.60,4.64,0.87,10
individuell_tilfredshet_og_laering,26,5,5.31,0.57,5.73,0.44,0.42,0.26,0.59,5.36,0.82,2
effektiv_teamledelse,26,5,5.45,0.69,5.95,0.53,0.50,0.25,0.75,4.11,0.81,5
gruppepsykologisk_trygghet,21,10,5.55,0.51,5.90,0.40,0.35,0.20,0.50,4.71,0.76,12
teambelonningssystemer,25,6,4.04,0.50,4.44,0.56,0.40,0.21,0.57,4.46,0.74,1
moteforberedelser,23,8,5.01,0.62,5.38,0.44,0.37,0.13,0.60,3.18,0.69,9
klare_bestillinger,24,7,5.27,0.69,5.67,0.44,0.40,0.14,0.66,3.10,0.69,7
fokusert_kommunikasjon,22,9,5.22,0.65,5.60,0.48,0.38,0.18,0.59,3.80,0.67,4
beslutningsgjennomforing,22,9,5.30,0.60,5.68,0.55,0.38,0.17,0.58,3.69,0.66,3
gruppens_tro_pa_seg_selv,24,7,5.44,0.57,5.78,0.46,0.34,0.17,0.52,4.03,0.66,3
beslutningskvalitet,23,8,5.25,0.44,5.52,0.42,0.27,0.15,0.38,4.62,0.63,8
opplaeringssystemer,24,7,5.03,0.88,5.52,0.66,0.49,0.27,0.69,4.72,0.63,0
balansert_mangfold,22,9,5.45,0.59,5.76,0.40,0.31,0.14,0.49,3.69,0.62,2
informasjonssystemer,20,11,5.20,0.65,5.56,0.51,0.36,0.16,0.56,3.68,0.62,1
fravaer_av_relasjonskonflikt,24,7,5.27,0.99,5.77,0.79,0.50,0.24,0.75,3.96,0.56,8
fravaer_av_politisk_spill,23,8,5.28,0.70,5.62,0.51,0.34,0.12,0.57,3.07,0.56,2
riktig_kompetanse,23,8,5.36,0.60,5.68,0.57,0.32,0.14,0.50,3.60,0.55,3
aktiv_relasjon_til_omgivelsene,19,12,5.15,0.45,5.29,0.44,0.14,-0.04,0.32,1.47,0.31,5
oppgavekonflikt,16,15,4.67,0.47,4.68,0.48,0.01,-0.22,0.20,0.10,0.02,1
gtei,,,5.06,0.45,5.49,0.34,0.43,0.29,0.58,6.18,1.08,
"""
GTEI_LABEL = "Global Team Effectiveness Index"


FACTS = {
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
    "last_start": "2019-04-01",
}


def published() -> pd.DataFrame:
    """The published factor table with codebook labels and categories."""
    codebook = load_codebook()
    frame = pd.read_csv(io.StringIO(FACTORS_CSV))
    is_factor = frame["factor"] != "gtei"
    frame["label"] = [
        codebook.factor(key).label if factor else GTEI_LABEL
        for key, factor in zip(frame["factor"], is_factor, strict=True)
    ]
    frame["category"] = [
        codebook.factor(key).category if factor else ""
        for key, factor in zip(frame["factor"], is_factor, strict=True)
    ]
    return frame


def effect_table() -> pd.DataFrame:
    """Table 2 as effect_factors.csv holds it, factor rows then the GTEI row."""
    frame = published().rename(
        columns={"t1": "t1_mean", "sd1": "t1_sd", "t2": "t2_mean", "sd2": "t2_sd"}
    )
    frame["n_groups"] = N_GROUPS
    frame["df"] = N_GROUPS - 1
    frame["p"] = 2 * stats.t.sf(frame["t"].abs(), N_GROUPS - 1)
    columns = [
        "factor", "label", "category", "n_groups", "t1_mean", "t1_sd", "t2_mean", "t2_sd",
        "diff", "ci_low", "ci_high", "t", "df", "p", "d", "n_dev_area",
    ]  # fmt: skip
    return frame[columns]


def change_counts() -> pd.DataFrame:
    """Tabell 1 as effect_change_counts.csv holds it."""
    frame = published()
    frame = frame[frame["factor"] != "gtei"]
    return frame.rename(columns={"pos": "n_positive", "nonpos": "n_not_positive"})[
        ["factor", "label", "n_positive", "n_not_positive"]
    ].astype({"n_positive": int, "n_not_positive": int})


def evaluation_items() -> pd.DataFrame:
    codebook = load_codebook()
    return pd.DataFrame(
        [
            (item.key, item.section, item.text, 177 - (index * 7) % 12, EVALUATION_PCT[item.key])
            for index, item in enumerate(codebook.items)
        ],
        columns=["item", "section", "text", "n_answered", "pct_positive"],
    )


def gtei_groups(seed: int = 120) -> pd.DataFrame:
    """Paired groups with skewed changes: most gain a little, a few fall back."""
    rng = np.random.default_rng(seed)
    t1 = rng.normal(5.06, 0.45, N_GROUPS)
    diff = np.where(
        rng.random(N_GROUPS) < 0.13, -rng.gamma(2, 0.1, N_GROUPS), rng.normal(0.5, 0.28, N_GROUPS)
    )
    se = math.sqrt(2 * (np.std(t1, ddof=1) * math.sqrt(1 - RELIABILITY)) ** 2)
    rc = diff / se
    se_change = rng.uniform(0.15, 0.4, N_GROUPS)
    return pd.DataFrame(
        {
            "group_id": [f"g{i:02d}" for i in range(N_GROUPS)],
            "kull": [i // 4 for i in range(N_GROUPS)],
            "t1": t1,
            "t2": t1 + diff,
            "change": diff,
            "se_change": se_change,
            "clear_change": np.where(
                diff > 1.96 * se_change, 1, np.where(diff < -1.96 * se_change, -1, 0)
            ),
            "rc": rc,
            "reliable": np.where(rc > 1.96, 1, np.where(rc < -1.96, -1, 0)),
        }
    )


def summary(groups: pd.DataFrame) -> dict:
    factors = effect_table()
    factors = factors[factors["factor"] != "gtei"]
    r, p = stats.pearsonr(factors["n_dev_area"], factors["d"])
    return {
        "as_of": "2019-06-30",
        "synthetic": True,
        "parameters": {"positive_threshold": 0.1, "reliability": RELIABILITY},
        "facts": FACTS,
        "evaluation": {"groups": 31, "members": 264, "respondents": 177, "response_rate_pct": 67},
        "effect": {
            "paired_groups": N_GROUPS,
            "improved": int((groups["change"] > 0).sum()),
            "not_improved": int((groups["change"] <= 0).sum()),
            "reliable_positive": int((groups["reliable"] == 1).sum()),
            "reliable_negative": int((groups["reliable"] == -1).sum()),
            "reliability": RELIABILITY,
        },
        "correlation": {"r": float(r), "p": float(p), "n_factors": len(factors)},
    }


def write_results(results_dir: Path) -> Path:
    """Writes a complete results folder and returns it."""
    results_dir.mkdir(parents=True, exist_ok=True)
    groups = gtei_groups()
    effect_table().to_csv(results_dir / "effect_factors.csv", index=False)
    change_counts().to_csv(results_dir / "effect_change_counts.csv", index=False)
    evaluation_items().to_csv(results_dir / "evaluation_items.csv", index=False)
    groups.to_csv(results_dir / "gtei_groups.csv", index=False)
    (results_dir / "summary.json").write_text(json.dumps(summary(groups), indent=2), "utf-8")
    return results_dir


@pytest.fixture(scope="session")
def results_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_results(tmp_path_factory.mktemp("results"))


@pytest.fixture(scope="session")
def programme_path() -> Path:
    return PATHS.programme


@pytest.fixture(scope="session")
def generated_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("generated")


@pytest.fixture(scope="session")
def built(results_dir: Path, programme_path: Path, generated_dir: Path) -> dict[str, FigureFiles]:
    """Every figure built once from the fixtures into ``generated_dir/figures``."""
    return build_all(results_dir, generated_dir / "figures", programme_path)
