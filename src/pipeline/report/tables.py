"""The report's tables as pipe tables with Norwegian headers and a ``: caption {#tbl-…}`` line.

Pipe tables and caption lines are the table syntax both renderers share (QUARTO-SUBSET.md).
Cells are escaped so that a ``|`` or a significance star is text, never markup.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from pipeline.data.codebook import Codebook
from pipeline.data.synth.cohorts import NOT_GIVEN
from pipeline.format.numbers import MISSING, fmt_date, fmt_int, fmt_number, fmt_pct, fmt_plain
from pipeline.stats.effect import GTEI

STARS = ((0.001, "***"), (0.01, "**"), (0.05, "*"))
"""Significance marks of the 2019 report's Table 2."""

SHA_PREFIX = 12
"""Hex digits of a SHA-256 shown in the input table; the full hash is in validation.json."""

ORG_TYPES = {"departement": "Departement", "direktorat": "Direktorat"}


def escape(text: str) -> str:
    """Makes a cell literal text: ``|`` would end the cell, ``*`` start emphasis."""
    return str(text).replace("\\", "\\\\").replace("|", "\\|").replace("*", "\\*")


def pipe_table(header: Sequence[str], rows: Sequence[Sequence[str]], align: str) -> str:
    """A pipe table; ``align`` has one letter per column, ``l`` or ``r``."""
    rules = {"l": ":---", "r": "---:"}
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(rules[a] for a in align) + "|",
        *("| " + " | ".join(row) + " |" for row in rows),
    ]
    return "\n".join(lines)


def captioned(table: str, caption: str, table_id: str) -> str:
    """The table, a blank line and the caption line Quarto attaches to it."""
    return f"{table}\n\n: {caption} {{#{table_id}}}\n"


def stars(p: float) -> str:
    """``***``, ``**``, ``*`` or nothing, escaped for markdown."""
    for level, mark in STARS:
        if p < level:
            return escape(mark)
    return ""


def _m_sd(mean: float, sd: float) -> str:
    return f"{fmt_number(mean)} ({fmt_number(sd)})"


def _interval(low: float, high: float) -> str:
    if pd.isna(low) or pd.isna(high):
        return MISSING
    return f"[{fmt_number(low)}; {fmt_number(high)}]"


def _t_cell(t: float, p: float) -> str:
    return MISSING if pd.isna(t) else fmt_number(t) + stars(p)


def _star_legend() -> str:
    return ", ".join(f"{escape(mark)} p < {fmt_plain(level)}" for level, mark in STARS)


def tabell2(table: pd.DataFrame, confidence: float, paired_groups: int) -> str:
    """Tabell 2: Table 2's rows in their order (by d, GTEI last), stars on t."""
    level = fmt_pct(confidence * 100)
    header = [
        "Faktor",
        "T1 M (SD)",
        "T2 M (SD)",
        "Diff.",
        f"{level} KI",
        "t",
        "d",
        "Antall grupper",
    ]
    rows = [
        [
            escape(r.label),
            _m_sd(r.t1_mean, r.t1_sd),
            _m_sd(r.t2_mean, r.t2_sd),
            fmt_number(r.diff),
            _interval(r.ci_low, r.ci_high),
            _t_cell(r.t, r.p),
            fmt_number(r.d),
            "" if r.factor == GTEI else fmt_int(r.n_dev_area),
        ]
        for r in table.itertuples()
    ]
    fewer = table[table["n_groups"] < paired_groups]
    note = "".join(
        f" {escape(r.label)} bygger på {fmt_int(r.n_groups)} grupper med svar på faktoren."
        for r in fewer.itertuples()
    )
    caption = (
        "Gjennomsnitt (M) og standardavvik (SD) ved oppstart (T1) og avslutning (T2), "
        f"differanse (Diff.), {level} konfidensintervall for differansen (KI), "
        "t-verdi for paret t-test, effektstørrelse (Cohens d) og antall grupper som valgte "
        f"faktoren som utviklingsområde (N = {fmt_int(paired_groups)} ledergrupper). "
        f"Sortert etter d.{note} {_star_legend()}."
    )
    return captioned(pipe_table(header, rows, "lrrrrrrr"), caption, "tbl-effect")


