"""Figur 2: the share answering positively per evaluation statement, grouped by theme.

Statements are long, so they wrap onto two lines at the left; each bar carries its own
percentage, so the reader needs no gridline to read a value and colour carries nothing.
"""

from __future__ import annotations

import textwrap

import pandas as pd

from pipeline.data.codebook import Codebook
from pipeline.figures.contract import Built
from pipeline.figures.inputs import FigureInputError
from pipeline.figures.layout import draw_heading, note, row_groups
from pipeline.figures.style import BLUE, format_pct, new_figure, percent_axis, quote

ITEM_WRAP = 52
HEADING_WRAP = 85
ROW_CM = 0.78
NO_SHARE = "ingen tok stilling"


def figure_rows(items: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The statements drawn in Figur 2, in codebook section order, highest share first.

    Section and text come from the codebook, so the figure follows the instrument even
    if a results file abbreviates them. A statement nobody took a stand on has no share
    (NaN) and goes last in its section.
    """
    wanted = [i for i in codebook.items if i.in_figure]
    missing = [i.key for i in wanted if i.key not in set(items["item"])]
    if missing:
        raise FigureInputError(f"evaluation_items.csv: no row for statement(s) {missing}")
    rows = items.set_index("item").reindex([i.key for i in wanted])
    sections = [s.key for s in codebook.sections]
    frame = pd.DataFrame(
        {
            "item": [i.key for i in wanted],
            "section": [i.section for i in wanted],
            "text": [i.text for i in wanted],
            "pct": rows["pct_positive"].astype(float).to_numpy(),
            "n": rows["n_answered"].fillna(0).astype(int).to_numpy(),
            "order": [sections.index(i.section) for i in wanted],
        }
    )
    return frame.sort_values(["order", "pct", "item"], ascending=[True, False, True])


def evaluation_figure(items: pd.DataFrame, codebook: Codebook) -> Built:
    """Draws Figur 2 from evaluation_items.csv."""
    rows = figure_rows(items, codebook)
    sections = [codebook.section(key) for key in rows["section"].unique()]
    headings = [textwrap.wrap(s.title, HEADING_WRAP) for s in sections]
    layout = row_groups(
        [int((rows["section"] == s.key).sum()) for s in sections],
        [0.6 + 0.45 * len(lines) for lines in headings],
        gap=0.35,
    )
    height = ROW_CM * (layout.bottom + 1) + 1.6
    fig, ax = new_figure(height)
    y = [pos for group in layout.rows for pos in group]
    shares = rows["pct"].fillna(0)
    ax.barh(y, shares, height=0.62, color=BLUE)
    for pos, pct in zip(y, rows["pct"], strict=True):
        label = NO_SHARE if pd.isna(pct) else format_pct(pct)
        note(ax, label, (0 if pd.isna(pct) else pct, pos), (3, 0))
    for pos, lines in zip(layout.headings, headings, strict=True):
        draw_heading(ax, pos, "\n".join(lines))
    ax.set_yticks(y)
    # A two-line statement is centred on its bar with tight line spacing, so that its second
    # line does not run down towards the next bar.
    ax.set_yticklabels(
        [textwrap.fill(t, ITEM_WRAP) for t in rows["text"]], va="center", linespacing=1.0
    )
    ax.set_ylim(layout.bottom + 0.6, -0.6)
    ax.set_xlim(0, 100)
    ax.set_xticks(range(0, 101, 25))
    ax.xaxis.set_major_formatter(percent_axis())
    ax.grid(axis="x")
    ax.spines["left"].set_visible(False)
    ax.set_xlabel("Andel positive svar")
    return Built("evaluering", fig, evaluation_caption(rows, codebook), evaluation_alt(rows))


def evaluation_caption(rows: pd.DataFrame, codebook: Codebook) -> str:
    positive = " eller ".join(quote(label) for label in codebook.positive_labels)
    excluded = " og ".join(quote(label) for label in codebook.excluded_labels) or "Ingen svar"
    n_low, n_high = int(rows["n"].min()), int(rows["n"].max())
    answers = f"{n_low}" if n_low == n_high else f"{n_low}–{n_high}"
    return (
        f"Andel av deltakerne som svarte {positive} på påstandene i sluttevalueringen, "
        f"etter tema og med høyeste andel først i hvert tema. {excluded} og blanke svar er "
        f"holdt utenfor; {answers} svar per påstand."
    )


def evaluation_alt(rows: pd.DataFrame) -> str:
    shown = (
        f"Liggende stolper for {len(rows)} påstander i sluttevalueringen, fordelt på "
        f"{rows['section'].nunique()} temaer."
    )
    if rows["pct"].isna().all():
        return f"{shown} Ingen deltakere har tatt stilling til påstandene ennå."
    top = rows.loc[rows["pct"].idxmax()]
    low = rows.loc[rows["pct"].idxmin()]
    majority = int((rows["pct"] > 50).sum())
    return (
        f"{shown} Høyest andel positive svar fikk {quote(top['text'])} med "
        f"{format_pct(top['pct'])}, lavest {quote(low['text'])} med {format_pct(low['pct'])}. "
        f"{majority} av {len(rows)} påstander fikk positive svar fra mer enn halvparten."
    )
