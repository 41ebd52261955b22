"""The Effect figures: before/after per factor (Figur 3), Tabell 1 as bars, the groups'
GTEI changes with their own intervals (Figur D.1), and development areas against effect size.

Each figure states its own reading aids (cut axes, bands, the fitted line) in the
caption, because a printed figure is often read without the surrounding text.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, MaxNLocator

from pipeline.data.codebook import CATEGORIES, Codebook
from pipeline.figures.contract import Built
from pipeline.figures.inputs import GTEI, FigureInputError
from pipeline.figures.layout import dodge, draw_heading, note, place_labels, row_groups
from pipeline.figures.style import (
    BLUE,
    GREY,
    ORANGE,
    SMALL_FONT_SIZE,
    TEXT,
    WAVE_MARKERS,
    decimal_axis,
    decimal_comma,
    format_number,
    format_signed,
    new_figure,
    quote,
)
from pipeline.stats.effect import EFFECT_BANDS, RELIABLE_Z

BAND_NAMES = {"small": "liten", "medium": "middels", "large": "stor"}
COHEN_BANDS = tuple(sorted((lower, BAND_NAMES[name]) for name, lower in EFFECT_BANDS))
"""The statistics stage's effect-size bands, lowest first, with their Norwegian names."""
ROW_CM = 0.43
ROUND_STEPS = [1, 2, 5, 10]
"""Tick steps for counts: 5, 10, 20 rather than matplotlib's 8, 16, 24."""
CHANGE_COLUMN_PT = 34
"""Right edge of Figur 3's change column, in points right of the plot: the signs line up."""
GTEI_LABEL = "Samlet indeks (GTEI)"


def axis_range(values: np.ndarray, step: float = 0.5, pad: float = 0.15) -> tuple[float, float]:
    """A cut axis on whole steps around the data, so the cut is easy to state and read."""
    low = math.floor((float(np.nanmin(values)) - pad) / step) * step
    high = math.ceil((float(np.nanmax(values)) + pad) / step) * step
    return low, high


def _dumbbell(ax: Axes, y: float, t1: float, t2: float) -> None:
    ax.plot([t1, t2], [y, y], color=GREY, linewidth=1.3, zorder=2, solid_capstyle="round")
    ax.plot(t1, y, linestyle="none", zorder=3, **WAVE_MARKERS[1])
    ax.plot(t2, y, linestyle="none", zorder=3, **WAVE_MARKERS[2])


def _wave_legend(ax: Axes, codebook: Codebook) -> None:
    handles = [
        Line2D([], [], linestyle="none", label=codebook.waves[wave], **style)
        for wave, style in WAVE_MARKERS.items()
    ]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.0),
        ncol=2,
        handletextpad=0.2,
        columnspacing=1.2,
        borderaxespad=0.2,
    )


def effect_rows(factors: pd.DataFrame) -> list[pd.DataFrame]:
    """Factors per category in the model's order, largest change first within each."""
    return [
        factors[factors["category"] == category].sort_values(
            ["diff", "label"], ascending=[False, True]
        )
        for category in CATEGORIES
    ]


def effect_figure(factors: pd.DataFrame, gtei: pd.Series, codebook: Codebook) -> Built:
    """Draws Figur 3: each factor's mean at start and end, with the change written beside it."""
    groups = [*effect_rows(factors), gtei.to_frame().T]
    headings = [*CATEGORIES, "Samlet"]
    layout = row_groups([len(g) for g in groups], [1.0] * len(groups), gap=0.4)
    fig, ax = new_figure(ROW_CM * (layout.bottom + 1) + 2.2)
    labels, positions = [], []
    for frame, rows, heading, heading_y in zip(
        groups, layout.rows, headings, layout.headings, strict=True
    ):
        draw_heading(ax, heading_y, heading)
        for y, row in zip(rows, frame.itertuples(index=False), strict=True):
            _dumbbell(ax, y, float(row.t1_mean), float(row.t2_mean))
            note(
                ax,
                format_signed(float(row.diff)),
                (1, y),
                (CHANGE_COLUMN_PT, 0),
                "right",
                ("axes fraction", "data"),
            )
            labels.append(GTEI_LABEL if row.factor == GTEI else str(row.label))
            positions.append(y)
    note(
        ax,
        "Endring",
        (1, 1),
        (CHANGE_COLUMN_PT, 4),
        "right",
        "axes fraction",
        va="bottom",
        fontweight="bold",
    )
    means = np.concatenate([factors["t1_mean"], factors["t2_mean"], [gtei.t1_mean, gtei.t2_mean]])
    low, high = axis_range(means.astype(float))
    ax.set_xlim(low, high)
    ax.set_xticks(np.arange(low, high + 0.01, 0.5))
    ax.xaxis.set_major_formatter(decimal_comma(1))
    ax.grid(axis="x")
    ax.set_yticks(positions)
    ax.set_yticklabels(labels)
    ax.set_ylim(layout.bottom + 0.7, -0.7)
    ax.spines["left"].set_visible(False)
    scale = f"{format_number(codebook.score_min, 0)}–{format_number(codebook.score_max, 0)}"
    ax.set_xlabel(
        f"Gjennomsnitt på skalaen {scale} (aksen er kuttet og viser "
        f"{format_number(low, 1)}–{format_number(high, 1)})"
    )
    _wave_legend(ax, codebook)
    return Built(
        "effect_for_etter",
        fig,
        effect_caption(factors, codebook, (low, high)),
        effect_alt(factors, gtei, codebook),
    )


