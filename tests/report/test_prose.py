"""The report's prose: no result typed by hand, and no sentence taken from the seeds."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.paths import PATHS

SOURCES = sorted([*PATHS.report.glob("*.qmd"), *PATHS.root.glob("*.qmd")])
SEEDCOPY = PATHS.root.parent / "shared" / "tools" / "seedcopy.py"

# Digits that may stand in prose, each with its reason. Everything else that the data
# can change must come from {{< var … >}}.
ALLOWED = (
    (re.compile(r"\b(?:19|20)\d\d\b"), "a year of the programme's history"),
    (re.compile(r"^\s*\d+\.\s"), "the number of an item in a numbered list"),
    (re.compile(r"\bfra 1 til 7\b"), "the Effect answer scale, part of the instrument"),
    (re.compile(r"SHA-256"), "the name of the checksum"),
    (re.compile(r"\*\*Samling \d: "), "a session's name, the same as in Figur 1.1"),
)
HIDDEN = (
    re.compile(r"\{\{<.*?>\}\}"),  # shortcodes
    re.compile(r"\{[#.][^}]*\}"),  # ids and classes
    re.compile(r"^:::.*$", re.M),  # div fences with their attributes
    re.compile(r"`[^`]*`"),  # code
    re.compile(r"\]\([^)]*\)"),  # link targets
    re.compile(r"@[\w-]+"),  # citation keys and cross-references (@bang2010, @fig-x)
)


def typed_numbers(text: str) -> list[str]:
    for pattern in HIDDEN:
        text = pattern.sub(" ", text)
    found = []
    for line in text.splitlines():
        for pattern, _reason in ALLOWED:
            line = pattern.sub(" ", line)
        found += re.findall(r"\d+(?:[.,]\d+)?", line)
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Gruppene skåret {{< var effect.gtei_t1 >}} ved start.", []),
        ("Svarprosenten var 67 %.", ["67"]),
        ("Snittet steg fra 5,06 til 5,49.", ["5,06", "5,49"]),
        ("Programmet startet i 2016 og endte i 2021.", []),
        ("1. **Vær enige om formålet.**", []),
        ("## Metode {#sec-metode-2}", []),
        ("Se [@bang2010, s. 12] og @fig-x.", ["12"]),
    ],
)
def test_typed_number_scanner(text: str, expected: list[str]) -> None:
    assert typed_numbers(text) == expected


def test_sources_exist() -> None:
    assert len(SOURCES) >= 10


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.name)
def test_no_number_typed_by_hand(source: Path) -> None:
    assert typed_numbers(source.read_text(encoding="utf-8")) == [], source.name


def test_no_sentence_repeats_the_seed_documents() -> None:
    if not SEEDCOPY.exists():
        pytest.skip(f"{SEEDCOPY} is not beside the checkout")
    done = subprocess.run(
        [sys.executable, str(SEEDCOPY), *map(str, SOURCES), str(PATHS.notebooks)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout


ENDED = 'when-meta="edition.programme_ended"'
PRESENT_TENSE = (
    "har to hovedtemaer", "går gjennom det samme løpet", "deltar med hele", "varer i",
    "deltar ledergruppene", "Kullet møtes", "Samlingene veksler", "hjelper programstaben",
    "kan få inntil", "Den første kartleggingen gir",
)  # fmt: skip


def edition_text(text: str, ended: bool) -> str:
    """The source as an edition reads it: the programme_ended conditions resolved."""
    drop, keep = "content-hidden", "content-visible"
    if not ended:
        drop, keep = keep, drop
    text = re.sub(rf"^::: \{{\.{drop} {ENDED}\}}\n.*?^:::\n", "", text, flags=re.M | re.S)
    text = re.sub(rf"^::: \{{\.{keep} {ENDED}\}}\n(.*?)^:::\n", r"\1", text, flags=re.M | re.S)
    text = re.sub(rf"\[[^\]]*\]\{{\.{drop} {ENDED}\}}", "", text)
    return re.sub(rf"\[([^\]]*)\]\{{\.{keep} {ENDED}\}}", r"\1", text)


def _programme_sections(text: str) -> str:
    """Sections 1.2-1.3 (Bakgrunn, Om programmet) up to the facts about who took part."""
    return text[text.index("## Bakgrunn") : text.index("En fyldigere beskrivelse står i")]


def test_the_programme_description_is_past_once_the_programme_has_ended() -> None:
    """Chapter 1's account of how the programme works: present tense while it runs (the 2019
    edition), past tense in an edition whose data show every group ended (issue 14, point 9)."""
    source = (PATHS.report / "01-innledning.qmd").read_text(encoding="utf-8")
    running = _programme_sections(edition_text(source, ended=False))
    ended = _programme_sections(edition_text(source, ended=True))
    for phrase in PRESENT_TENSE:
        assert phrase in running, phrase
        assert phrase not in ended, phrase
    assert "Programmet hadde to hovedtemaer" in ended and "Kullet møttes" in ended
    assert "{.content-" not in ended and "{.content-" not in running


def test_the_session_titles_in_appendix_a_are_the_timeline_labels() -> None:
    """Figur 1.1 and A.3 name the four sessions the same way (review 2, point 18)."""
    from pipeline.data.programme import load_programme

    text = (PATHS.report / "vedlegg-a-programmet.qmd").read_text(encoding="utf-8")
    labels = [a.label for a in load_programme().activities if a.kind == "samling"]
    assert labels and all(f"**{label}.**" in text for label in labels)