def tabell1(counts: pd.DataFrame, threshold: float, paired_groups: int) -> str:
    """Tabell 1: groups with a change of at least +threshold per factor, and the rest."""
    step = fmt_plain(threshold)
    header = ["Faktor", f"Positiv endring (≥ +{step})", f"Under +{step}"]
    rows = [
        [escape(r.label), fmt_int(r.n_positive), fmt_int(r.n_not_positive)]
        for r in counts.itertuples()
    ]
    caption = (
        f"Antall ledergrupper med positiv utvikling (minst +{step} i endring) fra "
        f"oppstart til avslutning, og antall som har endret seg mindre enn +{step} eller "
        f"gått ned, per faktor (N = {fmt_int(paired_groups)} ledergrupper)."
    )
    return captioned(pipe_table(header, rows, "lrr"), caption, "tbl-endring-antall")


def evaluering(items: pd.DataFrame, codebook: Codebook, evaluation: dict) -> str:
    """Every evaluation statement under its section: number answering and share positive."""
    rows = []
    for section in codebook.sections:
        in_section = items[items["section"] == section.key]
        if in_section.empty:
            continue
        rows.append([f"**{escape(section.title)}**", "", ""])
        rows += [
            [escape(r.text), fmt_int(r.n_answered), fmt_pct(r.pct_positive)]
            for r in in_section.itertuples()
        ]
    positive = " eller ".join(f"«{p}»" for p in codebook.positive_labels)
    excluded = " og ".join(f"«{e}»" for e in codebook.excluded_labels) or "ingen"
    caption = (
        f"Andel som svarte {positive} på hver påstand i sluttevalueringen, blant dem som tok "
        f"stilling (svarene {excluded} og blanke svar er holdt utenfor). "
        f"{fmt_int(evaluation['respondents'])} svar fra {fmt_int(evaluation['groups'])} "
        "ledergrupper."
    )
    return captioned(
        pipe_table(["Påstand", "Antall svar", "Andel positive"], rows, "lrr"),
        caption,
        "tbl-evaluering",
    )


