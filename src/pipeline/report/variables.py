"""Builds ``report/_generated/_variables.yml``: every number the prose states, formatted.

Keys are the contract of docs/architecture.md ("Variables"); every value is a string in
Norwegian format (``pipeline.format.numbers``), so a chapter never formats or computes.
Means, SDs, differences, d and r get two decimals (as Tabell 2), shares whole percents.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd
import yaml

from pipeline.data.layout import kull_list
from pipeline.data.synth.cohorts import NOT_GIVEN
from pipeline.format.house_style import fmt_words, running_text, with_word_forms
from pipeline.format.numbers import (
    MONTHS,
    fmt_date,
    fmt_int,
    fmt_number,
    fmt_p,
    fmt_pct,
    fmt_plain,
)
from pipeline.report.published import published_variables
from pipeline.stats.effect import EFFECT_BANDS, GTEI, RELIABLE_Z, SIGNIFICANCE

SYNTHETIC_NOTICE = (
    "Tallene i denne utgaven er beregnet fra syntetiske data, ikke fra virkelige svar. "
    "Dataene er generert og kalibrert slik at utgaven per 30. juni 2019 gjengir de fleste "
    "hovedtallene i 2019-rapporten; avvikene er gjort rede for i vedlegg C, avsnittene "
    "Definisjoner og Forbehold. Alle svar og resultater for enkeltgrupper og enkeltpersoner "
    "er oppdiktet."
)
SYNTHETIC_REF = (
    "Tallene er beregnet fra syntetiske data; se merknaden om datagrunnlaget i sammendraget."
)
"""The brief pointer that replaces the full notice after the Sammendrag box (colophon, C)."""
REAL_DATA_NOTICE = (
    "Tallene i denne utgaven er beregnet fra deltakernes egne svar på Effect-kartleggingen "
    "og sluttevalueringen."
)
MIXED_DATA_NOTICE = (
    "Datagrunnlaget i denne utgaven er blandet: kull {synthetic} er syntetiske data med "
    "oppdiktede svar, kull {real} er deltakernes egne svar."
)
FUTURE_NOTICE = (
    " (skjæringsdatoen ligger etter datoen utgaven ble laget, så svar som ennå ikke var gitt, "
    "mangler)"
)
"""Added to the edition label when ``as_of`` was after the build date (``allow_future``)."""
LICENCE = "Creative Commons Navngivelse 4.0 Internasjonal (CC BY 4.0)"
"""The text's licence, named in the colophon (a name with a version, not a number)."""
COHORTS_ALL = "Utgaven omfatter alle kull som hadde startet på skjæringsdatoen."
COHORTS_SOME = "Utgaven omfatter bare kull {}."
TOP, BOTTOM = 3, 2
"""How many of the largest and smallest effects the prose names (``effect.top``/``bottom``)."""
D_PAIRS = {"bestillinger_forberedelser": ("klare_bestillinger", "moteforberedelser")}
"""Two factors the prose names together with their d (``effect.pairs.<name>``)."""


def _edition(summary: Mapping) -> dict[str, str]:
    as_of = dt.date.fromisoformat(summary["as_of"])
    cohorts = summary["parameters"]["cohorts"]
    future = bool(summary["parameters"].get("as_of_future"))
    return {
        "as_of": fmt_date(as_of),
        "as_of_future": "ja" if future else "nei",
        "date": as_of.isoformat(),
        "year": str(as_of.year),
        "label": f"Utgave per {fmt_date(as_of)}" + (FUTURE_NOTICE if future else ""),
        "cohorts": "alle" if cohorts == "all" else ", ".join(str(k) for k in cohorts),
        "licence": LICENCE,
        "cohorts_text": (
            COHORTS_ALL if cohorts == "all" else COHORTS_SOME.format(kull_list(cohorts))
        ),
    }


