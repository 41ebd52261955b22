"""A profile holds its own group's values and programme aggregates over ≥ 5 groups only."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from pipeline.disclosure import DisclosureError, check_profile
from pipeline.paths import PATHS
from pipeline.profiles import document, text
from pipeline.profiles.data import Edition, UnknownGroupError, build_edition, group_profile
from tests.profiles.conftest import AS_OF, GROUPS


def _row(profile, factor="dialog"):
    return profile.factors.set_index("factor").loc[factor]


def test_own_values_and_programme_by_hand(edition: Edition) -> None:
    profile = group_profile(edition, "G1")
    row = _row(profile)
    assert (row["mean1"], row["mean2"], row["mean3"]) == (4.0, 5.0, 5.5)
    assert row["change"] == pytest.approx(1.0)
    # se_change = sqrt(0.25/3 + 0.25/3): each wave's SD is 0.5 (scores m−0.5, m+0.5, m)
    assert row["se_change"] == pytest.approx(math.sqrt(2 * 0.25 / 3))
    assert row["clear_change"] == 1
    # wave 1: the eight groups (G8 started); wave 2: G1–G5 and G7 (G6 too few, G8 running)
    wave1 = [4.0, 5.0, 4.5, 5.5, 6.0, 4.2, 5.0, 4.8]
    assert row["prog_n1"] == 8
    assert row["prog_mean1"] == pytest.approx(sum(wave1) / 8)
    wave2 = [5.0, 5.2, 5.3, 5.5, 6.2, 5.4]
    assert row["prog_n2"] == 6
    assert row["prog_mean2"] == pytest.approx(sum(wave2) / 6)
    assert bool(row["dev_area"]) and not bool(_row(profile, "riktige_saker")["dev_area"])


def test_programme_over_fewer_than_five_groups_is_withheld(edition: Edition) -> None:
    row = _row(group_profile(edition, "G1"))
    assert row["prog_n3"] == 1 and math.isnan(row["prog_mean3"])


def test_value_from_too_few_answers_is_suppressed_and_marked(edition: Edition) -> None:
    profile = group_profile(edition, "G6")
    row = _row(profile)
    assert row["n2"] == 2 and bool(row["suppressed2"])
    assert math.isnan(row["mean2"]) and math.isnan(row["change"])
    assert not profile.has_change
    source = document.typst_source(profile)
    assert document.SUPPRESSED_CELL in source
    assert "6,90" not in source and "6,9" not in source
    check_profile(profile, source, edition)


def test_running_group_gets_a_profile_without_change(edition: Edition) -> None:
    profile = group_profile(edition, "G8")
    assert profile.respondents == {1: 4, 2: 0, 3: 0}
    assert profile.has_wave[1] and not profile.has_change
    source = document.typst_source(profile)
    assert "Endring fra oppstart" not in source
    assert "ennå ikke svart ved avslutning" in source


def test_profile_names_its_own_organisation_and_no_other_group(edition: Edition) -> None:
    profile = group_profile(edition, "G1")
    source = document.typst_source(profile)
    assert GROUPS["G1"][1] in source
    for gid, (_, org, _, _) in GROUPS.items():
        if gid != "G1":
            assert org not in source
            assert f'"{gid}' not in source and f" {gid}" not in source
    # another group's wave-1 mean (G5: 6,00) is nowhere in the profile's numbers
    assert "6,00" not in source
    check_profile(profile, source, edition)


def test_strengths_and_gaps_compare_with_the_programme(edition: Edition) -> None:
    profile = group_profile(edition, "G5")  # highest everywhere: all factors tie
    assert len(profile.strengths) == 3 and len(profile.gaps) == 3
    lines, _ = text.strengths_text(profile)
    # 6,20 against the wave-2 programme mean (5,0 + 5,2 + 5,3 + 5,5 + 6,2 + 5,4) / 6 = 5,43
    assert lines[0].endswith(": 6,20 mot 5,43 i programmet (+0,77)")


def test_synthetic_marking_follows_the_group_cohort(edition: Edition) -> None:
    assert document.SYNTHETIC_NOTE in document.typst_source(group_profile(edition, "G1"))
    real_kull_0 = dataclasses.replace(edition, synthetic_cohorts=frozenset({1, 2}))
    assert group_profile(real_kull_0, "G1").synthetic is False
    assert document.SYNTHETIC_NOTE not in document.typst_source(group_profile(real_kull_0, "G1"))
    assert group_profile(real_kull_0, "G4").synthetic is True


def test_unknown_group_says_how_to_list_the_ids(edition: Edition) -> None:
    with pytest.raises(UnknownGroupError, match="make profiles-list"):
        group_profile(edition, "G99")


def test_check_fails_on_a_planted_other_group(edition: Edition) -> None:
    profile = group_profile(edition, "G1")
    planted = document.typst_source(profile) + '\n#"Sammenlign med Epsilonverket (G5)."\n'
    with pytest.raises(DisclosureError) as caught:
        check_profile(profile, planted, edition)
    message = str(caught.value)
    assert "other organisation" in message and "Epsilonverket" in message
    assert "group_id" in message and "'G5'" in message


def test_check_fails_on_a_planted_small_cell(edition: Edition) -> None:
    profile = group_profile(edition, "G6")
    profile.factors.loc[profile.factors["factor"] == "dialog", "mean2"] = 6.9
    with pytest.raises(DisclosureError, match=r"profile G6, factor dialog, wave 2: threshold"):
        check_profile(profile, document.typst_source(profile), edition)


def test_questions_do_not_call_a_score_above_the_programme_a_shortfall(edition: Edition) -> None:
    top = text.questions(group_profile(edition, "G5"))  # above the programme everywhere
    assert "ligger lengst over programmets snitt" in top[0]
    assert "selv om dere er over snittet" in top[1] and "under" not in top[1]
    low = text.questions(group_profile(edition, "G3"))  # 5,3 against 5,43 at the end
    assert "Nærmest programmets snitt" in low[0]
    assert "ligger lengst under programmets snitt" in low[1]


def test_cohorts_limit_the_profiles_and_the_programme(processed: Path) -> None:
    """COHORTS=0-1: G8 (kull 2) gets no profile and leaves the programme's means."""
    chosen = build_edition(processed, AS_OF, 3, PATHS.codebook, cohorts=(0, 1))
    assert chosen.group_ids == ("G1", "G2", "G3", "G4", "G5", "G6", "G7")
    row = _row(group_profile(chosen, "G1"))
    wave1 = [4.0, 5.0, 4.5, 5.5, 6.0, 4.2, 5.0]  # as in the full edition, without G8's 4.8
    assert row["prog_n1"] == 7
    assert row["prog_mean1"] == pytest.approx(sum(wave1) / 7)
    with pytest.raises(UnknownGroupError, match=r"'G8' is in kull 2, outside COHORTS=0,1"):
        group_profile(chosen, "G8")
    only_0 = build_edition(processed, AS_OF, 3, PATHS.codebook, cohorts=(0,))
    assert only_0.group_ids == ("G1", "G2", "G3")
    assert math.isnan(_row(group_profile(only_0, "G1"))["prog_mean1"])  # three groups < five
