"""The profile's Norwegian (bokmål) words: summary, strengths and gaps, discussion questions.

Every number in the text comes from the Profile and is formatted by
``pipeline.format.numbers``, so the profile and the report write a value the same way;
whole numbers below ten are written as words (Språkrådet), as in the report.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from pipeline.format.numbers import MINUS, fmt_date, fmt_number
from pipeline.profiles.data import GTEI, Profile
from pipeline.stats.params import CLEAR_CHANGE_Z

WAVE_NAMES = {1: "oppstart", 2: "avslutning", 3: "ett år etter"}
COLUMN_NAMES = {1: "Start", 2: "Slutt", 3: "Ett år etter"}
NUMBER_WORDS = ("null", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni")
Z = CLEAR_CHANGE_Z


def count_word(n: int) -> str:
    """``3`` → ``tre``; ten and above stay numerals."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else str(n)


def amount_word(n: int) -> str:
    """As ``count_word``, but ``0`` → ``ingen`` ("ingen er tydelige tilbakeganger")."""
    return "ingen" if n == 0 else count_word(n)


def signed(value: float) -> str:
    """A change with its sign (``+0,43``, ``−0,12``)."""
    text = fmt_number(value)
    return text if text.startswith(MINUS) or float(value) == 0 else f"+{text}"


def join_words(items: list[str]) -> str:
    """``a, b og c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} og {items[-1]}"


def quoted(label: str) -> str:
    return f"«{label}»"


def _row(profile: Profile, factor: str) -> dict[str, Any]:
    return profile.rows[factor]


def _label(profile: Profile, factor: str) -> str:
    return str(_row(profile, factor)["label"])


def title(profile: Profile) -> str:
    return f"Effect-profil for ledergruppen i {profile.organisation}"


def subtitle(profile: Profile) -> str:
    return f"Kull {profile.kull} · datagrunnlag per {fmt_date(profile.as_of)}"


def respondents_sentence(profile: Profile) -> str:
    """Who answered, wave by wave; a wave below the threshold is named as withheld."""
    parts = []
    for wave in (1, 2, 3):
        n = profile.respondents[wave]
        if n == 0:
            continue
        answers = f"{count_word(n)} svar ved {WAVE_NAMES[wave]}"
        if n < profile.min_respondents:
            answers += " (for få til å vises)"
        parts.append(answers)
    return f"Profilen bygger på {join_words(parts)}."


def summary(profile: Profile) -> list[str]:
    """The opening paragraphs: what the profile shows and the group's overall index."""
    gtei = _row(profile, GTEI)
    n_programme = int(gtei["prog_n1"])
    paragraphs = [
        f"Profilen viser hvordan ledergruppen vurderte seg selv i Effect-kartleggingen: "
        f"gruppens gjennomsnitt for hver av de 26 faktorene på en skala fra 1 til 7, "
        f"sammenlignet med gjennomsnittet og spredningen blant de {count_word(n_programme)} "
        f"ledergruppene i programmet som hadde svart ved oppstart per {fmt_date(profile.as_of)}. "
        + respondents_sentence(profile),
    ]
    if not profile.has_wave[1]:
        paragraphs.append(
            f"Gruppen har færre enn {count_word(profile.min_respondents)} svar ved oppstart, "
            "så gruppens tall vises ikke; profilen viser bare programmets tall."
        )
        return paragraphs
    index = f"Samlet indeks (GTEI) var {fmt_number(gtei['mean1'])} ved oppstart"
    if profile.has_change:
        index += (
            f" og {fmt_number(gtei['mean2'])} ved avslutning, en endring på "
            f"{signed(gtei['change'])}. {change_verdict(gtei)}"
        )
    else:
        why = (
            "For få svarte ved avslutning til at tallene kan vises"
            if profile.respondents[2] > 0
            else "Gruppen har ennå ikke svart ved avslutning"
        )
        index += (
            f", mot {fmt_number(gtei['prog_mean1'])} i programmet. {why}, så profilen har "
            "ingen endringsdel."
        )
    paragraphs.append(index)
    if profile.has_wave[3]:
        paragraphs.append(f"Ett år etter avslutning var samlet indeks {fmt_number(gtei['mean3'])}.")
    return paragraphs


def change_verdict(row: Mapping[str, Any]) -> str:
    """Whether a change is clear against the group's own uncertainty (``se_change``)."""
    se = row["se_change"]
    if not np.isfinite(se):
        return "Usikkerheten kan ikke anslås fordi for få svarte på begge tidspunkter."
    margin = f"usikkerheten i gruppens egne svar (± {fmt_number(Z * se)})"
    if row["clear_change"] > 0:
        return f"Det er en tydelig forbedring: større enn {margin}."
    if row["clear_change"] < 0:
        return f"Det er en tydelig tilbakegang: større enn {margin}."
    return f"Endringen ligger innenfor {margin}."


def _against_programme(profile: Profile, factor: str) -> float:
    """The group's score minus the programme's, in the wave strengths and gaps are taken from."""
    wave = 2 if profile.has_change else 1
    row = _row(profile, factor)
    return float(row[f"mean{wave}"] - row[f"prog_mean{wave}"])