def last_end_text(participants: pd.DataFrame) -> str:
    """``desember 2021``: the month the last group in the edition ended (its latest end date).

    Only said where every group had ended (``edition.programme_ended``): then it is when the
    programme ended, taken from the data instead of typed into the prose.
    """
    ends = pd.to_datetime(participants["end_date"]).dropna()
    if ends.empty:
        return "ukjent"
    last = ends.max().date()
    return f"{MONTHS[last.month - 1]} {last.year}"


def programme_period(participants: pd.DataFrame) -> str:
    """``2015–2021``: the first start year to the last end year of the edition's groups."""
    first = pd.to_datetime(participants["start_date"]).min().year
    ends = pd.to_datetime(participants["end_date"]).dropna()
    last = ends.max().year if not ends.empty else first
    return str(first) if first == last else f"{first}–{last}"


def intake_note(participants: pd.DataFrame, per_year: int | None) -> str:
    """The years whose intake broke the usual ``per_year`` kull: none started, or more did.

    A kull's year is its first group's start; years before the first and after the last
    intake are not gaps. Empty when every year kept to the rule or no rule is given.
    """
    if not per_year or participants.empty:
        return ""
    years = pd.to_datetime(participants.groupby("kull")["start_date"].min()).dt.year
    counts = years.value_counts()
    more = [f"{fmt_words(int(n))} kull startet i {y}" for y, n in counts.sort_index().items()
            if n > per_year]  # fmt: skip
    none = [y for y in range(years.min(), years.max() + 1) if y not in counts.index]
    parts = [*more]
    if none:
        parts.append(f"ingen kull startet i {_join_words([str(y) for y in none])}")
    if not parts:
        return ""
    return ("Unntakene var at " if len(parts) > 1 else "Unntaket var at ") + (
        _join_words(parts) + "."
    )


def _join_words(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]


def not_given_count(participants: pd.DataFrame) -> int:
    """Groups whose organisation is not given (the data say ``ikke oppgitt``)."""
    names = participants["organisation"].astype("string").str.strip().str.casefold()
    return int((names == NOT_GIVEN).sum())


def _data(summary: Mapping) -> dict[str, str]:
    """``data.*``: whether (and which) cohorts are synthetic, from their markers (DESIGN.md §10).

    ``data.synthetic`` is ``ja`` when any analysed cohort is synthetic, so the report keeps
    its synthetic marking; a mix is spelt out in ``data.notice``.
    """
    synthetic, real = summary["synthetic_cohorts"], summary["real_cohorts"]
    if synthetic and real:
        notice = MIXED_DATA_NOTICE.format(synthetic=kull_list(synthetic), real=kull_list(real))
    else:
        notice = SYNTHETIC_NOTICE if synthetic else REAL_DATA_NOTICE
    return {
        "notice_ref": SYNTHETIC_REF if synthetic and not real else notice,
        "synthetic": "ja" if synthetic else "nei",
        "synthetic_cohorts": kull_list(synthetic) or "ingen",
        "real_cohorts": kull_list(real) or "ingen",
        "notice": notice,
    }


def _year(iso: str | None) -> str:
    return iso[:4] if iso else fmt_int(None)


def _facts(f: Mapping) -> dict[str, str]:
    counts = ["groups", "departementer", "direktorater", "cohorts", "leaders",
              "min_group_size", "max_group_size"]  # fmt: skip
    return {
        **{k: fmt_int(f[k]) for k in counts},
        "women_pct": fmt_pct(f["women_pct"]),
        "men_pct": fmt_pct(f["men_pct"]),
        "mean_group_size": fmt_number(f["mean_group_size"], 1),
        "mean_age": fmt_number(f["mean_age"], 1),
        "first_year": _year(f["first_start"]),
        "last_year": _year(f["last_start"]),
    }


