"""The house style for numbers in running text: whole numbers below ten as words.

Språkrådet's advice, which DESIGN.md section 8 adopts: in running text a whole number
below ten is written as a word ("tre kull i året"), larger ones as numerals; tables,
figures, decimals and numbers with a unit keep numerals. ``_variables.yml`` therefore
offers both forms: ``facts.cohorts`` (``3``, for tables and captions) and
``ord.facts.cohorts`` (``tre``, for prose). A value that is not a plain whole number
(a share, a mean, a date) is the same in both trees.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

WORDS = ("ingen", "én", "to", "tre", "fire", "fem", "seks", "sju", "åtte", "ni")
"""Bokmål number words; zero is "ingen", as a count of zero reads in running text ("ingen
hadde en tydelig tilbakegang"), not the digit's name "null"; one is "én" (with accent, as
Språkrådet writes it when it means a count), the common gender, which is what the report
counts (ledergrupper, samlinger)."""

NEUTER_ONE = "ett"
WHOLE = re.compile(r"^\d+$")
RANGE = re.compile(r"^(\d+)–(\d+)$")
WORDS_KEY = "ord"


def fmt_words(value: int, *, neuter: bool = False) -> str:
    """``3`` → ``tre``; ``12`` → ``12``; ``1`` → ``én`` (``ett`` with ``neuter``)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"fmt_words takes a whole number of at least 0, got {value!r}")
    if value >= len(WORDS):
        return str(value)
    if value == 1 and neuter:
        return NEUTER_ONE
    return WORDS[value]


def running_text(value: str) -> str:
    """A formatted variable as running text wants it: ``"7"`` → ``"sju"``, ``"7,5"`` unchanged.

    A span of two small numbers reads ``"tre til fire"``; ``"25–45"`` stays as it is.
    """
    if WHOLE.match(value):
        return fmt_words(int(value))
    span = RANGE.match(value)
    if span and max(int(span[1]), int(span[2])) < len(WORDS):
        return f"{fmt_words(int(span[1]))} til {fmt_words(int(span[2]))}"
    return value


def word_forms(tree: Any) -> Any:
    """The same tree with every plain whole number below ten written as a word."""
    if isinstance(tree, Mapping):
        return {key: word_forms(value) for key, value in tree.items()}
    if isinstance(tree, list):
        return [word_forms(value) for value in tree]
    if isinstance(tree, str):
        return running_text(tree)
    return tree


def with_word_forms(variables: Mapping[str, Any]) -> dict[str, Any]:
    """``variables`` plus the ``ord`` tree (the running-text forms of every value)."""
    forms = {key: value for key, value in variables.items() if key != WORDS_KEY}
    return {**variables, WORDS_KEY: word_forms(forms)}
