"""_variables.yml: every contract key, every value a Norwegian-formatted string."""

from __future__ import annotations

import pandas as pd
import yaml

from pipeline.format.numbers import MINUS, NBSP
from pipeline.render.variables import lookup
from pipeline.report.variables import (
    build_variables,
    followup_sentence,
    programme_variables,
    variables_yaml,
)

CONTRACT_KEYS = [
    "edition.as_of",
    "edition.year",
    "edition.label",
    "data.synthetic",
    "data.notice",
    "facts.groups",
    "facts.departementer",
    "facts.direktorater",
    "facts.cohorts",
    "facts.leaders",
    "facts.women_pct",
    "facts.men_pct",
    "facts.mean_group_size",
    "facts.min_group_size",
    "facts.max_group_size",
    "facts.mean_age",
    "facts.first_year",
    "facts.last_year",
    "eval.groups",
    "eval.members",
    "eval.respondents",
    "eval.response_rate",
    "effect.groups_ended",
    "effect.paired_groups",
    "effect.gtei_t1",
    "effect.gtei_t2",
    "effect.gtei_diff",
    "effect.gtei_d",
    "effect.gtei_ci_low",
    "effect.gtei_ci_high",
    "effect.improved",
    "effect.not_improved",
    "effect.reliable_positive",
    "effect.reliable_negative",
    "effect.reliability",
    "effect.n_large",
    "effect.n_medium",
    "effect.n_small",
    "effect.n_positive_d",
    "effect.n_significant",
    "effect.n_factors",
    "effect.top.1.label",
    "effect.top.1.d",
    "effect.top.2.label",
    "effect.top.2.d",
    "effect.top.3.label",
    "effect.top.3.d",
    "effect.bottom.1.label",
    "effect.bottom.1.d",
    "effect.bottom.2.label",
    "effect.bottom.2.d",
    "corr.r",
    "corr.p",
    "corr.n_factors",
    "followup.groups",
    "followup.gtei_t2",
    "followup.gtei_t3",
    "followup.sentence",
    "params.min_respondents",
    "params.positive_threshold",
    "params.confidence",
    "params.reliability",
    # added by the statistics stage (docs/architecture.md, "Variables")
    "edition.cohorts",
    "effect.gtei_n",
    "effect.gtei_t1_sd",
    "effect.gtei_t2_sd",
    "effect.gtei_t",
    "effect.gtei_df",
    "effect.gtei_p",
    "followup.gtei_t1",
]
FACTOR_FIELDS = [
    *("label", "t1", "t2", "diff", "d", "n_dev_area", "n_dev_area_pct", "n_positive"),
    *("p", "n_groups", "n_not_positive"),
]


def _get(tree: dict, dotted: str) -> object:
    """The value ``{{< var dotted >}}`` shows, by Quarto's rule (both renderers use it)."""
    return lookup(tree, dotted)


def _leaves(tree: dict | list) -> list:
    out = []
    for value in tree.values() if isinstance(tree, dict) else tree:
        out += _leaves(value) if isinstance(value, dict | list) else [value]
    return out


def _variables(summary, effect_table, change_counts, items, programme=None) -> dict:
    return build_variables(summary, effect_table, change_counts, items, programme)


def test_every_contract_key_is_present(summary, effect_table, change_counts, items, codebook):
    variables = _variables(summary, effect_table, change_counts, items)
    for key in CONTRACT_KEYS:
        assert isinstance(_get(variables, key), str), key
    for f in codebook.factors:
        for field in FACTOR_FIELDS:
            assert isinstance(_get(variables, f"effect.factors.{f.key}.{field}"), str)
    for i in codebook.items:
        assert isinstance(_get(variables, f"eval.items.{i.key}"), str)
        assert isinstance(_get(variables, f"eval.items_n.{i.key}"), str)
    assert all(isinstance(v, str) for v in _leaves(variables))