def _evaluation(e: Mapping, items: pd.DataFrame) -> dict[str, object]:
    return {
        **{k: fmt_int(e[k]) for k in ("groups", "members", "respondents")},
        "response_rate": fmt_pct(e["response_rate_pct"]),
        "ended_groups": fmt_int(e["ended_groups"]),
        "ended_members": fmt_int(e["ended_members"]),
        "response_rate_ended": fmt_pct(e["response_rate_ended_pct"]),
        "items": {r.item: fmt_pct(r.pct_positive) for r in items.itertuples()},
        "items_n": {r.item: fmt_int(r.n_answered) for r in items.itertuples()},
    }


def _factor_rows(table: pd.DataFrame, counts: pd.DataFrame, paired: int) -> dict[str, dict]:
    positive = counts.set_index("factor")
    rows = {}
    for r in table[table["factor"] != GTEI].itertuples():
        rows[r.factor] = {
            "label": r.label,
            "t1": fmt_number(r.t1_mean),
            "t2": fmt_number(r.t2_mean),
            "diff": fmt_number(r.diff),
            "d": fmt_number(r.d),
            "p": fmt_p(r.p),
            "n_groups": fmt_int(r.n_groups),
            "n_dev_area": fmt_int(r.n_dev_area),
            "n_dev_area_pct": fmt_pct(r.n_dev_area / paired * 100),
            "n_positive": fmt_int(positive.loc[r.factor, "n_positive"]),
            "n_not_positive": fmt_int(positive.loc[r.factor, "n_not_positive"]),
        }
    return rows


def _ranked(table: pd.DataFrame) -> dict[str, list]:
    """``top.1`` is the largest d, ``bottom.1`` the smallest (Table 2's order, GTEI left out).

    Lists, not mappings with keys ``'1'``: Quarto reads a numeric part of a variable path
    as a 1-based list index (QUARTO-SUBSET.md section 9), so only a list resolves there.
    """
    factors = table[(table["factor"] != GTEI) & table["d"].notna()]

    def numbered(rows: pd.DataFrame) -> list[dict[str, str]]:
        return [{"label": r.label, "d": fmt_number(r.d)} for r in rows.itertuples()]

    return {"top": numbered(factors.head(TOP)), "bottom": numbered(factors.iloc[::-1].head(BOTTOM))}


def least_change_sentences(bottom: Sequence[tuple[str, float]]) -> dict[str, str]:
    """The smallest effects, said as no change worth naming when d is below a small effect.

    A d of −0,06 is no "minst endring" but no change to speak of; ``bottom_d`` names each d
    (appendix D), ``bottom_short`` only the factors (chapter 1). Compared as printed.
    """
    small = dict(EFFECT_BANDS)["small"]
    none = [(label, d) for label, d in bottom if abs(round(d, 2)) < small]
    least = [(label, d) for label, d in bottom if abs(round(d, 2)) >= small]

    def named(rows: Sequence[tuple[str, float]], with_d: bool) -> str:
        parts = [f"«{label}»" + (f" (d = {fmt_number(d)})" if with_d else "") for label, d in rows]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]

    def sentence(with_d: bool) -> str:
        said = []
        if least:
            said.append(f"minst endret seg {named(least, with_d)}")
        if none:
            said.append(f"på {named(none, with_d)} var det ingen endring av betydning")
        text = ", og ".join(said)
        return text[0].upper() + text[1:]

    return {"bottom_d": sentence(True) + ".", "bottom_short": sentence(False)}


def _bottom(table: pd.DataFrame) -> list[tuple[str, float]]:
    """The ``BOTTOM`` smallest d's (label, d), smallest first, as ``_ranked`` orders them."""
    factors = table[(table["factor"] != GTEI) & table["d"].notna()]
    return [(r.label, float(r.d)) for r in factors.iloc[::-1].head(BOTTOM).itertuples()]


