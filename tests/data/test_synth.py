"""The synthetic-data generator: determinism, the shipped tree, scale, safety, and its parts."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from pipeline.data.marker import parse_marker
from pipeline.data.synth import write_synthetic
from pipeline.data.synth.calibrate import nearest_standardised
from pipeline.data.synth.cohorts import LAST_KULL, extra_cohort_sizes
from pipeline.data.synth.devareas import deal_areas
from pipeline.data.synth.respondents import blank_mask, scores_with_means, split_total
from pipeline.errors import PipelineError

SHIPPED = Path(__file__).resolve().parents[2] / "data" / "raw"


def read_all(root: Path, kind: str) -> pd.DataFrame:
    return pd.concat(pd.read_csv(p, dtype=str) for p in sorted(root.glob(f"kull-*/{kind}.csv")))


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def write_tree(root: Path, tree: dict[str, bytes]) -> Path:
    """Writes back a tree the generator made earlier in the session (same bytes, cheaper)."""
    for name, data in tree.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


@pytest.fixture(scope="module")
def seed_2019(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    out = tmp_path_factory.mktemp("a") / "raw"
    write_synthetic(out, seed=2019)
    return tree_bytes(out)


def test_same_seed_gives_identical_bytes(seed_2019: dict[str, bytes], tmp_path: Path) -> None:
    write_synthetic(tmp_path / "raw", seed=2019)
    assert tree_bytes(tmp_path / "raw") == seed_2019


def test_another_seed_gives_other_data(seed_2019: dict[str, bytes], tmp_path: Path) -> None:
    write_synthetic(tmp_path / "raw", seed=2020)
    other = tree_bytes(tmp_path / "raw")
    assert other.keys() == seed_2019.keys()
    assert other["kull-00/effect.csv"] != seed_2019["kull-00/effect.csv"]
    assert other["kull-00/groups.csv"] == seed_2019["kull-00/groups.csv"]  # the programme is fixed


def test_shipped_data_are_the_generators_output(seed_2019: dict[str, bytes]) -> None:
    """data/raw must be regenerated (seed 2019) whenever the generator changes."""
    assert tree_bytes(SHIPPED) == seed_2019


def test_layout_and_formats(seed_2019: dict[str, bytes]) -> None:
    folders = {name.split("/")[0] for name in seed_2019 if "/" in name}
    assert folders == {f"kull-{k:02d}" for k in [*range(8), *range(9, 17)]}
    assert "README.md" in seed_2019 and "SYNTHETIC" not in seed_2019  # one marker per cohort
    marker = seed_2019["kull-03/SYNTHETIC"].decode()
    assert marker.startswith("# Synthetic data") and "seed 2019" in marker.splitlines()[0]
    assert parse_marker(marker) == {
        name: hashlib.sha256(seed_2019[f"kull-03/{name}"]).hexdigest()
        for name in ("development_areas.csv", "effect.csv", "evaluation.csv", "groups.csv",
                     "members.csv")
    }  # fmt: skip
    for name, data in seed_2019.items():
        text = data.decode("utf-8")  # UTF-8, no BOM, \n line ends
        assert not text.startswith("\ufeff") and "\r" not in text, name
    header = seed_2019["kull-03/groups.csv"].decode().splitlines()
    assert header[0] == "group_id,kull,organisation,org_type,start_date,end_date"
    assert header[2].startswith("k03-g2,3,Skattedirektoratet,direktorat,")
    effect = seed_2019["kull-03/effect.csv"].decode().splitlines()[1].split(",")
    assert re.fullmatch(r"k03-g1-w1-r01", effect[0])
    assert all(re.fullmatch(r"\d\.\d\d|", v) for v in effect[3:])


@pytest.fixture(scope="module")
def scale_2(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, Path]:
    out = tmp_path_factory.mktemp("scale-2") / "raw"
    return write_synthetic(out, seed=2019, scale=2).groups, out


def test_scale_adds_fictional_groups_and_keeps_the_programme(
    seed_2019: dict[str, bytes], scale_2: tuple[int, Path]
) -> None:
    groups, out = scale_2
    assert groups == 2 * 63
    tree = tree_bytes(out)
    for name, data in seed_2019.items():
        if name.startswith("kull-") and not name.endswith("/SYNTHETIC"):  # its note says scale 2
            assert tree[name] == data, name
    groups = read_all(out, "groups")
    assert groups["group_id"].is_unique
    assert sorted(groups["kull"].astype(int).unique()) == [*range(8), *range(9, 33)]
    extra = groups[groups["kull"].astype(int) >= 17]
    assert extra["organisation"].str.startswith("Fiktiv").all()
    for kind in ("members", "effect", "evaluation"):
        assert read_all(out, kind).iloc[:, 0].is_unique, kind


@pytest.mark.parametrize("scale", [1, 2, 7, 10, 100])
def test_scale_fits_two_digit_cohorts(scale: int) -> None:
    sizes = extra_cohort_sizes(scale)
    assert sum(sizes.values()) == 63 * (scale - 1)
    assert all(17 <= k <= LAST_KULL for k in sizes)
    assert sorted(sizes) == list(range(17, 17 + len(sizes)))  # no gaps
    assert not sizes or max(sizes.values()) - min(sizes.values()) <= 1


def test_bad_arguments_are_refused(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="scale"):
        write_synthetic(tmp_path / "a", scale=0)
    with pytest.raises(PipelineError, match="seed"):
        write_synthetic(tmp_path / "b", seed=-1)


def test_refuses_to_overwrite_what_may_be_real_data(tmp_path: Path) -> None:
    (tmp_path / "kull-00").mkdir()
    (tmp_path / "kull-00" / "groups.csv").write_text("real", encoding="utf-8")
    with pytest.raises(PipelineError, match="SYNTHETIC"):
        write_synthetic(tmp_path)
    assert (tmp_path / "kull-00" / "groups.csv").read_text(encoding="utf-8") == "real"
    (tmp_path / "kull-00").rename(tmp_path / "notes")
    with pytest.raises(PipelineError, match="notes"):
        write_synthetic(tmp_path)


def test_an_edited_synthetic_cohort_is_real_and_refused(
    seed_2019: dict[str, bytes], tmp_path: Path
) -> None:
    out = write_tree(tmp_path / "raw", seed_2019)  # what write_synthetic(out) writes
    members = out / "kull-05" / "members.csv"
    members.write_bytes(members.read_bytes() + b"k05-g1-m99,k05-g1,kvinne,57\n")
    with pytest.raises(PipelineError, match="kull-05 has no SYNTHETIC marker matching"):
        write_synthetic(out)
    assert members.read_bytes().endswith(b"k05-g1-m99,k05-g1,kvinne,57\n")


def test_keeps_real_cohorts_beside_the_synthetic_ones(
    seed_2019: dict[str, bytes], tmp_path: Path
) -> None:
    out = write_tree(tmp_path / "raw", seed_2019)  # what write_synthetic(out) writes
    (out / "kull-17").mkdir()
    (out / "kull-17" / "members.csv.age").write_bytes(b"age-encryption.org/v1\n")
    write_synthetic(out, seed=2020)
    assert (out / "kull-17" / "members.csv.age").read_bytes() == b"age-encryption.org/v1\n"


def test_replaces_an_earlier_synthetic_tree(scale_2: tuple[int, Path], tmp_path: Path) -> None:
    out = write_tree(tmp_path / "raw", tree_bytes(scale_2[1]))  # write_synthetic(out, scale=2)
    (out / ".gitkeep").write_text("", encoding="utf-8")
    write_synthetic(out)
    assert not (out / "kull-17").exists()
    assert (out / ".gitkeep").exists()
    assert not list(tmp_path.glob(".*staging*"))


def test_scores_reproduce_group_means_exactly() -> None:
    rng = np.random.default_rng(1)
    for _ in range(300):
        n, k = int(rng.integers(1, 14)), 26
        means = np.round(rng.uniform(1.2, 6.85, k), 2)
        scores = scores_with_means(rng, means, n, blank_mask(rng, n, k))
        assert np.nanmean(scores, axis=0) == pytest.approx(means, abs=1e-9)
        valid = scores[~np.isnan(scores)]
        assert valid.min() >= 1 and valid.max() <= 7
        assert np.allclose(valid * 100, np.round(valid * 100))


def test_split_total_hits_total_within_bounds() -> None:
    rng = np.random.default_rng(2)
    values = split_total(rng, np.full(16, 5.4), 86, np.full(16, 5), np.full(16, 7), spread=2)
    assert values.sum() == 86 and values.min() >= 5 and values.max() <= 7
    with pytest.raises(ValueError):
        split_total(rng, np.full(3, 5.0), 40, np.full(3, 5), np.full(3, 7))


def test_deal_areas_gives_exact_counts() -> None:
    rng = np.random.default_rng(3)
    counts = np.array([16, 11, 10, 9, 8, 6, 6, 6, 5, 5, 5, 3, 3, 3, 3, 2, 1, 1, *[0] * 8])
    chosen = deal_areas(rng, counts, rng.normal(size=(31, 26)))
    assert all(3 <= len(set(areas)) == len(areas) <= 4 for areas in chosen)
    assert np.bincount(np.concatenate(chosen), minlength=26).tolist() == counts.tolist()


def test_nearest_standardised_meets_its_constraints() -> None:
    rng = np.random.default_rng(4)
    z, u = rng.normal(size=31), rng.normal(size=31)
    basis = np.vstack([np.ones(31), u])
    v = nearest_standardised(z, np.full(31, -2.0), np.full(31, 1.5), basis)
    assert v is not None
    assert v.mean() == pytest.approx(0, abs=1e-8) and v.std(ddof=1) == pytest.approx(1)
    assert v @ u == pytest.approx(0, abs=1e-7) and v.min() >= -2 - 1e-9 and v.max() <= 1.5 + 1e-9