def effect_caption(factors: pd.DataFrame, codebook: Codebook, cut: tuple[float, float]) -> str:
    n_groups = int(factors["n_groups"].max())
    return (
        f"Gjennomsnittlig skår per Effect-faktor {codebook.waves[1].lower()} og "
        f"{codebook.waves[2].lower()} for de {n_groups} ledergruppene som svarte begge gangene, "
        f"gruppert i forutsetninger, prosesser og resultater og sortert etter endring. Nederst "
        f"samlet indeks (GTEI). Skalaen går fra {format_number(codebook.score_min, 0)} til "
        f"{format_number(codebook.score_max, 0)}; aksen viser bare "
        f"{format_number(cut[0], 1)}–{format_number(cut[1], 1)}."
    )


def effect_alt(factors: pd.DataFrame, gtei: pd.Series, codebook: Codebook) -> str:
    top = factors.loc[factors["diff"].idxmax()]
    low = factors.loc[factors["diff"].idxmin()]
    risen = int((factors["diff"] > 0).sum())
    if top["diff"] > 0:
        most = (
            f"Størst økning hadde {quote(top['label'])}, fra {format_number(top['t1_mean'])} "
            f"til {format_number(top['t2_mean'])} ({format_signed(top['diff'])})"
        )
    else:
        most = f"Ingen faktor økte; minst nedgang hadde {quote(top['label'])}"
    return (
        f"Prikkdiagram med gjennomsnittet {codebook.waves[1].lower()} og "
        f"{codebook.waves[2].lower()} for {len(factors)} Effect-faktorer og samlet indeks. "
        f"{risen} av {len(factors)} faktorer fikk høyere gjennomsnitt. {most}; svakest "
        f"utvikling hadde {quote(low['label'])} ({format_signed(low['diff'])}). Samlet indeks "
        f"(GTEI) gikk fra {format_number(gtei['t1_mean'])} til {format_number(gtei['t2_mean'])}."
    )


def change_counts_figure(counts: pd.DataFrame, threshold: float) -> Built:
    """Draws Tabell 1 as diverging bars: groups that improved to the right, the rest left."""
    rows = counts.sort_values(["n_positive", "label"], ascending=[False, True])
    total = int((rows["n_positive"] + rows["n_not_positive"]).max())
    fig, ax = new_figure(ROW_CM * len(rows) + 2.6)
    y = np.arange(len(rows))
    ax.barh(y, rows["n_positive"], height=0.66, color=BLUE)
    ax.barh(y, -rows["n_not_positive"], height=0.66, color=ORANGE)
    for pos, up, down in zip(y, rows["n_positive"], rows["n_not_positive"], strict=True):
        note(ax, str(up), (up, pos), (3, 0), "left", fontsize=SMALL_FONT_SIZE)
        note(ax, str(down), (-down, pos), (-3, 0), "right", fontsize=SMALL_FONT_SIZE)
    ax.axvline(0, color=TEXT, linewidth=0.8)
    pad = max(2.0, total / 10)
    ax.set_xlim(-(int(rows["n_not_positive"].max()) + pad), total + pad)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=8, steps=ROUND_STEPS, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{abs(value):.0f}"))
    ax.grid(axis="x")
    ax.set_yticks(y)
    ax.set_yticklabels(rows["label"])
    ax.set_ylim(len(rows) - 0.4, -0.6)
    ax.spines["left"].set_visible(False)
    ax.set_xlabel(f"Antall ledergrupper (av {total})")
    step = format_signed(threshold, 1)
    top = ("data", "axes fraction")
    note(
        ax,
        f"← Ikke bedret (under {step})",
        (0, 1),
        (-5, 3),
        "right",
        top,
        va="bottom",
        fontweight="bold",
    )
    note(
        ax, f"Bedret (minst {step}) →", (0, 1), (5, 3), "left", top, va="bottom", fontweight="bold"
    )
    return Built(
        "endring_faktorer",
        fig,
        change_counts_caption(total, threshold),
        change_counts_alt(rows, total),
    )