def d_pair_phrase(first: tuple[str, str], second: tuple[str, str]) -> str:
    """Two factors' (label, formatted d) as one sentence; equal values are said once.

    ``«A» og «B» hadde begge … d = 0,69`` reads as prose where ``«A» d = 0,69, og «B» d =
    0,69`` reads as a template. Equal means equal as printed.
    """
    (a, d_a), (b, d_b) = first, second
    if d_a == d_b:
        return f"Effect-faktorene «{a}» og «{b}» hadde begge en effektstørrelse på d = {d_a}."
    return f"Effect-faktoren «{a}» hadde en effektstørrelse på d = {d_a}, og «{b}» hadde d = {d_b}."


def _pairs(table: pd.DataFrame) -> dict[str, str]:
    rows = table.set_index("factor")
    return {
        name: d_pair_phrase(*((rows.at[k, "label"], fmt_number(rows.at[k, "d"])) for k in keys))
        for name, keys in D_PAIRS.items()
        if all(k in rows.index for k in keys)
    }


def holm_sentence(n_t: int, n_model_holm: int) -> str:
    """What is significant before Holm's adjustment (t-test) and after it (the model).

    Only the model's p-values are shown adjusted (Tabell D.3, ``p (Holm)``); the t-test's
    stars in Tabell D.2 are unadjusted, so the sentence claims no adjusted t-test count.
    Both counts are digits when either is ten or more (house style).
    """
    digits = max(n_t, n_model_holm) >= 10

    def words(n: int) -> str:
        return fmt_int(n) if digits else running_text(fmt_int(n))

    before = (
        "Uten justering er endringen ikke statistisk signifikant for noen av faktorene med "
        "den parede t-testen"
        if n_t == 0
        else f"Uten justering er endringen statistisk signifikant for {words(n_t)} av "
        "faktorene med den parede t-testen"
    )
    if n_model_holm == 0:
        after = "i modellen er ingen av endringene signifikante etter justeringen"
    else:
        after = f"i modellen er {words(n_model_holm)} signifikante etter justeringen"
    return f"{before}, og {after}."


def _effect(e: Mapping, table: pd.DataFrame, counts: pd.DataFrame) -> dict[str, object]:
    counts_keys = ["groups_ended", "paired_groups", "improved", "not_improved",
                   "reliable_positive", "reliable_negative", "n_large", "n_medium", "n_small",
                   "n_positive_d", "n_significant", "n_factors", "gtei_n"]  # fmt: skip
    two_decimals = ["gtei_t1", "gtei_t1_sd", "gtei_t2", "gtei_t2_sd", "gtei_diff", "gtei_d",
                    "gtei_ci_low", "gtei_ci_high", "gtei_t", "reliability"]  # fmt: skip
    return {
        **{k: fmt_int(e[k]) for k in counts_keys},
        **{k: fmt_number(e[k]) for k in two_decimals},
        "gtei_df": fmt_int(e["gtei_n"] - 1),
        "gtei_p": fmt_p(e["gtei_p"]),
        "factors": _factor_rows(table, counts, e["paired_groups"]),
        "pairs": _pairs(table),
        **_ranked(table),
        **least_change_sentences(_bottom(table)),
    }


def _correlation(c: Mapping) -> dict[str, str]:
    return {"r": fmt_number(c["r"]), "p": fmt_p(c["p"]), "n_factors": fmt_int(c["n_factors"])}


SELF_SELECTED = (
    "Gruppene valgte selv om de ville ta den tredje kartleggingen, så de er ikke "
    "nødvendigvis representative for alle gruppene, og tallene sier ikke hvordan det gikk "
    "med de andre."
)
"""The caveat every shown follow-up figure carries (issue 14, review point 10)."""


