"""The house style for numbers in running text (Språkrådet): words below ten, numerals above."""

from __future__ import annotations

import pytest

from pipeline.format.house_style import fmt_words, running_text, with_word_forms, word_forms


@pytest.mark.parametrize(
    ("value", "word"),
    [(0, "ingen"), (1, "én"), (2, "to"), (3, "tre"), (4, "fire"), (5, "fem"), (6, "seks"),
     (7, "sju"), (8, "åtte"), (9, "ni"), (10, "10"), (48, "48"), (350, "350")],
)  # fmt: skip
def test_whole_numbers_below_ten_are_words(value: int, word: str) -> None:
    assert fmt_words(value) == word


def test_one_has_a_neuter_form() -> None:
    assert fmt_words(1, neuter=True) == "ett"
    assert fmt_words(3, neuter=True) == "tre"


@pytest.mark.parametrize("bad", [-1, 2.0, True, "3"])
def test_only_whole_numbers_of_at_least_zero(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number"):
        fmt_words(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("4", "fire"),
        ("12", "12"),
        ("5,06", "5,06"),  # a decimal keeps its numerals
        ("73\u00a0%", "73\u00a0%"),  # a share keeps its numerals and unit
        ("3–4", "tre til fire"),
        ("25–45", "25–45"),
        ("9–12", "9–12"),
        ("30. juni 2019", "30. juni 2019"),
        ("–", "–"),
    ],
)
def test_running_text_changes_only_small_whole_numbers(text: str, expected: str) -> None:
    assert running_text(text) == expected


def test_word_forms_mirror_the_tree_with_lists_and_mappings() -> None:
    tree = {"facts": {"cohorts": "3", "groups": "48"}, "top": [{"d": "1,30", "n": "2"}]}
    assert word_forms(tree) == {
        "facts": {"cohorts": "tre", "groups": "48"},
        "top": [{"d": "1,30", "n": "to"}],
    }


def test_variables_offer_both_forms() -> None:
    variables = {"programme": {"gatherings": "4"}}
    both = with_word_forms(variables)
    assert both["programme"]["gatherings"] == "4"  # tables and captions
    assert both["ord"]["programme"]["gatherings"] == "fire"  # running text
    assert "ord" not in both["ord"]  # built again, the tree is not nested in itself
    assert with_word_forms(both)["ord"] == both["ord"]