def change_counts_caption(total: int, threshold: float) -> str:
    return (
        f"Antall av de {total} ledergruppene som fikk minst {format_signed(threshold, 1)} "
        f"høyere skår på faktoren ved avslutning enn ved oppstart (til høyre), og antall som "
        f"ikke gjorde det (til venstre). Faktorene er sortert etter antall grupper som bedret seg."
    )


def _names(rows: pd.DataFrame) -> str:
    labels = [quote(label) for label in rows["label"]]
    return labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} og {labels[-1]}"


def change_counts_alt(rows: pd.DataFrame, total: int) -> str:
    best = rows[rows["n_positive"] == rows["n_positive"].max()]
    worst = rows[rows["n_positive"] == rows["n_positive"].min()]
    majority = int((rows["n_positive"] > rows["n_not_positive"]).sum())
    return (
        f"Liggende stolper til begge sider for {len(rows)} Effect-faktorer. Flest grupper bedret "
        f"seg på {_names(best.head(3))} ({int(best['n_positive'].iloc[0])} av {total}), færrest "
        f"på {_names(worst.head(3))} ({int(worst['n_positive'].iloc[0])} av {total}). På "
        f"{majority} av {len(rows)} faktorer bedret flertallet av gruppene seg."
    )


def reliable_band(groups: pd.DataFrame) -> float:
    """The smallest GTEI change the 2019 criterion calls reliable: 1.96 × SE of a difference.

    The SE is the one the statistics stage divided by (``rc`` = change / SE in
    ``gtei_groups.csv``), read back from its rows rather than computed again, so the lines
    drawn follow the ``rc`` column whatever sd1 and r_xx it used.
    """
    judged = groups[groups["rc"].abs() > 0]
    if judged.empty:
        raise FigureInputError(
            "gtei_groups.csv: no group has an rc other than 0, so the reliable-change "
            "limit cannot be read from it"
        )
    return RELIABLE_Z * float((judged["change"] / judged["rc"]).abs().median())


CLEAR_STYLE = {
    1: (BLUE, BLUE, "Tydelig økning"),
    0: ("white", "#595959", "Ingen tydelig endring"),
    -1: (ORANGE, "#8a5410", "Tydelig nedgang"),
}


FULL_SIZE_ROWS = 150
"""Groups Figur D.1 draws at full row height (the programme has had about 60 in all)."""

GTEI_CHANGE_MAX_CM = 19.0
"""Tallest Figur D.1 may be: with its caption it must fit the printed page's body (24,4 cm),
or the caption runs into the page number (today's edition has twice the 2019 groups)."""


