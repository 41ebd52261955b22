"""build_all on the fixture results: every figure's files, words and bytes."""

from __future__ import annotations

import json
import re
import shutil
import warnings

import pandas as pd
import pytest
import yaml
from PIL import Image

from pipeline.figures import build_all
from pipeline.figures.contract import FIGURE_IDS
from pipeline.figures.inputs import FigureInputError

FRAGMENT = re.compile(
    r"^!\[(?P<caption>(?:[^\]\\]|\\.)+)\]\(/report/_generated/figures/(?P<name>\w+)\.svg\)"
    r'\{#(?P<id>fig-[\w-]+) fig-alt="(?P<alt>(?:[^"\\]|\\.)+)"\}\n$'
)

# a finding each alt text must state, taken from the fixture data
FINDINGS = {
    "tidslinje": ["4 fellessamlinger", "1,5 dager", "inntil 5 individuelle samtaler"],
    "fakta": ["48 ledergrupper", "350 ledere", "42\u00a0% kvinner", "53,2 år"],
    "evaluering": ["«Stimulert til nyttige diskusjoner i ledergruppen» med 88\u00a0%", "31\u00a0%"],
    "effect_for_etter": ["«Kontinuerlig gruppelæring», fra 3,92 til 5,22 (+1,30)", "5,06 til 5,49"],
    "endring_faktorer": ["«Kontinuerlig gruppelæring» og «Riktige saker» (29 av 31)", "(16 av 31)"],
    "gtei_endring": ["27 grupper gikk opp", "var 19 økninger og 1 nedganger reliable"],
    "utviklingsomrader": ["«Riktige saker» (25 av 31)", "endret seg gjennomgående mer", "r = 0,"],
}


def test_every_figure_is_built_in_report_order(built):
    assert list(built) == list(FIGURE_IDS)


@pytest.mark.parametrize("name", list(FIGURE_IDS))
def test_figure_files_exist(built, generated_dir, name):
    files = built[name]
    assert files.svg == generated_dir / "figures" / f"{name}.svg"
    assert files.svg.read_bytes().startswith(b"<?xml")
    assert files.png.read_bytes().startswith(b"\x89PNG")
    assert files.fragment.name == f"_{name}.md"


@pytest.mark.parametrize("name", list(FIGURE_IDS))
def test_fragment_links_the_svg_with_id_caption_and_alt(built, name):
    match = FRAGMENT.match(built[name].fragment.read_text(encoding="utf-8"))
    assert match, built[name].fragment.read_text(encoding="utf-8")
    assert match["name"] == name
    assert match["id"] == FIGURE_IDS[name]


@pytest.mark.parametrize("name", list(FIGURE_IDS))
def test_alt_text_states_a_finding_from_the_data(built, name):
    alt = built[name].alt
    assert len(alt) > 80
    for finding in FINDINGS[name]:
        assert finding in alt


@pytest.mark.parametrize("name", list(FIGURE_IDS))
def test_caption_is_norwegian_and_without_dot_decimals(built, name):
    caption = built[name].caption
    assert caption.endswith(".")
    assert not re.search(r"\d\.\d", caption + built[name].alt)


def test_figures_yml_lists_every_figure(built, generated_dir):
    index = yaml.safe_load((generated_dir / "figures.yml").read_text(encoding="utf-8"))
    assert list(index) == list(FIGURE_IDS)
    for name, entry in index.items():
        assert entry == {
            "id": FIGURE_IDS[name],
            "svg": f"/report/_generated/figures/{name}.svg",
            "png": f"/report/_generated/figures/{name}.png",
            "caption": built[name].caption,
            "alt": built[name].alt,
        }


@pytest.mark.parametrize("name", list(FIGURE_IDS))
def test_png_is_text_width_at_300_dpi(built, name):
    with Image.open(built[name].png) as image:
        width, height = image.size
        dpi = image.info["dpi"]
    assert width == pytest.approx(16 / 2.54 * 300, abs=2)
    assert 4 <= height / 300 * 2.54 <= 22, "figure taller than an A4 text block"
    assert dpi == pytest.approx((300, 300), abs=0.1)