def followup_sentence(f: Mapping, confidence: float) -> str:
    """One sentence on the third wave: none, too few to show (and why), or the change with
    its interval and number of groups."""
    n = f["groups"]
    if n == 0:
        return (
            "Ingen ledergruppe i datagrunnlaget har svart på kartleggingen ett år etter avslutning."
        )
    who = "én ledergruppe" if n == 1 else f"{running_text(fmt_int(n))} ledergrupper"
    if not f["shown"]:
        return (
            f"I datagrunnlaget har {who} svart på kartleggingen ett år etter avslutning. Det er "
            f"for få til å si noe om utviklingen etter programmet, så vi viser ikke tallene før "
            f"minst {running_text(fmt_int(f['min_groups']))} grupper har svart."
        )
    complete = (
        ("Begge har" if n == 2 else f"Alle {running_text(fmt_int(n))} har")
        + " fullstendig GTEI; indeksen var"
        if f["gtei_groups"] == n
        else f"For de {running_text(fmt_int(f['gtei_groups']))} av dem med fullstendig GTEI "
        "var indeksen"
    )
    return (
        f"I datagrunnlaget har {who} svart på kartleggingen ett år etter avslutning. "
        f"{complete} {fmt_number(f['gtei_t2'])} ved avslutning og "
        f"{fmt_number(f['gtei_t3'])} ett år senere, "
        f"en endring på {fmt_number(f['gtei_diff_t3_t2'])} poeng "
        f"({fmt_pct(confidence * 100)} KI {fmt_number(f['ci_low'])} til "
        f"{fmt_number(f['ci_high'])}). {SELF_SELECTED}"
    )


def _followup(f: Mapping, confidence: float) -> dict[str, str]:
    return {
        "groups": fmt_int(f["groups"]),
        "min_groups": fmt_int(f["min_groups"]),
        **{
            k: fmt_number(f[k] if f["shown"] else None)
            for k in ("gtei_t1", "gtei_t2", "gtei_t3", "gtei_diff_t3_t2", "ci_low", "ci_high")
        },
        "sentence": followup_sentence(f, confidence),
    }


def _model(m: Mapping, s: Mapping, model: pd.DataFrame) -> dict[str, object]:
    """``model.*``: the respondent-level mixed model (effect_model.csv); ``s`` is ``effect``."""
    return {
        **{f"gtei_{k}": fmt_number(m[f"gtei_{k}"]) for k in ("estimate", "ci_low", "ci_high")},
        "gtei_p": fmt_p(m["gtei_p"]),
        "holm_sentence": holm_sentence(s["n_significant"], m["n_significant_holm"]),
        **{k: fmt_int(m[k]) for k in ("n_factors", "n_random_slope", "n_fallback", "n_significant",
                                        "n_significant_holm", "n_significant_t_holm")},
        "factors": {
            r.factor: {
                "estimate": fmt_number(r.estimate),
                "ci_low": fmt_number(r.ci_low),
                "ci_high": fmt_number(r.ci_high),
                "p_holm": fmt_p(r.p_holm),
            }
            for r in model[model["factor"] != GTEI].itertuples()
        },
    }  # fmt: skip


def _clear(e: Mapping) -> dict[str, str]:
    """``clear.*``: groups whose GTEI change lies beyond ±z·se_change, and the effect sizes."""
    return {
        "positive": fmt_int(e["clear_positive"]),
        "negative": fmt_int(e["clear_negative"]),
        "none": fmt_int(e["clear_none"]),
        "median_se": fmt_number(e["median_se_change"]),
        "gtei_d_z": fmt_number(e["gtei_d_z"]),
        "gtei_d_individual": fmt_number(e["gtei_d_individual"]),
    }


def _devarea(d: Mapping, c: Mapping) -> dict[str, str]:
    """``devarea.*``: the within-group comparison and the bootstrap interval of 2019's r."""
    return {
        **{k: fmt_number(d[k]) for k in ("estimate", "ci_low", "ci_high")},
        "p": fmt_p(d["p"]),
        "n_groups": fmt_int(d["n_groups"]),
        "corr_ci_low": fmt_number(c["boot_ci_low"]),
        "corr_ci_high": fmt_number(c["boot_ci_high"]),
        "corr_resamples": fmt_int(c["boot_resamples"]),
    }