def gtei_change_figure(paired: pd.DataFrame, reliability: float, z: float) -> Built:
    """Figur D.1: every paired group's GTEI change with its own interval (±z·se_change).

    One row per group, sorted by change, no names (the public report never ties a group
    to its scores). The dashed lines mark the 2019 reliable-change limit for comparison.
    Groups without a complete GTEI or an SE are left out, as in the counts.
    """
    groups = paired.dropna(subset=["t1", "change", "se_change", "clear_change", "rc"])
    groups = groups.sort_values(["change", "group_id"], ignore_index=True)
    band = reliable_band(groups)
    half = z * groups["se_change"].to_numpy(dtype=float)
    change = groups["change"].to_numpy(dtype=float)
    rows = np.arange(len(groups))
    # One row per group up to FULL_SIZE_ROWS; more groups share that height, with thinner
    # rows and smaller dots, so the figure (and its memory) stays page-sized at any scale.
    shrink = min(1.0, FULL_SIZE_ROWS / max(len(groups), 1))
    fig, ax = new_figure(min(4.0 + 0.32 * len(groups) * shrink, GTEI_CHANGE_MAX_CM))
    ax.axvline(0, color=GREY, linewidth=0.6, zorder=1)
    for edge in (-band, band):
        ax.axvline(edge, color=GREY, linewidth=0.8, linestyle=(0, (3, 2)), zorder=1)
    ax.hlines(rows, change - half, change + half, color="#595959", linewidth=1.0 * shrink, zorder=2)
    flags = groups["clear_change"].astype(int).to_numpy()
    for flag, (face, edge, _) in CLEAR_STYLE.items():
        mask = flags == flag
        ax.scatter(
            change[mask],
            rows[mask],
            s=22 * shrink,
            facecolor=face,
            edgecolor=edge,
            linewidth=0.8 * shrink,
            zorder=3,
        )
    ax.set_ylim(-1, len(groups))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    decimal_axis(ax.xaxis)
    ax.set_xlabel("Endring i samlet indeks (GTEI) fra oppstart til avslutning, i skalapoeng")
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor=face,
            markeredgecolor=edge,
            label=f"{label} ({int((flags == flag).sum())})",
        )
        for flag, (face, edge, label) in CLEAR_STYLE.items()
    ]
    handles.append(
        Line2D(
            [],
            [],
            color=GREY,
            linestyle=(0, (3, 2)),
            label=f"Grensen for reliabel endring i 2019 (±{format_number(band)})",
        )
    )
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1.02),
        ncol=2,
        handletextpad=0.4,
        columnspacing=1.6,
        borderaxespad=0,
    )
    return Built(
        "gtei_endring",
        fig,
        gtei_change_caption(len(groups), band, reliability, z),
        gtei_change_alt(groups, band),
    )


def gtei_change_caption(n_groups: int, band: float, reliability: float, z: float) -> str:
    return (
        f"Endring i samlet indeks (GTEI) fra oppstart til avslutning for hver av de {n_groups} "
        f"ledergruppene, sortert etter endringen. Streken viser ±{format_number(z)} "
        "standardfeil beregnet fra gruppens egne svar; en endring er tydelig når streken ikke "
        f"krysser null. De stiplede linjene ved ±{format_number(band)} er grensen for reliabel "
        f"endring som i 2019-rapporten (reliabilitet {format_number(reliability)} antatt)."
    )


def gtei_change_alt(groups: pd.DataFrame, band: float) -> str:
    flags = groups["clear_change"].astype(int)
    reliable = groups["reliable"].astype(int)
    up = int((groups["change"] > 0).sum())
    return (
        f"Diagram med én vannrett strek per ledergruppe for endringen i samlet indeks (GTEI), "
        f"{len(groups)} grupper. {up} grupper gikk opp og {len(groups) - up} gikk ned eller "
        f"sto stille; medianendringen var {format_signed(float(groups['change'].median()))}. "
        f"Målt mot gruppens egen usikkerhet hadde {int((flags == 1).sum())} grupper en tydelig "
        f"økning og {int((flags == -1).sum())} en tydelig nedgang. Med 2019-grensen på "
        f"±{format_number(band)} var {int((reliable == 1).sum())} økninger og "
        f"{int((reliable == -1).sum())} nedganger reliable."
    )


def notable_factors(factors: pd.DataFrame) -> pd.DataFrame:
    """The few factors worth naming: the two largest effects, the two most chosen, the smallest."""
    picks = [
        factors.nlargest(2, "d"),
        factors[factors["n_dev_area"] > 0].nlargest(2, "n_dev_area"),
        factors.nsmallest(1, "d"),
    ]
    return pd.concat(picks).drop_duplicates("factor")


def _cohen_bands(ax: Axes) -> None:
    """Each band's lower line, named just above it at the right edge: inside its own band,
    so the name cannot be read as belonging to the band below."""
    for value, name in COHEN_BANDS:
        ax.axhline(value, color=GREY, linewidth=0.6, linestyle=(0, (1, 2)), zorder=0)
        note(
            ax,
            name,
            (1, value),
            (-2, 1.5),
            "right",
            ("axes fraction", "data"),
            va="bottom",
            fontsize=SMALL_FONT_SIZE,
            color="#595959",
        )