@pytest.mark.parametrize("name", list(FIGURE_IDS))
def test_files_carry_no_timestamp_or_tool_version(built, name):
    svg = built[name].svg.read_text(encoding="utf-8")
    assert "<dc:date>" not in svg
    assert "Matplotlib" not in svg
    with Image.open(built[name].png) as image:
        assert "Software" not in image.info


def test_two_builds_give_identical_bytes(built, results_dir, programme_path, tmp_path):
    again = build_all(results_dir, tmp_path / "figures", programme_path)
    first_dir = built["fakta"].svg.parent
    for files in again.values():
        for path in (files.svg, files.png, files.fragment):
            assert path.read_bytes() == (first_dir / path.name).read_bytes(), path.name
    assert (tmp_path / "figures.yml").read_bytes() == (
        first_dir.parent / "figures.yml"
    ).read_bytes()


def test_missing_results_column_names_the_file(results_dir, programme_path, tmp_path):
    broken = shutil.copytree(results_dir, tmp_path / "results")
    table = (broken / "evaluation_items.csv").read_text(encoding="utf-8")
    (broken / "evaluation_items.csv").write_text(
        table.replace("pct_positive", "share"), encoding="utf-8"
    )
    with pytest.raises(FigureInputError, match=r"evaluation_items\.csv: lacks column\(s\) pct_"):
        build_all(broken, tmp_path / "figures", programme_path)
    assert not (tmp_path / "figures").exists()


def test_missing_results_folder_says_which_stage_to_run(programme_path, tmp_path):
    with pytest.raises(FigureInputError, match="run the statistics stage first"):
        build_all(tmp_path / "nothing", tmp_path / "figures", programme_path)


def test_a_small_early_edition_still_builds(results_dir, programme_path, tmp_path):
    """Three paired groups, nobody chose a development area yet, some factors fell back."""
    small = shutil.copytree(results_dir, tmp_path / "results")
    effect = pd.read_csv(small / "effect_factors.csv")
    effect["n_groups"] = 3
    effect.loc[effect["factor"] != "gtei", "n_dev_area"] = 0
    effect.loc[effect.index[:5], "t2_mean"] = effect.loc[effect.index[:5], "t1_mean"] - 0.2
    effect["diff"] = effect["t2_mean"] - effect["t1_mean"]
    effect.to_csv(small / "effect_factors.csv", index=False)
    groups = pd.read_csv(small / "gtei_groups.csv").head(3)
    groups.to_csv(small / "gtei_groups.csv", index=False)
    summary = json.loads((small / "summary.json").read_text(encoding="utf-8"))
    summary["correlation"] = {"r": None, "p": None, "n_factors": 26}
    (small / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # rc of 3 groups vs the SD of 3 t1
        files = build_all(small, tmp_path / "figures", programme_path)
    assert "kan ikke beregnes" in files["utviklingsomrader"].alt
    assert "3 grupper" in files["gtei_endring"].alt
    assert "−0,20" in files["effect_for_etter"].alt


def test_a_failing_build_writes_nothing(built, results_dir, programme_path, tmp_path):
    """The last figure fails: none of the earlier ones may have replaced the good files."""
    broken = shutil.copytree(results_dir, tmp_path / "results")
    summary = json.loads((broken / "summary.json").read_text(encoding="utf-8"))
    del summary["correlation"]["n_factors"]
    (broken / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    target = shutil.copytree(built["fakta"].svg.parent.parent, tmp_path / "generated")
    before = {p: p.read_bytes() for p in target.rglob("*") if p.is_file()}
    with pytest.raises(KeyError, match="n_factors"):
        build_all(broken, target / "figures", programme_path)
    assert {p: p.read_bytes() for p in target.rglob("*") if p.is_file()} == before
