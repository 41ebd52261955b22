"""Small processed data sets (docs/architecture.md, "Processed data") for the statistics tests.

``hand_worked`` is small enough to check by hand: four paired groups whose group means
are fixed (respondents at m − 0.5, m, m + 0.5), one group short of respondents, one still
running and one that ends after ``AS_OF``. ``random_processed`` is a larger seeded edition
spread over four cohorts, for the end-to-end and notebook tests.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from pipeline.data.codebook import Codebook, load_codebook
from pipeline.stats.inputs import Processed
from pipeline.stats.params import StatsParams

AS_OF = dt.date(2019, 6, 30)

# group means per wave for the paired groups: diffs 0.6, 0.2, 0.8, 0.0
T1 = {"G1": 4.0, "G2": 5.0, "G3": 4.5, "G4": 5.5}
T2 = {"G1": 4.6, "G2": 5.2, "G3": 5.3, "G4": 5.5}


@pytest.fixture(scope="session")
def codebook() -> Codebook:
    return load_codebook()


def groups_frame(rows: list[tuple]) -> pd.DataFrame:
    """rows: (group_id, kull, organisation, org_type, start, end or None)."""
    frame = pd.DataFrame(
        rows, columns=["group_id", "kull", "organisation", "org_type", "start_date", "end_date"]
    )
    frame["group_id"] = frame["group_id"].astype("string")
    frame["organisation"] = frame["organisation"].astype("string")
    frame["org_type"] = frame["org_type"].astype("string")
    frame["kull"] = frame["kull"].astype(int)
    for col in ("start_date", "end_date"):
        frame[col] = pd.to_datetime(frame[col])
    return frame.sort_values("group_id", ignore_index=True)


def effect_frame(rows: list[dict], groups: pd.DataFrame, factor_keys: list[str]) -> pd.DataFrame:
    """rows: {group_id, wave, score (all factors) and optional per-factor overrides}."""
    kull = groups.set_index("group_id")["kull"]
    records = []
    for i, row in enumerate(rows):
        scores = {k: row.get(k, row["score"]) for k in factor_keys}
        records.append(
            {
                "respondent_id": f"R{i:04d}",
                "group_id": row["group_id"],
                "kull": int(kull[row["group_id"]]),
                "wave": row["wave"],
                **scores,
            }
        )
    frame = pd.DataFrame(records)
    frame[factor_keys] = frame[factor_keys].astype(float)
    for col in ("respondent_id", "group_id"):
        frame[col] = frame[col].astype("string")
    return frame.sort_values(["group_id", "wave", "respondent_id"], ignore_index=True)


def three_around(group_id: str, wave: int, mean: float, **overrides: float) -> list[dict]:
    """Three respondents scoring mean − 0.5, mean, mean + 0.5 on every factor."""
    return [
        {"group_id": group_id, "wave": wave, "score": mean + offset, **overrides}
        for offset in (-0.5, 0.0, 0.5)
    ]


def members_frame(sizes: dict[str, int], groups: pd.DataFrame) -> pd.DataFrame:
    """Members alternate kvinne/mann (women first), ages 40, 41, … within a group."""
    kull = groups.set_index("group_id")["kull"]
    rows = [
        {
            "member_id": f"{g}-M{i}",
            "group_id": g,
            "kull": int(kull[g]),
            "gender": "kvinne" if i % 2 == 0 else "mann",
            "age": float(40 + i),
        }
        for g, n in sizes.items()
        for i in range(n)
    ]
    frame = pd.DataFrame(rows)
    for col in ("member_id", "group_id", "gender"):
        frame[col] = frame[col].astype("string")
    return frame.sort_values(["group_id", "member_id"], ignore_index=True)


def evaluation_frame(rows: list[tuple[str, dict]], groups: pd.DataFrame, item_keys) -> pd.DataFrame:
    """rows: (group_id, {item_key: label}); items not given are blank."""
    kull = groups.set_index("group_id")["kull"]
    records = [
        {
            "respondent_id": f"E{i:04d}",
            "group_id": g,
            "kull": int(kull[g]),
            **{k: answers.get(k) for k in item_keys},
        }
        for i, (g, answers) in enumerate(rows)
    ]
    frame = pd.DataFrame(records)
    for col in ["respondent_id", "group_id", *item_keys]:
        frame[col] = frame[col].astype("string")
    return frame.sort_values(["group_id", "respondent_id"], ignore_index=True)


def dev_frame(rows: list[tuple[str, str]], groups: pd.DataFrame) -> pd.DataFrame:
    kull = groups.set_index("group_id")["kull"]
    frame = pd.DataFrame(
        [{"group_id": g, "kull": int(kull[g]), "factor": f} for g, f in rows],
        columns=["group_id", "kull", "factor"],
    )
    for col in ("group_id", "factor"):
        frame[col] = frame[col].astype("string")
    return frame.sort_values(["group_id", "factor"], ignore_index=True)


VALIDATION = {
    "raw_dir": "data/raw",
    "synthetic": True,
    "synthetic_cohorts": [1, 2, 3],
    "cohorts": [1, 2],
    "files": [
        {
            "path": "kull-01/groups.csv",
            "sha256": "ab" * 32,
            "rows": 7,
            "rows_excluded": 0,
            "excluded": [],
        },
        {
            "path": "kull-01/effect.csv",
            "sha256": "cd" * 32,
            "rows": 12_345,
            "rows_excluded": 0,
            "excluded": [],
        },
    ],
    "totals": {},
}


@pytest.fixture
def hand_worked(codebook: Codebook) -> Processed:
    """The hand-checked edition at AS_OF (see module docstring)."""
    keys = codebook.factor_keys
    groups = groups_frame(
        [
            ("G1", 1, "Alfa-departementet", "departement", "2018-01-10", "2018-10-01"),
            ("G2", 1, "Beta-direktoratet", "direktorat", "2018-01-10", "2018-10-01"),
            ("G3", 2, "Gamma-direktoratet", "direktorat", "2018-08-01", "2019-05-01"),
            ("G4", 2, "Delta-direktoratet", "direktorat", "2018-08-01", "2019-05-01"),
            ("G5", 2, "Epsilon-departementet", "departement", "2018-08-01", "2019-05-01"),
            ("G6", 3, "Zeta-direktoratet", "direktorat", "2019-02-01", None),
            ("G7", 3, "Eta-direktoratet", "direktorat", "2019-02-01", "2019-07-01"),
            ("G8", 4, "Theta-direktoratet", "direktorat", "2019-09-01", None),
        ]
    )
    rows: list[dict] = []
    for g in T1:
        rows += three_around(g, 1, T1[g]) + three_around(g, 2, T2[g])
    rows += three_around("G5", 1, 4.0) + three_around("G5", 2, 6.0)[:2]  # 2 in wave 2
    rows += three_around("G6", 1, 3.0) + three_around("G6", 2, 6.0)  # still running
    rows += three_around("G7", 1, 3.0) + three_around("G7", 2, 6.0)  # ends after AS_OF
    rows += three_around("G1", 3, 4.8) + three_around("G2", 3, 5.0)
    effect = effect_frame(rows, groups, keys)
    items = codebook.item_keys
    evaluation = evaluation_frame(
        [
            ("G1", {items[0]: "Helt enig", items[1]: "Vet ikke"}),
            ("G1", {items[0]: "Delvis enig", items[1]: "Helt uenig"}),
            ("G2", {items[0]: "Verken enig eller uenig", items[1]: "Helt enig"}),
            ("G2", {items[0]: "Vet ikke"}),
            ("G2", {}),  # opened the form, answered nothing
            ("G7", {items[0]: "Helt enig"}),  # ended after AS_OF
        ],
        groups,
        items,
    )
    members = members_frame(
        {"G1": 5, "G2": 6, "G3": 7, "G4": 8, "G5": 5, "G6": 9, "G7": 4, "G8": 6}, groups
    )
    dev = dev_frame(
        [
            ("G1", "klart_formal"),
            ("G1", "riktige_saker"),
            ("G2", "riktige_saker"),
            ("G5", "klart_formal"),
            ("G3", "dialog"),
        ],
        groups,
    )
    return Processed(groups, members, effect, evaluation, dev, dict(VALIDATION))


@pytest.fixture
def params() -> StatsParams:
    return StatsParams(as_of=AS_OF)


def random_processed(codebook: Codebook, seed: int = 7) -> Processed:
    """Four cohorts of four groups ending 2017-06, 2018-05, 2019-03 and still running."""
    rng = np.random.default_rng(seed)
    keys, items = codebook.factor_keys, codebook.item_keys
    ends = {1: "2017-06-01", 2: "2018-05-31", 3: "2019-03-31", 4: None}
    starts = {1: "2016-09-01", 2: "2017-09-01", 3: "2018-06-01", 4: "2019-01-15"}
    group_rows = [
        (
            f"K{k}G{g}",
            k,
            f"Virksomhet {k}-{g}",
            "departement" if g == 1 else "direktorat",
            starts[k],
            ends[k],
        )
        for k in ends
        for g in range(1, 5)
    ]
    groups = groups_frame(group_rows)
    rows, sizes, answers, dev = [], {}, [], []
    labels = codebook.answer_labels
    for gid, level, gain in zip(
        groups["group_id"],
        rng.normal(5.0, 0.4, len(groups)),
        rng.normal(0.4, 0.3, len(groups)),
        strict=True,
    ):
        sizes[gid] = int(rng.integers(5, 10))
        for wave, shift in ((1, 0.0), (2, gain), (3, gain * 0.8)):
            for _ in range(int(rng.integers(3, 7))):
                base = {k: float(np.clip(rng.normal(level + shift, 0.6), 1, 7)) for k in keys}
                rows.append({"group_id": gid, "wave": wave, "score": 0.0, **base})
        for _ in range(int(rng.integers(2, sizes[gid]))):
            answers.append((gid, {k: str(rng.choice(labels)) for k in items}))
        dev += [(gid, str(f)) for f in rng.choice(keys, size=3, replace=False)]
    return Processed(
        groups=groups,
        members=members_frame(sizes, groups),
        effect=effect_frame(rows, groups, keys),
        evaluation=evaluation_frame(answers, groups, items),
        development_areas=dev_frame(dev, groups),
        validation=dict(VALIDATION),
    )


def write_processed(data: Processed, processed_dir: Path) -> Path:
    """Writes ``data`` as the clean stage would: parquet tables and validation.json."""
    processed_dir.mkdir(parents=True, exist_ok=True)
    for name in ("groups", "members", "effect", "evaluation", "development_areas"):
        getattr(data, name).to_parquet(processed_dir / f"{name}.parquet", index=False)
    (processed_dir / "validation.json").write_text(json.dumps(data.validation), encoding="utf-8")
    return processed_dir


@pytest.fixture
def processed_dir(tmp_path: Path, codebook: Codebook) -> Path:
    """A processed folder holding ``random_processed``."""
    return write_processed(random_processed(codebook), tmp_path / "processed")


@pytest.fixture(scope="session")
def shared_processed_dir(tmp_path_factory: pytest.TempPathFactory, codebook: Codebook) -> Path:
    """``random_processed`` written once per session, for tests that only read it."""
    return write_processed(random_processed(codebook), tmp_path_factory.mktemp("processed"))


@pytest.fixture(scope="session")
def build() -> SimpleNamespace:
    """The frame builders, for tests that assemble their own small cases.

    Tests are imported with ``--import-mode=importlib``, so they reach helpers through
    fixtures rather than ``from conftest import …``.
    """
    return SimpleNamespace(groups=groups_frame, effect=effect_frame, three_around=three_around)