def _period(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if pd.isna(end):
        return f"{start.year}–"
    return str(start.year) if start.year == end.year else f"{start.year}–{end.year}"


PILOT_KULL = 0
"""The programme's pilot cohort (2015-2016) is numbered 0; the ordinary ones start at 1."""


def kull_note(kull: Sequence[int], selected: Sequence[int] | None = None) -> str:
    """The table note on the cohort numbers: the pilot, and numbers the programme skipped.

    The data only show that a number is missing (the programme's own numbering has no kull
    8); the note says so without inventing a reason. A number left out by the edition's
    cohort selection (``selected``; None = all) is not missing from the programme.
    """
    present = sorted(set(kull))
    if not present:
        return ""
    note = " Kull 0 var pilotkullet." if PILOT_KULL in present else ""
    skipped = sorted(set(range(present[0], present[-1] + 1)) - set(present))
    if selected is not None:
        skipped = [k for k in skipped if k in set(selected)]
    if skipped:
        names = ", ".join(str(k) for k in skipped[:-1])
        numbers = f"{names} og {skipped[-1]}" if names else str(skipped[-1])
        note += (
            f" Numrene følger programmets egen nummerering, som ikke har noe kull {numbers}."
            if len(skipped) == 1
            else f" Numrene følger programmets egen nummerering, som ikke har kull {numbers}."
        )
    return note


def deltakere(
    participants: pd.DataFrame, as_of: dt.date, cohorts: Sequence[int] | None = None
) -> str:
    """The participating organisations by cohort; a running group's period is open (``2019–``).

    ``cohorts`` is the edition's cohort selection (None = all), for the note on numbering.
    """
    rows = [
        [
            str(int(r.kull)),
            f"*({NOT_GIVEN})*" if r.organisation == NOT_GIVEN else escape(r.organisation),
            ORG_TYPES.get(r.org_type, escape(r.org_type)),
            _period(r.start_date, r.end_date),
        ]
        for r in participants.itertuples()
    ]
    running = participants["end_date"].isna().any()
    who = (
        f"Ledergrupper som hadde startet i programmet per {fmt_date(as_of)}"
        if running
        else "Ledergrupper som deltok i programmet "
        f"({_period(participants['start_date'].min(), participants['end_date'].max())})"
    )
    caption = (
        f"{who}, etter kull ({fmt_int(len(participants))} ledergrupper)."
        + (" Periode uten sluttår: gruppen var fortsatt i programmet." if running else "")
        + (
            f" Der virksomheten er «({NOT_GIVEN})», står navnet ikke i datagrunnlaget."
            if (participants["organisation"] == NOT_GIVEN).any()
            else ""
        )
        + kull_note([int(k) for k in participants["kull"]], cohorts)
        + " Virksomhetene står med det navnet de hadde da de deltok, og typen «Direktorat» "
        "omfatter også andre underliggende virksomheter."
    )
    return captioned(
        pipe_table(["Kull", "Virksomhet", "Type", "Periode"], rows, "rlll"),
        caption,
        "tbl-deltakere",
    )


def inndata(validation: dict) -> str:
    """The input files of the run with rows read and the start of their SHA-256."""
    files = sorted(validation.get("files", []), key=lambda f: f["path"])
    rows = [[f"`{f['path']}`", fmt_int(f["rows"]), f"`{f['sha256'][:SHA_PREFIX]}`"] for f in files]
    caption = (
        "Inndatafiler med antall rader og de første "
        f"{SHA_PREFIX} tegnene av SHA-256-kontrollsummen (hele summen står i validation.json)."
    )
    return captioned(pipe_table(["Fil", "Rader", "SHA-256"], rows, "lrl"), caption, "tbl-inndata")


def modelltabell(model: pd.DataFrame, table2: pd.DataFrame, confidence: float) -> str:
    """The respondent-level results beside the 2019-comparable d (Tabell D.3 in appendix D).

    Rows in Table 2's order (largest 2019 d first, GTEI last), so the two tables read alike.
    """
    level = fmt_pct(confidence * 100)
    by_factor = model.set_index("factor")
    header = ["Faktor", "Endring (modell)", f"{level} KI", "p (Holm)", "d", "d~z~", "d ind."]
    rows = []
    for r in table2.itertuples():
        m = by_factor.loc[r.factor]
        p_holm = "" if r.factor == GTEI else fmt_p_cell(m["p_holm"])
        rows.append(
            [
                escape(r.label) + ("" if bool(m["random_slope"]) else escape("¹")),
                fmt_number(m["estimate"]),
                _interval(m["ci_low"], m["ci_high"]),
                p_holm,
                fmt_number(r.d),
                fmt_number(r.d_z),
                fmt_number(r.d_individual),
            ]
        )
    caption = (
        "Endring fra oppstart til avslutning beregnet fra enkeltsvarene med en lineær "
        f"blandet modell, med {level} konfidensintervall (KI) og p-verdi justert for "
        "at faktorene testes samtidig (Holm). Til sammenligning tre effektstørrelser: "
        "d som i 2019 (standardavvik mellom gruppenes gjennomsnitt), d~z~ (delt på "
        "standardavviket i gruppenes endring) og d ind. (delt på standardavviket mellom "
        "enkeltpersoners svar). ¹ Modellen uten tilfeldig endring per gruppe."
    )
    return captioned(pipe_table(header, rows, "lrrrrrr"), caption, "tbl-modell")


def fmt_p_cell(p: float) -> str:
    """A p-value for a table cell: ``< 0,001`` or three decimals, ``–`` when missing."""
    if pd.isna(p):
        return MISSING
    return "< 0,001" if p < 0.001 else fmt_number(p, 3)