def test_values_are_formatted_the_norwegian_way(summary, effect_table, change_counts, items):
    v = _variables(summary, effect_table, change_counts, items)
    assert v["edition"] == {
        "as_of": "30. juni 2019",
        "as_of_future": "nei",
        "date": "2019-06-30",
        "year": "2019",
        "label": "Utgave per 30. juni 2019",
        "cohorts": "alle",
        "cohorts_text": "Utgaven omfatter alle kull som hadde startet på skjæringsdatoen.",
        "licence": "Creative Commons Navngivelse 4.0 Internasjonal (CC BY 4.0)",
    }
    assert v["data"]["synthetic"] == "ja" and v["data"]["notice"]
    assert v["facts"]["mean_group_size"] == "7,3"  # 350 / 48, not the 2019 report's 7,2
    assert v["facts"]["women_pct"] == f"42{NBSP}%"
    assert (v["facts"]["first_year"], v["facts"]["last_year"]) == ("2015", "2019")
    assert v["eval"]["response_rate"] == f"67{NBSP}%"
    assert v["eval"]["items"]["mer_effektive_moter"] == f"60{NBSP}%"  # 60.5 → 60 (half-even)
    assert v["eval"]["items"]["evaluerer_resultater"] == "–"  # no answer took a stand
    assert v["eval"]["items_n"]["mer_effektive_moter"] == "170"
    e = v["effect"]
    assert (e["gtei_t1"], e["gtei_t2"], e["gtei_diff"], e["gtei_d"]) == (
        "5,06",
        "5,49",
        "0,43",
        "1,08",
    )
    assert e["gtei_p"] == "< 0,001" and e["gtei_df"] == "30"
    assert e["reliability"] == "0,90"
    assert v["corr"] == {"r": "0,64", "p": "< 0,001", "n_factors": "26"}
    assert v["params"] == {
        "min_respondents": "3",
        "positive_threshold": "0,1",
        "confidence": f"95{NBSP}%",
        "reliability": "0,90",
        "clear_change_z": "1,96",
    }
    assert v["eval"]["response_rate_ended"] == f"66{NBSP}%"  # 177 / 269, not 177 / 264
    assert (v["eval"]["ended_groups"], v["eval"]["ended_members"]) == ("32", "269")


def test_factor_rows_and_rankings(summary, effect_table, change_counts, items, codebook):
    v = _variables(summary, effect_table, change_counts, items)["effect"]
    first, last = codebook.factors[0], codebook.factors[-1]
    row = v["factors"][first.key]
    assert row["label"] == first.label and row["d"] == "1,30"
    assert row["n_dev_area"] == "0" and row["n_dev_area_pct"] == f"0{NBSP}%"
    assert v["factors"][codebook.factors[4].key]["n_dev_area_pct"] == f"13{NBSP}%"  # 4 / 31
    assert row["n_positive"] == "29"
    assert v["top"][0] == {"label": first.label, "d": "1,30"}
    assert v["top"][2]["label"] == codebook.factors[2].label
    assert v["bottom"][0] == {"label": last.label, "d": "0,05"}  # 1.30 − 0.05·25
    assert v["bottom"][1]["label"] == codebook.factors[-2].label
    assert MINUS not in v["bottom"][0]["d"]
    assert len(v["top"]) == 3 and len(v["bottom"]) == 2  # lists: Quarto indexes them from 1


def test_negative_values_use_the_minus_sign(summary, effect_table, change_counts, items):
    summary["effect"]["gtei_diff"] = -0.12
    assert _variables(summary, effect_table, change_counts, items)["effect"]["gtei_diff"] == (
        f"{MINUS}0,12"
    )


def test_followup_sentence_cases() -> None:
    assert "Ingen ledergruppe" in followup_sentence({"groups": 0}, 0.95)
    few = {"groups": 1, "shown": False, "min_groups": 5, "gtei_t2": 5.5, "gtei_t3": 5.61}
    one = followup_sentence(few, 0.95)
    assert one.startswith("I datagrunnlaget har én ledergruppe svart")
    # below the minimum: the count and the minimum, never the means
    assert "minst fem grupper" in one and "5,50" not in one and "5,61" not in one
    shown = {
        "groups": 6,
        "gtei_groups": 6,
        "shown": True,
        "min_groups": 5,
        "gtei_t2": 5.56,
        "gtei_t3": 5.46,
        "gtei_diff_t3_t2": -0.1,
        "ci_low": -0.25,
        "ci_high": 0.05,
    }
    six = followup_sentence(shown, 0.95)
    assert six.startswith("I datagrunnlaget har seks ledergrupper svart")
    assert "5,56" in six and "5,46" in six and "−0,10" in six
    assert f"95{NBSP}% KI −0,25 til 0,05" in six
    assert "Alle seks har fullstendig GTEI; indeksen var 5,56" in six  # not "de seks av dem"
    five = followup_sentence({**shown, "gtei_groups": 5}, 0.95)
    assert "For de fem av dem med fullstendig GTEI var indeksen 5,56" in five


