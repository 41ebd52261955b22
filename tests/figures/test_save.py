"""Fragments and atomic writes: the parts of the output contract that are not pictures."""

from __future__ import annotations

import re

import pytest
from matplotlib.figure import Figure

from pipeline.figures.contract import Built
from pipeline.figures.save import escape_attribute, escape_caption, figure_files, fragment
from pipeline.figures.style import house_style


def built(caption: str = "Tekst", alt: str = "Alt") -> Built:
    return Built("gtei_endring", Figure(), caption, alt)


def test_fragment_is_one_line_in_the_contract_format():
    text = fragment(built("Endring i GTEI.", "Prikkdiagram."))
    assert text == (
        "![Endring i GTEI.](/report/_generated/figures/gtei_endring.svg)"
        '{#fig-gtei-endring fig-alt="Prikkdiagram."}\n'
    )


def test_fragment_escapes_quotes_in_alt_and_brackets_in_caption():
    text = fragment(built('Skala [1–7]\nmed "sitat"', 'Han sa "ja" \\ nei'))
    assert text.count("\n") == 1
    assert r"![Skala \[1–7\] med" in text
    assert r'fig-alt="Han sa \"ja\" \\ nei"}' in text
    alt = re.search(r'fig-alt="((?:[^"\\]|\\.)*)"\}$', text.strip())
    assert alt is not None


@pytest.mark.parametrize(
    ("raw", "expected"), [("a\n  b", "a b"), ("[x]", r"\[x\]"), ("a\\b", "a\\\\b")]
)
def test_escape_caption(raw, expected):
    assert escape_caption(raw) == expected


def test_escape_attribute_keeps_guillemets_and_no_break_spaces():
    assert escape_attribute("«Lagånd» økte til 73\u00a0%") == "«Lagånd» økte til 73\u00a0%"


def test_figure_files_renders_svg_png_and_fragment_in_memory(tmp_path):
    with house_style():
        files = figure_files(built("Tekst.", "Alt."), tmp_path)
    assert sorted(p.name for p in files) == [
        "_gtei_endring.md",
        "gtei_endring.png",
        "gtei_endring.svg",
    ]
    assert not any(tmp_path.iterdir())
