"""The disclosure rules by hand, and the book check failing on planted cells, naming them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from pipeline.disclosure import DisclosureError, check_book
from pipeline.disclosure.rules import nk_dominance, p_ratio, threshold

GROUPS = pd.DataFrame(
    {
        "group_id": ["k00-g1", "k00-g2"],
        "organisation": ["Helsedirektoratet", "Klima- og miljødepartementet"],
    }
)


def test_threshold_rule() -> None:
    assert threshold(2, 3) and not threshold(3, 3) and not threshold(0, 3)


def test_p_ratio_rule() -> None:
    # beyond the two largest: 0.5 + 0.4 = 0.9 < 10 % of 10 → disclosive
    assert p_ratio([10, 5, 0.5, 0.4])
    assert not p_ratio([10, 5, 0.6, 0.5])  # 1.1 ≥ 1.0


def test_nk_dominance_rule() -> None:
    # two largest 9 + 0.5 = 9.5 of 10 > 90 %
    assert nk_dominance([9, 0.5, 0.3, 0.2])
    assert not nk_dominance([5, 4, 1, 1])  # 9 of 11 ≈ 82 %


def _book(tmp_path: Path, table_row: str, alt: str = "Stolper for alle grupper.") -> Path:
    book = tmp_path / "_book"
    book.mkdir()
    (book / "index.html").write_text(
        "<html><body><main><p>Ledergruppene i Helsedirektoratet deltok i kull 0.</p>"
        '<table id="tbl-deltakere"><tr><th>Virksomhet</th><th>Periode</th></tr>'
        "<tr><td>Helsedirektoratet</td><td>2015–2016</td></tr></table>"
        f'<table id="tbl-effect"><tr><th>Virksomhet</th><th>GTEI</th></tr>{table_row}</table>'
        f'<img src="a.svg" alt="{alt}"></main></body></html>',
        encoding="utf-8",
    )
    (book / "endringer.md").write_text("# Endringer\n\n- Ingen.\n", encoding="utf-8")
    return book


def _results(tmp_path: Path, n_answered: int = 12) -> Path:
    results = tmp_path / "results"
    results.mkdir()
    pd.DataFrame(
        {"item": ["nyttig", "trygg"], "n_answered": [40, n_answered], "pct_positive": [80, 50]}
    ).to_csv(results / "evaluation_items.csv", index=False)
    return results


def test_a_clean_book_passes(tmp_path: Path) -> None:
    book = _book(tmp_path, "<tr><td>Alle</td><td>5,06</td></tr>")
    assert check_book(book, _results(tmp_path), GROUPS, 3) > 5


def test_planted_organisation_score_pair_is_named(tmp_path: Path) -> None:
    book = _book(tmp_path, "<tr><td>Klima- og miljødepartementet</td><td>5,06</td></tr>")
    with pytest.raises(DisclosureError) as caught:
        check_book(book, _results(tmp_path), GROUPS, 3)
    message = str(caught.value)
    assert "index.html, table tbl-effect, row 2: organisation beside its scores" in message
    assert "'Klima- og miljødepartementet' next to '5,06'" in message
    assert "tbl-deltakere" not in message  # a list of participants is not a score


def test_planted_share_in_alt_text_is_named(tmp_path: Path) -> None:
    alt = "Helsedirektoratet svarte positivt i 73 % av svarene."
    book = _book(tmp_path, "<tr><td>Alle</td><td>5,06</td></tr>", alt=alt)
    with pytest.raises(DisclosureError, match=r"index.html, alt text 1: organisation beside"):
        check_book(book, _results(tmp_path), GROUPS, 3)


def test_planted_group_id_is_named(tmp_path: Path) -> None:
    book = _book(tmp_path, "<tr><td>k00-g2</td><td>–</td></tr>")
    with pytest.raises(DisclosureError, match=r"table tbl-effect, row 2: group_id: .*'k00-g2'"):
        check_book(book, _results(tmp_path), GROUPS, 3)


def test_planted_small_cell_is_named(tmp_path: Path) -> None:
    book = _book(tmp_path, "<tr><td>Alle</td><td>5,06</td></tr>")
    with pytest.raises(DisclosureError) as caught:
        check_book(book, _results(tmp_path, n_answered=2), GROUPS, 3)
    assert (
        "evaluation_items.csv, line 3 (item=trygg), column n_answered: threshold: "
        "2 < min_respondents=3"
    ) in str(caught.value)


def _search_index(book: Path, text: str) -> None:
    entry = {"objectID": "index.html#om", "href": "index.html#om", "title": "Om", "text": text}
    (book / "search.json").write_text(json.dumps([entry]), encoding="utf-8")


def test_search_index_is_read_line_by_line(tmp_path: Path) -> None:
    """Quarto's search index: a participant list ending a section is not a score beside it."""
    book = _book(tmp_path, "<tr><td>Alle</td><td>5,06</td></tr>")
    _search_index(book, "12\nHelsedirektoratet\nDirektorat\n\n\nEn gruppe hadde 7,7 medlemmer.")
    assert check_book(book, _results(tmp_path), GROUPS, 3) > 5


def test_planted_pair_in_search_index_is_named(tmp_path: Path) -> None:
    book = _book(tmp_path, "<tr><td>Alle</td><td>5,06</td></tr>")
    _search_index(book, "Om kullet\nHelsedirektoratet fikk GTEI 5,06 ved slutten.")
    with pytest.raises(DisclosureError, match=r"search.json\[1\].text, line 2: organisation"):
        check_book(book, _results(tmp_path), GROUPS, 3)