def test_real_data_notice_names_the_real_sources(summary, effect_table, change_counts, items):
    summary |= {"synthetic": False, "synthetic_cohorts": [], "real_cohorts": [0, 1, 2]}
    data = _variables(summary, effect_table, change_counts, items)["data"]
    assert data["synthetic"] == "nei"
    assert "syntetisk" not in data["notice"]
    assert "deltakernes egne svar" in data["notice"]
    assert data["synthetic_cohorts"] == "ingen" and data["real_cohorts"] == "0–2"


def test_a_mix_of_synthetic_and_real_cohorts_is_spelt_out(
    summary, effect_table, change_counts, items
):
    summary |= {"synthetic": True, "synthetic_cohorts": [0, 1, 2, 4], "real_cohorts": [17]}
    data = _variables(summary, effect_table, change_counts, items)["data"]
    assert data["synthetic"] == "ja"  # the report keeps its synthetic marking
    assert data["synthetic_cohorts"] == "0–2, 4" and data["real_cohorts"] == "17"
    assert "kull 0–2, 4 er syntetiske data" in data["notice"]
    assert "kull 17 er deltakernes egne svar" in data["notice"]


def test_programme_variables() -> None:
    design = {
        "duration_months": 9,
        "long_gathering_days": 1.5,
        "participants_per_cohort": {"min": 25, "max": 45},
        "note": "tekst",
    }
    assert programme_variables(design) == {
        "duration_months": "9",
        "long_gathering_days": "1,5",
        "participants_per_cohort": {"min": "25", "max": "45", "range": "25–45"},
        "note": "tekst",
    }


def test_yaml_round_trip_keeps_unicode(summary, effect_table, change_counts, items):
    variables = _variables(summary, effect_table, change_counts, items, {"gatherings": 4})
    text = variables_yaml(variables)
    assert yaml.safe_load(text) == variables
    assert NBSP in text and "\\u" not in text  # real characters, not escapes
    assert text == variables_yaml(variables)
    assert variables["programme"] == {"gatherings": "4"}


def test_the_banner_follows_the_markers(summary, effect_table, change_counts, items):
    """A report of real data carries no synthetic banner; a mix keeps it, spelt out."""
    from pipeline.render.analysis import _synthetic_notice

    summary |= {"synthetic": False, "synthetic_cohorts": [], "real_cohorts": [17]}
    assert _synthetic_notice(_variables(summary, effect_table, change_counts, items)) is None
    summary |= {"synthetic": True, "synthetic_cohorts": [0, 1], "real_cohorts": [17]}
    notice = _synthetic_notice(_variables(summary, effect_table, change_counts, items))
    assert notice is not None and notice.startswith("Datagrunnlaget i denne utgaven er blandet")


