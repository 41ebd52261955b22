"""Figur 2's rows: the codebook decides which statements, in which section and order."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.data.codebook import load_codebook
from pipeline.figures.evaluation import evaluation_figure, figure_rows
from pipeline.figures.inputs import FigureInputError, load_results
from pipeline.figures.style import house_style


def test_only_figure_statements_grouped_by_section_highest_first(results_dir):
    codebook = load_codebook()
    rows = figure_rows(load_results(results_dir).evaluation, codebook)
    assert len(rows) == 12
    assert set(rows["item"]) == {i.key for i in codebook.items if i.in_figure}
    assert list(dict.fromkeys(rows["section"])) == ["tilfredshet", "strategisk", "samhandling"]
    for _, section in rows.groupby("section", sort=False):
        assert section["pct"].is_monotonic_decreasing


def test_a_statement_without_a_share_is_refused(results_dir):
    items = load_results(results_dir).evaluation
    items = items[items["item"] != "strategisk_organ"]
    with pytest.raises(FigureInputError, match="strategisk_organ"):
        figure_rows(items, load_codebook())


def test_a_statement_nobody_answered_is_kept_without_a_bar(results_dir):
    items = load_results(results_dir).evaluation
    items.loc[items["item"] == "strategisk_organ", ["pct_positive", "n_answered"]] = [None, 0]
    rows = figure_rows(items, load_codebook())
    strategic = rows[rows["section"] == "strategisk"]
    assert strategic["item"].iloc[-1] == "strategisk_organ"
    assert pd.isna(strategic["pct"].iloc[-1])
    with house_style():
        built = evaluation_figure(items, load_codebook())
    assert "Ledergruppen har blitt et mer strategisk organ" not in built.alt