def _params(p: Mapping) -> dict[str, str]:
    return {
        "min_respondents": fmt_int(p["min_respondents"]),
        "positive_threshold": fmt_plain(p["positive_threshold"]),
        "confidence": fmt_pct(p["confidence"] * 100),
        "reliability": fmt_number(p["reliability"]),
        "clear_change_z": fmt_number(p["clear_change_z"]),
    }


def _method() -> dict[str, str]:
    """The method's fixed conventions, so the prose states the cut-offs the code applies."""
    lower = dict(EFFECT_BANDS)
    return {
        "d_large": fmt_number(lower["large"]),
        "d_medium": fmt_number(lower["medium"]),
        "d_medium_max": fmt_number(lower["large"] - 0.01),
        "d_small": fmt_number(lower["small"]),
        "d_small_max": fmt_number(lower["medium"] - 0.01),
        "reliable_z": fmt_number(RELIABLE_Z),
        "alpha": fmt_number(SIGNIFICANCE),
    }


def _programme_value(value: object) -> object:
    if isinstance(value, Mapping):
        nested = {str(k): _programme_value(v) for k, v in value.items()}
        if set(nested) == {"min", "max"}:
            nested["range"] = f"{nested['min']}–{nested['max']}"
        return nested
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, int):
        return fmt_int(value)
    if isinstance(value, float):
        return fmt_plain(value)
    if isinstance(value, list):
        return ", ".join(str(_programme_value(v)) for v in value)
    return str(value)


def programme_variables(doc: Mapping) -> dict[str, object]:
    """``programme.*``: programme.yaml's ``design`` values as strings.

    A ``{min, max}`` mapping also gets ``range`` (``25–45``) for prose that names the span.
    """
    return {str(k): _programme_value(v) for k, v in doc.items()}


def build_variables(
    summary: Mapping,
    effect_table: pd.DataFrame,
    change_counts: pd.DataFrame,
    items: pd.DataFrame,
    programme: Mapping | None = None,
    model: pd.DataFrame | None = None,
    participants: pd.DataFrame | None = None,
    published: Mapping | None = None,
) -> dict[str, object]:
    """The nested mapping written to ``_variables.yml`` (dotted keys = nesting).

    ``participants`` adds ``facts.not_given``; ``published`` (published.yaml) adds
    ``publisert.*``, what appendix C says about the printed 2019 figures.
    """
    variables = {
        "edition": _edition(summary),
        "data": _data(summary),
        "facts": _facts(summary["facts"]),
        "eval": _evaluation(summary["evaluation"], items),
        "effect": _effect(summary["effect"], effect_table, change_counts),
        "corr": _correlation(summary["correlation"]),
        "followup": _followup(summary["followup"], summary["parameters"]["confidence"]),
        "params": _params(summary["parameters"]),
        "method": _method(),
    }
    if model is not None:
        variables["model"] = _model(summary["model"], summary["effect"], model)
        variables["clear"] = _clear(summary["effect"])
        variables["devarea"] = _devarea(summary["devarea"], summary["correlation"])
    if programme:
        variables["programme"] = programme_variables(programme)
    if participants is not None:
        variables["facts"]["not_given"] = fmt_int(not_given_count(participants))
        variables["facts"]["period"] = programme_period(participants)
        per_year = (programme or {}).get("cohorts_per_year")
        variables["facts"]["intake_note"] = intake_note(participants, per_year)
    if published is not None:
        variables["publisert"] = published_variables(published, summary, effect_table)
    return with_word_forms(variables)


def variables_yaml(variables: Mapping) -> str:
    """Deterministic YAML: sorted keys, real UTF-8 (``ø``, NBSP, ``−``), no line wrapping."""
    return yaml.safe_dump(
        variables, allow_unicode=True, sort_keys=True, default_flow_style=False, width=10_000
    )
