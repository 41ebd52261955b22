"""Participants' quotes: chosen by answer id, checked against the evaluation (DESIGN.md §8)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from pipeline.data.codebook import load_codebook
from pipeline.data.synth.comments import SYNTHETIC_TAG, TEXTS, comment_for
from pipeline.errors import AnalysisError
from pipeline.report.quotes import (
    Quote,
    answers_per_group,
    comments,
    load_quotes,
    quote_fragments,
)

REPO = Path(__file__).resolve().parents[2]
ITEMS = ["a", "b"]


def _free_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The clean stage's free-text table for the rows' ``kommentar`` column."""
    rows = frame[["respondent_id", "group_id", "kommentar"]].rename(columns={"kommentar": "text"})
    return rows.dropna(subset=["text"]).assign(table="evaluation", column="kommentar")


def _evaluation() -> pd.DataFrame:
    rows = [
        ("g1-r1", "g1", "Helt enig", None, "Vi lærte mye."),
        ("g1-r2", "g1", None, "Delvis enig", None),
        ("g1-r3", "g1", "Helt enig", None, SYNTHETIC_TAG + "Det ga oss et felles språk."),
        ("g2-r1", "g2", "Helt enig", "Helt enig", "Bare to svarte her."),
        ("g2-r2", "g2", None, None, None),  # answered nothing: does not count
        ("g2-r3", "g2", "Delvis enig", None, None),
        ("g3-r1", "g3", "Helt enig", None, "En gruppe som ikke var ferdig."),
        ("g3-r2", "g3", "Helt enig", None, None),
        ("g3-r3", "g3", "Helt enig", None, None),
    ]
    return pd.DataFrame(rows, columns=["respondent_id", "group_id", *ITEMS, "kommentar"])


def _fragments(quotes: list[Quote], edition=("g1", "g2"), synthetic=False) -> dict[str, str]:
    rows = _evaluation()
    evaluation = rows.drop(columns="kommentar")  # the clean stage keeps free text apart
    return quote_fragments(quotes, evaluation, _free_text(rows), ITEMS, edition, 3, synthetic)


def test_answers_per_group_count_respondents_who_answered_anything() -> None:
    rows = _evaluation()
    texts = comments(_free_text(rows))
    counts = answers_per_group(rows.drop(columns="kommentar"), ITEMS, texts)
    assert counts.to_dict() == {"g1": 3, "g2": 2, "g3": 3}
    only_text = pd.DataFrame({"respondent_id": ["g2-r9"], "group_id": ["g2"], "text": ["Ja."]})
    grown = answers_per_group(rows.drop(columns="kommentar"), ITEMS, pd.concat([texts, only_text]))
    assert grown["g2"] == 3  # a respondent who only wrote a comment counts too


def test_a_quote_becomes_a_block_quote_without_name_or_organisation() -> None:
    text = _fragments([Quote("laering", "g1-r1")])["sitater/_laering.md"]
    assert text == "> «Vi lærte mye.»\n>\n> — Deltaker i sluttevalueringen\n"


def test_a_synthetic_answer_is_marked_as_synthetic() -> None:
    text = _fragments([Quote("sprak", "g1-r3")])["sitater/_sprak.md"]
    assert SYNTHETIC_TAG not in text and "«Det ga oss et felles språk.»" in text
    assert text.endswith("— Deltaker i sluttevalueringen (syntetisk)\n")
    marked = _fragments([Quote("laering", "g1-r1")], synthetic=True)["sitater/_laering.md"]
    assert "(syntetisk)" in marked  # synthetic data: every quote is marked


def test_a_group_outside_the_edition_gets_an_empty_fragment() -> None:
    assert _fragments([Quote("senere", "g3-r1")]) == {"sitater/_senere.md": ""}


def test_an_unknown_answer_id_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="sitat 'x': no answer g9-r1"):
        _fragments([Quote("x", "g9-r1")])


def test_an_answer_without_text_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="g1-r2 has no free text"):
        _fragments([Quote("x", "g1-r2")])


def test_a_group_with_too_few_answers_is_an_error() -> None:
    with pytest.raises(AnalysisError, match="has 2 answers, fewer than min_respondents = 3"):
        _fragments([Quote("x", "g2-r1")])


def test_the_quotes_file_needs_names_and_ids(tmp_path: Path) -> None:
    path = tmp_path / "sitater.yml"
    path.write_text("sitater:\n  - navn: a\n", encoding="utf-8")
    with pytest.raises(AnalysisError, match="sitat 1 needs both 'navn' and 'svar'"):
        load_quotes(path)
    path.write_text("sitater:\n  - {navn: a, svar: x}\n  - {navn: a, svar: y}\n", "utf-8")
    with pytest.raises(AnalysisError, match="its own 'navn'"):
        load_quotes(path)


def test_synthetic_comments_are_deterministic_tagged_and_sparse() -> None:
    ids = [f"k01-g1-eval-r{i:02d}" for i in range(1, 201)]
    comments = [comment_for(i) for i in ids]
    assert comments == [comment_for(i) for i in ids]
    written = [c for c in comments if c]
    assert 0.2 < len(written) / len(ids) < 0.5
    assert all(c.startswith(SYNTHETIC_TAG) and c[len(SYNTHETIC_TAG) :] in TEXTS for c in written)


def _shipped_evaluation() -> pd.DataFrame:
    frames = [
        pd.read_csv(path, dtype=str, keep_default_na=False).replace("", None)
        for path in sorted((REPO / "data" / "raw").glob("kull-*/evaluation.csv"))
    ]
    return pd.concat(frames, ignore_index=True)


def test_every_chosen_quote_exists_and_comes_from_a_group_with_enough_answers() -> None:
    """report/sitater.yml against the shipped data, with the default min_respondents."""
    quotes = load_quotes(REPO / "report" / "sitater.yml")
    rows = _shipped_evaluation()
    evaluation, free = rows.drop(columns="kommentar"), _free_text(rows)
    items, groups = load_codebook().item_keys, rows["group_id"].unique()
    fragments = quote_fragments(quotes, evaluation, free, items, groups, 3, True)
    assert len(fragments) == len(quotes) >= 15
    assert all(text.startswith("> «") for text in fragments.values())
    counts = answers_per_group(evaluation, items, comments(free))
    by_id = rows.set_index("respondent_id")
    for quote in quotes:
        assert counts[by_id.loc[quote.answer_id, "group_id"]] >= 3


def test_no_quote_names_an_organisation() -> None:
    names = {
        org
        for path in (REPO / "data" / "raw").glob("kull-*/groups.csv")
        for org in pd.read_csv(path, dtype=str)["organisation"]
    }
    texts = [t for t in _shipped_evaluation()["kommentar"].dropna()]
    assert not [t for t in texts for org in names if org in t]
    doc = yaml.safe_load((REPO / "report" / "sitater.yml").read_text("utf-8"))
    assert all(set(entry) == {"navn", "svar"} for entry in doc["sitater"])
