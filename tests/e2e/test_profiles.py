"""make profiles / make profile in a built copy of the project (DESIGN.md section 9).

One profile per group with wave-1 answers by as_of (48 groups at 2019-06-30: kull 9–12 had
started but not ended, so their profiles have no change section), one executed notebook
each, every PDF tagged and accessible like the report, the same bytes from ``make profile``
and from a second clean build.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pypdf import PdfReader

from pipeline.data.clean import FREE_TEXT_FILE, clean
from pipeline.format.numbers import fmt_number
from tests.conftest import AS_OF, Build

SUPPRESSED = "k07-g3"  # four answers at the start, two at the end
WAVE_1_ONLY = "k12-g1"  # kull 12 was still running on 2019-06-30
FREE_TEXT = "Fritekstprøve QXZJ: dette svaret skal aldri stå i en profil."


@pytest.fixture(scope="module")
def profiled(built: Build) -> Build:
    done = built.run("profiles", f"AS_OF={AS_OF}")
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return Build(built.root, done.stdout + done.stderr)


def _pdfs(root: Path) -> dict[str, Path]:
    return {p.stem: p for p in sorted((root / "_profiles").glob("kull-*/*.pdf"))}


def _hashes(root: Path) -> dict[str, str]:
    return {g: hashlib.sha256(p.read_bytes()).hexdigest() for g, p in _pdfs(root).items()}


def _text(pdf: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(pdf).pages)


def _expected_groups(root: Path) -> list[str]:
    groups = pd.read_parquet(root / "data/processed/groups.parquet")
    effect = pd.read_parquet(root / "data/processed/effect.parquet")
    started = groups.loc[groups["start_date"] <= pd.Timestamp(AS_OF), "group_id"]
    answered = effect.loc[effect["wave"] == 1, "group_id"]
    return sorted(set(started) & set(answered))


def test_one_profile_and_one_executed_notebook_per_group(profiled: Build) -> None:
    expected = _expected_groups(profiled.root)
    assert len(expected) == 48
    assert sorted(_pdfs(profiled.root)) == expected
    executed = profiled.root / "build/profiles/notebooks"
    assert sorted(p.stem for p in executed.rglob("*.ipynb")) == expected
    progress = re.findall(r"\[profiles\]\s+\d+/48 (\S+)\s+ok", profiled.log)
    assert sorted(progress) == expected  # a progress line per group


def test_every_profile_is_tagged_accessible_and_two_to_four_pages(profiled: Build) -> None:
    for group_id, pdf in _pdfs(profiled.root).items():
        reader = PdfReader(pdf)
        catalog = reader.trailer["/Root"]
        assert str(catalog.get("/Lang", "")).startswith("nb"), group_id
        assert bool(catalog.get("/MarkInfo", {}).get("/Marked")), f"{group_id} is not tagged"
        assert "/StructTreeRoot" in catalog, group_id
        assert reader.metadata is not None and reader.metadata.title.startswith("Effect-profil")
        assert 2 <= len(reader.pages) <= 4, (group_id, len(reader.pages))


def test_profile_holds_its_own_organisation_only(profiled: Build) -> None:
    groups = pd.read_parquet(profiled.root / "data/processed/groups.parquet")
    own = groups.set_index("group_id").loc["k02-g2", "organisation"]
    text = _text(_pdfs(profiled.root)["k02-g2"])
    assert own in " ".join(text.split())
    for row in groups.itertuples():
        if row.group_id != "k02-g2":
            assert row.group_id not in text
            if row.organisation != own and row.organisation not in own:
                assert row.organisation not in " ".join(text.split()), row.organisation


def test_suppressed_and_wave_1_only_groups_render(profiled: Build) -> None:
    pdfs = _pdfs(profiled.root)
    suppressed = _text(pdfs[SUPPRESSED])
    assert "(for få)" in suppressed
    first = _text(pdfs[WAVE_1_ONLY])
    assert "ennå ikke svart ved avslutning" in " ".join(first.split())
    assert "Endring fra oppstart" not in first


def test_second_run_builds_nothing(profiled: Build) -> None:
    again = profiled.run("profiles", f"AS_OF={AS_OF}")
    assert again.returncode == 0, again.stderr[-2000:]
    assert "0 to build, 48 up to date" in again.stderr


def test_make_profile_gives_the_same_bytes(profiled: Build) -> None:
    before = _hashes(profiled.root)[SUPPRESSED]
    done = profiled.run("profile", f"AS_OF={AS_OF}", f"GROUP={SUPPRESSED}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "1/1" in done.stderr
    assert _hashes(profiled.root)[SUPPRESSED] == before


def test_unknown_group_is_a_clear_error(profiled: Build) -> None:
    done = profiled.run("profile", f"AS_OF={AS_OF}", "GROUP=k99-g9")
    assert done.returncode != 0
    assert "GROUP='k99-g9' is not a group_id" in done.stderr
    assert "make profiles-list" in done.stderr


def test_two_clean_builds_give_identical_profiles(profiled: Build) -> None:
    first = _hashes(profiled.root)
    shutil.rmtree(profiled.root / "_profiles")
    shutil.rmtree(profiled.root / "build/profiles")
    done = profiled.run("profiles", f"AS_OF={AS_OF}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert _hashes(profiled.root) == first


def test_profiles_never_reach_the_book_or_the_published_site(profiled: Build) -> None:
    book = profiled.root / "_book"
    assert [p.name for p in book.rglob("*.pdf")] == ["konstruktiv-uro.pdf"]
    assert "_profiles" in (profiled.root / ".gitignore").read_text(encoding="utf-8")
    workflow = yaml.safe_load((profiled.root / ".github/workflows/report.yml").read_text())
    text = yaml.safe_dump(workflow)
    assert "_profiles" not in text and "build/profiles" not in text
    assert "make profiles" not in text


def test_free_text_never_reaches_a_profile(profiled: Build, tmp_path: Path) -> None:
    """The group's own evaluation comment goes from data/raw into the processed data the
    profile reads (free_text.parquet), and from there into neither its PDF nor its
    executed notebook. The processed folder is put back afterwards."""
    group, root = "k02-g2", profiled.root
    raw = tmp_path / "raw"
    shutil.copytree(root / "data/raw", raw)
    path = raw / "kull-02/evaluation.csv"
    answers = pd.read_csv(path, dtype=str, keep_default_na=False)
    answers.loc[answers.index[answers["group_id"] == group][0], "kommentar"] = FREE_TEXT
    answers.to_csv(path, index=False)
    processed = root / "data/processed"
    saved = {p: p.read_bytes() for p in processed.iterdir() if p.is_file()}
    try:
        clean(raw, processed)
        planted = pd.read_parquet(processed / FREE_TEXT_FILE)
        assert FREE_TEXT in set(planted.loc[planted["group_id"] == group, "text"])
        done = profiled.run("profile", f"AS_OF={AS_OF}", f"GROUP={group}")
        assert done.returncode == 0, done.stderr[-2000:]
        assert f"1/1 {group}" in done.stderr
        pdf_text = " ".join(_text(_pdfs(root)[group]).split())
        notebook = root / "build/profiles/notebooks/kull-02" / f"{group}.ipynb"
        for where, text in (("PDF", pdf_text), ("notebook", notebook.read_text("utf-8"))):
            assert "QXZJ" not in text and "skal aldri stå" not in text, where
    finally:
        for p, data in saved.items():
            p.write_bytes(data)


def _programme_cell(effect: pd.DataFrame, groups: pd.DataFrame, kull: set[int]) -> str:
    """The factor table's programme cell for Dialog at the start, computed apart from the
    pipeline: mean (SD) of the group means of the chosen kull's groups with ≥ 3 answers."""
    started = groups.loc[
        groups["kull"].isin(kull) & (groups["start_date"] <= pd.Timestamp(AS_OF)), "group_id"
    ]
    first = effect.loc[(effect["wave"] == 1) & effect["group_id"].isin(started)]
    by_group = first.groupby("group_id")["dialog"].agg(["count", "mean"])
    means = by_group.loc[by_group["count"] >= 3, "mean"]
    return f"{fmt_number(means.mean())} ({fmt_number(means.std())})"