def test_second_round_variables(summary, effect_table, change_counts, items, codebook):
    """model.*, clear.* and devarea.*: non-numeric keys, formatted like the rest."""
    keys = codebook.factor_keys
    model = pd.DataFrame(
        {
            "factor": [*keys, "gtei"],
            "estimate": [0.4] * len(keys) + [0.436],
            "ci_low": [0.2] * len(keys) + [0.3026],
            "ci_high": [0.6] * len(keys) + [0.5694],
            "p": [0.001] * len(keys) + [1e-10],
            "p_holm": [0.0004] * len(keys) + [None],
            "random_slope": [True] * len(keys) + [True],
        }
    )
    summary["model"] = {
        "gtei_estimate": 0.436, "gtei_ci_low": 0.3026, "gtei_ci_high": 0.5694, "gtei_p": 1e-10,
        "n_factors": 26, "n_random_slope": 25, "n_fallback": 1, "n_significant": 24,
        "n_significant_holm": 24, "n_significant_t_holm": 23,
    }  # fmt: skip
    summary["effect"] |= {
        "clear_positive": 15, "clear_negative": 0, "clear_none": 16, "median_se_change": 0.2523,
        "gtei_d_z": 1.117, "gtei_d_individual": 0.699,
    }  # fmt: skip
    summary["devarea"] = {"estimate": 0.258, "ci_low": 0.161, "ci_high": 0.356, "p": 7e-6,
                          "n_groups": 31}  # fmt: skip
    summary["correlation"] |= {"boot_ci_low": 0.444, "boot_ci_high": 0.696, "boot_resamples": 2000}
    v = build_variables(summary, effect_table, change_counts, items, model=model)
    assert v["model"]["gtei_estimate"] == "0,44"
    assert (v["model"]["gtei_ci_low"], v["model"]["gtei_ci_high"]) == ("0,30", "0,57")
    assert v["model"]["gtei_p"] == "< 0,001" and v["model"]["n_fallback"] == "1"
    assert v["model"]["factors"]["dialog"]["p_holm"] == "< 0,001"
    assert v["clear"] == {
        "positive": "15", "negative": "0", "none": "16", "median_se": "0,25",
        "gtei_d_z": "1,12", "gtei_d_individual": "0,70",
    }  # fmt: skip
    assert v["devarea"]["estimate"] == "0,26" and v["devarea"]["p"] == "< 0,001"
    assert (v["devarea"]["corr_ci_low"], v["devarea"]["corr_resamples"]) == (
        "0,44",
        "2000",
    )  # four digits stay ungrouped
    # Quarto reads a numeric path part as a list index: no new key may be a number
    for section in ("model", "clear", "devarea"):
        stack = [v[section]]
        while stack:
            node = stack.pop()
            for key, value in node.items():
                assert not str(key).isdigit(), (section, key)
                if isinstance(value, dict):
                    stack.append(value)


def test_a_future_data_date_is_stated_on_the_edition(summary, effect_table, change_counts, items):
    plain = _variables(summary, effect_table, change_counts, items)["edition"]
    summary["parameters"]["as_of_future"] = True
    future = _variables(summary, effect_table, change_counts, items)["edition"]
    assert (plain["as_of_future"], future["as_of_future"]) == ("nei", "ja")
    assert "etter datoen utgaven ble laget" not in plain["label"]
    assert future["label"].startswith(plain["label"])
    assert "etter datoen utgaven ble laget" in future["label"]


def test_the_last_end_is_the_month_the_last_group_ended() -> None:
    from pipeline.report.variables import last_end_text

    ends = pd.DataFrame({"end_date": ["2021-03-31", "2021-12-10", None]})
    assert last_end_text(ends) == "desember 2021"
    assert last_end_text(pd.DataFrame({"end_date": [None]})) == "ukjent"


def test_two_equal_d_values_are_said_once() -> None:
    from pipeline.report.variables import d_pair_phrase

    same = d_pair_phrase(("Klare bestillinger", "0,69"), ("Møteforberedelser", "0,69"))
    assert same == (
        "Effect-faktorene «Klare bestillinger» og «Møteforberedelser» hadde begge en "
        "effektstørrelse på d = 0,69."
    )
    different = d_pair_phrase(("Klare bestillinger", "0,69"), ("Møteforberedelser", "0,54"))
    assert "begge" not in different
    assert "«Klare bestillinger» hadde en effektstørrelse på d = 0,69" in different
    assert different.endswith("«Møteforberedelser» hadde d = 0,54.")


def test_the_pair_sentence_compares_the_printed_values(summary, effect_table, change_counts, items):
    rows = effect_table.set_index("factor")
    rows.loc["klare_bestillinger", "d"] = 0.6912
    rows.loc["moteforberedelser", "d"] = 0.6888  # both print as 0,69
    v = build_variables(summary, rows.reset_index(), change_counts, items)
    assert (
        "hadde begge en effektstørrelse på d = 0,69"
        in v["effect"]["pairs"]["bestillinger_forberedelser"]
    )
    rows.loc["moteforberedelser", "d"] = 0.5
    v = build_variables(summary, rows.reset_index(), change_counts, items)
    assert "begge" not in v["effect"]["pairs"]["bestillinger_forberedelser"]