def strengths_text(profile: Profile) -> tuple[list[str], list[str]]:
    """Lines for the strengths and gaps lists: factor, group score and programme score."""
    wave = 2 if profile.has_change else 1

    def line(factor: str) -> str:
        row = _row(profile, factor)
        diff = row[f"mean{wave}"] - row[f"prog_mean{wave}"]
        return (
            f"{row['label']}: {fmt_number(row[f'mean{wave}'])} mot "
            f"{fmt_number(row[f'prog_mean{wave}'])} i programmet ({signed(diff)})"
        )

    return [line(f) for f in profile.strengths], [line(f) for f in profile.gaps]


def change_summary(profile: Profile) -> list[str]:
    """The change section's text; empty for a group without wave 2."""
    if not profile.has_change:
        return []
    rows = profile.factors.loc[profile.factors["factor"] != GTEI]
    shown = rows.loc[rows["change"].notna()]
    up = shown.loc[shown["clear_change"] > 0, "label"].tolist()
    down = shown.loc[shown["clear_change"] < 0, "label"].tolist()
    text = [
        f"Gruppen endret seg på {count_word(len(shown))} av 26 faktorer med nok svar begge ganger. "
        f"{amount_word(len(up)).capitalize()} av endringene er tydelige forbedringer"
        + (f" ({join_words([quoted(x) for x in up])})" if 0 < len(up) <= 6 else "")
        + f", og {amount_word(len(down))} er tydelige tilbakeganger"
        + (f" ({join_words([quoted(x) for x in down])})" if 0 < len(down) <= 6 else "")
        + ". En endring er tydelig når den er større enn 1,96 standardfeil beregnet fra "
        "spredningen og antallet i gruppens egne svar."
    ]
    areas = shown.loc[shown["dev_area"]]
    if len(areas):
        parts = [f"{quoted(r.label)} {signed(r.change)}" for r in areas.itertuples()]
        text.append(f"Utviklingsområdene dere valgte endret seg slik: {join_words(parts)}.")
    return text


def questions(profile: Profile) -> list[str]:
    """Questions for the group's own discussion, anchored in its own strengths and gaps."""
    out = []
    if profile.strengths:
        best = profile.strengths[0]
        where = (
            "Dere ligger lengst over programmets snitt på"
            if _against_programme(profile, best) > 0
            else "Nærmest programmets snitt ligger dere på"
        )
        out.append(
            f"{where} {quoted(_label(profile, best))}. "
            "Hva gjør dere der som dere kan ta med inn i andre deler av arbeidet?"
        )
    if profile.gaps:
        worst = profile.gaps[0]
        where = (
            "ligger lengst under programmets snitt"
            if _against_programme(profile, worst) < 0
            else "er der dere ligger lavest mot programmet, selv om dere er over snittet"
        )
        out.append(
            f"{quoted(_label(profile, worst))} {where}. "
            "Kjenner dere dere igjen i det, og hva ville vært et første skritt?"
        )
    areas = profile.factors.loc[profile.factors["dev_area"], "label"].tolist()
    if profile.has_change and areas:
        out.append(
            f"Dere valgte {join_words([quoted(a) for a in areas])} som utviklingsområder. "
            "Hva har endret seg i måten dere jobber på der, og hva vil dere holde fast ved?"
        )
    else:
        out.append(
            "Hvilke tre eller fire utviklingsområder vil dere velge ut fra profilen, og hvordan "
            "vil dere merke at dere har kommet videre?"
        )
    out.append(
        "Hvor spriker vurderingene mest mellom dere i gruppen, og hvordan kan dere snakke om det?"
    )
    return out


def figure_alt(profile: Profile) -> str:
    """Alt text for the factor figure: what a sighted reader takes from it."""
    wave = 2 if profile.has_change else 1
    rows = profile.factors.loc[profile.factors["factor"] != GTEI].dropna(subset=[f"mean{wave}"])
    if rows.empty:
        return "Prikkdiagram over de 26 faktorene; gruppens tall vises ikke fordi for få svarte."
    top = rows.loc[rows[f"mean{wave}"].idxmax()]
    low = rows.loc[rows[f"mean{wave}"].idxmin()]
    text = (
        f"Prikkdiagram over de 26 faktorene med gruppens gjennomsnitt ved "
        f"{WAVE_NAMES[1]}{' og ' + WAVE_NAMES[2] if profile.has_change else ''} mot programmets "
        f"snitt og spredning. Ved {WAVE_NAMES[wave]} er {quoted(top['label'])} høyest med "
        f"{fmt_number(top[f'mean{wave}'])} og {quoted(low['label'])} lavest med "
        f"{fmt_number(low[f'mean{wave}'])}."
    )
    if profile.has_change and rows["change"].notna().any():
        big = rows.loc[rows["change"].abs().idxmax()]
        text += f" Størst endring har {quoted(big['label'])} med {signed(big['change'])}."
    return text
