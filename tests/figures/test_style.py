"""The house style's number formats and palette: what every figure relies on."""

from __future__ import annotations

from itertools import combinations

import matplotlib as mpl
import pytest

from pipeline.figures.style import (
    BLUE,
    FONT_SIZE,
    LIGHT_BLUE,
    ORANGE,
    PALETTE,
    SVG_HASH_SALT,
    TEAL,
    decimal_comma,
    format_date,
    format_number,
    format_p,
    format_pct,
    format_signed,
    house_style,
)

NBSP = "\u00a0"


def grey_luminance(colour: str) -> float:
    """Lightness after PIL's greyscale conversion (ITU-R 601-2 luma), in 0–1."""
    red, green, blue = mpl.colors.to_rgb(colour)
    return 0.299 * red + 0.587 * green + 0.114 * blue


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (5.06, 2, "5,06"),
        (3.5, 1, "3,5"),
        (-0.13, 2, "−0,13"),
        (-0.001, 2, "0,00"),
        (1234.5, 1, "1234,5"),
        (7, 0, "7"),
    ],
)
def test_format_number_uses_decimal_comma_and_minus_sign(value, decimals, expected):
    assert format_number(value, decimals) == expected


@pytest.mark.parametrize(
    ("value", "expected"), [(0.43, "+0,43"), (-0.2, "−0,20"), (0.0, "0,00"), (0.004, "0,00")]
)
def test_format_signed_shows_direction_but_not_on_zero(value, expected):
    assert format_signed(value) == expected


def test_format_pct_puts_a_no_break_space_before_the_sign():
    assert format_pct(73) == f"73{NBSP}%"
    assert format_pct(66.67, 1) == f"66,7{NBSP}%"


@pytest.mark.parametrize(
    ("p", "expected"),
    [(0.0004, "p < 0,001"), (0.004, "p = 0,004"), (0.034, "p = 0,034"), (0.5, "p = 0,500")],
)
def test_format_p_matches_the_prose(p, expected):
    assert format_p(p) == expected


def test_decimal_comma_formatter_formats_axis_ticks():
    formatter = decimal_comma(1)
    assert [formatter(v, i) for i, v in enumerate([3.5, 4.0, -0.5, 0.0])] == [
        "3,5",
        "4,0",
        "−0,5",
        "0,0",
    ]
    assert decimal_comma(2)(0.25, 0) == "0,25"


def test_format_date_is_norwegian_long_form():
    assert format_date("2019-06-30") == "30. juni 2019"
    assert format_date("2021-12-01T00:00:00") == "1. desember 2021"


def test_palette_colours_differ_in_greyscale():
    """Printed in black and white, each series colour must stay a distinct grey."""
    colours = [*PALETTE, LIGHT_BLUE]
    for first, second in combinations(colours, 2):
        gap = abs(grey_luminance(first) - grey_luminance(second))
        assert gap >= 0.1, f"{first} and {second} are only {gap:.2f} apart in greyscale"


def test_palette_runs_dark_to_light():
    assert grey_luminance(BLUE) < grey_luminance(TEAL) < grey_luminance(ORANGE)


def test_grey_luminance_matches_pil_conversion():
    """The test above is only meaningful if it measures what PIL's 'L' mode produces."""
    image = pytest.importorskip("PIL.Image")
    for colour in PALETTE:
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
        grey = image.new("RGB", (1, 1), rgb).convert("L").getpixel((0, 0))
        assert abs(grey / 255 - grey_luminance(colour)) < 0.01


def test_house_style_ignores_and_restores_the_callers_settings():
    with mpl.rc_context({"font.size": 30, "lines.linewidth": 9}):
        with house_style():
            assert mpl.rcParams["svg.hashsalt"] == SVG_HASH_SALT
            assert mpl.rcParams["lines.linewidth"] == mpl.rcParamsDefault["lines.linewidth"]
            assert mpl.rcParams["font.size"] == FONT_SIZE
        assert mpl.rcParams["font.size"] == 30


def test_the_written_out_ticks_style_is_seaborns() -> None:
    import seaborn as sns

    from pipeline.figures.style import SEABORN_TICKS

    seaborns = dict(sns.axes_style("ticks"))
    assert seaborns.pop("image.cmap") == "rocket"  # registered by seaborn's import only
    assert seaborns == SEABORN_TICKS