def test_the_holm_sentence_claims_adjusted_counts_only_for_the_model() -> None:
    from pipeline.report.variables import holm_sentence

    assert holm_sentence(24, 20) == (
        "Uten justering er endringen statistisk signifikant for 24 av faktorene med den "
        "parede t-testen, og i modellen er 20 signifikante etter justeringen."
    )
    assert "t-testen" not in holm_sentence(12, 9).split(", og ")[1]
    assert holm_sentence(12, 8).endswith("i modellen er 8 signifikante etter justeringen.")
    assert holm_sentence(7, 2).endswith("i modellen er to signifikante etter justeringen.")
    assert holm_sentence(3, 0).endswith("ingen av endringene signifikante etter justeringen.")
    assert holm_sentence(0, 1).startswith(
        "Uten justering er endringen ikke statistisk signifikant for noen av faktorene"
    )


def test_a_shown_follow_up_names_the_self_selection() -> None:
    from pipeline.report.variables import SELF_SELECTED

    shown = {"groups": 6, "gtei_groups": 6, "shown": True, "min_groups": 5, "gtei_t2": 5.56,
             "gtei_t3": 5.46, "gtei_diff_t3_t2": -0.1, "ci_low": -0.25,
             "ci_high": 0.05}  # fmt: skip
    assert followup_sentence(shown, 0.95).endswith(SELF_SELECTED)
    assert "valgte selv" in SELF_SELECTED
    hidden = followup_sentence({**shown, "groups": 2, "shown": False}, 0.95)
    assert SELF_SELECTED not in hidden  # no figure shown, nothing to qualify


def test_groups_without_an_organisation_are_counted(summary, effect_table, change_counts, items):
    participants = pd.DataFrame(
        {
            "organisation": ["Kartverket", "ikke oppgitt", " Ikke oppgitt ", "NOKUT"],
            "kull": [1, 1, 2, 2],
            "start_date": pd.to_datetime(["2016-08-01"] * 2 + ["2017-01-01"] * 2),
            "end_date": pd.to_datetime(["2017-05-01"] * 2 + ["2017-10-01"] * 2),
        }
    )
    v = build_variables(summary, effect_table, change_counts, items, participants=participants)
    assert v["facts"]["not_given"] == "2" and v["ord"]["facts"]["not_given"] == "to"


def test_a_small_or_negative_smallest_d_is_no_change_worth_naming() -> None:
    from pipeline.report.variables import least_change_sentences

    both = least_change_sentences([("Oppgavekonflikt", -0.06), ("Relasjonskonflikt", 0.31)])
    assert both["bottom_d"] == (
        "Minst endret seg «Relasjonskonflikt» (d = 0,31), og på «Oppgavekonflikt» "
        "(d = −0,06) var det ingen endring av betydning."
    )
    assert both["bottom_short"].startswith("Minst endret seg «Relasjonskonflikt», og på")
    least = least_change_sentences([("A", 0.45), ("B", 0.2)])  # 0,20 is a small effect
    assert least["bottom_d"] == "Minst endret seg «A» (d = 0,45) og «B» (d = 0,20)."
    none = least_change_sentences([("A", -0.194), ("B", 0.05)])
    assert none["bottom_short"] == "På «A» og «B» var det ingen endring av betydning"


def test_the_intake_note_names_years_with_more_or_no_cohorts() -> None:
    from pipeline.report.variables import intake_note, programme_period

    starts = {0: "2015-09-01", 1: "2016-01-10", 2: "2016-03-01", 3: "2016-08-01",
              4: "2016-10-01", 5: "2017-01-01", 6: "2019-01-01"}  # fmt: skip
    participants = pd.DataFrame(
        {
            "kull": list(starts),
            "start_date": pd.to_datetime(list(starts.values())),
            "end_date": pd.to_datetime([None] * 6 + ["2019-10-01"]),
        }
    )
    assert intake_note(participants, 3) == (
        "Unntakene var at fire kull startet i 2016 og ingen kull startet i 2018."
    )
    assert intake_note(participants, 4) == "Unntaket var at ingen kull startet i 2018."
    assert intake_note(participants, None) == ""
    assert programme_period(participants) == "2015–2019"
