"""Participants' voices: the free-text answers an analyst chose in ``report/sitater.yml``.

The analyst names answers by id, never by person or organisation (DESIGN.md section 8).
The texts come from ``free_text.parquet`` (the clean stage keeps the codebook's free-text
columns apart from the analysed tables: they are confidential); only the chosen ones leave it.
Each chosen answer becomes ``report/_generated/sitater/_<name>.md``, a block quote the
chapters include. An id that is not in the evaluation, an empty answer, or one from a group
with fewer than ``min_respondents`` answers is an error: a small group's answer could point
at the person. A quote from a group outside the edition's selection (it had not ended by
``as_of``) gets an empty fragment, so the edition does not quote a group it does not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from pipeline.data.synth.comments import SYNTHETIC_TAG
from pipeline.errors import AnalysisError

QUOTES_FILE = Path("report") / "sitater.yml"
FREE_TEXT_FILE = "free_text.parquet"
COLUMN = "kommentar"
"""The evaluation's free-text column (the codebook's ``export: free_text: evaluation``)."""
FRAGMENT_DIR = "sitater"
ATTRIBUTION = "Deltaker i sluttevalueringen"
SYNTHETIC_ATTRIBUTION = "syntetisk"


@dataclass(frozen=True)
class Quote:
    name: str
    answer_id: str


def load_quotes(path: Path) -> list[Quote]:
    """The chosen quotes, in file order; a malformed entry names its position."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    quotes = []
    for number, entry in enumerate(doc.get("sitater") or [], start=1):
        if not isinstance(entry, Mapping) or not {"navn", "svar"} <= set(entry):
            raise AnalysisError(f"{path}: sitat {number} needs both 'navn' and 'svar' (answer id)")
        quotes.append(Quote(str(entry["navn"]), str(entry["svar"])))
    names = [q.name for q in quotes]
    if len(set(names)) != len(names):
        raise AnalysisError(f"{path}: every sitat needs its own 'navn'")
    return quotes


def load_free_text(processed_dir: Path) -> pd.DataFrame:
    """The clean stage's free-text table; a run without one has no text to quote."""
    path = Path(processed_dir) / FREE_TEXT_FILE
    if not path.is_file():
        raise AnalysisError(f"{path} is missing: run the clean stage first (it holds the quotes)")
    return pd.read_parquet(path)


def comments(free_text: pd.DataFrame) -> pd.DataFrame:
    """The evaluation's ``kommentar`` answers: ``respondent_id``, ``group_id``, ``text``."""
    rows = free_text[(free_text["table"] == "evaluation") & (free_text["column"] == COLUMN)]
    rows = rows[rows["text"].notna() & (rows["text"].astype(str).str.strip() != "")]
    return rows[["respondent_id", "group_id", "text"]].reset_index(drop=True)


def answers_per_group(
    evaluation: pd.DataFrame, item_keys: Iterable[str], texts: pd.DataFrame
) -> pd.Series:
    """Respondents per group who answered at least one statement or wrote a comment."""
    answered = evaluation.loc[evaluation[list(item_keys)].notna().any(axis=1)]
    who = pd.concat([answered[["group_id", "respondent_id"]], texts[["group_id", "respondent_id"]]])
    return who.drop_duplicates().groupby("group_id").size()


def quote_fragments(
    quotes: list[Quote],
    evaluation: pd.DataFrame,
    free_text: pd.DataFrame,
    item_keys: Iterable[str],
    in_edition: Iterable[str],
    min_respondents: int,
    synthetic: bool,
) -> dict[str, str]:
    """``sitater/_<name>.md`` → its text (empty when the group is outside the edition)."""
    texts = comments(free_text)
    counts = answers_per_group(evaluation, item_keys, texts)
    answered = set(evaluation["respondent_id"]) | set(texts["respondent_id"])
    by_id = texts.set_index("respondent_id")
    edition = set(in_edition)
    fragments = {}
    for quote in quotes:
        if quote.answer_id not in answered:
            raise AnalysisError(f"{QUOTES_FILE}: sitat {quote.name!r}: no answer {quote.answer_id}")
        if quote.answer_id not in by_id.index:
            raise AnalysisError(
                f"{QUOTES_FILE}: sitat {quote.name!r}: answer {quote.answer_id} has no free text"
            )
        row = by_id.loc[quote.answer_id]
        text = str(row["text"])
        group = str(row["group_id"])
        if int(counts.get(group, 0)) < min_respondents:
            answers = int(counts.get(group, 0))
            raise AnalysisError(
                f"{QUOTES_FILE}: sitat {quote.name!r}: the group of {quote.answer_id} has "
                f"{answers} answers, fewer than min_respondents = {min_respondents}"
            )
        name = f"{FRAGMENT_DIR}/_{quote.name}.md"
        fragments[name] = _block(str(text), synthetic) if group in edition else ""
    return fragments


def _block(text: str, synthetic: bool) -> str:
    """A block quote with its attribution; a synthetic answer says so under the quote."""
    tagged = text.startswith(SYNTHETIC_TAG)
    body = text.removeprefix(SYNTHETIC_TAG).strip()
    who = ATTRIBUTION + (f" ({SYNTHETIC_ATTRIBUTION})" if tagged or synthetic else "")
    return f"> «{body}»\n>\n> — {who}\n"