def dev_area_figure(factors: pd.DataFrame, correlation: dict) -> Built:
    """Draws how many groups chose each factor against how much it changed (Cohen's d)."""
    data = factors.dropna(subset=["n_dev_area", "d"]).sort_values("factor")
    x = data["n_dev_area"].astype(float).to_numpy()
    y = data["d"].astype(float).to_numpy()
    n_groups = int(data["n_groups"].max())
    fig, ax = new_figure(9.5)
    _cohen_bands(ax)
    if np.ptp(x) > 0:
        slope, intercept = np.polyfit(x, y, 1)
        line_x = np.array([0, x.max()])
        ax.plot(line_x, intercept + slope * line_x, color=GREY, linewidth=1, linestyle="--")
    span_x = max(x.max() * 1.15, 3.0)
    ax.set_xlim(-0.04 * span_x, span_x)
    ax.set_ylim(min(0.0, y.min() - 0.1), max(1.0, y.max()) + 0.15)
    spread = dodge(x, y, gap_y=0.03 * np.ptp(ax.get_ylim()), step_x=0.014 * np.ptp(ax.get_xlim()))
    ax.plot(
        spread,
        y,
        "o",
        color=BLUE,
        markersize=5.5,
        markeredgecolor="white",
        markeredgewidth=0.6,
        zorder=3,
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, steps=ROUND_STEPS))
    decimal_axis(ax.yaxis)
    ax.set_xlabel(f"Antall ledergrupper som valgte faktoren som utviklingsområde (av {n_groups})")
    ax.set_ylabel("Effektstørrelse (Cohens d)")
    ax.set_title(
        f"Pearsons {correlation_text(correlation)}, {int(correlation['n_factors'])} faktorer",
        loc="left",
        fontsize=SMALL_FONT_SIZE + 0.5,
    )
    positions = pd.Series(spread, index=data.index)
    notable = notable_factors(data)
    place_labels(
        ax,
        list(zip(positions[notable.index], notable["d"], notable["label"], strict=True)),
        np.column_stack([spread, y]),
    )
    return Built(
        "utviklingsomrader",
        fig,
        dev_area_caption(len(data), n_groups),
        dev_area_alt(data, correlation, n_groups),
    )


def dev_area_caption(n_factors: int, n_groups: int) -> str:
    bands = ", ".join(format_number(value, 1) for value, _ in COHEN_BANDS[:-1])
    return (
        f"Antall av de {n_groups} ledergruppene som valgte faktoren som et av sine "
        f"utviklingsområder, mot endringen i faktoren målt som effektstørrelse (Cohens d), "
        f"for {n_factors} faktorer. Den stiplede linjen er en lineær tilpasning; de prikkete "
        f"linjene markerer grensene for liten, middels og stor effekt ({bands} og "
        f"{format_number(COHEN_BANDS[-1][0], 1)}). Prikker som ellers ville dekket hverandre, "
        f"er flyttet litt til siden."
    )


def correlation_text(correlation: dict) -> str:
    """``r = 0,64 (bootstrap-KI 0,44 til 0,70)``, or a plain statement when r is undefined.

    No p-value: the factors are not independent, so the ordinary p overstates the certainty
    (appendix C); the bootstrap interval over groups is the uncertainty the report gives.
    """
    r = correlation.get("r")
    if r is None or math.isnan(float(r)):
        return "r kan ikke beregnes"
    low, high = correlation.get("boot_ci_low"), correlation.get("boot_ci_high")
    if low is None or high is None or math.isnan(float(low)) or math.isnan(float(high)):
        return f"r = {format_number(float(r))}"
    interval = f"{format_number(float(low))} til {format_number(float(high))}"
    return f"r = {format_number(float(r))} (bootstrap-KI {interval})"


def dev_area_alt(data: pd.DataFrame, correlation: dict, n_groups: int) -> str:
    r = float("nan") if correlation.get("r") is None else float(correlation["r"])
    if math.isnan(r):
        pattern = "Sammenhengen mellom valg og endring kan ikke beregnes"
    elif r >= 0.3:
        pattern = (
            "Faktorer som mange grupper valgte som utviklingsområde, endret seg gjennomgående mer"
        )
    elif r <= -0.3:
        pattern = (
            "Faktorer som mange grupper valgte som utviklingsområde, endret seg gjennomgående "
            "mindre"
        )
    else:
        pattern = (
            "Hvor mange grupper som valgte en faktor, henger lite sammen med hvor mye den "
            "endret seg"
        )
    chosen = data.loc[data["n_dev_area"].idxmax()]
    largest = data.loc[data["d"].idxmax()]
    return (
        f"Spredningsdiagram med én prikk per Effect-faktor, {len(data)} faktorer. {pattern}"
        f"{'' if math.isnan(r) else f': {correlation_text(correlation)}'}. Flest grupper valgte "
        f"{quote(chosen['label'])} ({int(chosen['n_dev_area'])} av {n_groups}), som fikk "
        f"d = {format_number(chosen['d'])}; størst effekt hadde {quote(largest['label'])} "
        f"(d = {format_number(largest['d'])})."
    )