def test_cohorts_limit_the_profiles_and_their_programme(profiled: Build) -> None:
    """COHORTS=0-7: kull 0–7's groups only, listed alike, compared with kull 0–7 alone."""
    root = profiled.root
    groups = pd.read_parquet(root / "data/processed/groups.parquet")
    effect = pd.read_parquet(root / "data/processed/effect.parquet")
    kull = dict(zip(groups["group_id"], groups["kull"], strict=True))
    expected = [g for g in _expected_groups(root) if kull[g] <= 7]
    assert len(expected) == 32
    everyone = _programme_cell(effect, groups, set(groups["kull"]))
    assert everyone in " ".join(_text(_pdfs(root)["k00-g1"]).split())
    listed = profiled.run("profiles-list", f"AS_OF={AS_OF}", "COHORTS=0-7")
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert sorted(line.split("\t")[0] for line in listed.stdout.splitlines()) == expected
    done = profiled.run("profiles", f"AS_OF={AS_OF}", "COHORTS=0-7")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "32 groups with wave-1 answers per 2019-06-30 in kull 0,1,2,3,4,5,6,7" in done.stderr
    assert sorted(_pdfs(root)) == expected
    executed = root / "build/profiles/notebooks"
    assert sorted(p.stem for p in executed.rglob("*.ipynb")) == expected
    chosen = _programme_cell(effect, groups, set(range(8)))
    assert chosen != everyone
    assert chosen in " ".join(_text(_pdfs(root)["k00-g1"]).split())
    outside = profiled.run("profile", f"AS_OF={AS_OF}", "COHORTS=0-7", f"GROUP={WAVE_1_ONLY}")
    assert outside.returncode != 0
    assert f"GROUP='{WAVE_1_ONLY}' is in kull 12, outside COHORTS=0,1,2,3,4,5,6,7" in outside.stderr
