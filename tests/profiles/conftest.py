"""A small processed edition for the profile tests, with values worked out by hand.

Seven groups that ended before ``AS_OF`` (G1–G7), one still running (G8, wave 1 only).
Every respondent of a group scores every factor the same, at the group's mean ± 0.5 (and
the mean itself), so group means are the numbers below. G6 has two respondents in
wave 2 (below ``min_respondents`` = 3); G1 alone has a wave 3.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.data.codebook import load_codebook
from pipeline.profiles.data import Edition, build_edition

AS_OF = dt.date(2019, 6, 30)
GROUPS = {
    # group_id: (kull, organisation, wave means {wave: (mean, respondents)}, ended)
    "G1": (0, "Alfadirektoratet", {1: (4.0, 3), 2: (5.0, 3), 3: (5.5, 3)}, True),
    "G2": (0, "Betadepartementet", {1: (5.0, 3), 2: (5.2, 3)}, True),
    "G3": (0, "Gammatilsynet", {1: (4.5, 3), 2: (5.3, 3)}, True),
    "G4": (1, "Deltaetaten", {1: (5.5, 3), 2: (5.5, 3)}, True),
    "G5": (1, "Epsilonverket", {1: (6.0, 3), 2: (6.2, 3)}, True),
    "G6": (1, "Zetaforvaltningen", {1: (4.2, 3), 2: (6.9, 2)}, True),
    "G7": (1, "Etadirektoratet", {1: (5.0, 3), 2: (5.4, 3)}, True),
    "G8": (2, "Thetaetaten", {1: (4.8, 4), 2: (5.8, 3)}, False),
}
AREAS = {"G1": ["klart_formal", "dialog"], "G8": ["riktige_saker"]}


def _scores(mean: float, n: int) -> list[float]:
    spread = [mean - 0.5, mean + 0.5, mean, mean, mean - 0.5, mean + 0.5]
    return spread[:n] if n != 2 else [mean - 0.5, mean + 0.5]


def write_processed(folder: Path) -> Path:
    keys = load_codebook().factor_keys
    groups, effect = [], []
    for gid, (kull, org, waves, ended) in GROUPS.items():
        groups.append(
            {
                "group_id": gid,
                "kull": kull,
                "organisation": org,
                "org_type": "direktorat",
                "start_date": pd.Timestamp(2018 + kull // 2, 1, 10),
                "end_date": pd.Timestamp(2019, 5, 1) if ended else pd.NaT,
            }
        )
        for wave, (mean, n) in waves.items():
            for i, score in enumerate(_scores(mean, n)):
                effect.append(
                    {"respondent_id": f"{gid}-w{wave}-r{i}", "group_id": gid, "wave": wave}
                    | dict.fromkeys(keys, score)
                )
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(groups).to_parquet(folder / "groups.parquet")
    pd.DataFrame(effect).to_parquet(folder / "effect.parquet")
    areas = [{"group_id": g, "factor": f} for g, fs in AREAS.items() for f in fs]
    pd.DataFrame(areas).to_parquet(folder / "development_areas.parquet")
    pd.DataFrame({"member_id": [], "group_id": []}).to_parquet(folder / "members.parquet")
    pd.DataFrame({"respondent_id": [], "group_id": []}).to_parquet(folder / "evaluation.parquet")
    (folder / "validation.json").write_text(json.dumps({"synthetic": True}), encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_processed(tmp_path_factory.mktemp("profiles") / "processed")


@pytest.fixture(scope="session")
def edition(processed: Path) -> Edition:
    from pipeline.paths import PATHS

    return build_edition(processed, AS_OF, 3, PATHS.codebook)
